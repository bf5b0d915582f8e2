"""Utility functions over an outcome space, and the (parties × outcomes) utility matrix.

* :class:`LinearAdditive`: ``u(o) = c + Σ_i w_i · v_i(o_i)`` (Keeney & Raiffa 1976,
  ch. 3; Raiffa 1982, ch. 10): issue weights ``w_i`` times a value function per issue,
  one of

  - :class:`TableValue` (a number per value; GENIUS's discrete evaluator),
  - :class:`LinearValue` ``v(x) = intercept + slope·x`` (GENIUS's integer/real ``linear``),
  - :class:`PiecewiseLinearValue` through given points (``numpy.interp``),
  - :class:`SinglePeakedValue` ``v(x) = 1 − (|x − peak| / (high − low))^power``: 1 at the
    ideal point, falling with distance (``power=1``: the linear loss of spatial models,
    Bueno de Mesquita 1994; ``power=2``: quadratic loss, Enelow & Hinich 1984);
* :class:`TableUtility`: one number per whole outcome (a dense array over the space's shape);
* :class:`HyperRectangles`: GENIUS's constraint (non-linear) utility spaces (Ito, Hattori
  & Klein 2007): ``u(o) = Σ_r u_r · 1[o ∈ r] / max_utility``, a rectangle listing an
  inclusive ``[min, max]`` per named issue (on the issue's numeric values).

Every utility carries a ``reservation`` value: what its party gets without agreement.

:func:`utility_matrix` evaluates any list of utilities on every feasible outcome at once,
chunk by chunk: ``U[a, j]`` is party ``a``'s utility of the ``j``-th feasible outcome, whose
flat index is ``outcomes[j]``. For linear-additive utilities on a space without constraints
the matrix is an outer sum of per-issue columns (no index arrays at all).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.deals.space import DEFAULT_CHUNK, IntArray, OutcomeSpace
from accord.errors import ModelError

__all__ = [
    "HyperRectangles",
    "LinearAdditive",
    "LinearValue",
    "PiecewiseLinearValue",
    "Rectangle",
    "SinglePeakedValue",
    "TableUtility",
    "TableValue",
    "UtilityMatrix",
    "ValueFunction",
    "utility_matrix",
]

FloatArray = NDArray[np.float64]


class ValueFunction:
    """Maps an issue's values to numbers: ``column(values, numeric) -> (size,)``."""

    def column(self, values: tuple[Any, ...], numeric: FloatArray, where: str) -> FloatArray:
        raise NotImplementedError


@dataclass(frozen=True)
class TableValue(ValueFunction):
    """A number for every value of the issue (keys are the issue's values or their text)."""

    table: Mapping[Any, float]

    def column(self, values: tuple[Any, ...], numeric: FloatArray, where: str) -> FloatArray:
        out = np.empty(len(values))
        by_text = {str(k): float(v) for k, v in self.table.items()}
        for k, v in enumerate(values):
            if v in self.table:
                out[k] = float(self.table[v])
            elif str(v) in by_text:
                out[k] = by_text[str(v)]
            else:
                raise ModelError("value function has no entry for this value", path=where, value=v)
        extra = set(by_text) - {str(v) for v in values}
        if extra:
            raise ModelError("entries for values the issue does not have", path=where, value=extra)
        return out


@dataclass(frozen=True)
class LinearValue(ValueFunction):
    slope: float
    intercept: float = 0.0

    def column(self, values: tuple[Any, ...], numeric: FloatArray, where: str) -> FloatArray:
        return float(self.intercept) + float(self.slope) * numeric


