"""KTAB Spatial Model of Politics CSV files (KAPSARC, MIT licence).

Format (``examples/smp/doc/dummyData_3Dim.csv``; ``web/tutorial/SMPTutorial.md``)::

    <scenario name>,<description>,<numActors>,<numDims>,
    Actor,Description,Power,<Dim1 Pos>,<Dim1 Sal>,<Dim2 Pos>,<Dim2 Sal>,...
    SActor-00, Random Spatial Actor, 102.543, 75.79, 49.53, ...

Positions are on 0-100, saliences on 0-100 summing to at most 100 per actor, power
(capability) positive. Every dimension becomes an issue; all of them form one policy
space (``spaces[0]``, id ``ktab``) for multi-dimensional models. The header texts are kept
in the issues' attributes so that :func:`write` gives the same file back.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.importers._common import (
    csv_rows,
    fmt_num,
    parse_count,
    parse_num,
    read_text,
    slug,
    write_text,
)
from accord.scenario.io import scenario_from_data
from accord.scenario.schema import Scenario

__all__ = ["read", "write"]

_SALIENCE_TOTAL_TOLERANCE = 1e-6


def _rows(text: str, file: str) -> list[list[str]]:
    rows = []
    for row in csv_rows(text, file):
        cells = [c.strip() for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    return rows


def _dimension_name(header: str, k: int) -> str:
    name = re.sub(r"(?i)\s*(position|pstn|pos)\s*", " ", header).strip()
    return name if name and not name.isdigit() else f"dim{k + 1}"


def read(path: str | Path) -> Scenario:
    """Read a KTAB SMP CSV file into a scenario (salience_scale 100)."""
    file = str(path)
    rows = _rows(read_text(path), file)
    rows = [r for r in rows if r]  # blank lines
    if len(rows) < 2:
        raise ScenarioError.single(
            "line 1", "a KTAB CSV file needs a title line and a header", file=file
        )
    head, header, body = rows[0], rows[1], rows[2:]
    problems: list[Problem] = []
    if len(head) < 4:
        raise ScenarioError.single(
            "line 1",
            "expected: name, description, number of actors, number of dimensions",
            ",".join(head),
            file=file,
        )
    n_actors = parse_count(head[2], "line 1, numActors", problems)
    nd = parse_count(head[3], "line 1, numDims", problems)
    if problems:
        raise ScenarioError(problems, file=file)
    if len(header) != 3 + 2 * nd:
        raise ScenarioError.single(
            "line 2", f"the header should have 3 + 2 x {nd} columns", len(header), file=file
        )
    if len(body) != n_actors:
        problems.append(
            Problem("line 1, numActors", f"the file has {len(body)} actor lines", head[2])
        )
    names = [_dimension_name(header[3 + 2 * k], k) for k in range(nd)]
    ids = [slug(n) if n != f"dim{k + 1}" else n for k, n in enumerate(names)]
    issues = [
        {
            "id": iid,
            "name": name,
            "attributes": {
                "ktab_position_header": header[3 + 2 * k],
                "ktab_salience_header": header[4 + 2 * k],
            },
        }
        for k, (iid, name) in enumerate(zip(ids, names, strict=True))
    ]
    actors: list[dict[str, Any]] = []
    for r, row in enumerate(body, start=3):
        if len(row) != 3 + 2 * nd:
            problems.append(Problem(f"line {r}", f"expected {3 + 2 * nd} values", len(row)))
            continue
        power = parse_num(row[2], f"line {r}, {header[2]}", problems)
        positions: dict[str, dict[str, float]] = {}
        total = 0.0
        for k, iid in enumerate(ids):
            pos = parse_num(row[3 + 2 * k], f"line {r}, {header[3 + 2 * k]}", problems)
            sal = parse_num(row[4 + 2 * k], f"line {r}, {header[4 + 2 * k]}", problems)
            positions[iid] = {"position": pos, "salience": sal}
            total += sal
        if total > 100 + _SALIENCE_TOTAL_TOLERANCE:
            problems.append(
                Problem(f"line {r}", "KTAB saliences of one actor must sum to at most 100", total)
            )
        actors.append(
            {
                "id": row[0],
                "name": row[0],
                "description": row[1],
                "capability": power,
                "positions": positions,
            }
        )
    if problems:
        raise ScenarioError(problems, file=file)
    data = {
        "id": slug(head[0]),
        "title": head[0],
        "description": head[1],
        "salience_scale": 100,
        "issues": issues,
        "actors": actors,
        "spaces": [{"id": "ktab", "name": head[0], "issues": ids}],
        "attributes": {"source_format": "ktab-csv", "ktab_power_header": header[2]},
    }
    return scenario_from_data(data, file=file)


def write(scenario: Scenario, path: str | Path, notes: list[str] | None = None) -> None:
    """Write a scenario as a KTAB SMP CSV file (every actor needs every issue).

    KTAB needs each actor's saliences to sum to at most 100; an actor whose saliences sum
    above that (accord's issues are weighted one by one) has them scaled down in
    proportion, and ``notes`` says so, so the file reads back.
    """
    missing = [
        f"actors[{i}].positions.{iid}"
        for i, a in enumerate(scenario.actors)
        for iid in scenario.issue_ids
        if iid not in a.positions
    ]
    if missing:
        raise ScenarioError.single(
            missing[0], "KTAB needs a position for every actor on every issue", file=str(path)
        )
    scale = 100 / scenario.salience_scale
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [scenario.title, scenario.description, len(scenario.actors), len(scenario.issues), ""]
    )
    header = ["Actor", "Description", str(scenario.attributes.get("ktab_power_header", "Power"))]
    for issue in scenario.issues:
        header.append(str(issue.attributes.get("ktab_position_header", f"{issue.name} Position")))
        header.append(str(issue.attributes.get("ktab_salience_header", f"{issue.name} Salience")))
    w.writerow([*header, ""])
    scaled = []
    for a in scenario.actors:
        row = [a.id, a.description, fmt_num(a.capability.value)]
        total = sum(a.positions[issue.id].salience * scale for issue in scenario.issues)
        shrink = 100 / total if total > 100 else 1.0
        if shrink < 1:
            scaled.append(f"{a.id} ({total:g})")
        for issue in scenario.issues:
            st = a.positions[issue.id]
            lo, width = issue.scale.min, issue.scale.width
            row.append(
                fmt_num(
                    (st.position - lo) / width * 100 if (lo, width) != (0, 100) else st.position
                )
            )
            row.append(fmt_num(st.salience * scale * shrink))
        w.writerow([*row, ""])
    if scaled and notes is not None:
        notes.append(
            "KTAB saliences of one actor sum to at most 100: scaled down in proportion for "
            + ", ".join(scaled)
        )
    write_text(path, buf.getvalue())
