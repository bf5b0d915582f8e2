"""Outcome spaces: issues, their Cartesian product, constraints, chunked enumeration.

An outcome (a *package*) picks one value on every issue. Issues are

* :class:`DiscreteIssue`: labelled values (``"no"``, ``"reassurance force"``, ...);
* :class:`IntegerIssue`: every integer from ``low`` to ``high``;
* :class:`ContinuousIssue`: the interval ``[low, high]`` at a stated ``resolution``: the
  grid ``low, low + h, ..., high`` with the largest step ``h <= resolution`` that divides
  the interval evenly (so ``high`` is always a value).

The space is the product of the issues' values, less the combinations a
:class:`Forbid` constraint excludes (``Forbid({"G": ["Article 5"], "C": ["no"]})``:
no Article-5 guarantee without a ceasefire). An outcome is identified by its *flat index*
into the product in C order (the last issue varies fastest), so ten million packages are
ten million integers and per-issue index columns computed chunk by chunk
(:meth:`OutcomeSpace.chunks`), never ten million Python objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ModelError

__all__ = [
    "ContinuousIssue",
    "DiscreteIssue",
    "Forbid",
    "IntegerIssue",
    "Issue",
    "OutcomeSpace",
    "Range",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]
ArrayLikeInt = IntArray | Sequence[int] | int

DEFAULT_CHUNK = 1 << 20


class Issue:
    """One issue: a name and a finite, ordered tuple of values."""

    name: str
    kind: str

    @property
    def values(self) -> tuple[Any, ...]:
        raise NotImplementedError

    @property
    def size(self) -> int:
        return len(self.values)

    def numeric(self) -> FloatArray:
        """The values as numbers: themselves for numeric issues, 0, 1, 2, ... for labels."""
        raise NotImplementedError

    def index_of(self, value: Any) -> int:
        """The position of ``value`` among the issue's values (an error if it is not one)."""
        for k, v in enumerate(self.values):
            if v == value or (isinstance(v, float) and _close(v, value)):
                return k
        raise ModelError(f"not a value of issue {self.name!r}", path=self.name, value=value)


def _close(a: float, b: Any) -> bool:
    try:
        return math.isclose(a, float(b), rel_tol=1e-12, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name:
        raise ModelError("an issue needs a non-empty name", path="issue.name", value=name)


@dataclass(frozen=True)
class DiscreteIssue(Issue):
    """Labelled values, in the order given (the order is the issue's scale for value
    functions that need numbers: 0, 1, 2, ...)."""

    name: str
    labels: tuple[Any, ...]
    kind: str = field(default="discrete", init=False)

    def __post_init__(self) -> None:
        _check_name(self.name)
        object.__setattr__(self, "labels", tuple(self.labels))
        if not self.labels:
            raise ModelError("needs at least one value", path=f"{self.name}.values")
        if len(set(map(str, self.labels))) != len(self.labels):
            raise ModelError("values must differ", path=f"{self.name}.values", value=self.labels)

    @property
    def values(self) -> tuple[Any, ...]:
        return self.labels

    def numeric(self) -> FloatArray:
        labels = self.labels
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in labels):
            return np.asarray(labels, dtype=float)
        return np.arange(len(labels), dtype=float)


@dataclass(frozen=True)
class IntegerIssue(Issue):
    """Every integer from ``low`` to ``high`` inclusive."""

    name: str
    low: int
    high: int
    kind: str = field(default="integer", init=False)

    def __post_init__(self) -> None:
        _check_name(self.name)
        if int(self.low) != self.low or int(self.high) != self.high:
            raise ModelError(
                "integer bounds must be integers", path=self.name, value=(self.low, self.high)
            )
        if self.high < self.low:
            raise ModelError(
                "upper bound below lower bound", path=self.name, value=(self.low, self.high)
            )

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(range(int(self.low), int(self.high) + 1))

    @property
    def size(self) -> int:
        return int(self.high) - int(self.low) + 1

    def numeric(self) -> FloatArray:
        return np.arange(int(self.low), int(self.high) + 1, dtype=float)


@dataclass(frozen=True)
class ContinuousIssue(Issue):
    """``[low, high]`` at a stated resolution (the largest grid step allowed)."""

    name: str
    low: float
    high: float
    resolution: float
    kind: str = field(default="continuous", init=False)

    def __post_init__(self) -> None:
        _check_name(self.name)
        for what, v in (("low", self.low), ("high", self.high), ("resolution", self.resolution)):
            if not math.isfinite(float(v)):
                raise ModelError("must be a finite number", path=f"{self.name}.{what}", value=v)
        if self.high < self.low:
            raise ModelError(
                "upper bound below lower bound", path=self.name, value=(self.low, self.high)
            )
        if self.resolution <= 0:
            raise ModelError(
                "resolution must be positive",
                path=f"{self.name}.resolution",
                value=self.resolution,
            )

    @property
    def size(self) -> int:
        span = float(self.high) - float(self.low)
        return 1 if span == 0 else math.ceil(span / float(self.resolution) - 1e-9) + 1

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(float(x) for x in self.numeric())

    def numeric(self) -> FloatArray:
        return np.linspace(float(self.low), float(self.high), self.size)


