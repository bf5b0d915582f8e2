"""The scenario: one immutable description of a negotiation that every model reads.

A scenario has metadata (id, title, as-of date, keyed sources), issues (each with its own
scale, labelled scale points, optional status quo, observed outcome and decision rule),
actors (capability, optional issue-specific capability) and, per actor and issue, a
position and a salience with their provenance. Optional ``spaces`` group issues into one
multi-dimensional policy space for models that work in several dimensions at once.

Conventions
-----------
* Positions are on each issue's own scale (``scale.min`` .. ``scale.max``, default 0-100).
* Saliences are on the scale the file declares with ``salience_scale``: ``1`` (0-1) or
  ``100`` (0-100). Nothing is guessed: a salience above the declared scale is an error.
  :meth:`Scenario.arrays` always hands models saliences on 0-1.
* Capability is any finite number >= 0; models use only ratios of capabilities
  (:meth:`Scenario.arrays` rescales them by a power of two when they are far from 1, so
  that 1e300 does not overflow).
  ``issue_capability`` overrides it on named issues (e.g. on territory only those with
  coercive power count).
* A number may carry its provenance: ``{value: 85, source: [D30], judgement: true,
  note: "..."}`` or just ``85``. Source keys must resolve in ``sources``; a source dated
  after the scenario's ``as_of`` date is an error unless it says why it is used as a
  ``proxy``.
* An actor may have no position on an issue (it does not take part in that issue).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    field_validator,
    model_serializer,
    model_validator,
)

from accord.errors import Problem, ScenarioError, format_path

__all__ = [
    "Actor",
    "DecisionRule",
    "Issue",
    "Quantity",
    "RedLine",
    "Scale",
    "Scenario",
    "ScenarioArrays",
    "Source",
    "Sourced",
    "Space",
    "Stance",
]

FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


def _strict_number(value: Any) -> Any:
    """Refuse booleans and numeric strings where a number is expected (no silent coercion)."""
    if isinstance(value, bool | str):
        raise ValueError("must be a number")
    return value


Number = Annotated[FiniteFloat, BeforeValidator(_strict_number)]


def _as_keys(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(value)  # validated as Python data in strict mode: tuple, not list
    return value


def _check_id(value: str) -> str:
    if not value or value != value.strip():
        raise ValueError("an id must be a non-empty text without leading or trailing spaces")
    if any(ch in value for ch in "\t\n\r"):
        raise ValueError("an id must be one line without tabs")
    return value


Id = Annotated[str, Field(strict=True), AfterValidator(_check_id)]
SourceKeys = Annotated[tuple[str, ...], BeforeValidator(_as_keys)]


class _Frozen(BaseModel):
    """Base of every scenario model: unknown fields refused, immutable, floats finite.

    Files are validated in strict mode (:func:`accord.scenario.io.scenario_from_data`), so
    a field added to any subclass refuses strings, booleans and timestamps for numbers
    without opting in; ``allow_inf_nan=False`` makes every float field finite.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Source(_Frozen):
    """A citable source: bibliographic text, address and the date of the evidence."""

    citation: str
    url: str | None = None
    date: dt.date | None = None
    proxy: str | None = Field(
        default=None,
        description="Why a source dated after the scenario's as-of date is used (as a proxy "
        "for a direction known at the time). Without it such a source is an error.",
    )


class Sourced(_Frozen):
    """A number with its provenance. In files, a bare number is accepted too."""

    value: Number
    source: SourceKeys = ()
    judgement: bool = Field(default=False, description="The number is an analyst's judgement.")
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, bool | str):
            raise ValueError("must be a number")
        if isinstance(data, int | float):
            return {"value": data}
        return data

    @model_serializer(mode="wrap")
    def _to_number(self, handler: Any) -> Any:
        if not self.source and not self.judgement and self.note is None:
            return self.value
        out: dict[str, Any] = handler(self)
        # drop empty provenance fields, never the value (0 == False in Python)
        return {k: v for k, v in out.items() if k == "value" or v not in ((), False, None)}

    @property
    def has_provenance(self) -> bool:
        return bool(self.source) or self.judgement


