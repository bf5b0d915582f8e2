"""M6, mediation with bias and leverage: who can talk a side into settling, and for how long.

**Credibility** (Kydd 2003). A cheap-talk mediator is believed when it advises restraint
only if it is "effectively on your side": an unbiased mediator who only wants to avoid
war always says the opponent is resolute, so its advice carries no information. Stylised
test condition (*derived here*, design note war-termination.md §1 M6): the side asked to
concede chooses between a safe demand ``x_safe`` (accepted by every type of its
opponent) and a risky ``x_risky > x_safe`` (accepted only by an irresolute opponent); the
mediator sees a signal after which the opponent is resolute with probability ``r_L`` (a
low-resolve signal). Its report "the opponent is weak" is credible, and so is its advice
to concede after the other signal, iff it would itself want the risky demand then:

.. math:: (1 - r_L)\\, u_M(x_{risky}) + r_L\\, u_M(\\text{war}) \\ge u_M(x_{safe})

(:func:`kydd_credibility`). With :math:`u_M(x) = b\\,x` (``b`` in [0, 1], the mediator's
bias toward the side it advises) and :math:`u_M(\\text{war}) = b\\,w - k` (``w`` that
side's expected share from war, ``k > 0`` the mediator's own cost of war) the margin is

.. math:: b\\,[(1-r_L)x_{risky} + r_L w - x_{safe}] - r_L k,

so a pure war-minimiser (``b = 0``) is never credible when :math:`r_L > 0`, and
credibility rises with the bias toward the side asked to concede whenever the risky demand
pays that side in expectation; the least credible bias is
:math:`b^* = r_L k / [(1-r_L)x_{risky} + r_L w - x_{safe}]`
(:func:`mediator_credibility`). Worked example: China, biased toward Russia, is credible
advising Russia to restrain and not credible advising Ukraine.

**Bias and settlement** (Favretto 2009: highly biased powers can credibly enforce by force,
unbiased ones act as brokers, intermediate bias fails). Stylised U-shape (*derived here*, a
reading of the result, not Favretto's model):

.. math:: P(\\text{settle} \\mid b) = p_0 + (1 - p_0)
          \\big[\\beta_{br}(1-|b|)^{\\kappa} + \\beta_{f}|b|^{\\kappa}\\big],
          \\quad \\kappa > 1,

convex in :math:`|b|` with the interior argmin
:math:`b^* = 1 / (1 + (\\beta_f/\\beta_{br})^{1/(\\kappa-1)})` (:func:`settlement_by_bias`).

**Leverage** (Beardsley 2008, 2011: leverage buys short-term agreement but less durable
peace as it fades; a 2021 reanalysis finds manipulative mediation associated with more
stability that fades after several years). Leverage :math:`L_t = L_0 \\lambda^t` on each
side widens the range to :math:`[p - c_A - L_A,\\ p + c_B + L_B]`
(:func:`leverage_range`). A deal ``x`` outside the natural range
:math:`[p - c_A,\\ p + c_B]` lies ``gap`` beyond it (:func:`range_gap`); once
:math:`L_t` no longer covers the gap the relapse hazard rises (M9's leverage-decay term,
:func:`accord.war.durability.leverage_decay_term`), so P(relapse) rises with the distance
and with :math:`1 - \\lambda` (:func:`leverage_relapse`).

Defaults shared by every scenario (judgement; sweep them): ``WAR_COST`` (the mediator's
cost of war, pie units) 0.1, ``SIGNAL`` (``r_L``) 0.2, ``FAVRETTO`` (``p_base`` 0.1,
``broker`` 0.5, ``force`` 0.6, ``kappa`` 2: an honest broker settles a little less often
than a committed patron, and a half-hearted one least).

References
----------
* Kydd, A. (2003). Which side are you on? Bias, credibility, and mediation. *AJPS* 47(4),
  597-611.
* Favretto, K. (2009). Should peacemakers take sides? Major power mediation, coercion, and
  bias. *APSR* 103(2), 248-263.
* Beardsley, K. (2008). Agreement without peace? International mediation and time
  inconsistency problems. *AJPS* 52(4), 723-740; (2011) *The Mediation Dilemma*. Cornell UP.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from accord.errors import ModelError
from accord.war._common import WarResult, check_range, scalar_or_array
from accord.war.durability import BASE_HAZARD, KAPPA, relapse_probability

__all__ = [
    "FAVRETTO",
    "SIGNAL",
    "WAR_COST",
    "kydd_credibility",
    "leverage_range",
    "leverage_relapse",
    "mediator_credibility",
    "range_gap",
    "settlement_by_bias",
]

WAR_COST = 0.1
"""The mediator's own cost of war in pie units (judgement)."""

