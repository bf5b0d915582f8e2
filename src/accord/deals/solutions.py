"""Bargaining solutions and the zone of possible agreement on a utility matrix.

Every solution works on ``values (parties, outcomes)`` and a disagreement point ``d``
(default: the parties' reservation values when a :class:`~accord.deals.utility.UtilityMatrix`
is passed, else zeros). Only outcomes that give **every** party strictly more than ``d`` can
be chosen (``u_i > d_i`` for all ``i``: the set Nash's axioms assume non-empty); when there is
none the result says so (``agreement=False``) instead of returning a package. Solutions are
sought on the Pareto frontier of that set, so each lies on the frontier; gains are
``g_i = u_i − d_i``.

* Nash (1950): maximise ``Π g_i``, computed as ``Σ log g_i``.
* Weighted (asymmetric) Nash (Kalai 1977; Roth 1979): maximise ``Σ w_i log g_i``,
  ``w_i > 0`` normalised to sum 1. On divide-the-dollar it gives party ``i`` the share ``w_i``.
* Kalai–Smorodinsky (1975): with the ideal point ``a_i = max u_i`` over the individually
  rational outcomes (``u >= d``), maximise ``min_i g_i / (a_i − d_i)`` (``rule="maximin"``,
  the default). This is exactly the KS point of the set's free-disposal hull: the largest
  ``λ`` such that
  ``d + λ(a − d)`` is weakly below some outcome. ``rule="equal_ratios"`` instead minimises
  ``max_i r_i − min_i r_i`` (the outcome closest to the ray from ``d`` to ``a``; NegMAS's
  ``ks_points`` criterion). Invariant to positive scaling of each party's utility.
* Egalitarian (Kalai 1977): maximise ``min_i g_i`` (the free-disposal hull's point on the
  ray ``d + λ(1, …, 1)``). NegMAS calls this ``kalai_points``.
* Utilitarian: maximise ``Σ g_i``.

Ties are exact: ``ties`` lists every candidate with the same criterion value (maximin
criteria compare the sorted vector of gains lexicographically, leximin, so the choice is
Pareto-optimal); ``column`` is the smallest of them.

:func:`zone_of_agreement` lists the outcomes every party weakly prefers to ``d``
(``u_i >= d_i``; the zone of possible agreement, Raiffa 1982, ch. 4) and those every
party strictly prefers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.deals.pareto import pareto_frontier
from accord.deals.utility import UtilityMatrix
from accord.errors import ModelError

__all__ = [
    "SOLUTIONS",
    "Solution",
    "Zone",
    "egalitarian",
    "kalai_smorodinsky",
    "nash",
    "solve",
    "utilitarian",
    "weighted_nash",
    "zone_of_agreement",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

SOLUTIONS = ("nash", "weighted_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
ALIASES = {"ks": "kalai_smorodinsky", "weighted-nash": "weighted_nash"}


@dataclass(frozen=True)
class Solution:
    """What a bargaining solution picked, and how.

    ``column`` indexes the utility matrix (``None`` when ``agreement`` is false);
    ``utilities`` are the parties' utilities there; ``parameters`` records the
    disagreement point, weights, ideal point and rule used; ``candidates`` how many
    frontier outcomes beat the disagreement point.
    """

    solution: str
    parties: tuple[str, ...]
    agreement: bool
    column: int | None
    utilities: tuple[float, ...] | None
    criterion: float | None
    ties: tuple[int, ...]
    candidates: int
    parameters: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per party: utility, disagreement value and gain at the solution."""
        d = self.parameters["disagreement"]
        u = self.utilities if self.utilities is not None else (np.nan,) * len(self.parties)
        return pd.DataFrame(
            {
                "party": self.parties,
                "utility": u,
                "disagreement": d,
                "gain": np.asarray(u, float) - np.asarray(d, float),
            }
        ).assign(solution=self.solution)

    def to_dict(self) -> dict[str, Any]:
        return {
            "solution": self.solution,
            "parties": list(self.parties),
            "agreement": self.agreement,
            "column": self.column,
            "utilities": None if self.utilities is None else list(self.utilities),
            "criterion": self.criterion,
            "ties": list(self.ties),
            "candidates": self.candidates,
            "parameters": {k: _plain(v) for k, v in self.parameters.items()},
            "note": self.note,
        }


def _plain(v: Any) -> Any:
    if isinstance(v, tuple | list | np.ndarray):
        return [float(x) for x in v]
    return v


def _unpack(
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None,
    parties: Sequence[str] | None,
) -> tuple[FloatArray, FloatArray, tuple[str, ...]]:
    if isinstance(values, UtilityMatrix):
        u = values.values
        d_default: FloatArray = values.reservation
        names = values.parties
    else:
        u = np.asarray(values, dtype=float)
        if u.ndim != 2:
            raise ModelError("utilities must be a (parties, outcomes) matrix", value=u.shape)
        d_default = np.zeros(u.shape[0])
        names = tuple(f"party {a + 1}" for a in range(u.shape[0]))
    if parties is not None:
        names = tuple(parties)
        if len(names) != u.shape[0]:
            raise ModelError(f"needs {u.shape[0]} party names", path="parties", value=names)
    d = d_default if disagreement is None else np.asarray(disagreement, dtype=float)
    if d.shape != (u.shape[0],):
        raise ModelError(
            f"disagreement point needs one value per party ({u.shape[0]})",
            path="disagreement",
            value=d.tolist(),
        )
    if not np.isfinite(d).all():
        raise ModelError("disagreement values must be finite", path="disagreement", value=d)
    return u, d, names


