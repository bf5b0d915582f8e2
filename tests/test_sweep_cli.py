"""accord sweep, sensitivity, discover and results on the command line; bad input exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from sweep_helpers import ISHIGAMI
from texts import MINIMAL

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_sweep_sensitivity_discover_query(tmp_path: Path) -> None:
    out = tmp_path / "s"
    code, stdout, stderr = invoke(
        "sweep", "ukraine-2023-03", "-m", "compromise", "--war", "range", "--draws", "64",
        "--out", str(out), "--executor", "sequential", "--seed", "3",
        "--set", "compromise.decision_rules=false",
    )  # fmt: skip
    assert code == 0, stderr
    assert "ETA" in stderr and "uncertain numbers" in stderr
    assert "compromise_T" in stdout and "range_midpoint" in stdout
    assert "clipped values: 0" in stdout
    code, stdout, _ = invoke("results", "query", str(out), "SELECT count(*) AS n FROM results")
    assert code == 0 and "64" in stdout
    code, stdout, _ = invoke("sensitivity", str(out), "--output", "compromise_T", "--top", "3")
    assert code == 0 and "tornado" in stdout
    code, stdout, stderr = invoke(
        "discover", str(out), "--where", "compromise_T > 50", "--boxes", "1",
        "--plot", str(tmp_path / "t.png"),
    )  # fmt: skip
    assert code == 0, stderr
    assert "P(compromise_T > 50) = " in stdout and "box 1: coverage" in stdout
    assert (tmp_path / "t.png").stat().st_size > 1000
    code, stdout, _ = invoke("results", "show", str(out))
    assert code == 0 and "ukraine-2023-03" in stdout and "judgement" not in stdout


def test_sobol_design_on_the_command_line(tmp_path: Path) -> None:
    sc = tmp_path / "ish.yaml"
    sc.write_text(ISHIGAMI)
    out = tmp_path / "o"
    code, _, stderr = invoke(
        "sweep", str(sc), "--war", "range", "--draws", "8", "--design", "sobol", "--out", str(out)
    )
    assert code == 2 and "the scenario has no war section" in stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["sweep", "iran-2013", "--draws", "5", "--out", "x"],
            "error: --model: give a model (-m NAME), a war verb (--war VERB) or --settle",
        ),
        (
            ["sweep", "iran-2013", "--war", "peace", "--out", "x"],
            "error: --war: unknown war verb (range, screen, fight, commit, brink, swap, mediate, durability) (got 'peace')",
        ),
        (
            ["sensitivity", "nowhere", "--output", "x"],
            "error: nowhere: no sweep here (no manifest.json)",
        ),
        (
            ["results", "query", "nowhere", "SELECT 1"],
            "error: nowhere: no sweep here (no manifest.json)",
        ),
    ],
)
def test_bad_sweep_command_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, stderr = invoke(*args)
    assert code == 2
    assert stderr.strip() == message


def test_bad_uncertainty_file_and_queries(tmp_path: Path) -> None:
    sc = tmp_path / "m.yaml"
    sc.write_text(MINIMAL)
    u = tmp_path / "u.yaml"
    u.write_text("parameters:\n  actors[UKR].positions.T.salience: {dist: normal, sd: 5}\n")
    code, _, stderr = invoke(
        "sweep", str(sc), "-m", "compromise", "--uncertainty", str(u), "--out", str(tmp_path / "x")
    )
    assert code == 2
    assert stderr.strip() == (
        f"error: {u}: uncertainty.parameters.actors[UKR].positions.T.salience: the distribution "
        "reaches outside the valid range [0, 100]; say bounds: clip or bounds: reject (got '[-inf, inf]')"
    )
    code, _, stderr = invoke("sweep", str(sc), "-m", "compromise", "--out", str(tmp_path / "y"))
    assert code == 2 and "no uncertain numbers" in stderr
    u.write_text(
        "parameters:\n  actors[UKR].positions.T.salience: {dist: normal, sd: 5, bounds: clip}\n"
    )
    out = tmp_path / "z"
    code, stdout, stderr = invoke(
        "sweep", str(sc), "-m", "compromise", "--uncertainty", str(u), "--out", str(out),
        "--draws", "50", "--executor", "sequential",
    )  # fmt: skip
    assert code == 0, stderr
    assert "clipped values: " in stdout and "clipped values: 0;" not in stdout
    code, _, stderr = invoke("results", "query", str(out), "SELECT nope FROM results")
    assert code == 2 and stderr.startswith("error: query: query failed: Binder Error")
    code, _, stderr = invoke("sensitivity", str(out), "--output", "compromise_X")
    assert code == 2 and "not an output of this sweep (compromise_T)" in stderr
    code, _, stderr = invoke(
        "sensitivity", str(out), "--output", "compromise_T", "--method", "sobol"
    )
    assert code == 2 and "sobol indices need a sweep with --design sobol; this one is mc" in stderr
    code, _, stderr = invoke(
        "sweep", str(sc), "-m", "compromise", "--uncertainty", str(u), "--out", str(out)
    )
    assert code == 2 and "already holds a sweep: --resume" in stderr
    code, _, stderr = invoke("discover", str(out), "--where", "compromise_T >")
    assert code == 2 and "query failed" in stderr
