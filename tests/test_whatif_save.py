"""Issue 15b: what-ifs (``--let``), a lossless save, ``export --issue`` and one-pass validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.cli import app
from accord.errors import ScenarioError
from accord.scenario import importers
from accord.scenario.diff import diff
from accord.scenario.io import dump, dumps, load, loads
from accord.scenario.schema import Scenario
from accord.scenario.whatif import apply_lets

DATA = Path(__file__).parent / "data"
DEU = Path(importers.__file__).parents[2] / "datasets" / "data" / "deu3.csv"
DEFAULT = "ukraine-2024-08"

# -- lossless save -------------------------------------------------------------------------

FIXTURES = [
    *(("bundled", sid) for sid in scenarios.ids()),
    *(
        ("ktab", f"ktab/{n}")
        for n in ("dummyData-a040.csv", "dummyData_3Dim.csv", "dummyData_6Dim.csv")
    ),
    ("ktab-xml", "ktab/dummyData_3Dim.xml"),
    *(("decide", f"decide/{n}") for n in ("sample_data.txt", "cop21.csv", "copenhagen.csv")),
    ("bdm", "bdm/ec-emissions.csv"),
    ("deu", "deu3.csv"),
    ("file", "roundtrip/everything.yaml"),
    ("file", "diff/a.yaml"),
    ("file", "diff/b.yaml"),
]


def _read(kind: str, name: str) -> list[Scenario]:
    if kind == "bundled":
        return [scenarios.load(name)]
    if kind == "file":
        return [load(DATA / name)]
    return importers.read(kind, DEU if kind == "deu" else DATA / name)


def _typed(x: Any) -> Any:
    """Data with every value's type and every mapping's order (``==`` ignores both)."""
    if isinstance(x, dict):
        return [(_typed(k), _typed(v)) for k, v in x.items()]
    if isinstance(x, list | tuple):
        return [_typed(v) for v in x]
    return (type(x).__name__, x)


@pytest.mark.parametrize(("kind", "name"), FIXTURES, ids=[f"{k}:{n}" for k, n in FIXTURES])
def test_dump_of_load_validates_and_equals_load(tmp_path: Path, kind: str, name: str) -> None:
    for n, sc in enumerate(_read(kind, name)):
        # DEU's 364 issues share one structure: every one as JSON, every 25th as YAML too
        for suffix in (".json", ".yaml") if n % 25 == 0 else (".json",):
            path = tmp_path / f"saved{suffix}"
            dump(sc, path)
            back = load(path)  # validates, as accord validate does
            assert back == sc
            assert _typed(back.model_dump()) == _typed(sc.model_dump()), (sc.id, suffix)
            assert dumps(back, suffix[1:]) == dumps(sc, suffix[1:])


def test_free_form_numbers_keep_their_type() -> None:
    """An attribute 1.0 stayed 1.0 (the save wrote 7.0 as 7 everywhere, attributes too)."""
    sc = load(DATA / "roundtrip/everything.yaml")
    back = loads(dumps(sc))
    assert back.issues[0].attributes == {"kind": "territorial", "weight": 1.0, "rank": 2,
                                         "contested": True}  # fmt: skip
    assert type(back.issues[0].attributes["weight"]) is float
    assert type(back.issues[0].attributes["rank"]) is int
    assert type(back.attributes["share"]) is float
    assert "capability: {value: 0, note: no clout of its own}" in dumps(sc)


# -- --let -----------------------------------------------------------------------------------

runner = CliRunner()


def test_let_changes_exactly_the_named_number() -> None:
    sc = scenarios.load(DEFAULT)
    new, changes = apply_lets(sc, ["actors[CHN].issue_capability.T=30"], file=DEFAULT)
    d = diff(sc, new)
    assert [(c.path, c.kind, c.old, c.new) for c in d.changes] == [
        ("actors[CHN].issue_capability.T", "changed", 0.0, 30.0)
    ]
    assert [c.describe() for c in changes] == ["what-if: actors[CHN].issue_capability.T 0 → 30"]
    val = new.actor("CHN").issue_capability["T"]
    old = sc.actor("CHN").issue_capability["T"]
    assert val.judgement and val.source == old.source
    assert val.note is not None and val.note.startswith("what-if (--let")


def test_let_by_index_and_on_a_stance_and_the_war_section() -> None:
    sc = scenarios.load(DEFAULT)
    rus = sc.actor_ids.index("RUS")
    lets = [f"actors[{rus}].positions.K.salience=80", "war.costs.UKR=0.3"]
    new, changes = apply_lets(sc, lets)
    assert [(c.path, c.old, c.new) for c in diff(sc, new).changes] == [
        ("actors[RUS].positions.K.salience", 90.0, 80.0),
        ("war.costs.UKR", 0.2, 0.3),
    ]
    assert [c.path for c in changes] == ["actors[RUS].positions.K.salience", "war.costs.UKR"]
    stance = new.actor("RUS").positions["K"]
    assert stance.judgement and stance.position == sc.actor("RUS").positions["K"].position


@pytest.mark.parametrize(
    ("lets", "lines"),
    [
        (
            ["actors[CHN].issue_capabilty.T=30"],
            ["--let actors[CHN].issue_capabilty.T: not a number of this scenario (did you mean "
             "'actors[CHN].issue_capability.T'?) (got 'actors[CHN].issue_capabilty.T=30')"],
        ),
        (
            ["actors[CHN].issue_capability.T=-5"],
            ["--let actors[CHN].issue_capability.T: must be >= 0 (got -5.0)"],
        ),
        (
            ["actors[RUS].positions.K.salience=180"],
            ["--let actors[RUS].positions.K.salience: above salience_scale 100 (got 180.0)"],
        ),
        (
            ["actors[RUS].positions.T.position=200"],
            ["--let actors[RUS].positions.T.position: outside the scale of issue T [0, 100] "
             "(got 200.0)"],
        ),
        (
            ["war.p=true", "war.p", "actors[CHN].capability=abc"],
            ["--let war.p: must be a number (got 'true')",
             "--let: expected PATH=VALUE (got 'war.p')",
             "--let actors[CHN].capability: must be a number (got 'abc')"],
        ),
        (
            ["war.p=0.3", "war.p=0.4"],
            ["--let war.p: the same number is set twice (got 'war.p=0.4')"],
        ),
    ],
)  # fmt: skip
def test_let_refuses_in_the_loaders_style(lets: list[str], lines: list[str]) -> None:
    args = ["show", DEFAULT]
    for item in lets:
        args += ["--let", item]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [f"error: {DEFAULT}: {line}" for line in lines]
    assert result.stdout == "" and "Traceback" not in result.output


def test_run_with_let_echoes_and_matches_the_closed_form() -> None:
    """The compromise model is sum(c*s*x)/sum(c*s): France moved to 4 years moves it so."""
    result = runner.invoke(
        app,
        ["run", "ec-emissions-1994", "-m", "compromise", "--json",
         "--let", "actors[France].positions.year.position=4"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "what-if: actors[France].positions.year.position 10 → 4"
    payload = json.loads(result.stdout)
    assert payload["what_if"] == [
        {"path": "actors[France].positions.year.position", "old": 10.0, "new": 4.0}
    ]
    a = scenarios.load("ec-emissions-1994").arrays()
    x = a.position[:, 0].copy()
    x[a.actor_ids.index("France")] = 4.0
    w = a.capability[:, 0] * a.salience[:, 0]
    (model,) = payload["result"]["models"]
    assert model["forecast"]["year"]["value"] == pytest.approx(float(np.sum(w * x) / w.sum()))


def test_let_reaches_the_war_verbs_and_diff_lists_it() -> None:
    result = runner.invoke(app, ["war", "range", DEFAULT, "--json", "--let", "war.p=0.6"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["what_if"] == [{"path": "war.p", "old": 0.2, "new": 0.6}]
    assert payload["result"]["parameters"]["p"]["value"] == 0.6
    result = runner.invoke(app, ["diff", DEFAULT, DEFAULT, "--json", "--let", "war.p=0.6"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["result"]["changes"]
    assert [(c["path"], c["old"], c["new"]) for c in changes] == [("war.p", 0.2, 0.6)]


def test_let_on_something_that_is_not_a_scenario() -> None:
    efg = str(DATA / "games/2x2.nfg")
    result = runner.invoke(app, ["game", "solve", efg, "--let", "war.p=0.5"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --let: sets numbers of a scenario; the game file {efg} is not a scenario"
    )


# -- export --issue ------------------------------------------------------------------------


def test_export_one_issue(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    result = runner.invoke(app, ["export", DEFAULT, "--to", "bdm", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --issue: the bdm format holds one issue; {DEFAULT} has 7: choose one with "
        "--issue (T, N, G, S, A, C, K)"
    )
    result = runner.invoke(app, ["export", DEFAULT, "--to", "bdm", "-o", str(out), "--issue", "T"])
    assert result.exit_code == 0, result.output
    back = importers.read("bdm", out)[0]
    sc = scenarios.load(DEFAULT)
    on_t = [a for a in sc.actors if "T" in a.positions]
    assert [a.id for a in back.actors] == [a.id for a in on_t]
    assert [a.positions[back.issue_ids[0]].position for a in back.actors] == [
        a.positions["T"].position for a in on_t
    ]
    result = runner.invoke(app, ["export", DEFAULT, "--to", "bdm", "-o", str(out), "--issue", "Q"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --issue: no such issue in {DEFAULT} (T, N, G, S, A, C, K) (got 'Q')"
    )


def test_export_several_issues_to_ktab(tmp_path: Path) -> None:
    out = tmp_path / "k.csv"
    sc = importers.read("ktab", DATA / "ktab/dummyData_6Dim.csv")[0]
    importers.export("ktab", [sc], out, issues=list(sc.issue_ids[:2]))
    back = importers.read("ktab", out)[0]
    np.testing.assert_allclose(back.arrays().position, sc.arrays().position[:, :2])


# -- one validation pass -------------------------------------------------------------------

ONE_PASS = """\
id: one
title: one pass
salience_scale: 100
issues:
  - id: T
    name: Territory
    status_qou: 40
