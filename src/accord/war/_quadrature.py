"""Gauss-Legendre nodes and weights on [-1, 1] without a run-time eigenvalue solve.

``numpy.polynomial.legendre.leggauss`` finds the nodes as eigenvalues of the companion
matrix (LAPACK); on a machine whose cores are busy, OpenBLAS's spinning threads made that
one call take 2.5 s instead of 0.01 s. The sizes accord uses are tabulated from leggauss
itself (``data/gauss_legendre.npz``, written by ``scripts/make_gauss_legendre.py``), so
the numbers are leggauss's to the bit; any other size is found by Newton's iteration on
the three-term recurrence of the Legendre polynomials (elementwise NumPy, no linear
algebra; agrees with leggauss to ~1e-15, tests/test_quadrature.py).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

__all__ = ["TABULATED", "leggauss"]

F = NDArray[np.float64]
TABULATED = (160, 400)


@lru_cache(maxsize=8)
def leggauss(n: int) -> tuple[F, F]:
    """Nodes (ascending) and weights of n-point Gauss-Legendre quadrature on [-1, 1]."""
    if n in TABULATED:
        with resources.files("accord.war").joinpath("data/gauss_legendre.npz").open("rb") as f:
            table = np.load(f)
            x, w = table[f"x{n}"], table[f"w{n}"]
    else:
        x, w = _newton(n)
    x.flags.writeable = False
    w.flags.writeable = False
    return x, w


def _newton(n: int) -> tuple[F, F]:
    """Roots of P_n by Newton's method from Tricomi's estimates, w = 2 / ((1 - x²) P_n'²).

    Near ±1 these weights are closer to the exact ones than leggauss's (n = 400: the
    outermost weight's relative error 3e-12 against 6e-10, checked with mpmath at 40 digits).
    """
    if n < 1:
        raise ValueError(f"need at least one node (got {n})")
    k = np.arange(1, n + 1)
    x = np.cos(np.pi * (k - 0.25) / (n + 0.5))
    for _ in range(100):
        p, dp = _legendre_and_derivative(n, x)
        dx = p / dp
        x = x - dx
        if np.abs(dx).max() < 1e-16:
            break
    _, dp = _legendre_and_derivative(n, x)
    w = 2.0 / ((1.0 - x) * (1.0 + x) * dp * dp)
    order = np.argsort(x)
    x, w = x[order], w[order]
    return (x - x[::-1]) / 2, (w + w[::-1]) / 2  # symmetric, as leggauss makes them


def _legendre_and_derivative(n: int, x: F) -> tuple[F, F]:
    p0, p1 = np.ones_like(x), x.copy()
    for j in range(2, n + 1):
        p0, p1 = p1, ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
    if n == 1:
        return p1, np.ones_like(x)
    return p1, n * (x * p1 - p0) / ((x - 1.0) * (x + 1.0))
