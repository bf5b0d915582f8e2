"""Run several models on one scenario with per-model options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from accord import models
from accord.models.base import ModelResult
from accord.models.rules import acceptable_sets
from accord.scenario.schema import Scenario

__all__ = ["rule_summary", "run_models"]


def run_models(
    scenario: Scenario,
    names: Sequence[str],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    rounds: int | None = None,
    seed: int = 0,
) -> list[ModelResult]:
    """Run each named model on the scenario.

    ``options`` maps a model name to its options; ``rounds`` is passed to every model
    that has a ``rounds`` option (and overridden by an explicit option). Each model gets
    its own generator from ``SeedSequence(seed)``, so adding a model does not change the
    draws of another.
    """
    options = options or {}
    classes = [models.get(name) for name in names]
    children = np.random.SeedSequence(seed).spawn(len(classes))
    results = []
    for cls, child in zip(classes, children, strict=True):
        opts = dict(options.get(cls.name, {}))
        if rounds is not None and "rounds" in cls.options_type.model_fields:
            opts.setdefault("rounds", rounds)
        rng = np.random.default_rng(child)
        results.append(cls(**opts).run(scenario, rng=rng))
    return results


def rule_summary(scenario: Scenario, results: Sequence[ModelResult]) -> list[str]:
    """One line per issue whose decision rule binds something: the acceptable set, whether
    every model's forecast lies inside it, and which forecasts the rule moved (and how far).
    """
    lines = []
    for k, acc in enumerate(acceptable_sets(scenario)):
        if acc is None or (not acc.veto and not acc.voting):
            continue
        issue = scenario.issues[k]
        whole = acc.lo <= issue.scale.min and acc.hi >= issue.scale.max
        inside = [
            r.model
            for r in results
            if r.forecast[k] == r.forecast[k]
            and (acc.contains(float(r.forecast[k])) or (acc.empty and acc.reference is not None))
        ]
        moved = []
        for r in results:
            record = r.extra.get("decision_rule", {}).get(acc.issue)
            if record and abs(record["shift"]) > 1e-9:
                moved.append(f"{r.model} {record['unbound']:.4g} -> {record['bound']:.4g}")
        if acc.empty:
            verdict = (
                f"nothing is acceptable: the status quo {acc.reference:g} stands"
                if acc.reference is not None
                else "nothing is acceptable and there is no status quo: forecasts left unbound"
            )
        elif len(inside) == len(results):
            verdict = "every model's forecast lies inside it"
        else:
            outside = [
                r.model
                + (" (a costly reference point widens its set)" if "cost" in r.options else "")
                for r in results
                if r.model not in inside
            ]
            verdict = "outside it: " + ", ".join(outside)
        if whole and not moved:
            continue  # the rule lets everything through here
        line = f"{acc.issue}: {acc.describe()}; {verdict}"
        if moved:
            line += "; bound: " + ", ".join(moved)
        lines.append(line)
    return lines