actors:
  - id: A
    name: A
    capability: 10
    positions:
      T: {position: 20, salience: 150}
  - id: B
    name: B
    capabilty: 5
    positions:
      T: {position: 80, salience: 50, source: [nope]}
      X: {position: 1, salience: high}
spaces:
  - {id: s, issues: [T, W]}
"""


def test_one_pass_reports_field_and_semantic_problems(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(ONE_PASS, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}: {line}"
        for line in (
            "issues[0].status_qou: unknown field (did you mean 'status_quo'?)",
            "actors[1].capability: required field is missing",
            "actors[1].positions.X.salience: must be a number (got 'high')",
            "actors[1].capabilty: unknown field (did you mean 'capability'?)",
            "actors[0].positions.T.salience: above salience_scale 100 (got 150.0)",
            "actors[1].positions.T.source: unknown source key (got 'nope')",
            "spaces[0].issues[1]: unknown issue id (got 'W')",
        )
    ]


def test_one_pass_reads_a_misspelt_field_as_the_real_one() -> None:
    text = ONE_PASS.replace("T: {position: 20, salience: 150}", "T: {position: 20, salinece: 150}")
    with pytest.raises(ScenarioError) as info:
        loads(text)
    rendered = [p.render() for p in info.value.problems]
    assert "actors[0].positions.T.salinece: unknown field (did you mean 'salience'?)" in rendered
    assert (
        "actors[0].positions.T.salience: above salience_scale 100 (reading 'salinece' as "
        "'salience') (got 150.0)"
    ) in rendered


def test_one_pass_leaves_out_what_a_dropped_part_explains() -> None:
    """A broken stance is dropped for the second pass; the issue it leaves without a
    position, and the unknown issue id it named, are not reported as more problems."""
    text = ONE_PASS.replace("X: {position: 1, salience: high}", "X: {position: 1}")
    with pytest.raises(ScenarioError) as info:
        loads(text)
    paths = [p.path for p in info.value.problems]
    assert "actors[1].positions.X.salience" in paths
    assert not any(p.startswith("actors[1].positions.X") and p.endswith("X") for p in paths)
    assert "actors[0].positions.T.salience" in paths


def test_uncertainty_problems_come_with_the_others() -> None:
    text = ONE_PASS.replace("status_qou: 40", "status_quo: 40") + (
        "uncertainty:\n  parameters:\n    actors[A].capability: {dist: uniform, low: 5, high: 2}\n"
    )
    with pytest.raises(ScenarioError) as info:
        loads(text)
    rendered = [p.render() for p in info.value.problems]
    assert "actors[0].positions.T.salience: above salience_scale 100 (got 150.0)" in rendered
    assert "uncertainty.parameters.actors[A].capability: low must not exceed high (5 > 2)" in (
        rendered
    )


def test_let_on_a_game_parameter_and_on_a_path_it_cannot_address() -> None:
    sc = scenarios.load(DEFAULT)
    new, _ = apply_lets(sc, ["game.parameters.cost_horizon=12"])
    assert new.game is not None and sc.game is not None
    assert new.game["parameters"]["cost_horizon"]["value"] == 12
    assert new.game["parameters"]["cost_horizon"]["judgement"] is True
    assert [c.path for c in diff(sc, new).changes] == ["game.parameters.cost_horizon"]
    every = load(DATA / "roundtrip/everything.yaml")
    item = "uncertainty.parameters.actors[C].capability.sd=3"
    with pytest.raises(ScenarioError) as info:
        apply_lets(every, [item])
    assert str(info.value) == (
        f"--let uncertainty.parameters.actors[C].capability.sd: a number --let cannot address "
        f"(got {item!r})"
    )


def test_one_pass_also_checks_dates_written_as_timestamps() -> None:
    text = ONE_PASS.replace("salience: 150", "salience: 50").replace(
        "title: one pass", 'title: one pass\nas_of: "1724544000"'
    )
    text = text.replace(", source: [nope]", "").replace(
        "      X: {position: 1, salience: high}\n", ""
    )
    text = text.replace("[T, W]", "[T]")
    with pytest.raises(ScenarioError) as info:
        loads(text)
    assert [p.render() for p in info.value.problems] == [
        "issues[0].status_qou: unknown field (did you mean 'status_quo'?)",
        "actors[1].capability: required field is missing",
        "actors[1].capabilty: unknown field (did you mean 'capability'?)",
        "as_of: must be a date (YYYY-MM-DD) (got '1724544000')",
    ]