SIGNAL = 0.2
"""r_L: P(the opponent is resolute) after the mediator's low-resolve signal (judgement)."""

FAVRETTO = {"p_base": 0.1, "broker": 0.5, "force": 0.6, "kappa": 2.0}
"""Shape of P(settle | bias) (judgement)."""


def kydd_credibility(
    u_safe: ArrayLike, u_risky: ArrayLike, u_war: ArrayLike, r_L: ArrayLike
) -> WarResult:
    """Kydd's truth-telling condition for any mediator utilities.

    ``u_safe``, ``u_risky``, ``u_war``: the mediator's utility of the safe demand, of the
    risky demand being accepted, and of war; ``r_L`` in [0, 1].

    Returns ``credible`` and ``margin = (1 - r_L)·u_risky + r_L·u_war - u_safe``.
    """
    us = check_range("u_safe", u_safe)
    ur = check_range("u_risky", u_risky)
    uw = check_range("u_war", u_war)
    r = check_range("r_L", r_L, 0.0, 1.0)
    margin = (1 - r) * ur + r * uw - us
    return WarResult.of("kydd_credibility", dict(margin=margin, credible=margin >= 0))


def mediator_credibility(
    bias: ArrayLike,
    x_safe: ArrayLike,
    x_risky: ArrayLike,
    war_share: ArrayLike,
    *,
    r_L: ArrayLike = SIGNAL,
    war_cost: ArrayLike = WAR_COST,
) -> WarResult:
    """Is a mediator with bias ``b`` toward the side it advises credible (Kydd 2003)?

    Parameters
    ----------
    bias : the mediator's bias toward the side asked to concede, in [0, 1] (0 = a pure
        war-minimiser, indifferent between splits).
    x_safe, x_risky : that side's share under the safe and the risky demand (pie units of
        its own share; ``x_risky > x_safe``).
    war_share : that side's expected share from war.
    r_L : P(opponent resolute) after a low-resolve signal, in [0, 1].
    war_cost : the mediator's own cost of war (pie units, >= 0).

    Returns
    -------
    WarResult with ``credible``, ``margin`` (the truth-telling margin), ``bias_needed``
    (the least credible bias b*: 0 if any bias is, +inf if none in [0, inf) is) and
    ``risky_pays`` (``(1 - r_L)·x_risky + r_L·war_share > x_safe``).
    """
    b = check_range("bias", bias, 0.0, 1.0)
    xs = check_range("x_safe", x_safe)
    xr = check_range("x_risky", x_risky)
    w = check_range("war_share", war_share)
    r = check_range("r_L", r_L, 0.0, 1.0)
    k = check_range("war_cost", war_cost, 0.0)
    b, xs, xr, w, r, k = np.broadcast_arrays(b, xs, xr, w, r, k)
    if (xr <= xs).any():
        i = int(np.argmax(xr <= xs))
        raise ModelError(
            "must exceed x_safe (the risky demand asks for more)",
            path="x_risky",
            value=float(xr.flat[i]),
        )
    pays = (1 - r) * xr + r * w - xs
    res = kydd_credibility(b * xs, b * xr, b * w - k, r)
    need_cost = r * k
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        needed = np.where(
            need_cost <= 0,
            0.0,
            np.where(pays > 0, need_cost / np.where(pays > 0, pays, 1.0), np.inf),
        )
    return WarResult.of(
        "mediator_credibility",
        dict(
            bias=b,
            margin=res.margin,
            credible=res.credible,
            bias_needed=needed,
            risky_pays=pays > 0,
        ),
    )


