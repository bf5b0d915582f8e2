"""A war seen through time: a series of as-of-dated scenarios of one conflict.

A series is a small index file (YAML or JSON)::

    id: russia-ukraine
    title: Russia-Ukraine war, 2022-2025
    scenarios: [ukraine-2022-04, ukraine-2022-11, ...]   # bundled ids or file paths
    calibration:
      note: why these parameters are not facts of a date
      parameters:
        - {path: war.delta, note: monthly discount factor}
        - {path: "war.beliefs.UKR.alpha + war.beliefs.UKR.beta", note: learning speed}

``scenarios`` are listed in date order (checked: strictly increasing ``as_of``). The
``calibration`` names the numbers that are not facts of any date (learning speeds, hazard
scales, bargaining weights, judgement defaults): they must be equal in every scenario of the
series, so that differences between dates come from facts. Paths are those of
:func:`accord.scenario.diff.numbers` (``actors[RUS].positions.T.position``, ``war.delta``); a
``+`` sums several paths. Bundled series live in ``accord/scenarios/series/``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.errors import Problem, ScenarioError, format_path
from accord.scenario.diff import numbers
from accord.scenario.io import read_data
from accord.scenario.schema import Scenario

__all__ = [
    "CalibrationParameter",
    "Series",
    "SeriesSpec",
    "bundled_series",
    "calibration_mismatches",
    "calibration_values",
    "load_series",
]


class CalibrationParameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str = Field(min_length=1)
    note: str | None = None
    optional: bool = Field(
        default=False,
        description="Equal wherever present (e.g. a swap hazard where a parcel is held).",
    )


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    note: str | None = None
    parameters: tuple[CalibrationParameter, ...] = ()


class SeriesSpec(BaseModel):
    """The index file of a series, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    title: str | None = None
    description: str | None = None
    scenarios: tuple[str, ...] = Field(min_length=1)
    calibration: Calibration = Calibration()


@dataclass(frozen=True)
class Series:
    """A loaded series: its spec and its scenarios in date order."""

    spec: SeriesSpec
    scenarios: tuple[Scenario, ...]
    file: str | None = None

    @property
    def id(self) -> str:
        return self.spec.id


def _series_folder() -> Path:
    return Path(str(resources.files("accord.scenarios") / "series"))


def bundled_series() -> tuple[str, ...]:
    """Ids of the bundled series."""
    folder = _series_folder()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.iterdir() if p.suffix == ".yaml"))


def _resolve(ref: str) -> Path:
    p = Path(ref)
    if p.exists() or p.suffix or "/" in ref:
        return p
    if ref in bundled_series():
        return _series_folder() / f"{ref}.yaml"
    raise ScenarioError.single(
        "", f"neither a file nor a bundled series ({', '.join(bundled_series())})", ref
    )


def _load_member(ref: str, base: Path) -> Scenario:
    from accord import scenarios
    from accord.scenario.io import load

    p = Path(ref)
    if p.suffix:
        return load(p if p.is_absolute() else base / p)
    return scenarios.load(ref) if ref in scenarios.ids() else load(p)


def load_series(ref: str | Path) -> Series:
    """Load a series index (bundled id or file) and its scenarios; check their date order."""
    path = _resolve(str(ref))
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise ScenarioError.single(
            "", "unknown file type: use .yaml, .yml or .json", suffix, file=file
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=file) from None
    data = read_data(text, "json" if suffix == ".json" else "yaml", file)
    try:
        spec = SeriesSpec.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(format_path(e["loc"]), e["msg"], e.get("input")) for e in exc.errors()]
        raise ScenarioError(problems, file=file) from None
    members: list[Scenario] = []
    problems = []
    for k, ref_k in enumerate(spec.scenarios):
        try:
            members.append(_load_member(ref_k, path.parent))
        except ScenarioError as exc:
            problems.append(Problem(format_path(("scenarios", k)), f"cannot load: {exc}", ref_k))
    if problems:
        raise ScenarioError(problems, file=file)
    for k, sc in enumerate(members):
        if sc.as_of is None:
            problems.append(
                Problem(format_path(("scenarios", k)), "a series member needs an as_of date", sc.id)
            )
        elif k and members[k - 1].as_of and sc.as_of <= members[k - 1].as_of:  # type: ignore[operator]
            problems.append(
                Problem(
                    format_path(("scenarios", k)),
                    "scenarios must be listed in strictly increasing as_of order",
                    f"{sc.id} ({sc.as_of.isoformat()})",
                )
            )
    for j, par in enumerate(spec.calibration.parameters):
        for sc in members if not par.optional else ():
            try:
                calibration_values(sc, [par.path])
            except KeyError as exc:
                problems.append(
                    Problem(
                        format_path(("calibration", "parameters", j, "path")),
                        f"no number at {exc.args[0]} in {sc.id}",
                        par.path,
                    )
                )
                break
    if problems:
        raise ScenarioError(problems, file=file)
    return Series(spec, tuple(members), file)


def calibration_values(sc: Scenario, paths: list[str] | tuple[str, ...]) -> dict[str, float]:
    """The value of each calibration path in one scenario (``a + b`` sums); KeyError if absent."""
    flat = numbers(sc)
    out: dict[str, float] = {}
    for expr in paths:
        total = 0.0
        for part in (p.strip() for p in expr.split("+")):
            if part not in flat:
                raise KeyError(part)
            total += flat[part].value
        out[expr] = total
    return out


def calibration_mismatches(series: Series) -> list[tuple[str, dict[str, float]]]:
    """Calibration paths whose value differs across the series, with each scenario's value."""
    out = []
    for par in series.spec.calibration.parameters:
        by_id: dict[str, float] = {}
        for sc in series.scenarios:
            try:
                by_id[sc.id] = calibration_values(sc, [par.path])[par.path]
            except KeyError:
                if not par.optional:
                    raise
        if not by_id:
            continue
        path = par.path
        first = next(iter(by_id.values()))
        if any(not math.isclose(v, first, rel_tol=0, abs_tol=1e-12) for v in by_id.values()):
            out.append((path, by_id))
    return out
