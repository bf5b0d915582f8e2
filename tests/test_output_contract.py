"""The JSON output contract (issue 15i): every command's schema is closed where its content
is fixed, so that a payload with an extra key or a wrong type in a nested object fails an
independent validator (``jsonschema``); every non-finite number is ``null`` and the text is
strict JSON; every command with ``--json`` has a schema, and every command that reads a
scenario takes ``--let``."""

from __future__ import annotations

import copy
import functools
import json
import math
from typing import Any

import jsonschema
import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from accord import __version__
from accord.analysis import output
from accord.analysis.output_schema import COMMANDS, NULL_MEANS, output_schema
from accord.cli import app

runner = CliRunner()


def _no_constant(name: str) -> Any:
    raise ValueError(f"not strict JSON: {name}")


def strict(text: str) -> Any:
    """JSON text parsed strictly: NaN, Infinity and -Infinity are refused."""
    return json.loads(text, parse_constant=_no_constant)


def _json(args: list[str]) -> dict[str, Any]:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return strict(res.stdout)


def _errors(data: Any, command: str) -> list[str]:
    schema = output_schema(command)
    validator = jsonschema.Draft202012Validator(schema)
    return [e.message for e in validator.iter_errors(data)]


def _at(data: Any, path: str) -> tuple[Any, Any]:
    """The container and key at a dotted path ('*' is the first key or item)."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        node = node[_key(node, part)]
    return node, _key(node, parts[-1])


def _key(node: Any, part: str) -> Any:
    if isinstance(node, list):
        return 0 if part == "*" else int(part)
    return next(iter(node)) if part == "*" else part


# One real payload per command (small runs), and for each a closed nested object that must
# refuse an extra key and a nested field that must refuse a wrong type.
CASES: dict[str, tuple[list[str], str, str, Any]] = {
    "run": (
        [
            "run",
            "ec-emissions-1994",
            "-m",
            "eum",
            "-m",
            "smp",
            "--rounds",
            "3",
            "--json",
            "--influence",
        ],
        "result.models.0.forecast.*",
        "result.models.0.events.0.round",
        "three",
    ),
    "war range": (["war", "range", "--json"], "result.results.on_scale", "result.results.empty", 1),
    "war screen": (
        ["war", "screen", "--json"],
        "result.results.two_types",
        "result.results.two_types.risky",
        "yes",
    ),
    "war fight": (
        ["war", "fight", "--runs", "100", "--json"],
        "result.results.final_line_quantiles",
        "result.results.runs",
        "many",
    ),
    "war commit": (["war", "commit", "--json"], "result.results", "result.results.fights_now.*", 1),
    "war brink": (["war", "brink", "--json"], "result.results", "result.results.k_star", "x"),
    "war swap": (
        ["war", "swap", "--json"],
        "result.results.months",
        "result.results.months.feasible.0",
        2,
    ),
    "war mediate": (
        ["war", "mediate", "--json"],
        "result.results",
        "result.results.mediators.0.toward",
        3,
    ),
    "war durability": (
        ["war", "durability", "--json"],
        "result.results.agreement",
        "result.results.none.p_relapse_at.*",
        "x",
    ),
    "war winset": (
        ["war", "winset", "--runs", "100", "--json"],
        "result.winset.UKR",
        "result.winset.package.*",
        "x",
    ),
    "settle": (
        ["settle", "--runs", "100", "--months", "12", "--json"],
        "result.p_outcome",
        "result.inputs.0.inputs",
        ["not", "text"],
    ),
    "deals": (
        ["deals", "ec-emissions-1994", "--json"],
        "result.zone",
        "result.solutions.nash.parameters.disagreement.0",
        "x",
    ),
    "game solve": (
        ["game", "solve", "--json"],
        "result.solutions.0.behaviour.0",
        "result.solutions.0.path.0.node",
        "root",
    ),
    "baserate": (
        ["baserate", "--scenario", "ukraine-2024-08", "--json"],
        "result.headline",
        "result.p_end.0.weibull",
        "x",
    ),
    "timeline": (
        ["timeline", "russia-ukraine", "--runs", "50", "--no-models", "--json"],
        "result.dates.0",
        "result.dates.0.p_settled_by_month.0",
        "x",
    ),
    "diff": (
        ["diff", "ukraine-2024-08", "ukraine-2024-11", "--json"],
        "result.changes.0",
        "result.changes.0.new_source",
        "D1",
    ),
    "backtest deu": (
        ["backtest", "deu", "-m", "compromise", "--resamples", "100", "--json"],
        "result.summary.0.by_group.COD",
        "result.predictions.0.fold",
        "x",
    ),
}


@pytest.fixture(scope="module")
def payloads(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = {c: _json(args) for c, (args, *_) in CASES.items()}
    store = tmp_path_factory.mktemp("sweep") / "s"
    res = runner.invoke(
        app,
        ["sweep", "ukraine-2023-03", "-m", "compromise", "--draws", "32", "--out", str(store),
         "--executor", "sequential", "--set", "compromise.decision_rules=false"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    args = ["--output", "compromise_T", "--json", "--method"]
    out["sensitivity tornado"] = _json(["sensitivity", str(store), *args, "tornado"])
    design = tmp_path_factory.mktemp("morris") / "m"
    res = runner.invoke(
        app,
        ["sweep", "ukraine-2023-03", "-m", "compromise", "--design", "morris", "--draws", "2",
         "--out", str(design), "--executor", "sequential",
         "--set", "compromise.decision_rules=false"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out["sensitivity morris"] = _json(["sensitivity", str(design), *args, "morris"])
    out["discover"] = _json(
        ["discover", str(store), "--where", "compromise_T > 50", "--boxes", "1", "--json"]
    )
    return out


@pytest.fixture(scope="module")
def wars(monkeypatch_module: pytest.MonkeyPatch) -> dict[str, Any]:
    """``backtest wars --json`` on every fourth UCDP episode (the whole table takes ~20 s)."""
    from accord.analysis import war_backtest as module
    from accord.datasets import ucdp

    subset = ucdp.episodes().iloc[::4]
    monkeypatch_module.setattr(
        module, "war_backtest", functools.partial(module.war_backtest, subset)
    )
    return _json(["backtest", "wars", "--resamples", "100", "--json"])


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _command(name: str) -> str:
    return name.split(" ")[0] if name.startswith("sensitivity") else name


def test_every_payload_validates(payloads: dict[str, dict[str, Any]]) -> None:
    for name, data in payloads.items():
        command = _command(name)
        jsonschema.Draft202012Validator.check_schema(output_schema(command))
        assert _errors(data, command) == [], name
        assert data["command"] == command and data["accord_version"] == __version__
    assert payloads["sensitivity morris"]["result"]["method"] == "morris"


def test_backtest_wars_json(wars: dict[str, Any]) -> None:
    assert _errors(wars, "backtest wars") == []
    res = wars["result"]
    assert wars["seed"] == 2024 and wars["options"] == {"resamples": 100}
    designs = {r["design"] for r in res["summary"]}
    assert designs == {"temporal", "decade"} == set(res["predictions"])
    assert len(res["verdicts"]) == 2 and res["design"]["horizon_months"] == 12
    rows = res["predictions"]["temporal"]
    assert rows and all(len(r["start"]) == 10 for r in rows)  # ISO dates
    constant = next(r for r in res["summary"] if r["predictor"] == "constant")
    assert constant["brier_vs_constant"] == 0.0
    broken = copy.deepcopy(wars)
    broken["result"]["design"]["extra"] = 1
    assert _errors(broken, "backtest wars")
    broken = copy.deepcopy(wars)
    broken["result"]["summary"][0]["brier"] = "low"
    assert _errors(broken, "backtest wars")


@pytest.mark.parametrize("command", list(CASES))
def test_a_mutated_payload_is_rejected(payloads: dict[str, dict[str, Any]], command: str) -> None:
    _, closed, field, wrong = CASES[command]
    data = payloads[command]
    node, key = _at(data, closed + ".x")
    assert isinstance(node, dict), closed
    extra = copy.deepcopy(data)
    holder, _ = _at(extra, closed + ".x")
    holder["unexpected"] = 1
    assert _errors(extra, command), f"{command}: an extra key at {closed} passed"
    typed = copy.deepcopy(data)
    holder, key = _at(typed, field)
    holder[key] = wrong
    assert _errors(typed, command), f"{command}: {wrong!r} at {field} passed"
    for where in ("what_if", "scenario"):  # the envelope itself is closed too
        env = copy.deepcopy(data)
        env[where] = [{"path": "war.p", "old": 0.1, "new": "high"}] if where == "what_if" else 7
        assert _errors(env, command)


def test_sensitivity_and_discover_mutations(payloads: dict[str, dict[str, Any]]) -> None:
    morris = copy.deepcopy(payloads["sensitivity morris"])
    morris["result"]["numbers"][0]["swing"] = 1.0  # a tornado column in a Morris row
    assert _errors(morris, "sensitivity")
    tornado = copy.deepcopy(payloads["sensitivity tornado"])
    tornado["result"]["numbers"][0]["swing"] = "big"
    assert _errors(tornado, "sensitivity")
    disc = copy.deepcopy(payloads["discover"])
    disc["result"]["event"]["extra"] = 1
    assert _errors(disc, "discover")
    disc = copy.deepcopy(payloads["discover"])
    disc["result"]["boxes"][0]["step"] = 1.5
    assert _errors(disc, "discover")


def test_run_model_options_are_each_models_own() -> None:
    data = _json(["run", "ec-emissions-1994", "-m", "eum", "--rounds", "2", "--json"])
    assert _errors(data, "run") == []
    wrong = copy.deepcopy(data)
    wrong["result"]["models"][0]["options"]["q"] = "high"  # eum's q is a number
    assert _errors(wrong, "run")
    other = copy.deepcopy(data)
    other["result"]["models"][0]["options"]["repetitions"] = 3  # an smp option, not eum's
    assert _errors(other, "run")


def test_no_schema_accepts_anything() -> None:
    """No object in any command's schema is left open without a type for its values."""
    for command in COMMANDS:
        schema = output_schema(command)
        assert NULL_MEANS in schema["description"]
        for name, sub in [("(root)", schema), *schema.get("$defs", {}).items()]:
            if sub.get("type") == "object" and "properties" in sub:
                assert sub.get("additionalProperties") is not True, (command, name)
                assert "additionalProperties" in sub, (command, name)


