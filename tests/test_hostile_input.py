"""Hostile input never crashes accord (issue 16): one table per class of what a fuzz found.

Each row is an input and the exact message (after ``error: ``) and exit code accord must
give: one line per problem, the file, the field path and a bounded, escaped value; never
a traceback, never a silent coercion, never a file outside the folder the user named.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import limits
from accord.analysis.forecast import run_models
from accord.cli import app
from accord.errors import Problem, format_path, show_value
from accord.scenario import importers
from accord.scenario.io import loads, scenario_from_data
from texts import MINIMAL, assert_refused

DEU3 = Path(__file__).parent.parent / "src" / "accord" / "datasets" / "data" / "deu3.csv"
WAR = "war:\n  belligerents: [UKR, RUS]\n  p: 0.3\n  costs: {UKR: 0.1, RUS: 0.1}\n  front: {%s}\n"
BOMB = (
    "id: t\ntitle: bomb\nsalience_scale: 100\nissues: []\nactors: []\n"
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
)


def _edit(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


def _cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> tuple[int, str]:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert "Traceback" not in result.output + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, (result.stderr or "").strip()


# -- parser limits, the alias bomb, silent coercions, messages: `accord validate FILE` ------

LIMIT = "raise it with {env}=N if the machine can take it"
FILE_CASES = [
    # parser limits
    (
        "deep_yaml",
        MINIMAL + "x: " + "[" * 3000 + "]" * 3000 + "\n",
        "the data is nested too deeply for the parser (the limit is 64 levels, ACCORD_MAX_DEPTH)",
    ),
    (
        "nested_beyond_the_limit",
        MINIMAL + "attributes: {a: " + "[" * 70 + "]" * 70 + "}\n",
        "attributes.a[0]: the data's nesting is above the limit of 64 levels (nesting "
        "depth); " + LIMIT.format(env="ACCORD_MAX_DEPTH"),
    ),
    (
        "huge_integer",
        _edit("capability: 85", "capability: " + "9" * 5000),
        "line 14, column 17: an integer of 5,000 digits is above the limit of 40 digits "
        "(integer digits); " + LIMIT.format(env="ACCORD_MAX_DIGITS"),
    ),
    (
        "impossible_date",
        _edit("as_of: 2024-08-25", "as_of: 2024-02-30"),
        "as_of: must be a date (YYYY-MM-DD) (got '2024-02-30')",
    ),
    (
        "long_text",
        _edit("capability: 85", "capability: '" + "x" * 200_000 + "'"),
        "actors[0].capability: a text of 200,000 characters is above the limit of 100,000 "
        "characters (text length); " + LIMIT.format(env="ACCORD_MAX_TEXT"),
    ),
    (
        "alias_bomb",
        BOMB,
        "the data (with YAML aliases expanded) is above the limit of 2,000,000 values (values "
        "in one file); " + LIMIT.format(env="ACCORD_MAX_VALUES"),
    ),
    # values that validated, then crashed every war verb
    (
        "nan_front",
        MINIMAL + WAR % "territory_at_0: .nan",
        "war.front.territory_at_0: must be a finite number (got nan)",
    ),
    (
        "max_battles_3e9",
        MINIMAL + WAR % "max_battles: 3000000000",
        "war.front.max_battles: 3,000,000,000 battles is above the limit of 100,000 battles "
        "(battles per run); " + LIMIT.format(env="ACCORD_MAX_BATTLES"),
    ),
    (
        "front_states_2e6",
        MINIMAL + WAR % "states: 2000000",
        "war.front.states: 2,000,000 states is above the limit of 10,000 states (front states); "
        + LIMIT.format(env="ACCORD_MAX_STATES"),
    ),
    # silent coercions
    (
        "judgement_no",
        _edit("source: s1}", "source: s1, judgement: 'no'}"),
        "actors[0].positions.T.judgement: must be true or false (got 'no')",
    ),
    (
        "judgement_yes",
        _edit("source: s1}", "source: s1, judgement: 'yes'}"),
        "actors[0].positions.T.judgement: must be true or false (got 'yes')",
    ),
    (
        "judgement_1",
        _edit("source: s1}", "source: s1, judgement: 1}"),
        "actors[0].positions.T.judgement: must be true or false (got 1)",
    ),
    (
        "salience_scale_true",
        _edit("salience_scale: 100", "salience_scale: true"),
        "salience_scale: must be 1 (saliences on 0-1) or 100 (saliences on 0-100) (got true)",
    ),
    (
        "front_states_text",
        MINIMAL + WAR % "states: '20'",
        "war.front.states: must be a whole number (got '20')",
    ),
    (
        "max_battles_true",
        MINIMAL + WAR % "max_battles: true",
        "war.front.max_battles: must be a whole number (got true)",
    ),
    (
        "unix_timestamp",
        _edit("as_of: 2024-08-25", "as_of: 1724544000"),
        "as_of: must be a date (YYYY-MM-DD) (got 1724544000)",
    ),
    (
        "timestamp_as_text",
        _edit("date: 2024-06-14}", "date: '1718323200'}"),
        "sources.s1.date: must be a date (YYYY-MM-DD) (got '1718323200')",
    ),
    (
        "binary_tag",
        _edit("title: T", "title: !!binary aGVsbG8="),
        "line 2, column 8: the YAML tag tag:yaml.org,2002:binary is not allowed in a scenario file",
    ),
    (
        "numeric_key_for_an_id",
        _edit("      T: {position: 95", "      1: {position: 95"),
        "actors[1].positions.1: a key must be text (got 1)",
    ),
    # numbers that overflow
    (
        "scale_1e308",
        _edit("    status_quo: 20\n", "    scale: {min: -1e308, max: 1e308}\n"),
        "issues[0].scale: scale ends must lie within ±1e+15 (models square distances on it): "
        "use a larger unit (got '-1e+308..1e+308')",
    ),
    # messages
    (
        "literal_wording",
        _edit("    status_quo: 20\n", "    decision_rule: {rule: majoritty}\n"),
        "issues[0].decision_rule.rule: must be one of 'majority', 'qualified_majority', "
        "'unanimity', 'consensus' or 'other' (got 'majoritty')",
    ),
    (
        "attribute_one_line",
        _edit("    status_quo: 20\n", "    status_quo: 20\n    attributes: {a: [1]}\n"),
        "issues[0].attributes.a: must be text, a number or true/false (got [1])",
    ),
    (
        "yaml_control_character",
        _edit("title: T", 'title: "T\x07"'),
        "line 2, column 10: invalid YAML: the control character U+0007 is not allowed",
    ),
    (
        "key_with_a_newline",
        _edit("      T: {position: 95", '      "T\\nerror: forged": {position: 95'),
        "actors[1].positions: control character U+000A in a key (got 'T\\nerror: forged')",
    ),
    (
        "escape_sequence_in_text",
        _edit("title: T", 'title: "\\e[31mred"'),
        "title: control character U+001B in a text (got '\\x1b[31mred')",
    ),
    (
        "long_value_cut",
        _edit("capability: 85", "capability: '" + "x" * 50_000 + "'"),
        "actors[0].capability: must be a number (got '" + "x" * 76 + "...)",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_hostile_file(tmp_path: Path, name: str, text: str, message: str) -> None:
    start = time.perf_counter()
    assert_refused(tmp_path, text, name, message)
    assert time.perf_counter() - start < 20  # the alias bomb took > 30 s and 2.5 GB before


def test_json_limits_and_byte_order_mark(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    big = tmp_path / "big.json"
    big.write_text('{"id": ' + "9" * 5000 + "}", encoding="utf-8")
    bom = tmp_path / "bom.json"
    data = {
        "id": "t", "title": "T", "salience_scale": 1, "issues": [{"id": "T", "name": "T"}],
        "actors": [{"id": "A", "name": "A", "capability": 1, "positions": {"T": {"position": 5, "salience": 1}}}],
    }  # fmt: skip
    bom.write_text("\ufeff" + json.dumps(data), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(app, ["validate", str(deep)])
    assert (r.exit_code, r.stderr.strip()) == (
        2,
        f"error: {deep}: the data is nested too deeply for the parser (the limit is 64 levels, "
        "ACCORD_MAX_DEPTH)",
    )
    r = runner.invoke(app, ["validate", str(big)])
    assert (r.exit_code, r.stderr.strip()) == (
        2,
        f"error: {big}: an integer of 5,000 digits is above the limit of 40 digits (integer "
        "digits); raise it with ACCORD_MAX_DIGITS=N if the machine can take it",
    )
    r = runner.invoke(app, ["validate", str(bom)])
    assert r.exit_code == 0, r.stderr


def test_limits_are_raised_by_their_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = MINIMAL + WAR % "max_battles: 300000"
    with pytest.raises(Exception, match="ACCORD_MAX_BATTLES"):
        loads(text)
    monkeypatch.setenv("ACCORD_MAX_BATTLES", "1000000")
    assert loads(text).war is not None
    monkeypatch.setenv("ACCORD_MAX_BATTLES", "lots")
    (tmp_path / "w.yaml").write_text(text, encoding="utf-8")
    code, stderr = _cli(tmp_path, monkeypatch, ["validate", "w.yaml"])
    assert (code, stderr) == (
        2,
        "error: ACCORD_MAX_BATTLES must be a whole number >= 1 (got 'lots')",
    )


def test_validated_values_keep_their_type() -> None:
    """What validates is what the file says: 85 stays a number, 'T' text, true a flag."""
    sc = loads(_edit("source: s1}", "source: s1, judgement: true}"))
    st = sc.actors[0].positions["T"]
    assert st.judgement is True
    assert sc.salience_scale == 100
    assert isinstance(sc.as_of, type(sc.sources["s1"].date))


# -- command lines ------------------------------------------------------------------

CLI_CASES = [
    (
        ["run", "iran-2013", "-m", "eum", "--set", "eum.q=true"],
        2,
        "error: options.eum.q: Input should be a valid number (got true)",
    ),
    (
        ["run", "iran-2013", "-m", "eum", "--set", "eum.q=" + "1" * 5000],
        2,
        "error: --set: an integer of 5,000 digits is above the limit of 40 digits (integer "
        "digits); raise it with ACCORD_MAX_DIGITS=N if the machine can take it (got 'eum.q="
        + "1" * 70
        + "...)",
    ),
    (
        ["run", "iran-2013", "-m", "smp", "--set", "smp.rounds=1000000"],
        2,
        "error: options.smp.rounds: 1,000,000 rounds is above the limit of 100,000 rounds (model "
        "rounds); raise it with ACCORD_MAX_ROUNDS=N if the machine can take it",
    ),
    (
        ["war", "fight", "--runs", str(10**12)],
        2,
        "error: runs: 1,000,000,000,000 runs is above the limit of 10,000,000 runs (Monte Carlo "
        "runs); raise it with ACCORD_MAX_RUNS=N if the machine can take it",
    ),
    (
        ["war", "fight", "--max-battles", "3000000000"],
        2,
        "error: max_battles: 3,000,000,000 battles is above the limit of 100,000 battles "
        "(battles per run); raise it with ACCORD_MAX_BATTLES=N if the machine can take it",
    ),
    (
        ["war", "fight", "--runs", "100000", "--max-battles", "100000"],
        2,
        "error: runs: 100,000 runs x 100,000 battles is above the limit of 2,000,000,000 battle "
        "draws (simulated battles); raise it with ACCORD_MAX_DRAWS=N if the machine can take it",
    ),
    (
        ["settle", "--no-baserate", "--runs", str(10**12)],
        2,
        "error: runs: 1,000,000,000,000 runs is above the limit of 10,000,000 runs (Monte Carlo "
        "runs); raise it with ACCORD_MAX_RUNS=N if the machine can take it",
    ),
    (
        ["settle", "--no-baserate", "--months", "100000000"],
        2,
        "error: months: 400,000,000 battles is above the limit of 100,000 battles (battles per "
        "run); raise it with ACCORD_MAX_BATTLES=N if the machine can take it",
    ),
    (
        ["settle", "--no-baserate", "--runs", "2000000", "--months", "120"],
        2,
        "error: runs: 2,000,000 runs x 121 months is above the limit of 100,000,000 cells (model "
        "working cells); raise it with ACCORD_MAX_CELLS=N if the machine can take it",
    ),
    (
        ["export", "iran-2013", "--to", "ktab", "-o", "/dev/full"],
        2,
        "error: cannot write '/dev/full': No space left on device",
    ),
    (
        ["run", "iran-2013", "-m", "median", "--out", "/dev/full"],
        2,
        "error: --out: '/dev/full' is a file, not a folder",
    ),
    (
        ["run", "iran-2013", "-m", "median", "--out", "existing.txt"],
        2,
        "error: --out: 'existing.txt' is a file, not a folder",
    ),
    (
        ["run", "iran-2013", "-m", "median", "--out", "/proc/accord-none/out"],
        2,
        "error: --out: cannot create the folder '/proc/accord-none/out': No such file or directory",
    ),
    (
        ["export", "iran-2013", "--to", "ktab", "-o", "missing/x.csv"],
        2,
        "error: cannot write 'missing/x.csv': No such file or directory",
    ),
    (
        ["export", "iran-2013", "--to", "ktab", "-o", "x" * 300 + ".csv"],
        2,
        "error: cannot write '" + "x" * 196 + "...: File name too long",
    ),
    (
        ["backtest", "deu", "-m", "median", "--resamples", "100", "--readme", "missing.md"],
        2,
        "error: --readme: 'missing.md': no such file",
    ),
]


@pytest.mark.parametrize(
    ("args", "code", "message"), CLI_CASES, ids=[" ".join(c[0])[:60] for c in CLI_CASES]
)
def test_hostile_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, message: str
) -> None:
    (tmp_path / "existing.txt").write_text("x", encoding="utf-8")
    got = _cli(tmp_path, monkeypatch, args)
    assert got == (code, message)


def test_negative_seed_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for args in (["run", "iran-2013", "--seed", "-1"], ["war", "fight", "--seed", "-1"]):
        code, stderr = _cli(tmp_path, monkeypatch, args)
        assert code == 2
        assert "Invalid value for '--seed'" in stderr


def test_markup_in_ids_names_and_paths_is_printed_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "m.yaml").write_text(
        _edit("id: RUS", "id: '[/b]'").replace("name: Russia", "name: '[red]x[/red]'"), "utf-8"
    )
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["show", "m.yaml"])
    assert r.exit_code == 0, r.output
    assert "[/b]" in r.stdout
    r = runner.invoke(app, ["run", "m.yaml", "-m", "median", "--out", "[/b]"])
    assert r.exit_code == 0, r.output
    assert r.stderr.strip() == "wrote forecast, trajectory and events CSVs for 1 models to [/b]/"
    r = runner.invoke(app, ["validate", "[/b].yaml"])
    assert (r.exit_code, r.stderr.strip()) == (2, "error: [/b].yaml: no such file")


# -- output paths -------------------------------------------------------------------


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_scenario_id_cannot_write_outside_run_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    (work / "trav.yaml").write_text(_edit("id: t\n", "id: ../../x\n"), encoding="utf-8")
    code, stderr = _cli(work, monkeypatch, ["run", "trav.yaml", "-m", "median", "--out", "out"])
    assert code == 0
    assert stderr.splitlines() == [
        "note: '../../x-median-forecast.csv' written as x-median-forecast.csv (a safe file name)",
        "note: '../../x-median-trajectory.csv' written as x-median-trajectory.csv (a safe file name)",
        "note: '../../x-median-events.csv' written as x-median-events.csv (a safe file name)",
        "wrote forecast, trajectory and events CSVs for 1 models to out/",
    ]
    assert _files(tmp_path) == {
        "a/b/trav.yaml",
        "a/b/out/x-median-forecast.csv",
        "a/b/out/x-median-trajectory.csv",
        "a/b/out/x-median-events.csv",
    }


def test_deu_isnr_cannot_write_outside_and_duplicates_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = DEU3.read_text(encoding="utf-8").splitlines()[:5]
    cells = rows[2].split("\t")
    cells[4] = '"../../x"'
    rows[2] = "\t".join(cells)
    cells = rows[4].split("\t")
    cells[4] = rows[3].split("\t")[4]  # the same isnr twice
    rows[4] = "\t".join(cells)
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    (work / "deu.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, stderr = _cli(work, monkeypatch, ["import", "deu.csv", "--from", "deu", "-o", "out"])
    assert code == 0
    assert stderr.splitlines() == [
        "note: '../../x.yaml' written as x.yaml (a safe file name)",
        "note: 'd00032i2.yaml' written as d00032i2-2.yaml (a file of that name was already written)",
        "wrote 3 scenarios to out/ (2 renamed, see the notes)",
    ]
    assert _files(tmp_path) == {
        "a/b/deu.csv", "a/b/out/x.yaml", "a/b/out/d00032i2.yaml", "a/b/out/d00032i2-2.yaml",
    }  # fmt: skip
    assert loads((work / "out" / "d00032i2-2.yaml").read_text("utf-8")).id == "d00032i2"


# -- importers ------------------------------------------------------------------------

IMPORT_CASES = [
    (
        "bdm",
        "Actor,Extra,Capability,Position,Salience\nA,1,2,3\n",
        "line 2: expected actor, capability, position, salience (got 4)",
    ),
    (
        "ktab",
        "t,d,2,2.5,\nActor,Description,Power,a,b,c,d\n",
        "line 1, numDims: must be a whole number >= 0 (got '2.5')",
    ),
    (
        "decide",
        "#A\ta\tA\n#P\tp\tP\n#D\ta\tp\t50\t0.5\tx\n",
        "line 3, power: must be a number (got 'x')",
    ),
]


@pytest.mark.parametrize(("fmt", "text", "message"), IMPORT_CASES, ids=[c[0] for c in IMPORT_CASES])
def test_importer_shape_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, text: str, message: str
) -> None:
    (tmp_path / "in.csv").write_text(text, encoding="utf-8")
    code, stderr = _cli(tmp_path, monkeypatch, ["import", "in.csv", "--from", fmt])
    assert (code, stderr) == (2, f"error: in.csv: {message}")


def test_short_deu_gdp_line_is_unknown_gdp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = DEU3.read_text(encoding="utf-8").splitlines()[:3]
    rows[1] = "\t".join(rows[1].split("\t")[:20])
    (tmp_path / "deu.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, stderr = _cli(tmp_path, monkeypatch, ["import", "deu.csv", "--from", "deu", "-o", "o"])
    assert (code, stderr) == (0, "wrote 1 scenarios to o/")
    code, stderr = _cli(
        tmp_path, monkeypatch, ["import", "deu.csv", "--from", "deu", "--capability", "gdp"]
    )
    assert code == 2
    assert stderr.splitlines()[0] == (
        "error: deu.csv: line 2, pdk (GDP): --capability gdp needs a GDP value here"
    )


@pytest.mark.parametrize("fmt", ["bdm", "ktab", "decide", "deu"])
def test_csv_cell_over_the_csv_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    (tmp_path / "long.csv").write_text(
        "Actor,Capability,Position,Salience\nA," + "1" * 140_000 + ",2,3\n", encoding="utf-8"
    )
    code, stderr = _cli(tmp_path, monkeypatch, ["import", "long.csv", "--from", fmt])
    assert (code, stderr) == (
        2,
        "error: long.csv: line 2: unreadable CSV: a cell is longer than 131,072 characters",
    )


# -- exports that their importers read back ----------------------------------------------


def test_deu_export_of_a_subset_reads_back(tmp_path: Path) -> None:
    scenarios = importers.read("deu", DEU3)[:3]
    subset = [sc.restrict(sc.issue_ids) for sc in scenarios]
    trimmed = [
        sc.model_copy(update={"actors": sc.actors[:5]}) for sc in subset
    ]  # five actors only: GDP cells of the others stay empty
    out = tmp_path / "sub.csv"
    importers.export("deu", trimmed, out)
    back = importers.read("deu", out)
    assert [sc.id for sc in back] == [sc.id for sc in trimmed]
    for a, b in zip(trimmed, back, strict=True):
        assert [x.id for x in b.actors] == [x.id for x in a.actors]
        assert [x.positions["x"].position for x in b.actors] == [
            x.positions["x"].position for x in a.actors
        ]


def test_ktab_export_scales_saliences_to_100_and_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = _cli(
        tmp_path, monkeypatch, ["export", "ukraine-2024-08", "--to", "ktab", "-o", "k.csv"]
    )
    assert code == 0
    assert stderr.splitlines()[0].startswith(
        "note: KTAB saliences of one actor sum to at most 100: scaled down in proportion for "
        "RUS (530), UKR (565)"
    )
    sc = importers.read("ktab", tmp_path / "k.csv")[0]
    for actor in sc.actors:
        assert sum(st.salience for st in actor.positions.values()) <= 100 + 1e-9


# -- numerics and sizes ----------------------------------------------------------------


def _scenario(n: int, m: int, caps: list[float] | None = None) -> dict[str, object]:
    rng = np.random.default_rng(7)
    return {
        "id": "x", "title": "x", "salience_scale": 1,
        "issues": [{"id": f"i{k}", "name": f"i{k}"} for k in range(m)],
        "actors": [
            {
                "id": f"a{i}", "name": f"a{i}",
                "capability": caps[i] if caps else float(rng.random()),
                "positions": {
                    f"i{k}": {"position": float(rng.random() * 100), "salience": float(rng.random())}
                    for k in range(m)
                },
            }
            for i in range(n)
        ],
    }  # fmt: skip


def test_capabilities_near_1e308_give_the_numbers_of_their_ratios() -> None:
    caps = [1.7e308, 9e307, 1e308, 3e307, 1.2e308, 5e307]
    huge = scenario_from_data(_scenario(6, 2, caps))
    small = scenario_from_data(_scenario(6, 2, [c / 2.0**1020 for c in caps]))
    names = ["compromise", "median", "eum", "smp", "exchange"]
    with np.errstate(all="raise"):  # no overflow anywhere, not only no printed warning
        for a, b in zip(run_models(huge, names), run_models(small, names), strict=True):
            assert np.array_equal(a.forecast, b.forecast)
            assert all(math.isfinite(x) for x in a.forecast)


def test_cli_prints_no_numpy_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cap.json").write_text(
        json.dumps(_scenario(6, 2, [1.7e308, 9e307, 1e308, 3e307, 1.2e308, 5e307])), "utf-8"
    )
    code, stderr = _cli(tmp_path, monkeypatch, ["run", "cap.json"])
    assert code == 0
    assert "warning" not in stderr.lower()
    assert [line for line in stderr.splitlines() if not line.startswith("not run here:")] == []


def test_nan_forecast_is_undefined() -> None:
    from accord.models.base import ModelResult

    r = ModelResult(
        "m", "s", {}, ("a",), ("i", "j"), np.array([np.nan, 1.0]), ("max_rounds", "static")
    )
    assert r.status == ("undefined", "static")


def test_2000_actors_x_50_issues_run_where_they_fit_and_are_refused_where_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "big.json").write_text(json.dumps(_scenario(2000, 50)), encoding="utf-8")
    code, _ = _cli(tmp_path, monkeypatch, ["run", "big.json", "-m", "compromise", "-m", "median"])
    assert code == 0
    code, stderr = _cli(tmp_path, monkeypatch, ["run", "big.json"])
    assert (code, stderr.splitlines()[-1]) == (
        2,
        "error: eum: 2,000 actors x 50 issues (about 3,200,000,000 cells: 16 x actors^2 x "
        "issues^1) is above the limit of 100,000,000 cells (model working cells); raise it with "
        "ACCORD_MAX_CELLS=N if the machine can take it",
    )


def test_every_limit_is_named_with_its_variable() -> None:
    envs = [lim.env for lim in limits.LIMITS]
    assert len(set(envs)) == len(envs)
    for lim in limits.LIMITS:
        message = lim.message(lim.default + 1)
        assert lim.env in message
        assert f"{lim.default:,}" in message


# -- bounded renderings ----------------------------------------------------------------


def test_show_value_is_bounded_and_one_line() -> None:
    bomb: object = ["x"]
    for _ in range(40):
        bomb = [bomb, bomb]  # 2**40 leaves if rendered in full
    start = time.perf_counter()
    text = show_value(bomb)
    assert time.perf_counter() - start < 0.1
    assert len(text) <= 80
    assert show_value("a\nb\x1b") == "'a\\nb\\x1b'"
    assert show_value(10**5000) == "<an integer of about 5000 digits>"
    assert show_value(("x",)) == "('x',)"
    assert format_path(("attributes", "a\nb", 3)) == "attributes['a\\nb'][3]"
    line = Problem("p", "m\nerror: forged", "v").render()
    assert "\n" not in line


def test_environment_default() -> None:
    assert os.environ.get("ACCORD_MAX_CELLS") is None or limits.CELLS.value > 0
