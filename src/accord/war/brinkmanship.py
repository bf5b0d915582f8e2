"""M7, brinkmanship: the power-risk trade-off and the partner-repositioning cost of escalation.

**Power and risk** -- a *simplified reading* of Powell (2015), taken from the paper's
abstract and a lecture summary, not a replication of its model (accord's design note,
war-termination.md §1 M7). The challenger chooses the power it brings to bear,
``k`` in [0, 1]; its probability of prevailing is :math:`\\pi(k) = \\bar\\pi k^a` and the
probability of catastrophe (uncontrolled nuclear escalation) is :math:`r(k) = \\bar r k^b`,
``b > a``. With resolve certain and favouring the challenger it maximises
:math:`\\pi(k) V_C - r(k) D_C`:

.. math:: k^* = \\min\\Big(1, \\Big[\\frac{a \\bar\\pi V_C}{b \\bar r D_C}\\Big]^{1/(b-a)}\\Big),

so :math:`k^*` falls as the risk :math:`\\bar r` or the cost of catastrophe rises. If the
defender is more resolute with probability :math:`\\varphi_D` it outbids any power the
challenger brings, so (derived here) the gain from power accrues only against an
irresolute defender while the risk is run regardless:

.. math:: \\hat k(\\varphi_D) = \\min\\Big(1, \\Big[\\frac{(1-\\varphi_D)\\, a \\bar\\pi V_C}
          {b \\bar r D_C}\\Big]^{1/(b-a)}\\Big) \\le k^*,

decreasing in :math:`\\varphi_D`. The stability-instability paradox is read as: a conflict
is *limited* when the power chosen is below ``k_limit``; over uncertain stakes ``V_C``, a
sharper trade-off (larger :math:`\\bar r`) makes limited conflict more likely and
high-level conflict less likely (:func:`conflict_levels`).

**Partner repositioning** (derived in the design note; the weights are judgement). Nuclear
use adds an expected economic loss :math:`E = Y_R \\sum_j \\tau_j \\varphi_j` (``Y_R``
the challenger's external trade, ``tau_j`` partner j's share of it, ``phi_j`` the
probability that j curtails trade after nuclear use; worked example: Russia with China,
India and Brazil). The challenger escalates iff

.. math:: \\Delta V_C > r_{use} D_C + E.

References
----------
* Schelling, T. C. (1960). *The Strategy of Conflict*; (1966) *Arms and Influence*.
* Powell, R. (2015). Nuclear brinkmanship, limited war, and military power.
  *International Organization* 69(3), 589-626.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from accord.errors import ModelError
from accord.war._common import WarResult, as_array, check_range, scalar_or_array

__all__ = ["conflict_levels", "escalation", "optimal_power"]


def optimal_power(
    pi_bar: ArrayLike,
    a: ArrayLike,
    r_bar: ArrayLike,
    b: ArrayLike,
    V: ArrayLike,
    D: ArrayLike,
    *,
    phi_D: ArrayLike = 0.0,
) -> WarResult:
    """The challenger's power k* (``phi_D = 0``) or its cap k̂(phi_D).

    Parameters
    ----------
    pi_bar, a : P(prevail) = pi_bar·k**a, pi_bar in [0, 1], a > 0.
    r_bar, b : P(catastrophe) = r_bar·k**b, r_bar in [0, 1], b > a.
    V, D : the challenger's value of prevailing and cost of catastrophe, >= 0.
    phi_D : probability that the defender is the more resolute side.

    Returns
    -------
    WarResult with ``k_star``, ``p_prevail``, ``p_catastrophe``, ``value``
    (``p_prevail·(1 - phi_D)·V - p_catastrophe·D``) and ``interior`` (k* < 1).
    """
    pb = check_range("pi_bar", pi_bar, 0.0, 1.0)
    a_ = check_range("a", a, 0.0, lo_open=True)
    rb = check_range("r_bar", r_bar, 0.0, 1.0)
    b_ = check_range("b", b, 0.0, lo_open=True)
    v = check_range("V", V, 0.0)
    d = check_range("D", D, 0.0)
    ph = check_range("phi_D", phi_D, 0.0, 1.0)
    pb, a_, rb, b_, v, d, ph = np.broadcast_arrays(pb, a_, rb, b_, v, d, ph)
    if (b_ <= a_).any():
        i = int(np.argmax(b_ <= a_))
        raise ModelError(
            "must exceed a (risk must rise faster than power)", path="b", value=float(b_.flat[i])
        )
    gain = (1 - ph) * a_ * pb * v
    cost = b_ * rb * d
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(cost > 0, gain / np.where(cost > 0, cost, 1.0), np.inf)
        k = np.where(gain > 0, np.minimum(1.0, ratio ** (1.0 / (b_ - a_))), 0.0)
    p_prevail = pb * k**a_
    p_cat = rb * k**b_
    return WarResult.of(
        "optimal_power",
        dict(
            pi_bar=pb,
            a=a_,
            r_bar=rb,
            b=b_,
            V=v,
            D=d,
            phi_D=ph,
            k_star=k,
            p_catastrophe=p_cat,
        ),
        p_prevail=scalar_or_array(p_prevail),
        value=scalar_or_array(p_prevail * (1 - ph) * v - p_cat * d),
        interior=scalar_or_array(k < 1),
    )


def conflict_levels(
    pi_bar: ArrayLike,
    a: ArrayLike,
    r_bar: ArrayLike,
    b: ArrayLike,
    V_draws: ArrayLike,
    D: ArrayLike,
    *,
    k_limit: float = 0.5,
    phi_D: ArrayLike = 0.0,
) -> WarResult:
    """P(limited conflict) and P(high-level conflict) over uncertain stakes.

    ``V_draws`` holds draws of the challenger's stakes along its last axis; the other
    parameters broadcast against the remaining axes. A draw is a limited conflict when
    ``0 < k* < k_limit`` and a high-level one when ``k* >= k_limit``.
    """
    draws = as_array("V_draws", V_draws)
    if draws.ndim == 0 or draws.shape[-1] == 0:
        raise ModelError("must hold at least one draw", path="V_draws", value=draws.tolist())
    kl = float(check_range("k_limit", k_limit, 0.0, 1.0, lo_open=True))
    args = [np.asarray(x, dtype=float)[..., None] for x in (pi_bar, a, r_bar, b, D, phi_D)]
    res = optimal_power(args[0], args[1], args[2], args[3], draws, args[4], phi_D=args[5])
    k = np.asarray(res["k_star"])
    limited = ((k > 0) & (k < kl)).mean(axis=-1)
    high = (k >= kl).mean(axis=-1)
    return WarResult.of(
        "conflict_levels",
        dict(
            p_limited=np.asarray(limited),
            p_high=np.asarray(high),
        ),
        k_limit=kl,
    )


def escalation(
    delta_V: ArrayLike,
    r_use: ArrayLike,
    D: ArrayLike,
    Y: ArrayLike,
    tau: ArrayLike,
    phi: ArrayLike,
) -> WarResult:
    """Does the challenger escalate once partners' reactions are counted?

    Parameters
    ----------
    delta_V : gain from escalating (same units as ``D`` and ``Y``, e.g. $bn).
    r_use : probability that use leads to catastrophe.
    D : cost of catastrophe.
    Y : the challenger's external trade.
    tau : partners' shares of that trade (last axis = partners; sum <= 1).
    phi : each partner's probability of curtailing trade after use (last axis = partners).

    Returns
    -------
    WarResult with ``E`` (expected trade loss), ``loss_by_partner`` (``Y·tau·phi``),
    ``threshold`` (``r_use·D + E``: the gain needed), ``escalate`` and ``margin``.
    """
    dv = check_range("delta_V", delta_V)
    ru = check_range("r_use", r_use, 0.0, 1.0)
    d = check_range("D", D, 0.0)
    y = check_range("Y", Y, 0.0)
    t = check_range("tau", tau, 0.0, 1.0)
    ph = check_range("phi", phi, 0.0, 1.0)
    if t.ndim == 0 or ph.ndim == 0:
        raise ModelError("needs one entry per partner (a list)", path="tau/phi")
    if (t.sum(axis=-1) > 1 + 1e-9).any():
        raise ModelError("partners' trade shares sum above 1", path="tau", value=t.tolist())
    by_partner = y[..., None] * t * ph
    e = by_partner.sum(axis=-1)
    threshold = ru * d + e
    shape = np.broadcast_shapes(dv.shape, threshold.shape)
    threshold = np.broadcast_to(threshold, shape)
    dv = np.broadcast_to(dv, shape)
    return WarResult.of(
        "escalation",
        dict(
            delta_V=np.asarray(dv),
            E=np.broadcast_to(e, shape).copy(),
            threshold=threshold.copy(),
            escalate=dv > threshold,
            margin=dv - threshold,
        ),
        loss_by_partner=by_partner,
    )
