"""Which numbers of a scenario carry no source and no judgement mark."""

from __future__ import annotations

from accord.errors import format_path
from accord.scenario.reference_class import reference_class_unsourced
from accord.scenario.schema import Scenario
from accord.scenario.war import war_unsourced

__all__ = ["unsourced"]


def unsourced(scenario: Scenario) -> list[str]:
    """Field paths of capabilities, stances, status quos and war numbers without provenance."""
    out: list[str] = []
    for i, actor in enumerate(scenario.actors):
        if not actor.capability.has_provenance:
            out.append(format_path(("actors", i, "capability")))
        for iid, value in actor.issue_capability.items():
            if not value.has_provenance:
                out.append(format_path(("actors", i, "issue_capability", iid)))
        for iid, stance in actor.positions.items():
            if not stance.has_provenance:
                out.append(format_path(("actors", i, "positions", iid)))
            if stance.acceptable is not None and not stance.acceptable.has_provenance:
                out.append(format_path(("actors", i, "positions", iid, "acceptable")))
    for k, issue in enumerate(scenario.issues):
        if issue.status_quo is not None and not issue.status_quo.has_provenance:
            out.append(format_path(("issues", k, "status_quo")))
    out.extend(war_unsourced(scenario))
    out.extend(reference_class_unsourced(scenario))
    return out
