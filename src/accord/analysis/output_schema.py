"""The JSON Schema of accord's ``--json`` output, generated from pydantic models of it.

:func:`output_schema` gives one command's envelope schema (``accord schema --output
COMMAND``), :func:`output_schemas` every command's. The models describe what
:mod:`accord.analysis.output` writes; the tests validate every command's output on every
bundled scenario against these schemas with an independent validator (``jsonschema``).
``accord run`` is described field by field; the other commands' results name and type
their top-level fields, nested tables are objects whose keys are data (actor or issue ids).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["COMMANDS", "output_schema", "output_schemas"]

Num = float | Literal["inf", "-inf"] | None
"""A JSON number; NaN is written as null, an infinity as the string "inf" or "-inf"."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ScenarioRef(_Out):
    id: str
    title: str | None = Field(description="null where only a sweep's manifest names it")
    as_of: str | None = Field(description="ISO date, or null")
    sha256: str = Field(description="SHA-256 of the scenario's canonical JSON")


# ------------------------------------------------------------------ accord run


class DecisionRule(_Out):
    rule: str
    lo: Num
    hi: Num
    empty: bool
    unbound: Num = Field(description="the model's forecast before the rule")
    bound: Num = Field(description="the forecast after the rule")
    shift: Num


class Forecast(_Out):
    value: Num = Field(description="the forecast (the mean over draws where there are draws)")
    status: Literal["static", "converged", "cycle", "max_rounds", "undefined"]
    quantiles: dict[str, Num] | None = Field(
        description="q10, q50, q90 of the draws; null for one number"
    )
    decision_rule: DecisionRule | None


class Diagnostic(_Out):
    code: str
    message: str
    issue: str | None


class Cycle(_Open):
    issue: str | None = None


class ModelOutput(_Out):
    model: str
    options: dict[str, Any] = Field(description="the model's options actually used")
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
    events: list[dict[str, Any]]
    trajectory: dict[str, dict[str, list[Num]]] | None = Field(
        None, description="--trajectory: position by actor id, issue id, then round"
    )
    forecast_path: dict[str, list[Num]] | None = Field(
        None, description="--trajectory: the forecast after each round, by issue id"
    )


class IssueRef(_Out):
    id: str
    name: str
    scale: tuple[float, float]
    status_quo: Num


class SettleHeadline(_Open):
    method: str
    sides: list[str]
    months: int
    p_settled_by_month: list[Num]
    se: list[Num]
    median_month: Num
    p_outcome: dict[str, Num]
    terms_10_50_90: dict[str, list[Num]]
    p_escalation: Num
    p_repositioning: Num
    p_swap: Num | None
    p_retaken: dict[str, Num]
    p_relapse_12_24: list[Num]
    blocked_share: dict[str, list[Num]]


class RunSettle(SettleHeadline):
    runs: int
    seed: int


class WarLayer(_Out):
    sides: dict[Literal["A", "B"], str]
    issue: str
    settle: RunSettle | None = Field(description="null where settle lacks inputs")
    overview: dict[str, Any] = Field(
        description="closed forms where the inputs exist: range, status_quo, offer, window, "
        "swap, mediators, durability"
    )


class RunResult(_Out):
    issues: list[IssueRef]
    actors: list[str]
    models: list[ModelOutput]
    decision_rules: list[str] = Field(description="what each issue's rule let through")
    war: WarLayer | None = Field(description="null without a war section")
    influence: dict[str, Any] | None = Field(
        None,
        description="accord run --influence: who moved whom, models[model][issue].actors"
        "[actor] (accord.analysis.influence); null unless asked",
    )


class RunOptions(_Out):
    models: list[str]
    rounds: int | None
    set: dict[str, dict[str, Any]]
    trajectory: bool
    influence: bool


# ------------------------------------------------------------------ the other commands


