"""M4, commitment problems, power shifts and security guarantees.

**Power shift** (Fearon 1995; Powell 2006, "large, rapid shifts in the distribution of
power can lead to war"). The declining side A wins with probability ``p`` now and ``q < p``
from the next period on; the rising side cannot commit to give A more than A's later war
value. In the two-phase reduction with flow payoffs derived in accord's design note
(war-termination.md §1 M4), A fights now iff

.. math:: \\delta\\,(p - q) > (1 - \\delta)\\,(1 - p + d_A),

with ``delta`` the per-period discount factor and ``d_A`` A's per-period war cost. War is
more likely the larger the shift and the more patient A is.

**Guarantees as shift-reducers** (design note, derived there). Guarantee strength
``g`` in [0, 1] (a guarantee issue) moves side A's post-ceasefire win probability to
``q_A(g) = q_A0 + gamma_A·g`` (less fear that B rearms) and side B's to
``q_B(g) = q_B0 - gamma_B·g`` (more fear of an armed and guaranteed A). A now wins with
``p``, B with ``1 - p``. Applying the condition to each side, A keeps the peace iff
``gamma_A·g >= L_A`` and B iff ``gamma_B·g <= H_B`` (worked example: A = Ukraine fearing
that Russia rearms, B = Russia and its "root causes" fear of a Western-armed Ukraine):

.. math::
    L_A = p - q_{U0} - \\frac{1-\\delta}{\\delta}(1 - p + d_A), \\qquad
    H_B = \\frac{1-\\delta}{\\delta}(p + d_B) - (1 - p - q_{R0}).

The **commitment window** is the set of ``g`` in [0, 1] meeting both: with
``gamma_A, gamma_B > 0`` it is ``[max(0, L_A/gamma_A), min(1, H_B/gamma_B)]``, non-empty iff

.. math:: \\max(0, L_A/\\gamma_A) \\le \\min(1, H_B/\\gamma_B).

(With ``gamma = 0`` a side's condition holds for every ``g`` or for none.) For plausible
``gamma`` the window can be empty: then war persists whatever the territorial split.

**Reiter extension** (Reiter 2009): when an actor's perceived probability that the other
side reneges, ``rho``, exceeds a threshold ``rho_bar``, its acceptable set on the alliance
and guarantee issues collapses to its ideal point ("absolute war aims"). Calibration
evidence (worked example): 86.7% of Ukrainians expect Russia to attack again after a freeze.

References
----------
* Fearon, J. D. (1995). Rationalist explanations for war. *IO* 49(3), 379-414.
* Powell, R. (2006). War as a commitment problem. *IO* 60(1), 169-203.
* Krainin, C. (2017). Preventive war as a result of long-term shifts in power. *PSRM*.
* Reiter, D. (2009). *How Wars End*. Princeton UP.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.war._common import WarResult, check_range, scalar_or_array

__all__ = ["acceptable_set", "commitment_window", "power_shift", "shift_terms"]


def power_shift(p: ArrayLike, q: ArrayLike, delta: ArrayLike, d: ArrayLike) -> WarResult:
    """Does the declining side fight now rather than face a worse balance later?

    Returns
    -------
    WarResult with ``war`` (``lhs > rhs``), ``lhs = delta·(p - q)``,
    ``rhs = (1 - delta)·(1 - p + d)``, ``margin = lhs - rhs`` and ``critical_shift``,
    the smallest shift ``p - q`` that causes war.
    """
    p_ = check_range("p", p, 0.0, 1.0)
    q_ = check_range("q", q, 0.0, 1.0)
    dl = check_range("delta", delta, 0.0, 1.0, lo_open=True, hi_open=True)
    d_ = check_range("d", d, 0.0)
    p_, q_, dl, d_ = np.broadcast_arrays(p_, q_, dl, d_)
    lhs, rhs = shift_terms(p_, q_, dl, d_)
    return WarResult.of(
        "power_shift",
        dict(
            p=p_,
            q=q_,
            delta=dl,
            d=d_,
            lhs=lhs,
            rhs=rhs,
            margin=lhs - rhs,
            war=lhs > rhs,
        ),
        critical_shift=scalar_or_array(rhs / dl),
    )


def shift_terms(
    p: ArrayLike, q: ArrayLike, delta: ArrayLike, d: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The two sides of the power-shift condition, ``lhs = δ(p - q)`` and
    ``rhs = (1 - δ)(1 - p + d)`` (war iff ``lhs > rhs``), without :func:`power_shift`'s
    checks: for a caller that has checked its inputs once (the settlement engine)."""
    p_, q_, dl, d_ = (np.asarray(v, dtype=float) for v in (p, q, delta, d))
    lhs: NDArray[np.float64] = dl * (p_ - q_)
    rhs: NDArray[np.float64] = (1 - dl) * (1 - p_ + d_)
    return lhs, rhs


