from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.cli import app
from accord.datasets import deu as deu_dataset
from accord.scenario import load

DATA = Path(__file__).parent / "data"
DEU_PATH = deu_dataset.PATH
runner = CliRunner()


def test_run_without_arguments_forecasts_the_flagship() -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert "ukraine-2024-08" in result.stdout
    for label in ("T  Territory", "K  Kursk", "compromise", "median", "eum"):
        assert label in result.stdout
    assert "km²" in result.stdout


def test_run_csv_and_json_agree() -> None:
    csv_out = runner.invoke(
        app, ["run", "ec-emissions-1994", "--csv", "-m", "compromise", "-m", "median"]
    )
    assert csv_out.exit_code == 0
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0] == "scenario,issue,model,forecast,status,q10,q50,q90"
    assert lines[1].startswith("ec-emissions-1994,year,compromise,7.3899")
    assert lines[2] == "ec-emissions-1994,year,median,7.0,static,,,"
    js = json.loads(
        runner.invoke(
            app, ["run", "ec-emissions-1994", "--json", "-m", "eum", "--rounds", "10"]
        ).stdout
    )
    (res,) = js["result"]["models"]
    assert res["options"]["preset"] == "scholz_code" and res["rounds"] == 10
    assert res["forecast"]["year"]["value"] == 7.0
    assert res["events"][0]["text"] == "Belgium compromises with France"


def test_run_set_option_reaches_the_model() -> None:
    js = json.loads(
        runner.invoke(
            app, ["run", "iran-2013", "--json", "-m", "eum", "--set", "eum.preset=scholz_paper"]
        ).stdout
    )
    assert js["result"]["models"][0]["options"]["probability_denominator"] == "pair"


def test_run_events_table() -> None:
    result = runner.invoke(
        app, ["run", "ec-emissions-1994", "-m", "eum", "--rounds", "1", "--events"]
    )
    assert result.exit_code == 0
    assert "Luxembourg loses confrontation to Belgium" in result.stdout


def test_scenarios_lists_every_bundled_scenario() -> None:
    result = runner.invoke(app, ["scenarios"])
    assert result.exit_code == 0
    for sid in scenarios.ids():
        assert sid in result.stdout
    assert "2024-08-25" in result.stdout


def test_schema_is_json_schema() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["type"] == "object"
    assert {"id", "title", "salience_scale", "issues", "actors"} <= set(schema["required"])
    assert "Stance" in schema["$defs"]


def test_models_lists_options() -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0 and "probability_denominator" in result.stdout


@pytest.mark.parametrize(
    ("fmt", "file"),
    [
        ("ktab", "ktab/dummyData_3Dim.csv"),
        ("decide", "decide/sample_data.txt"),
        ("bdm", "bdm/ec-emissions.csv"),
    ],
)
def test_import_then_export(tmp_path: Path, fmt: str, file: str) -> None:
    out = tmp_path / "s.yaml"
    result = runner.invoke(app, ["import", str(DATA / file), "--from", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    sc = load(out)
    back = tmp_path / f"back.{fmt}"
    assert runner.invoke(app, ["export", str(out), "--to", fmt, "-o", str(back)]).exit_code == 0
    again = runner.invoke(app, ["import", str(back), "--from", fmt]).stdout
    assert "actors:" in again and len(sc.actors) > 0


def test_import_deu_writes_a_folder(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["import", str(DEU_PATH), "--from", "deu", "-o", str(tmp_path / "deu")]
    )
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "deu").glob("*.yaml"))) == 364
    sc = load(tmp_path / "deu" / "d00032i1.yaml")
    assert sc.issues[0].outcome is not None and sc.issues[0].outcome.value == 100


def test_validate_strict_on_bundled_scenarios() -> None:
    for sid in scenarios.ids():
        result = runner.invoke(app, ["validate", sid, "--strict"])
        assert result.exit_code == 0, (sid, result.output)


def test_validate_strict_flags_unsourced_numbers(tmp_path: Path) -> None:
    out = tmp_path / "s.yaml"
    runner.invoke(
        app, ["import", str(DATA / "bdm/ec-emissions.csv"), "--from", "bdm", "-o", str(out)]
    )
    result = runner.invoke(app, ["validate", str(out), "--strict"])
    assert result.exit_code == 1
    assert "unsourced: actors[0].capability" in result.stderr
    assert "20 numbers without a source or judgement mark" in result.stderr


def test_version() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("accord ")


def test_show_prints_actors_and_issues() -> None:
    result = runner.invoke(app, ["show", "ukraine-2024-08"])
    assert result.exit_code == 0, result.output
    assert "0/100 (c 85)" in result.stdout  # Russia on territory, with its issue capability
    assert "front line, 12 August 2024" in result.stdout


def test_run_out_writes_csvs(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", "ec-emissions-1994", "-m", "eum", "--rounds", "10", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    traj = (tmp_path / "ec-emissions-1994-eum-trajectory.csv").read_text().splitlines()
    assert traj[0] == "round,actor,issue,position" and len(traj) == 1 + 11 * 10
    events = (tmp_path / "ec-emissions-1994-eum-events.csv").read_text()
    assert "Belgium compromises with France" in events


@pytest.mark.parametrize("sid", scenarios.ids())
def test_run_smp_on_every_bundled_scenario(sid: str) -> None:
    result = runner.invoke(app, ["run", sid, "--model", "smp", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    forecast = payload["result"]["models"][0]["forecast"]
    assert all(v["value"] is not None for v in forecast.values())


def test_run_smp_with_ktab_parameters_and_events(tmp_path: Path) -> None:
    yaml = tmp_path / "3dim.yaml"
    imported = runner.invoke(
        app, ["import", str(DATA / "ktab/dummyData_3Dim.csv"), "--from", "ktab", "-o", str(yaml)]
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(
        app,
        [
            "run",
            str(yaml),
            "--model",
            "smp",
            "--set",
            "smp.voting_rule=prop_cbc",
            "--set",
            "smp.transitions=stochastic",
            "--seed",
            "3",
            "--events",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "proposes a bargain to" in result.stdout
    bad = runner.invoke(
        app, ["run", "ec-emissions-1994", "--model", "smp", "--set", "smp.pce=markov"]
    )
    assert bad.exit_code == 2
    assert "options.smp.pce" in bad.output and "Traceback" not in bad.output