class WarVerbResult(_Out):
    model: str
    sides: dict[Literal["A", "B"], str]
    parameters: dict[str, dict[str, Any]] = Field(
        description="every parameter: its value and where it came from"
    )
    results: dict[str, Any]
    notes: list[str]


class WinsetResult(_Open):
    model: str
    sides: list[str]
    issue: str
    months: int
    runs: int
    winset: dict[str, Any]
    p_leader_blocked: Num
    p_ratification_blocked: Num
    removal_path: dict[str, Any]
    inputs: list[dict[str, Any]]


class SettleResult(SettleHeadline):
    inputs: list[dict[str, Any]]
    warnings: list[str]
    base_rate: list[dict[str, Any]]
    vary: list[dict[str, Any]]
    domestic: dict[str, Any] | None = None


class DealsResult(_Open):
    source: str
    parties: list[str]
    issues: dict[str, Any]
    outcomes: int
    disagreement: list[Num]
    frontier: list[Any]
    zone: dict[str, Any]
    solutions: dict[str, dict[str, Any]]
    notes: list[str]
    linkage: list[dict[str, Any]] | None


class GameSolution(_Open):
    method: str
    parameters: dict[str, Any]
    players: list[str]
    value: list[Num] | list[list[Num]]
    behaviour: list[Any]


class GameResult(_Out):
    game: str
    solutions: list[GameSolution]


class BaseRateResult(_Open):
    reference_class: dict[str, Any]
    description: str
    duration_months: Num
    n: int
    n_ended: int
    headline: dict[str, Any]
    p_end: list[Any]
    method: str
    cow_check: dict[str, Any] | None


class TimelineResult(_Open):
    series: str
    months: int
    runs: int
    seed: int
    method: str
    dates: list[dict[str, Any]]


class DiffResult(_Open):
    a: dict[str, Any]
    b: dict[str, Any]
    method: str
    changes: list[dict[str, Any]]


class SensitivityResult(_Out):
    output: str
    method: Literal["sobol", "morris", "tornado"]
    numbers: list[dict[str, str | Num]] = Field(
        description="one row per uncertain number, most influential first"
    )


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
    limits: dict[str, dict[Literal["lower", "upper"], Num]]


class DiscoverResult(_Out):
    event: DiscoverEvent
    boxes: list[DiscoverBox]


COMMANDS: dict[str, tuple[type[BaseModel], type[BaseModel] | None]] = {
    "run": (RunResult, RunOptions),
    "war range": (WarVerbResult, None),
    "war screen": (WarVerbResult, None),
    "war fight": (WarVerbResult, None),
    "war commit": (WarVerbResult, None),
    "war brink": (WarVerbResult, None),
    "war swap": (WarVerbResult, None),
    "war mediate": (WarVerbResult, None),
    "war durability": (WarVerbResult, None),
    "war winset": (WinsetResult, None),
    "settle": (SettleResult, None),
    "deals": (DealsResult, None),
    "game solve": (GameResult, None),
    "baserate": (BaseRateResult, None),
    "timeline": (TimelineResult, None),
    "diff": (DiffResult, None),
    "sensitivity": (SensitivityResult, None),
    "discover": (DiscoverResult, None),
}
"""Every command with ``--json``: the model of its result and (where described) of its
options."""


def _envelope(command: str) -> type[BaseModel]:
    from pydantic import create_model

    result, options = COMMANDS[command]
    model: type[BaseModel] = create_model(
        "Output_" + command.replace(" ", "_"),
        __base__=_Out,
        accord_version=(str, ...),
        command=(Literal[command], ...),  # type: ignore[arg-type]
        scenario=(ScenarioRef | None, ...),
        options=(options if options is not None else dict[str, Any], ...),
        seed=(int | None, ...),
        what_if=(list[dict[str, Any]], ...),
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
    schema = _envelope(command).model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"accord {command} --json"
    return schema


def output_schemas() -> dict[str, dict[str, Any]]:
    """Every command's schema, by command."""
    return {c: output_schema(c) for c in COMMANDS}
