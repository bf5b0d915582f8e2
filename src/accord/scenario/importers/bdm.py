"""The four-column CSV of Bueno de Mesquita's model: actor, capability, position, salience.

One issue per file, as in the replications of Scholz et al. (2011)
(``jmckib/bdm-scholz-expected-utility-model:ExampleActors.csv``)::

    Actor,Capability,Position,Salience
    Netherlands,0.08,4,0.8

A header row is optional; with one, columns are found by name (case-insensitive), so
their order may differ. Saliences are on 0-1 or 0-100: pass ``salience_scale``, or it is
inferred by one documented rule (0-1 when every salience is at most 1, else 0-100) and
the inference is reported through ``notes``. The issue scale is the range of the
positions unless ``scale`` is given.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Literal

from accord.errors import Problem, ScenarioError
from accord.scenario.importers._common import (
    csv_rows,
    fmt_num,
    parse_num,
    read_text,
    slug,
    write_text,
)
from accord.scenario.io import scenario_from_data
from accord.scenario.schema import Scenario

__all__ = ["read", "write"]

_COLUMNS = ("actor", "capability", "position", "salience")


def read(
    path: str | Path,
    *,
    salience_scale: Literal[1, 100] | None = None,
    scale: tuple[float, float] | None = None,
    issue: str = "issue",
    notes: list[str] | None = None,
) -> Scenario:
    """Read a BDM CSV file. Messages about inferred settings are appended to ``notes``."""
    file = str(path)
    rows = [
        [c.strip() for c in row]
        for row in csv_rows(read_text(path), file)
        if any(c.strip() for c in row)
    ]
    if not rows:
        raise ScenarioError.single("", "the file is empty", file=file)
    order = list(range(4))
    first = [c.lower() for c in rows[0]]
    if set(_COLUMNS) <= set(first):
        order = [first.index(c) for c in _COLUMNS]
        rows = rows[1:]
        start = 2
    else:
        start = 1
    problems: list[Problem] = []
    parsed = []
    for r, row in enumerate(rows, start=start):
        if len(row) < max(order) + 1:
            problems.append(
                Problem(f"line {r}", "expected actor, capability, position, salience", len(row))
            )
            continue
        name = row[order[0]]
        cap = parse_num(row[order[1]], f"line {r}, capability", problems)
        pos = parse_num(row[order[2]], f"line {r}, position", problems)
        sal = parse_num(row[order[3]], f"line {r}, salience", problems)
        parsed.append((name, cap, pos, sal))
    if problems:
        raise ScenarioError(problems, file=file)
    if not parsed:
        raise ScenarioError.single("", "the file has no actor rows", file=file)
    if salience_scale is None:
        salience_scale = 1 if max(p[3] for p in parsed) <= 1 else 100
        if notes is not None:
            notes.append(
                f"{file}: saliences read as 0-{salience_scale} "
                f"({'all' if salience_scale == 1 else 'some'} values "
                f"{'<=' if salience_scale == 1 else '>'} 1); pass --salience-scale to override"
            )
    positions = [p[2] for p in parsed]
    lo, hi = scale if scale is not None else (min(positions), max(positions))
    if lo == hi:
        lo, hi = lo - 1.0, hi + 1.0
        if notes is not None:
            notes.append(f"{file}: all positions equal; scale set to {lo:g}..{hi:g}")
    actors: list[dict[str, Any]] = [
        {
            "id": name,
            "name": name,
            "capability": cap,
            "positions": {issue: {"position": pos, "salience": sal}},
        }
        for name, cap, pos, sal in parsed
    ]
    data = {
        "id": slug(Path(path).stem),
        "title": Path(path).stem,
        "salience_scale": salience_scale,
        "issues": [{"id": issue, "name": issue, "scale": {"min": lo, "max": hi}}],
        "actors": actors,
        "attributes": {"source_format": "bdm-csv"},
    }
    return scenario_from_data(data, file=file)


def write(scenario: Scenario, path: str | Path, *, issue: str | None = None) -> None:
    """Write one issue of a scenario as a BDM CSV file (saliences on the file's scale)."""
    if issue is None:
        if len(scenario.issues) != 1:
            raise ScenarioError.single(
                "issues",
                "the BDM format holds one issue: choose one",
                len(scenario.issues),
                file=str(path),
            )
        issue = scenario.issue_ids[0]
    k = scenario.issue_ids.index(issue)
    caps = scenario.arrays().capability[:, k]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Actor", "Capability", "Position", "Salience"])
    for i, a in enumerate(scenario.actors):
        st = a.positions.get(issue)
        if st is not None:
            w.writerow([a.id, fmt_num(float(caps[i])), fmt_num(st.position), fmt_num(st.salience)])
    write_text(path, buf.getvalue())
