"""The settlement engine: one seeded Monte Carlo of a war, month by month, until it ends.

Each run of :func:`settle` couples the war layer's parts. Month ``t = 0`` is the scenario's
as-of date; in every month of every run still at war, in this order:

1. **Settlement search** over a package space (:func:`package_space`): the war issue's line
   (continuous) times the labelled options of the other issues. A package counts only if
   both belligerents prefer it to fighting on (their war values, below), it respects the
   red lines (indivisibility), the reputational costs, the M4 commitment window at the
   package's guarantee strength, and third parties' vetoes on the issues they control.
   Among the packages that count the **weighted Nash bargaining solution** with the war
   values as the disagreement point picks the settlement (Nash 1950; Binmore, Rubinstein &
   Wolinsky 1986 for the war-value threat point). Where none counts, the run's obstacle
   is the first test, in the order of :data:`OBSTACLES`, that leaves no package.
2. **Fighting** (M3): ``battles_per_month`` battles; each moves the front one step toward
   side A's end with the run's true odds ``theta``, toward B's otherwise; states 0 and N
   end the war by a decisive victory. Both sides watch the battles and update their Beta
   beliefs about ``theta`` (Wagner 2000; Slantchev 2003).
3. **Held parcels** (M5): each parcel of one side's land held by the other is retaken by
   its owner with the monthly hazard ``h``.
4. **Escalation** (M7): a side that lost ground this month, or whose land is held,
   escalates iff its gain exceeds catastrophe risk plus the partners' expected trade
   curtailment, ``gain > r_use·D + Y·Σ τ_j φ_j`` (:func:`accord.war.escalation`). After
   escalation each partner curtails with probability ``φ_j``, the odds of battle shift,
   and both sides' costs rise. With ``Escalation.decide`` (the scenario's escalation
   game) a decision model gives each run's probability of escalating instead.
5. **Land-for-land swap** (M5): a held parcel is exchanged for land of equal value to the
   holder when the owner's largest price exceeds the holder's smallest.

**War values** (pie units: side A's share of the war issue, per month; *derived here*).
Side i values fighting on at

.. math:: V_A = E_A[\\bar W_\\delta(\\theta, s)] - c_A - L_A(t) + \\ldots, \\qquad
          V_B = 1 - E_B[\\bar W_\\delta(\\theta, s)] - c_B - L_B(t) - \\sum_j R_j(t),

where :math:`\\bar W_\\delta(\\theta, s) = (1-\\delta_b)\\sum_j \\delta_b^j E[x(s_j)]` is the
discounted average of the line the front is expected to reach (per-battle discount
:math:`\\delta_b = \\delta^{1/k}`), so a side values the war by *where the front is expected
to be* over the war's future, not by the chance of total victory; as
:math:`\\delta \\to 1` it tends to M3's gambler's-ruin end line. ``c_i`` are the war costs,
``L_i(t) = L_0 λ^t`` a mediator's leverage (Beardsley 2008), and
:math:`R_j = (v_j + a_j)\\,(1-\\delta)/(1-\\delta(1-h_j))` the expected discounted cost to
the owner of parcel j while it is held (its value ``v_j`` plus domestic pressure
``a_j = α·area``, times the expected share of the future during which it stays held: M5).
Utilities of a package are M5's linkage utilities normalised by the war issue's salience:
side i gets ``x_T`` (A) or ``1 - x_T`` (B) plus
:math:`\\sum_k w_{ik}(|war_k - ideal_{ik}| - |y_k - ideal_{ik}|)/width_k` relative to the
war-time level of each other issue, minus its reputational cost ψ_i if the package moves
the line against it beyond the current front.

**Commitment** (M4, :func:`accord.war.power_shift`): a package with guarantee strength
``g`` is self-enforcing iff neither side prefers to fight now rather than face the
post-settlement shift: side A with ``q_A(g) = p_A - shift_A + γ_A g``, side B with
``q_B(g) = p_B + shift_B - γ_B g`` and its renewed-war cost raised by the tripwire
``d_B + τ g``; ``p_i`` is the side's own current expected share.

**Mediators** (M6): leverage widens the range (Beardsley 2008; ``L_0`` on each side,
decaying by λ per month, scaled up by ``1 + ζ·loss`` when the side the mediator favours
has lost expected share since month 0: a mediator that fears its protégé's collapse
presses harder); advice credible to a side (Kydd 2003) moves that side's war value a
share ``info`` of the way to the value at the true odds; a mediator's bias moves the Nash
weight toward the side it favours by its ``influence``.

The result records every run's settlement month, terms, escalation, swaps, recaptures and
the front path; :class:`SettleResult` summarises them with Monte Carlo standard errors.
Randomness comes from independent streams spawned from one seed (battles, recaptures,
partners, parameter draws), so that a changed parameter meets the same random numbers
(common random numbers for comparative statics).

References
----------
* Fearon, J. D. (1995). Rationalist explanations for war. *IO* 49(3), 379-414.
* Wagner, R. H. (2000). Bargaining and war. *AJPS* 44(3), 469-484.
* Slantchev, B. L. (2003). The principle of convergence in wartime negotiations. *APSR* 97(4).
* Powell, R. (2006). War as a commitment problem. *IO* 60(1), 169-203.
* Kydd, A. (2003). Which side are you on? Bias, credibility, and mediation. *AJPS* 47(4).
* Beardsley, K. (2008). Agreement without peace? *AJPS* 52(4), 723-740.
* Fortna, V. P. (2003). Scraps of paper? *IO* 57(2), 337-372.
* Nash, J. (1950). The bargaining problem. *Econometrica* 18(2), 155-162.
* Binmore, K., Rubinstein, A. & Wolinsky, A. (1986). The Nash bargaining solution in
  economic modelling. *RAND J. Econ.* 17(2), 176-188.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord import limits
from accord.errors import ModelError
from accord.war._common import FAN, mid_quantiles
from accord.war._quadrature import leggauss
from accord.war.commitment import shift_terms
from accord.war.durability import relapse_probability
from accord.war.linkage import Parcel, chip_value, swap_feasible, swap_reservation
from accord.war.twolevel import (
    Domestic,
    DomesticTrace,
    LeaderTable,
    faction_table,
    leader_table,
    month_bounds,
    pressure_weights,
)

__all__ = [
    "OBSTACLES",
    "OUTCOMES",
    "Commitment",
    "Durability",
    "Escalation",
    "HeldParcel",
    "Mediator",
    "PackageIssue",
    "SettleInputs",
    "SettleResult",
    "discounted_line",
    "package_space",
    "settle",
]

F = NDArray[np.float64]
B = NDArray[np.bool_]

OUTCOMES = ("settled", "a_won", "b_won", "fighting")
"""Codes of ``SettleResult.outcome``: settled, front reached A's end (N), B's end (0), still
fighting at the horizon."""

OBSTACLES = (
    "no range",
    "optimism gap",
    "indivisibility",
    "reputational cost",
    "commitment problem",
    "veto",
)
"""Why a run still at war found no package, tested in this order: *no range* (no package
both prefer to war even if they shared one belief about the odds), *optimism gap* (with
their own beliefs none), *indivisibility* (none within the red lines), *reputational cost*
(none once each side's cost of conceding land beyond the front is charged), *commitment
problem* (none self-enforcing at its guarantee strength, M4), *veto* (a third party with a
veto on an issue rejects every one left)."""

_NODES = 160


# -- inputs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackageIssue:
    """An issue of the package space besides the war issue.

    ``levels`` are the options on the issue's own scale; ``war_level`` is where the issue
    stands while the war goes on (every package is valued against it); ``ideal`` and
    ``weight`` give each side's ideal point and its salience relative to its salience on
    the war issue; ``width`` is the scale's width. ``red_lines`` bound what each side can
    sign; ``vetoes`` are third parties able to block the issue, with their positions.
    ``guarantee`` marks the security-guarantee issue, whose level maps to the M4 strength
    ``g`` through ``g_of_level`` (one value per level).
    """

    id: str
    levels: tuple[float, ...]
    war_level: float
    ideal: tuple[float, float]
    weight: tuple[float, float]
    width: float = 100.0
    red_lines: tuple[tuple[float, float], tuple[float, float]] = (
        (-np.inf, np.inf),
        (-np.inf, np.inf),
    )
    vetoes: tuple[tuple[str, float], ...] = ()
    guarantee: bool = False
    g_of_level: tuple[float, ...] = ()


@dataclass(frozen=True)
class HeldParcel:
    """A chip (M5's :class:`accord.war.linkage.Parcel` held by the side that does not own
    it) and its dynamics: the owner retakes it with monthly ``hazard``, pays
    ``attack_cost`` a month for the counter-attack, and suffers domestic pressure
    ``alpha·area`` a month while it is held (pie units). ``psi`` is the owner's
    reputational cost of swapping it for land; ``candidates`` are parcels of the holder's
    land held by the owner that a swap could return (none: any amount of land), and
    ``pie_area`` the area of one pie unit (to move the line by a returned parcel)."""

    parcel: Parcel
    hazard: float
    attack_cost: float = 0.0
    alpha: float = 0.0
    psi: float = 0.0
    candidates: tuple[Parcel, ...] = ()
    pie_area: float = 0.0

    @property
    def id(self) -> str:
        return self.parcel.name

    @property
    def owner(self) -> int:
        return 0 if self.parcel.owner == "A" else 1

    def owner_value(self) -> float:
        return self.parcel.value_A if self.parcel.owner == "A" else self.parcel.value_B

    def holder_value(self) -> float:
        return self.parcel.value_A if self.parcel.holder == "A" else self.parcel.value_B


@dataclass(frozen=True)
class Mediator:
    """An outside power that mediates: its bias (+1 = at side A's positions, -1 = at B's),
    leverage on each side at month 0 (pie units), monthly decay λ of that leverage,
    credibility of its advice to each side (Kydd), the weight of its information in a
    side's war value when credible, its fear ζ of its protégé's collapse and its
    influence on the Nash weights."""

    id: str
    bias: float
    leverage: tuple[float, float]
    decay: float = 1.0
    credible: tuple[bool, bool] = (False, False)
    info: float = 0.0
    fear: float = 0.0
    influence: float = 0.0


@dataclass(frozen=True)
class Escalation:
    """M7 for the escalating ``side`` (0 = A, 1 = B) and its trade partners.

    ``gain``, ``r_use``·``D`` and ``Y``·Σ τ φ are in the unit of ``Y`` (e.g. $bn); the
    run's gain is ``gain·exp(spread·z)``. After escalation: the battle odds shift by
    ``theta_shift`` toward the escalating side, costs rise by ``cost_self`` and
    ``cost_other`` (pie units), and each curtailing partner j adds
    ``Y·τ_j / money_per_pie`` to the escalating side's cost (``Y`` per year, costs per
    month: ``money_per_pie`` is the money value of one pie unit per month times 12).

    ``decide`` replaces the threshold rule by a decision model (e.g. the scenario's
    escalation game, :func:`accord.analysis.settle.settle_inputs` with ``escalation="game"``):
    it maps the runs' gains to each run's probability of escalating, and a run escalates at
    its first month as a candidate iff a uniform draw (after the gains, from the same
    stream) falls below it. ``None`` keeps the threshold rule and its numbers.
    """

    side: int
    gain: float
    r_use: float
    D: float
    Y: float
    partners: tuple[str, ...]
    tau: tuple[float, ...]
    phi: tuple[float, ...]
    money_per_pie: float
    theta_shift: float = 0.05
    cost_self: float = 0.0
    cost_other: float = 0.02
    spread: float = 1.0
    decide: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = field(
        default=None, compare=False
    )


@dataclass(frozen=True)
class Commitment:
    """M4 inputs: each side's feared post-settlement shift, the guarantees' effect on each
    side's later odds, per-period war costs, and the tripwire (extra per-period cost of
    renewed war to side B at full guarantee)."""

    shift: tuple[float, float]
    gamma: tuple[float, float]
    d: tuple[float, float]
    tripwire: float = 0.0


@dataclass(frozen=True)
class Durability:
    """M9 after a settlement (:func:`accord.war.durability.relapse_probability`).

    The package's guarantee strength g is the ``guarantees`` feature; a package with
    ``g >= peacekeepers_from`` (60 = a reassurance force on the flagships' scale) also has
    ``peacekeepers``; ``dmz`` is the agreement's demilitarised-zone strength. The part of
    the deal bought by leverage (how far a side's surplus falls short of the leverage on
    it) is M6's ``gap``, released as the leverage decays."""

    dmz: float = 0.0
    peacekeepers_from: float = 0.6
    base_hazard: float | None = None
    kappa: float | None = None


@dataclass(frozen=True)
class SettleInputs:
    """Everything :func:`settle` needs, in pie units (side A's share of the war issue).

    ``territory`` gives the pie share at front states 0 and N. Costs, leverage and values
    are per month in pie units (the flow normalisation of the war values). ``spread`` is
    the log-scale standard deviation of the per-run draws of the judgement numbers
    (costs, shifts, gammas, reputational costs); ``theta_spread`` that of the battle odds
    on the logit scale. ``weight_A`` is side A's bargaining power in the Nash solution.
    ``line_red_lines``: the war issue's line each side can sign (pie units, [lo, hi]).
    ``chip_decay``: value a held parcel at M5's expected area ``area·(1 - h)**t`` (the
    reading of ``accord war swap``) rather than whole until it is retaken.
    ``enforcement``: how much of a mediator's leverage on a side offsets the other side's
    feared post-settlement shift (the mediator can restrain its client; Favretto 2009).
    """

    sides: tuple[str, str]
    states: int
    start: int
    theta: float
    beliefs: tuple[tuple[float, float], tuple[float, float]]
    cost: tuple[float, float]
    delta: float = 0.98
    battles_per_month: int = 1
    territory: tuple[float, float] = (0.0, 1.0)
    weight_A: float = 0.5
    issues: tuple[PackageIssue, ...] = ()
    psi: tuple[float, float] = (0.0, 0.0)
    line_red_lines: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 1.0), (0.0, 1.0))
    chip_decay: bool = False
    commitment: Commitment | None = None
    parcels: tuple[HeldParcel, ...] = ()
    mediators: tuple[Mediator, ...] = ()
    escalation: Escalation | None = None
    durability: Durability | None = None
    domestic: Domestic | None = None
    learn: bool = True
    enforcement: float = 0.0
    spread: float = 0.0
    theta_spread: float = 0.0
    war_issue: str = "T"
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_(self, **changes: Any) -> SettleInputs:
        return replace(self, **changes)


