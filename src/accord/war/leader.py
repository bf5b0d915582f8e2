"""M10 (part 2): the leader's survival, gambling for resurrection, and war aims as a type.

**The leader's utility** (design note M10; *derived here* as a minimal implementable
reading of Goemans 2000 and Chiozza & Goemans 2011):

.. math:: U_L(y) = u_{state}(y) + B\\,(1 - r(y))

with ``B`` the value of office (pie units) and ``r(y)`` the removal-and-punishment risk
after outcome ``y``. ``r`` depends on the *loss relative to expectations*
``ℓ = clip((ref - share)/ref, 0, 1)`` (0 = the leader got what it expected, 1 = it got
nothing) through a regime-shaped curve, normalised so that ``r(0) = 0`` and
``r(1) = r_max``:

* ``democracy``: ``r = r_max·ℓ`` (smooth: removed after moderate or disastrous defeat,
  rarely punished harshly, Goemans 2000 ch. 2);
* ``autocracy``: a logistic step at ``ℓ = 0.8`` (width 0.06): ``r ≈ 0`` until a
  disastrous loss (a repressive leader survives a moderate defeat);
* ``mixed``: a logistic step at ``ℓ = 0.2`` (width 0.06): ``r`` is near its maximum
  already after a moderate loss (neither protected by repression nor cushioned by a
  mild democratic exit: "gambling for resurrection").

The step positions and widths (:data:`REGIMES`) are shared judgement, one reading of
Goemans' qualitative argument, the same for every scenario.

An outside power's **survival guarantee** with cover ``c`` lowers the risk after a
settlement it covers to ``(1 - c)·r(y)`` (the 2023 commentary's China that wants "a peace
which can save Putin's skin").

**Gambling for resurrection** (:func:`gamble`): continuing yields "recover" with
probability ``q`` (``r = 0``) or "disaster" (``r = r_d``); settling now a moderate loss
(``r = r_m``). The leader continues iff

.. math:: B\\,(r_m - (1-q)\\,r_d) > u_{settle} - u_{continue}

while the unitary state (``B = 0``) continues iff the right-hand side (the state's net
cost of continuing) is negative. With ``r_m = r_d`` the condition reads ``q·B·r_d`` >
net cost; with ``r_m = 0`` (an autocrat after a moderate loss) the leader settles
whenever the state does.

**War aims as a private type** (:func:`aims_posterior`): the opponent's prior that the
leader's aims are unlimited is ``μ``; an offer the limited type accepts and the unlimited
type rejects, when rejected, moves it to ``μ' = μ/(μ + (1 - μ)·ε)`` with ``ε`` the
probability that the limited type rejects it anyway (by mistake or for reputation); the
general form is Bayes' rule with ``P(reject | θ)`` for both types.

References
----------
* Goemans, H. E. (2000). *War and Punishment*. Princeton UP.
* Chiozza, G. & Goemans, H. E. (2011). *Leaders and International Conflict*. Cambridge UP.
* Croco, S. E. (2011). The decider's dilemma. *APSR* 105(3), 457-477.
* Bueno de Mesquita, B., Smith, A., Siverson, R. & Morrow, J. (2003). *The Logic of
  Political Survival*. MIT Press.
* Fearon, J. D. (1995). Rationalist explanations for war. *IO* 49(3) (screening types, M2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError
from accord.war._common import WarResult, check_range

__all__ = ["REGIMES", "aims_posterior", "gamble", "leader_utility", "loss", "removal_risk"]

F = NDArray[np.float64]

REGIMES: dict[str, tuple[float, float] | None] = {
    "democracy": None,
    "autocracy": (0.8, 0.06),
    "mixed": (0.2, 0.06),
}
"""Regime -> (centre, width) of the logistic removal step on the loss; ``None`` = linear.
Shared judgement (one reading of Goemans 2000), not a fact of any scenario."""


def _check_regime(regime: str) -> tuple[float, float] | None:
    if regime not in REGIMES:
        raise ModelError(f"must be one of {', '.join(REGIMES)}", path="regime", value=regime)
    return REGIMES[regime]


def loss(share: ArrayLike, ref: ArrayLike) -> F:
    """``ℓ = clip((ref - share)/ref, 0, 1)``: the loss relative to expectations."""
    s = np.asarray(share, dtype=float)
    r = np.asarray(ref, dtype=float)
    out: F = np.clip((r - s) / np.maximum(r, 1e-12), 0.0, 1.0)
    return out


def removal_risk(ell: ArrayLike, regime: str, r_max: ArrayLike = 1.0) -> F:
    """The Goemans-shaped removal risk ``r(ℓ)`` on ``ℓ ∈ [0, 1]`` (``r(0)=0``,
    ``r(1)=r_max``)."""
    shape = _check_regime(regime)
    e = np.clip(np.asarray(ell, dtype=float), 0.0, 1.0)
    rm = check_range("r_max", r_max, 0.0, 1.0)
    if shape is None:
        out: F = rm * e
        return out
    c, w = shape

    def sig(v: F | float) -> F:
        return np.asarray(1.0 / (1.0 + np.exp(-(np.asarray(v) - c) / w)), dtype=float)

    lo, hi = sig(0.0), sig(1.0)
    out = rm * (sig(e) - lo) / (hi - lo)
    return out


def leader_utility(u_state: ArrayLike, office: ArrayLike, risk: ArrayLike) -> F:
    """``U_L = u_state + B·(1 - r)``."""
    out: F = np.asarray(u_state, dtype=float) + np.asarray(office, dtype=float) * (
        1.0 - np.asarray(risk, dtype=float)
    )
    return out


def gamble(
    q: ArrayLike,
    office: ArrayLike,
    r_moderate: ArrayLike,
    r_disaster: ArrayLike,
    net_cost: ArrayLike,
    cover: ArrayLike = 0.0,
) -> WarResult:
    """Settle now (a moderate loss) or fight on (recover with ``q``, else disaster)?

    ``net_cost`` is the state's net cost of continuing (``u_settle - u_continue``, pie
    units); ``cover`` an outside power's guarantee of the leader's survival after the
    settlement (``r_m -> (1 - cover)·r_m``). Returns ``leader_continues``,
    ``state_continues`` (the unitary model, ``B = 0``), ``gambles`` (the leader fights on
    where the state would settle) and ``gap`` (the leader's premium for continuing over
    the state's: ``B·(r_m' - (1-q)·r_d)``).
    """
    q_ = check_range("q", q, 0.0, 1.0)
    b = check_range("office", office, 0.0)
    rm = check_range("r_moderate", r_moderate, 0.0, 1.0)
    rd = check_range("r_disaster", r_disaster, 0.0, 1.0)
    c = check_range("cover", cover, 0.0, 1.0)
    nc = np.asarray(net_cost, dtype=float)
    gap = b * ((1.0 - c) * rm - (1.0 - q_) * rd)
    leader = gap > nc
    state = np.asarray(nc < 0.0)
    return WarResult.of(
        "gamble (Goemans 2000; derived here)",
        {
            "q": q_,
            "office": b,
            "r_moderate": rm,
            "r_disaster": rd,
            "cover": c,
            "net_cost": nc,
            "gap": gap,
            "leader_continues": leader,
            "state_continues": state,
            "gambles": leader & ~state,
        },
    )


def aims_posterior(
    mu: ArrayLike, eps: ArrayLike, reject_unlimited: ArrayLike = 1.0, rejected: bool = True
) -> WarResult:
    """Bayes' rule on the leader's war aims after an offer is rejected (or accepted).

    ``mu``: prior that the aims are unlimited; ``eps``: P(the limited type rejects);
    ``reject_unlimited``: P(the unlimited type rejects) (1: the offer is unacceptable to
    it). After a rejection ``μ' = μ·ρ_U/(μ·ρ_U + (1-μ)·ε)``, with ``ρ_U = 1`` the closed
    form ``μ/(μ + (1-μ)ε)``; after an acceptance the complements. ``ε = 0`` with a
    rejection gives ``μ' = 1``.
    """
    m = check_range("mu", mu, 0.0, 1.0)
    e = check_range("eps", eps, 0.0, 1.0)
    ru = check_range("reject_unlimited", reject_unlimited, 0.0, 1.0)
    pu, pl = (ru, e) if rejected else (1.0 - ru, 1.0 - e)
    den = m * pu + (1.0 - m) * pl
    if np.any(den <= 0):
        raise ModelError(
            "the observed action has probability 0 under both types", path="eps", value=e.tolist()
        )
    post = m * pu / den
    return WarResult.of(
        "aims_posterior (Bayes' rule; design note M10)",
        {"mu": m, "eps": e, "reject_unlimited": ru, "posterior": post},
        rejected=rejected,
    )