@dataclass(frozen=True)
class PiecewiseLinearValue(ValueFunction):
    """Through the points ``(xs[k], ys[k])`` (``xs`` increasing), constant beyond them."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def column(self, values: tuple[Any, ...], numeric: FloatArray, where: str) -> FloatArray:
        xs, ys = np.asarray(self.xs, float), np.asarray(self.ys, float)
        if xs.shape != ys.shape or xs.size == 0 or np.any(np.diff(xs) <= 0):
            raise ModelError(
                "needs as many ys as xs, xs strictly increasing", path=where, value=self.xs
            )
        return np.asarray(np.interp(numeric, xs, ys), dtype=float)


@dataclass(frozen=True)
class SinglePeakedValue(ValueFunction):
    """``1 − (|x − peak| / (high − low))^power`` on a scale from ``low`` to ``high``."""

    peak: float
    low: float
    high: float
    power: float = 1.0

    def column(self, values: tuple[Any, ...], numeric: FloatArray, where: str) -> FloatArray:
        span = float(self.high) - float(self.low)
        if span <= 0 or self.power <= 0:
            raise ModelError(
                "needs high > low and a positive power", path=where, value=(self.low, self.high)
            )
        d = np.abs(numeric - float(self.peak)) / span
        return np.asarray(1.0 - d ** float(self.power), dtype=float)


class Utility:
    """A party's utility over outcomes."""

    name: str
    reservation: float

    def evaluate(self, space: OutcomeSpace, indices: IntArray) -> FloatArray:
        """Utilities of the outcomes given by per-issue indices ``(k, issues)``."""
        raise NotImplementedError


@dataclass(frozen=True)
class LinearAdditive(Utility):
    """``constant + Σ_i weights[i] · values[i](o_i)``; issues without a weight count 0."""

    name: str
    weights: Mapping[str, float]
    values: Mapping[str, ValueFunction]
    reservation: float = 0.0
    constant: float = 0.0

    def columns(self, space: OutcomeSpace) -> list[FloatArray]:
        """Per issue of ``space``, ``w_i · v_i`` on its values (zeros where unweighted)."""
        unknown = sorted(set(self.weights) - set(space.names))
        if unknown:
            raise ModelError(
                "weights for issues the space does not have",
                path=f"{self.name}.weights",
                value=unknown,
            )
        out = []
        for issue in space.issues:
            w = float(self.weights.get(issue.name, 0.0))
            fn = self.values.get(issue.name)
            if fn is None:
                if w != 0.0:
                    raise ModelError(
                        "weighted issue without a value function",
                        path=f"{self.name}.values.{issue.name}",
                    )
                out.append(np.zeros(issue.size))
                continue
            col = fn.column(issue.values, issue.numeric(), f"{self.name}.values.{issue.name}")
            out.append(w * col)
        out[0] = out[0] + float(self.constant)
        return out

    def evaluate(self, space: OutcomeSpace, indices: IntArray) -> FloatArray:
        cols = self.columns(space)
        total = np.zeros(indices.shape[0])
        for k, col in enumerate(cols):
            total += col[indices[:, k]]
        return total

    def dense(self, space: OutcomeSpace) -> FloatArray:
        """Utilities of every outcome of the product in flat order, by an outer sum."""
        cols = self.columns(space)
        m = len(cols)
        acc = np.zeros((1,) * m)
        for k, col in enumerate(cols):
            shape = [1] * m
            shape[k] = col.size
            acc = acc + col.reshape(shape)
        return np.asarray(acc.reshape(-1), dtype=float)


@dataclass(frozen=True)
class TableUtility(Utility):
    """A utility for every outcome of the product: ``table`` has the space's shape."""

    name: str
    table: FloatArray = field(repr=False)
    reservation: float = 0.0

    def evaluate(self, space: OutcomeSpace, indices: IntArray) -> FloatArray:
        t = np.asarray(self.table, dtype=float)
        if t.shape != space.shape:
            raise ModelError(
                f"table shape must be the space's {space.shape}",
                path=f"{self.name}.table",
                value=t.shape,
            )
        return np.asarray(t[tuple(indices.T)], dtype=float)

    @classmethod
    def from_mapping(
        cls,
        name: str,
        space: OutcomeSpace,
        mapping: Mapping[tuple[Any, ...], float],
        default: float = 0.0,
        reservation: float = 0.0,
    ) -> TableUtility:
        """From ``{(value on issue 1, value on issue 2, ...): utility}``; others ``default``."""
        table = np.full(space.shape, float(default))
        for key, u in mapping.items():
            if len(key) != len(space.issues):
                raise ModelError("outcome needs a value per issue", path=name, value=key)
            idx = tuple(i.index_of(v) for i, v in zip(space.issues, key, strict=True))
            table[idx] = float(u)
        return cls(name, table, reservation)


