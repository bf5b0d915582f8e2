"""The ``war:`` section of a scenario: the two-actor parameters of accord's war models.

The section is optional. It names the two belligerents, side A and side B (side A's share
of the issue is the "pie": Ukraine in the flagship scenarios, Russia side B) and the issue
they fight over, and holds each model's parameters. Every number is a ``Sourced`` value, so it can
carry source keys, a judgement mark and a note like the rest of the file::

    war:
      belligerents: [UKR, RUS]
      issue: T
      p: {value: 0.20, source: [D42], judgement: true, note: ...}
      costs: {UKR: {value: 0.20, ...}, RUS: {value: 0.12, ...}}
      delta: {value: 0.98, judgement: true}
      screening: {c_bar: ..., p_weak: ..., p_strong: ..., mu: ...}
      beliefs: {UKR: {alpha: ..., beta: ...}, RUS: {alpha: ..., beta: ...}}
      front: {states: 20, theta: ..., max_battles: 200}
      commitment: {shift: ..., q_B0: ..., gamma_A: ..., gamma_B: ..., d_A: ..., d_B: ...}
      brinkmanship: {..., trade_total: ..., partners: {CHN: {trade_share: ..., curtail: ...}}}
      parcels:
        KURSK: {owner: RUS, holder: UKR, area: ..., value: {UKR: ..., RUS: ...}}
        OCC_1000: {owner: UKR, holder: RUS, area: ..., value: {UKR: ..., RUS: ...}}
      swap: {chip: KURSK, recapture: ..., cost: ..., pressure: ..., reputation: ..., months: 24}
      mediators: {CHN: {toward: RUS, bias: ..., leverage: {RUS: ...}, decay: ...}}
      agreement: {guarantees: ..., dmz: ..., peacekeepers: ...}
      domestic: {factions: ..., ratification: ..., survival: ..., aims: ...}  # M10

Units: ``p``, costs, probabilities and shares are on 0-1 (pie units: a share of the issue
scale); ``delta`` is the per-period (monthly) discount factor; escalation gains and costs
are in the unit of ``trade_total`` (e.g. $bn). Parcels (M5) have an area in the war
issue's quantity unit (km²) and a value to each belligerent in pie units; ``swap`` holds
the land-for-land parameters of the side whose land is held (monthly recapture hazard,
monthly cost, pressure per unit area per month, reputational cost); a mediator (M6) is a
scenario actor with a bias in [0, 1] toward one belligerent, leverage ``L0`` (pie units)
on the belligerents it can press and its monthly decay factor; ``agreement`` holds the
features of the deal on the table (M9), each a strength in [0, 1]. ``front.states``,
``front.max_battles`` and ``swap.months`` are model resolution, not evidence, so they are
plain integers. Field-by-field types are
checked by pydantic; ranges and cross-references (actor ids, the issue, source keys) by
:func:`war_problems`, which the scenario's validation calls, so every error names its path
(``war.costs.RUS``) and value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from accord import limits
from accord.errors import Problem, format_path
from accord.scenario.domestic import Domestic, domestic_numbers, domestic_problems
from accord.scenario.schema import Id, Sourced, _Frozen

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario

__all__ = [
    "Agreement",
    "Belief",
    "Brinkmanship",
    "Commitment",
    "Front",
    "Mediator",
    "Parcel",
    "Partner",
    "RedLine",
    "Screening",
    "Settle",
    "Swap",
    "War",
    "war_numbers",
    "war_problems",
    "war_unsourced",
]


class Screening(_Frozen):
    """M2: the offerer's uncertainty about the other side."""

    c_bar: Sourced | None = Field(
        default=None, description="The receiver's cost is uniform on [0, c_bar] (pie units)."
    )
    p_strong: Sourced | None = Field(
        default=None, description="The side A's win probability against a resolute side B."
    )
    p_weak: Sourced | None = Field(
        default=None, description="Its win probability against an irresolute side B."
    )
    mu: Sourced | None = Field(
        default=None, description="The side A's prior that side B is resolute."
    )


