"""Multi-actor forecasting models, callable by name.

>>> from accord import models
>>> models.available()
('compromise', 'median', 'eum')
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

for _model in (Compromise, Median, EUM):
    register(_model)
register(Exchange)

__all__ = [
    "EUM",
    "Compromise",
    "Cycle",
    "Diagnostic",
    "Event",
    "Median",
    "Model",
    "ModelResult",
    "Options",
    "available",
    "get",
    "register",
    "run",
]
