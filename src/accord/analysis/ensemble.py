"""A stacked ensemble of back-test predictors, fitted inside training folds only.

Stacking (Wolpert 1992; Breiman 1996): the forecast is a convex combination of the base
predictors' forecasts, :math:`\\hat y = \\sum_j w_j \\hat y_j` with :math:`w_j \\ge 0`,
:math:`\\sum_j w_j = 1`. For each fixed fold the weights minimise the mean absolute error
on the other folds (a linear programme, solved with SciPy's HiGHS),

.. math:: \\min_{w \\in \\Delta} \\sum_{i \\in \\text{train}}
          |y_i - \\textstyle\\sum_j w_j \\hat y_{ij}|,

and predict the fold. Base predictors that are fitted themselves (``Tuned``) predict
out of fold within the training folds. Convex weights keep the forecast on the scale and
between the base forecasts; absolute loss matches the score.

References
----------
* Wolpert, D. H. (1992). Stacked generalization. *Neural Networks* 5(2):241-259.
* Breiman, L. (1996). Stacked regressions. *Machine Learning* 24(1):49-64.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog  # type: ignore[import-untyped]

__all__ = ["simplex_lad"]

Arr = NDArray[np.float64]


def simplex_lad(x: Arr, y: Arr) -> Arr:
    """Convex weights ``w`` (``w >= 0``, ``sum(w) = 1``) minimising ``sum |y - x @ w|``.

    ``x`` has shape ``(n, p)``; ties between equally good weightings go to the solver.
    """
    n, p = x.shape
    cost = np.r_[np.zeros(p), np.ones(2 * n)]
    a_eq = np.block([[x, -np.eye(n), np.eye(n)], [np.ones((1, p)), np.zeros((1, 2 * n))]])
    b_eq = np.r_[y, 1.0]
    res = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if not res.success:  # pragma: no cover - the problem is always feasible and bounded
        raise RuntimeError(f"stacking weights: {res.message}")
    w: Arr = np.clip(np.asarray(res.x[:p], dtype=float), 0.0, None)
    out: Arr = w / w.sum()
    return out


def names_with_weight(names: Sequence[str], w: Arr, least: float = 0.005) -> str:
    """``"a 0.62, b 0.38"``: the base predictors that carry weight, heaviest first."""
    order = np.argsort(-w, kind="stable")
    return ", ".join(f"{names[j]} {w[j]:.2f}" for j in order if w[j] >= least)