class Belief(_Frozen):
    """M3: a Beta(alpha, beta) belief about the side A's probability of winning a battle."""

    alpha: Sourced
    beta: Sourced
    note: str | None = None


class Front(_Frozen):
    """M3: the front as a random walk over ``states + 1`` positions mapped onto the issue."""

    states: int = Field(default=20, description="Front steps N (positions 0..N).")
    territory_at_0: float = Field(default=0.0, description="Issue value at front position 0.")
    territory_at_max: float = Field(default=100.0, description="Issue value at position N.")
    theta: Sourced | None = Field(
        default=None, description="True probability that side A wins a battle."
    )
    max_battles: int = 200
    note: str | None = None


class Commitment(_Frozen):
    """M4: the power shift after a ceasefire and the effects of guarantees."""

    shift: Sourced = Field(description="p - q_A0: the side A's feared post-ceasefire loss.")
    q_B0: Sourced | None = Field(
        default=None,
        description="Side B's post-ceasefire win probability without guarantees "
        "(default 1 - p: no shift in its favour).",
    )
    gamma_A: Sourced = Field(description="A full guarantee's gain to the side A's q.")
    gamma_B: Sourced = Field(description="A full guarantee's loss to side B's q.")
    d_A: Sourced = Field(description="The side A's per-period war cost.")
    d_B: Sourced = Field(description="Side B's per-period war cost.")
    rho_A: Sourced | None = None
    rho_B: Sourced | None = None
    rho_bar: Sourced | None = None


class Partner(_Frozen):
    """M7: a trade partner of the escalating side."""

    trade_share: Sourced
    curtail: Sourced = Field(description="P(the partner curtails trade | nuclear use).")
    note: str | None = None


class Brinkmanship(_Frozen):
    """M7: side B's power-risk trade-off and its escalation decision."""

    pi_bar: Sourced | None = None
    a: Sourced | None = None
    r_bar: Sourced | None = None
    b: Sourced | None = None
    V: Sourced | None = None
    D: Sourced | None = None
    phi_D: Sourced | None = None
    gain: Sourced | None = Field(default=None, description="Delta V_C: the gain from escalation.")
    r_use: Sourced | None = Field(default=None, description="P(catastrophe | use).")
    D_use: Sourced | None = Field(
        default=None, description="Cost of catastrophe after use, in the unit of trade_total."
    )
    trade_total: Sourced | None = Field(default=None, description="Y: external trade.")
    partners: dict[str, Partner] = Field(default_factory=dict)


class RedLine(_Frozen):
    """A belligerent's red line on an issue: it signs nothing below ``at_least`` or above
    ``at_most`` (issue scale)."""

    at_least: Sourced | None = None
    at_most: Sourced | None = None
    note: str | None = None


class Settle(_Frozen):
    """What ``accord settle`` needs beyond the models' parameters (all optional).

    ``war_levels``: where an issue stands while the war goes on (every package is valued
    against it), for issues without a status quo. ``guarantee_issue``: the issue whose
    level is the M4 guarantee strength (default ``G`` if the scenario has it).
    ``exclude``: issues left out of the package space (e.g. one handled as a parcel).
    ``red_lines``: per belligerent and issue. ``spending``: each belligerent's military
    outlay per month (money unit of ``brinkmanship.trade_total``), which converts money
    into pie units.
    """

    war_levels: dict[str, Sourced] = Field(default_factory=dict)
    guarantee_issue: Id | None = None
    exclude: tuple[Id, ...] = ()
    red_lines: dict[str, dict[str, RedLine]] = Field(default_factory=dict)
    spending: dict[str, Sourced] = Field(default_factory=dict)
    note: str | None = None


