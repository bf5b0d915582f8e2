"""The exact Pareto frontier of a (parties × outcomes) utility matrix.

Outcome ``j`` is *dominated* when some outcome ``k`` gives every party at least as much
and one party strictly more: ``U[:, k] >= U[:, j]`` everywhere and ``>`` somewhere. The
frontier is the set of outcomes nothing dominates. Comparisons are exact (no tolerance):
outcomes with *identical* utility vectors do not dominate each other, so all of them are
on the frontier when one is.

* Two parties: sort and sweep (Kung, Luccio & Preparata 1975), after dropping the
  outcomes strictly dominated by one of the 16 largest-sum outcomes (survivors compacted
  after each, so this costs about one pass). Sort by ``u0`` descending,
  ``u1`` descending; ``j`` survives iff ``u1[j]`` is the largest ``u1`` among outcomes with
  the same ``u0`` and exceeds every ``u1`` of outcomes with a larger ``u0``. O(N log N).
* Three parties: after the same prune, Kung, Luccio & Preparata's sweep: sort by ``u0``
  descending and keep, for the frontier found so far, the staircase of its ``(u1, u2)``
  maxima; a point is dominated iff the staircase is weakly above it (exact duplicates are
  merged first and all restored), answered for a whole chunk by one binary search.
  O(N log N).
* More parties: sort-filter skyline with survivor elimination (Chomicki, Godfrey, Gryz &
  Liang 2003; the shape NegMAS's ``pareto_frontier_numpy`` also uses). Repeatedly take
  the outcomes with the largest utility sum (summed party by party in the same order for
  every outcome, so a dominating outcome never has a smaller floating-point sum), keep those
  no other candidate dominates (each is on the frontier: anything dominating it would have
  at least its sum), and drop every outcome weakly below one of them in all parties. The
  number of candidates per pass grows as the survivors shrink, so the first passes over
  millions of outcomes are single vectorised comparisons.

:func:`pareto_frontier` returns the frontier's column indices in increasing order.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError

__all__ = ["dominates", "is_dominated", "pareto_frontier"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

_PASS_BUDGET = 4_000_000  # candidate × survivor comparisons per elimination pass


def _as_matrix(values: ArrayLike) -> FloatArray:
    u = np.asarray(values, dtype=float)
    if u.ndim != 2:
        raise ModelError("utilities must be a (parties, outcomes) matrix", value=u.shape)
    if u.size and not np.isfinite(u).all():
        raise ModelError("utilities must be finite", value=u[~np.isfinite(u)][0])
    return u


def dominates(a: ArrayLike, b: ArrayLike) -> bool:
    """Whether utility vector ``a`` Pareto-dominates ``b``."""
    x, y = np.asarray(a, float), np.asarray(b, float)
    return bool(np.all(x >= y) and np.any(x > y))


def is_dominated(values: ArrayLike, point: ArrayLike) -> bool:
    """Whether some column of ``values`` dominates ``point``."""
    u = _as_matrix(values)
    p = np.asarray(point, float)[:, None]
    return bool(np.any(np.all(u >= p, axis=0) & np.any(u > p, axis=0)))


def pareto_frontier(values: ArrayLike) -> IntArray:
    """Column indices of the non-dominated outcomes of ``values (parties, outcomes)``."""
    u = _as_matrix(values)
    n, m = u.shape
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    if n == 1:
        return np.flatnonzero(u[0] == u[0].max()).astype(np.int64)
    if n <= 3:
        keep = _prune(u)  # a cheap exact prune before the sort
        if n == 2:
            return keep[_frontier_2d(u[0, keep], u[1, keep])]
        return keep[_frontier_3d(u[0, keep], u[1, keep], u[2, keep])]
    return _frontier_nd(u)


def _prune(u: FloatArray, k: int = 16) -> IntArray:
    """Columns not strictly dominated by one of the ``k`` largest-sum outcomes (exact: a
    strictly dominated outcome is never on the frontier). Survivors are compacted after
    each pivot, so only the first pass touches every outcome."""
    total = u[0].copy()
    for row in u[1:]:
        total += row
    m = total.size
    top = np.arange(m) if m <= k else np.argpartition(total, m - k)[m - k :]
    pivots = u[:, top[np.argsort(-total[top], kind="stable")]]
    keep = np.arange(m, dtype=np.int64)
    cols = u
    for p in pivots.T:
        le = cols[0] <= p[0]
        lt = cols[0] < p[0]
        for row, v in zip(cols[1:], p[1:], strict=True):
            le &= row <= v
            lt |= row < v
        alive = ~(le & lt)
        keep = keep[alive]
        cols = cols[:, alive]
    return keep


def _maxima_2d(y: FloatArray, z: FloatArray) -> IntArray:
    """Indices of the (weakly) maximal points of ``(y, z)``, one per distinct point."""
    order = np.lexsort((-z, -y))
    zs = z[order]
    before = np.empty_like(zs)
    before[0] = -np.inf
    before[1:] = np.maximum.accumulate(zs)[:-1]
    return order[zs > before].astype(np.int64)


def _frontier_3d(x: FloatArray, y: FloatArray, z: FloatArray) -> IntArray:
    order = np.lexsort((-z, -y, -x))
    xs, ys, zs = x[order], y[order], z[order]
    dup = np.zeros(xs.size, dtype=bool)
    dup[1:] = (xs[1:] == xs[:-1]) & (ys[1:] == ys[:-1]) & (zs[1:] == zs[:-1])
    first = np.flatnonzero(~dup)
    on = np.zeros(first.size, dtype=bool)
    on[_sweep_3d(xs[first], ys[first], zs[first])] = True
    return np.sort(order[on[np.cumsum(~dup) - 1]]).astype(np.int64)


def _sweep_3d(x: FloatArray, y: FloatArray, z: FloatArray, chunk: int = 4096) -> IntArray:
    """Frontier of distinct points sorted by ``x`` descending (then ``y``, ``z``): every
    earlier point has ``x`` at least as large, so a point is dominated iff an earlier one
    is weakly above it in ``(y, z)``; the earlier frontier's ``(y, z)`` maxima (a staircase,
    ``y`` descending and ``z`` ascending) answer that by binary search, chunk by chunk."""
    sy, sz = np.zeros(0), np.zeros(0)
    found: list[IntArray] = []
    for start in range(0, x.size, chunk):
        cx, cy, cz = x[start : start + chunk], y[start : start + chunk], z[start : start + chunk]
        if sy.size:
            k = np.searchsorted(-sy, -cy, side="right")  # staircase points with y >= p_y
            alive = np.flatnonzero(np.where(k > 0, sz[np.maximum(k - 1, 0)], -np.inf) < cz)
        else:
            alive = np.arange(cx.size)
        if alive.size == 0:
            continue
        px, py, pz = cx[alive], cy[alive], cz[alive]
        if alive.size <= 512:
            ge = (px[:, None] >= px) & (py[:, None] >= py) & (pz[:, None] >= pz)
            np.fill_diagonal(ge, False)  # distinct points: weakly above = dominating
            new = alive[~ge.any(axis=0)]
        else:
            new = alive[_sweep_3d(px, py, pz, chunk=max(64, chunk // 8))]
        found.append(start + new)
        ys, zs = np.concatenate([sy, cy[new]]), np.concatenate([sz, cz[new]])
        top = _maxima_2d(ys, zs)
        sy, sz = ys[top], zs[top]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _frontier_2d(x: FloatArray, y: FloatArray) -> IntArray:
    order = np.lexsort((-y, -x))
    xs, ys = x[order], y[order]
    new_group = np.empty(xs.size, dtype=bool)
    new_group[0] = True
    new_group[1:] = xs[1:] != xs[:-1]
    starts = np.flatnonzero(new_group)
    group_best = ys[starts]  # largest y of each x group (sorted y descending)
    before = np.empty_like(group_best)
    before[0] = -np.inf
    before[1:] = np.maximum.accumulate(group_best)[:-1]
    group = np.cumsum(new_group) - 1
    keep = (ys == group_best[group]) & (ys > before[group])
    return np.sort(order[keep]).astype(np.int64)


def _frontier_nd(u: FloatArray) -> IntArray:
    n = u.shape[0]
    cols = [np.ascontiguousarray(u[a]) for a in range(n)]
    total = cols[0].copy()
    for c in cols[1:]:
        total += c
    alive = np.arange(u.shape[1], dtype=np.int64)
    found: list[IntArray] = []
    while alive.size:
        m = alive.size
        k = max(1, min(256, _PASS_BUDGET // m))
        if k >= m:
            cand = np.arange(m)
        else:
            threshold = np.partition(total, m - k)[m - k]
            cand = np.flatnonzero(total >= threshold)
        c = np.stack([col[cand] for col in cols])  # (n, candidates)
        ge = np.all(c[:, :, None] >= c[:, None, :], axis=0)
        gt = np.any(c[:, :, None] > c[:, None, :], axis=0)
        pivots = cand[~np.any(ge & gt, axis=0)]
        below = np.zeros(m, dtype=bool)
        equal = np.zeros(m, dtype=bool)
        for p in pivots:
            le = cols[0] <= cols[0][p]
            eq = cols[0] == cols[0][p]
            for col in cols[1:]:
                le &= col <= col[p]
                eq &= col == col[p]
            below |= le
            equal |= eq
        found.append(alive[equal])
        keep = ~below
        alive = alive[keep]
        cols = [col[keep] for col in cols]
        total = total[keep]
    return np.unique(np.concatenate(found)).astype(np.int64)
