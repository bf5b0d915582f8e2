"""Write src/accord/war/data/gauss_legendre.npz: numpy's Gauss-Legendre nodes and weights.

accord.war reads these tables instead of calling ``numpy.polynomial.legendre.leggauss`` at
run time (an eigenvalue solve whose OpenBLAS threads stalled for 2.5 s on a busy machine).
Run single-threaded, once; tests/test_quadrature.py checks the tables against leggauss.

    OPENBLAS_NUM_THREADS=1 python scripts/make_gauss_legendre.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SIZES = (160, 400)  # accord.war.settle and accord.war.fighting
OUT = Path(__file__).resolve().parents[1] / "src/accord/war/data/gauss_legendre.npz"

if __name__ == "__main__":
    tables = {}
    for n in SIZES:
        x, w = np.polynomial.legendre.leggauss(n)
        tables[f"x{n}"], tables[f"w{n}"] = x, w
    np.savez(OUT, **tables)
    print(f"wrote {OUT} (numpy {np.__version__}; sizes {SIZES})")
