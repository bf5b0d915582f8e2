"""``accord war VERB``: what each verb prints, byte for byte, against recorded outputs.

The fixture ``tests/data/war_golden.json`` holds the exit code, standard output and
standard error of each case below (help, tables, ``--json``, bad input) as recorded when
the verbs' option handling was folded into shared helpers (issue 15j): a refactor of
``accord.cli.war`` must leave every one of them unchanged. The JSON envelope's
``accord_version`` is left out of the comparison (it moves with every release).

A change that means to alter an output re-records the fixture and shows the diff in review:

    ACCORD_RECORD_GOLDEN=1 .venv/bin/python -m pytest tests/test_cli_war_golden.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli import app

FIXTURE = Path(__file__).parent / "data" / "war_golden.json"
RECORD = os.environ.get("ACCORD_RECORD_GOLDEN") == "1"

FLAGSHIPS = ("ukraine-2023-03", "ukraine-2024-08")
# The verbs of accord.cli.war with the options that keep each case fast (fight: 500 runs).
VERBS: dict[str, list[str]] = {
    "range": [],
    "screen": [],
    "fight": ["--runs", "500", "--seed", "3"],
    "commit": [],
    "brink": [],
    "swap": [],
    "mediate": [],
    "durability": [],
}


def _cases() -> dict[str, list[str]]:
    cases: dict[str, list[str]] = {"war --help": ["war", "--help"]}
    for verb, fast in VERBS.items():
        cases[f"{verb} --help"] = ["war", verb, "--help"]
        for sid in FLAGSHIPS:
            cases[f"{verb} {sid}"] = ["war", verb, sid, *fast]
        cases[f"{verb} ukraine-2023-03 --json"] = ["war", verb, "ukraine-2023-03", *fast, "--json"]
        cases[f"{verb} ec-emissions-1994"] = ["war", verb, "ec-emissions-1994", *fast]
        cases[f"{verb} --let"] = ["war", verb, *fast, "--let", "war.p=0.35", "--json"]
        cases[f"{verb} bad --let"] = ["war", verb, "--let", "war.p=abc"]
        cases[f"{verb} unknown scenario"] = ["war", verb, "no-such-scenario"]
        cases[f"{verb} unknown option"] = ["war", verb, "--frobnicate", "1"]
    for verb in ("range", "fight", "commit", "swap", "mediate", "durability"):
        cases[f"{verb} bad --plot"] = ["war", verb, "--plot", "fig.xyz"]
    cases.update(
        {
            "range options": ["war", "range", "--p", "0.4", "--c-a", "0.1", "--rho-a", "0.5"],
            "range --feasible": ["war", "range", "--feasible", "0,0.5,1", "--side-payment", "0.1"],
            "range --feasible --json": ["war", "range", "--feasible", "0,1", "--json"],
            "range bad --feasible": ["war", "range", "--feasible", "a,b"],
            "range bad --feasible and --plot": ["war", "range", "--feasible", "a", "--plot", "x.q"],
            "range --p not a number": ["war", "range", "--p", "abc"],
            "range --p nan": ["war", "range", "--p", "nan"],
            "screen options --json": ["war", "screen", "--c-bar", "5", "--mu", "0.9", "--json"],
            "fight options": [
                *("war", "fight", "--states", "20", "--start", "5", "--theta", "0.45"),
                *("--runs", "300", "--seed", "2", "--no-learn", "--weight", "0.3"),
            ],
            "fight --seed -1": ["war", "fight", "--seed", "-1"],
            "fight bad --states": ["war", "fight", "--states", "0"],
            "commit options --json": ["war", "commit", "--p", "0.4", "--q-a0", "0.2", "--json"],
            "brink options": ["war", "brink", "ukraine-2023-03", "--phi-d", "0.6", "--gain", "5"],
            "swap options --json": ["war", "swap", "--h", "0.05", "--months", "30", "--json"],
            "swap bad --h": ["war", "swap", "--h", "2"],
            "mediate options": ["war", "mediate", "--horizon", "36", "--kappa", "3"],
            "durability options": ["war", "durability", "--guarantees", "1", "--horizon", "36"],
        }
    )
    return cases


CASES = _cases()


def _run(argv: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(app, argv, terminal_width=100)
    return {"exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr}


def _comparable(stdout: str) -> str:
    """``stdout`` with a JSON envelope's ``accord_version`` masked (it moves every release)."""
    return re.sub(r'^(\s*"accord_version": )"[^"]*"', r'\1"*"', stdout, flags=re.M)


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, Any]]:
    if RECORD:
        recorded = {name: _run(argv) for name, argv in CASES.items()}
        for rec in recorded.values():
            rec["stdout"] = _comparable(rec["stdout"])
        FIXTURE.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", "utf-8")
    data: dict[str, dict[str, Any]] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def test_the_fixture_holds_every_case_and_no_other(golden: dict[str, dict[str, Any]]) -> None:
    assert sorted(golden) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_war_verb_output_is_unchanged(name: str, golden: dict[str, dict[str, Any]]) -> None:
    got = _run(CASES[name])
    want = golden[name]
    assert got["exit"] == want["exit"]
    assert got["stderr"] == want["stderr"]
    assert _comparable(got["stdout"]) == want["stdout"]