def _untyped(node: Any, where: str, found: list[str]) -> None:
    """Every place in a schema that accepts any value: ``{}`` or an object with no
    properties and no type for its values."""
    if isinstance(node, dict):
        if node == {} or (
            node.get("type") == "object"
            and "properties" not in node
            and node.get("additionalProperties", True) in (True, {})
        ):
            found.append(where)
        for key, sub in node.items():
            if key in ("properties", "$defs"):
                for name, s in sub.items():
                    _untyped(s, f"{where}.{name}", found)
            else:
                _untyped(sub, f"{where}.{key}", found)
    elif isinstance(node, list):
        for k, sub in enumerate(node):
            _untyped(sub, f"{where}[{k}]", found)


def test_no_value_anywhere_is_left_untyped() -> None:
    for command in COMMANDS:
        found: list[str] = []
        _untyped(output_schema(command), command, found)
        assert found == [], found


# ------------------------------------------------------------------ non-finite numbers


def test_plain_writes_every_non_finite_number_as_null() -> None:
    payload = {
        "a": math.inf, "b": -math.inf, "c": math.nan, "d": np.float64("inf"),
        "e": [np.float32("-inf"), 1.5, {"f": np.nan}], "g": np.array([1.0, np.inf]),
    }  # fmt: skip
    text = output.dumps(output.envelope("diff", payload))
    got = strict(text)["result"]
    assert got == {"a": None, "b": None, "c": None, "d": None, "e": [None, 1.5, {"f": None}],
                   "g": [1.0, None]}  # fmt: skip
    assert "inf" not in text.lower().replace("accord_version", "")


