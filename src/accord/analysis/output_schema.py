"""The JSON Schema of accord's ``--json`` output, generated from pydantic models of it.

:func:`output_schema` gives one command's envelope schema (``accord schema --output
COMMAND``), :func:`output_schemas` every command's. The models describe what
:mod:`accord.analysis.output` writes, field by field: every object whose keys are fixed
is closed (``additionalProperties: false``); an object whose keys are data (actor, issue,
party, faction or parameter ids, months, quantile labels) is a map with typed values; a
row that mixes fixed columns with columns named after actors (``credible_UKR``,
``gain RUS``) types both. ``run``'s model options are each model's own options schema,
chosen by the model's name. The tests validate every command's real output on the bundled
scenarios against these schemas with an independent validator (``jsonschema``), and check
that a payload with an extra key or a wrong type in a nested object is rejected.

Non-finite numbers: JSON has no NaN or infinity, so every number that is not finite is
written as ``null`` (:data:`NULL_MEANS`); a field that can be ``null`` says what it means.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["COMMANDS", "NULL_MEANS", "output_schema", "output_schemas"]

NULL_MEANS = (
    "JSON has no NaN or infinity: every non-finite number (NaN, inf, -inf) is written as "
    "null, in every command and at every depth; a field that can be null says what null "
    "means there."
)

Num = float | None
"""A JSON number, or null where the number is not finite (:data:`NULL_MEANS`)."""

Scalar = str | bool | int | float | None
"""An option's or a parameter's value."""

Asked = Scalar | list[Scalar] | dict[str, Scalar | list[Scalar] | dict[str, Scalar | list[Scalar]]]
"""An option as the command was asked: a value, a list, or options by model."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _NumKeyed(BaseModel):
    """Fixed fields plus columns named after data (actor ids...), each a number."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Num] = Field(init=False)


class _FlagKeyed(BaseModel):
    """Fixed fields plus columns named after data, each a number or a flag."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, bool | Num] = Field(init=False)


class ScenarioRef(_Out):
    id: str
    title: str | None = Field(description="null where only a sweep's manifest names it")
    as_of: str | None = Field(description="ISO date, or null")
    sha256: str = Field(description="SHA-256 of the scenario's canonical JSON (as run)")


class WhatIf(_Out):
    path: str = Field(description="the number's path, e.g. actors[CHN].issue_capability.T")
    old: float = Field(description="the file's value")
    new: float = Field(description="the value set with --let")
    scenario: str | None = Field(
        None, description="accord timeline: the series member (date) it was applied to"
    )


# ------------------------------------------------------------------ accord run


class DecisionRule(_Out):
    rule: str
    lo: Num = Field(description="lowest acceptable outcome (null: none)")
    hi: Num = Field(description="highest acceptable outcome (null: none)")
    empty: bool
    unbound: Num = Field(description="the model's forecast before the rule")
    bound: Num = Field(description="the forecast after the rule")
    shift: Num


class Forecast(_Out):
    value: Num = Field(
        description="the forecast (the mean over draws where there are draws); null: undefined"
    )
    status: Literal["static", "converged", "cycle", "max_rounds", "undefined"]
    quantiles: dict[Literal["q10", "q50", "q90"], Num] | None = Field(
        description="q10, q50, q90 of the draws; null for one number"
    )
    decision_rule: DecisionRule | None


class Diagnostic(_Out):
    code: str
    message: str
    issue: str | None


class Cycle(_Out):
    issue: str
    start: int
    period: int
    forecast_min: Num
    forecast_max: Num


class Event(_NumKeyed):
    """One thing that happened in a round; the model's own numbers (``gain``, ``p_win``,
    ``eu_actor``, ``rate``...) are further number-valued keys."""

    round: int
    issue: str
    kind: str
    actor: str
    counterpart: str | None
    before: Num
    after: Num
    text: str


class _ModelOutputBase(_Out):
    model: str
    seed: int | None
    rounds: int
    stochastic: bool = Field(description="true where another seed gives another forecast")
    draws: int = Field(description="repetitions behind the forecast (1: a single run)")
    forecast: dict[str, Forecast] = Field(description="by issue id")
    actors: list[str]
    positions: dict[str, dict[str, Num]] = Field(
        description="final position by actor id, then issue id (null: the actor sits out)"
    )
    positions_from: Literal["trajectory", "scenario"] = Field(
        description="the trajectory's last round, or the scenario's (a static model)"
    )
    cycles: list[Cycle]
    diagnostics: list[Diagnostic]
    events: list[Event]
    trajectory: dict[str, dict[str, list[Num]]] | None = Field(
        None, description="--trajectory: position by actor id, issue id, then round"
    )
    forecast_path: dict[str, list[Num]] | None = Field(
        None, description="--trajectory: the forecast after each round, by issue id"
    )