def test_the_cases_cover_tables_json_help_and_errors(golden: dict[str, dict[str, Any]]) -> None:
    # The comparison is only as good as what was recorded: every verb prints its tables,
    # parses its own JSON, and every bad input exits 2 with a one-line error, no traceback.
    for verb in VERBS:
        assert golden[f"{verb} ukraine-2024-08"]["exit"] == 0
        assert "parameters" in golden[f"{verb} ukraine-2024-08"]["stdout"]
        doc = json.loads(golden[f"{verb} --let"]["stdout"])
        assert doc["command"] == f"war {verb}"
        assert doc["result"]["parameters"]
        assert doc["what_if"] == [{"path": "war.p", "old": 0.2, "new": 0.35}]
        assert "--json" in golden[f"{verb} --help"]["stdout"]
        for bad in ("bad --let", "unknown scenario", "unknown option"):
            rec = golden[f"{verb} {bad}"]
            assert rec["exit"] == 2, (verb, bad)
            assert "Traceback" not in rec["stderr"]
            assert rec["stderr"].strip(), (verb, bad)


# Loads the CLI in a fresh interpreter, shows `accord war --help` and each verb's help, then
# prints which of the modules a war verb needs only when it runs were imported.
_HELP_PROBE = """
import json, sys
from typer.testing import CliRunner
from accord.cli import app
for argv in {argvs!r}:
    assert CliRunner().invoke(app, argv).exit_code == 0, argv
print(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))
"""


def test_war_help_imports_neither_numpy_nor_the_models() -> None:
    argvs = [["war", "--help"], *(["war", verb, "--help"] for verb in [*VERBS, "winset"])]
    modules = ["numpy", "pandas", "scipy", "matplotlib", "accord.war", "accord.analysis"]
    code = _HELP_PROBE.format(argvs=argvs, modules=modules)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_the_help_probe_sees_numpy() -> None:
    # The probe works: running a verb (not its help) imports numpy and the models.
    code = _HELP_PROBE.format(argvs=[["war", "range"]], modules=["numpy", "accord.war"])
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["accord.war", "numpy"]


# -- two inputs that ended in an internal error before (found by the golden sweep) ---------


def test_durability_at_horizon_zero_runs_with_month_zero_hazards() -> None:
    # A horizon of 0 months is valid (P(relapse within 0 months) = 0); its table's hazard
    # factors and "hazard now" are those of month 0, the same as at any other horizon.
    def run(horizon: int) -> dict[str, Any]:
        got = _run(["war", "durability", "--horizon", str(horizon), "--json"])
        assert got["exit"] == 0, got["stderr"]
        return dict(json.loads(got["stdout"]))

    zero, one = run(0), run(1)
    assert zero["result"]["results"]["agreement"] == {"p_relapse": 0.0, "p_relapse_at": {"0": 0.0}}
    text = {h: _run(["war", "durability", "--horizon", str(h)])["stdout"] for h in (0, 1)}

    def cells(out: str, name: str) -> list[str]:
        """The cells after the first of the table row whose first cell is ``name``."""
        for line in out.splitlines():
            parts = [c.strip() for c in line.strip().strip("│").split("│")]
            if parts[0] == name:
                return parts[1:]
        raise AssertionError(f"no row {name!r}")

    for label in ("as on the table", "no features", "all three (full)"):
        assert cells(text[0], label) == ["0.000", cells(text[1], label)[-1]]  # hazard factor
    assert cells(text[0], "hazard now") == cells(text[1], "hazard now")
    assert cells(text[0], "hazard now")[0] == "0.00473"
    assert one["result"]["results"]["agreement"]["p_relapse"] > 0


def test_winset_refuses_a_negative_seed_as_bad_input() -> None:
    got = _run(["war", "winset", "--seed", "-1"])
    assert got["exit"] == 2
    assert "Invalid value for '--seed'" in got["stderr"]
    assert "internal error" not in got["stderr"]