def _candidates(u: FloatArray, d: FloatArray, frontier: ArrayLike | None) -> IntArray:
    """Frontier columns that give every party strictly more than ``d``."""
    if frontier is None:
        better = np.flatnonzero(np.all(u > d[:, None], axis=0))
        return better[pareto_frontier(u[:, better])] if better.size else better
    cols = np.asarray(frontier, dtype=np.int64)
    return cols[np.all(u[:, cols] > d[:, None], axis=0)]


def _leximin_best(gains: FloatArray) -> tuple[IntArray, float]:
    """Positions (among columns of ``gains``) that are leximin-best, and their minimum."""
    s = np.sort(gains, axis=0)  # ascending per column
    order = np.lexsort(tuple(s[::-1]))  # sort by s[0] (primary), s[1], ...
    best = order[-1]
    same = np.all(s == s[:, [best]], axis=0)
    return np.flatnonzero(same), float(s[0, best])


def _result(
    name: str,
    names: tuple[str, ...],
    u: FloatArray,
    cand: IntArray,
    best: IntArray,
    criterion: float,
    params: dict[str, Any],
) -> Solution:
    cols = np.sort(cand[best])
    col = int(cols[0])
    return Solution(
        solution=name,
        parties=names,
        agreement=True,
        column=col,
        utilities=tuple(float(x) for x in u[:, col]),
        criterion=criterion,
        ties=tuple(int(c) for c in cols),
        candidates=int(cand.size),
        parameters=params,
    )


def _none(name: str, names: tuple[str, ...], params: dict[str, Any]) -> Solution:
    return Solution(
        solution=name,
        parties=names,
        agreement=False,
        column=None,
        utilities=None,
        criterion=None,
        ties=(),
        candidates=0,
        parameters=params,
        note="no package gives every party more than its disagreement value",
    )


def weighted_nash(
    values: ArrayLike | UtilityMatrix,
    weights: ArrayLike,
    disagreement: ArrayLike | None = None,
    *,
    frontier: ArrayLike | None = None,
    parties: Sequence[str] | None = None,
    _name: str = "weighted_nash",
) -> Solution:
    """Maximise ``Σ w_i log(u_i − d_i)`` over outcomes that beat ``d`` for everyone."""
    u, d, names = _unpack(values, disagreement, parties)
    w = np.asarray(weights, dtype=float)
    if w.shape != (u.shape[0],) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ModelError(
            f"weights must be {u.shape[0]} positive numbers", path="weights", value=w.tolist()
        )
    w = w / w.sum()
    params: dict[str, Any] = {"disagreement": tuple(map(float, d)), "weights": tuple(map(float, w))}
    cand = _candidates(u, d, frontier)
    if cand.size == 0:
        return _none(_name, names, params)
    gains = u[:, cand] - d[:, None]
    obj = w @ np.log(gains)
    top = float(obj.max())
    return _result(_name, names, u, cand, np.flatnonzero(obj == top), top, params)


def nash(
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None = None,
    *,
    frontier: ArrayLike | None = None,
    parties: Sequence[str] | None = None,
) -> Solution:
    """The Nash bargaining solution: maximise ``Π (u_i − d_i)`` (as a sum of logs)."""
    n = (values.values if isinstance(values, UtilityMatrix) else np.asarray(values)).shape[0]
    return weighted_nash(
        values, np.ones(n), disagreement, frontier=frontier, parties=parties, _name="nash"
    )


def kalai_smorodinsky(
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None = None,
    *,
    rule: str = "maximin",
    ideal: ArrayLike | None = None,
    frontier: ArrayLike | None = None,
    parties: Sequence[str] | None = None,
) -> Solution:
    """The Kalai–Smorodinsky solution (``rule`` ``maximin`` or ``equal_ratios``).

    ``ideal`` overrides the ideal point (NegMAS uses each utility's maximum over the whole
    space, ``values.max(axis=1)``)."""
    if rule not in ("maximin", "equal_ratios"):
        raise ModelError("use maximin or equal_ratios", path="rule", value=rule)
    u, d, names = _unpack(values, disagreement, parties)
    params: dict[str, Any] = {"disagreement": tuple(map(float, d)), "rule": rule}
    cand = _candidates(u, d, frontier)
    if cand.size == 0:
        return _none("kalai_smorodinsky", names, params)
    gains = u[:, cand] - d[:, None]
    pool = np.arange(u.shape[1]) if frontier is None else np.asarray(frontier, dtype=np.int64)
    if ideal is None:
        weak = pool[np.all(u[:, pool] >= d[:, None], axis=0)]
        a = u[:, weak].max(axis=1)
    else:
        a = np.asarray(ideal, dtype=float)
        if a.shape != d.shape or not np.all(a > d):
            raise ModelError(
                "the ideal point needs one value per party above the disagreement point",
                path="ideal",
                value=a.tolist(),
            )
    params["ideal"] = tuple(map(float, a))
    ratios = gains / (a - d)[:, None]
    if rule == "maximin":
        best, crit = _leximin_best(ratios)
    else:
        spread = ratios.max(axis=0) - ratios.min(axis=0)
        crit = float(spread.min())
        best = np.flatnonzero(spread == crit)
    return _result("kalai_smorodinsky", names, u, cand, best, crit, params)


