"""Several scenarios as one: the issues of each, side by side, with one set of actors.

Used to put the issues of one legislative proposal (one DEU scenario each) into a single
scenario, so that models that link issues (the exchange model) see them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.errors import ScenarioError
from accord.scenario.io import scenario_from_data, to_data
from accord.scenario.schema import Scenario

__all__ = ["combine"]


def combine(
    scenarios: Sequence[Scenario], *, id: str, issue_ids: Sequence[str], title: str = ""
) -> Scenario:
    """One scenario holding the single issue of each of ``scenarios``, renamed ``issue_ids``.

    Actors are matched by id; an actor must have the same capability in every scenario it
    appears in (issue-specific capabilities follow their issue). Sources are merged; the
    as-of date is the latest. Scenarios with spaces or a war section are refused.
    """
    if len(scenarios) != len(issue_ids) or not scenarios:
        raise ValueError("one new issue id per scenario, and at least one scenario")
    if len(set(issue_ids)) != len(issue_ids):
        raise ValueError("new issue ids must differ")
    if len({sc.salience_scale for sc in scenarios}) > 1:
        raise ScenarioError.single("salience_scale", "differs between the scenarios combined")
    issues: list[dict[str, Any]] = []
    actors: dict[str, dict[str, Any]] = {}
    sources: dict[str, Any] = {}
    for sc, new in zip(scenarios, issue_ids, strict=True):
        if len(sc.issues) != 1 or sc.spaces or sc.war is not None:
            raise ScenarioError.single(
                "issues", "only scenarios of one issue, without spaces or war, combine", sc.id
            )
        data = to_data(sc)
        old = sc.issues[0].id
        issues.append({**data["issues"][0], "id": new})
        for key, src in data.get("sources", {}).items():
            if sources.setdefault(key, src) != src:
                raise ScenarioError.single(f"sources.{key}", "differs between scenarios", sc.id)
        for actor in data["actors"]:
            known = actors.setdefault(
                actor["id"],
                {k: v for k, v in actor.items() if k not in ("positions", "issue_capability")},
            )
            if known["capability"] != actor["capability"]:
                raise ScenarioError.single(
                    f"actors.{actor['id']}.capability", "differs between scenarios", sc.id
                )
            for key in ("positions", "issue_capability"):
                if old in actor.get(key, {}):
                    known.setdefault(key, {})[new] = actor[key][old]
    dates = [sc.as_of for sc in scenarios if sc.as_of is not None]
    combined: dict[str, Any] = {
        "id": id,
        "title": title or scenarios[0].title,
        "salience_scale": scenarios[0].salience_scale,
        "sources": sources,
        "issues": issues,
        "actors": list(actors.values()),
    }
    if dates:
        combined["as_of"] = max(dates)
    return scenario_from_data(combined)
