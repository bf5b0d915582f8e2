"""GeniusWeb JSON profiles (ANAC/ANL 2020+), read only.

A profile file is ``{"LinearAdditiveUtilitySpace": {"name", "domain": {"name",
"issuesValues": {issue: {"values": [...]}}}, "issueUtilities": {issue: {"discreteutils":
{"valueUtilities": {value: u}}} | {"numberutils": {"lowValue", "lowUtility",
"highValue", "highUtility"}}}, "issueWeights": {issue: w}, "reservationBid": null |
{"issuevalues": {...}}}}``. Utility is ``Σ_i w_i u_i(v)`` as given (GeniusWeb stores
utilities already on 0-1). A reservation bid's utility becomes the reservation value.
Number issues (``{"range": {"low", "high", "step"}}`` value sets) are integer issues when
every bound is an integer, else continuous at the given step.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from accord.deals.actors import DealProblem
from accord.deals.io._xml import problem_at, read_text
from accord.deals.space import ContinuousIssue, DiscreteIssue, IntegerIssue, Issue, OutcomeSpace
from accord.deals.utility import LinearAdditive, PiecewiseLinearValue, TableValue, ValueFunction
from accord.errors import AccordError, Problem, ScenarioError

__all__ = ["read_geniusweb"]

_ROOT = "LinearAdditiveUtilitySpace"


def _load(path: str | Path) -> dict[str, Any]:
    file = str(path)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ScenarioError.single("", f"not valid JSON: {exc}", file=file) from None
    if not isinstance(data, dict) or _ROOT not in data:
        keys = list(data) if isinstance(data, dict) else type(data).__name__
        raise ScenarioError.single("", f"expected a {_ROOT} object", keys, file=file)
    body = data[_ROOT]
    if not isinstance(body, dict):
        raise ScenarioError.single(_ROOT, "must be an object", body, file=file)
    return body


def _number(x: Any, where: str, problems: list[Problem]) -> float:
    if isinstance(x, bool) or not isinstance(x, int | float | str):
        problems.append(Problem(where, "must be a number", x))
        return math.nan
    try:
        v = float(x)
    except ValueError:
        problems.append(Problem(where, "must be a number", x))
        return math.nan
    if not math.isfinite(v):
        problems.append(Problem(where, "must be a finite number", x))
    return v


def _issues(domain: Any, base: str, problems: list[Problem]) -> list[Issue]:
    if not isinstance(domain, dict) or not isinstance(domain.get("issuesValues"), dict):
        problems.append(Problem(f"{base}.issuesValues", "missing or not an object"))
        return []
    out: list[Issue] = []
    for name, spec in domain["issuesValues"].items():
        where = f"{base}.issuesValues.{name}"
        if isinstance(spec, dict) and isinstance(spec.get("values"), list):
            try:
                out.append(DiscreteIssue(name, tuple(str(v) for v in spec["values"])))
            except AccordError as exc:
                problems.append(problem_at(f"{where}.values", exc))
        elif isinstance(spec, dict) and isinstance(spec.get("range"), dict):
            r = spec["range"]
            lo = _number(r.get("low"), f"{where}.range.low", problems)
            hi = _number(r.get("high"), f"{where}.range.high", problems)
            step = _number(r.get("step"), f"{where}.range.step", problems)
            if not all(map(math.isfinite, (lo, hi, step))):
                continue
            try:
                if all(float(x).is_integer() for x in (lo, hi)) and step == 1:
                    out.append(IntegerIssue(name, int(lo), int(hi)))
                else:
                    out.append(ContinuousIssue(name, lo, hi, step))
            except AccordError as exc:
                problems.append(problem_at(f"{where}.range", exc))
        else:
            problems.append(Problem(where, 'needs {"values": [...]} or {"range": {...}}', spec))
    return out


def _profile(
    body: dict[str, Any], space: OutcomeSpace, name: str, problems: list[Problem]
) -> LinearAdditive:
    weights: dict[str, float] = {}
    raw_w = body.get("issueWeights")
    if not isinstance(raw_w, dict):
        problems.append(Problem(f"{_ROOT}.issueWeights", "missing or not an object"))
        raw_w = {}
    for iname, w in raw_w.items():
        where = f"{_ROOT}.issueWeights.{iname}"
        if iname not in space.names:
            problems.append(Problem(where, "not an issue of the domain", iname))
            continue
        x = _number(w, where, problems)
        if x < 0:
            problems.append(Problem(where, "a weight cannot be negative", w))
        weights[iname] = x
    values: dict[str, ValueFunction] = {}
    raw_u = body.get("issueUtilities")
    if not isinstance(raw_u, dict):
        problems.append(Problem(f"{_ROOT}.issueUtilities", "missing or not an object"))
        raw_u = {}
    for iname, spec in raw_u.items():
        where = f"{_ROOT}.issueUtilities.{iname}"
        if iname not in space.names:
            problems.append(Problem(where, "not an issue of the domain", iname))
            continue
        issue = space.issues[space.position(iname)]
        if isinstance(spec, dict) and "discreteutils" in spec:
            vu = (
                spec["discreteutils"].get("valueUtilities")
                if isinstance(spec["discreteutils"], dict)
                else None
            )
            if not isinstance(vu, dict):
                problems.append(
                    Problem(f"{where}.discreteutils.valueUtilities", "missing or not an object")
                )
                continue
            table = {
                str(v): _number(u, f"{where}.discreteutils.valueUtilities.{v}", problems)
                for v, u in vu.items()
            }
            missing = [v for v in issue.values if str(v) not in table]
            unknown = [v for v in table if v not in {str(x) for x in issue.values}]
            if missing:
                problems.append(
                    Problem(
                        f"{where}.discreteutils.valueUtilities",
                        "no utility for these values",
                        missing,
                    )
                )
            if unknown:
                problems.append(
                    Problem(
                        f"{where}.discreteutils.valueUtilities",
                        "values the issue does not have",
                        unknown,
                    )
                )
            values[iname] = TableValue(table)
        elif isinstance(spec, dict) and isinstance(spec.get("numberutils"), dict):
            nu = spec["numberutils"]
            pts = [
                _number(nu.get(k), f"{where}.numberutils.{k}", problems)
                for k in ("lowValue", "lowUtility", "highValue", "highUtility")
            ]
            if all(map(math.isfinite, pts)):
                if pts[2] <= pts[0]:
                    problems.append(
                        Problem(f"{where}.numberutils.highValue", "must exceed lowValue", pts[2])
                    )
                    continue
                values[iname] = PiecewiseLinearValue((pts[0], pts[2]), (pts[1], pts[3]))
        else:
            problems.append(Problem(where, "needs discreteutils or numberutils", spec))
    for iname in space.names:
        if iname not in values:
            problems.append(
                Problem(f"{_ROOT}.issueUtilities", "no utilities for this issue", iname)
            )
    reservation = 0.0
    bid = body.get("reservationBid")
    where = f"{_ROOT}.reservationBid.issuevalues"
    if bid is not None and not problems:
        iv = bid.get("issuevalues") if isinstance(bid, dict) else None
        if not isinstance(iv, dict):
            problems.append(Problem(where, "missing or not an object", bid))
            return LinearAdditive(name, weights, values)
        row = []
        for issue in space.issues:
            if issue.name not in iv:
                problems.append(Problem(where, "the bid has no value for this issue", issue.name))
                continue
            v = iv[issue.name]
            try:
                row.append(issue.index_of(str(v) if isinstance(issue, DiscreteIssue) else v))
            except AccordError:
                problems.append(Problem(f"{where}.{issue.name}", "not a value of the issue", v))
        if not problems:
            u0 = LinearAdditive(name, weights, values)
            reservation = float(u0.evaluate(space, np.asarray([row]))[0])
    return LinearAdditive(name, weights, values, reservation)


def read_geniusweb(
    profiles: Sequence[str | Path], *, names: Sequence[str] | None = None
) -> DealProblem:
    """Profiles of one GeniusWeb domain (each file carries the domain)."""
    if not profiles:
        raise ScenarioError.single("", "needs at least one profile")
    space: OutcomeSpace | None = None
    domain_name = ""
    utilities = []
    for k, path in enumerate(profiles):
        file = str(path)
        body = _load(path)
        problems: list[Problem] = []
        issues = _issues(body.get("domain"), f"{_ROOT}.domain", problems)
        if problems:
            raise ScenarioError(problems, file=file)
        try:
            this = OutcomeSpace(tuple(issues))
        except AccordError as exc:
            raise ScenarioError([problem_at(f"{_ROOT}.domain", exc)], file=file) from None
        if space is None:
            space = this
            domain_name = str(body["domain"].get("name", Path(path).stem))
        elif this != space:
            raise ScenarioError.single(
                f"{_ROOT}.domain", "differs from the first profile's domain", file=file
            )
        party = names[k] if names is not None else str(body.get("name") or Path(path).stem)
        u = _profile(body, space, party, problems)
        if problems:
            raise ScenarioError(problems, file=file)
        utilities.append(u)
    assert space is not None
    return DealProblem(space, tuple(utilities), domain_name, None, ())
