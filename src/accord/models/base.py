"""What every multi-actor model shares: options, the result object and the registry.

A model is a class with typed, validated options and one entry point::

    result = EUM(preset="scholz_code", q=1.0).run(scenario)
    result = accord.models.run("eum", scenario, preset="scholz_code")

``run`` never reads files or prints; it returns a :class:`ModelResult`, a frozen record
(in the spirit of ``scipy.optimize.OptimizeResult``) holding the per-issue forecast, the
per-round trajectory where the model has rounds, an event log and diagnostics, with
``to_frame()`` and friends for pandas.
"""

from __future__ import annotations

import importlib
import math
from abc import ABC, abstractmethod
from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.errors import ModelError, format_path
from accord.scenario.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Cycle",
    "Diagnostic",
    "Event",
    "Model",
    "ModelResult",
    "Options",
    "Status",
    "available",
    "get",
    "one_draw",
    "register",
    "register_lazy",
    "run",
]

Status = Literal["static", "converged", "cycle", "max_rounds", "undefined"]

QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)
"""The quantiles of repetitions (draws) that accord prints and writes: 10/50/90 %."""


class Options(BaseModel):
    """Base class of every model's options: typed, frozen, unknown names refused.

    ``decision_rules`` (every model, on by default): bind the forecast to what the
    issue's decision rule lets through (:mod:`accord.models.rules`) where the scenario
    declares a rule.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision_rules: bool = Field(
        default=True,
        description="bind forecasts to the outcomes the issue's decision rule lets through "
        "(veto players, unanimity, voting quotas, veto players' red lines)",
    )


@dataclass(frozen=True)
class Event:
    """One thing that happened in a round: who did what to whom, with the numbers.

    ``kind`` is model-specific (``"compromise"``, ``"confrontation"``, ``"exchange"``...);
    ``actor`` is the actor that moved or acted, ``counterpart`` the other side.
    """

    round: int
    issue: str
    kind: str
    actor: str
    counterpart: str | None = None
    before: float | None = None
    after: float | None = None
    values: Mapping[str, float] = field(default_factory=dict)
    text: str = ""

    def describe(self) -> str:
        if self.text:
            return self.text
        who = f"{self.actor} {self.kind}"
        if self.counterpart:
            who += f" with {self.counterpart}"
        if self.before is not None and self.after is not None:
            who += f": {self.before:.4g} -> {self.after:.4g}"
        return who


@dataclass(frozen=True)
class Diagnostic:
    """A note about the run: an undefined quantity, a fallback taken, a cycle found."""

    code: str
    message: str
    issue: str | None = None


@dataclass(frozen=True)
class Cycle:
    """A recurring state: rounds ``start``, ``start + period``, ... repeat the same positions."""

    issue: str
    start: int
    period: int
    forecast_min: float
    forecast_max: float


@dataclass(frozen=True)
class ModelResult:
    """Everything a model run produced, in the scenario's actor and issue order.

    Attributes
    ----------
    model, scenario_id, options
        What was run, on what, with which options (enough to reproduce the run).
    forecast
        Shape ``(issues,)``, on each issue's own scale; NaN where undefined (see
        ``diagnostics``).
    status
        Per issue: ``static`` (no rounds), ``converged``, ``cycle``, ``max_rounds`` or
        ``undefined``.
    trajectory
        ``(rounds + 1, actors, issues)`` positions, round 0 being the input, or ``None``.
    forecast_path
        ``(rounds + 1, issues)`` forecast after each round, or ``None``.
    events
        Typed records of what happened in each round (a tuple, or a sequence built on
        first use that compares equal to that tuple).
    extra
        Model-specific arrays or tables (e.g. the weighted mean per round).
    """

    model: str
    scenario_id: str
    options: Mapping[str, Any]
    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    forecast: NDArray[np.float64]
    status: tuple[Status, ...]
    trajectory: NDArray[np.float64] | None = None
    forecast_path: NDArray[np.float64] | None = None
    events: Sequence[Event] = ()
    cycles: tuple[Cycle, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None

    def __post_init__(self) -> None:
        m = len(self.issue_ids)
        if self.forecast.shape != (m,):
            raise ValueError(f"forecast has shape {self.forecast.shape}, expected ({m},)")
        if len(self.status) != m:
            raise ValueError("one status per issue expected")
        # A forecast that is not a finite number is undefined, whatever the run's status.
        bad = ~np.isfinite(self.forecast)
        if bad.any():
            status = tuple("undefined" if b else s for b, s in zip(bad, self.status, strict=True))
            object.__setattr__(self, "status", status)

    @property
    def rounds(self) -> int:
        """The number of rounds recorded (0 for static models)."""
        return 0 if self.trajectory is None else self.trajectory.shape[0] - 1

    def forecast_of(self, issue: str) -> float:
        return float(self.forecast[self.issue_ids.index(issue)])

    def quantiles(self, q: Sequence[float] = QUANTILES) -> NDArray[np.float64] | None:
        """Quantiles ``(len(q), issues)`` of a stochastic model's repetitions (draws), or
        ``None`` where the forecast is one number (a deterministic model or one draw).

        A model that repeats a stochastic run keeps every repetition's forecast in
        ``extra["repetition_forecasts"]`` (repetitions x issues): exchange's and smp's
        ``repetitions``.
        """
        draws = self.extra.get("repetition_forecasts")
        if draws is None or len(draws) < 2:
            return None
        out: NDArray[np.float64] = np.quantile(np.asarray(draws, dtype=float), list(q), axis=0)
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: the forecast and how the run ended; where a decision rule
        bound the forecast, also the forecast without it (``unbound``) and the rule's
        acceptable set (``acceptable_lo``, ``acceptable_hi``); where the forecast is the
        mean of repetitions, their 10/50/90 % quantiles (``q10``, ``q50``, ``q90``)."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "model": self.model,
                "forecast": self.forecast,
                "status": list(self.status),
            },
            index=pd.Index(self.issue_ids, name="issue"),
        )
        records = self.extra.get("decision_rule")
        if records:
            for column, key in (
                ("unbound", "unbound"),
                ("acceptable_lo", "lo"),
                ("acceptable_hi", "hi"),
            ):
                frame[column] = [
                    records[i][key] if i in records else math.nan for i in self.issue_ids
                ]
        spread = self.quantiles()
        if spread is not None:
            for p, row in zip(QUANTILES, spread, strict=True):
                frame[f"q{100 * p:g}"] = row
        return frame

    def trajectory_frame(self) -> pd.DataFrame:
        """Long table of positions: round, actor, issue, position."""
        import pandas as pd

        if self.trajectory is None:
            return pd.DataFrame(columns=["round", "actor", "issue", "position"])
        r = self.trajectory.shape[0]
        idx = pd.MultiIndex.from_product(
            [range(r), self.actor_ids, self.issue_ids], names=["round", "actor", "issue"]
        )
        return pd.DataFrame({"position": self.trajectory.reshape(-1)}, index=idx).reset_index()

    def forecast_path_frame(self) -> pd.DataFrame:
        """Forecast after each round: one row per round, one column per issue."""
        import pandas as pd

        if self.forecast_path is None:
            return pd.DataFrame(columns=list(self.issue_ids))
        return pd.DataFrame(
            self.forecast_path,
            columns=list(self.issue_ids),
            index=pd.RangeIndex(self.forecast_path.shape[0], name="round"),
        )

    def events_frame(self) -> pd.DataFrame:
        """The event log as a table (numbers in ``values`` become columns)."""
        import pandas as pd

        rows = []
        for e in self.events:
            row: dict[str, Any] = {
                "round": e.round,
                "issue": e.issue,
                "kind": e.kind,
                "actor": e.actor,
                "counterpart": e.counterpart,
                "before": e.before,
                "after": e.after,
            }
            row.update(e.values)
            row["text"] = e.describe()
            rows.append(row)
        cols = ["round", "issue", "kind", "actor", "counterpart", "before", "after", "text"]
        return pd.DataFrame(rows) if rows else pd.DataFrame(columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output (NaN becomes ``None``)."""

        def num(x: float) -> float | None:
            return None if not math.isfinite(x) else float(x)

        return {
            "model": self.model,
            "scenario": self.scenario_id,
            "options": dict(self.options),
            "seed": self.seed,
            "forecast": {
                iid: {"value": num(float(v)), "status": st}
                for iid, v, st in zip(self.issue_ids, self.forecast, self.status, strict=True)
            },
            "rounds": self.rounds,
            "cycles": [c.__dict__ for c in self.cycles],
            "diagnostics": [d.__dict__ for d in self.diagnostics],
            "events": [
                {**{k: v for k, v in e.__dict__.items() if k != "values"}, **e.values}
                for e in self.events
            ],
        }


