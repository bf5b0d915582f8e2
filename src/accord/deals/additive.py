"""The Pareto frontier of linear-additive utilities, issue by issue (derived here).

For utilities that add up over issues, ``u(x) = Σ_k c_k(x_k)``, the space is a Minkowski
sum of per-issue point sets, and ``frontier(A ⊕ B) ⊆ frontier(A) ⊕ frontier(B)``: if ``a`` is
dominated by ``a'``, then ``a + b`` is dominated by (or, after floating-point rounding, equal
to) ``a' + b``. So the frontier is built by adding one issue at a time and keeping only the
frontier of the partial sums: ``F_1 = frontier(C_1)``, ``F_k = frontier(F_{k-1} ⊕ C_k)``. The
partial sums are formed in the same order as :func:`~accord.deals.utility.utility_matrix`'s
outer sum, so every value is bit-identical to the matrix; the final frontier's utility
vectors are then exactly the matrix frontier's, and every matrix column carrying one of them
is returned (ties kept, including packages that rounding made identical).

The work grows with the frontier's size times the issues' sizes rather than with the
number of packages, which makes many-party analyses of large spaces feasible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.deals.pareto import pareto_frontier
from accord.deals.space import OutcomeSpace
from accord.deals.utility import LinearAdditive, Utility
from accord.errors import ModelError

__all__ = ["additive_frontier", "applies"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def applies(space: OutcomeSpace, utilities: Sequence[Utility]) -> bool:
    """Whether :func:`additive_frontier` can be used: linear-additive, no constraints."""
    return not space.constraints and all(isinstance(u, LinearAdditive) for u in utilities)


def additive_frontier(
    space: OutcomeSpace, utilities: Sequence[Utility], values: FloatArray
) -> IntArray:
    """Columns of ``values`` (the dense utility matrix of ``space``, flat order) on the
    Pareto frontier, found issue by issue."""
    if not applies(space, utilities):
        raise ModelError("needs linear-additive utilities on a space without constraints")
    if values.shape != (len(utilities), space.cardinality):
        raise ModelError("values must be the dense utility matrix of the space", value=values.shape)
    per_party = [u.columns(space) for u in utilities if isinstance(u, LinearAdditive)]
    n = len(per_party)
    sums = np.stack([per_party[a][0] for a in range(n)])  # (n, size_0)
    picks = np.arange(space.issues[0].size, dtype=np.int64)[None, :]  # (issues so far, s)
    keep = pareto_frontier(sums)
    sums, picks = sums[:, keep], picks[:, keep]
    for k in range(1, len(space.issues)):
        col = np.stack([per_party[a][k] for a in range(n)])  # (n, size_k)
        size = col.shape[1]
        cand = (sums[:, :, None] + col[:, None, :]).reshape(n, -1)
        keep = pareto_frontier(cand)
        prev, this = np.divmod(keep, size)
        sums = cand[:, keep]
        picks = np.vstack([picks[:, prev], this[None, :]])
    return _columns_with(values, sums)


def _columns_with(values: FloatArray, vectors: FloatArray) -> IntArray:
    """Every column of ``values`` equal to one of the columns of ``vectors``."""
    mask = np.ones(values.shape[1], dtype=bool)
    for a in range(values.shape[0]):
        mask &= np.isin(values[a], vectors[a])
    wanted = {tuple(v) for v in vectors.T.tolist()}
    cand = np.flatnonzero(mask)
    hit = [
        j
        for j, v in zip(cand.tolist(), values[:, cand].T.tolist(), strict=True)
        if tuple(v) in wanted
    ]
    return np.asarray(hit, dtype=np.int64)