# -- pieces ------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _nodes(n: int) -> tuple[F, F]:
    x, w = leggauss(n)  # tabulated: no eigenvalue solve at run time
    return (x + 1) / 2, w / 2


def discounted_line(
    theta: F, states: int, delta_b: float, territory: tuple[float, float] = (0.0, 1.0)
) -> F:
    """:math:`\\bar W(\\theta, s) = (1-\\delta_b)\\sum_j \\delta_b^j E[x(s_j)]` for every θ and s.

    The front is M3's random walk on 0..N (absorbing ends), ``x(s)`` the line at state s;
    the value solves ``(I - δ_b P_θ) W = (1 - δ_b) x`` (tridiagonal, solved for all θ at
    once by the Thomas algorithm). Shape ``(len(theta), N + 1)``.
    """
    th = np.asarray(theta, dtype=float)[:, None]
    n = states
    x0, x1 = territory
    x = x0 + (x1 - x0) * np.arange(n + 1) / n
    if delta_b >= 1.0:
        raise ModelError("must be < 1", path="delta", value=delta_b)
    out = np.empty((th.shape[0], n + 1))
    out[:, 0], out[:, n] = x[0], x[n]
    if n == 1:
        return out
    # interior i = 1..n-1:  W_i - d θ W_{i+1} - d (1-θ) W_{i-1} = (1-d) x_i
    m = n - 1
    lower = np.broadcast_to(-delta_b * (1 - th), (th.shape[0], m)).copy()
    upper = np.broadcast_to(-delta_b * th, (th.shape[0], m)).copy()
    rhs = np.broadcast_to((1 - delta_b) * x[1:n], (th.shape[0], m)).copy()
    rhs[:, 0] -= lower[:, 0] * x[0]
    rhs[:, -1] -= upper[:, -1] * x[n]
    c = np.empty_like(upper)
    d = np.empty_like(rhs)
    c[:, 0] = upper[:, 0]
    d[:, 0] = rhs[:, 0]
    for i in range(1, m):
        den = 1.0 - lower[:, i] * c[:, i - 1]
        c[:, i] = upper[:, i] / den
        d[:, i] = (rhs[:, i] - lower[:, i] * d[:, i - 1]) / den
    w = np.empty_like(rhs)
    w[:, -1] = d[:, -1]
    for i in range(m - 2, -1, -1):
        w[:, i] = d[:, i] - c[:, i] * w[:, i + 1]
    out[:, 1:n] = w
    return out


