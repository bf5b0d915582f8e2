"""M9, post-settlement durability: what a deal contains decides whether it holds.

Ceasefires last longer when they set up demilitarised zones, bring in peacekeepers, carry
third-party guarantees and are more formal; roughly half of the wars between states after
1945 saw fighting resume (Fortna 2003, 2004). Leverage buys agreement that fades with the
leverage (Beardsley 2008, 2011; M6 in :mod:`accord.war.mediation`).

**Hazard** (design note war-termination.md §1 M9; proportional hazards, Cox 1972). The
monthly relapse hazard of an agreement is

.. math:: \\lambda(t) = \\lambda_0 \\exp\\big(-\\beta_g g - \\beta_z z - \\beta_k k\\big)
          \\cdot m(t),

with feature strengths in [0, 1]: ``g`` guarantees (0 none, 1 an Article-5-like binding
guarantee), ``z`` a demilitarised zone, ``k`` peacekeepers; ``beta >= 0``, so each feature
weakly lowers the hazard. :math:`m(t)` is M6's leverage-decay term (*derived here*): a deal
that lies ``gap`` outside the natural bargaining range was bought with leverage
:math:`L_t = L_0 \\lambda^t`; once the leverage no longer covers the gap the side that
was pushed gains ``gap - L_t`` from fighting again, and the hazard rises in proportion,

.. math:: m(t) = 1 + \\kappa \\max(0,\\ \\mathrm{gap} - L_0 \\lambda^t).

Hazards are monthly rates, constant within a month, so the survival to month T is
:math:`S(T) = \\exp(-\\sum_{t=0}^{T-1} \\lambda(t))` and
:math:`P(\\text{relapse within } T) = 1 - S(T)` (:func:`relapse_probability`).

**Defaults** (shared by every scenario; judgement, not Fortna's estimates -- sweep them):
``BASE_HAZARD`` = ln 2 / 120 per month, i.e. half of featureless ceasefires relapse within
ten years (Fortna's "roughly half", read over a ten-year horizon); ``BETA`` takes the
direction of Fortna's findings (each mechanism lengthens peace) with magnitudes that are
judgement (a full demilitarised zone halves the hazard and more, peacekeepers and
guarantees somewhat less); ``KAPPA`` = 20 per pie unit (a deal 0.05 outside the natural
range doubles the hazard once the leverage is gone).

References
----------
* Fortna, V. P. (2003). Scraps of paper? Agreements and the durability of peace. *IO*
  57(2), 337-372.
* Fortna, V. P. (2004). *Peace Time: Cease-Fire Agreements and the Durability of Peace*.
  Princeton UP.
* Beardsley, K. (2008). Agreement without peace? International mediation and time
  inconsistency problems. *AJPS* 52(4), 723-740; (2011) *The Mediation Dilemma*. Cornell UP.
* Cox, D. R. (1972). Regression models and life-tables. *JRSS B* 34(2), 187-220.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from accord.errors import ModelError
from accord.war._common import WarResult, check_range, scalar_or_array

__all__ = [
    "BASE_HAZARD",
    "BETA",
    "FEATURES",
    "KAPPA",
    "leverage_decay_term",
    "relapse_hazard",
    "relapse_probability",
]

FEATURES = ("guarantees", "dmz", "peacekeepers")
"""The agreement features of the hazard, each a strength in [0, 1]."""

BASE_HAZARD = math.log(2) / 120
"""lambda_0 per month: half of featureless ceasefires relapse within ten years (judgement)."""

BETA = {"guarantees": 0.4, "dmz": 0.8, "peacekeepers": 0.6}
"""Log-hazard reductions of a full feature (judgement; direction from Fortna 2003)."""

KAPPA = 20.0
"""Hazard multiplier per pie unit of a deal's uncovered distance from the natural range."""


def leverage_decay_term(
    t: ArrayLike,
    gap: ArrayLike,
    L0: ArrayLike,
    lam: ArrayLike,
    *,
    kappa: ArrayLike = KAPPA,
) -> Any:
    """m(t) = 1 + kappa·max(0, gap - L0·lam**t): the hazard multiplier of a bought deal.

    ``t`` months since the agreement (>= 0); ``gap`` the deal's distance outside the
    natural bargaining range (pie units, >= 0; 0 for a deal inside it: m = 1); ``L0`` the
    leverage that bought it; ``lam`` its monthly decay factor in [0, 1].
    """
    t_ = check_range("t", t, 0.0)
    g = check_range("gap", gap, 0.0)
    l0 = check_range("L0", L0, 0.0)
    lm = check_range("lam", lam, 0.0, 1.0)
    k = check_range("kappa", kappa, 0.0)
    return scalar_or_array(np.asarray(1.0 + k * np.maximum(0.0, g - l0 * lm**t_)))