def _model_outputs() -> Any:
    """One output model per registered model, its ``options`` that model's own options
    schema, told apart by ``model`` (a discriminated union)."""
    from pydantic import create_model

    from accord import models

    variants = []
    for name in models.available():
        opts = models.get(name).options_type
        variants.append(
            create_model(
                f"ModelOutput_{name}",
                __base__=_ModelOutputBase,
                model=(Literal[name], ...),  # type: ignore[arg-type]
                options=(opts, Field(description=f"the {name} options actually used")),
            )
        )
    return Annotated[Union[tuple(variants)], Field(discriminator="model")]  # noqa: UP007


ModelOutput = _model_outputs()
"""One model's run in ``accord run``'s output (its options are that model's own)."""


class IssueRef(_Out):
    id: str
    name: str
    scale: tuple[float, float]
    status_quo: Num = Field(description="null: the issue has no status quo")


class SettleHeadline(_Out):
    method: str
    sides: list[str] = Field(description="side A's and side B's actor ids")
    months: int
    p_settled_by_month: list[Num] = Field(description="P(settled by month m), m = 0..months")
    se: list[Num] = Field(description="Monte Carlo standard error of each")
    median_month: Num = Field(description="null: not settled by the horizon in half the runs")
    p_outcome: dict[Literal["settled", "a_won", "b_won", "fighting"], Num]
    terms_10_50_90: dict[str, list[Num]] = Field(
        description="by issue id: 10/50/90 % of the settled terms (the war issue on its "
        "scale); null: no run settled"
    )
    p_escalation: Num
    p_repositioning: Num
    p_swap: Num | None = Field(description="null: no parcel to swap")
    p_retaken: dict[str, Num] = Field(description="by parcel id")
    p_relapse_12_24: list[Num] = Field(
        description="P(relapse within 12 and 24 months of a deal); null: no deal"
    )
    blocked_share: dict[
        Literal[
            "no range",
            "optimism gap",
            "indivisibility",
            "reputational cost",
            "commitment problem",
            "veto",
        ],
        list[Num],
    ] = Field(description="by obstacle: the share of runs at war it blocks, month by month")


class RunSettle(SettleHeadline):
    runs: int
    seed: int


class Range(_Out):
    low: Num
    high: Num


class Window(_Out):
    bound_A: Num
    bound_B: Num
    nonempty: bool


class SwapView(_Out):
    chip: str
    holder: str
    owner: str
    first_feasible: int = Field(description="-1: never within the horizon")
    first_feasible_without_psi: int = Field(description="-1: never within the horizon")


class MediatorView(_Out):
    name: str
    toward: str
    credible_to_A: bool
    credible_to_B: bool


class Overview(_Out):
    range: Range | None = None
    status_quo: dict[Literal["value", "inside"], Num | bool] | None = None
    offer: dict[Literal["x", "p_war"], Num] | None = None
    window: Window | None = None
    swap: SwapView | None = None
    mediators: list[MediatorView] | None = None
    durability: dict[Literal["p_relapse", "horizon"], Num] | None = None


class WarLayer(_Out):
    sides: dict[Literal["A", "B"], str]
    issue: str
    settle: RunSettle | None = Field(description="null where settle lacks inputs")
    overview: Overview = Field(
        description="closed forms where the inputs exist (a key is absent where they do not)"
    )


class InfluenceLink(_Out):
    by: str = Field(description="the actor whose events moved this one")
    kind: str
    events: int
    rounds: list[int]
    shift: Num
    distance: Num
    moves: list[tuple[int, Num]] = Field(description="[round, shift] per event")


class InfluenceActor(_Out):
    start: Num
    end: Num
    moved: Num
    distance: Num
    unattributed: Num
    moved_by: list[InfluenceLink]


class InfluenceIssue(_Out):
    scale_width: float
    actors: dict[str, InfluenceActor] = Field(description="by actor id")