def _belief_table(
    a: float, b: float, wbar: F, start: int, battles: int, learn: bool, every: int = 1
) -> F:
    """E[W̄] under Beta(a + k, b + n - k) at the front state reached after n battles with k
    of them won by A: table ``(battles + 1, battles + 1)`` indexed [n, k] (NaN off the
    reachable triangle). Without learning the prior applies at every state: table [0, s].
    ``every``: only the rows ``n`` that are multiples of it (the engine reads the table at
    the months' ends, ``n = t·battles_per_month``); the other rows stay NaN."""
    nodes, gl = _nodes(_NODES)
    logt, log1t = np.log(nodes), np.log1p(-nodes)
    n_states = wbar.shape[1] - 1
    if not learn:
        lw = (a - 1) * logt + (b - 1) * log1t
        w = gl * np.exp(lw - lw.max())
        w /= w.sum()
        prior: F = (w @ wbar)[None, :]
        return prior
    out = np.full((battles + 1, battles + 1), np.nan)
    for n in range(0, battles + 1, every):
        k = np.arange(n + 1)
        s = np.clip(start + 2 * k - n, 0, n_states)
        lw = (a + k[:, None] - 1) * logt + (b + n - k[:, None] - 1) * log1t
        w = gl * np.exp(lw - lw.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)
        out[n, : n + 1] = np.einsum("kq,qk->k", w, wbar[:, s])
    return out


def package_space(issues: tuple[PackageIssue, ...]) -> dict[str, Any]:
    """Every combination of the issues' options, with what each package gives each side.

    Returns ``levels`` (packages x issues), ``gain_A``/``gain_B`` (utility relative to the
    war-time levels, pie units), ``red_ok`` (within both sides' red lines), ``veto_ok``
    (no third party's veto: each veto player accepts an option no farther from its
    position than the war-time level) and ``g`` (guarantee strength, 0 without a
    guarantee issue).
    """
    if not issues:
        return {
            "levels": np.zeros((1, 0)),
            "gain_A": np.zeros(1),
            "gain_B": np.zeros(1),
            "red_ok": np.ones(1, dtype=bool),
            "veto_ok": np.ones(1, dtype=bool),
            "g": np.zeros(1),
        }
    grid = np.array(list(itertools.product(*(iss.levels for iss in issues))), dtype=float)
    gains = np.zeros((2, grid.shape[0]))
    red = np.ones(grid.shape[0], dtype=bool)
    veto = np.ones(grid.shape[0], dtype=bool)
    g = np.zeros(grid.shape[0])
    for j, iss in enumerate(issues):
        y = grid[:, j]
        for side in (0, 1):
            ideal = iss.ideal[side]
            gains[side] += (
                iss.weight[side] * (abs(iss.war_level - ideal) - np.abs(y - ideal)) / iss.width
            )
            lo, hi = iss.red_lines[side]
            red &= (y >= lo) & (y <= hi)
        for _, pos in iss.vetoes:
            veto &= np.abs(y - pos) <= abs(iss.war_level - pos) + 1e-12
        if iss.guarantee:
            lv = np.asarray(iss.levels, dtype=float)
            gm = np.asarray(iss.g_of_level or lv / iss.width, dtype=float)
            g = gm[np.searchsorted(lv, y)]
    return {
        "levels": grid,
        "gain_A": gains[0],
        "gain_B": gains[1],
        "red_ok": red,
        "veto_ok": veto,
        "g": g,
    }


def _pareto(a: F, b: F, mask: B) -> NDArray[np.int64]:
    """Indices of the packages in ``mask`` not dominated in (gain_A, gain_B)."""
    idx = np.nonzero(mask)[0]
    if idx.size == 0:
        return idx
    order = idx[np.lexsort((-b[idx], -a[idx]))]
    keep = []
    best_b = -np.inf
    for i in order:
        if b[i] > best_b + 1e-12:
            keep.append(i)
            best_b = b[i]
    return np.asarray(keep, dtype=np.int64)


def _bounds(
    va: F,
    vb: F,
    ga: F,
    gb: F,
    front: F,
    psi_a: F,
    psi_b: F,
    line: tuple[float, float] = (0.0, 1.0),
    extra: tuple[F, F] | None = None,
) -> tuple[F, F]:
    """The lines (pie units) A accepts at least and B at most, for (runs, packages), within
    ``line`` (the pie, or the part of it both sides' red lines allow) and, with ``extra``,
    within the two win-sets' (runs, packages) bounds (M10, :mod:`accord.war.twolevel`)."""
    lo = va[:, None] - ga[None, :]
    hi = 1.0 + gb[None, :] - vb[:, None]
    f = front[:, None]
    lo = np.maximum(lo, np.minimum(lo + psi_a[:, None], f))
    hi = np.minimum(hi, np.maximum(hi - psi_b[:, None], f))
    lo, hi = np.maximum(lo, line[0]), np.minimum(hi, line[1])
    if extra is not None:
        lo, hi = np.maximum(lo, extra[0]), np.minimum(hi, extra[1])
    return lo, hi


def _any_feasible(
    va: F,
    vb: F,
    ga: F,
    gb: F,
    front: F,
    psi_a: F | None,
    psi_b: F | None,
    line: tuple[float, float] = (0.0, 1.0),
    tol: float = 1e-12,
    extra: tuple[F, F] | None = None,
) -> B:
    """Does some package give both sides at least their war values (within the pie)?

    Without reputational costs (``psi_a = psi_b = None``) this is the closed form
    ``gain_A + gain_B >= V_A + V_B - 1``, ``gain_A >= V_A - hi``, ``gain_B >= V_B - 1 + lo``
    for the line's allowed interval ``[lo, hi]``.
    """
    if ga.size == 0 or line[0] > line[1]:
        return np.zeros(va.shape[0], dtype=bool)
    if extra is not None:
        zero = np.zeros(va.shape[0])
        pa = zero if psi_a is None else psi_a
        pb = zero if psi_b is None else psi_b
        lo_e, hi_e = _bounds(va, vb, ga, gb, front, pa, pb, line, extra)
        found: B = np.asarray((lo_e <= hi_e + tol).any(axis=1))
        return found
    if psi_a is None or psi_b is None:
        z = (va + vb - 1.0 - tol)[:, None]
        fast: B = np.asarray(
            (
                ((ga + gb)[None, :] >= z)
                & (ga[None, :] >= (va - line[1] - tol)[:, None])
                & (gb[None, :] >= (vb - 1.0 + line[0] - tol)[:, None])
            ).any(axis=1)
        )
        return fast
    lo, hi = _bounds(va, vb, ga, gb, front, psi_a, psi_b, line)
    ok: B = np.asarray((lo <= hi + tol).any(axis=1))
    return ok


def _nash(
    va: F,
    vb: F,
    ga: F,
    gb: F,
    front: F,
    psi_a: F | None,
    psi_b: F | None,
    w: F,
    line: tuple[float, float] = (0.0, 1.0),
    extra: tuple[F, F] | None = None,
) -> tuple[F, F]:
    """The weighted-Nash line for each (run, package) and the log Nash product (-inf where
    the package is infeasible). The line may fall on either side of the front (where the
    reputational cost of the side conceding applies) or on the front itself."""
    if psi_a is None or psi_b is None:  # no reputational costs: one closed-form piece
        lo = np.maximum(va[:, None] - ga[None, :], line[0])
        hi = np.minimum(1.0 + gb[None, :] - vb[:, None], line[1])
        if extra is not None:
            lo, hi = np.maximum(lo, extra[0]), np.minimum(hi, extra[1])
        ua0 = ga[None, :] - va[:, None]
        ub0 = 1.0 + gb[None, :] - vb[:, None]
        wa = w[:, None]
        x = np.clip(-ua0 + wa * (ua0 + ub0), lo, hi)
        sa, sb = x + ua0, ub0 - x
        ok = (lo <= hi + 1e-12) & (sa >= -1e-12) & (sb >= -1e-12)
        with np.errstate(divide="ignore", invalid="ignore"):
            val = wa * np.log(np.maximum(sa, 0.0)) + (1 - wa) * np.log(np.maximum(sb, 0.0))
        val = np.where(ok, np.where(np.isneginf(val) | np.isnan(val), -1e300, val), -np.inf)
        return x, val
    lo, hi = _bounds(va, vb, ga, gb, front, psi_a, psi_b, line, extra)
    feasible = lo <= hi + 1e-12
    f = front[:, None]
    wa = w[:, None]
    best_x = np.full(lo.shape, np.nan)
    best = np.full(lo.shape, -np.inf)
    for piece in ("below", "at", "above"):
        pa = psi_a[:, None] if piece == "below" else 0.0
        pb = psi_b[:, None] if piece == "above" else 0.0
        ua0 = ga[None, :] - pa - va[:, None]  # u_A - V_A = x + ua0
        ub0 = 1.0 + gb[None, :] - pb - vb[:, None]  # u_B - V_B = ub0 - x
        if piece == "at":
            x = np.broadcast_to(f, lo.shape)
        else:
            x = -ua0 + wa * (ua0 + ub0)  # maximiser of w log(x + ua0) + (1-w) log(ub0 - x)
            side_lo, side_hi = (-np.inf, f) if piece == "below" else (f, np.inf)
            x = np.clip(x, np.maximum(lo, side_lo), np.minimum(hi, side_hi))
        sa, sb = x + ua0, ub0 - x
        ok = feasible & (sa >= -1e-12) & (sb >= -1e-12) & (x >= lo - 1e-12) & (x <= hi + 1e-12)
        with np.errstate(divide="ignore", invalid="ignore"):
            val = wa * np.log(np.maximum(sa, 0.0)) + (1 - wa) * np.log(np.maximum(sb, 0.0))
        val = np.where(ok, np.where(np.isnan(val), -np.inf, val), -np.inf)
        # a zero-surplus package still counts (a degenerate range): rank it last but keep it
        val = np.where(ok & np.isneginf(val), -1e300, val)
        better = val > best
        best = np.where(better, val, best)
        best_x = np.where(better, x, best_x)
    return best_x, best