class Parcel(_Frozen):
    """M5: a parcel of contested land: whose it is, who holds it, its area and values."""

    owner: Id = Field(description="The belligerent whose sovereign land it is.")
    holder: Id = Field(description="The belligerent that holds it now.")
    area: Sourced = Field(description="Area in the war issue's quantity unit (km²).")
    value: dict[str, Sourced] = Field(
        description="Its value to each belligerent, pie units (a share of the war issue)."
    )
    note: str | None = None


class Swap(_Frozen):
    """M5: the land-for-land parameters of the side whose land is held (the chip's owner)."""

    chip: Id = Field(description="The parcel held by the belligerent that does not own it.")
    recapture: Sourced = Field(description="h: monthly hazard that it retakes the parcel.")
    cost: Sourced = Field(description="c: its monthly cost of the counter-attack (pie units).")
    pressure: Sourced = Field(
        description="alpha: domestic pressure per unit area held per month (pie units)."
    )
    reputation: Sourced = Field(
        description="psi: its reputational cost of bargaining over its own sovereign land."
    )
    months: int = Field(default=24, description="Horizon of the month-by-month swap table.")
    note: str | None = None


class Mediator(_Frozen):
    """M6: a scenario actor that mediates, with a bias and leverage (Kydd; Favretto; Beardsley)."""

    toward: Id | None = Field(
        default=None, description="The belligerent it favours (none: an unbiased mediator)."
    )
    bias: Sourced = Field(description="Its bias toward that belligerent, in [0, 1].")
    leverage: dict[str, Sourced] = Field(
        default_factory=dict,
        description="L0 on each belligerent it can press (pie units it can move them by).",
    )
    decay: Sourced | None = Field(
        default=None, description="lambda: the monthly decay factor of its leverage, in [0, 1]."
    )
    note: str | None = None


class Agreement(_Frozen):
    """M9: the features of the agreement on the table, each a strength in [0, 1] (Fortna)."""

    guarantees: Sourced | None = Field(
        default=None, description="Third-party guarantees (1 = Article-5-like and binding)."
    )
    dmz: Sourced | None = Field(default=None, description="A demilitarised zone.")
    peacekeepers: Sourced | None = Field(default=None, description="Peacekeepers deployed.")
    note: str | None = None


class War(_Frozen):
    """The war section: belligerents, the contested issue and each model's parameters."""

    belligerents: tuple[Id, Id] = Field(
        description="Side A first (its share of the issue is the pie x), then side B."
    )
    issue: Id = Field(default="T", description="The issue the pie measures.")
    p: Sourced = Field(description="Probability that side A prevails (expected share).")
    costs: dict[str, Sourced] = Field(description="Costs of war per belligerent (pie units).")
    delta: Sourced | None = Field(default=None, description="Per-period discount factor.")
    screening: Screening | None = None
    beliefs: dict[str, Belief] = Field(default_factory=dict)
    front: Front | None = None
    commitment: Commitment | None = None
    brinkmanship: Brinkmanship | None = None
    settle: Settle | None = None
    parcels: dict[str, Parcel] = Field(default_factory=dict)
    swap: Swap | None = None
    mediators: dict[str, Mediator] = Field(default_factory=dict)
    agreement: Agreement | None = None
    domestic: Domestic | None = Field(
        default=None, description="Factions, leaders' survival, war aims (M10)."
    )
    note: str | None = None


# (field, lower, upper, lower open, upper open) for every range-checked number
_UNIT = (0.0, 1.0, False, False)
_NONNEG = (0.0, None, False, False)
_POS = (0.0, None, True, False)
_OPEN_UNIT = (0.0, 1.0, True, True)