def test_non_finite_numbers_are_null_in_real_outputs(payloads: dict[str, dict[str, Any]]) -> None:
    """settle's median month beyond the horizon and QRE's limit lambda are both null (the
    one convention), and no output anywhere writes an infinity as text."""
    settle = _json(["settle", "ukraine-2024-08", "--runs", "100", "--months", "6", "--json"])
    assert settle["result"]["median_month"] is None
    qre = _json(["game", "solve", "--method", "qre", "--lambda", "inf", "--json"])
    assert qre["result"]["solutions"][0]["parameters"]["lam"] is None
    assert _errors(qre, "game solve") == []
    for data in [*payloads.values(), settle, qre]:
        text = json.dumps({k: v for k, v in data.items() if k != "options"})  # not typed text
        assert '"inf"' not in text and '"-inf"' not in text and '"nan"' not in text.lower()


# ------------------------------------------------------------------ the audit


def _leaves(group: Any, prefix: str = "") -> dict[str, Any]:
    from typer import _click  # typer's own click

    out: dict[str, Any] = {}
    ctx = _click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        full = f"{prefix}{name}"
        if hasattr(cmd, "list_commands"):  # a group
            out.update(_leaves(cmd, full + " "))
        else:
            out[full] = cmd
    return out


# Commands that read a scenario (a file or bundled id, or a series of them)
READS_SCENARIO = {
    "run", "show", "validate", "import", "export", "settle", "baserate", "deals", "report",
    "sweep", "timeline", "diff", "game solve", *(f"war {v}" for v in (
        "range", "screen", "fight", "commit", "brink", "swap", "mediate", "durability",
        "winset")),
}  # fmt: skip


def test_every_json_command_has_a_schema_and_every_scenario_reader_a_let() -> None:
    leaves = _leaves(typer.main.get_command(app))
    options = {
        name: {o for p in cmd.params for o in getattr(p, "opts", [])}
        for name, cmd in leaves.items()
    }
    with_json = {name for name, opts in options.items() if "--json" in opts}
    assert with_json == set(COMMANDS)
    with_let = {name for name, opts in options.items() if "--let" in opts}
    assert with_let == READS_SCENARIO