def settlement_by_bias(
    bias: ArrayLike,
    *,
    p_base: ArrayLike = FAVRETTO["p_base"],
    broker: ArrayLike = FAVRETTO["broker"],
    force: ArrayLike = FAVRETTO["force"],
    kappa: ArrayLike = FAVRETTO["kappa"],
) -> WarResult:
    """Favretto's U-shape: P(settle | bias) and its interior argmin (*derived here*).

    Parameters
    ----------
    bias : the mediator's bias in [-1, 1] (its sign names the side; the shape uses |b|).
    p_base : the settlement probability no mediator effect adds to, in [0, 1].
    broker, force : the effect of an honest broker (at b = 0) and of a fully committed
        patron (|b| = 1), each in [0, 1], ``broker + force <= 1`` not required.
    kappa : curvature, > 1.

    Returns
    -------
    WarResult with ``p_settle``, ``argmin`` (the bias of lowest P(settle)), ``p_min``
    (P(settle) there) and ``interior`` (0 < argmin < 1).
    """
    b = check_range("bias", bias, -1.0, 1.0)
    p0 = check_range("p_base", p_base, 0.0, 1.0)
    br = check_range("broker", broker, 0.0, 1.0)
    fo = check_range("force", force, 0.0, 1.0)
    kp = check_range("kappa", kappa, 1.0, lo_open=True)
    b, p0, br, fo, kp = np.broadcast_arrays(b, p0, br, fo, kp)
    ab = np.abs(b)

    def shape(x: np.ndarray) -> np.ndarray:
        return np.clip(p0 + (1 - p0) * (br * (1 - x) ** kp + fo * x**kp), 0.0, 1.0)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = np.where(br > 0, fo / np.where(br > 0, br, 1.0), np.inf)
        argmin = np.where(
            br <= 0, 0.0, np.where(fo <= 0, 1.0, 1.0 / (1.0 + ratio ** (1.0 / (kp - 1.0))))
        )
    return WarResult.of(
        "settlement_by_bias",
        dict(
            bias=b,
            p_settle=shape(ab),
            argmin=argmin,
            p_min=shape(argmin),
            interior=(argmin > 0) & (argmin < 1),
        ),
    )


def leverage_range(
    p: ArrayLike,
    c_A: ArrayLike,
    c_B: ArrayLike,
    t: ArrayLike,
    *,
    L0_A: ArrayLike = 0.0,
    L0_B: ArrayLike = 0.0,
    lam: ArrayLike = 1.0,
) -> WarResult:
    """Beardsley's leverage: the bargaining range widened by ``L_t = L0·lam**t`` on each side.

    Parameters
    ----------
    p, c_A, c_B : as in :func:`accord.war.bargaining_range` (risk neutrality).
    t : months since the leverage was applied (>= 0).
    L0_A, L0_B : the leverage on side A (lowering A's minimum) and on side B (raising B's
        maximum concession), pie units >= 0.
    lam : monthly decay factor in [0, 1] (1 = leverage that lasts).

    Returns
    -------
    WarResult with ``L_A``, ``L_B`` (leverage at t), ``low = p - c_A - L_A``, ``high = p +
    c_B + L_B``, ``natural_low`` and ``natural_high`` (the range without leverage).
    """
    p_ = check_range("p", p, 0.0, 1.0)
    ca = check_range("c_A", c_A, 0.0)
    cb = check_range("c_B", c_B, 0.0)
    t_ = check_range("t", t, 0.0)
    la = check_range("L0_A", L0_A, 0.0)
    lb = check_range("L0_B", L0_B, 0.0)
    lm = check_range("lam", lam, 0.0, 1.0)
    p_, ca, cb, t_, la, lb, lm = np.broadcast_arrays(p_, ca, cb, t_, la, lb, lm)
    decay = lm**t_
    l_a, l_b = la * decay, lb * decay
    return WarResult.of(
        "leverage_range",
        dict(
            t=t_,
            L_A=l_a,
            L_B=l_b,
            low=p_ - ca - l_a,
            high=p_ + cb + l_b,
            natural_low=p_ - ca,
            natural_high=p_ + cb,
        ),
    )


