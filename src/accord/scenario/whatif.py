"""What-ifs on a scenario's numbers: ``--let PATH=VALUE``, validated like the file itself.

A what-if sets one number of a scenario by its path, the path syntax of the uncertainty
layer and of ``accord diff`` (:mod:`accord.scenario.uncertainty`, :mod:`accord.scenario.diff`)::

    actors[CHN].issue_capability.T=30     actors[RUS].positions.K.salience=80
    issues[T].status_quo=40               war.costs.UKR=0.2     war.p=0.6

``actors[3]`` and ``issues[0]`` by position are read as the ids. Only numbers the scenario
has can be set (a what-if changes a number, it does not add one). The changed number keeps
its source keys and is marked as the analyst's: ``judgement: true`` and a note naming the
file's value, on the number itself when it carries its own provenance (capabilities, status
quo, war-section numbers) and on its stance for a position or salience (the stance's
provenance covers both). The result is validated as a file is
(:func:`accord.scenario.io.scenario_from_data`): a value outside a rule is refused with the
path the user wrote and the value, in the loader's style, so that a what-if can never build
a scenario a file could not.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel

from accord import limits
from accord.errors import Problem, ScenarioError, format_path
from accord.scenario.diff import locate, numbers, set_number
from accord.scenario.io import scenario_from_data, to_data
from accord.scenario.schema import Scenario, Sourced
from accord.scenario.uncertainty import canonical_path

__all__ = ["WhatIf", "apply_lets", "parse_let"]

OPTION = "--let"


@dataclass(frozen=True)
class WhatIf:
    """One number changed from the file: its path, the file's value and the new one."""

    path: str
    old: float
    new: float

    def describe(self) -> str:
        return f"what-if: {self.path} {self.old:g} → {self.new:g}"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "old": self.old, "new": self.new}


def _number(text: str) -> float:
    if len(text) > limits.DIGITS.value:
        raise ValueError(limits.DIGITS.message(len(text), f"a value of {len(text):,} characters"))
    value = json.loads(text.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError("must be a finite number")
    return x


def parse_let(item: str) -> tuple[str, float]:
    """``PATH=VALUE`` as a path and a finite number (JSON syntax: ``30``, ``0.25``, ``1e3``)."""
    path, sep, text = item.partition("=")
    if not sep or not path.strip():
        raise ScenarioError([Problem(OPTION, "expected PATH=VALUE", item)])
    try:
        return path.strip(), _number(text)
    except (ValueError, OverflowError) as exc:  # JSONDecodeError is a ValueError
        message = str(exc) if not isinstance(exc, json.JSONDecodeError) else "must be a number"
        raise ScenarioError([Problem(f"{OPTION} {path.strip()}", message, text)]) from None


def _object_at(sc: Scenario, loc: tuple[str | int, ...]) -> list[Any]:
    """The objects of the scenario along ``loc`` (the scenario first)."""
    chain: list[Any] = [sc]
    obj: Any = sc
    for part in loc:
        obj = getattr(obj, str(part)) if isinstance(obj, BaseModel) else obj[part]
        chain.append(obj)
    return chain


def _mark(data: Any, sc: Scenario, loc: tuple[str | int, ...], change: WhatIf) -> None:
    """Mark the changed number (or the stance that holds it) as the analyst's judgement."""
    note = f"what-if ({OPTION} {change.path}={change.new:g}); the file has {change.old:g}"
    chain = _object_at(sc, loc)
    target, where = chain[-1], loc
    if isinstance(target, Mapping) and "value" in target:  # a game parameter {value, note}
        target = Sourced(value=0.0, note=target.get("note"))
    elif not isinstance(target, Sourced):
        holder = chain[-2]
        fields = set(type(holder).model_fields) if isinstance(holder, BaseModel) else set()
        if not {"judgement", "note"} <= fields:
            return  # a number without provenance of its own (a scale end, a threshold...)
        target, where = holder, loc[:-1]
    container: Any = data
    for part in where[:-1]:
        container = container[part]
    here = container[where[-1]]
    if not isinstance(here, Mapping):  # a bare number in the file
        here = container[where[-1]] = {"value": here}
    old_note = getattr(target, "note", None)
    here["judgement"] = True
    here["note"] = f"{note}; {old_note}" if old_note else note


def apply_lets(
    sc: Scenario, items: Sequence[str], file: str | None = None
) -> tuple[Scenario, tuple[WhatIf, ...]]:
    """The scenario with every ``PATH=VALUE`` of ``items`` set, validated, and the changes.

    Every problem is reported at once (an unknown path, a value that is not a number, a
    path given twice, a value that breaks a rule of the scenario), each naming ``--let``,
    the path as given and the value.
    """
    if not items:
        return sc, ()
    known = numbers(sc)
    data = to_data(sc)
    problems: list[Problem] = []
    changes: list[WhatIf] = []
    where: dict[str, tuple[str | int, ...]] = {}  # the canonical path -> its data location
    shown: dict[str, str] = {}  # the canonical path -> the path as the user wrote it
    for item in items:
        try:
            raw, value = parse_let(item)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        path = canonical_path(sc, raw)
        if path in where:
            problems.append(Problem(f"{OPTION} {raw}", "the same number is set twice", item))
            continue
        if path not in known:
            close = get_close_matches(path, list(known), n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(
                Problem(f"{OPTION} {raw}", f"not a number of this scenario{hint}", item)
            )
            continue
        try:
            loc = locate(data, path)
        except KeyError:  # a key with dots or brackets in it (uncertainty.parameters.…)
            problems.append(Problem(f"{OPTION} {raw}", "a number --let cannot address", item))
            continue
        where[path], shown[path] = loc, raw
        changes.append(WhatIf(path, known[path].value, value))
        set_number(data, loc, value)
        _mark(data, sc, loc, changes[-1])
    if problems:
        raise ScenarioError(problems, file=file)
    try:
        new = scenario_from_data(data, file=file)
    except ScenarioError as exc:
        raise ScenarioError([_named(p, where, shown) for p in exc.problems], file=file) from None
    return new, tuple(changes)


def _named(
    p: Problem, where: Mapping[str, tuple[str | int, ...]], shown: Mapping[str, str]
) -> Problem:
    """A problem of the overridden data at a what-if's number, named by ``--let`` and the path
    the user gave (not the data's ``actors[4]…``); other problems (a rule the new value breaks
    elsewhere) keep their own path, with the what-ifs named."""
    for path, loc in where.items():
        at = format_path(loc)
        if p.path == at or p.path.startswith((f"{at}.", f"{at}[")):
            rest = p.path[len(at) :].removeprefix(".value")
            return Problem(f"{OPTION} {shown[path]}{rest}", p.message, p.value)
    given = ", ".join(f"{shown[path]}" for path in where)
    return Problem(p.path, f"{p.message} (with {OPTION} {given})", p.value)