# -- result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettleResult:
    """Every run of :func:`settle`, and the summaries a forecaster reads.

    Per run: ``outcome`` (codes into :data:`OUTCOMES`), ``month`` (settlement or decisive
    end; -1 while fighting), ``terms`` (runs x issues, the war issue first, on the issues'
    own scales via ``meta``; NaN unless settled), ``line`` (runs x months+1, the front or
    the settled line, pie units), ``escalated`` (month or -1), ``curtailed`` (runs x
    partners), ``swap`` (month or -1, per parcel), ``retaken`` (month or -1, per parcel),
    ``relapse`` (runs x 2: P(relapse within 12 and 24 months of the settlement)),
    ``package`` (index into ``space``), ``surplus`` (runs x 2: each side's utility of
    the settlement over its war value; >= 0 by construction). ``blocked`` counts, per
    month and obstacle, the runs still at war that found no package.
    """

    inputs: SettleInputs
    months: int
    runs: int
    seed: int | None
    outcome: NDArray[np.int8]
    month: NDArray[np.int64]
    terms: F
    issue_ids: tuple[str, ...]
    line: F
    escalated: NDArray[np.int64]
    curtailed: B
    swap: NDArray[np.int64]
    retaken: NDArray[np.int64]
    relapse: F
    package: NDArray[np.int64]
    surplus: F
    blocked: NDArray[np.int64]
    at_war: NDArray[np.int64]
    space: dict[str, Any]
    pressure: F
    method: str = "settle: package search by weighted Nash over war values (accord)"
    domestic: dict[str, Any] | None = None
    """M10's trace when the inputs have a ``domestic`` hook (:mod:`accord.war.twolevel`):
    ``blocked`` (months+1 x 2: runs at war whose deal the ratification rule, then the
    leader's survival blocked), ``ratify_blocked``/``leader_blocked`` (per run: ever),
    ``removal`` (months+1 x 2: each leader's mean removal risk were the war to end on the
    line then), ``weights`` (months+1 x factions), ``bounds0`` (month 0 win-set ends)."""

    # -- summaries
    def p_settled_by(self) -> tuple[F, F]:
        """P(settled by month m) for m = 0..months, and its Monte Carlo standard error."""
        m = np.arange(self.months + 1)
        settled = self.outcome == 0
        hit = settled[:, None] & (self.month[:, None] <= m[None, :])
        p = hit.mean(axis=0)
        se = np.sqrt(p * (1 - p) / self.runs)
        return p, se

    def p_outcome(self) -> dict[str, float]:
        counts = np.bincount(self.outcome, minlength=4) / self.runs
        return dict(zip(OUTCOMES, (float(c) for c in counts), strict=True))

    def median_month(self) -> float:
        """Median month of settlement over all runs (inf if fewer than half settle)."""
        t = np.where(self.outcome == 0, self.month, np.iinfo(np.int64).max).astype(float)
        t[self.outcome != 0] = np.inf
        return float(np.median(t))

    def line_quantiles(self) -> F:
        """The fan chart of the line: its 5/25/50/75/95 % mid-distribution quantiles per
        month (rows: :data:`accord.war._common.FAN`), on the 0-1 pie scale; the median lies
        strictly inside the 25-75 % band wherever the runs' lines differ."""
        return mid_quantiles(self.line, FAN)

    def blocked_share(self) -> F:
        """Per month (rows) and obstacle (columns): share of runs still at war blocked by it."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.blocked / np.maximum(self.at_war, 1)[:, None]

    def p_escalation(self) -> tuple[float, float]:
        p = float((self.escalated >= 0).mean())
        return p, float(np.sqrt(p * (1 - p) / self.runs))

    def p_repositioning(self) -> float:
        if self.curtailed.shape[1] == 0:
            return 0.0
        return float(self.curtailed.any(axis=1).mean())

    def p_swap(self) -> tuple[float, float]:
        if self.swap.shape[1] == 0:
            return 0.0, 0.0
        p = float((self.swap >= 0).any(axis=1).mean())
        return p, float(np.sqrt(p * (1 - p) / self.runs))

    def p_retaken(self) -> F:
        out: F = np.asarray((self.retaken >= 0).mean(axis=0), dtype=float)
        return out

    def p_relapse(self) -> tuple[float, float]:
        """Mean P(relapse within 12, 24 months of the settlement) over settled runs."""
        s = self.outcome == 0
        if not s.any():
            return float("nan"), float("nan")
        return float(self.relapse[s, 0].mean()), float(self.relapse[s, 1].mean())

    def headline(self) -> dict[str, Any]:
        p, se = self.p_settled_by()
        pick = {m: (float(p[m]), float(se[m])) for m in (6, 12, 24) if m <= self.months}
        pick[self.months] = (float(p[-1]), float(se[-1]))
        settled = self.outcome == 0
        terms = {}
        if settled.any():
            for j, iid in enumerate(self.issue_ids):
                q = np.quantile(self.terms[settled, j], [0.1, 0.5, 0.9])
                terms[iid] = tuple(float(v) for v in q)
        return {
            "p_settled_by": pick,
            "median_month": self.median_month(),
            "p_outcome": self.p_outcome(),
            "terms": terms,
            "p_escalation": self.p_escalation()[0],
            "p_repositioning": self.p_repositioning(),
            "p_swap": self.p_swap()[0],
            "p_retaken": dict(
                zip((p.id for p in self.inputs.parcels), self.p_retaken().tolist(), strict=True)
            ),
            "p_relapse": self.p_relapse(),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per month: P(settled by m) with its s.e., and the blocking shares."""
        p, se = self.p_settled_by()
        frame = pd.DataFrame({"month": np.arange(self.months + 1), "p_settled": p, "se": se})
        frame["at_war"] = self.at_war
        shares = self.blocked_share()
        for j, name in enumerate(OBSTACLES):
            frame[f"blocked: {name}"] = shares[:, j]
        q = self.line_quantiles()
        names = ("line_q05", "line_q25", "line_q50", "line_q75", "line_q95")
        for name, row in zip(names, q, strict=True):
            frame[name] = row
        return frame

    def runs_frame(self) -> pd.DataFrame:
        """One row per run: outcome, month, terms, escalation, swaps, recaptures, relapse."""
        frame = pd.DataFrame(
            {
                "run": np.arange(self.runs),
                "outcome": [OUTCOMES[o] for o in self.outcome],
                "month": self.month,
            }
        )
        for j, iid in enumerate(self.issue_ids):
            frame[f"terms_{iid}"] = self.terms[:, j]
        frame["escalated"] = self.escalated
        if self.inputs.escalation is not None:
            for j, pid in enumerate(self.inputs.escalation.partners):
                frame[f"curtailed_{pid}"] = self.curtailed[:, j]
        for j, parcel in enumerate(self.inputs.parcels):
            frame[f"swap_{parcel.id}"] = self.swap[:, j]
            frame[f"retaken_{parcel.id}"] = self.retaken[:, j]
        frame["relapse_12"] = self.relapse[:, 0]
        frame["relapse_24"] = self.relapse[:, 1]
        return frame


# -- the engine --------------------------------------------------------------------------