class Influence(_Out):
    scenario: str
    method: str
    moving_kinds: list[str]
    models: dict[str, dict[str, InfluenceIssue]] = Field(description="by model, then issue id")


class RunResult(_Out):
    issues: list[IssueRef]
    actors: list[str]
    models: list[ModelOutput]  # type: ignore[valid-type]
    decision_rules: list[str] = Field(description="what each issue's rule let through")
    war: WarLayer | None = Field(description="null without a war section")
    influence: Influence | None = Field(
        None, description="accord run --influence: who moved whom; null unless asked"
    )


class RunOptions(_Out):
    models: list[str]
    rounds: int | None
    set: dict[str, dict[str, Scalar | list[Scalar]]]
    trajectory: bool
    influence: bool


# ------------------------------------------------------------------ accord war VERB


class Parameter(_Out):
    value: Num | list[Num] | dict[str, list[Num]] = Field(
        description="a number, a pair (territory), or pairs by partner (tau, phi)"
    )
    from_: str = Field(
        alias="from", description="command line, the scenario's number and sources, or default"
    )


Sides = dict[Literal["A", "B"], str]


def _verb(name: str, results: type[BaseModel], doc: str) -> type[BaseModel]:
    from pydantic import create_model

    model: type[BaseModel] = create_model(
        f"War{name}Result",
        __base__=_Out,
        __doc__=doc,
        model=(str, ...),
        sides=(Sides, Field(description="side A's and side B's actor ids")),
        parameters=(
            dict[str, Parameter],
            Field(description="every parameter by name: its value and where it came from"),
        ),
        results=(results, ...),
        notes=(list[str], ...),
    )
    return model


class Indivisible(_Out):
    feasible: list[Num]
    side_payment: bool
    exists: bool
    split: Num
    transfer: Num
    gap: Num


class RangeResults(_Out):
    low: Num
    high: Num
    width: Num
    midpoint: Num
    empty: bool
    on_scale: Range
    indivisible: Indivisible | None = None
    status_quo: dict[Literal["value", "inside"], Num | bool] | None = None


class Continuous(_Out):
    x_star: Num
    p_war: Num
    expected_utility: Num
    capped: bool


class TwoTypes(_Out):
    mu_star: Num
    risky: bool
    offer: Num
    p_war: Num
    expected_utility: Num


class ScreenResults(_Out):
    continuous: Continuous
    two_types: TwoTypes


Quantiles = dict[Literal["10%", "50%", "90%"], Num]


class FightResults(_Out):
    gap0: Num
    range0: list[Num]
    p_outcome: dict[str, Num] = Field(
        description="settled, '<side A> won', '<side B> won', fighting"
    )
    mean_time: Num
    se_time: Num
    mean_time_ended: Num = Field(description="null: no run ended")
    final_line_quantiles: Quantiles
    runs: int
    seed: int
    settlement_time_quantiles: Quantiles | None = Field(None, description="where any settled")
    settlement_line_quantiles: Quantiles | None = Field(None, description="where any settled")


class CommitResults(_Out):
    low: Num = Field(description="the window's low end; null: empty window")
    high: Num = Field(description="the window's high end; null: empty window")
    nonempty: bool
    bound_A: Num
    bound_B: Num
    fights_now: dict[str, bool] = Field(description="by actor id")
    absolute_aims: dict[str, bool] = Field(description="by actor id")


class BrinkResults(_Out):
    k_star: Num
    k_cap: Num
    p_prevail: Num
    p_catastrophe: Num
    loss_by_partner: dict[str, Num] | None = Field(None, description="by partner id")
    E: Num | None = None
    threshold: Num | None = None
    escalate: bool | None = None


class SwapMonths(_Out):
    month: list[Num]
    area: list[Num]
    R_swap: list[Num]
    U_swap: list[Num]
    feasible: list[bool]
    best: list[int]
    shortfall: list[Num]
    R_swap_without_psi: list[Num]


class SwapResults(_Out):
    chip: str
    holder: str
    owner: str
    candidates: list[str]
    first_feasible: int = Field(description="-1: never within the horizon")
    first_feasible_without_psi: int = Field(description="-1: never within the horizon")
    dR_dh: Num
    months: SwapMonths = Field(description="columns, one value per month")