class Model(ABC):
    """Base class of multi-actor models.

    Subclasses set ``name``, ``summary``, ``references`` and ``options_type`` and
    implement :meth:`run`.
    """

    name: ClassVar[str]
    summary: ClassVar[str]
    references: ClassVar[tuple[str, ...]] = ()
    options_type: ClassVar[type[Options]] = Options
    links_issues: ClassVar[bool] = False
    """True where a forecast on one issue depends on the others (trades across issues)."""
    footprint_exponents: ClassVar[tuple[int, int]] = (3, 1)
    """``(a, b)``: the largest working array has about ``actors^a x issues^b`` cells (the
    default fits models that weigh triples of actors on every issue)."""
    footprint_arrays: ClassVar[int] = 1
    """How many arrays of that size the model holds at once (its footprint's factor)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every model's ``run`` and ``run_many`` check the size limits before they start."""
        super().__init_subclass__(**kwargs)
        for name in ("run", "run_many"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_size_checked", False):
                setattr(cls, name, _size_checked(method, many=name == "run_many"))

    @classmethod
    def footprint(cls, n_actors: int, n_issues: int) -> int:
        """Cells of the model's largest working array for a scenario of this size."""
        a, b = cls.footprint_exponents
        cells: int = cls.footprint_arrays * int(n_actors) ** a * int(n_issues) ** b
        return cells

    def check_size(self, scenario: Scenario) -> None:
        """Refuse, before allocating, a scenario or a round count above :mod:`accord.limits`."""
        from accord import limits

        n, m = len(scenario.actors), len(scenario.issues)
        cells = self.footprint(n, m)
        a, b = self.footprint_exponents
        k = f"{self.footprint_arrays} x " if self.footprint_arrays != 1 else ""
        limits.CELLS.check(
            cells,
            path=self.name,
            what=f"{n:,} actors x {m:,} issues (about {cells:,} cells: {k}actors^{a} x issues^{b})",
        )
        rounds = getattr(self.options, "rounds", None)
        if isinstance(rounds, int):
            limits.ROUNDS.check(rounds, path=f"options.{self.name}.rounds")

    def __init__(self, **options: Any) -> None:
        try:
            self.options = self.options_type.model_validate(options)
        except ValidationError as exc:
            raise self.options_error(exc) from None

    @classmethod
    def options_error(cls, exc: ValidationError) -> ModelError:
        """The first problem of an options validation as a located :class:`ModelError`."""
        err = exc.errors()[0]
        path = format_path(("options", cls.name, *err["loc"]))
        message = "unknown option" if err["type"] == "extra_forbidden" else err["msg"]
        known = ", ".join(cls.options_type.model_fields)
        if err["type"] == "extra_forbidden":
            message += f"; {cls.name} takes: {known}"
        return ModelError(message, path=path, value=err.get("input"))

    @classmethod
    def check_options_strictly(cls, options: Mapping[str, Any]) -> None:
        """Refuse options given as text from the command line that only fit by coercion.

        ``--set eum.q=true`` must not become ``q = 1.0``: the values are validated in
        pydantic's strict JSON mode (no bool/str/number conversions) before the model runs.
        """
        import json

        try:
            cls.options_type.model_validate_json(json.dumps(dict(options)), strict=True)
        except ValidationError as exc:
            raise cls.options_error(exc) from None
        except (TypeError, ValueError):
            raise ModelError("options must be plain numbers, text or true/false") from None

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.model_dump().items())
        return f"{type(self).__name__}({opts})"

    @abstractmethod
    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        """Run the model on a scenario."""

    def unavailable(self, scenario: Scenario) -> str | None:
        """Why the model cannot forecast this scenario at all (``None``: it can)."""
        return None

    def run_many(
        self, scenarios: Sequence[Scenario], *, rng: np.random.Generator | int | None = None
    ) -> list[ModelResult]:
        """Run the model on each scenario (``rng`` as for :meth:`run`, passed to every run).

        The default is a loop; a model may override it with a batched computation whose
        results equal the loop's.
        """
        return [self.run(sc, rng=rng) for sc in scenarios]