class Scale(_Frozen):
    """The scale of an issue, with labelled points (e.g. 0 = "codified neutrality")."""

    min: Number = 0.0
    max: Number = 100.0
    unit: str | None = None
    labels: dict[float, str] = Field(default_factory=dict)

    @property
    def width(self) -> float:
        return self.max - self.min


class Quantity(_Frozen):
    """A linear map from the issue scale to a physical quantity (e.g. km² held)."""

    name: str
    unit: str
    at_min: Number = Field(description="The quantity at scale.min.")
    at_max: Number = Field(description="The quantity at scale.max.")
    source: SourceKeys = ()
    note: str | None = None


class DecisionRule(_Frozen):
    """How the issue is decided; veto actors can block any change.

    ``unanimity`` makes every voter (every actor in ``votes``, or every actor with a
    position) a veto player, as does ``consensus`` without a ``veto`` list. ``majority``
    and ``qualified_majority`` pass a change when the actors preferring it to the status
    quo hold at least ``threshold`` of the ``votes`` (and ``members`` of the voters, if
    given). How models apply a rule: :mod:`accord.models.rules`.
    """

    rule: Literal["majority", "qualified_majority", "unanimity", "consensus", "other"]
    veto: tuple[str, ...] = ()
    threshold: Number | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Share of the votes a change needs (majority: 0.5 unless given; "
        "e.g. 255/345 for Nice QMV).",
    )
    members: Number | None = Field(
        default=None, gt=0, le=1, description="Share of the voters a change also needs."
    )
    votes: dict[str, Number] = Field(
        default_factory=dict,
        description="Voters and their votes (default: every actor with a position, by capability).",
    )
    note: str | None = None


def _attribute(value: Any) -> Any:
    """An attribute is text, a finite number or true/false: one message for anything else."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    if not isinstance(value, str | int | float | bool):
        raise ValueError("must be text, a number or true/false")
    return value


Attributes = dict[str, Annotated[str | int | float | bool, PlainValidator(_attribute)]]


class Issue(_Frozen):
    """One dimension of the negotiation."""

    id: Id
    name: str
    description: str = ""
    scale: Scale = Field(default_factory=Scale)
    status_quo: Sourced | None = Field(
        default=None, description="Reference point: what holds if nothing is agreed."
    )
    outcome: Sourced | None = Field(
        default=None,
        description="The observed outcome, for back-tests only; models never read it.",
    )
    decision_rule: DecisionRule | None = None
    quantity: Quantity | None = None
    attributes: Attributes = Field(default_factory=dict)

    def to_quantity(self, x: float) -> float:
        """Map a position on this issue's scale to its physical quantity."""
        if self.quantity is None:
            raise ValueError(f"issue {self.id!r} has no quantity mapping")
        q = self.quantity
        t = (x - self.scale.min) / self.scale.width
        return q.at_min + t * (q.at_max - q.at_min)

    def from_quantity(self, value: float) -> float:
        """Map a physical quantity back to a position on this issue's scale."""
        if self.quantity is None:
            raise ValueError(f"issue {self.id!r} has no quantity mapping")
        q = self.quantity
        t = (value - q.at_min) / (q.at_max - q.at_min)
        return self.scale.min + t * self.scale.width


class RedLine(_Frozen):
    """The outcomes an actor can accept on an issue (``min``..``max`` on the issue's scale)."""

    min: Number | None = None
    max: Number | None = None
    source: SourceKeys = ()
    judgement: bool = False
    note: str | None = None

    @property
    def has_provenance(self) -> bool:
        return bool(self.source) or self.judgement


class Stance(_Frozen):
    """An actor's position and salience on one issue, with provenance."""

    position: Number
    salience: Number = Field(ge=0)
    acceptable: RedLine | None = Field(
        default=None,
        description="Red lines: the range of outcomes the actor can accept; binding for a "
        "veto player and for the exchange model's trades.",
    )
    source: SourceKeys = ()
    judgement: bool = False
    note: str | None = None

    @property
    def has_provenance(self) -> bool:
        return bool(self.source) or self.judgement


