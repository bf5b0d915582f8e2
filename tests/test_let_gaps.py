"""``--let PATH=VALUE`` on the commands that lacked it (issue 15i): timeline (every date of
the series), baserate (with --scenario: checked and recorded, changing nothing it reads)
and import (applied to the imported scenario before it is written)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from typer.testing import CliRunner

from accord import scenarios
from accord.analysis.output_schema import output_schema
from accord.cli import app
from accord.scenario.diff import diff
from accord.scenario.io import load
from accord.scenario.series import load_series

runner = CliRunner()
KTAB = Path(__file__).parent / "data" / "ktab" / "dummyData-a040.csv"


def _ok(args: list[str]) -> Any:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res


def test_timeline_let_holds_the_number_at_every_date() -> None:
    args = ["timeline", "russia-ukraine", "--runs", "60", "--no-models", "--json"]
    base = json.loads(_ok(args).stdout)
    res = _ok([*args, "--let", "war.p=0.5"])
    data = json.loads(res.stdout)
    jsonschema.validate(data, output_schema("timeline"), cls=jsonschema.Draft202012Validator)
    series = load_series("russia-ukraine")
    want = [
        {"scenario": sc.id, "path": "war.p", "old": sc.war.p.value, "new": 0.5}
        for sc in series.scenarios
    ]
    assert data["what_if"] == want
    for sc in series.scenarios:  # echoed on stderr, one line per date, named by the date
        assert f"what-if: {sc.id}: war.p {sc.war.p.value:g} → 0.5" in res.stderr
    # the number is held at 0.5 at every date: it drops out of what changed between dates
    for k, (old, new) in enumerate(
        zip(base["result"]["dates"], data["result"]["dates"], strict=True)
    ):
        if k == 0:
            continue
        moved = series.scenarios[k].war.p.value != series.scenarios[k - 1].war.p.value
        assert new["changes_from_previous"] == old["changes_from_previous"] - moved
        assert all(c["path"] != "war.p" for c in new["largest_changes"])
    p12 = [d["p_settled_12"] for d in data["result"]["dates"]]
    assert p12 != [d["p_settled_12"] for d in base["result"]["dates"]]  # it did change the run


def test_timeline_let_is_checked_like_each_dates_file() -> None:
    res = runner.invoke(app, ["timeline", "russia-ukraine", "--runs", "10", "--let", "war.pp=1"])
    assert res.exit_code == 2
    assert "--let war.pp: not a number of this scenario (did you mean 'war.p'?)" in res.output
    bad = runner.invoke(app, ["timeline", "russia-ukraine", "--runs", "10", "--let", "war.p=2"])
    assert bad.exit_code == 2 and "--let war.p" in bad.output and "Traceback" not in bad.output


def test_baserate_let_is_recorded_and_changes_nothing_it_reads() -> None:
    args = ["baserate", "--scenario", "ukraine-2024-08", "--json"]
    base = json.loads(_ok(args).stdout)
    res = _ok([*args, "--let", "war.p=0.6"])
    data = json.loads(res.stdout)
    jsonschema.validate(data, output_schema("baserate"), cls=jsonschema.Draft202012Validator)
    old = scenarios.load("ukraine-2024-08").war.p.value
    assert data["what_if"] == [{"path": "war.p", "old": old, "new": 0.6}]
    assert data["result"] == base["result"]  # a reference class holds no numbers
    assert data["scenario"]["sha256"] != base["scenario"]["sha256"]  # the scenario as run
    assert "changes no number a base rate reads" in res.stderr
    flags = runner.invoke(app, ["baserate", "--type", "interstate", "--let", "war.p=0.6"])
    assert flags.exit_code == 2 and "--let" in flags.output and "--scenario" in flags.output
    bad = runner.invoke(app, [*args, "--let", "war.p=7"])
    assert bad.exit_code == 2 and "--let war.p" in bad.output


def test_import_let_changes_exactly_the_named_number(tmp_path: Path) -> None:
    plain, changed = tmp_path / "plain.yaml", tmp_path / "changed.yaml"
    _ok(["import", str(KTAB), "--from", "ktab", "-o", str(plain)])
    let = ["--let", "actors[Act-1002].capability=3"]
    res = _ok(["import", str(KTAB), "--from", "ktab", "-o", str(changed), *let])
    assert "what-if: actors[Act-1002].capability 1.25 → 3" in res.stderr
    a, b = load(plain), load(changed)
    (change,) = diff(a, b).changes
    assert (change.path, change.old, change.new) == ("actors[Act-1002].capability", 1.25, 3.0)
    assert b.actor("Act-1002").capability.judgement  # the written file says it is a what-if
    printed = _ok(["import", str(KTAB), "--from", "ktab", *let]).stdout  # to stdout too
    assert "what-if (--let actors[Act-1002].capability=3)" in printed
    bad = runner.invoke(
        app, ["import", str(KTAB), "--from", "ktab", "--let", "actors[Act-1002].capability=-3"]
    )
    assert bad.exit_code == 2
    assert "--let actors[Act-1002].capability: must be >= 0 (got -3.0)" in bad.output


def test_game_solve_reads_a_scenario_file_as_a_scenario() -> None:
    """A scenario file with a game: section takes --let as the bundled id does (before, it
    was read as a game file and --let refused), and the envelope names the scenario."""
    file = str(Path(scenarios.__file__).parent / "ukraine-2024-08.yaml")
    by_file = json.loads(_ok(["game", "solve", file, "--json", "--let", "war.p=0.5"]).stdout)
    by_id = json.loads(
        _ok(["game", "solve", "ukraine-2024-08", "--json", "--let", "war.p=0.5"]).stdout
    )
    assert by_file["what_if"] == by_id["what_if"] == [{"path": "war.p", "old": 0.2, "new": 0.5}]
    assert by_file["scenario"] == by_id["scenario"] and by_file["result"] == by_id["result"]
    game = Path(__file__).parent / "data" / "games" / "cent2.efg"
    refused = runner.invoke(app, ["game", "solve", str(game), "--let", "war.p=0.5"])
    assert refused.exit_code == 2 and "is not a scenario" in refused.output
