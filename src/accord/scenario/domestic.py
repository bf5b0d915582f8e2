"""The ``war.domestic:`` block: who decides for a belligerent (M10, two-level games).

Optional, inside the war section::

    war:
      domestic:
        factions:
          RUS_SEC:
            member_of: RUS
            name: security hawks
            weight: {value: 0.5, judgement: true}
            positions: {T: {value: 0, judgement: true}}    # issue scale; default: the belligerent's
            saliences: {T: {value: 1.0, judgement: true}}  # 0-1; default: the belligerent's
            cost_share: {value: 0.5, judgement: true}      # share of the war's cost it feels
            pressure: {held_land: {value: 0.05, judgement: true}, sanctions: ..., front_loss: ...}
        ratification: {RUS: {value: 0.5, judgement: true}}  # κ: weighted share that must accept
        survival:
          RUS:
            office: {value: 0.2, judgement: true}        # value of office B, pie units
            regime: mixed                                 # democracy | autocracy | mixed
            removal: {value: 0.6, judgement: true}       # r_max: removal risk after disaster
            protector: CHN                                # an actor that guarantees survival
            cover: {value: 0.5, judgement: true}         # share of the risk it removes
            expectation: {value: 0, judgement: true}     # the outcome expected (war issue scale)
        aims:
          RUS:
            prior_unlimited: {value: 0.5, judgement: true}  # μ
            mistake: {value: 0.1, judgement: true}          # ε

Factions are declared here rather than in the actor table so that the multi-actor models
(EUM, exchange, ...) keep their actors: a faction is part of a belligerent, not a player
beside it. Every number is ``Sourced``. Checks (:func:`domestic_problems`) name the path
(``war.domestic.factions.RUS_SEC.member_of``) and value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from accord.errors import Problem
from accord.scenario.schema import Id, Sourced, _Frozen

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario
    from accord.scenario.war import War

__all__ = [
    "PRESSURES",
    "REGIMES",
    "Aims",
    "Domestic",
    "Faction",
    "Survival",
    "domestic_numbers",
    "domestic_problems",
    "restrict_domestic",
]

PRESSURES = ("held_land", "front_loss", "sanctions")
REGIMES = ("democracy", "autocracy", "mixed")


class Faction(_Frozen):
    """A faction of a belligerent: its weight in the belligerent's decision, its positions
    and saliences on the war's issues, and how domestic pressure moves its weight."""

    member_of: Id = Field(description="The belligerent it belongs to.")
    name: str | None = None
    weight: Sourced = Field(
        description="Its weight in the belligerent's decision (normalised over its factions)."
    )
    positions: dict[str, Sourced] = Field(
        default_factory=dict, description="Ideal points on the issues (issue scale)."
    )
    saliences: dict[str, Sourced] = Field(
        default_factory=dict, description="Saliences on the issues, 0-1."
    )
    cost_share: Sourced | None = Field(
        default=None,
        description="How much of its belligerent's cost of war it feels (1 = all; below 1 "
        "it values fighting on more).",
    )
    pressure: dict[str, Sourced] = Field(
        default_factory=dict,
        description="Coefficients on held_land (per month), front_loss and sanctions "
        "(per pie unit): log-weight change.",
    )
    note: str | None = None


class Survival(_Frozen):
    """A belligerent's leader: value of office, regime type, removal risk, protector."""

    office: Sourced = Field(description="B: the value of office, pie units.")
    regime: str = Field(description="democracy, autocracy or mixed (Goemans 2000).")
    removal: Sourced | None = Field(
        default=None, description="r_max: removal-and-punishment risk after disaster (0-1)."
    )
    protector: Id | None = Field(
        default=None, description="An outside power guaranteeing its survival."
    )
    cover: Sourced | None = Field(
        default=None, description="Share of the removal risk after a settlement it removes."
    )
    expectation: Sourced | None = Field(
        default=None,
        description="The outcome it is judged against (war issue scale); default: what it "
        "expects from the war at the as-of date.",
    )
    note: str | None = None


class Aims(_Frozen):
    """War aims as a private type: the opponent's prior and the limited type's mistakes."""

    prior_unlimited: Sourced = Field(description="μ: prior that the aims are unlimited.")
    mistake: Sourced | None = Field(
        default=None, description="ε: probability the limited type rejects an acceptable offer."
    )
    note: str | None = None


class Domestic(_Frozen):
    """Factions, ratification thresholds, leaders' survival and war aims per belligerent."""

    factions: dict[Id, Faction] = Field(default_factory=dict)
    ratification: dict[str, Sourced] = Field(default_factory=dict)
    survival: dict[str, Survival] = Field(default_factory=dict)
    aims: dict[str, Aims] = Field(default_factory=dict)
    note: str | None = None


Range = tuple[float | None, float | None, bool, bool]
_ANY: Range = (None, None, False, False)
_UNIT: Range = (0.0, 1.0, False, False)
_NONNEG: Range = (0.0, None, False, False)


