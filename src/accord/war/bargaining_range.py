"""M1, the bargaining range (Fearon 1995): when a settlement both sides prefer to war exists.

Two belligerents divide a pie measured as Ukraine's share ``x`` in [0, 1] (on territory,
``x = T/100``). War is a costly lottery: Ukraine prevails with probability ``p`` and pays
``c_U``, Russia pays ``c_R`` (pie units). With utilities normalised to ``u(0) = 0`` and
``u(1) = 1``, Ukraine accepts ``x`` iff ``u_U(x) >= p - c_U`` and Russia iff
``u_R(1 - x) >= 1 - p - c_R`` (Fearon 1995, pp. 386-388).

* Risk neutrality gives the range :math:`[p - c_U,\\ p + c_R]`: its width is
  :math:`c_U + c_R > 0` whatever ``p``, so a settlement always exists.
* Concave utilities :math:`u_i(x) = x^{\\rho_i}`, :math:`0 < \\rho_i \\le 1` give
  :math:`[(p - c_U)^{1/\\rho_U},\\ 1 - (1 - p - c_R)^{1/\\rho_R}]`: risk aversion widens the
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
    c_U: ArrayLike,
    c_R: ArrayLike,
    *,
    rho_U: ArrayLike = 1.0,
    rho_R: ArrayLike = 1.0,
) -> WarResult:
    """The set of Ukraine's shares both sides prefer to war.

    Parameters
    ----------
    p : probability that Ukraine prevails (Ukraine's expected share from fighting).
    c_U, c_R : costs of war in pie units, >= 0.
    rho_U, rho_R : utility exponents in (0, 1]; 1 is risk neutrality, below 1 risk aversion.

    Returns
    -------
    WarResult with ``low`` (Ukraine's minimum), ``high`` (Russia's maximum concession),
    ``width``, ``empty`` (no split acceptable to both), ``midpoint`` (the middle of the
    range's part inside the pie [0, 1]: the split-the-difference settlement), ``war_value_U`` and
    ``war_value_R`` (``p - c_U`` and ``1 - p - c_R``).
    """
    p_ = check_range("p", p, 0.0, 1.0)
    cu = check_range("c_U", c_U, 0.0)
    cr = check_range("c_R", c_R, 0.0)
    ru = check_range("rho_U", rho_U, 0.0, 1.0, lo_open=True)
    rr = check_range("rho_R", rho_R, 0.0, 1.0, lo_open=True)
    p_, cu, cr, ru, rr = np.broadcast_arrays(p_, cu, cr, ru, rr)
    value_u = p_ - cu
    value_r = 1.0 - p_ - cr
    # risk neutrality in the exact form p - c_U, p + c_R (no rounding through 1 - ...)
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
            c_U=cu,
            c_R=cr,
            low=low,
            high=high,
            width=width,
            empty=width < 0,
            midpoint=(np.clip(low, 0, 1) + np.clip(high, 0, 1)) / 2,
        ),
        notes=notes,
        war_value_U=scalar_or_array(value_u),
        war_value_R=scalar_or_array(value_r),
    )


def indivisible_settlement(
    p: ArrayLike,
    c_U: ArrayLike,
    c_R: ArrayLike,
    feasible: ArrayLike,
    *,
    side_payment: ArrayLike = 0.0,
) -> WarResult:
    """Settlement when only the splits in ``feasible`` can be agreed (risk neutrality).

    Parameters
    ----------
    p, c_U, c_R : as in :func:`bargaining_range`.
    feasible : the possible splits (1-d, Ukraine's share in [0, 1]).
    side_payment : the largest transfer (pie units, either way) that can top up a split.

    Returns
    -------
    WarResult with ``exists`` (some split, topped up by at most ``side_payment``, lies in
    the range), ``split`` (the feasible split nearest the range's midpoint among those that
    work; NaN if none), ``transfer`` (the payment it needs, + from Russia to Ukraine) and
    ``gap`` (the smallest distance from any feasible split to the range; 0 if one is
    inside).
    """
    xs = check_range("feasible", feasible, 0.0, 1.0)
    if xs.ndim != 1 or xs.size == 0:
        raise ModelError("must be a non-empty list of splits", path="feasible", value=xs.tolist())
    s = check_range("side_payment", side_payment, 0.0)
    rng = bargaining_range(p, c_U, c_R)
    low = np.asarray(rng["low"])[..., None]
    high = np.asarray(rng["high"])[..., None]
    sp = s[..., None]
    # transfer t moves Ukraine's payoff from x to x + t; the least |t| putting x in range
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