class Actor(_Frozen):
    """A party to the negotiation."""

    id: Id
    name: str
    description: str = ""
    capability: Sourced
    issue_capability: dict[str, Sourced] = Field(
        default_factory=dict,
        description="Capability on named issues, overriding `capability` there.",
    )
    positions: dict[str, Stance] = Field(default_factory=dict)
    attributes: Attributes = Field(default_factory=dict)


class Space(_Frozen):
    """Issues that a multi-dimensional model treats as one policy space."""

    id: Id
    name: str = ""
    issues: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class ScenarioArrays:
    """Dense NumPy views of a scenario, in the scenario's actor and issue order.

    ``position`` is on each issue's own scale (NaN where an actor has no position);
    ``salience`` is on 0-1 (0 where absent); ``capability`` has issue overrides applied.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: NDArray[np.float64]
    salience: NDArray[np.float64]
    capability: NDArray[np.float64]
    present: NDArray[np.bool_]
    scale_min: NDArray[np.float64]
    scale_max: NDArray[np.float64]
    status_quo: NDArray[np.float64]

    @property
    def weight(self) -> NDArray[np.float64]:
        """Capability x salience, zero where an actor is absent."""
        return np.where(self.present, self.capability * self.salience, 0.0)


from accord.scenario.reference_class import (  # noqa: E402  (builds on the above)
    ReferenceClassSpec,
    reference_class_problems,
)
from accord.scenario.uncertainty import Uncertainty, uncertainty_problems  # noqa: E402
from accord.scenario.war import War, war_problems  # noqa: E402  (war.py builds on the above)


class Scenario(_Frozen):
    """A negotiation: who, over what, wanting what, how much, with what clout."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"$id": "https://accord.dev/schema/scenario.json"},
    )

    id: Id
    title: str
    description: str = ""
    as_of: dt.date | None = Field(
        default=None, description="No information after this date may enter the scenario."
    )
    salience_scale: Literal[1, 100] = Field(
        description="Saliences in this file are on 0-1 (1) or on 0-100 (100)."
    )
    sources: dict[str, Source] = Field(default_factory=dict)
    issues: tuple[Issue, ...]
    actors: tuple[Actor, ...]
    spaces: tuple[Space, ...] = ()
    war: War | None = Field(default=None, description="Two-actor war-model parameters.")
    reference_class: ReferenceClassSpec | None = Field(
        default=None, description="The kind of war, in UCDP's terms, and its start date."
    )
    uncertainty: Uncertainty | None = Field(
        default=None, description="Distributions on the scenario's numbers, for sweeps."
    )
    game: dict[str, Any] | None = Field(
        default=None,
        description="An extensive-form game in accord.games' YAML format; its formulas may "
        "use the war section's numbers (war.costs.RUS, ...). Checked by accord.games.",
    )
    attributes: Attributes = Field(default_factory=dict)

    @field_validator("salience_scale", mode="before")
    @classmethod
    def _salience_scale(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("must be 1 (saliences on 0-1) or 100 (saliences on 0-100)")
        if isinstance(v, float) and v in (1.0, 100.0):
            return int(v)
        return v

    @model_validator(mode="after")
    def _semantics(self) -> Scenario:
        problems = list(_semantic_problems(self))
        if problems:
            raise ScenarioError(problems)
        return self

    # -- look-ups -------------------------------------------------------------------

    @cached_property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.actors)

    @cached_property
    def issue_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    def actor(self, actor_id: str) -> Actor:
        return self.actors[self.actor_ids.index(actor_id)]

    def issue(self, issue_id: str) -> Issue:
        return self.issues[self.issue_ids.index(issue_id)]

    @cached_property
    def _arrays(self) -> ScenarioArrays:
        return _build_arrays(self)

    def arrays(self) -> ScenarioArrays:
        """Dense arrays for models (computed once per scenario object)."""
        return self._arrays

    def restrict(self, issues: list[str] | tuple[str, ...]) -> Scenario:
        """The same scenario on a subset of its issues (actors with no stance left dropped)."""
        keep = set(issues)
        new_issues = tuple(i for i in self.issues if i.id in keep)
        new_actors = []
        for a in self.actors:
            pos = {k: v for k, v in a.positions.items() if k in keep}
            if not pos:
                continue
            cap = {k: v for k, v in a.issue_capability.items() if k in keep}
            new_actors.append(a.model_copy(update={"positions": pos, "issue_capability": cap}))
        spaces = tuple(
            s.model_copy(update={"issues": tuple(i for i in s.issues if i in keep)})
            for s in self.spaces
            if any(i in keep for i in s.issues)
        )
        return Scenario.model_validate(
            {
                **self.model_dump(exclude={"issues", "actors", "spaces"}),
                "issues": new_issues,
                "actors": tuple(new_actors),
                "spaces": spaces,
                "war": _restricted_war(self.war, keep, {a.id for a in new_actors}),
                "uncertainty": None,  # its paths may name what the restriction dropped
            }
        )


