"""War termination: why wars start and go on when a settlement exists, and what makes one stick.

Pure functions of their parameters (no I/O), vectorised by NumPy broadcasting: pass arrays
of ``p``, costs or beliefs and get arrays back. Each returns a :class:`WarResult` (read
fields as attributes; ``to_frame()`` for pandas). Equations and closed-form checks follow
accord's design note ``war-termination.md`` §1.

Every model speaks of two generic sides: **side A** (a scenario's first belligerent) and
**side B** (its second). The pie is side A's share of the contested issue, ``p`` is the
probability that A prevails, and parameters carry the side as a suffix (``c_A``, ``c_B``,
``rho_A``, ``gamma_B``, ...). Ukraine (A) against Russia (B) over territory is the worked
example of the docstrings, not the vocabulary; :mod:`accord.analysis.war` maps a
scenario's actor ids onto A and B.

* M1 :mod:`accord.war.bargaining_range` -- Fearon's bargaining range, risk aversion,
  indivisible settlements and side payments.
* M2 :mod:`accord.war.screening` -- private information: the risk-return offer and the
  two-type screening threshold.
* M3 :mod:`accord.war.fighting` -- bargaining while fighting: a random-walk front, Beta
  beliefs updated by battles, vectorised Monte Carlo.
* M4 :mod:`accord.war.commitment` -- power shifts, security guarantees and the commitment
  window; Reiter's absolute war aims.
* M5 :mod:`accord.war.linkage` -- indivisibility and linkage: salience-ratio trades,
  package moves across issues, the land-for-land swap (R_swap, the chip's value U_swap,
  feasibility over candidate parcels).
* M6 :mod:`accord.war.mediation` -- Kydd credibility, Favretto's U-shape in bias,
  Beardsley leverage and the relapse risk of a leverage-bought deal.
* M7 :mod:`accord.war.brinkmanship` -- the power-risk trade-off and the partner
  repositioning cost of escalation.
* M9 :mod:`accord.war.durability` -- the relapse hazard of an agreement with guarantees, a
  demilitarised zone, peacekeepers and fading leverage.
"""

from accord.war._common import WarResult
from accord.war.bargaining_range import bargaining_range, indivisible_settlement
from accord.war.brinkmanship import conflict_levels, escalation, optimal_power
from accord.war.commitment import acceptable_set, commitment_window, power_shift
from accord.war.durability import (
    leverage_decay_term,
    relapse_hazard,
    relapse_probability,
)
from accord.war.fighting import (
    OUTCOMES,
    FrontPaths,
    expected_win,
    fight,
    optimism_gap,
    ruin_duration,
    ruin_probability,
)
from accord.war.linkage import (
    Parcel,
    best_trade,
    chip_value,
    land_swap,
    linkage_gain,
    package_moves,
    swap_feasible,
    swap_reservation,
)
from accord.war.mediation import (
    kydd_credibility,
    leverage_range,
    leverage_relapse,
    mediator_credibility,
    range_gap,
    settlement_by_bias,
)
from accord.war.screening import posterior_strong, screen_continuous, screen_two_types

__all__ = [
    "OUTCOMES",
    "FrontPaths",
    "Parcel",
    "WarResult",
    "acceptable_set",
    "bargaining_range",
    "best_trade",
    "chip_value",
    "commitment_window",
    "conflict_levels",
    "escalation",
    "expected_win",
    "fight",
    "indivisible_settlement",
    "kydd_credibility",
    "land_swap",
    "leverage_decay_term",
    "leverage_range",
    "leverage_relapse",
    "linkage_gain",
    "mediator_credibility",
    "optimal_power",
    "optimism_gap",
    "package_moves",
    "posterior_strong",
    "power_shift",
    "range_gap",
    "relapse_hazard",
    "relapse_probability",
    "ruin_duration",
    "ruin_probability",
    "screen_continuous",
    "screen_two_types",
    "settlement_by_bias",
    "swap_feasible",
    "swap_reservation",
]