class MediatorRow(_FlagKeyed):
    """A mediator; ``credible_<id>``, ``margin_<id>``, ``L0_<id>``, ``deal_<id>`` and
    ``p_relapse_<id>`` columns are named after the belligerents."""

    mediator: str
    toward: str
    bias: Num
    signed_bias: Num
    p_settle: Num
    argmin: Num
    p_min: Num
    decay: Num
    p_relapse_natural: Num


class MediateResults(_Out):
    mediators: list[MediatorRow]
    least_effective_bias: Num
    p_settle_min: Num
    p_relapse_natural: Num


class RelapseCurve(_Out):
    p_relapse: Num = Field(description="P(relapse within the horizon)")
    p_relapse_at: dict[str, Num] = Field(description="by month checkpoint")


class DurabilityResults(_Out):
    agreement: RelapseCurve = Field(description="the agreement on the table")
    none: RelapseCurve
    guarantees: RelapseCurve
    dmz: RelapseCurve
    peacekeepers: RelapseCurve
    all: RelapseCurve


# ------------------------------------------------------------------ winset, settle


class WinsetSide(_Out):
    side: Literal["A", "B"]
    accepts: str
    state: Num = Field(description="null: no bound")
    factions: Num = Field(description="null: no bound")
    leader: Num = Field(description="null: no bound")
    win_set: Num = Field(description="null: no bound")


class Overlap(_Out):
    from_: Num = Field(alias="from")
    to: Num
    width: Num


class Aims(_Out):
    prior_unlimited: Num
    mistake: Num
    after_rejections_1_2_3: list[Num]


