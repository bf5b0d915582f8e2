"""decide-exchange-model input files (Stokman's models; foarsitter/decide-exchange-model).

Tab-separated (or semicolon-separated) rows, cells optionally in single quotes, the first
cell a tag (``docs/inputfiles.md`` of decide)::

    #A  actor key, name, comment
    #P  issue key, name, comment
    #M  issue key, position, description      scale point; min/max give the issue range
    #D  actor key, issue key, position, salience (0-1), power (0-1), comment
    #/  comment
    #O  issue description

Issue scales come from the ``#M`` points (default 0-100) and their descriptions become
scale labels. Power is given per actor and issue: the actor's capability is its largest
power and ``issue_capability`` holds the issues where it is lower.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

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

_FIELDS = {"#A": 2, "#P": 2, "#M": 2, "#D": 5, "#/": 1, "#O": 1}


def _rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
    out = []
    for line, row in enumerate(csv_rows(text, file, delimiter=delimiter, quotechar="'"), start=1):
        cells = [c.strip() for c in row]
        while cells and cells[-1] == "":
            cells.pop()
        if cells:
            out.append((line, cells))
    return out


def read(path: str | Path) -> Scenario:
    """Read a decide input file into a scenario (salience_scale 1)."""
    file = str(path)
    problems: list[Problem] = []
    actors: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    points: dict[str, dict[float, str]] = defaultdict(dict)
    data: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    powers: dict[str, dict[str, float]] = defaultdict(dict)
    comments: list[str] = []
    for line, row in _rows(read_text(path), file):
        tag, cells = row[0], row[1:]
        where = f"line {line}"
        if tag not in _FIELDS:
            problems.append(
                Problem(where, "unknown row tag; expected #A, #P, #M, #D, #/ or #O", tag)
            )
            continue
        if len(cells) < _FIELDS[tag]:
            problems.append(Problem(where, f"a {tag} row needs {_FIELDS[tag]} values", len(cells)))
            continue
        if tag == "#A":
            if cells[0] in actors:
                problems.append(Problem(where, "duplicate actor", cells[0]))
            actors[cells[0]] = {
                "id": cells[0],
                "name": cells[1] or cells[0],
                "description": " ".join(cells[2:]),
                "line": line,
            }
        elif tag == "#P":
            if cells[0] in issues:
                problems.append(Problem(where, "duplicate issue", cells[0]))
            issues[cells[0]] = {
                "id": cells[0],
                "name": cells[1] or cells[0],
                "description": " ".join(cells[2:]),
            }
        elif tag == "#M":
            value = parse_num(cells[1], f"{where}, position", problems)
            points[cells[0]][value] = " ".join(cells[2:])
        elif tag == "#D":
            actor, issue = cells[0], cells[1]
            pos = parse_num(cells[2], f"{where}, position", problems)
            sal = parse_num(cells[3], f"{where}, salience", problems)
            power = parse_num(cells[4], f"{where}, power", problems)
            for name, value in (("salience", sal), ("power", power)):
                if value == value and not 0 <= value <= 1:  # NaN: already reported
                    problems.append(Problem(f"{where}, {name}", "must lie in [0, 1]", value))
            if actor not in actors:
                problems.append(
                    Problem(f"{where}, actor", "actor not declared in an #A row", actor)
                )
            if issue not in issues:
                problems.append(Problem(f"{where}, issue", "issue not declared in a #P row", issue))
            if issue in data[actor]:
                problems.append(
                    Problem(where, "second #D row for this actor and issue", f"{actor}/{issue}")
                )
            stance: dict[str, Any] = {"position": pos, "salience": sal}
            if len(cells) > 5 and cells[5]:
                stance["note"] = " ".join(cells[5:])
            data[actor][issue] = stance
            powers[actor][issue] = power
        elif tag == "#/":
            comments.append(" ".join(cells))
    for iid in points:
        if iid not in issues:
            problems.append(Problem("#M", "scale point for an issue without a #P row", iid))
    if problems:
        raise ScenarioError(problems, file=file)

    issue_list = []
    for iid, issue_row in issues.items():
        pts = points.get(iid, {})
        lo, hi = (min(pts), max(pts)) if len(pts) >= 2 else (0.0, 100.0)
        issue_list.append(
            {
                **issue_row,
                "scale": {"min": lo, "max": hi, "labels": {k: v for k, v in pts.items() if v}},
            }
        )
    actor_list = []
    for aid, actor_row in actors.items():
        pw = powers.get(aid, {})
        cap = max(pw.values()) if pw else 0.0
        actor_list.append(
            {
                "id": aid,
                "name": actor_row["name"],
                "description": actor_row["description"],
                "capability": cap,
                "issue_capability": {iid: v for iid, v in pw.items() if v != cap},
                "positions": data.get(aid, {}),
            }
        )
    stem = Path(path).stem
    scenario = {
        "id": slug(stem),
        "title": stem,
        "description": "\n".join(comments),
        "salience_scale": 1,
        "issues": issue_list,
        "actors": actor_list,
        "attributes": {"source_format": "decide"},
    }
    return scenario_from_data(scenario, file=file)


def _q(text: str) -> str:
    """A quoted cell: quotes dropped, tabs and line breaks become spaces (one row per line)."""
    return "'" + " ".join(text.replace("'", "").split()) + "'"


def write(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario as a decide input file (tab-separated, single-quoted)."""
    lines = [f"'#/'\t{_q(line)}" for line in scenario.description.splitlines() if line]
    for a in scenario.actors:
        lines.append("\t".join(["'#A'", _q(a.id), _q(a.name), _q(a.description)]))
    for issue in scenario.issues:
        lines.append("\t".join(["'#P'", _q(issue.id), _q(issue.name), _q(issue.description)]))
        labels = dict(issue.scale.labels)
        for point in sorted({issue.scale.min, issue.scale.max, *labels}):
            cells = ["'#M'", _q(issue.id), fmt_num(point)]
            if labels.get(point):
                cells.append(_q(labels[point]))
            lines.append("\t".join(cells))
    to_unit = 1.0 / scenario.salience_scale
    a_arr = scenario.arrays()
    cap_max = float(a_arr.capability.max()) if a_arr.capability.size else 1.0
    norm = cap_max if cap_max > 1 else 1.0
    for i, a in enumerate(scenario.actors):
        for k, issue in enumerate(scenario.issues):
            st = a.positions.get(issue.id)
            if st is None:
                continue
            cells = [
                "'#D'",
                _q(a.id),
                _q(issue.id),
                fmt_num(st.position),
                fmt_num(st.salience * to_unit),
                fmt_num(float(a_arr.capability[i, k]) / norm),
            ]
            if st.note:
                cells.append(_q(st.note))
            lines.append("\t".join(cells))
    write_text(path, "\n".join(lines) + "\n")
