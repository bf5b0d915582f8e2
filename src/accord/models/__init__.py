"""Multi-actor forecasting models, callable by name.

>>> from accord import models
>>> models.available()
('compromise', 'median', 'eum', 'smp', 'exchange')
"""

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
from accord.models.compromise import Compromise
from accord.models.eum import EUM
from accord.models.exchange import Exchange
from accord.models.median import Median
from accord.models.smp import SMP

for _model in (Compromise, Median, EUM, SMP, Exchange):
    register(_model)

__all__ = [
    "EUM",
    "SMP",
    "Compromise",
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
