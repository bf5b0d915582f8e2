"""The ``uncertainty:`` section: distributions on a scenario's numbers, addressed by path.

Every number of a scenario that a model reads has a path::

    actors[RUS].positions.T.position     actors[RUS].positions.T.salience
    actors[RUS].capability               actors[RUS].issue_capability.T
    issues[T].status_quo                 war.p   war.costs.UKR   war.beliefs.UKR.alpha ...

(``actors[3]`` and ``issues[0]`` by position are accepted too and read as the ids). The
section, in a scenario file or in a file of its own (``accord sweep --uncertainty FILE``)::

    uncertainty:
      defaults:                  # judgement-marked numbers without an entry below get these
        position: 15             # ± points of a 0-100 scale (scaled to each issue's width)
        salience: 15             # ± points of a 0-100 salience scale
        capability: 0.25         # ± share of the value (capability, issue_capability)
        war: 0.25                # ± share of the value (war-section numbers) ...
        delta: 0.01              # ... except the discount factor: ± this much
        bounds: reject           # how the defaults treat draws outside a number's range
      parameters:
        actors[RUS].positions.T.salience: {dist: triangular, low: 70, high: 100}
        war.costs.UKR: {dist: normal, sd: 0.05, bounds: clip}
      groups:
        - {paths: [war.costs.UKR, war.costs.RUS], correlation: 0.5}

Distributions (``dist``): ``uniform`` (low, high; or ``plusminus``/``relative`` around the
scenario's value), ``triangular`` (low, mode, high; mode defaults to the value),
``normal`` (mean defaults to the value; sd), ``truncnormal`` (mean, sd, low, high),
``beta`` (alpha, beta on [low, high], default [0, 1]) and ``discrete`` (values, weights).

A number's valid range is the scenario's own rule (an issue's scale, 0..salience_scale,
capability >= 0, the war section's ranges). A distribution that reaches outside it must
say what happens there: ``bounds: clip`` (the draw is set to the nearest valid value and
counted) or ``bounds: reject`` (the draw is redrawn inside the range: the distribution
truncated to it). Saying neither is an error: nothing is clipped silently. ``groups``
draws their members together through a Gaussian copula with the given pairwise
correlation (every member keeps its own distribution). ``defaults: false`` turns the
judgement defaults off.

This module is the data layer: the section's schema, the catalogue of a scenario's
numbers with their ranges (:func:`numbers`) and the checks (:func:`uncertainty_problems`)
that name the path and the value. Drawing is :mod:`accord.analysis.uncertainty`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from accord.errors import Problem, format_path
from accord.scenario.schema import Number, _Frozen

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario

__all__ = [
    "Defaults",
    "Distribution",
    "Group",
    "NumberInfo",
    "Uncertainty",
    "canonical_path",
    "numbers",
    "uncertainty_problems",
]

Bounds = Literal["clip", "reject"]


class _Dist(_Frozen):
    bounds: Bounds | None = Field(
        default=None,
        description="What happens to draws outside the number's valid range: clip or reject "
        "(redraw, i.e. truncate). Required where the distribution reaches outside.",
    )


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: Number | None = None
    high: Number | None = None
    plusminus: Number | None = Field(default=None, description="value ± this, absolute.")
    relative: Number | None = Field(default=None, description="value × (1 ± this).")


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: Number | None = None
    high: Number | None = None
    mode: Number | None = Field(default=None, description="Default: the scenario's value.")
    plusminus: Number | None = None
    relative: Number | None = None


class Normal(_Dist):
    dist: Literal["normal"]
    mean: Number | None = Field(default=None, description="Default: the scenario's value.")
    sd: Number


class TruncNormal(_Dist):
    dist: Literal["truncnormal"]
    mean: Number | None = None
    sd: Number
    low: Number
    high: Number


class Beta(_Dist):
    dist: Literal["beta"]
    alpha: Number
    beta: Number
    low: Number = 0.0
    high: Number = 1.0


class Discrete(_Dist):
    dist: Literal["discrete"]
    values: tuple[Number, ...]
    weights: tuple[Number, ...] | None = None


Distribution = Annotated[
    Uniform | Triangular | Normal | TruncNormal | Beta | Discrete, Field(discriminator="dist")
]


class Defaults(_Frozen):
    """Uniform ranges for judgement-marked numbers that the section does not list."""

    position: Number = Field(default=15.0, ge=0, description="± points per 100 of scale width.")
    salience: Number = Field(default=15.0, ge=0, description="± points of a 0-100 salience scale.")
    capability: Number = Field(default=0.25, ge=0, description="± share of the value.")
    war: Number = Field(default=0.25, ge=0, description="± share of a war-section number.")
    delta: Number = Field(default=0.01, ge=0, description="± absolute, the discount factor.")
    bounds: Bounds = "reject"


class Group(_Frozen):
    """Numbers drawn together: a Gaussian copula with one pairwise correlation."""

    paths: tuple[str, ...]
    correlation: Number
    note: str | None = None


class Uncertainty(_Frozen):
    """The uncertainty section (see the module docstring)."""

    defaults: Defaults | Literal[False] = Field(default_factory=Defaults)
    parameters: dict[str, Distribution] = Field(default_factory=dict)
    groups: tuple[Group, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class NumberInfo:
    """One number of a scenario: where it sits, its value, valid range and provenance."""

    path: str
    loc: tuple[str | int, ...]  # where it sits in the scenario's data (model_dump)
    kind: Literal["position", "salience", "capability", "status_quo", "war"]
    value: float
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    judgement: bool = False
    width: float = 100.0  # the scale the ±points of the defaults are counted on

    def inside(self, x: float) -> bool:
        lo_ok = x > self.low if self.low_open else x >= self.low
        hi_ok = x < self.high if self.high_open else x <= self.high
        return lo_ok and hi_ok

    def range_text(self) -> str:
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{left}{self.low:g}, {self.high:g}{right}"


def numbers(sc: Scenario) -> dict[str, NumberInfo]:
    """Every number of a scenario that models read, by canonical path, in file order."""
    from accord.scenario.war import _numbers

    out: dict[str, NumberInfo] = {}
    inf = math.inf
    for k, issue in enumerate(sc.issues):
        if issue.status_quo is not None:
            path = f"issues[{issue.id}].status_quo"
            out[path] = NumberInfo(
                path, ("issues", k, "status_quo"), "status_quo", issue.status_quo.value,
                issue.scale.min, issue.scale.max, judgement=issue.status_quo.judgement,
                width=issue.scale.width,
            )  # fmt: skip
    scale_of = {i.id: i.scale for i in sc.issues}
    for i, actor in enumerate(sc.actors):
        base = f"actors[{actor.id}]"
        out[f"{base}.capability"] = NumberInfo(
            f"{base}.capability", ("actors", i, "capability"), "capability",
            actor.capability.value, 0.0, inf, judgement=actor.capability.judgement,
        )  # fmt: skip
        for iid, val in actor.issue_capability.items():
            path = f"{base}.issue_capability.{iid}"
            out[path] = NumberInfo(
                path, ("actors", i, "issue_capability", iid), "capability", val.value,
                0.0, inf, judgement=val.judgement,
            )  # fmt: skip
        for iid, st in actor.positions.items():
            if iid not in scale_of:
                continue  # an unknown issue id: reported by the scenario's own checks
            scale = scale_of[iid]
            path = f"{base}.positions.{iid}"
            out[f"{path}.position"] = NumberInfo(
                f"{path}.position", ("actors", i, "positions", iid, "position"), "position",
                st.position, scale.min, scale.max, judgement=st.judgement, width=scale.width,
            )  # fmt: skip
            out[f"{path}.salience"] = NumberInfo(
                f"{path}.salience", ("actors", i, "positions", iid, "salience"), "salience",
                st.salience, 0.0, float(sc.salience_scale), judgement=st.judgement,
                width=float(sc.salience_scale),
            )  # fmt: skip
    if sc.war is not None:
        for loc, val, (lo, hi, lo_open, hi_open) in _numbers(sc.war):
            path = format_path(("war", *loc))
            kind: Literal["position", "war"] = "war"
            width = 100.0
            on_issue = _issue_of_war_number(loc, sc.war.issue)
            if on_issue in scale_of:  # a point on an issue's own scale
                scale = scale_of[on_issue]
                lo, hi, width = scale.min, scale.max, scale.width
                kind = "war" if loc[:2] == ("settle", "war_levels") else "position"
            out[path] = NumberInfo(
                path, ("war", *loc), kind, val.value,
                -inf if lo is None else float(lo),  # type: ignore[arg-type]
                inf if hi is None else float(hi),  # type: ignore[arg-type]
                bool(lo_open), bool(hi_open), judgement=val.judgement, width=width,
            )  # fmt: skip
    return out


def _issue_of_war_number(loc: tuple[str | int, ...], war_issue: str) -> str | None:
    """The issue on whose scale a war-section number lies, if it is a point on one: the
    war-time levels, a faction's positions (M10) and a leader's expected outcome (on the
    war issue)."""
    if loc[:2] == ("settle", "war_levels") and len(loc) == 3:
        return str(loc[2])
    if loc[:2] == ("domestic", "factions") and len(loc) == 5 and loc[3] == "positions":
        return str(loc[4])
    if loc[:2] == ("domestic", "survival") and loc[-1] == "expectation":
        return war_issue
    return None


_INDEXED = re.compile(r"^(actors|issues)\[([^\]]+)\](.*)$")


def canonical_path(sc: Scenario, path: str) -> str:
    """``actors[3].capability`` -> ``actors[RUS].capability``; other paths unchanged."""
    m = _INDEXED.match(path.strip())
    if not m:
        return path.strip()
    kind, key, rest = m.groups()
    ids = sc.actor_ids if kind == "actors" else sc.issue_ids
    if key.isdigit() and key not in ids and int(key) < len(ids):
        key = ids[int(key)]
    return f"{kind}[{key}]{rest}"


def _support(d: Any, info: NumberInfo) -> tuple[float, float] | str:
    """The distribution's support given the number's value, or a message what is wrong."""
    v = info.value
    if isinstance(d, Uniform | Triangular):
        given = [d.low is not None or d.high is not None, d.plusminus is not None]
        given.append(d.relative is not None)
        if sum(given) != 1:
            return "give low and high, or plusminus, or relative (one of them)"
        if d.plusminus is not None:
            if d.plusminus < 0:
                return "plusminus must be >= 0"
            lo, hi = v - d.plusminus, v + d.plusminus
        elif d.relative is not None:
            if d.relative < 0:
                return "relative must be >= 0"
            lo, hi = sorted((v * (1 - d.relative), v * (1 + d.relative)))
        else:
            if d.low is None or d.high is None:
                return "give both low and high"
            lo, hi = d.low, d.high
        if lo > hi:
            return f"low must not exceed high ({lo:g} > {hi:g})"
        if isinstance(d, Triangular):
            mode = v if d.mode is None else d.mode
            if not lo <= mode <= hi:
                return f"mode {mode:g} outside [low, high] = [{lo:g}, {hi:g}]"
        return lo, hi
    if isinstance(d, Normal):
        return "sd must be > 0" if d.sd <= 0 else (-math.inf, math.inf)
    if isinstance(d, TruncNormal):
        if d.sd <= 0:
            return "sd must be > 0"
        return (d.low, d.high) if d.low < d.high else "low must be below high"
    if isinstance(d, Beta):
        if d.alpha <= 0 or d.beta <= 0:
            return "alpha and beta must be > 0"
        return (d.low, d.high) if d.low < d.high else "low must be below high"
    assert isinstance(d, Discrete)
    if not d.values:
        return "values must not be empty"
    if d.weights is not None:
        if len(d.weights) != len(d.values):
            return f"{len(d.weights)} weights for {len(d.values)} values"
        if any(w < 0 for w in d.weights) or sum(d.weights) <= 0:
            return "weights must be >= 0 with a positive sum"
    return min(d.values), max(d.values)


def support(d: Any, info: NumberInfo) -> tuple[float, float]:
    """The support of a valid distribution on a number (see :func:`uncertainty_problems`)."""
    s = _support(d, info)
    assert not isinstance(s, str), s
    return s


def reaches_outside(lo: float, hi: float, info: NumberInfo) -> bool:
    below = lo < info.low or (info.low_open and lo <= info.low)
    above = hi > info.high or (info.high_open and hi >= info.high)
    return below or above


def uncertainty_problems(
    sc: Scenario, unc: Uncertainty, root: str = "uncertainty"
) -> list[Problem]:
    """Paths, distributions, bounds and groups of an uncertainty section, checked."""
    out: list[Problem] = []
    known = numbers(sc)
    seen: dict[str, str] = {}
    for raw, d in unc.parameters.items():
        where = f"{root}.parameters.{raw}"
        path = canonical_path(sc, raw)
        info = known.get(path)
        if info is None:
            out.append(Problem(where, "not a number of this scenario", raw))
            continue
        if path in seen:
            out.append(Problem(where, f"the same number as {seen[path]!r}", raw))
        seen[path] = raw
        s = _support(d, info)
        if isinstance(s, str):
            out.append(Problem(where, s))
            continue
        lo, hi = s
        if isinstance(d, Discrete) and d.bounds == "reject":
            w = d.weights or (1.0,) * len(d.values)
            if not any(wi > 0 and info.inside(x) for x, wi in zip(d.values, w, strict=True)):
                out.append(Problem(where, f"no value with weight inside {info.range_text()}"))
        elif reaches_outside(lo, hi, info):
            if d.bounds is None:
                out.append(
                    Problem(
                        where,
                        f"the distribution reaches outside the valid range {info.range_text()}"
                        "; say bounds: clip or bounds: reject",
                        f"[{lo:g}, {hi:g}]",
                    )
                )
            elif d.bounds == "reject" and (hi < info.low or lo > info.high):
                out.append(Problem(where, f"no value inside the valid range {info.range_text()}"))
    in_group: dict[str, int] = {}
    for g, group in enumerate(unc.groups):
        where = format_path((root, "groups", g))
        if len(group.paths) < 2:
            out.append(Problem(f"{where}.paths", "a group needs at least two numbers"))
        k = max(len(group.paths), 2)
        if not -1 / (k - 1) < group.correlation < 1:
            out.append(
                Problem(
                    f"{where}.correlation",
                    f"must be in ({-1 / (k - 1):g}, 1) for {k} numbers",
                    group.correlation,
                )
            )
        for j, raw in enumerate(group.paths):
            path = canonical_path(sc, raw)
            if path not in known:
                out.append(Problem(f"{where}.paths[{j}]", "not a number of this scenario", raw))
            elif path not in seen and not (unc.defaults and known[path].judgement):
                out.append(
                    Problem(
                        f"{where}.paths[{j}]",
                        "has no distribution (list it under parameters or mark it judgement)",
                        raw,
                    )
                )
            elif path in in_group:
                out.append(
                    Problem(f"{where}.paths[{j}]", f"already in group {in_group[path]}", raw)
                )
            else:
                in_group[path] = g
    return out
