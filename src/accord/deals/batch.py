"""Bargaining solutions for many disagreement points at once (Monte Carlo runs).

A settlement engine holds one package space but a different disagreement point per run
(each run's war values), different bargaining weights (a mediator's bias) and a different
set of admissible packages (what each run's commitment problem allows). :func:`solve_many`
solves all runs in one vectorised pass over ``U (parties, packages)``:

* ``disagreement (runs, parties)``; ``weights (runs, parties)`` or ``(parties,)`` (only for
  ``nash``: weighted Nash); ``allowed (runs, packages)`` booleans (default all);
* the same definitions, candidates and tie rules as :mod:`accord.deals.solutions`: a package
  must give every party strictly more than its disagreement value; Nash maximises
  ``Σ w_i log g_i``, utilitarian ``Σ g_i``, egalitarian the leximin of ``g``,
  Kalai–Smorodinsky (maximin rule) the leximin of ``g_i / (a_i − d_i)`` with the ideal
  ``a`` over each run's admissible, individually rational packages; ties go to the lowest
  package index. Row ``r`` equals ``solve(name, U[:, allowed[r]], disagreement[r], ...)``
  mapped back to package indices.

Runs are processed ``chunk`` at a time, so memory is ``chunk × parties × packages`` floats.
Pass ``frontier`` (e.g. :func:`~accord.deals.pareto.pareto_frontier` of ``U``) to search
only those packages: the result is the same whenever ``allowed`` keeps every package
(a solution always lies on the frontier); with ``allowed`` masks, pass nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.deals.solutions import ALIASES
from accord.errors import ModelError

__all__ = ["BatchSolution", "solve_many"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class BatchSolution:
    """``column[r]``: run ``r``'s package (``-1`` where none beats its disagreement point);
    ``utilities[r]`` the parties' utilities there (NaN where none); ``criterion[r]`` the
    maximised value (log Nash product, total gain, smallest gain or ratio)."""

    solution: str
    column: IntArray = field(repr=False)
    agreement: NDArray[np.bool_] = field(repr=False)
    utilities: FloatArray = field(repr=False)
    criterion: FloatArray = field(repr=False)
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"column": self.column, "agreement": self.agreement})
        for a in range(self.utilities.shape[1]):
            frame[f"u{a}"] = self.utilities[:, a]
        frame["criterion"] = self.criterion
        return frame


def _leximin(values: FloatArray, ok: NDArray[np.bool_]) -> tuple[IntArray, FloatArray]:
    """Per run (axis 0), the first package (axis 2) whose sorted values (axis 1) are
    leximin-best among ``ok`` packages; and its smallest value."""
    s = np.sort(values, axis=1)
    alive = ok.copy()
    for level in range(s.shape[1]):
        v = np.where(alive, s[:, level, :], -np.inf)
        best = v.max(axis=1, keepdims=True)
        alive &= v == best
    col = np.argmax(alive, axis=1)
    rows = np.arange(s.shape[0])
    return col.astype(np.int64), s[rows, 0, col]


def solve_many(
    name: str,
    values: ArrayLike,
    disagreement: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    allowed: ArrayLike | None = None,
    frontier: ArrayLike | None = None,
    chunk: int = 4096,
) -> BatchSolution:
    """One bargaining solution per row of ``disagreement`` (see the module docstring)."""
    key = ALIASES.get(name, name)
    if key == "weighted_nash":
        key = "nash"
    if key not in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        raise ModelError(
            "use nash, kalai_smorodinsky (ks), egalitarian or utilitarian",
            path="solution",
            value=name,
        )
    u = np.asarray(values, dtype=float)
    if u.ndim != 2:
        raise ModelError("utilities must be a (parties, packages) matrix", value=u.shape)
    n, k = u.shape
    d = np.asarray(disagreement, dtype=float)
    if d.ndim != 2 or d.shape[1] != n:
        raise ModelError(f"disagreement must be (runs, {n})", path="disagreement", value=d.shape)
    runs = d.shape[0]
    cols = np.arange(k) if frontier is None else np.asarray(frontier, dtype=np.int64)
    if allowed is not None and frontier is not None:
        raise ModelError("pass either allowed or frontier", path="frontier")
    ok_all: NDArray[np.bool_] | None = None
    if allowed is not None:
        ok_all = np.asarray(allowed, dtype=bool)
        if ok_all.shape != (runs, k):
            raise ModelError(f"allowed must be ({runs}, {k})", path="allowed", value=ok_all.shape)
    w: FloatArray | None = None
    if weights is not None:
        if key != "nash":
            raise ModelError("weights apply to Nash only", path="weights")
        w = np.broadcast_to(np.asarray(weights, dtype=float), (runs, n)).copy()
        if not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise ModelError("weights must be positive", path="weights")
        w /= w.sum(axis=1, keepdims=True)
    uc = u[:, cols]
    column = np.full(runs, -1, dtype=np.int64)
    crit = np.full(runs, np.nan)
    for start in range(0, runs, max(1, chunk)):
        sl = slice(start, min(start + chunk, runs))
        dd = d[sl][:, :, None]  # (r, n, 1)
        gains = uc[None, :, :] - dd  # (r, n, c)
        ok = np.all(gains > 0, axis=1)  # (r, c)
        if ok_all is not None:
            ok &= ok_all[sl][:, cols]
        if key == "nash":
            ww = np.full((sl.stop - sl.start, n), 1.0 / n) if w is None else w[sl]
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.log(gains, out=gains)  # gains are not needed again
            obj = np.einsum("rn,rnc->rc", ww, logs)
            obj[~ok] = -np.inf
            best = np.argmax(obj, axis=1)
            val = obj[np.arange(obj.shape[0]), best]
        elif key == "utilitarian":
            obj = np.where(ok, gains.sum(axis=1), -np.inf)
            best = np.argmax(obj, axis=1)
            val = obj[np.arange(obj.shape[0]), best]
        elif key == "egalitarian":
            best, val = _leximin(gains, ok)
        else:
            weak = np.all(gains >= 0, axis=1)
            if ok_all is not None:
                weak &= ok_all[sl][:, cols]
            ideal = np.where(weak[:, None, :], uc[None, :, :], -np.inf).max(axis=2)  # (r, n)
            span = ideal[:, :, None] - dd
            with np.errstate(divide="ignore", invalid="ignore"):
                ratios = gains / span
            best, val = _leximin(np.where(np.isfinite(ratios), ratios, -np.inf), ok)
        found = ok[np.arange(ok.shape[0]), best]
        column[sl] = np.where(found, cols[best], -1)
        crit[sl] = np.where(found, val, np.nan)
    agreement = column >= 0
    utilities = np.full((runs, n), np.nan)
    utilities[agreement] = u[:, column[agreement]].T
    params: dict[str, Any] = {"runs": runs, "packages": k}
    if w is not None:
        params["weights"] = "given"
    return BatchSolution(key, column, agreement, utilities, crit, params)