def range_gap(x: ArrayLike, p: ArrayLike, c_A: ArrayLike, c_B: ArrayLike) -> WarResult:
    """How far a deal ``x`` (side A's share) lies outside the natural range, and who loses.

    Returns ``gap`` (``max(0, p - c_A - x, x - p - c_B)``, pie units) and ``pushed``
    (``"A"`` when x is below A's minimum, ``"B"`` when above B's maximum, ``""`` inside).
    """
    x_ = check_range("x", x)
    p_ = check_range("p", p, 0.0, 1.0)
    ca = check_range("c_A", c_A, 0.0)
    cb = check_range("c_B", c_B, 0.0)
    x_, p_, ca, cb = np.broadcast_arrays(x_, p_, ca, cb)
    below = p_ - ca - x_
    above = x_ - p_ - cb
    gap = np.maximum(0.0, np.maximum(below, above))
    pushed = np.where(below > 0, "A", np.where(above > 0, "B", ""))
    return WarResult.of("range_gap", dict(gap=gap, pushed=pushed))


def leverage_relapse(
    x: ArrayLike,
    p: ArrayLike,
    c_A: ArrayLike,
    c_B: ArrayLike,
    L0: ArrayLike,
    lam: ArrayLike,
    months: int,
    *,
    base_hazard: ArrayLike = BASE_HAZARD,
    kappa: ArrayLike = KAPPA,
) -> WarResult:
    """P(relapse within ``months``) of a deal ``x`` bought with leverage ``L0`` decaying at ``lam``.

    ``L0`` is the leverage on the side the deal pushes below its war value (see
    :func:`range_gap`). The hazard is M9's with no agreement features:
    ``base_hazard·(1 + kappa·max(0, gap - L0·lam**t))``.

    Returns
    -------
    WarResult with ``gap``, ``bought`` (``L0 >= gap``: the leverage covered the gap when the
    deal was made), ``covered_months`` (months until ``L0·lam**t < gap``: 0 if never
    covered, +inf if the leverage never fades below it), ``p_relapse`` and ``survival``
    (S(t), t = 0..months on the last axis).
    """
    g = np.asarray(range_gap(x, p, c_A, c_B).gap)
    l0 = check_range("L0", L0, 0.0)
    lm = check_range("lam", lam, 0.0, 1.0)
    g, l0, lm = np.broadcast_arrays(g, l0, lm)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fades = np.log(np.where(g > 0, g, 1.0) / np.where(l0 > 0, l0, 1.0)) / np.log(
            np.where((lm > 0) & (lm < 1), lm, 0.5)
        )
    covered = np.where(
        g <= 0,
        np.inf,
        np.where(l0 < g, 0.0, np.where(lm >= 1, np.inf, np.where(lm <= 0, 1.0, fades))),
    )
    pr = relapse_probability(months, base_hazard=base_hazard, gap=g, L0=l0, lam=lm, kappa=kappa)
    return WarResult.of(
        "leverage_relapse",
        dict(
            gap=g,
            bought=l0 >= g,
            covered_months=covered,
            p_relapse=pr.p_relapse,
        ),
        survival=pr.survival,
        months=int(months),
        p_relapse_natural=scalar_or_array(
            np.asarray(relapse_probability(months, base_hazard=base_hazard).p_relapse)
        ),
    )