def _check(inp: SettleInputs, months: int, runs: int) -> None:
    def bad(path: str, msg: str, value: Any) -> ModelError:
        return ModelError(msg, path=path, value=value)

    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise bad("months", "must be an integer >= 0", months)
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise bad("runs", "must be an integer >= 1", runs)
    if inp.states < 1:
        raise bad("states", "must be an integer >= 1", inp.states)
    if not 0 <= inp.start <= inp.states:
        raise bad("start", f"must be in [0, {inp.states}]", inp.start)
    if inp.battles_per_month < 1:
        raise bad("battles_per_month", "must be an integer >= 1", inp.battles_per_month)
    # sizes that allocate, checked before anything is allocated (accord.limits)
    limits.RUNS.check(runs, path="runs")
    limits.STATES.check(inp.states, path="states")
    limits.BATTLES.check(months * inp.battles_per_month, path="months")
    limits.DRAWS.check(
        runs * months * inp.battles_per_month,
        path="runs",
        what=f"{runs:,} runs x {months:,} months x {inp.battles_per_month:,} battles",
    )
    limits.CELLS.check(
        runs * (months + 1), path="runs", what=f"{runs:,} runs x {months + 1:,} months"
    )
    if not 0 < inp.theta < 1:
        raise bad("theta", "must be in (0, 1)", inp.theta)
    if not 0 < inp.delta < 1:
        raise bad("delta", "must be in (0, 1)", inp.delta)
    if not 0 <= inp.weight_A <= 1:
        raise bad("weight_A", "must be in [0, 1]", inp.weight_A)
    for i, (a, b) in enumerate(inp.beliefs):
        if a <= 0 or b <= 0:
            raise bad(f"beliefs[{i}]", "alpha and beta must be > 0", (a, b))
    for i, c in enumerate(inp.cost):
        if c < 0:
            raise bad(f"cost[{i}]", "must be >= 0", c)
    if inp.commitment is not None:  # M4's per-period war costs (power_shift's d)
        for i, d in enumerate(inp.commitment.d):
            if not d >= 0:
                raise bad(f"commitment.d[{i}]", "must be >= 0", d)
        if not inp.commitment.tripwire >= 0:
            raise bad("commitment.tripwire", "must be >= 0", inp.commitment.tripwire)
    for p in inp.parcels:
        if not 0 <= p.hazard <= 1:
            raise bad(f"parcels.{p.id}.hazard", "must be in [0, 1]", p.hazard)
        if not p.parcel.chip:
            raise bad(f"parcels.{p.id}.holder", "must differ from the owner", p.parcel.holder)
    for iss in inp.issues:
        if not iss.levels:
            raise bad(f"issues.{iss.id}.levels", "needs at least one option", iss.levels)
        if iss.guarantee and iss.g_of_level and len(iss.g_of_level) != len(iss.levels):
            raise bad(f"issues.{iss.id}.g_of_level", "needs one value per level", iss.g_of_level)
    if inp.spread < 0 or inp.theta_spread < 0:
        raise bad("spread", "must be >= 0", (inp.spread, inp.theta_spread))


def _streams(seed: int | None) -> dict[str, np.random.Generator]:
    # children are keyed by index: appending "aims" leaves the first five streams unchanged
    names = ("params", "battles", "parcels", "partners", "escalation", "aims")
    kids = np.random.SeedSequence(seed).spawn(len(names))
    return {n: np.random.default_rng(k) for n, k in zip(names, kids, strict=True)}


def _logit(p: float) -> float:
    return float(np.log(p) - np.log1p(-p))


