"""M10 (part 1): two-level games: factions, ratification and the win-set (Putnam 1988).

A belligerent's decision is ratified at home. Its factions ``f`` have weights ``w_f``
(``Σ w_f = 1`` within the belligerent), ideal points and saliences on the package issues,
and a *premium* on the war issue: how much more (or, negative, less) of the line than
the belligerent's own position it demands, in pie units. Everything in pie units, side A's
share ``x`` of the war issue, as in :mod:`accord.war.settle`.

**A faction's acceptable line** (*derived here*, M5's linkage utility for the faction):
with the belligerent's war value ``V_i`` (the settlement engine's, pie units) faction f
values fighting on at ``V_f = V_i + premium_f`` and package ``k`` at its linkage gain
``g_f(k) = Σ_j s_fj (|war_j - ideal_fj| - |y_kj - ideal_fj|)/width_j``. It accepts
``(x, k)`` iff ``x ≥ L_f(k) = V_f - g_f(k)`` (side A) or ``x ≤ H_f(k) = 1 + g_f(k) - V_f``
(side B).

**Ratification** (design note M10): ``(x, k)`` is ratified iff the weighted share of
factions accepting it is at least ``κ``. Because every faction's acceptable set is a
half-line, the ratified set is one too: ``x ≥ Q_κ(L_f; w)``, the smallest ``L`` such that
the factions with ``L_f ≤ L`` weigh at least ``κ`` (a weighted quantile); for side B
``x ≤`` the matching upper quantile of ``H_f``. With one faction of weight 1, premium 0
and the belligerent's ideals and saliences the ratified set is the unitary state's set,
number for number. ``κ = 0.5`` is a weighted majority, ``κ = 1`` unanimity (every
faction a veto player). Since ``L_f(k) - V_i = premium_f - g_f(k)`` does not depend on the
war value, the factions' order on a package is the same in every run and month, and
``Q_κ`` is the end of the first faction in that order whose cumulative weight reaches
``κ`` (*derived here*; :func:`faction_bounds`, the engine's path, against
:func:`ratified_bound`, the weighted quantile by a sort).

**Domestic pressure** moves the weights (*derived here*, coefficients per faction from the
scenario, sourced or judgement-marked): with signals ``z`` per month (``held_land``:
months the belligerent's own sovereign land has been held by the other; ``front_loss``:
its loss of expected share since month 0, pie units; ``sanctions``: its partners' trade
curtailment, pie units per month),

.. math:: w_f(t) \\propto w_f(0)\\,\\exp\\Big(\\sum_k \\alpha_{fk} z_k(t)\\Big),

renormalised within the belligerent (weights stay positive and sum to 1).

**The win-set** of a belligerent is the set of packages its ratification rule accepts and
its leader accepts (:mod:`accord.war.leader`): the leader requires ``U_L(x, k) ≥ U_L(war)``.
Settlements happen only inside both win-sets; a narrower win-set on one side moves the
agreed package toward that side where the bound binds (Schelling's conjecture as Putnam
states it).

References
----------
* Putnam, R. D. (1988). Diplomacy and domestic politics: the logic of two-level games.
  *IO* 42(3), 427-460.
* Schelling, T. C. (1960). *The Strategy of Conflict*. Harvard UP.
* Tsebelis, G. (2002). *Veto Players*. Princeton UP (unanimity as ``κ = 1``).
* Bueno de Mesquita, B. et al. (2003). *The Logic of Political Survival*. MIT Press.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError
from accord.war._common import WarResult, check_range
from accord.war.leader import REGIMES, loss, removal_risk

__all__ = [
    "AIMS_OFFER_BELOW",
    "SIGNALS",
    "Domestic",
    "DomesticTrace",
    "Faction",
    "LeaderTable",
    "SideTable",
    "Survival",
    "WarAims",
    "end_risks",
    "faction_bounds",
    "faction_gains",
    "faction_table",
    "leader_bound",
    "leader_phi",
    "leader_table",
    "month_bounds",
    "pressure_weights",
    "ratified_bound",
    "war_risk",
    "winset",
]

F = NDArray[np.float64]

SIGNALS = ("held_land", "front_loss", "sanctions")
"""The domestic-pressure signals, in the order of :attr:`Faction.pressure`."""


@dataclass(frozen=True)
class Faction:
    """A faction of belligerent ``side`` (0 = A, 1 = B).

    ``ideal``/``salience``: per package issue (in the order of the engine's issues), its
    ideal point and its weight relative to the war issue; ``None`` takes the
    belligerent's. ``pressure``: its coefficients on :data:`SIGNALS`."""

    id: str
    side: int
    weight: float
    premium: float = 0.0
    ideal: tuple[float, ...] | None = None
    salience: tuple[float, ...] | None = None
    pressure: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Survival:
    """The leader of belligerent ``side``: value of office ``office`` (pie units), regime
    type (:data:`accord.war.leader.REGIMES`), maximal removal risk ``r_max``, an
    outside ``protector``'s cover of its survival after a settlement, and the
    ``expectation`` outcomes are judged against (its own share of the line, pie units;
    ``None``: the share it expects from the war at month 0)."""

    side: int
    office: float
    regime: str
    r_max: float = 1.0
    cover: float = 0.0
    protector: str | None = None
    expectation: float | None = None


@dataclass(frozen=True)
class WarAims:
    """War aims of belligerent ``side``'s leader as a private type (M10, M2's screening in
    the engine): the opponent's ``prior`` that they are unlimited and its allowance
    ``mistake`` (ε) for rejections by a limited leader it cannot see. An unlimited leader
    accepts only packages reaching ``ideal`` (its share of the line, pie units; side A:
    ``x >= ideal``, side B: ``x <= ideal``); a limited one its win-set."""

    side: int
    prior: float
    mistake: float
    ideal: float


AIMS_OFFER_BELOW = 0.5
"""μ*: the opponent offers the limited type's price iff its posterior μ_t <= μ* (shared
across scenarios; judgement, see docs/settle.md "War aims")."""


@dataclass(frozen=True)
class Domestic:
    """The engine's optional two-level hook: factions, ratification thresholds κ per side,
    the leaders' survival, and war aims as a private type (``aims``, with the opponent's
    offer cutoff ``offer_below`` = μ*)."""

    factions: tuple[Faction, ...] = ()
    threshold: tuple[float, float] = (0.5, 0.5)
    survival: tuple[Survival, ...] = ()
    aims: tuple[WarAims, ...] = ()
    offer_below: float = AIMS_OFFER_BELOW

    def check(self) -> None:
        """Raise :class:`ModelError` naming the bad field."""
        for i, k in enumerate(self.threshold):
            if not 0.0 < k <= 1.0:
                raise ModelError("must be in (0, 1]", path=f"domestic.threshold[{i}]", value=k)
        for side in (0, 1):
            ws = [f.weight for f in self.factions if f.side == side]
            if ws and abs(sum(ws) - 1.0) > 1e-6:
                raise ModelError(
                    "faction weights of a side must sum to 1",
                    path=f"domestic.factions[side {side}]",
                    value=round(sum(ws), 6),
                )
        for f in self.factions:
            if f.side not in (0, 1):
                raise ModelError(
                    "must be 0 or 1", path=f"domestic.factions.{f.id}.side", value=f.side
                )
            if f.weight < 0:
                raise ModelError(
                    "must be >= 0", path=f"domestic.factions.{f.id}.weight", value=f.weight
                )
        if not 0.0 <= self.offer_below <= 1.0:
            raise ModelError(
                "must be in [0, 1]", path="domestic.offer_below", value=self.offer_below
            )
        for a in self.aims:
            for name, v in (("prior", a.prior), ("mistake", a.mistake), ("ideal", a.ideal)):
                if not 0.0 <= v <= 1.0:
                    raise ModelError(
                        "must be in [0, 1]", path=f"domestic.aims[{a.side}].{name}", value=v
                    )
        for s in self.survival:
            if s.regime not in REGIMES:
                raise ModelError(
                    f"must be one of {', '.join(REGIMES)}",
                    path=f"domestic.survival[{s.side}].regime",
                    value=s.regime,
                )

    def of_side(self, side: int) -> tuple[Faction, ...]:
        return tuple(f for f in self.factions if f.side == side)

    def leader(self, side: int) -> Survival | None:
        return next((s for s in self.survival if s.side == side), None)


def faction_gains(
    levels: F,
    war_level: Sequence[float],
    width: Sequence[float],
    ideal: Sequence[float],
    salience: Sequence[float],
) -> F:
    """``g_f(k)`` for every package (rows of ``levels``, packages x issues): M5's linkage
    utility relative to the war-time levels, in pie units (the engine's formula)."""
    out = np.zeros(levels.shape[0])
    for j in range(levels.shape[1]):
        y = levels[:, j]
        out += salience[j] * (abs(war_level[j] - ideal[j]) - np.abs(y - ideal[j])) / width[j]
    return out


def ratified_bound(bounds: ArrayLike, weights: ArrayLike, kappa: float, side: int) -> F:
    """The ratified half-line's end from the factions' ends (factions on axis 1).

    ``bounds``: (runs, factions, packages) ``L_f`` (side 0) or ``H_f`` (side 1);
    ``weights``: (runs, factions). Side 0: the smallest ``L`` whose accepting factions
    weigh ``≥ κ``; side 1: the largest ``H``. Returns (runs, packages)."""
    b = np.asarray(bounds, dtype=float)
    w = np.asarray(weights, dtype=float)
    key = b if side == 0 else -b
    order = np.argsort(key, axis=1, kind="stable")
    sb = np.take_along_axis(key, order, axis=1)
    sw = np.take_along_axis(np.broadcast_to(w[:, :, None], b.shape), order, axis=1)
    cum = np.cumsum(sw, axis=1)
    first = np.argmax(cum >= kappa - 1e-12, axis=1)
    out: F = np.take_along_axis(sb, first[:, None, :], axis=1)[:, 0, :]
    return out if side == 0 else -out


def faction_bounds(
    tab: SideTable,
    value: F,
    weights: F,
    kappa: float,
    side: int,
    cols: NDArray[np.int64] | None = None,
) -> F:
    """:func:`ratified_bound` of a side's factions on every package, without a sort per run.

    The factions' ends are ``L_f(k) = V + premium_f - g_f(k)`` (side A) and
    ``H_f(k) = 1 + g_f(k) - V - premium_f`` (side B): the state's war value ``V`` moves
    every faction's end on a package by the same amount, so the factions' order on
    package k is that of ``c_f(k) = premium_f - g_f(k)`` (ascending ``L``, descending
    ``H``) in every run and month (*derived here*). The weighted quantile ``Q_κ`` is then
    the end of the first faction in that order whose cumulative weight reaches ``κ``: one
    cumulative sum of the runs' weights per distinct order (``tab.perms``), not a sort
    per run and package.

    The same floating-point operations as :func:`ratified_bound` in the same order give
    the same bits wherever the order is certain: where two factions' ``c`` differ by more
    than the rounding of the ends (``16 ε (1 + |V| + |premium| + |g|)``, ε the machine
    epsilon), or not at all with the same premium and gain (equal ends, taken in index
    order as the stable sort does). Packages with a closer pair are computed by
    :func:`ratified_bound` itself. ``value``: (runs,); ``weights``: (runs, factions);
    ``cols``: only these packages. Returns (runs, packages)."""
    v = np.asarray(value, dtype=float)
    w = np.asarray(weights, dtype=float)
    k = np.arange(tab.gains.shape[1]) if cols is None else np.asarray(cols)
    runs = v.shape[0]
    if runs == 0 or k.size == 0:
        return np.empty((runs, k.size))
    # per distinct order: the first faction whose cumulative weight reaches kappa
    cum = np.cumsum(w[:, tab.perms], axis=2)  # runs x orders x factions
    first = np.argmax(cum >= kappa - 1e-12, axis=2)
    pick = tab.perms[np.arange(tab.perms.shape[0])[None, :], first]  # runs x orders
    f = pick[:, tab.group[k]]  # the pivotal faction of each run and package
    vf = v[:, None] + tab.premium[f]
    g = tab.gains[f, k[None, :]]
    out: F = vf - g if side == 0 else 1.0 + g - vf
    scale = 1.0 + float(np.abs(v).max()) + float(np.abs(tab.premium).max())
    thr = 16 * np.finfo(float).eps * (scale + float(np.abs(tab.gains).max()))
    close = np.nonzero(tab.gap[k] <= thr)[0]  # columns whose order is not certain
    if close.size:
        kc = k[close]
        vf3 = (v[:, None] + tab.premium[None, :])[:, :, None]
        g3 = tab.gains[None, :, kc]
        ends = vf3 - g3 if side == 0 else 1.0 + g3 - vf3
        out[:, close] = ratified_bound(ends, w, kappa, side)
    return out


def pressure_weights(w0: ArrayLike, alpha: ArrayLike, signals: ArrayLike) -> F:
    """``w_f ∝ w_f(0)·exp(α_f · z)`` renormalised. ``w0`` (factions,), ``alpha``
    (factions, 3), ``signals`` (runs, 3) -> (runs, factions)."""
    w = np.asarray(w0, dtype=float)
    a = np.asarray(alpha, dtype=float)
    z = np.asarray(signals, dtype=float)
    logit = z @ a.T
    logit -= logit.max(axis=1, keepdims=True)
    raw = w[None, :] * np.exp(logit)
    out: F = raw / np.maximum(raw.sum(axis=1, keepdims=True), 1e-300)
    return out


def war_risk(p_win: ArrayLike, ref: ArrayLike, best: float, worst: float, lead: Survival) -> F:
    """The leader's removal risk from fighting on (*derived here*): the war as M3's lottery
    over its two ends, its side's share ``best`` with probability ``p_win`` and ``worst``
    otherwise, each judged against the expectation ``ref`` (no cover: the protector covers
    settlements)."""
    r_best, r_worst = end_risks(ref, best, worst, lead)
    return _lottery(p_win, r_best, r_worst)


def end_risks(ref: ArrayLike, best: float, worst: float, lead: Survival) -> tuple[F, F]:
    """The removal risks of :func:`war_risk` at the war's two ends, ``r(ℓ(best))`` and
    ``r(ℓ(worst))``: they depend only on the expectation ``ref``."""
    r_best = removal_risk(loss(best, ref), lead.regime, lead.r_max)
    r_worst = removal_risk(loss(worst, ref), lead.regime, lead.r_max)
    return r_best, r_worst


def _lottery(p_win: ArrayLike, r_best: F, r_worst: F) -> F:
    p = np.clip(np.asarray(p_win, dtype=float), 0.0, 1.0)
    out: F = p * r_best + (1 - p) * r_worst
    return out


@lru_cache(maxsize=4)
def _grid(n: int) -> F:
    y = np.linspace(0.0, 1.0, n)
    y.flags.writeable = False
    return y


@dataclass(frozen=True)
class LeaderTable:
    """What a leader's bound needs that depends only on its expectation ``ref``: the φ
    table of :func:`leader_phi` and the removal risks at the war's two ends
    (:func:`end_risks`), one row per run or a single row every run shares (the same
    expectation in every run, e.g. a declared one). The settlement engine fixes ``ref``
    at month 0 and makes this once (:func:`leader_table`)."""

    phi: F
    r_best: F
    r_worst: F

    def rows(self, idx: NDArray[np.int64]) -> LeaderTable:
        if self.phi.shape[0] == 1:
            return self
        return LeaderTable(self.phi[idx], self.r_best[idx], self.r_worst[idx])


def leader_table(
    ref: ArrayLike, lead: Survival, best: float, worst: float, grid: int = 513
) -> LeaderTable:
    """:class:`LeaderTable` of a leader for expectations ``ref`` (runs,), on one row where
    they are all equal."""
    r = np.asarray(ref, dtype=float)
    if r.size and (r == r[0]).all():
        r = r[:1]
    r_best, r_worst = end_risks(r, best, worst, lead)
    return LeaderTable(leader_phi(r, lead, grid), r_best, r_worst)


def leader_phi(ref: ArrayLike, lead: Survival, grid: int = 513) -> F:
    """``φ(y) = y - B(1-c)·r(ℓ(y))`` on ``grid`` points of [0, 1] per run (runs, grid),
    made non-decreasing against rounding: what :func:`leader_bound` inverts. It depends
    only on the leader and its expectation ``ref``, so a caller whose expectations stay
    fixed (the settlement engine's, set at month 0) computes it once."""
    ref_ = np.asarray(ref, dtype=float)
    y = _grid(grid)
    phi = y[None, :] - lead.office * (1 - lead.cover) * removal_risk(
        loss(y[None, :], ref_[:, None]), lead.regime, lead.r_max
    )
    out: F = np.maximum.accumulate(phi, axis=1)  # guard rounding: φ is non-decreasing
    return out


def leader_bound(
    value: ArrayLike,
    gain: ArrayLike,
    ref: ArrayLike,
    r_war: ArrayLike,
    lead: Survival,
    grid: int = 513,
    phi: F | None = None,
    cols: NDArray[np.int64] | None = None,
) -> F:
    """The smallest own share ``y`` of the line the leader accepts on each package.

    The leader accepts iff ``y + g(k) - V + B·r_war ≥ B·(1-c)·r(ℓ(y))``, i.e.
    ``φ(y) = y - B(1-c)·r(ℓ(y)) ≥ V - g(k) - B·r_war``; ``φ`` increases in ``y``, so the
    set is a half-line, found by inverting ``φ`` tabulated on ``grid`` points of [0, 1] per
    run (linear interpolation; ``phi``: the table of :func:`leader_phi` if already made,
    one row per run, or a single row that every run shares: the leader's expectation is
    the same in every run). ``value``, ``ref``, ``r_war``: (runs,); ``gain`` (packages,).
    Returns (runs, packages): -inf where every share is accepted, +inf where none is;
    ``cols``: only these packages (the same numbers as their columns of the full answer).

    The runs' tables are searched at once, stacked one above the other by the offset
    ``r·span`` of run r; a shared row is searched once and the answer moved to where the
    stacked search puts it (:func:`_stacked_position`): the same numbers either way."""
    v = np.asarray(value, dtype=float)
    g_all = np.asarray(gain, dtype=float)
    rw = np.asarray(r_war, dtype=float)
    y = _grid(grid)
    b = lead.office
    if phi is None:
        phi = leader_phi(ref, lead, grid)
    g_c = g_all if cols is None else g_all[cols]
    # the packages by decreasing gain: each run's queries ascend (searchsorted's fast case)
    order = np.argsort(-g_c, kind="stable")
    g = g_c[order]
    need = v[:, None] - g[None, :] - b * rw[:, None]
    runs = v.shape[0]
    # the extremes of ``need`` over every package: rounding is monotone, so they are the
    # queries at the smallest and the largest gain (the stacked search's offsets use them)
    need_hi = v - g_all.min() - b * rw if g_all.size else np.zeros(0)
    need_lo = v - g_all.max() - b * rw if g_all.size else np.zeros(0)
    top = max(float(phi.max()), float(need_hi.max(initial=0.0)))
    bottom = min(float(phi.min()), float(need_lo.min(initial=0.0)))
    span = top - bottom + 1.0
    off: F = np.arange(runs, dtype=float)[:, None] * span
    if phi.shape[0] == 1:  # one table for every run
        row = phi[0]
        pos = _stacked_position(row, need, off)
        hi_i = np.clip(pos, 1, grid - 1)
        p0, p1 = row[hi_i - 1], row[hi_i]
        first, last = row[:1], row[-1:]
    else:
        flat = (phi + off).ravel()
        q = (need + off).ravel()
        pos = np.searchsorted(flat, q, side="left").reshape(need.shape)
        pos -= np.arange(runs)[:, None] * grid
        hi_i = np.clip(pos, 1, grid - 1)
        rows = np.arange(runs)[:, None]
        p0, p1 = phi[rows, hi_i - 1], phi[rows, hi_i]
        first, last = phi[:, :1], phi[:, -1:]
    frac = np.clip((need - p0) / np.maximum(p1 - p0, 1e-300), 0.0, 1.0)
    out: F = y[hi_i - 1] + frac * (y[hi_i] - y[hi_i - 1])
    out = np.where(need <= first, -np.inf, out)
    out = np.where(need > last, np.inf, out)
    back: F = np.empty_like(out)
    back[:, order] = out
    return back


def _stacked_position(row: F, need: F, off: F) -> NDArray[np.intp]:
    """Where the stacked search of :func:`leader_bound` puts each ``need`` in a table
    ``row`` that every run shares: the first ``i`` with ``row[i] + off ≥ need + off`` in
    floating point. The offset's rounding can only merge values (it is monotone), so that
    position is the exact one (``searchsorted`` in the row) or a few places lower where
    the rounded sums tie; it moves down while they do."""
    pos = np.searchsorted(row, need, side="left")
    q = need + off
    while True:
        down = (pos > 0) & (row[np.maximum(pos - 1, 0)] + off >= q)
        if not down.any():
            return pos
        pos = pos - down


def winset(
    v_a: ArrayLike,
    v_b: ArrayLike,
    *,
    premium_a: Sequence[float] = (0.0,),
    weight_a: Sequence[float] = (1.0,),
    premium_b: Sequence[float] = (0.0,),
    weight_b: Sequence[float] = (1.0,),
    kappa: tuple[float, float] = (0.5, 0.5),
    weight_A: float = 0.5,
) -> WarResult:
    """The two win-sets on the war issue's line alone and the weighted-Nash settlement
    inside both (a hand-made two-level game).

    Side A ratifies ``x ≥ lo``, side B ``x ≤ hi`` (``Q_κ`` of its factions'
    ``V + premium``); the settlement maximises ``w log(x - V_A) + (1-w) log(1 - x - V_B)``
    on ``[lo, hi]``: the unconstrained point ``V_A + w(1 - V_A - V_B)`` clipped to the
    win-sets. ``agreed`` is False where the win-sets do not overlap."""
    va = np.asarray(v_a, dtype=float)
    vb = np.asarray(v_b, dtype=float)
    w = float(check_range("weight_A", weight_A, 0.0, 1.0))
    shape = np.broadcast_shapes(va.shape, vb.shape)
    va, vb = np.broadcast_to(va, shape).ravel(), np.broadcast_to(vb, shape).ravel()
    la = (va[:, None] + np.asarray(premium_a)[None, :])[:, :, None]
    ha = (1.0 - vb[:, None] - np.asarray(premium_b)[None, :])[:, :, None]
    wa = np.broadcast_to(np.asarray(weight_a, dtype=float), (va.size, len(weight_a)))
    wb = np.broadcast_to(np.asarray(weight_b, dtype=float), (vb.size, len(weight_b)))
    lo = np.maximum(ratified_bound(la, wa, kappa[0], 0)[:, 0], np.maximum(va, 0.0))
    hi = np.minimum(ratified_bound(ha, wb, kappa[1], 1)[:, 0], np.minimum(1.0 - vb, 1.0))
    free = va + w * (1.0 - va - vb)
    agreed = lo <= hi + 1e-12
    x = np.where(agreed, np.clip(free, lo, hi), np.nan)
    return WarResult.of(
        "winset (Putnam 1988; derived here)",
        {
            "V_A": va.reshape(shape),
            "V_B": vb.reshape(shape),
            "lo": lo.reshape(shape),
            "hi": hi.reshape(shape),
            "unitary": free.reshape(shape),
            "x": x.reshape(shape),
            "agreed": agreed.reshape(shape),
        },
    )


# -- the settlement engine's hook (accord.war.settle) -------------------------------------


@dataclass(frozen=True)
class SideTable:
    """A belligerent's factions as arrays: gains (factions x packages), premiums, initial
    weights and pressure coefficients (factions x 3); and, made once from these, the
    order of the factions' ends on each package (:func:`faction_bounds`)."""

    ids: tuple[str, ...]
    gains: F
    premium: F
    w0: F
    alpha: F
    order: NDArray[np.int64] = field(init=False, repr=False)
    gap: F = field(init=False, repr=False)
    perms: NDArray[np.int64] = field(init=False, repr=False)
    group: NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Per package k, the factions sorted by ``c_f(k) = premium_f - g_f(k)`` (ties by
        index, as a stable sort), the smallest gap in ``c`` between neighbours that are
        not the same faction twice over (same premium and gain: equal ends in every run),
        the distinct orders (``perms``, orders x factions) and each package's (``group``)."""
        n_f, n_k = self.gains.shape
        c = self.premium[:, None] - self.gains
        order = np.argsort(c, axis=0, kind="stable")
        gap = np.full(n_k, np.inf)
        cols = np.arange(n_k)
        for i in range(n_f - 1):
            f, g = order[i], order[i + 1]
            twin = (self.premium[f] == self.premium[g]) & (
                self.gains[f, cols] == self.gains[g, cols]
            )
            d = c[g, cols] - c[f, cols]
            gap = np.minimum(gap, np.where(twin, np.inf, d))
        perms, which = np.unique(order.T, axis=0, return_inverse=True) if n_k else (order.T, cols)
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "gap", gap)
        object.__setattr__(self, "perms", perms.astype(np.int64))
        object.__setattr__(self, "group", which.ravel().astype(np.int64))


