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

The pivoting is *revised*: no tableau is kept. B⁻¹ is a sparse LU of the basis at the
last refactorisation (SuperLU, ``scipy.sparse.linalg.splu``) times the product of the
pivots' eta matrices since (the product form of the inverse, Dantzig & Orchard-Hays
1954). A pivot solves for the entering column only (B⁻¹a) and updates the basic values;
rows of B⁻¹B₀ are computed only for the rows whose ratios tie. The values at the end are
solved afresh from the final basis.

References
----------
* Lemke, C. E. (1965). Bimatrix equilibrium points and mathematical programming.
  *Management Science* 11(7), 681-689.
* Koller, D., Megiddo, N. & von Stengel, B. (1996). Efficient computation of equilibria for
  extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
* Dantzig, G. B. & Orchard-Hays, W. (1954). The product form for the inverse in the
  simplex method. *Mathematical Tables and Other Aids to Computation* 8(46), 64-67.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse  # type: ignore[import-untyped]
from scipy.sparse.linalg import splu  # type: ignore[import-untyped]

from accord.errors import ModelError

__all__ = ["lemke"]

ETA_ROWS = 64  # the basis is also refactorised once this many rows have left since the last

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
    exceed ``eps`` (relative to the largest entry of ``t_mat``), and the basis is
    factorised afresh from ``t_mat`` every ``refactor_every`` pivots (and whenever
    ``ETA_ROWS`` different rows have left the basis since the last time).
    """
    n_rows, n_var = t_mat.shape
    free_var = np.asarray(free, dtype=bool)
    cols = sparse.csc_matrix(t_mat)
    b0 = np.asarray(basis, dtype=int)
    # B₀'s non-free columns: the lexicographic rule compares rows of B⁻¹B₀ there (in free
    # rows, which the ratio test never compares, the free columns are unit vectors)
    lex_b0 = cols[:, b0[~free_var[b0]]]
    cur = b0.copy()
    scale = max(1.0, float(np.abs(t_mat).max()))
    inv = _Inverse(cols, cur, refactor_every, "singular starting basis")
    beta = inv.solve(rhs)
    beta[np.abs(beta) < zero_tol] = 0.0
    for step in range(max_pivots):
        if inv.full():
            inv = _Inverse(cols, cur, refactor_every, "singular basis during Lemke's algorithm")
            beta = inv.solve(rhs)
            beta[np.abs(beta) < zero_tol] = 0.0
        col = inv.solve(_column(cols, enter, n_rows))
        col[np.abs(col) < zero_tol] = 0.0
        cand = np.flatnonzero((col > eps * scale) & ~free_var[cur])
        if cand.size == 0:
            raise ModelError(
                "Lemke's algorithm ended on a ray (no equilibrium found from this start)",
                path="lemke",
                value=step,
            )
        r = _lex_min_row(beta, col, cand, inv, lex_b0, zero_tol)
        theta = beta[r] / col[r]
        beta -= theta * col
        beta[r] = theta
        # keep exact zeros exact: degenerate ties are decided by the lexicographic rule,
        # not by round-off
        beta[np.abs(beta) < zero_tol] = 0.0
        inv.update(r, col)
        leaving = int(cur[r])
        cur[r] = enter
        if leaving == z0:
            # the values afresh from the final basis (no round-off carried along the path)
            beta = _Inverse(cols, cur, 1, "singular final basis").solve(rhs)
            beta[np.abs(beta) < zero_tol] = 0.0
            values = np.zeros(n_var)
            values[cur] = beta
            return values, step + 1
        enter = int(complement[leaving])
        if enter < 0:
            raise ModelError("a free variable left the basis", path="lemke", value=leaving)
    raise ModelError("Lemke's algorithm did not finish", path="max_pivots", value=max_pivots)


def _column(cols: sparse.csc_matrix, j: int, n_rows: int) -> FloatArray:
    out = np.zeros(n_rows)
    lo, hi = cols.indptr[j], cols.indptr[j + 1]
    out[cols.indices[lo:hi]] = cols.data[lo:hi]
    return out


class _Inverse:
    """B⁻¹ of the current basis as G·B_f⁻¹: a sparse LU of the basis B_f at the last
    refactorisation (SuperLU) and the product G of the pivots since (product form: each
    pivot's eta matrix differs from I in one column, so G differs from I only in the
    columns ``slot`` of the rows that have left since, kept dense in ``g``)."""

    def __init__(self, cols: sparse.csc_matrix, basis: NDArray[np.int_], every: int, why: str):
        n = int(cols.shape[0])
        try:
            self.lu = splu(sparse.csc_matrix(cols[:, basis]))
        except RuntimeError:
            raise ModelError(why, path="lemke") from None
        self.g: FloatArray = np.zeros((ETA_ROWS, n))  # G's columns, stored as rows
        self.at: list[int] = []  # the row of each column of G kept in g
        self.pivots = 0
        self.every = every
        self.slot = np.full(n, -1)

    def full(self) -> bool:
        return len(self.at) >= ETA_ROWS or self.pivots >= self.every

    def _apply_g(self, w: FloatArray) -> FloatArray:
        k = len(self.at)
        if k == 0:
            return w
        at = np.asarray(self.at)
        wr = w[at]
        w[at] = 0.0
        return np.asarray(w + wr @ self.g[:k])

    def solve(self, a: FloatArray) -> FloatArray:
        """B⁻¹a."""
        return self._apply_g(np.asarray(self.lu.solve(a), dtype=float))

    def rows(self, rows: NDArray[np.int_]) -> FloatArray:
        """The given rows of B⁻¹."""
        k = len(self.at)
        u = np.zeros((rows.size, self.g.shape[1]))
        u[np.arange(rows.size), rows] = 1.0
        if k:
            u[:, self.at] = self.g[:k, rows].T
        return np.asarray(self.lu.solve(np.ascontiguousarray(u.T), trans="T"), dtype=float).T

    def update(self, r: int, col: FloatArray) -> None:
        """After pivoting on row r with entering column ``col`` = B⁻¹a: G ← E⁻¹G with
        E⁻¹ = I − (col − e_r) e_rᵀ / col_r."""
        if self.slot[r] < 0:
            self.slot[r] = len(self.at)
            self.at.append(r)
            self.g[self.slot[r], r] = 1.0
        k = len(self.at)
        grow = self.g[:k, r] / col[r]
        self.g[:k] -= grow[:, None] * col
        self.g[:k, r] = grow
        self.pivots += 1


def _lex_min_row(
    beta: FloatArray,
    col: FloatArray,
    cand: NDArray[np.int_],
    inv: _Inverse,
    b0_cols: sparse.csc_matrix,
    zero_tol: float,
) -> int:
    """The candidate row whose (value, B⁻¹B₀ row) / pivot is lexicographically smallest
    (the rows of B⁻¹B₀ are computed only when values tie)."""
    ratios = beta[cand] / col[cand]
    best = ratios.min()
    cand = cand[ratios <= best + 1e-12 * max(1.0, abs(best))]
    if cand.size == 1:
        return int(cand[0])
    lex = np.asarray(inv.rows(cand) @ b0_cols)
    lex[np.abs(lex) < zero_tol] = 0.0
    lex /= col[cand, None]
    start = 0
    while cand.size > 1 and start < lex.shape[1]:
        sub = lex[:, start:]
        spread = sub.max(axis=0) - sub.min(axis=0)
        differ = np.flatnonzero(spread > 1e-12 * np.maximum(1.0, np.abs(sub).max(axis=0)))
        if differ.size == 0:
            break
        j = int(differ[0])
        colj = sub[:, j]
        low = colj.min()
        keep = colj <= low + 1e-12 * max(1.0, abs(low))
        cand, lex = cand[keep], lex[keep]
        start += j + 1
    return int(cand[0])
