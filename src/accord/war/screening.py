"""M2, private information: the risk-return trade-off and screening offers.

War can happen although a bargaining range exists, because the offerer does not know how
much the other side will take (Fearon 1995, pp. 390-401; Powell 2004; Filson & Werner 2002).

**Continuous type** (derived in accord's design note; the textbook risk-return result).
Side A offers; side B's cost ``c_B ~ U[0, c_bar]`` is private. B accepts A's share ``x``
iff ``c_B >= x - p``; A maximises

.. math:: [1 - (x-p)/\\bar c]\\, x + [(x-p)/\\bar c]\\,(p - c_A),

so :math:`x^* = p + (\\bar c - c_A)/2` and :math:`P(\\text{war}) = (\\bar c - c_A)/(2\\bar c)`
when :math:`c_A < \\bar c`; otherwise :math:`x^* = p` and war never happens. ``P(war)``
rises with the uncertainty :math:`\\bar c` and falls with the offerer's own cost. The pie
caps the offer at 1 (flagged in ``capped``): the objective is concave, so the capped
offer is optimal.

**Two types** (derived in the design note; the screening logic of Powell 2004 and Filson &
Werner 2002). Offerer A, receiver B; offers are A's share. B is strong with prior ``mu``;
A wins with ``p_s`` against the strong type and ``p_w > p_s`` against the weak. The safe
offer ``p_s + c_B`` is accepted by both types, the risky ``p_w + c_B`` only by the weak.
The risky offer is optimal iff

.. math:: \\mu < \\mu^* = \\frac{p_w - p_s}{p_w - p_s + c_A + c_B}.

Battles then update ``mu`` by Bayes (:func:`posterior_strong`) until ``mu >= mu*`` and the
offerer settles.

References
----------
* Fearon, J. D. (1995). Rationalist explanations for war. *IO* 49(3), 379-414.
* Powell, R. (2004). Bargaining and learning while fighting. *AJPS* 48(2), 344-361.
* Filson, D. & Werner, S. (2002). A bargaining model of war and peace. *AJPS* 46(4),
  819-837.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from accord.errors import ModelError
from accord.war._common import WarResult, check_range, scalar_or_array

__all__ = ["posterior_strong", "screen_continuous", "screen_two_types"]


def screen_continuous(p: ArrayLike, c_A: ArrayLike, c_bar: ArrayLike) -> WarResult:
    """Side A's optimal offer against side B's cost uniform on [0, c_bar].

    Returns
    -------
    WarResult with ``x_star`` (A's optimal share), ``p_war`` (probability that the
    offer is refused), ``expected_utility`` (A's) and ``capped`` (the offer hit the
    whole pie).
    """
    p_ = check_range("p", p, 0.0, 1.0)
    cu = check_range("c_A", c_A, 0.0)
    cb = check_range("c_bar", c_bar, 0.0)
    p_, cu, cb = np.broadcast_arrays(p_, cu, cb)
    informative = cu < cb
    x_free = p_ + np.where(informative, (cb - cu) / 2, 0.0)
    x_star = np.minimum(x_free, 1.0)
    capped = x_free > x_star
    with np.errstate(divide="ignore", invalid="ignore"):
        p_war = np.where(informative, (x_star - p_) / np.where(cb > 0, cb, 1.0), 0.0)
    eu = (1 - p_war) * x_star + p_war * (p_ - cu)
    return WarResult.of(
        "screen_continuous",
        dict(
            p=p_,
            c_A=cu,
            c_bar=cb,
            x_star=x_star,
            p_war=p_war,
            expected_utility=eu,
            capped=capped,
        ),
    )


def screen_two_types(
    p_w: ArrayLike,
    p_s: ArrayLike,
    c_A: ArrayLike,
    c_B: ArrayLike,
    mu: ArrayLike = 0.5,
) -> WarResult:
    """The two-type screening threshold and the offerer's choice at prior ``mu``.

    Returns
    -------
    WarResult with ``mu_star``, ``risky`` (the risky offer is optimal: ``mu < mu_star``),
    ``offer`` (A's share offered), ``p_war`` (``mu`` if risky, else 0),
    ``expected_utility`` (A's), ``safe_offer`` and ``risky_offer``.
    """
    pw = check_range("p_w", p_w, 0.0, 1.0)
    ps = check_range("p_s", p_s, 0.0, 1.0)
    ca = check_range("c_A", c_A, 0.0)
    cb = check_range("c_B", c_B, 0.0)
    m = check_range("mu", mu, 0.0, 1.0)
    pw, ps, ca, cb, m = np.broadcast_arrays(pw, ps, ca, cb, m)
    if (pw < ps).any():
        i = np.argmax(pw < ps)
        raise ModelError(
            "p_w (A's odds against the weak type) must be >= p_s",
            path="p_w",
            value=float(pw.ravel()[i]),
        )
    spread = pw - ps
    denom = spread + ca + cb
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_star = np.where(denom > 0, spread / np.where(denom > 0, denom, 1.0), 0.0)
    notes = []
    if (denom == 0).any():
        notes.append(
            "mu* is undefined where p_w = p_s and c_A + c_B = 0 (both offers are the same); "
            "reported as 0: the safe offer"
        )
    risky = m < mu_star
    safe_offer = ps + cb
    risky_offer = pw + cb
    offer = np.where(risky, risky_offer, safe_offer)
    p_war = np.where(risky, m, 0.0)
    eu = np.where(risky, (1 - m) * risky_offer + m * (ps - ca), safe_offer)
    return WarResult.of(
        "screen_two_types",
        dict(
            p_w=pw,
            p_s=ps,
            c_A=ca,
            c_B=cb,
            mu=m,
            mu_star=mu_star,
            risky=risky,
            offer=offer,
            p_war=p_war,
        ),
        notes=notes,
        expected_utility=scalar_or_array(eu),
        safe_offer=scalar_or_array(safe_offer),
        risky_offer=scalar_or_array(risky_offer),
    )


def posterior_strong(
    mu: ArrayLike, wins: ArrayLike, battles: ArrayLike, theta_s: ArrayLike, theta_w: ArrayLike
) -> np.ndarray | np.floating:
    """P(B strong) after A wins ``wins`` of ``battles`` (Bayes, binomial likelihood).

    ``theta_s`` and ``theta_w`` are A's per-battle odds against the strong and the weak type.
    """
    m = check_range("mu", mu, 0.0, 1.0)
    n = check_range("battles", battles, 0.0)
    k = check_range("wins", wins, 0.0)
    ts = check_range("theta_s", theta_s, 0.0, 1.0, lo_open=True, hi_open=True)
    tw = check_range("theta_w", theta_w, 0.0, 1.0, lo_open=True, hi_open=True)
    if (k > n).any():
        raise ModelError("must not exceed battles", path="wins", value=float(k.max()))
    log_s = np.log(m, where=m > 0, out=np.full(m.shape, -np.inf)) + k * np.log(ts)
    log_s = log_s + (n - k) * np.log1p(-ts)
    log_w = np.log1p(-m, where=m < 1, out=np.full(m.shape, -np.inf)) + k * np.log(tw)
    log_w = log_w + (n - k) * np.log1p(-tw)
    top = np.maximum(log_s, log_w)
    post: np.ndarray = np.exp(log_s - top) / (np.exp(log_s - top) + np.exp(log_w - top))
    return scalar_or_array(np.asarray(post))  # type: ignore[no-any-return]