def faction_table(dom: Domestic, issues: Sequence[Any], levels: F) -> tuple[SideTable, SideTable]:
    """Per side, the factions' linkage gains on every package of the engine's space.

    ``issues`` are the engine's :class:`accord.war.settle.PackageIssue` (their war-time
    levels, widths, and the belligerent's ideals and weights for factions that give none)."""
    out = []
    for side in (0, 1):
        fs = dom.of_side(side)
        rows = []
        for f in fs:
            ideal = f.ideal if f.ideal is not None else tuple(i.ideal[side] for i in issues)
            sal = f.salience if f.salience is not None else tuple(i.weight[side] for i in issues)
            if len(ideal) != len(issues) or len(sal) != len(issues):
                raise ModelError(
                    f"needs one value per package issue ({len(issues)})",
                    path=f"domestic.factions.{f.id}.ideal",
                    value=len(ideal),
                )
            rows.append(
                faction_gains(
                    levels,
                    [i.war_level for i in issues],
                    [i.width for i in issues],
                    ideal,
                    sal,
                )
            )
        gains = np.array(rows).reshape(len(fs), levels.shape[0])
        out.append(
            SideTable(
                ids=tuple(f.id for f in fs),
                gains=gains,
                premium=np.array([f.premium for f in fs], dtype=float),
                w0=np.array([f.weight for f in fs], dtype=float),
                alpha=np.array([f.pressure for f in fs], dtype=float).reshape(len(fs), 3),
            )
        )
    return out[0], out[1]


