"""The DEU III data set: EU legislative issues with actors' positions and real outcomes.

Source: Arregui, J. & Perarnaud, C. (2021). "A new dataset on legislative decision-making
in the European Union: the DEU III dataset", *Journal of European Public Policy*
doi:10.1080/13501763.2021.1991983; data doi:10.34810/data53 (CORA, Repositori de Dades de
Recerca). The wide, tab-separated copy read here (``blksv/predictioneers_game:deu3.csv``)
adds a GDP row as line 2 and drops invalid outcomes.

Columns: proposal and issue identifiers and metadata (``prnrnmc isnrnmc prnr prname isnr
type council proc counvte proccde issues intro finact``), then a position ``p<code>`` and a
salience ``s<code>`` (both 0-100) for the Commission (``com``), the Parliament (``ep``) and
each member state, then the reference point ``rp`` and the outcome ``out``.

Every row becomes one scenario with one issue: actors with an empty position are left
out; the reference point becomes the issue's status quo and the outcome its ``outcome``.
A position with an empty salience (54 cells) is kept with salience 0 and a note saying so,
so it counts for unweighted baselines but carries no weight.

Capability (``capability=``):

* ``"nice"`` (default): Council votes under the Treaty of Nice (Germany, France, Italy and
  the UK 29 ... Malta 3), with the Commission and the Parliament at 29 each, the largest
  member-state weight, following the convention of the DEU compromise-model literature
  (Thomson et al. 2006). On these weights the compromise model's mean absolute error over
  the 353 issues with an outcome is 23.10.
* ``"gdp"``: the GDP weights of line 2 (Commission and Parliament 4.1 = Germany's).
* ``"equal"``: 1 for every actor.

The other two sets are kept in each actor's ``attributes`` (``nice_votes``, ``gdp``).

Decision rule (from ``counvte`` and ``proc``): the member states taking a position vote
with their Nice votes (``votes``); QMV needs 255 of 345 votes (``threshold`` 0.7391) and a
majority of the members, 14 of 27 (``members`` 0.5185), applied to the members that take
a position (the others do not vote; the 62 % population check is not modelled);
unanimity makes every such member a veto player; under co-decision (COD) the Parliament
is a veto player too. The Commission does not vote. See :mod:`accord.models.rules`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any, Literal

from accord.errors import Problem, ScenarioError
from accord.scenario.importers._common import csv_rows, fmt_num, parse_num, read_text, write_text
from accord.scenario.io import scenario_from_data
from accord.scenario.schema import Scenario

__all__ = ["ACTORS", "META_COLUMNS", "NICE_VOTES", "read", "write"]

Capability = Literal["nice", "gdp", "equal"]

META_COLUMNS = (
    "prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "type", "council", "proc", "counvte",
    "proccde", "issues", "intro", "finact",
)  # fmt: skip

ACTORS: dict[str, str] = {
    "com": "European Commission", "ep": "European Parliament", "at": "Austria",
    "be": "Belgium", "bu": "Bulgaria", "cr": "Croatia", "cy": "Cyprus",
    "cz": "Czech Republic", "dk": "Denmark", "ee": "Estonia", "fi": "Finland",
    "fr": "France", "de": "Germany", "el": "Greece", "hu": "Hungary", "ie": "Ireland",
    "it": "Italy", "lv": "Latvia", "lt": "Lithuania", "lu": "Luxembourg", "mt": "Malta",
    "nl": "Netherlands", "pl": "Poland", "pt": "Portugal", "ro": "Romania",
    "si": "Slovenia", "sk": "Slovakia", "es": "Spain", "se": "Sweden", "uk": "United Kingdom",
}  # fmt: skip

#: Council votes under the Treaty of Nice (in force 2003-2014 for QMV), Commission and
#: Parliament set to the largest member-state weight.
NICE_VOTES: dict[str, float] = {
    "com": 29, "ep": 29, "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27,
    "ro": 14, "nl": 13, "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10,
    "se": 10, "bu": 10, "dk": 7, "ie": 7, "lt": 7, "sk": 7, "fi": 7, "cr": 7, "cy": 4,
    "ee": 4, "lv": 4, "lu": 4, "si": 4, "mt": 3,
}  # fmt: skip

_RULES = {"QMV": "qualified_majority", "Unan": "unanimity", "Unanimity": "unanimity"}


#: Nice QMV: 255 of the 345 Council votes of EU-27 (74.0 %) and a majority of the members
#: (14 of 27); the population criterion (62 %) is not modelled.
NICE_THRESHOLD = 255 / 345
NICE_MEMBERS = 14 / 27


def _decision_rule(rule: str, meta: dict[str, str], present: list[str]) -> dict[str, Any]:
    """The Council's rule with Nice votes of the member states taking part in the issue.

    Member states without a position on the issue do not vote (the quotas apply to the
    votes of those that take a position). Under co-decision (COD) the Parliament must
    also approve: it is a veto player.
    """
    out: dict[str, Any] = {
        "rule": rule,
        "votes": {c: NICE_VOTES[c] for c in present if c not in ("com", "ep")},
        "note": f"{meta['counvte']}, {meta['proc']}; Nice votes",
    }
    if rule == "qualified_majority":
        out["threshold"] = NICE_THRESHOLD
        out["members"] = NICE_MEMBERS
    if meta["proc"] == "COD" and "ep" in present:
        out["veto"] = ["ep"]
    return out


def _date(text: str) -> dt.date | None:
    """DEU dates are dd-mm-yy; Excel-mangled or missing cells give ``None``."""
    try:
        return dt.datetime.strptime(text, "%d-%m-%y").date()
    except ValueError:
        return None


def read(path: str | Path, *, capability: Capability = "nice") -> list[Scenario]:
    """One scenario per DEU issue, in file order."""
    file = str(path)
    rows = csv_rows(read_text(path), file, delimiter="\t")
    if len(rows) < 3:
        raise ScenarioError.single("", "expected a header, a GDP line and issue lines", file=file)
    header = rows[0]
    col = {name: k for k, name in enumerate(header)}
    required = [*META_COLUMNS, *(f"p{c}" for c in ACTORS), *(f"s{c}" for c in ACTORS), "rp", "out"]
    missing = [c for c in required if c not in col]
    if missing:
        raise ScenarioError.single("line 1", "missing columns", ", ".join(missing), file=file)
    problems: list[Problem] = []
    gdp_row = rows[1] + [""] * (len(header) - len(rows[1]))
    gdp: dict[str, float | None] = {}
    for c in ACTORS:  # an empty GDP cell (an export of a subset) is unknown, not an error
        text = gdp_row[col[f"p{c}"]].strip()
        gdp[c] = parse_num(text, f"line 2, p{c} (GDP)", problems) if text else None
    if problems:
        raise ScenarioError(problems, file=file)
    scenarios = []
    for line, row in enumerate(rows[2:], start=3):
        if not any(cell.strip() for cell in row):
            continue
        row = row + [""] * (len(header) - len(row))
        meta = {name: row[col[name]].strip() for name in META_COLUMNS}
        before = len(problems)
        actors: list[dict[str, Any]] = []
        for code, name in ACTORS.items():
            p_text, s_text = row[col[f"p{code}"]].strip(), row[col[f"s{code}"]].strip()
            if not p_text:
                continue
            stance: dict[str, Any] = {
                "position": parse_num(p_text, f"line {line}, p{code}", problems)
            }
            if s_text:
                stance["salience"] = parse_num(s_text, f"line {line}, s{code}", problems)
            else:
                stance["salience"] = 0.0
                stance["note"] = "salience missing in DEU III; 0 used"
            if capability == "gdp" and gdp[code] is None:
                where = f"line 2, p{code} (GDP)"
                if all(p.path != where for p in problems):
                    problems.append(Problem(where, "--capability gdp needs a GDP value here"))
                continue
            cap = {"nice": NICE_VOTES[code], "gdp": gdp[code], "equal": 1.0}[capability]
            attributes: dict[str, float] = {"nice_votes": NICE_VOTES[code]}
            if gdp[code] is not None:
                attributes["gdp"] = gdp[code]  # type: ignore[assignment]
            actors.append(
                {
                    "id": code,
                    "name": name,
                    "capability": cap,
                    "positions": {"x": stance},
                    "attributes": attributes,
                }
            )
        issue: dict[str, Any] = {
            "id": "x",
            "name": meta["prname"] or meta["isnr"],
            "attributes": {k: v for k, v in meta.items() if v},
        }
        for key, name in (("rp", "status_quo"), ("out", "outcome")):
            text = row[col[key]].strip()
            if text:
                issue[name] = parse_num(text, f"line {line}, {key}", problems)
        rule = _RULES.get(meta["counvte"].split("(")[0])
        if rule:
            issue["decision_rule"] = _decision_rule(rule, meta, [a["id"] for a in actors])
        if len(problems) > before:
            continue
        sid = meta["isnr"] or f"line-{line}"
        data = {
            "id": sid,
            "title": f"DEU III {sid}: {meta['prname']}",
            "description": f"{meta['type']} ({meta['proc']}, {meta['counvte']}), "
            f"Council formation {meta['council']}",
            "as_of": _date(meta["intro"]),
            "salience_scale": 100,
            "issues": [issue],
            "actors": actors,
            "attributes": {"source_format": "deu", "capability": capability},
        }
        try:
            scenarios.append(scenario_from_data(data))
        except ScenarioError as exc:
            problems.extend(
                Problem(f"line {line}: {p.path}", p.message, p.value) for p in exc.problems
            )
    if problems:
        raise ScenarioError(problems, file=file)
    return scenarios


def write(scenarios: list[Scenario], path: str | Path) -> None:
    """Write DEU scenarios back to the wide format (GDP line from actor attributes).

    Positions, reference points and outcomes are written on DEU's 0-100 scale (an issue
    on another scale is mapped linearly); a GDP cell stays empty where it is unknown.
    """
    header = [*META_COLUMNS, *(f"p{c}" for c in ACTORS), *(f"s{c}" for c in ACTORS), "rp", "out"]
    gdp: dict[str, str] = {}
    rows = []
    for sc in scenarios:
        if len(sc.issues) != 1:
            raise ScenarioError.single("issues", "a DEU row holds one issue", len(sc.issues))
        issue = sc.issues[0]
        lo, width = issue.scale.min, issue.scale.width

        def on_100(x: float, lo: float = lo, width: float = width) -> str:
            """DEU positions are on 0-100: another scale is mapped linearly (as for KTAB)."""
            return fmt_num(x if (lo, width) == (0, 100) else (x - lo) / width * 100)

        cells = {name: str(issue.attributes.get(name, "")) for name in META_COLUMNS}
        for a in sc.actors:
            if a.id not in ACTORS:
                raise ScenarioError.single("actors", "not a DEU actor code", a.id)
            st = a.positions[issue.id]
            cells[f"p{a.id}"] = on_100(st.position)
            if not (st.note and st.note.startswith("salience missing")):
                cells[f"s{a.id}"] = fmt_num(st.salience * 100 / sc.salience_scale)
            if "gdp" in a.attributes:
                gdp[a.id] = fmt_num(float(a.attributes["gdp"]))
        if issue.status_quo is not None:
            cells["rp"] = on_100(issue.status_quo.value)
        if issue.outcome is not None:
            cells["out"] = on_100(issue.outcome.value)
        rows.append([cells.get(h, "") for h in header])
    gdp_line = [gdp.get(h[1:], "") if h[0] == "p" and h[1:] in ACTORS else "" for h in header]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(header)
    w.writerow(gdp_line)
    w.writerows(rows)
    write_text(path, buf.getvalue())
