"""Scoring forecasts against outcomes: point errors, intervals, distributions, bootstrap.

Point forecasts (:func:`score`): mean absolute error, median absolute error, root mean
squared error, bias (mean of forecast minus outcome) and the hit rate, the share of
forecasts within ``tolerance`` of the outcome (10 points on a 0-100 scale by default).

Interval forecasts: coverage, the share of outcomes inside ``[lower, upper]``.

Distributions given as samples (``samples`` of shape ``(n, S)``): the continuous ranked
probability score (Gneiting & Raftery 2007, eq. 20),

.. math:: \\mathrm{CRPS}(F, y) = E|X - y| - \\tfrac12 E|X - X'|,

computed exactly for the empirical distribution of the samples with the sorted-sample
identity :math:`E|X - X'| = \\frac{2}{S^2} \\sum_{i=1}^{S} (2i - S - 1) x_{(i)}`. For a
point forecast (one sample) the CRPS is the absolute error.

Uncertainty of a score (:func:`bootstrap_interval`): percentile bootstrap over items
(Efron & Tibshirani 1993), seeded, vectorised over resamples.

References
----------
* Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
  estimation. *JASA* 102(477):359-378.
* Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Scores", "bootstrap_interval", "coverage", "crps_samples", "score"]

Arr = NDArray[np.float64]


@dataclass(frozen=True)
class Scores:
    """Scores of n forecasts; ``coverage`` and ``crps`` only where intervals or samples exist."""

    n: int
    mae: float
    median_ae: float
    rmse: float
    bias: float
    hit_rate: float
    tolerance: float
    coverage: float | None = None
    crps: float | None = None

    def to_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


def crps_samples(samples: ArrayLike, outcomes: ArrayLike) -> Arr:
    """CRPS of each row's empirical distribution of samples against its outcome."""
    x = np.sort(np.atleast_2d(np.asarray(samples, dtype=float)), axis=1)
    y = np.asarray(outcomes, dtype=float).reshape(-1)
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{x.shape[0]} rows of samples for {y.shape[0]} outcomes")
    s = x.shape[1]
    to_outcome = np.abs(x - y[:, None]).mean(axis=1)
    rank_weight = (2.0 * np.arange(1, s + 1) - s - 1.0) / (s * s)
    spread = 2.0 * (x * rank_weight).sum(axis=1)
    out: Arr = to_outcome - 0.5 * spread
    return out


def coverage(lower: ArrayLike, upper: ArrayLike, outcomes: ArrayLike) -> float:
    """Share of outcomes inside their interval (bounds included)."""
    lo, hi, y = (np.asarray(v, dtype=float) for v in (lower, upper, outcomes))
    return float(np.mean((lo <= y) & (y <= hi)))


def score(
    predictions: ArrayLike,
    outcomes: ArrayLike,
    *,
    tolerance: float = 10.0,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    samples: ArrayLike | None = None,
) -> Scores:
    """Score point forecasts (and intervals or sample distributions where given)."""
    p = np.asarray(predictions, dtype=float).reshape(-1)
    y = np.asarray(outcomes, dtype=float).reshape(-1)
    if p.shape != y.shape:
        raise ValueError(f"{p.size} predictions for {y.size} outcomes")
    if p.size == 0:
        raise ValueError("nothing to score")
    if not (np.isfinite(p).all() and np.isfinite(y).all()):
        raise ValueError("predictions and outcomes must be finite")
    err = p - y
    ae = np.abs(err)
    cov = None if lower is None or upper is None else coverage(lower, upper, y)
    crps = None if samples is None else float(crps_samples(samples, y).mean())
    return Scores(
        n=int(p.size),
        mae=float(ae.mean()),
        median_ae=float(np.median(ae)),
        rmse=float(np.sqrt(np.mean(err**2))),
        bias=float(err.mean()),
        hit_rate=float(np.mean(ae <= tolerance)),
        tolerance=tolerance,
        coverage=cov,
        crps=crps,
    )


def bootstrap_interval(
    values: ArrayLike,
    statistic: Callable[[Arr], Arr] = lambda a: a.mean(axis=-1),
    *,
    resamples: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over the items in ``values``.

    ``statistic`` maps an array of shape ``(resamples, n)`` to ``(resamples,)``, e.g.
    ``lambda a: np.median(a, axis=-1)``.
    """
    v = np.asarray(values, dtype=float).reshape(-1)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, v.size, size=(resamples, v.size))
    stats = statistic(v[idx])
    alpha = (1.0 - level) / 2.0
    lo, hi = np.quantile(stats, [alpha, 1.0 - alpha])
    return float(lo), float(hi)