@dataclass(frozen=True)
class Range:
    """A closed interval of numeric values, for constraints: ``Range(60, 100)``."""

    low: float
    high: float


@dataclass(frozen=True)
class Forbid:
    """A forbidden combination: every outcome whose value on *each* named issue is among
    the listed values (or inside the listed :class:`Range`) is excluded.

    ``Forbid({"G": Range(60, 100), "C": ["no"]}, note="no guarantee force without a
    ceasefire")``.
    """

    conditions: Mapping[str, Sequence[Any] | Range]
    note: str = ""

    def masks(self, space: OutcomeSpace) -> dict[int, BoolArray]:
        """Per issue position, the boolean mask of values the condition names."""
        out: dict[int, BoolArray] = {}
        if not self.conditions:
            raise ModelError("a constraint needs at least one condition", path="constraints")
        for name, cond in self.conditions.items():
            k = space.position(name)
            issue = space.issues[k]
            if isinstance(cond, Range):
                x = issue.numeric()
                out[k] = (x >= cond.low - 1e-12) & (x <= cond.high + 1e-12)
            else:
                mask = np.zeros(issue.size, dtype=bool)
                for v in cond:
                    mask[issue.index_of(v)] = True
                out[k] = mask
        return out


@dataclass(frozen=True)
class OutcomeSpace:
    """The product of ``issues`` less the ``constraints``' forbidden combinations."""

    issues: tuple[Issue, ...]
    constraints: tuple[Forbid, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "issues", tuple(self.issues))
        object.__setattr__(self, "constraints", tuple(self.constraints))
        if not self.issues:
            raise ModelError("an outcome space needs at least one issue", path="issues")
        names = [i.name for i in self.issues]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ModelError("issue names must differ", path="issues", value=dup)
        for c in self.constraints:
            c.masks(self)  # validates names and values now, not at enumeration

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.issues)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(i.size for i in self.issues)

    @property
    def cardinality(self) -> int:
        """Outcomes in the product, before constraints."""
        return math.prod(self.shape)

    def position(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise ModelError(
                f"no such issue ({', '.join(self.names)})", path="issue", value=name
            ) from None

    def indices(self, flat: ArrayLikeInt) -> IntArray:
        """Per-issue value indices ``(k, issues)`` of flat outcome indices."""
        flat = np.asarray(flat, dtype=np.int64)
        cols = np.unravel_index(flat, self.shape)
        return np.stack(cols, axis=-1).astype(np.int64, copy=False)

    def flat(self, indices: ArrayLikeInt) -> IntArray:
        """Flat outcome indices of per-issue value indices ``(k, issues)``."""
        idx = np.asarray(indices, dtype=np.int64)
        return np.asarray(np.ravel_multi_index(tuple(idx.T), self.shape), dtype=np.int64)

    def feasible(self, indices: IntArray) -> BoolArray:
        """Which rows of per-issue indices ``(k, issues)`` no constraint forbids."""
        ok = np.ones(indices.shape[0], dtype=bool)
        for c in self.constraints:
            hit = np.ones(indices.shape[0], dtype=bool)
            for k, mask in c.masks(self).items():
                hit &= mask[indices[:, k]]
            ok &= ~hit
        return ok

    def chunks(self, size: int = DEFAULT_CHUNK) -> Iterator[tuple[IntArray, IntArray]]:
        """``(flat, indices)`` of the feasible outcomes, ``size`` product entries at a
        time, in flat order."""
        if size < 1:
            raise ModelError("chunk size must be positive", path="chunk", value=size)
        total = self.cardinality
        for start in range(0, total, size):
            flat = np.arange(start, min(start + size, total), dtype=np.int64)
            idx = self.indices(flat)
            if self.constraints:
                ok = self.feasible(idx)
                flat, idx = flat[ok], idx[ok]
            yield flat, idx

    def feasible_flat(self, size: int = DEFAULT_CHUNK) -> IntArray:
        """Every feasible outcome's flat index (``arange`` when nothing is forbidden)."""
        if not self.constraints:
            return np.arange(self.cardinality, dtype=np.int64)
        parts = [flat for flat, _ in self.chunks(size)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def outcome(self, flat: int) -> dict[str, Any]:
        """One outcome as ``{issue: value}``."""
        if not 0 <= int(flat) < self.cardinality:
            raise ModelError("outcome index out of range", path="outcome", value=flat)
        idx = self.indices(np.asarray([flat]))[0]
        return {i.name: i.values[int(k)] for i, k in zip(self.issues, idx, strict=True)}

    def flat_of(self, outcome: Mapping[str, Any]) -> int:
        """The flat index of ``{issue: value}`` (every issue named)."""
        missing = [n for n in self.names if n not in outcome]
        if missing:
            raise ModelError("outcome misses issues", path="outcome", value=missing)
        idx = [i.index_of(outcome[i.name]) for i in self.issues]
        return int(self.flat(np.asarray([idx]))[0])