def _side_bound(num: np.ndarray, gamma: np.ndarray, lower: bool) -> np.ndarray:
    """The bound on g from gamma·g >= num (lower) or gamma·g <= num (upper)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = num / np.where(gamma > 0, gamma, 1.0)
    if lower:  # gamma·g >= num
        return np.where(gamma > 0, ratio, np.where(num <= 0, -np.inf, np.inf))
    return np.where(gamma > 0, ratio, np.where(num >= 0, np.inf, -np.inf))


def commitment_window(
    p: ArrayLike,
    q_A0: ArrayLike,
    q_B0: ArrayLike,
    gamma_A: ArrayLike,
    gamma_B: ArrayLike,
    delta: ArrayLike,
    d_A: ArrayLike,
    d_B: ArrayLike,
    *,
    rho_A: ArrayLike = 0.0,
    rho_B: ArrayLike = 0.0,
    rho_bar: ArrayLike = 1.0,
    ideal_A: ArrayLike = 1.0,
    ideal_B: ArrayLike = 0.0,
) -> WarResult:
    """The guarantee strengths g in [0, 1] at which neither side prefers to fight now.

    Parameters
    ----------
    p : side A's win probability now (B's is 1 - p).
    q_A0, q_B0 : each side's post-ceasefire win probability without guarantees.
    gamma_A, gamma_B : how much a full guarantee (g = 1) raises A's and lowers B's
        post-ceasefire win probability (>= 0).
    delta : per-period discount factor in (0, 1).
    d_A, d_B : per-period war costs.
    rho_A, rho_B, rho_bar : perceived reneging probabilities and the Reiter threshold; a
        side with ``rho > rho_bar`` accepts only its ideal guarantee (``ideal_A``,
        ``ideal_B``).

    Returns
    -------
    WarResult with ``low`` and ``high`` (the window; NaN when empty), ``nonempty``,
    ``bound_A = L_A/gamma_A`` and ``bound_B = H_B/gamma_B`` (the unclipped bounds, ±inf
    where gamma = 0), ``peace_A0``/``peace_B0`` (each side's no-war condition at g = 0)
    and ``absolute_A``/``absolute_B`` (Reiter collapse).
    """
    p_ = check_range("p", p, 0.0, 1.0)
    qu = check_range("q_A0", q_A0, 0.0, 1.0)
    qr = check_range("q_B0", q_B0, 0.0, 1.0)
    gu = check_range("gamma_A", gamma_A, 0.0)
    gr = check_range("gamma_B", gamma_B, 0.0)
    dl = check_range("delta", delta, 0.0, 1.0, lo_open=True, hi_open=True)
    du = check_range("d_A", d_A, 0.0)
    dr = check_range("d_B", d_B, 0.0)
    ru = check_range("rho_A", rho_A, 0.0, 1.0)
    rr = check_range("rho_B", rho_B, 0.0, 1.0)
    rb = check_range("rho_bar", rho_bar, 0.0, 1.0)
    iu = check_range("ideal_A", ideal_A, 0.0, 1.0)
    ir = check_range("ideal_B", ideal_B, 0.0, 1.0)
    p_, qu, qr, gu, gr, dl, du, dr, ru, rr, rb, iu, ir = np.broadcast_arrays(
        p_, qu, qr, gu, gr, dl, du, dr, ru, rr, rb, iu, ir
    )
    k = (1 - dl) / dl
    num_u = p_ - qu - k * (1 - p_ + du)
    num_r = k * (p_ + dr) - (1 - p_ - qr)
    bound_u = _side_bound(num_u, gu, lower=True)
    bound_r = _side_bound(num_r, gr, lower=False)
    lo = np.maximum(0.0, bound_u)
    hi = np.minimum(1.0, bound_r)
    absolute_u = ru > rb
    absolute_r = rr > rb
    # Reiter: a side with absolute aims accepts only its ideal g (if its condition holds there)
    ok_iu = (iu >= lo) & (iu <= hi)
    lo = np.where(absolute_u, np.where(ok_iu, iu, np.inf), lo)
    hi = np.where(absolute_u, np.where(ok_iu, iu, -np.inf), hi)
    ok_ir = (ir >= lo) & (ir <= hi)
    lo = np.where(absolute_r, np.where(ok_ir, ir, np.inf), lo)
    hi = np.where(absolute_r, np.where(ok_ir, ir, -np.inf), hi)
    nonempty = lo <= hi
    notes = []
    if (gu == 0).any() or (gr == 0).any():
        notes.append(
            "where a gamma is 0 guarantees do not move that side: its condition holds for "
            "every g or for none (bound ±inf)"
        )
    return WarResult.of(
        "commitment_window",
        dict(
            p=p_,
            q_A0=qu,
            q_B0=qr,
            gamma_A=gu,
            gamma_B=gr,
            delta=dl,
            low=np.where(nonempty, lo, np.nan),
            high=np.where(nonempty, hi, np.nan),
            nonempty=nonempty,
        ),
        notes=notes,
        bound_A=scalar_or_array(bound_u),
        bound_B=scalar_or_array(bound_r),
        peace_A0=scalar_or_array(num_u <= 0),
        peace_B0=scalar_or_array(num_r >= 0),
        absolute_A=scalar_or_array(absolute_u),
        absolute_B=scalar_or_array(absolute_r),
    )


def acceptable_set(
    low: ArrayLike, high: ArrayLike, ideal: ArrayLike, rho: ArrayLike, rho_bar: ArrayLike
) -> WarResult:
    """Reiter (2009): an actor's acceptable interval, collapsed to its ideal if rho > rho_bar.

    Returns ``low``, ``high`` and ``absolute`` (the collapse happened).
    """
    lo = check_range("low", low)
    hi = check_range("high", high)
    idl = check_range("ideal", ideal)
    r = check_range("rho", rho, 0.0, 1.0)
    rb = check_range("rho_bar", rho_bar, 0.0, 1.0)
    lo, hi, idl, r, rb = np.broadcast_arrays(lo, hi, idl, r, rb)
    absolute = r > rb
    return WarResult.of(
        "acceptable_set",
        dict(
            low=np.where(absolute, idl, lo),
            high=np.where(absolute, idl, hi),
            absolute=absolute,
        ),
    )
