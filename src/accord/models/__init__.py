"""Multi-actor forecasting models, callable by name.

>>> from accord import models
>>> models.available()[:5]
('compromise', 'median', 'eum', 'smp', 'exchange')

The procedural models follow: ``council_pivot``, ``agenda_setter``, ``codecision`` and
``costly_compromise``. :mod:`accord.models.rules` binds every model's forecast to the
issue's decision rule.
"""

from accord.models.agenda_setter import AgendaSetter
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
    run,
)
from accord.models.codecision import Codecision
from accord.models.compromise import Compromise
from accord.models.costly_compromise import CostlyCompromise
from accord.models.council_pivot import CouncilPivot
from accord.models.eum import EUM
from accord.models.exchange import Exchange
from accord.models.median import Median
from accord.models.smp import SMP

for _model in (
    Compromise,
    Median,
    EUM,
    SMP,
    Exchange,
    CouncilPivot,
    AgendaSetter,
    Codecision,
    CostlyCompromise,
):
    register(_model)

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
