"""Upper bounds on every size that a file or a command line can make accord allocate.

Each limit is checked *before* the memory is asked for or the loop starts, and its error
names the quantity, the value asked for, the limit and the environment variable that
raises it (``ACCORD_MAX_BATTLES=1000000 accord war fight ...``). The defaults let every
bundled scenario, the DEU III back-test and the documented examples run with room to
spare on a laptop (a few GB of memory at most); they are policy, not model parameters.

=====================  ==========================  ==========  ===========================
limit                  environment variable        default     what it bounds
=====================  ==========================  ==========  ===========================
``FILE_BYTES``         ``ACCORD_MAX_FILE_BYTES``   64 MiB      a scenario or imported file
``DEPTH``              ``ACCORD_MAX_DEPTH``        64          nesting of lists and maps
``VALUES``             ``ACCORD_MAX_VALUES``       2,000,000   values after YAML aliases
``TEXT``               ``ACCORD_MAX_TEXT``         100,000     characters of one text
``DIGITS``             ``ACCORD_MAX_DIGITS``       40          digits of one integer
``STATES``             ``ACCORD_MAX_STATES``       10,000      war front states
``BATTLES``            ``ACCORD_MAX_BATTLES``      100,000     battles of one fight
``RUNS``               ``ACCORD_MAX_RUNS``         10,000,000  Monte Carlo runs
``DRAWS``              ``ACCORD_MAX_DRAWS``        2e9         runs x battles simulated
``ROUNDS``             ``ACCORD_MAX_ROUNDS``       100,000     rounds of a model
``CELLS``              ``ACCORD_MAX_CELLS``        1e8         a model's working array
=====================  ==========================  ==========  ===========================

``CELLS`` is compared with each model's :meth:`~accord.models.base.Model.footprint`
(``actors^a x issues^b`` for the model's own exponents); EUM needs about 16 bytes per
cell, so the default stops it near 1.6 GB (300 actors x 5 issues: 2.2 GB, 60 s, measured).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from accord.errors import AccordError, ModelError

__all__ = [
    "BATTLES",
    "CELLS",
    "DEPTH",
    "DIGITS",
    "DRAWS",
    "FILE_BYTES",
    "LIMITS",
    "ROUNDS",
    "RUNS",
    "STATES",
    "TEXT",
    "VALUES",
    "Limit",
]


@dataclass(frozen=True)
class Limit:
    """One named upper bound, overridable through an environment variable."""

    name: str
    env: str
    default: int
    unit: str

    @property
    def value(self) -> int:
        """The limit in force (the environment variable, read at each check, or the default)."""
        raw = os.environ.get(self.env)
        if raw is None or raw.strip() == "":
            return self.default
        try:
            value = int(raw.strip().replace("_", ""))
        except ValueError:
            value = -1
        if value < 1:
            raise AccordError(f"{self.env} must be a whole number >= 1 (got {raw[:40]!r})")
        return value

    def exceeded(self, value: int) -> bool:
        return value > self.value

    def message(self, value: int, what: str = "") -> str:
        """``what`` (default: the value with its unit) is above the limit, and how to raise it."""
        asked = what or f"{value:,} {self.unit}"
        return (
            f"{asked} is above the limit of {self.value:,} {self.unit} ({self.name}); "
            f"raise it with {self.env}=N if the machine can take it"
        )

    def check(self, value: int, path: str = "", what: str = "") -> None:
        """Raise a :class:`ModelError` at ``path`` if ``value`` is above the limit."""
        if value > self.value:
            raise ModelError(self.message(value, what), path=path)


FILE_BYTES = Limit("file size", "ACCORD_MAX_FILE_BYTES", 64 * 2**20, "bytes")
DEPTH = Limit("nesting depth", "ACCORD_MAX_DEPTH", 64, "levels")
VALUES = Limit("values in one file", "ACCORD_MAX_VALUES", 2_000_000, "values")
TEXT = Limit("text length", "ACCORD_MAX_TEXT", 100_000, "characters")
DIGITS = Limit("integer digits", "ACCORD_MAX_DIGITS", 40, "digits")
STATES = Limit("front states", "ACCORD_MAX_STATES", 10_000, "states")
BATTLES = Limit("battles per run", "ACCORD_MAX_BATTLES", 100_000, "battles")
RUNS = Limit("Monte Carlo runs", "ACCORD_MAX_RUNS", 10_000_000, "runs")
DRAWS = Limit("simulated battles", "ACCORD_MAX_DRAWS", 2_000_000_000, "battle draws")
ROUNDS = Limit("model rounds", "ACCORD_MAX_ROUNDS", 100_000, "rounds")
CELLS = Limit("model working cells", "ACCORD_MAX_CELLS", 100_000_000, "cells")

LIMITS = (FILE_BYTES, DEPTH, VALUES, TEXT, DIGITS, STATES, BATTLES, RUNS, DRAWS, ROUNDS, CELLS)