def egalitarian(
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None = None,
    *,
    frontier: ArrayLike | None = None,
    parties: Sequence[str] | None = None,
) -> Solution:
    """The egalitarian solution: maximise ``min_i (u_i − d_i)``, ties leximin."""
    u, d, names = _unpack(values, disagreement, parties)
    params: dict[str, Any] = {"disagreement": tuple(map(float, d))}
    cand = _candidates(u, d, frontier)
    if cand.size == 0:
        return _none("egalitarian", names, params)
    best, crit = _leximin_best(u[:, cand] - d[:, None])
    return _result("egalitarian", names, u, cand, best, crit, params)


def utilitarian(
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None = None,
    *,
    frontier: ArrayLike | None = None,
    parties: Sequence[str] | None = None,
) -> Solution:
    """The utilitarian solution: maximise ``Σ_i (u_i − d_i)``."""
    u, d, names = _unpack(values, disagreement, parties)
    params: dict[str, Any] = {"disagreement": tuple(map(float, d))}
    cand = _candidates(u, d, frontier)
    if cand.size == 0:
        return _none("utilitarian", names, params)
    total = (u[:, cand] - d[:, None]).sum(axis=0)
    top = float(total.max())
    return _result("utilitarian", names, u, cand, np.flatnonzero(total == top), top, params)


def solve(
    name: str,
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None = None,
    *,
    weights: ArrayLike | None = None,
    frontier: ArrayLike | None = None,
    parties: Sequence[str] | None = None,
) -> Solution:
    """Any solution by name: ``nash``, ``weighted_nash`` (needs ``weights``),
    ``kalai_smorodinsky`` (or ``ks``), ``egalitarian``, ``utilitarian``."""
    key = ALIASES.get(name, name)
    if key == "nash" and weights is not None:
        key = "weighted_nash"
    if key == "nash":
        return nash(values, disagreement, frontier=frontier, parties=parties)
    if key == "weighted_nash":
        if weights is None:
            raise ModelError("weighted Nash needs weights", path="weights")
        return weighted_nash(values, weights, disagreement, frontier=frontier, parties=parties)
    if key == "kalai_smorodinsky":
        return kalai_smorodinsky(values, disagreement, frontier=frontier, parties=parties)
    if key == "egalitarian":
        return egalitarian(values, disagreement, frontier=frontier, parties=parties)
    if key == "utilitarian":
        return utilitarian(values, disagreement, frontier=frontier, parties=parties)
    raise ModelError(
        f"unknown solution; use {', '.join(('nash', 'ks', *SOLUTIONS[2:]))}",
        path="solution",
        value=name,
    )


@dataclass(frozen=True)
class Zone:
    """The zone of possible agreement: columns every party weakly (``acceptable``) and
    strictly (``better``) prefers to the disagreement point, out of ``outcomes``."""

    parties: tuple[str, ...]
    disagreement: tuple[float, ...]
    acceptable: IntArray = field(repr=False)
    better: IntArray = field(repr=False)
    outcomes: int
    low: tuple[float, ...]
    high: tuple[float, ...]

    @property
    def empty(self) -> bool:
        return self.better.size == 0

    def to_frame(self) -> pd.DataFrame:
        """Per party: disagreement value and the range of its utility inside the zone."""
        return pd.DataFrame(
            {
                "party": self.parties,
                "disagreement": self.disagreement,
                "low": self.low,
                "high": self.high,
            }
        )


def zone_of_agreement(
    values: ArrayLike | UtilityMatrix,
    disagreement: ArrayLike | None = None,
    *,
    parties: Sequence[str] | None = None,
) -> Zone:
    """Outcomes every party prefers to disagreement, and each party's utility range there."""
    u, d, names = _unpack(values, disagreement, parties)
    acceptable = np.flatnonzero(np.all(u >= d[:, None], axis=0)).astype(np.int64)
    better = acceptable[np.all(u[:, acceptable] > d[:, None], axis=0)]
    if acceptable.size:
        low = tuple(map(float, u[:, acceptable].min(axis=1)))
        high = tuple(map(float, u[:, acceptable].max(axis=1)))
    else:
        low = high = (float("nan"),) * u.shape[0]
    return Zone(names, tuple(map(float, d)), acceptable, better, int(u.shape[1]), low, high)