def _numbers(war: War) -> Iterator[tuple[tuple[str | int, ...], Sourced, tuple[object, ...]]]:
    """Every Sourced number of the section with its path and allowed range."""
    yield ("p",), war.p, _UNIT
    for k, v in war.costs.items():
        yield ("costs", k), v, _NONNEG
    if war.delta is not None:
        yield ("delta",), war.delta, _OPEN_UNIT
    if war.screening is not None:
        for name in ("c_bar",):
            val = getattr(war.screening, name)
            if val is not None:
                yield ("screening", name), val, _NONNEG
        for name in ("p_strong", "p_weak", "mu"):
            val = getattr(war.screening, name)
            if val is not None:
                yield ("screening", name), val, _UNIT
    for k, b in war.beliefs.items():
        yield ("beliefs", k, "alpha"), b.alpha, _POS
        yield ("beliefs", k, "beta"), b.beta, _POS
    if war.front is not None and war.front.theta is not None:
        yield ("front", "theta"), war.front.theta, _UNIT
    if war.commitment is not None:
        c = war.commitment
        yield ("commitment", "shift"), c.shift, (-1.0, 1.0, False, False)
        for name in ("q_B0", "rho_A", "rho_B", "rho_bar"):
            val = getattr(c, name)
            if val is not None:
                yield ("commitment", name), val, _UNIT
        for name in ("gamma_A", "gamma_B", "d_A", "d_B"):
            yield ("commitment", name), getattr(c, name), _NONNEG
    if war.brinkmanship is not None:
        br = war.brinkmanship
        for name in ("pi_bar", "r_bar", "phi_D", "r_use"):
            val = getattr(br, name)
            if val is not None:
                yield ("brinkmanship", name), val, _UNIT
        for name in ("a", "b"):
            val = getattr(br, name)
            if val is not None:
                yield ("brinkmanship", name), val, _POS
        for name in ("V", "D", "gain", "D_use", "trade_total"):
            val = getattr(br, name)
            if val is not None:
                yield ("brinkmanship", name), val, _NONNEG
        for k, partner in br.partners.items():
            yield ("brinkmanship", "partners", k, "trade_share"), partner.trade_share, _UNIT
            yield ("brinkmanship", "partners", k, "curtail"), partner.curtail, _UNIT
    if war.settle is not None:
        st = war.settle
        for k, v in st.war_levels.items():
            yield ("settle", "war_levels", k), v, (None, None, False, False)
        for k, v in st.spending.items():
            yield ("settle", "spending", k), v, _POS
        for who, lines in st.red_lines.items():
            for k, rl in lines.items():
                for name in ("at_least", "at_most"):
                    val = getattr(rl, name)
                    if val is not None:
                        yield ("settle", "red_lines", who, k, name), val, (None, None, False, False)
    for k, parcel in war.parcels.items():
        yield ("parcels", k, "area"), parcel.area, _NONNEG
        for side, val in parcel.value.items():
            yield ("parcels", k, "value", side), val, _NONNEG
    if war.swap is not None:
        yield ("swap", "recapture"), war.swap.recapture, _UNIT
        for name in ("cost", "pressure", "reputation"):
            yield ("swap", name), getattr(war.swap, name), _NONNEG
    for k, med in war.mediators.items():
        yield ("mediators", k, "bias"), med.bias, _UNIT
        for side, val in med.leverage.items():
            yield ("mediators", k, "leverage", side), val, _NONNEG
        if med.decay is not None:
            yield ("mediators", k, "decay"), med.decay, _UNIT
    if war.agreement is not None:
        for name in ("guarantees", "dmz", "peacekeepers"):
            val = getattr(war.agreement, name)
            if val is not None:
                yield ("agreement", name), val, _UNIT
    if war.domestic is not None:
        yield from domestic_numbers(war.domestic)


def _range_text(lo: object, hi: object, lo_open: object, hi_open: object) -> str:
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    lo_s = "-inf" if lo is None else f"{lo:g}"
    hi_s = "inf" if hi is None else f"{hi:g}"
    return f"must be in {left}{lo_s}, {hi_s}{right}"