@dataclass(frozen=True)
class Rectangle:
    """Inclusive bounds on the numeric values of some issues, and the utility it adds."""

    bounds: Mapping[str, tuple[float, float]]
    utility: float


@dataclass(frozen=True)
class HyperRectangles(Utility):
    """``Σ_r utility_r · 1[outcome inside r] / max_utility`` (GENIUS constraint spaces)."""

    name: str
    rectangles: tuple[Rectangle, ...]
    max_utility: float = 1.0
    reservation: float = 0.0

    def evaluate(self, space: OutcomeSpace, indices: IntArray) -> FloatArray:
        if not self.max_utility > 0:
            raise ModelError(
                "max utility must be positive",
                path=f"{self.name}.max_utility",
                value=self.max_utility,
            )
        total = np.zeros(indices.shape[0])
        nums = [i.numeric() for i in space.issues]
        for r in self.rectangles:
            inside = np.ones(indices.shape[0], dtype=bool)
            for name, (lo, hi) in r.bounds.items():
                k = space.position(name)
                x = nums[k]
                inside &= ((x >= lo) & (x <= hi))[indices[:, k]]
            total += r.utility * inside
        return total / float(self.max_utility)


@dataclass(frozen=True)
class UtilityMatrix:
    """``values[a, j]``: party ``a``'s utility of feasible outcome ``j`` (flat index
    ``outcomes[j]`` in ``space``); ``reservation[a]`` its reservation value."""

    space: OutcomeSpace
    parties: tuple[str, ...]
    values: FloatArray = field(repr=False)
    outcomes: IntArray = field(repr=False)
    reservation: FloatArray

    def package(self, column: int) -> dict[str, Any]:
        """The outcome of column ``column`` as ``{issue: value}``."""
        return self.space.outcome(int(self.outcomes[int(column)]))


def utility_matrix(
    space: OutcomeSpace,
    utilities: Sequence[Utility],
    *,
    chunk: int = DEFAULT_CHUNK,
    dtype: type[np.floating[Any]] = np.float64,
) -> UtilityMatrix:
    """Every party's utility of every feasible outcome: one ``(parties, outcomes)`` array.

    Memory: ``parties × outcomes`` numbers of ``dtype`` plus one int64 per outcome; the
    per-issue index columns exist one chunk at a time.
    """
    if not utilities:
        raise ModelError("needs at least one utility", path="utilities")
    names = tuple(u.name for u in utilities)
    if len(set(names)) != len(names):
        raise ModelError("party names must differ", path="utilities", value=names)
    reservation = np.asarray([float(u.reservation) for u in utilities])
    if not np.isfinite(reservation).all():
        raise ModelError("reservation values must be finite", path="reservation", value=reservation)
    if not space.constraints and all(isinstance(u, LinearAdditive) for u in utilities):
        values = np.empty((len(utilities), space.cardinality), dtype=dtype)
        for a, u in enumerate(utilities):
            assert isinstance(u, LinearAdditive)
            values[a] = u.dense(space)
        outcomes = np.arange(space.cardinality, dtype=np.int64)
    else:
        flats: list[IntArray] = []
        blocks: list[FloatArray] = []
        for flat, idx in space.chunks(chunk):
            flats.append(flat)
            block = np.empty((len(utilities), flat.size), dtype=dtype)
            for a, u in enumerate(utilities):
                block[a] = u.evaluate(space, idx)
            blocks.append(block)
        outcomes = np.concatenate(flats) if flats else np.zeros(0, dtype=np.int64)
        values = np.concatenate(blocks, axis=1) if blocks else np.zeros((len(utilities), 0), dtype)
    if values.size and not np.isfinite(values).all():
        a, j = np.argwhere(~np.isfinite(values))[0]
        raise ModelError(
            "utility is not finite", path=f"{names[a]}[{space.outcome(int(outcomes[j]))}]"
        )
    return UtilityMatrix(space, names, np.asarray(values, dtype=float), outcomes, reservation)
