"""Scenarios bundled with accord, loadable by id.

>>> from accord import scenarios
>>> [s.id for s in scenarios.catalog()]  # doctest: +SKIP
['ec-emissions-1994', 'iran-2013', 'ukraine-2023-03', 'ukraine-2024-08']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path

from accord.errors import ScenarioError
from accord.scenario.io import load as load_file
from accord.scenario.schema import Scenario

__all__ = ["DEFAULT", "Entry", "catalog", "ids", "load", "path"]

#: The scenario ``accord run`` uses when given none.
DEFAULT = "ukraine-2024-08"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    as_of: date | None
    actors: int
    issues: int


def ids() -> tuple[str, ...]:
    """Ids of the bundled scenarios, sorted."""
    folder = resources.files(__name__)
    return tuple(
        sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def path(scenario_id: str) -> Path:
    """The file of a bundled scenario."""
    if scenario_id not in ids():
        raise ScenarioError.single(
            "", f"no bundled scenario of that id; bundled: {', '.join(ids())}", scenario_id
        )
    return Path(str(resources.files(__name__) / f"{scenario_id}.yaml"))


@cache
def load(scenario_id: str) -> Scenario:
    """Load a bundled scenario by id."""
    return load_file(path(scenario_id))


def catalog() -> list[Entry]:
    """One entry per bundled scenario."""
    out = []
    for sid in ids():
        sc = load(sid)
        out.append(Entry(sid, sc.title, sc.as_of, len(sc.actors), len(sc.issues)))
    return out
