"""M1, the bargaining range (Fearon 1995): when a settlement both sides prefer to war exists.

Two belligerents, side A and side B, divide a pie measured as side A's share ``x`` in
[0, 1]. War is a costly lottery: A prevails with probability ``p`` and pays ``c_A``, B pays
``c_B`` (pie units). With utilities normalised to ``u(0) = 0`` and ``u(1) = 1``, A accepts
``x`` iff ``u_A(x) >= p - c_A`` and B iff ``u_B(1 - x) >= 1 - p - c_B`` (Fearon 1995,
pp. 386-388). Worked example: A = Ukraine, B = Russia, the pie is territory,
``x = T/100``.

* Risk neutrality gives the range :math:`[p - c_A,\\ p + c_B]`: its width is
  :math:`c_A + c_B > 0` whatever ``p``, so a settlement always exists.
* Concave utilities :math:`u_i(x) = x^{\\rho_i}`, :math:`0 < \\rho_i \\le 1` give
  :math:`[(p - c_A)^{1/\\rho_A},\\ 1 - (1 - p - c_B)^{1/\\rho_B}]`: risk aversion widens the
  range (Fearon 1995, p. 388). Where a war value is negative every split is acceptable to
  that side and the linear bound is reported.
* Indivisibility: only the splits in a finite set ``X`` are possible. A settlement needs
  ``X`` to meet the range; with side payments of up to ``s`` (pie units) it needs a split
  within ``s`` of the range (Fearon 1995, pp. 389-390; the discrete variant feeds M5).

The bounds are the acceptance thresholds themselves, not clipped to [0, 1]: a bound below 0
or above 1 says that side would accept even the extreme split.

References
----------
* Fearon, J. D. (1995). Rationalist explanations for war. *International Organization*
  49(3), 379-414.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from accord.errors import ModelError
from accord.war._common import WarResult, check_range, scalar_or_array

__all__ = ["bargaining_range", "indivisible_settlement"]


def _threshold(value: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """The share x with u(x) = value for u(x) = x**rho (linear below 0)."""
    pos = np.maximum(value, 0.0)
    return np.where(value > 0, pos ** (1.0 / rho), value)


def bargaining_range(
    p: ArrayLike,
    c_A: ArrayLike,
    c_B: ArrayLike,
    *,
    rho_A: ArrayLike = 1.0,
    rho_B: ArrayLike = 1.0,
) -> WarResult:
    """The set of side A's shares both sides prefer to war.

    Parameters
    ----------
    p : probability that side A prevails (A's expected share from fighting).
    c_A, c_B : costs of war in pie units, >= 0.
    rho_A, rho_B : utility exponents in (0, 1]; 1 is risk neutrality, below 1 risk aversion.

    Returns
    -------
    WarResult with ``low`` (A's minimum), ``high`` (B's maximum concession),
    ``width``, ``empty`` (no split acceptable to both), ``midpoint`` (the middle of the
    range's part inside the pie [0, 1]: the split-the-difference settlement), ``war_value_A`` and
    ``war_value_B`` (``p - c_A`` and ``1 - p - c_B``).
    """
    p_ = check_range("p", p, 0.0, 1.0)
    cu = check_range("c_A", c_A, 0.0)
    cr = check_range("c_B", c_B, 0.0)
    ru = check_range("rho_A", rho_A, 0.0, 1.0, lo_open=True)
    rr = check_range("rho_B", rho_B, 0.0, 1.0, lo_open=True)
    p_, cu, cr, ru, rr = np.broadcast_arrays(p_, cu, cr, ru, rr)
    value_u = p_ - cu
    value_r = 1.0 - p_ - cr
    # risk neutrality in the exact form p - c_A, p + c_B (no rounding through 1 - ...)
    low = np.where(ru == 1, value_u, _threshold(value_u, ru))
    high = np.where(rr == 1, p_ + cr, 1.0 - _threshold(value_r, rr))
    width = high - low
    notes = []
    if (low < 0).any() or (high > 1).any():
        notes.append(
            "a bound lies outside [0, 1]: that side would accept every split up to the edge "
            "of the pie (the midpoint uses the part of the range inside the pie)"
        )
    return WarResult.of(
        "bargaining_range",
        dict(
            p=p_,
            c_A=cu,
            c_B=cr,
            low=low,
            high=high,
            width=width,
            empty=width < 0,
            midpoint=(np.clip(low, 0, 1) + np.clip(high, 0, 1)) / 2,
        ),
        notes=notes,
        war_value_A=scalar_or_array(value_u),
        war_value_B=scalar_or_array(value_r),
    )


def indivisible_settlement(
    p: ArrayLike,
    c_A: ArrayLike,
    c_B: ArrayLike,
    feasible: ArrayLike,
    *,
    side_payment: ArrayLike = 0.0,
) -> WarResult:
    """Settlement when only the splits in ``feasible`` can be agreed (risk neutrality).

    Parameters
    ----------
    p, c_A, c_B : as in :func:`bargaining_range`.
    feasible : the possible splits (1-d, side A's share in [0, 1]).
    side_payment : the largest transfer (pie units, either way) that can top up a split.

    Returns
    -------
    WarResult with ``exists`` (some split, topped up by at most ``side_payment``, lies in
    the range), ``split`` (the feasible split nearest the range's midpoint among those that
    work; NaN if none), ``transfer`` (the payment it needs, + from B to A) and
    ``gap`` (the smallest distance from any feasible split to the range; 0 if one is
    inside).
    """
    xs = check_range("feasible", feasible, 0.0, 1.0)
    if xs.ndim != 1 or xs.size == 0:
        raise ModelError("must be a non-empty list of splits", path="feasible", value=xs.tolist())
    s = check_range("side_payment", side_payment, 0.0)
    rng = bargaining_range(p, c_A, c_B)
    low = np.asarray(rng["low"])[..., None]
    high = np.asarray(rng["high"])[..., None]
    sp = s[..., None]
    # transfer t moves A's payoff from x to x + t; the least |t| putting x in range
    below = low - xs
    above = xs - high
    need = np.where(xs < low, below, np.where(xs > high, -above, 0.0))
    dist = np.abs(need)
    gap = dist.min(axis=-1)
    ok = dist <= sp + 1e-15
    mid = (low + high) / 2
    score = np.where(ok, np.abs(xs - mid), np.inf)
    best = np.argmin(score, axis=-1)
    exists = ok.any(axis=-1)
    split = np.where(exists, xs[best], np.nan)
    transfer = np.where(exists, np.take_along_axis(need, best[..., None], -1)[..., 0], np.nan)
    shape = np.broadcast_shapes(gap.shape, exists.shape)
    return WarResult.of(
        "indivisible_settlement",
        dict(
            low=rng["low"],
            high=rng["high"],
            exists=np.broadcast_to(exists, shape),
            split=np.broadcast_to(split, shape),
            transfer=np.broadcast_to(transfer, shape),
            gap=np.broadcast_to(gap, shape),
        ),
        feasible=xs,
    )