def settle(
    inputs: SettleInputs,
    *,
    months: int = 24,
    runs: int = 10_000,
    seed: int | None = 0,
    trace: bool = True,
) -> SettleResult:
    """Simulate ``runs`` independent courses of the war for ``months`` months (seeded).

    ``trace=False`` leaves out what only the domestic trace shows, the win-set bounds at
    month 0 on up to 1,000 runs that have no deal anyway (``domestic["bounds0"]`` is then
    empty); every run's course and outcome is the same (tested). Sweeps use it: the
    month-0 bounds were half the cost of a run on the flagships."""
    inp = inputs
    _check(inp, months, runs)
    rs = _streams(seed)
    n_states, k_b = inp.states, inp.battles_per_month
    delta_b = inp.delta ** (1.0 / k_b)
    x0, x1 = inp.territory

    # per-run draws of the uncertain numbers (fixed order: common random numbers)
    z = rs["params"].standard_normal((8, runs))
    sp = inp.spread
    theta = 1 / (1 + np.exp(-(_logit(inp.theta) + inp.theta_spread * z[0])))
    cost_a = inp.cost[0] * np.exp(sp * z[1])
    cost_b = inp.cost[1] * np.exp(sp * z[2])
    psi_a = inp.psi[0] * np.exp(sp * z[3])
    psi_b = inp.psi[1] * np.exp(sp * z[4])
    com = inp.commitment
    if com is not None:
        shift_a = com.shift[0] * np.exp(sp * z[5])
        shift_b = com.shift[1] * np.exp(sp * z[5])
        gam_a = com.gamma[0] * np.exp(sp * z[6])
        gam_b = com.gamma[1] * np.exp(sp * z[7])
    esc = inp.escalation
    esc_z = rs["escalation"].standard_normal(runs)
    if esc is not None and esc.decide is not None:  # the escalation game: P(go) per run
        p_go = np.broadcast_to(esc.decide(esc.gain * np.exp(esc.spread * esc_z)), (runs,))
        will_go = rs["escalation"].random(runs) < p_go
    partner_u = rs["partners"].random((runs, len(esc.partners) if esc else 0))

    # value tables: discounted expected line by (theta node, state); beliefs by (n, k)
    nodes, _ = _nodes(_NODES)
    wbar = discounted_line(nodes, n_states, delta_b, (x0, x1))
    total = months * k_b
    (aa, ba), (ab, bb) = inp.beliefs
    tab_a = _belief_table(aa, ba, wbar, inp.start, total, inp.learn, k_b)
    tab_b = _belief_table(ab, bb, wbar, inp.start, total, inp.learn, k_b)
    tab_c = _belief_table((aa + ab) / 2, (ba + bb) / 2, wbar, inp.start, total, inp.learn, k_b)

    def belief_value(tab: F, n: int, wins: NDArray[np.int64], s: NDArray[np.int64]) -> F:
        out: F = tab[n, wins] if inp.learn else tab[0, s]
        return out

    def theta_nodes(th: F) -> tuple[NDArray[np.intp], F]:
        """Each θ's place between the quadrature nodes: index and interpolation weight."""
        i = np.clip(np.searchsorted(nodes, th), 1, nodes.size - 1)
        f = (th - nodes[i - 1]) / (nodes[i] - nodes[i - 1])
        return i, f

    def true_value(rows: NDArray[np.int64], s: NDArray[np.int64]) -> F:
        """W̄ at the true odds of these runs (interpolated between the nodes' rows)."""
        i, f = at_theta[0][rows], at_theta[1][rows]
        out: F = (1 - f) * wbar[i - 1, s] + f * wbar[i, s]
        return out

    at_theta = theta_nodes(theta)  # changed only where escalation shifts the odds
    space = package_space(inp.issues)
    (ra_lo, ra_hi), (rb_lo, rb_hi) = inp.line_red_lines
    red_line = (max(0.0, ra_lo, rb_lo), min(1.0, ra_hi, rb_hi))
    ga_all, gb_all, g_all = space["gain_A"], space["gain_B"], space["g"]
    everything = np.ones(ga_all.shape[0], dtype=bool)
    front_sets = {
        "all": _pareto(ga_all, gb_all, everything),
        "red": _pareto(ga_all, gb_all, space["red_ok"]),
    }
    g_levels = np.unique(g_all)
    by_g = {
        float(g): (
            _pareto(ga_all, gb_all, space["red_ok"] & (g_all == g)),
            _pareto(ga_all, gb_all, space["red_ok"] & space["veto_ok"] & (g_all == g)),
        )
        for g in g_levels
    }
    # M10's win-set bounds are needed on the packages these searches read, in these columns
    dom_cols = np.unique(np.concatenate([np.concatenate(p) for p in by_g.values()]))
    at_col = {
        g: (np.searchsorted(dom_cols, p_red), np.searchsorted(dom_cols, p_veto))
        for g, (p_red, p_veto) in by_g.items()
    }

    # mediators
    weight = np.full(runs, inp.weight_A)
    info = np.zeros(2)
    for med in inp.mediators:
        weight = np.clip(weight + med.influence * med.bias * 0.5, 0.0, 1.0)
        for side in (0, 1):
            if med.credible[side]:
                info[side] = max(info[side], med.info)

    # state
    s = np.full(runs, inp.start, dtype=np.int64)
    wins = np.zeros(runs, dtype=np.int64)
    alive = np.ones(runs, dtype=bool)
    outcome = np.full(runs, 3, dtype=np.int8)
    month = np.full(runs, -1, dtype=np.int64)
    n_iss = len(inp.issues)
    terms = np.full((runs, 1 + n_iss), np.nan)
    package = np.full(runs, -1, dtype=np.int64)
    surplus = np.full((runs, 2), np.nan)
    line = np.empty((runs, months + 1))
    n_par = len(inp.parcels)
    held = np.ones((runs, n_par), dtype=bool)
    swap = np.full((runs, n_par), -1, dtype=np.int64)
    retaken = np.full((runs, n_par), -1, dtype=np.int64)
    escalated = np.full(runs, -1, dtype=np.int64)
    curtailed = np.zeros((runs, len(esc.partners) if esc else 0), dtype=bool)
    extra_cost = np.zeros((runs, 2))
    gain_line = np.zeros(runs)  # land returned to A by swaps (pie units)
    lev_at = np.zeros((runs, 2))
    blocked = np.zeros((months + 1, len(OBSTACLES)), dtype=np.int64)
    at_war = np.zeros(months + 1, dtype=np.int64)
    pressure = np.zeros((months + 1, 2))

    # M5: what a held parcel costs its owner in war value (R_swap at psi = 0: its value less
    # the value of fighting for it), and what it is worth to its holder as a chip (U_swap)
    def chips(t: int) -> tuple[F, F]:
        """(cost held to the owner, U_swap) per parcel in month t. Held whole until it is
        retaken; with ``chip_decay`` at M5's expected area ``area·(1 - h)**t`` instead
        (``accord.war.land_swap``'s reading)."""
        cost, ask = np.empty(n_par), np.empty(n_par)
        for j, p in enumerate(inp.parcels):
            a0 = p.parcel.area
            frac = (1.0 - p.hazard) ** t if inp.chip_decay else 1.0
            cost[j] = float(
                swap_reservation(
                    p.owner_value() * frac, p.hazard, inp.delta, p.attack_cost, 0.0,
                    alpha=p.alpha, area=a0 * frac,
                ).R_swap
            )  # fmt: skip
            ask[j] = float(chip_value(p.holder_value(), a0 * frac, max(a0, 1e-300)))
        return cost, ask

    held_cost, u_swap = chips(0)
    swap_cache: dict[tuple[int, float, float], tuple[B, F]] = {}

    def swap_terms(j: int, p: HeldParcel, cost: float, ask: float) -> tuple[B, F]:
        """Per run: does the swap of parcel j clear, and at what price (pie units)? The
        owner gives up to R_swap = cost held - psi in its held gains, the holder asks
        U_swap; the same every month while the chip's values stay (no ``chip_decay``)."""
        key = (j, cost, ask)
        if key in swap_cache:
            return swap_cache[key]
        w_hold = weight if p.owner == 1 else 1.0 - weight
        pay = cost - swap_psi[:, j]
        if p.candidates:  # M5: some parcel T2 the owner gives up and the holder takes
            own = [c.value_A if p.owner == 0 else c.value_B for c in p.candidates]
            hold = [c.value_B if p.owner == 0 else c.value_A for c in p.candidates]
            feas = swap_feasible(pay, ask, hold, own)
            areas = np.array([c.area for c in p.candidates])
            price = areas[np.asarray(feas.best)] / max(p.pie_area, 1e-300)
            terms: tuple[B, F] = (np.asarray(feas.feasible), price)
        else:  # any amount of land: the Nash split of [U_swap, R_swap]
            terms = (pay >= ask, ask + w_hold * (pay - ask))
        if not inp.chip_decay:  # (with it the values change every month)
            swap_cache[key] = terms
        return terms

    owner = np.array([p.owner for p in inp.parcels], dtype=np.int64).reshape(n_par)
    swap_psi = np.array([p.psi for p in inp.parcels]).reshape(1, n_par) * np.exp(sp * z[4]).reshape(
        runs, 1
    )
    if s[0] in (0, n_states):
        outcome[:] = 1 if s[0] == n_states else 2
        month[:] = 0
        alive[:] = False
    start_share = None
    dom = inp.domestic
    if dom is not None:
        dom.check()
        dom_gains = faction_table(dom, inp.issues, space["levels"])
        dom_trace = DomesticTrace.empty(dom, runs, months, ga_all.shape[0])
        dom_trace.medians = trace
        ref = np.zeros((runs, 2))
        # war aims as a private type (M10 with M2's screening; derived here): the true
        # type per run and side, the opponent's posterior μ on "unlimited", its path
        aims = {a.side: a for a in dom.aims}
        unlimited = np.zeros((runs, 2), dtype=bool)
        mu = np.zeros((runs, 2))
        for k, a in aims.items():
            unlimited[:, k] = rs["aims"].random(runs) < a.prior
            mu[:, k] = a.prior
        mu_path = np.zeros((months + 1, 2))
        aims_blocked = np.zeros(runs, dtype=bool)
        rejections = np.zeros((runs, 2), dtype=np.int64)
        held_out = np.zeros(runs, dtype=bool)
        held_months = np.zeros((runs, 2))
        curtail_cost = np.zeros((runs, 2))

        def dom_signals(t: int, idx: NDArray[np.int64], e_c: F, share0: F, held: B) -> tuple[F, F]:
            """Each side's (runs, 3) pressure signals: months its land has been held, its
            loss of expected share since month 0, its partners' curtailment cost."""
            if n_par and t > 0:
                for side in (0, 1):
                    held_months[idx, side] += held[idx][:, owner == side].any(axis=1)
            lost = share0[idx] - e_c
            out = []
            for side in (0, 1):
                fl = np.maximum(lost if side == 0 else -lost, 0.0)
                out.append(np.stack([held_months[idx, side], fl, curtail_cost[idx, side]], 1))
            return out[0], out[1]

        lead_all: dict[int, LeaderTable] = {}
        ends = ((x1, x0), (1.0 - x0, 1.0 - x1))  # each side's best and worst share

        def leader_tables(
            rows: NDArray[np.int64],
        ) -> tuple[LeaderTable | None, LeaderTable | None]:
            """Each leader's tables on these runs (its expectation ``ref`` is fixed from
            month 0 on: made once per run, then looked up; one row for all runs where
            every run has the same expectation, e.g. a declared one)."""
            out: list[LeaderTable | None] = [None, None]
            for side in (0, 1):
                lead = dom.leader(side)
                if lead is None:
                    continue
                if side not in lead_all:
                    lead_all[side] = leader_table(ref[:, side], lead, *ends[side])
                out[side] = lead_all[side].rows(rows)
            return out[0], out[1]

        def dom_month(
            t: int,
            idx: NDArray[np.int64],
            sub: B,
            va: F,
            vb: F,
            e_a: F,
            e_b: F,
            e_c: F,
            share0: F,
            held: B,
        ) -> tuple[tuple[F, F], tuple[F, F], dict[str, Any]]:
            """The month's win-set bounds (runs x the packages ``dom_cols``) on the rows
            ``sub`` (the runs where the state alone has a deal; elsewhere undefined, never
            searched). Month 0 of a trace has every package (the trace's medians)."""
            sig = dom_signals(t, idx, e_c, share0, held)
            r = np.nonzero(sub)[0]
            every = t == 0 and trace
            cols = None if every else dom_cols
            shape = (idx.size, ga_all.shape[0] if every else dom_cols.size)
            extras: dict[str, Any] = {}
            if r.size == idx.size:  # every run searched: the bounds as they come
                fac, both, extras = month_bounds(
                    dom, dom_gains, ga_all, gb_all, va, vb, e_a, e_b, ref[idx],
                    sig, (x0, x1), leader_tables(idx), cols,
                )  # fmt: skip
            else:  # rows outside ``sub`` are never read: the searches run on gate ⊆ sub
                fac = (np.empty(shape), np.empty(shape))  # (no fill: untouched pages are free)
                both = (np.empty(shape), np.empty(shape))
            if r.size and r.size < idx.size:
                rows = idx[r]
                fac_r, both_r, extras = month_bounds(
                    dom, dom_gains, ga_all, gb_all, va[r], vb[r], e_a[r], e_b[r], ref[rows],
                    (sig[0][r], sig[1][r]), (x0, x1), leader_tables(rows), cols,
                )  # fmt: skip
                for k in (0, 1):
                    fac[k][r], both[k][r] = fac_r[k], both_r[k]
            if every:  # the searches read the columns ``dom_cols``
                fac = (fac[0][:, dom_cols], fac[1][:, dom_cols])
                both = (both[0][:, dom_cols], both[1][:, dom_cols])
            extras["weights"] = [
                pressure_weights(tab.w0, tab.alpha, sig[k]) if tab.ids else np.zeros((idx.size, 0))
                for k, tab in enumerate(dom_gains)
            ]
            return fac, both, extras

    for t in range(months + 1):
        n_b = t * k_b
        front = x0 + (x1 - x0) * s / n_states + gain_line
        line[:, t] = np.where(outcome == 0, terms[:, 0], np.clip(front, 0, 1))
        if not alive.any():
            line[:, t:] = line[:, t : t + 1]
            break
        idx = np.nonzero(alive)[0]
        at_war[t] = idx.size
        si, wi = s[idx], wins[idx]
        e_a = belief_value(tab_a, n_b, wi, si)
        e_b = belief_value(tab_b, n_b, wi, si)
        e_c = belief_value(tab_c, n_b, wi, si)
        if info.any():
            e_true = true_value(idx, si)
            e_a = (1 - info[0]) * e_a + info[0] * e_true
            e_b = (1 - info[1]) * e_b + info[1] * e_true
        e_a = e_a + gain_line[idx]
        e_b = e_b + gain_line[idx]
        e_c = e_c + gain_line[idx]
        if start_share is None:
            start_share = e_c.copy()
            share0 = np.zeros(runs)
            share0[idx] = e_c
        # leverage: decays, grows with the protégé's loss of expected share
        lev = np.zeros((idx.size, 2))
        for med in inp.mediators:
            # the protégé's loss of expected share since month 0
            loss = share0[idx] - e_c if med.bias > 0 else e_c - share0[idx]
            push = 1.0 + med.fear * np.maximum(loss, 0.0)
            lev += np.outer(push, np.asarray(med.leverage) * med.decay**t)
        lev_at[idx] = lev
        par_cost = np.zeros((idx.size, 2))
        if n_par:
            if inp.chip_decay:
                held_cost, u_swap = chips(t)
            c_hold = held[idx] * held_cost[None, :]
            for side in (0, 1):
                par_cost[:, side] = c_hold[:, owner == side].sum(axis=1)
        pressure[t] = par_cost.mean(axis=0) if idx.size else 0.0
        ca = cost_a[idx] + extra_cost[idx, 0] + lev[:, 0] + par_cost[:, 0]
        cb = cost_b[idx] + extra_cost[idx, 1] + lev[:, 1] + par_cost[:, 1]
        va, vb = e_a - ca, 1.0 - e_b - cb
        # M4's per-period war cost scales with the side's cost of war now (pressure, leverage,
        # escalation costs on top of its base cost); leverage on a side also restrains it
        # after a settlement, lowering what the other side fears (Favretto 2009)
        scale_d = np.stack(
            [ca / np.maximum(cost_a[idx], 1e-12), cb / np.maximum(cost_b[idx], 1e-12)], axis=1
        )
        restrain = inp.enforcement * lev[:, ::-1]
        vca, vcb = e_c - ca, 1.0 - e_c - cb
        f_i = np.clip(front[idx], 0, 1)
        pa, pb = psi_a[idx], psi_b[idx]
        rep = bool((pa > 0).any() or (pb > 0).any())
        pa_, pb_ = (pa, pb) if rep else (None, None)

        allp, redp = front_sets["all"], front_sets["red"]
        m1 = _any_feasible(vca, vcb, ga_all[allp], gb_all[allp], f_i, None, None)
        m2 = m1 & _any_feasible(va, vb, ga_all[allp], gb_all[allp], f_i, None, None)
        m3 = m2 & _any_feasible(va, vb, ga_all[redp], gb_all[redp], f_i, None, None, red_line)
        m4 = m3 & _any_feasible(va, vb, ga_all[redp], gb_all[redp], f_i, pa_, pb_, red_line)
        variants: list[tuple[F, F] | None] = [None]
        found = []
        gate = m4
        # M4 at every guarantee level at once, on the runs the searches can reach (gate ⊆ m4)
        ok_at = np.ones((len(by_g), idx.size), dtype=bool)
        on = np.nonzero(m4)[0]
        if com is not None and on.size:
            ok_at[:, on] = _self_enforcing(
                e_a[on], 1.0 - e_b[on], np.array(list(by_g))[:, None], shift_a[idx[on]],
                shift_b[idx[on]], gam_a[idx[on]], gam_b[idx[on]], com, inp.delta, scale_d[on],
                restrain[on],
            )  # fmt: skip
        ok_by_g = dict(zip(by_g, ok_at, strict=True))
        for ex in variants:  # the state alone; its factions; factions and leader
            m5 = np.zeros(idx.size, dtype=bool)
            best = np.full(idx.size, -np.inf)
            best_x = np.full(idx.size, np.nan)
            best_pkg = np.full(idx.size, -1, dtype=np.int64)
            for g, (p_red, p_veto) in by_g.items():
                ok_g = ok_by_g[g]
                rows = np.nonzero(gate & ok_g)[0]  # only runs this guarantee level can serve
                if rows.size == 0:
                    continue
                pa_r = pa_[rows] if pa_ is not None else None
                pb_r = pb_[rows] if pb_ is not None else None
                va_r, vb_r, f_r = va[rows], vb[rows], f_i[rows]
                if p_red.size:
                    m5[rows] |= _any_feasible(
                        va_r,
                        vb_r,
                        ga_all[p_red],
                        gb_all[p_red],
                        f_r,
                        pa_r,
                        pb_r,
                        red_line,
                        extra=None
                        if ex is None
                        else (ex[0][rows][:, at_col[g][0]], ex[1][rows][:, at_col[g][0]]),
                    )
                if p_veto.size:
                    x, val = _nash(
                        va_r,
                        vb_r,
                        ga_all[p_veto],
                        gb_all[p_veto],
                        f_r,
                        pa_r,
                        pb_r,
                        weight[idx][rows],
                        red_line,
                        None
                        if ex is None
                        else (ex[0][rows][:, at_col[g][1]], ex[1][rows][:, at_col[g][1]]),
                    )
                    j = np.argmax(val, axis=1)
                    pick = np.arange(rows.size)
                    v = val[pick, j]
                    better = v > best[rows]
                    sel = rows[better]
                    best[sel] = v[better]
                    best_x[sel] = x[pick, j][better]
                    best_pkg[sel] = p_veto[j][better]
            found.append((m5, best, best_x, best_pkg))
            # the win-sets only narrow the state's range: search them where it has a deal
            gate = m4 & m5 & np.isfinite(best)
            if dom is not None and len(found) == 1:  # M10 (accord.war.twolevel)
                if t == 0:
                    ref[idx, 0], ref[idx, 1] = e_a, 1.0 - e_b
                    for lead in dom.survival:
                        if lead.expectation is not None:
                            ref[:, lead.side] = lead.expectation
                # month 0 also on a sample of runs, for the trace's win-set medians
                sample = gate | ((t == 0) & trace & (np.arange(idx.size) < 1000))
                fac, both, extras = dom_month(t, idx, sample, va, vb, e_a, e_b, e_c, share0, held)
                variants += [fac, both]
        m5, best, best_x, best_pkg = found[0]
        m6 = m5 & np.isfinite(best)
        # each test narrows the last (m1 ⊇ m2 ⊇ ... ⊇ m6): a run's obstacle is the first it
        # fails, so the count of obstacle j is the drop from test j to test j + 1
        passed = [idx.size] + [int(m.sum()) for m in (m1, m2, m3, m4, m5, m6)]
        blocked[t] = np.subtract(passed[:-1], passed[1:])
        if dom is not None:
            ok_fac = found[1][0] & np.isfinite(found[1][1])
            m5, best, best_x, best_pkg = found[2]
            ok_all = m5 & np.isfinite(best)
            dom_trace.record(t, idx, m6, ok_fac, ok_all, extras)
            m6 = ok_all
            for k, a in aims.items():  # the opponent's offer screens the leader's aims
                rk = idx[m6]
                offer = mu[rk, k] <= dom.offer_below
                x_k = best_x[m6]
                short = x_k < a.ideal - 1e-9 if k == 0 else x_k > a.ideal + 1e-9
                reject = offer & unlimited[rk, k] & short
                # Bayes after a rejection of a package the limited type accepts (the
                # unlimited one rejects it surely, a limited one only by the opponent's
                # allowance ε): μ' = μ/(μ + (1-μ)ε). Escalation leaves μ: both types
                # escalate by the same M7 rule, so it carries no information.
                m_r = mu[rk[reject], k]
                mu[rk[reject], k] = m_r / (m_r + (1.0 - m_r) * a.mistake)
                aims_blocked[rk[reject]] = True
                rejections[rk[reject], k] += 1
                held_out[rk[~offer]] = True
                ok = np.ones(idx.size, dtype=bool)
                ok[np.nonzero(m6)[0][~offer | reject]] = False
                m6 = m6 & ok
            mu_path[t:] = mu.mean(axis=0)
        done = idx[m6]
        if done.size:
            outcome[done] = 0
            month[done] = t
            terms[done, 0] = best_x[m6]
            if n_iss:
                terms[done, 1:] = space["levels"][best_pkg[m6]]
            package[done] = best_pkg[m6]
            xs, kk = best_x[m6], best_pkg[m6]
            fs = f_i[m6]
            surplus[done, 0] = xs + ga_all[kk] - pa[m6] * (xs < fs - 1e-12) - va[m6]
            surplus[done, 1] = 1 - xs + gb_all[kk] - pb[m6] * (xs > fs + 1e-12) - vb[m6]
            alive[done] = False
            line[done, t] = best_x[m6]
        if t == months:
            break

        # fighting
        idx = np.nonzero(alive)[0]
        u = rs["battles"].random((runs, k_b))[idx]
        s_new = s[idx].copy()
        w_new = wins[idx].copy()
        ended = np.zeros(idx.size, dtype=bool)
        for b_ in range(k_b):
            won = (u[:, b_] < theta[idx]) & ~ended
            lost = ~(u[:, b_] < theta[idx]) & ~ended
            s_new = s_new + won.astype(np.int64) - lost.astype(np.int64)
            w_new = w_new + won.astype(np.int64)
            ended |= (s_new <= 0) | (s_new >= n_states)
        lost_ground = np.where(s_new < s[idx], 0, np.where(s_new > s[idx], 1, -1))
        s[idx], wins[idx] = s_new, w_new
        a_won = idx[s_new >= n_states]
        b_won = idx[s_new <= 0]
        outcome[a_won], outcome[b_won] = 1, 2
        month[a_won], month[b_won] = t + 1, t + 1
        alive[a_won] = alive[b_won] = False

        # held parcels retaken
        u_p = rs["parcels"].random((runs, n_par))
        if n_par:
            back = alive[:, None] & held & (u_p < np.array([p.hazard for p in inp.parcels]))
            retaken[back] = t + 1
            held &= ~back

        # escalation by the side losing ground or land
        if esc is not None:
            cand = alive & (escalated < 0)
            losing = np.zeros(runs, dtype=bool)
            losing[idx] = lost_ground == esc.side
            if n_par:
                losing |= (held & (owner == esc.side)[None, :]).any(axis=1)
            cand &= losing
            tau, phi = np.asarray(esc.tau), np.asarray(esc.phi)
            threshold = esc.r_use * esc.D + esc.Y * float((tau * phi).sum())
            gain = esc.gain * np.exp(esc.spread * esc_z)
            go = cand & (will_go if esc.decide is not None else gain > threshold)
            if go.any():
                escalated[go] = t + 1
                cut = go[:, None] & (partner_u < phi[None, :])
                curtailed |= cut
                loss = (cut * (esc.Y * tau)[None, :]).sum(axis=1) / esc.money_per_pie
                me, other = esc.side, 1 - esc.side
                extra_cost[go, me] += esc.cost_self + loss[go]
                if dom is not None:
                    curtail_cost[go, me] += loss[go]
                extra_cost[go, other] += esc.cost_other
                toward = -1 if esc.side == 1 else 1
                theta[go] = np.clip(theta[go] + toward * esc.theta_shift, 1e-6, 1 - 1e-6)
                at_theta[0][go], at_theta[1][go] = theta_nodes(theta[go])

        # land-for-land swap (M5): the owner gives up to R_swap = cost held - psi in its
        # held gains, the holder asks U_swap (the chip's value); the price splits the
        # difference by the Nash weights and is paid in land returned to the holder
        if n_par:
            if inp.chip_decay:  # the swap closes the month: the chip as it is then
                held_cost, u_swap = chips(t + 1)
            for j, p in enumerate(inp.parcels):
                can = alive & held[:, j]
                if not can.any():
                    continue
                ok_j, price = swap_terms(j, p, float(held_cost[j]), float(u_swap[j]))
                go = can & ok_j
                if go.any():
                    swap[go, j] = t + 1
                    held[go, j] = False
                    gain_line[go] += price[go] if p.owner == 1 else -price[go]

    # relapse (M9) for settled runs
    relapse = np.zeros((runs, 2))
    settled = outcome == 0
    if inp.durability is not None and settled.any():
        relapse[settled] = _relapse(inp, package[settled], lev_at[settled], surplus[settled], g_all)
    return SettleResult(
        inputs=inp,
        months=months,
        runs=runs,
        seed=seed,
        outcome=outcome,
        month=month,
        terms=terms,
        issue_ids=(inp.war_issue, *(iss.id for iss in inp.issues)),
        line=line,
        escalated=escalated,
        curtailed=curtailed,
        swap=swap,
        retaken=retaken,
        relapse=relapse,
        package=package,
        surplus=surplus,
        blocked=blocked,
        at_war=at_war,
        space=space,
        pressure=pressure,
        domestic=None
        if dom is None
        else _with_aims(
            dom_trace.finish(dom, line, outcome, month, ref),
            dom,
            {"mu_path": mu_path, "mu": mu, "unlimited": unlimited, "rejections": rejections},
            {"aims_blocked": aims_blocked, "held_out": held_out},
        ),
    )