class WinsetTable(BaseModel):
    """The package, each belligerent's win-set (keyed by its actor id), overlap and aims."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, WinsetSide] = Field(init=False)
    package: dict[str, Num] = Field(description="by issue id")
    overlap: Overlap | None = Field(description="null: a side has no bound")
    aims: dict[str, Aims] = Field(description="by actor id")


class DomesticAims(_Out):
    offer_below: Num
    p_unlimited_blocked: Num
    p_held_out: Num
    posterior_path: dict[str, list[Num]]
    p_unlimited_drawn: dict[str, Num]


class Domestic(_Out):
    p_leader_blocked: Num
    p_ratification_blocked: Num
    blocked_by_month: dict[Literal["ratification", "leader survival"], list[Num]]
    removal_path: dict[str, list[Num]] = Field(description="by actor id")
    weights: dict[str, list[Num]] = Field(description="by faction id, month by month")
    aims: DomesticAims | None = None


class DerivedInput(_Out):
    name: str
    value: Scalar | list[Num]
    origin: str = Field(description="the rule or the scenario field it comes from")
    inputs: str = Field(description="that rule's inputs, as text (empty: none)")


class WinsetResult(_Out):
    model: str
    sides: list[str]
    issue: str
    months: int
    runs: int
    winset: WinsetTable
    p_leader_blocked: Num
    p_ratification_blocked: Num
    blocked_by_month: dict[Literal["ratification", "leader survival"], list[Num]]
    removal_path: dict[str, list[Num]]
    weights: dict[str, list[Num]]
    aims: DomesticAims | None = None
    inputs: list[DerivedInput]


class BaseRateRow(_Out):
    horizon: int
    p: Num
    lo: Num
    hi: Num
    text: str
    settle: Num


class VaryHeadline(_Out):
    p_settled_by: dict[str, tuple[Num, Num]] = Field(description="by month: [p, s.e.]")
    p_escalation: Num
    p_swap: Num | None
    median_line: Num = Field(description="null: no run settled")
    p_relapse_24: Num = Field(description="null: no deal")


class VaryRow(_Out):
    value: Num
    headline: VaryHeadline


class SettleResult(SettleHeadline):
    inputs: list[DerivedInput] = Field(description="every derived input with its origin")
    warnings: list[str]
    base_rate: list[BaseRateRow]
    vary: list[VaryRow]
    domestic: Domestic | None = None


# ------------------------------------------------------------------ deals, game


Level = Num | str


class FrontierPoint(_Out):
    package: dict[str, Level] = Field(description="by issue")
    utilities: list[Num] = Field(description="one per party")


class Zone(_Out):
    acceptable: int
    better: int
    low: list[Num]
    high: list[Num]


class DealParameters(_Out):
    disagreement: list[Num] | None = None
    weights: list[Num] | None = None
    rule: str | None = None
    ideal: list[Num] | None = None


class DealSolution(_Out):
    solution: str
    parties: list[str]
    agreement: bool
    column: int | None = Field(description="the package's column; null: no agreement")
    utilities: list[Num] | None
    criterion: Num
    ties: list[int]
    candidates: int
    parameters: DealParameters
    note: str
    package: dict[str, Level] | None = Field(description="null: no agreement")


class LinkageRow(_NumKeyed):
    """An issue pair; the ``gain <party>`` columns are named after the parties."""

    issues: str
    gains_from_linkage: bool
    separate: str
    joint: str


class DealsResult(_Out):
    source: str
    parties: list[str]
    issues: dict[str, list[Level]] = Field(description="the levels of each issue")
    outcomes: int
    disagreement: list[Num]
    disagreement_source: str
    reservation: list[Num]
    frontier: list[FrontierPoint]
    zone: Zone
    solutions: dict[str, DealSolution] = Field(description="by solution name")
    notes: list[str]
    linkage: list[LinkageRow] | None = Field(description="--linkage; null otherwise")


class Move(_Out):
    node: int
    player: str
    infoset: str
    action: str
    probability: Num


class PathStep(_Out):
    node: int
    action: str


class GameParameters(_Out):
    tol: float | None = None
    all_equilibria: bool | None = None
    batch: list[Num] | None = None
    start: str | None = None
    lam: Num = Field(None, description="qre: lambda; null: the limit lambda -> infinity")


class GameSolution(_Out):
    method: Literal["spe", "qre", "lcp", "lp"]
    parameters: GameParameters
    game: str
    players: list[str]
    value: list[Num] = Field(description="each player's value at the root")
    notes: list[str]
    behaviour: list[Move]
    path: list[PathStep]
    equilibria: list[tuple[list[Num], list[Num]]] | None = Field(
        None, description="spe --all: every pure SPE as [behaviour, root value]"
    )


class GameResult(_Out):
    game: str
    solutions: list[GameSolution]


# ------------------------------------------------------------------ baserate, timeline, diff


class ReferenceClass(_Out):
    type: str | None
    incompatibility: str | None
    intensity: str | None
    region: str | None
    started_before: str | None
    observed_until: str | None


class BaseRateHeadline(_Out):
    horizon: float
    p: Num
    lo: Num
    hi: Num
    estimate: str
    text: str


class PEnd(_Out):
    horizon: float
    p: Num
    lo: Num
    hi: Num
    weibull: Num
    weibull_lo: Num
    weibull_hi: Num
    loglogistic: Num
    loglogistic_lo: Num
    loglogistic_hi: Num


class Ending(_Out):
    cause: str
    p: Num
    lo: Num
    hi: Num
    events: int


class EndingMix(_Out):
    outcome: str
    episodes: int
    share: Num


class SurvivalOptions(_Out):
    penalizer: float
    covariates: list[str]
    seed: int


class CowCheck(_Out):
    wars: int
    first_year: int
    last_year: int
    within_one_calendar_year: Num
    within_two_calendar_years: Num
    mix_of_endings: dict[str, Num]
    citation: str


class BaseRateResult(_Out):
    reference_class: ReferenceClass
    description: str
    duration_months: Num
    n: int
    n_ended: int
    n_at_risk: int
    warnings: list[str]
    headline: BaseRateHeadline
    p_end: list[PEnd]
    endings_within_12: list[Ending]
    mix_of_endings: list[EndingMix]
    method: str
    options: SurvivalOptions
    citation: str
    cow_check: CowCheck | None = Field(description="inter-state classes only")


class Driver(_Out):
    group: str
    paths: list[str]
    effect_on_p12: Num


class ChangeRow(_Out):
    path: str
    kind: Literal["changed", "added", "removed"]
    old: Num = Field(description="null: absent in the old scenario")
    new: Num = Field(description="null: absent in the new scenario")


class TimelineDate(_Out):
    scenario: str
    as_of: str
    title: str
    war_issue: str
    status_quo: Num
    p_settled_by_month: list[Num]
    se_by_month: list[Num]
    p_settled_6: Num
    p_settled_12: Num
    expected_front_6: Num
    expected_front_12: Num
    p_escalation: Num
    p_swap: Num = Field(description="null: no parcel to swap")
    main_obstacle: str | None
    main_obstacle_share: Num
    models_war_issue: dict[str, Num] = Field(description="by model (empty with --no-models)")
    models_median: Num = Field(description="null: no model ran")
    changes_from_previous: int
    drivers: list[Driver] = Field(description="--explain N")
    largest_changes: list[ChangeRow]


class TimelineResult(_Out):
    series: str
    months: int
    runs: int
    seed: int
    method: str
    dates: list[TimelineDate]


class DiffSide(_Out):
    id: str
    as_of: str | None


class DiffChange(ChangeRow):
    old_source: list[str]
    new_source: list[str]
    old_judgement: bool
    new_judgement: bool
    old_cited: str
    new_cited: str


class DiffResult(_Out):
    a: DiffSide
    b: DiffSide
    method: str
    changes: list[DiffChange]


# ------------------------------------------------------------------ sweeps


class SobolRow(_Out):
    number: str
    S1: Num
    S1_low: Num
    S1_high: Num
    ST: Num
    ST_low: Num
    ST_high: Num


class MorrisRow(_Out):
    number: str
    mu: Num
    mu_star: Num
    mu_star_low: Num
    mu_star_high: Num
    sigma: Num


class TornadoRow(_Out):
    number: str
    low: Num
    high: Num
    swing: Num


class _Sensitivity(_Out):
    output: str


class SobolResult(_Sensitivity):
    method: Literal["sobol"]
    numbers: list[SobolRow] = Field(description="most influential first")


class MorrisResult(_Sensitivity):
    method: Literal["morris"]
    numbers: list[MorrisRow] = Field(description="most influential first")


class TornadoResult(_Sensitivity):
    method: Literal["tornado"]
    numbers: list[TornadoRow] = Field(description="largest swing first")


SensitivityResult = Annotated[
    SobolResult | MorrisResult | TornadoResult, Field(discriminator="method")
]


class DiscoverEvent(_Out):
    where: str
    hits: int
    n: int
    p: Num
    low: Num
    high: Num
    level: float


class DiscoverBox(_Out):
    coverage: Num
    density: Num
    mass: Num
    step: int
    limits: dict[str, dict[Literal["lower", "upper"], Num]] = Field(
        description="by restricted number"
    )


class DiscoverResult(_Out):
    event: DiscoverEvent
    boxes: list[DiscoverBox]


# ------------------------------------------------------------------ back-tests


class GroupScore(_Out):
    n: int
    mae: Num = Field(description="null: no issue in the group")
    mae_lo: Num
    mae_hi: Num


class DeuSummaryRow(_Out):
    predictor: str
    description: str
    fitted: bool = Field(description="chosen by cross-validation (a fold's choice)")
    n: int
    failed: int
    mae: Num
    mae_lo: Num
    mae_hi: Num
    median_ae: Num
    median_ae_lo: Num
    median_ae_hi: Num
    hit_rate: Num
    hit_rate_lo: Num
    hit_rate_hi: Num
    rmse: Num
    coverage: Num
    coverage_lo: Num
    coverage_hi: Num
    crps: Num
    dmae: Num = Field(description="MAE minus the reference's; null: the reference did not run")
    dmae_lo: Num
    dmae_hi: Num
    by_group: dict[Literal["COD", "CNS", "QMV", "unanimity"], GroupScore]


class DeuPrediction(_Out):
    issue: str
    proposal: str
    procedure: str
    rule: str
    outcome: Num
    reference: Num = Field(description="null: the issue has no reference point")
    fold: int
    predictor: str
    prediction: Num = Field(description="null: the predictor failed on this issue")
    abs_error: Num
    scored_error: Num
    note: str
    lower: Num
    upper: Num
    crps: Num


class BacktestDeuResult(_Out):
    dataset: Literal["DEU III"]
    issues: int
    folds: int
    seed: int
    resamples: int
    tolerance: float
    level: float = Field(description="the coverage level of the prediction intervals")
    reference: str = Field(description="the predictor dmae is measured against")
    summary: list[DeuSummaryRow] = Field(description="best MAE first")
    choices: dict[str, list[str]] = Field(
        description="cross-validated predictors: the choice in each fold"
    )
    predictions: list[DeuPrediction]


class WarsDesign(_Out):
    split: str
    horizon_months: float
    resamples: int
    seed: int
    penalizer: float


class WarsSummaryRow(_Out):
    design: Literal["temporal", "decade"]
    predictor: str
    windows: int
    episodes: int
    observed_rate: Num
    mean_forecast: Num
    brier: Num
    brier_lo: Num
    brier_hi: Num
    log_loss: Num
    log_loss_lo: Num
    log_loss_hi: Num
    ibs: Num
    ibs_lo: Num
    ibs_hi: Num
    c_index: Num
    c_index_lo: Num
    c_index_hi: Num
    brier_vs_constant: Num
    brier_vs_constant_lo: Num
    brier_vs_constant_hi: Num
    brier_vs_km: Num
    brier_vs_km_lo: Num
    brier_vs_km_hi: Num


class WarsPrediction(_Out):
    episode_id: int | str = Field(description="UCDP's conflict-episode id")
    start: str = Field(description="ISO date the episode began")
    decade: int
    type: str
    d: Num = Field(description="the landmark: months lasted so far")
    residual: Num
    event: bool
    y: int | None = Field(
        description="1: ended within the horizon, 0: did not, null: censored before it ended"
    )
    predictor: str
    p: Num


class BacktestWarsResult(_Out):
    method: str
    design: WarsDesign
    summary: list[WarsSummaryRow]
    verdicts: list[str]
    predictions: dict[Literal["temporal", "decade"], list[WarsPrediction]]


def _war_commands() -> dict[str, type[BaseModel]]:
    return {
        "war range": _verb("Range", RangeResults, "M1: the bargaining range."),
        "war screen": _verb("Screen", ScreenResults, "M2: risk-return offer and screening."),
        "war fight": _verb("Fight", FightResults, "M3: bargaining while fighting."),
        "war commit": _verb("Commit", CommitResults, "M4: the commitment window."),
        "war brink": _verb("Brink", BrinkResults, "M7: brinkmanship and escalation."),
        "war swap": _verb("Swap", SwapResults, "M5: land for land."),
        "war mediate": _verb("Mediate", MediateResults, "M6: mediators."),
        "war durability": _verb("Durability", DurabilityResults, "M9: relapse hazard."),
    }


def _commands() -> dict[str, tuple[Any, type[BaseModel] | None]]:
    return {
        "run": (RunResult, RunOptions),
        **{k: (v, None) for k, v in _war_commands().items()},
        "war winset": (WinsetResult, None),
        "settle": (SettleResult, None),
        "deals": (DealsResult, None),
        "game solve": (GameResult, None),
        "baserate": (BaseRateResult, None),
        "timeline": (TimelineResult, None),
        "diff": (DiffResult, None),
        "sensitivity": (SensitivityResult, None),
        "discover": (DiscoverResult, None),
        "backtest deu": (BacktestDeuResult, None),
        "backtest wars": (BacktestWarsResult, None),
    }


COMMANDS: tuple[str, ...] = (
    "run", "war range", "war screen", "war fight", "war commit", "war brink", "war swap",
    "war mediate", "war durability", "war winset", "settle", "deals", "game solve",
    "baserate", "timeline", "diff", "sensitivity", "discover", "backtest deu",
    "backtest wars",
)  # fmt: skip
"""Every command with ``--json``."""


@functools.cache
def _envelope(command: str) -> type[BaseModel]:
    from pydantic import create_model

    result, options = _commands()[command]
    model: type[BaseModel] = create_model(
        "Output_" + command.replace(" ", "_"),
        __base__=_Out,
        accord_version=(str, ...),
        command=(Literal[command], ...),  # type: ignore[arg-type]
        scenario=(
            ScenarioRef | None,
            Field(description="null where the command reads no scenario"),
        ),
        options=(
            options if options is not None else dict[str, Asked],
            Field(description="what the command was asked, by option name"),
        ),
        seed=(int | None, Field(description="the seed of every random step; null: none")),
        what_if=(
            list[WhatIf],
            Field(description="the --let changes from the file; empty without --let"),
        ),
        result=(result, ...),
    )
    return model


def output_schema(command: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``accord COMMAND --json``."""
    from accord.errors import ModelError

    if command not in COMMANDS:
        raise ModelError(
            f"no JSON output for this command (one of: {', '.join(COMMANDS)})",
            path="--output",
            value=command,
        )
    schema = _envelope(command).model_json_schema(mode="serialization", by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"accord {command} --json"
    schema["description"] = f"The envelope of accord {command} --json. {NULL_MEANS}"
    return schema


def output_schemas() -> dict[str, dict[str, Any]]:
    """Every command's schema, by command."""
    return {c: output_schema(c) for c in COMMANDS}