def _size_checked(method: Any, many: bool) -> Any:
    import functools

    @functools.wraps(method)
    def wrapper(self: Model, scenario: Any, *args: Any, **kwargs: Any) -> Any:
        for sc in scenario if many else (scenario,):
            self.check_size(sc)
        return method(self, scenario, *args, **kwargs)

    wrapper._size_checked = True  # type: ignore[attr-defined]
    return wrapper


_REGISTRY: dict[str, type[Model] | str] = {}
"""Name -> model class, or ``"module:Class"`` for a built-in model not imported yet."""


def register(cls: type[Model]) -> type[Model]:
    """Class decorator: make a model callable by name from the CLI, back-tests and sweeps."""
    if cls.name in _REGISTRY and get(cls.name) is not cls:
        raise ValueError(f"model name {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def register_lazy(name: str, target: str) -> None:
    """Register a model by ``"module:Class"``: imported on first :func:`get`, so that a
    command running one model does not import the others."""
    if name in _REGISTRY:
        raise ValueError(f"model name {name!r} registered twice")
    _REGISTRY[name] = target


def available() -> tuple[str, ...]:
    """Names of the registered models, in registration order."""
    return tuple(_REGISTRY)


def get(name: str) -> type[Model]:
    """The model class registered under ``name``."""
    try:
        entry = _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise ModelError(f"unknown model; available: {known}", path="model", value=name) from None
    if isinstance(entry, str):
        module, _, attr = entry.partition(":")
        entry = getattr(importlib.import_module(module), attr)
        if not (isinstance(entry, type) and issubclass(entry, Model) and entry.name == name):
            raise TypeError(f"{_REGISTRY[name]} is not the model {name!r}")
        _REGISTRY[name] = entry
    return entry


def run(
    name: str, scenario: Scenario, *, rng: np.random.Generator | int | None = None, **options: Any
) -> ModelResult:
    """Run the model registered under ``name`` with the given options."""
    return get(name)(**options).run(scenario, rng=rng)


def detect_cycle(states: NDArray[np.float64], atol: float) -> tuple[int, int] | None:
    """First recurrence in a sequence of states: ``(start, period)`` or ``None``.

    ``states`` has shape ``(rounds + 1, ...)``; the state at round ``t`` recurs if it
    equals (within ``atol``) the state at an earlier round ``t - period``.
    A fixed point is a cycle of period 1.
    """
    flat = states.reshape(states.shape[0], -1)
    for t in range(1, flat.shape[0]):
        diffs = np.max(np.abs(flat[:t] - flat[t]), axis=1) if flat.shape[1] else np.zeros(t)
        hits = np.flatnonzero(diffs <= atol)
        if hits.size:
            start = int(hits[-1])
            return start, t - start
    return None


def as_generator(rng: np.random.Generator | int | None) -> tuple[np.random.Generator, int | None]:
    """A generator and the seed that made it (``None`` if a generator was passed in)."""
    if isinstance(rng, np.random.Generator):
        return rng, None
    seed = 0 if rng is None else int(rng)
    return np.random.default_rng(seed), seed


def one_draw(result: ModelResult, option: str) -> ModelResult:
    """Mark a single run of a stochastic model as one draw of many: ``extra["stochastic"]``
    and a ``one_draw`` diagnostic naming the repetitions ``option`` that gives the spread."""
    note = Diagnostic(
        "one_draw",
        "stochastic: this forecast is one draw of many (another seed gives another); "
        f"--set {option}=50 gives the mean with 10/50/90 % quantiles",
    )
    extra: Mapping[str, Any] = ChainMap(
        {"stochastic": True},
        result.extra,  # type: ignore[arg-type]  # read-only use; keeps lazy extras lazy
    )
    return replace(result, diagnostics=(*result.diagnostics, note), extra=extra)