def _with_aims(
    trace: dict[str, Any], dom: Domestic, paths: dict[str, Any], runs: dict[str, Any]
) -> dict[str, Any]:
    """M10's trace plus the war-aims screening (only where ``dom.aims`` is declared):
    ``mu_path`` (months+1 x 2: the opponent's posterior on "unlimited", mean over runs),
    ``mu`` (runs x 2: each run's final posterior), ``rejections`` (runs x 2: offers the
    leader rejected), ``unlimited`` (per run and side: the drawn type), ``aims_blocked``
    (per run: the unlimited type rejected an offer the state and the win-sets allowed), ``held_out``
    (per run: the opponent withheld an offer because μ_t > μ*)."""
    if not dom.aims:
        return trace
    return {
        **trace,
        "aims": {
            "sides": [a.side for a in dom.aims],
            "offer_below": dom.offer_below,
            **paths,
            **runs,
        },
    }


def _self_enforcing(
    p_a: F,
    p_b: F,
    g: float | F,
    shift_a: F,
    shift_b: F,
    gam_a: F,
    gam_b: F,
    com: Commitment,
    delta: float,
    scale_d: F,
    restrain: F,
) -> B:
    """M4 at guarantee strength g: neither side prefers to fight now (power_shift).
    ``g``: a number, or a column (levels x 1) for every level at once (levels x runs).

    Each side's per-period war cost is its ``d`` times ``scale_d`` (its cost of war now
    over its base cost); side B's also carries the tripwire ``τ·g``. ``restrain`` (runs x
    2) lowers each side's feared shift: a mediator's leverage on the other side."""
    q_a = np.clip(p_a - np.maximum(shift_a - restrain[:, 0], 0.0) + gam_a * g, 0.0, 1.0)
    q_b = np.clip(p_b + np.maximum(shift_b - restrain[:, 1], 0.0) - gam_b * g, 0.0, 1.0)
    pa = np.clip(p_a, 0.0, 1.0)
    pb = np.clip(p_b, 0.0, 1.0)
    # power_shift's condition; its inputs are in range by construction (p and q clipped,
    # delta, d and the tripwire checked by _check)
    lhs_a, rhs_a = shift_terms(pa, q_a, delta, com.d[0] * scale_d[:, 0])
    d_b = com.d[1] * scale_d[:, 1] + com.tripwire * g
    lhs_b, rhs_b = shift_terms(pb, q_b, delta, d_b)
    ok: B = ~(lhs_a > rhs_a) & ~(lhs_b > rhs_b)
    return ok


def _relapse(inp: SettleInputs, pkg: NDArray[np.int64], lev: F, surplus: F, g_all: F) -> F:
    """P(relapse within 12 and 24 months of the settlement), M9 with M6's leverage gap."""
    d = inp.durability
    assert d is not None
    g = g_all[pkg]
    gap = np.maximum(lev - surplus, 0.0).max(axis=1)
    extra: dict[str, float] = {}
    if d.base_hazard is not None:
        extra["base_hazard"] = d.base_hazard
    if d.kappa is not None:
        extra["kappa"] = d.kappa
    decay = min((m.decay for m in inp.mediators), default=1.0)
    out = np.zeros((pkg.size, 2))
    for k, months in enumerate((12, 24)):
        r = relapse_probability(
            months,
            guarantees=g,
            dmz=d.dmz,
            peacekeepers=(g >= d.peacekeepers_from).astype(float),
            gap=gap,
            L0=lev.sum(axis=1),
            lam=decay,
            **extra,
        )
        out[:, k] = np.asarray(r.p_relapse)
    return out