def month_bounds(
    dom: Domestic,
    tables: tuple[SideTable, SideTable],
    ga: F,
    gb: F,
    va: F,
    vb: F,
    e_a: F,
    e_b: F,
    ref: F,
    signals: tuple[F, F],
    territory: tuple[float, float],
    leaders: tuple[LeaderTable | None, LeaderTable | None] = (None, None),
    cols: NDArray[np.int64] | None = None,
) -> tuple[tuple[F, F], tuple[F, F], dict[str, Any]]:
    """One month's win-set bounds on the line for (runs, packages).

    Returns the factions' ratified bounds ``(lo_A, hi_B)``, the bounds with the leaders'
    survival added, and the pieces (weights, each bound) for the trace. ``va``/``vb`` are
    the state's war values, ``e_a``/``e_b`` each side's expected line, ``ref`` (runs x 2)
    each leader's expectation (its own share expected at month 0); ``leaders``: each
    leader's :class:`LeaderTable` on these runs, if the caller keeps them; ``cols``: only
    these packages (the columns of the full table, in their order)."""
    runs = va.shape[0]
    n_pkg = ga.shape[0] if cols is None else cols.shape[0]
    ga_c, gb_c = (ga, gb) if cols is None else (ga[cols], gb[cols])
    x0, x1 = territory
    fac: list[F | None] = [None, None]
    weights: list[F] = []
    for side, (tab, v) in enumerate(zip(tables, (va, vb), strict=True)):
        if not tab.ids:
            weights.append(np.zeros((runs, 0)))
            continue
        w = pressure_weights(tab.w0, tab.alpha, signals[side])
        weights.append(w)
        fac[side] = faction_bounds(tab, v, w, dom.threshold[side], side, cols)
    lead: list[F | None] = [None, None]
    span = max(x1 - x0, 1e-12)
    la = dom.leader(0)
    if la is not None:
        p_win = (e_a - x0) / span
        ta = leaders[0] or leader_table(ref[:, 0], la, x1, x0)
        rw = _lottery(p_win, ta.r_best, ta.r_worst)  # war_risk
        lead[0] = leader_bound(va, ga, ref[:, 0], rw, la, phi=ta.phi, cols=cols)
    lb = dom.leader(1)
    if lb is not None:
        p_win = (x1 - e_b) / span
        tb = leaders[1] or leader_table(ref[:, 1], lb, 1.0 - x0, 1.0 - x1)
        rw = _lottery(p_win, tb.r_best, tb.r_worst)  # war_risk
        lead[1] = 1.0 - leader_bound(vb, gb, ref[:, 1], rw, lb, phi=tb.phi, cols=cols)
    # a side without factions or leader is unbounded there (-inf / +inf), made only if used
    shape = (runs, n_pkg)
    f0 = fac[0] if fac[0] is not None else np.full(shape, -np.inf)
    f1 = fac[1] if fac[1] is not None else np.full(shape, np.inf)
    l0 = lead[0] if lead[0] is not None else np.full(shape, -np.inf)
    l1 = lead[1] if lead[1] is not None else np.full(shape, np.inf)
    both = (np.maximum(f0, l0), np.minimum(f1, l1))
    extras = {
        "weights": weights,
        "state": (va[:, None] - ga_c[None, :], 1.0 + gb_c[None, :] - vb[:, None]),
        "factions": (f0, f1),
        "leader": (l0, l1),
    }
    return (f0, f1), both, extras


