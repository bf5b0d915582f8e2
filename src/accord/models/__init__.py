"""Multi-actor forecasting models, callable by name.

>>> from accord import models
>>> models.available()[:5]
('compromise', 'median', 'eum', 'smp', 'exchange')

The procedural models follow: ``council_pivot``, ``agenda_setter``, ``codecision`` and
``costly_compromise``. :mod:`accord.models.rules` binds every model's forecast to the
issue's decision rule.
"""

from typing import TYPE_CHECKING, Any

from accord.models.base import (
    Cycle,
    Diagnostic,
    Event,
    Model,
    ModelResult,
    Options,
    available,
    get,
    register,
    register_lazy,
    run,
)

if TYPE_CHECKING:
    from accord.models.agenda_setter import AgendaSetter
    from accord.models.codecision import Codecision
    from accord.models.compromise import Compromise
    from accord.models.costly_compromise import CostlyCompromise
    from accord.models.council_pivot import CouncilPivot
    from accord.models.eum import EUM
    from accord.models.exchange import Exchange
    from accord.models.median import Median
    from accord.models.smp import SMP

#: The built-in models by name, in the order ``available()`` lists them; each module is
#: imported when its model is first asked for (``get``, or ``from accord.models import
#: SMP``), so that running one model does not pay for importing the others.
_BUILT_IN = {
    "compromise": ("accord.models.compromise", "Compromise"),
    "median": ("accord.models.median", "Median"),
    "eum": ("accord.models.eum", "EUM"),
    "smp": ("accord.models.smp", "SMP"),
    "exchange": ("accord.models.exchange", "Exchange"),
    "council_pivot": ("accord.models.council_pivot", "CouncilPivot"),
    "agenda_setter": ("accord.models.agenda_setter", "AgendaSetter"),
    "codecision": ("accord.models.codecision", "Codecision"),
    "costly_compromise": ("accord.models.costly_compromise", "CostlyCompromise"),
}
_CLASSES = {cls: name for name, (_, cls) in _BUILT_IN.items()}

for _name, (_module, _cls) in _BUILT_IN.items():
    register_lazy(_name, f"{_module}:{_cls}")


def __getattr__(attr: str) -> Any:
    if attr in _CLASSES:
        return get(_CLASSES[attr])
    raise AttributeError(f"module {__name__!r} has no attribute {attr!r}")


__all__ = [
    "EUM",
    "SMP",
    "AgendaSetter",
    "Codecision",
    "Compromise",
    "CostlyCompromise",
    "CouncilPivot",
    "Cycle",
    "Diagnostic",
    "Event",
    "Exchange",
    "Median",
    "Model",
    "ModelResult",
    "Options",
    "available",
    "get",
    "register",
    "run",
]