def war_problems(sc: Scenario) -> list[Problem]:
    """Range and cross-reference checks of a scenario's war section (empty if it has none)."""
    war = sc.war
    if war is None:
        return []
    out: list[Problem] = []

    def at(*loc: str | int) -> str:
        return format_path(("war", *loc))

    actors = set(sc.actor_ids)
    for i, bid in enumerate(war.belligerents):
        if bid not in actors:
            out.append(Problem(at("belligerents", i), "unknown actor id", bid))
    if war.belligerents[0] == war.belligerents[1]:
        out.append(Problem(at("belligerents"), "two different actors needed", war.belligerents[1]))
    if war.issue not in sc.issue_ids:
        out.append(Problem(at("issue"), "unknown issue id", war.issue))
    known = all(bid in actors for bid in war.belligerents)
    for name, keys in (("costs", set(war.costs)), ("beliefs", set(war.beliefs))):
        if not known or (name == "beliefs" and not keys):
            continue  # an unknown belligerent is reported once, above
        for k in sorted(keys - set(war.belligerents)):
            out.append(Problem(at(name, k), "not one of the belligerents", k))
        for k in war.belligerents:
            if k not in keys:
                out.append(Problem(at(name), f"missing an entry for belligerent {k}"))

    sources = set(sc.sources)
    for loc, val, (lo, hi, lo_open, hi_open) in _numbers(war):
        ok = True
        if lo is not None:
            ok &= val.value > lo if lo_open else val.value >= lo  # type: ignore[operator]
        if hi is not None:
            ok &= val.value < hi if hi_open else val.value <= hi  # type: ignore[operator]
        if not ok:
            out.append(Problem(at(*loc), _range_text(lo, hi, lo_open, hi_open), val.value))
        for key in val.source:
            if key not in sources:
                out.append(Problem(at(*loc, "source"), "unknown source key", key))

    if war.screening is not None:
        s = war.screening
        if s.p_weak is not None and s.p_strong is not None and s.p_weak.value < s.p_strong.value:
            out.append(
                Problem(
                    at("screening", "p_weak"),
                    f"must be >= p_strong ({s.p_strong.value:g})",
                    s.p_weak.value,
                )
            )
    if war.front is not None:
        f = war.front
        if f.states < 1:
            out.append(Problem(at("front", "states"), "must be an integer >= 1", f.states))
        elif limits.STATES.exceeded(f.states):
            out.append(Problem(at("front", "states"), limits.STATES.message(f.states)))
        if f.max_battles < 0:
            out.append(Problem(at("front", "max_battles"), "must be >= 0", f.max_battles))
        elif limits.BATTLES.exceeded(f.max_battles):
            out.append(Problem(at("front", "max_battles"), limits.BATTLES.message(f.max_battles)))
        if f.territory_at_0 == f.territory_at_max:
            out.append(Problem(at("front", "territory_at_max"), "must differ from territory_at_0"))
    st = war.settle
    if st is not None:
        issues = set(sc.issue_ids)
        for k in st.war_levels:
            if k not in issues:
                out.append(Problem(at("settle", "war_levels", k), "unknown issue id", k))
            else:
                sc_ = sc.issue(k).scale
                v = st.war_levels[k].value
                if not sc_.min <= v <= sc_.max:
                    out.append(
                        Problem(
                            at("settle", "war_levels", k),
                            f"must be on the issue's scale [{sc_.min:g}, {sc_.max:g}]",
                            v,
                        )
                    )
        if st.guarantee_issue is not None and st.guarantee_issue not in issues:
            out.append(
                Problem(at("settle", "guarantee_issue"), "unknown issue id", st.guarantee_issue)
            )
        for i, k in enumerate(st.exclude):
            if k not in issues:
                out.append(Problem(at("settle", "exclude", i), "unknown issue id", k))
        for who in st.spending:
            if who not in war.belligerents:
                out.append(
                    Problem(at("settle", "spending", who), "not one of the belligerents", who)
                )
        for who, lines in st.red_lines.items():
            if who not in war.belligerents:
                out.append(
                    Problem(at("settle", "red_lines", who), "not one of the belligerents", who)
                )
            for k, rl in lines.items():
                if k not in issues:
                    out.append(Problem(at("settle", "red_lines", who, k), "unknown issue id", k))
                lo_, hi_ = rl.at_least, rl.at_most
                if lo_ is not None and hi_ is not None and lo_.value > hi_.value:
                    out.append(
                        Problem(
                            at("settle", "red_lines", who, k, "at_most"),
                            f"must be >= at_least ({lo_.value:g})",
                            hi_.value,
                        )
                    )
    br = war.brinkmanship
    if br is not None:
        if br.a is not None and br.b is not None and br.b.value <= br.a.value:
            out.append(
                Problem(at("brinkmanship", "b"), f"must exceed a ({br.a.value:g})", br.b.value)
            )
        shares = [p.trade_share.value for p in br.partners.values()]
        total = sum(shares)
        if total > 1 + 1e-9 and all(0 <= s <= 1 for s in shares):
            out.append(
                Problem(at("brinkmanship", "partners"), "trade shares sum above 1", round(total, 6))
            )
    if known:
        out.extend(_m5_m6_problems(sc, war, at))
        out.extend(domestic_problems(sc, war, at))
    return out