def domestic_numbers(d: Domestic) -> Iterator[tuple[tuple[str | int, ...], Sourced, Range]]:
    """Every number of the block (paths below ``war``), with its allowed range."""
    for k, f in d.factions.items():
        yield ("domestic", "factions", k, "weight"), f.weight, _NONNEG
        for i, v in f.positions.items():
            yield ("domestic", "factions", k, "positions", i), v, _ANY
        for i, v in f.saliences.items():
            yield ("domestic", "factions", k, "saliences", i), v, _UNIT
        if f.cost_share is not None:
            yield ("domestic", "factions", k, "cost_share"), f.cost_share, _NONNEG
        for i, v in f.pressure.items():
            yield ("domestic", "factions", k, "pressure", i), v, _ANY
    for k, v in d.ratification.items():
        yield ("domestic", "ratification", k), v, (0.0, 1.0, True, False)
    for k, s in d.survival.items():
        yield ("domestic", "survival", k, "office"), s.office, _NONNEG
        for name in ("removal", "cover"):
            val = getattr(s, name)
            if val is not None:
                yield ("domestic", "survival", k, name), val, _UNIT
        if s.expectation is not None:
            yield ("domestic", "survival", k, "expectation"), s.expectation, _ANY
    for k, a in d.aims.items():
        yield ("domestic", "aims", k, "prior_unlimited"), a.prior_unlimited, _UNIT
        if a.mistake is not None:
            yield ("domestic", "aims", k, "mistake"), a.mistake, _UNIT


def domestic_problems(sc: Scenario, war: War, at: Callable[..., str]) -> list[Problem]:
    """Cross-references and sums of the block (ranges and source keys are checked with the
    rest of the war section)."""
    d = war.domestic
    if d is None:
        return []
    out: list[Problem] = []
    sides = war.belligerents
    issues = set(sc.issue_ids)

    def on_scale(path: tuple[str | int, ...], issue: str, v: float) -> None:
        sc_ = sc.issue(issue).scale
        if not sc_.min <= v <= sc_.max:
            out.append(
                Problem(at(*path), f"must be on the issue's scale [{sc_.min:g}, {sc_.max:g}]", v)
            )

    totals: dict[str, float] = {}
    for k, f in d.factions.items():
        base = ("domestic", "factions", k)
        if k in sc.actor_ids:
            out.append(Problem(at(*base), "a faction id must not be an actor id", k))
        if f.member_of not in sides:
            out.append(Problem(at(*base, "member_of"), "not one of the belligerents", f.member_of))
        else:
            totals[f.member_of] = totals.get(f.member_of, 0.0) + float(f.weight.value)
        for field in ("positions", "saliences"):
            for i, v in getattr(f, field).items():
                if i not in issues:
                    out.append(Problem(at(*base, field, i), "unknown issue id", i))
                elif field == "positions":
                    on_scale((*base, field, i), i, float(v.value))
        for i in f.pressure:
            if i not in PRESSURES:
                out.append(
                    Problem(at(*base, "pressure", i), f"must be one of {', '.join(PRESSURES)}", i)
                )
    for who, total in totals.items():  # weights are relative: normalised per belligerent
        if total <= 0:
            out.append(
                Problem(
                    at("domestic", "factions"),
                    f"weights of {who}'s factions must not all be 0",
                    round(total, 6),
                )
            )
    for name in ("ratification", "survival", "aims"):
        for who in getattr(d, name):
            if who not in sides:
                out.append(Problem(at("domestic", name, who), "not one of the belligerents", who))
    for who in d.ratification:
        if who in sides and who not in totals:
            out.append(Problem(at("domestic", "ratification", who), f"{who} has no factions", who))
    for who, s in d.survival.items():
        base = ("domestic", "survival", who)
        if s.regime not in REGIMES:
            out.append(
                Problem(at(*base, "regime"), f"must be one of {', '.join(REGIMES)}", s.regime)
            )
        if s.protector is not None:
            if s.protector not in sc.actor_ids:
                out.append(Problem(at(*base, "protector"), "unknown actor id", s.protector))
            elif s.protector in sides:
                out.append(
                    Problem(at(*base, "protector"), "a belligerent cannot protect", s.protector)
                )
        if s.cover is not None and s.protector is None and s.cover.value > 0:
            out.append(Problem(at(*base, "cover"), "needs a protector", s.cover.value))
        if s.expectation is not None and war.issue in issues:
            on_scale((*base, "expectation"), war.issue, float(s.expectation.value))
    return out


def restrict_domestic(d: Domestic, issues: set[str], actors: set[str]) -> Domestic:
    """The block after ``Scenario.restrict``: faction positions and saliences on dropped
    issues go; a dropped protector takes its cover with it."""
    factions = {
        k: f.model_copy(
            update={
                "positions": {i: v for i, v in f.positions.items() if i in issues},
                "saliences": {i: v for i, v in f.saliences.items() if i in issues},
            }
        )
        for k, f in d.factions.items()
    }
    survival = {
        k: s
        if s.protector is None or s.protector in actors
        else s.model_copy(update={"protector": None, "cover": None})
        for k, s in d.survival.items()
    }
    return d.model_copy(update={"factions": factions, "survival": survival})