def _restricted_war(war: War | None, issues: set[str], actors: set[str]) -> War | None:
    """The war section survives a restriction only if its issue and belligerents do."""
    if war is None or war.issue not in issues or not set(war.belligerents) <= actors:
        return None
    if not set(war.mediators) <= actors:
        war = war.model_copy(
            update={"mediators": {k: m for k, m in war.mediators.items() if k in actors}}
        )
    st = war.settle
    if st is not None:  # the settle section's issue references follow the restriction
        st = st.model_copy(
            update={
                "war_levels": {k: v for k, v in st.war_levels.items() if k in issues},
                "exclude": tuple(k for k in st.exclude if k in issues),
                "guarantee_issue": st.guarantee_issue if st.guarantee_issue in issues else None,
                "red_lines": {
                    who: {k: v for k, v in lines.items() if k in issues}
                    for who, lines in st.red_lines.items()
                },
            }
        )
        war = war.model_copy(update={"settle": st})
    if war.domestic is not None:  # M10: faction stances on dropped issues go too
        from accord.scenario.domestic import restrict_domestic

        war = war.model_copy(update={"domestic": restrict_domestic(war.domestic, issues, actors)})
    return war


#: Largest magnitude of an issue scale's ends: squares and weighted sums of positions stay
#: far from float overflow (1e15 squared is 1e30).
SCALE_BOUND = 1e15


def _normalised(c: NDArray[np.float64]) -> NDArray[np.float64]:
    """Capabilities rescaled by a power of two when their largest is far from 1.

    Models use only ratios of capabilities, and multiplying by a power of two changes no
    ratio (it is exact in floating point), but products and sums of capabilities near
    1e308 overflow and those near 1e-320 lose digits; beyond 2**±64 the array is brought
    to [0.5, 1). Ordinary capabilities (every bundled scenario) are left as they are.
    """
    top = float(c.max()) if c.size else 0.0
    if top > 0 and not 2.0**-64 <= top <= 2.0**64:
        _, exponent = np.frexp(top)
        return np.ldexp(c, -int(exponent))
    return c