def _m5_m6_problems(sc: Scenario, war: War, at: Callable[..., str]) -> list[Problem]:
    """Cross-references of parcels, the swap and mediators."""
    out: list[Problem] = []
    sides = set(war.belligerents)
    for k, parcel in war.parcels.items():
        for field in ("owner", "holder"):
            who = getattr(parcel, field)
            if who not in sides:
                out.append(Problem(at("parcels", k, field), "not one of the belligerents", who))
        for side in sorted(set(parcel.value) - sides):
            out.append(
                Problem(at("parcels", k, "value", side), "not one of the belligerents", side)
            )
        for side in war.belligerents:
            if side not in parcel.value:
                out.append(
                    Problem(at("parcels", k, "value"), f"missing an entry for belligerent {side}")
                )
    if war.swap is not None:
        chip = war.parcels.get(war.swap.chip)
        if chip is None:
            out.append(Problem(at("swap", "chip"), "unknown parcel", war.swap.chip))
        elif not {chip.owner, chip.holder} <= sides:
            pass  # reported at the parcel
        elif chip.owner == chip.holder:
            out.append(
                Problem(
                    at("swap", "chip"),
                    "must be held by the belligerent that does not own it",
                    war.swap.chip,
                )
            )
        elif not any(
            p.owner == chip.holder and p.holder == chip.owner for p in war.parcels.values()
        ):
            out.append(
                Problem(
                    at("swap", "chip"),
                    f"no parcel of {chip.holder}'s land held by {chip.owner} to swap it for",
                    war.swap.chip,
                )
            )
        if war.swap.months < 0:
            out.append(Problem(at("swap", "months"), "must be an integer >= 0", war.swap.months))
    actors = set(sc.actor_ids)
    for k, med in war.mediators.items():
        if k not in actors:
            out.append(Problem(at("mediators", k), "unknown actor id", k))
        elif k in sides:
            out.append(Problem(at("mediators", k), "a belligerent cannot mediate", k))
        if med.toward is not None and med.toward not in sides:
            out.append(
                Problem(at("mediators", k, "toward"), "not one of the belligerents", med.toward)
            )
        for side in sorted(set(med.leverage) - sides):
            out.append(
                Problem(at("mediators", k, "leverage", side), "not one of the belligerents", side)
            )
    return out


def war_numbers(war: War) -> list[tuple[str, Sourced]]:
    """Every number of a war section with its field path (``war.costs.UKR``), in file order."""
    return [(format_path(("war", *loc)), val) for loc, val, _ in _numbers(war)]


def war_unsourced(sc: Scenario) -> list[str]:
    """Paths of war-section numbers without a source or a judgement mark."""
    if sc.war is None:
        return []
    return [
        format_path(("war", *loc)) for loc, val, _ in _numbers(sc.war) if not val.has_provenance
    ]
