"""Lemke's complementary pivoting with free variables and a lexicographic ratio test.

Solves a mixed linear complementarity problem written as equations ``T v = rhs`` over
variables v, of which some pairs (w_k, z_k) must be complementary (w_k z_k = 0, both ≥ 0),
some are free (never leave the basis), and one, z0, is the artificial variable of
Lemke (1965). The caller supplies an almost-complementary feasible basis containing z0
and the variable to enter first; the algorithm pivots until z0 leaves (a solution) or the
entering column has no positive entry in a non-free row (a ray: an error).

Degeneracy is resolved lexicographically relative to the starting basis: rows are
compared on (value, row of B⁻¹B₀) / pivot entry, which keeps every non-free row
lexico-positive and so excludes cycling (Dantzig, Orden & Wolfe 1955).

References
----------
* Lemke, C. E. (1965). Bimatrix equilibrium points and mathematical programming.
  *Management Science* 11(7), 681-689.
* Koller, D., Megiddo, N. & von Stengel, B. (1996). Efficient computation of equilibria for
  extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.errors import ModelError

__all__ = ["lemke"]

FloatArray = NDArray[np.float64]


def lemke(
    t_mat: FloatArray,
    rhs: FloatArray,
    basis: Sequence[int],
    enter: int,
    complement: Sequence[int],
    free: Sequence[bool],
    z0: int,
    *,
    max_pivots: int = 100_000,
    eps: float = 1e-9,
    zero_tol: float = 1e-12,
    refactor_every: int = 500,
) -> tuple[FloatArray, int]:
    """Pivot from ``basis`` (one variable per row) entering ``enter`` until ``z0`` leaves.

    Returns the values of all variables and the number of pivots. For floating-point
    robustness, entries below ``zero_tol`` are set to zero after each pivot, pivots must
    exceed ``eps`` (relative to the largest entry of ``t_mat``), and the tableau is
    recomputed from ``t_mat`` every ``refactor_every`` pivots.
    """
    n_var = t_mat.shape[1]
    b0 = np.asarray(basis, dtype=int)
    try:
        inv = np.linalg.inv(t_mat[:, b0])
    except np.linalg.LinAlgError:
        raise ModelError("singular starting basis", path="lemke") from None
    tab = np.hstack([inv @ t_mat, (inv @ rhs)[:, None]])
    tab[np.abs(tab) < zero_tol] = 0.0
    lex_cols = np.concatenate([[n_var], b0])  # value column, then B^-1 B0 (= identity now)
    cur = b0.copy()
    free_arr = np.asarray(free, dtype=bool)
    scale = max(1.0, float(np.abs(t_mat).max()))
    since_refactor = 0
    for step in range(max_pivots):
        if since_refactor >= refactor_every:
            tab = _refactor(t_mat, rhs, cur)
            since_refactor = 0
        col = tab[:, enter]
        ok = (col > eps * scale) & ~free_arr[cur]
        cand = np.flatnonzero(ok)
        if cand.size == 0:
            raise ModelError(
                "Lemke's algorithm ended on a ray (no equilibrium found from this start)",
                path="lemke",
                value=step,
            )
        r = _lex_min_row(tab, col, cand, lex_cols)
        piv = tab[r] / tab[r, enter]
        piv[np.abs(piv) < zero_tol] = 0.0
        rows = np.flatnonzero(col)
        rows = rows[rows != r]
        # only the rows with a nonzero in the entering column change
        block = tab[rows] - np.outer(col[rows], piv)
        # keep exact zeros exact: degenerate ties are decided by the lexicographic rule,
        # not by round-off
        block[np.abs(block) < zero_tol] = 0.0
        tab[rows] = block
        tab[r] = piv
        since_refactor += 1
        leaving = int(cur[r])
        cur[r] = enter
        if leaving == z0:
            values = np.zeros(n_var)
            values[cur] = tab[:, n_var]
            return values, step + 1
        enter = int(complement[leaving])
        if enter < 0:
            raise ModelError("a free variable left the basis", path="lemke", value=leaving)
    raise ModelError("Lemke's algorithm did not finish", path="max_pivots", value=max_pivots)


def _refactor(t_mat: FloatArray, rhs: FloatArray, basis: NDArray[np.int_]) -> FloatArray:
    """The tableau of ``basis`` computed afresh (bounds round-off growth)."""
    try:
        tab = np.linalg.solve(t_mat[:, basis], np.hstack([t_mat, rhs[:, None]]))
    except np.linalg.LinAlgError:
        raise ModelError("singular basis during Lemke's algorithm", path="lemke") from None
    tab[np.abs(tab) < 1e-12] = 0.0
    return np.asarray(tab)


def _lex_min_row(
    tab: FloatArray, col: FloatArray, cand: NDArray[np.int_], lex_cols: NDArray[np.int_]
) -> int:
    """The candidate row whose (value, B⁻¹B₀ row) / pivot is lexicographically smallest."""
    ratios = tab[cand, lex_cols[0]] / col[cand]
    best = ratios.min()
    cand = cand[ratios <= best + 1e-12 * max(1.0, abs(best))]
    start = 1
    while cand.size > 1 and start < lex_cols.size:
        sub = tab[np.ix_(cand, lex_cols[start:])] / col[cand, None]
        spread = sub.max(axis=0) - sub.min(axis=0)
        differ = np.flatnonzero(spread > 1e-12 * np.maximum(1.0, np.abs(sub).max(axis=0)))
        if differ.size == 0:
            break
        j = int(differ[0])
        colj = sub[:, j]
        low = colj.min()
        cand = cand[colj <= low + 1e-12 * max(1.0, abs(low))]
        start += j + 1
    return int(cand[0])
