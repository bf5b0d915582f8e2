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
``CELLS``              ``ACCORD_MAX_CELLS``        1e8         a model's working arrays
``BLOCK``              ``ACCORD_MAX_BLOCK_BYTES``  128 MiB     one block of a worked cube
=====================  ==========================  ==========  ===========================

``CELLS`` is compared with each model's :meth:`~accord.models.base.Model.footprint`
(``k x actors^a x issues^b`` for the model's own factor and exponents), at about 8 bytes
per cell. The models that weigh triples of actors (SMP, EUM) never hold their
``actors^3`` cube: they work it in blocks of rows (:func:`block_rows`) of at most
``BLOCK`` bytes, so their footprint is their ``actors^2`` arrays (640 actors x 1 issue:
under 300 MB for either, measured in ``benchmarks/bench_memory.py``). A block smaller
than one row is refused with the row's size. ``war.fight``'s front paths are held for the
runs still on only, so their size is checked against ``CELLS`` as they grow.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from accord.errors import AccordError, ModelError

__all__ = [
    "BATTLES",
    "BLOCK",
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
    "block_rows",
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

BLOCK = Limit("working block", "ACCORD_MAX_BLOCK_BYTES", 128 * 2**20, "bytes")

LIMITS = (
    FILE_BYTES, DEPTH, VALUES, TEXT, DIGITS, STATES, BATTLES, RUNS, DRAWS, ROUNDS, CELLS, BLOCK,
)  # fmt: skip


def block_rows(rows: int, row_bytes: int, what: str, path: str = "") -> int:
    """How many of ``rows`` rows, ``row_bytes`` bytes each, one working block holds.

    At least one and at most ``rows``; a row larger than :data:`BLOCK` is refused with a
    :class:`ModelError` naming ``what`` and its size, before anything is allocated.
    """
    BLOCK.check(row_bytes, path=path, what=f"one row of {what} ({row_bytes:,} bytes)")
    return max(1, min(rows, BLOCK.value // max(row_bytes, 1)))