def relapse_hazard(
    t: ArrayLike,
    *,
    guarantees: ArrayLike = 0.0,
    dmz: ArrayLike = 0.0,
    peacekeepers: ArrayLike = 0.0,
    beta_guarantees: ArrayLike = BETA["guarantees"],
    beta_dmz: ArrayLike = BETA["dmz"],
    beta_peacekeepers: ArrayLike = BETA["peacekeepers"],
    base_hazard: ArrayLike = BASE_HAZARD,
    gap: ArrayLike = 0.0,
    L0: ArrayLike = 0.0,
    lam: ArrayLike = 1.0,
    kappa: ArrayLike = KAPPA,
) -> WarResult:
    """The monthly relapse hazard lambda(t) of an agreement with the given features.

    Parameters
    ----------
    t : months since the agreement (>= 0).
    guarantees, dmz, peacekeepers : feature strengths in [0, 1].
    beta_guarantees, beta_dmz, beta_peacekeepers : their log-hazard effects (>= 0).
    base_hazard : lambda_0, per month (>= 0).
    gap, L0, lam, kappa : the leverage-decay term (:func:`leverage_decay_term`).

    Returns
    -------
    WarResult with ``hazard``, ``feature_factor`` (``exp(-beta·features)``, in (0, 1]) and
    ``leverage_term`` (m(t) >= 1).
    """
    feats = [
        check_range("guarantees", guarantees, 0.0, 1.0),
        check_range("dmz", dmz, 0.0, 1.0),
        check_range("peacekeepers", peacekeepers, 0.0, 1.0),
    ]
    betas = [
        check_range("beta_guarantees", beta_guarantees, 0.0),
        check_range("beta_dmz", beta_dmz, 0.0),
        check_range("beta_peacekeepers", beta_peacekeepers, 0.0),
    ]
    lam0 = check_range("base_hazard", base_hazard, 0.0)
    factor = np.exp(-sum(b * f for b, f in zip(betas, feats, strict=True)))
    term = np.asarray(leverage_decay_term(t, gap, L0, lam, kappa=kappa))
    hazard = lam0 * factor * term
    shape = hazard.shape
    return WarResult.of(
        "relapse_hazard",
        dict(
            t=np.broadcast_to(check_range("t", t, 0.0), shape),
            hazard=hazard,
            feature_factor=np.broadcast_to(factor, shape),
            leverage_term=np.broadcast_to(term, shape),
        ),
    )


def relapse_probability(
    months: int,
    *,
    guarantees: ArrayLike = 0.0,
    dmz: ArrayLike = 0.0,
    peacekeepers: ArrayLike = 0.0,
    beta_guarantees: ArrayLike = BETA["guarantees"],
    beta_dmz: ArrayLike = BETA["dmz"],
    beta_peacekeepers: ArrayLike = BETA["peacekeepers"],
    base_hazard: ArrayLike = BASE_HAZARD,
    gap: ArrayLike = 0.0,
    L0: ArrayLike = 0.0,
    lam: ArrayLike = 1.0,
    kappa: ArrayLike = KAPPA,
) -> WarResult:
    """P(relapse within ``months``) = 1 - exp(-sum of the monthly hazards over t < months).

    The keyword parameters are those of :func:`relapse_hazard` and broadcast against each
    other (not against the month axis, which is appended last).

    Returns
    -------
    WarResult with ``p_relapse`` (within ``months``), ``survival`` (S(t) for t =
    0..months on the last axis) and ``hazard`` (lambda(t) for t = 0..months - 1 on the
    last axis), ``months``.
    """
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or months < 0:
        raise ModelError("must be an integer >= 0", path="months", value=months)
    params = dict(
        guarantees=guarantees,
        dmz=dmz,
        peacekeepers=peacekeepers,
        beta_guarantees=beta_guarantees,
        beta_dmz=beta_dmz,
        beta_peacekeepers=beta_peacekeepers,
        base_hazard=base_hazard,
        gap=gap,
        L0=L0,
        lam=lam,
        kappa=kappa,
    )
    arrays = {k: np.asarray(v, dtype=float)[..., None] for k, v in params.items()}
    t = np.arange(int(months), dtype=float)
    h = np.asarray(relapse_hazard(t, **arrays).hazard)
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values()), (int(months),))
    h = np.broadcast_to(h, shape)
    cum = np.concatenate([np.zeros((*shape[:-1], 1)), np.cumsum(h, axis=-1)], axis=-1)
    survival = np.exp(-cum)
    return WarResult.of(
        "relapse_probability",
        dict(p_relapse=1.0 - survival[..., -1]),
        survival=survival,
        hazard=h,
        months=int(months),
    )