class DomesticTrace:
    """What the engine records of M10 while it runs (see ``SettleResult.domestic``)."""

    def __init__(self, n_fac: tuple[int, int], runs: int, months: int, n_pkg: int) -> None:
        self.blocked = np.zeros((months + 1, 2), dtype=np.int64)
        self.ratify_run = np.zeros(runs, dtype=bool)
        self.leader_run = np.zeros(runs, dtype=bool)
        self.weights = [np.full((months + 1, n), np.nan) for n in n_fac]
        self.bounds0: dict[str, F] = {}
        self.n_pkg = n_pkg
        self.medians = True  # the month-0 win-set medians (off: settle(trace=False))

    @classmethod
    def empty(cls, dom: Domestic, runs: int, months: int, n_pkg: int) -> DomesticTrace:
        return cls((len(dom.of_side(0)), len(dom.of_side(1))), runs, months, n_pkg)

    def record(
        self,
        t: int,
        idx: NDArray[np.int64],
        ok_state: NDArray[np.bool_],
        ok_fac: NDArray[np.bool_],
        ok_all: NDArray[np.bool_],
        extras: dict[str, Any],
    ) -> None:
        r_block = ok_state & ~ok_fac
        l_block = ok_fac & ~ok_all
        self.blocked[t] = (int(r_block.sum()), int(l_block.sum()))
        self.ratify_run[idx[r_block]] = True
        self.leader_run[idx[l_block]] = True
        for side in (0, 1):
            w = extras["weights"][side]
            if w.size:
                self.weights[side][t] = w.mean(axis=0)
        if t == 0 and self.medians and idx.size and "state" in extras:  # up to 1,000 runs
            for name in ("state", "factions", "leader"):
                lo, hi = extras[name]
                self.bounds0[f"{name}_lo"] = np.median(lo, axis=0)
                self.bounds0[f"{name}_hi"] = np.median(hi, axis=0)

    def finish(
        self,
        dom: Domestic,
        line: F,
        outcome: NDArray[np.int8],
        month: NDArray[np.int64],
        ref: F,
    ) -> dict[str, Any]:
        months = line.shape[1] - 1
        t = np.arange(months + 1)
        settled = (outcome == 0)[:, None] & (month[:, None] <= t[None, :])
        removal = np.full((months + 1, 2), np.nan)
        for side in (0, 1):
            lead = dom.leader(side)
            if lead is None:
                continue
            share = line if side == 0 else 1.0 - line
            r = removal_risk(loss(share, ref[:, side : side + 1]), lead.regime, lead.r_max)
            r = r * np.where(settled, 1.0 - lead.cover, 1.0)
            removal[:, side] = r.mean(axis=0)
        return {
            "blocked": self.blocked,
            "ratify_blocked": self.ratify_run,
            "leader_blocked": self.leader_run,
            "removal": removal,
            "weights": self.weights,
            "factions": (tuple(f.id for f in dom.of_side(0)), tuple(f.id for f in dom.of_side(1))),
            "bounds0": self.bounds0,
        }