def _build_arrays(sc: Scenario) -> ScenarioArrays:
    n, m = len(sc.actors), len(sc.issues)
    col = {iid: k for k, iid in enumerate(sc.issue_ids)}
    x = np.full((n, m), np.nan)
    s = np.zeros((n, m))
    c = np.zeros((n, m))
    present = np.zeros((n, m), dtype=bool)
    for i, actor in enumerate(sc.actors):
        c[i, :] = actor.capability.value
        for iid, value in actor.issue_capability.items():
            c[i, col[iid]] = value.value
        for iid, stance in actor.positions.items():
            k = col[iid]
            x[i, k] = stance.position
            s[i, k] = stance.salience / sc.salience_scale
            present[i, k] = True
    c = _normalised(c)
    lo = np.array([i.scale.min for i in sc.issues], dtype=float)
    hi = np.array([i.scale.max for i in sc.issues], dtype=float)
    sq = np.array(
        [i.status_quo.value if i.status_quo is not None else np.nan for i in sc.issues],
        dtype=float,
    )
    for arr in (x, s, c, present, lo, hi, sq):
        arr.setflags(write=False)
    return ScenarioArrays(sc.actor_ids, sc.issue_ids, x, s, c, present, lo, hi, sq)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _semantic_problems(sc: Scenario) -> list[Problem]:
    """Cross-field checks that a field-by-field schema cannot express."""
    out: list[Problem] = []
    known_sources = set(sc.sources)

    def check_keys(keys: tuple[str, ...], loc: tuple[str | int, ...]) -> None:
        for key in keys:
            if key not in known_sources:
                out.append(Problem(format_path(loc), "unknown source key", key))

    if not sc.issues:
        out.append(Problem("issues", "a scenario needs at least one issue"))
    if not sc.actors:
        out.append(Problem("actors", "a scenario needs at least one actor"))

    for key, src in sc.sources.items():
        if sc.as_of and src.date and src.date > sc.as_of and not src.proxy:
            out.append(
                Problem(
                    format_path(("sources", key, "date")),
                    f"source is dated after the scenario's as-of date {sc.as_of.isoformat()}; "
                    "remove it or say in `proxy` why it stands in for what was known then",
                    src.date.isoformat(),
                )
            )

    issue_index: dict[str, int] = {}
    for k, issue in enumerate(sc.issues):
        loc: tuple[str | int, ...] = ("issues", k)
        if issue.id in issue_index:
            out.append(Problem(format_path((*loc, "id")), "duplicate issue id", issue.id))
            continue
        issue_index[issue.id] = k
        sc_ = issue.scale
        if max(abs(sc_.min), abs(sc_.max)) > SCALE_BOUND:
            out.append(
                Problem(
                    format_path((*loc, "scale")),
                    f"scale ends must lie within ±{SCALE_BOUND:g} (models square distances "
                    "on it): use a larger unit",
                    f"{_fmt(sc_.min)}..{_fmt(sc_.max)}",
                )
            )
            continue
        if not sc_.min < sc_.max:
            out.append(
                Problem(
                    format_path((*loc, "scale")),
                    "scale.min must be below scale.max",
                    f"{_fmt(sc_.min)}..{_fmt(sc_.max)}",
                )
            )
            continue
        for point in sc_.labels:
            if not sc_.min <= point <= sc_.max:
                out.append(
                    Problem(
                        format_path((*loc, "scale", "labels")),
                        f"labelled point outside the scale [{_fmt(sc_.min)}, {_fmt(sc_.max)}]",
                        point,
                    )
                )
        for name in ("status_quo", "outcome"):
            val: Sourced | None = getattr(issue, name)
            if val is None:
                continue
            if not sc_.min <= val.value <= sc_.max:
                out.append(
                    Problem(
                        format_path((*loc, name)),
                        f"outside the scale [{_fmt(sc_.min)}, {_fmt(sc_.max)}]",
                        val.value,
                    )
                )
            check_keys(val.source, (*loc, name, "source"))
        if issue.quantity is not None:
            if issue.quantity.at_min == issue.quantity.at_max:
                out.append(
                    Problem(
                        format_path((*loc, "quantity")),
                        "at_min and at_max must differ",
                        issue.quantity.at_min,
                    )
                )
            check_keys(issue.quantity.source, (*loc, "quantity", "source"))

    actor_index: dict[str, int] = {}
    for i, actor in enumerate(sc.actors):
        if actor.id in actor_index:
            out.append(Problem(format_path(("actors", i, "id")), "duplicate actor id", actor.id))
            continue
        actor_index[actor.id] = i

    for k, issue in enumerate(sc.issues):
        if issue.decision_rule is None:
            continue
        for v, vid in enumerate(issue.decision_rule.veto):
            if vid not in actor_index:
                out.append(
                    Problem(
                        format_path(("issues", k, "decision_rule", "veto", v)),
                        "unknown actor id",
                        vid,
                    )
                )
        if (
            issue.decision_rule.rule == "qualified_majority"
            and issue.decision_rule.threshold is None
        ):
            out.append(
                Problem(
                    format_path(("issues", k, "decision_rule", "threshold")),
                    "a qualified majority needs a threshold: the share of the votes a change "
                    "needs (e.g. 0.7391 for 255 of 345 Nice votes)",
                )
            )
        for vid, n_votes in issue.decision_rule.votes.items():
            rule_loc: tuple[str | int, ...] = ("issues", k, "decision_rule", "votes", vid)
            if vid not in actor_index:
                out.append(Problem(format_path(rule_loc), "unknown actor id", vid))
            if n_votes < 0:
                out.append(Problem(format_path(rule_loc), "must be >= 0", n_votes))

    scale_of = {i.id: i.scale for i in sc.issues}
    taken: set[str] = set()
    for i, actor in enumerate(sc.actors):
        loc = ("actors", i)
        cap = actor.capability
        if cap.value < 0:
            out.append(Problem(format_path((*loc, "capability")), "must be >= 0", cap.value))
        check_keys(cap.source, (*loc, "capability", "source"))
        for iid, val in actor.issue_capability.items():
            here = (*loc, "issue_capability", iid)
            if iid not in issue_index:
                out.append(Problem(format_path(here), "unknown issue id", iid))
            if val.value < 0:
                out.append(Problem(format_path(here), "must be >= 0", val.value))
            check_keys(val.source, (*here, "source"))
        if not actor.positions:
            out.append(
                Problem(format_path((*loc, "positions")), "the actor has no position on any issue")
            )
        for iid, stance in actor.positions.items():
            here = (*loc, "positions", iid)
            if iid not in issue_index:
                out.append(Problem(format_path(here), "unknown issue id", iid))
                continue
            taken.add(iid)
            scale = scale_of[iid]
            if scale.min < scale.max and not scale.min <= stance.position <= scale.max:
                out.append(
                    Problem(
                        format_path((*here, "position")),
                        f"outside the scale of issue {iid} [{_fmt(scale.min)}, {_fmt(scale.max)}]",
                        stance.position,
                    )
                )
            if stance.salience > sc.salience_scale:
                out.append(
                    Problem(
                        format_path((*here, "salience")),
                        f"above salience_scale {sc.salience_scale}",
                        stance.salience,
                    )
                )
            check_keys(stance.source, (*here, "source"))
            red = stance.acceptable
            if red is not None:
                check_keys(red.source, (*here, "acceptable", "source"))
                for end in (red.min, red.max):
                    if (
                        end is not None
                        and scale.min < scale.max
                        and not scale.min <= end <= scale.max
                    ):
                        out.append(
                            Problem(
                                format_path((*here, "acceptable")),
                                f"outside the scale of issue {iid} "
                                f"[{_fmt(scale.min)}, {_fmt(scale.max)}]",
                                end,
                            )
                        )
                if red.min is not None and red.max is not None and red.min > red.max:
                    out.append(
                        Problem(format_path((*here, "acceptable")), "min above max", red.min)
                    )

    for k, issue in enumerate(sc.issues):
        if not sc.actors:
            break
        if issue.id in issue_index and issue_index[issue.id] == k and issue.id not in taken:
            out.append(Problem(format_path(("issues", k)), "no actor has a position on this issue"))

    in_space: dict[str, str] = {}
    for s, space in enumerate(sc.spaces):
        for d, iid in enumerate(space.issues):
            where: tuple[str | int, ...] = ("spaces", s, "issues", d)
            if iid not in issue_index:
                out.append(Problem(format_path(where), "unknown issue id", iid))
            elif iid in in_space:
                out.append(
                    Problem(format_path(where), f"issue already in space {in_space[iid]!r}", iid)
                )
            else:
                in_space[iid] = space.id
        if not space.issues:
            out.append(Problem(format_path(("spaces", s, "issues")), "a space needs an issue"))
    out.extend(war_problems(sc))
    out.extend(reference_class_problems(sc))
    if sc.uncertainty is not None:
        out.extend(uncertainty_problems(sc, sc.uncertainty))
    return out
