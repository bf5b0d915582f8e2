"""Machine-readable output (issue 15a): one JSON envelope on every command that computes,
valid against its published schema (``accord schema --output``) by an independent
validator (``jsonschema``, not pydantic); final positions equal the trajectory CSV; spreads
of stochastic models; the trajectory figure."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from accord import __version__, models, scenarios
from accord.analysis.output import scenario_hash, spread
from accord.analysis.output_schema import COMMANDS, output_schema
from accord.cli import app

runner = CliRunner()
WAR = [s for s in scenarios.ids() if scenarios.load(s).war is not None]


def _no_constant(name: str) -> None:
    raise ValueError(f"not strict JSON: {name}")


def _json(args: list[str]) -> dict:
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout, parse_constant=_no_constant)  # no NaN/Infinity tokens


def _valid(data: dict, command: str) -> None:
    schema = output_schema(command)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["command"] == command and data["accord_version"] == __version__
    assert data["what_if"] == []  # no --let: the scenario ran as its file says


@pytest.mark.parametrize("sid", scenarios.ids())
def test_run_json_valid_and_positions_equal_trajectory_csv(sid: str, tmp_path: Path) -> None:
    data = _json(["run", sid, "--json", "--trajectory", "--out", str(tmp_path)])
    _valid(data, "run")
    sc = scenarios.load(sid)
    assert data["scenario"]["id"] == sid and data["scenario"]["sha256"] == scenario_hash(sc)
    assert data["seed"] == 0 and data["options"]["trajectory"] is True
    res = data["result"]
    assert (res["war"] is None) == (sc.war is None)
    assert res["influence"] is None  # filled only by --influence (issue 15c)
    assert res["models"], "at least one model ran"
    for m in res["models"]:
        assert set(m["positions"]) == set(sc.actor_ids)
        path = tmp_path / f"{sid}-{m['model']}-trajectory.csv"
        frame = pd.read_csv(path)
        if m["positions_from"] == "scenario":  # a static model: no rounds, nobody moves
            assert frame.empty and m["trajectory"] is None
            want = sc.arrays().position
            for i, aid in enumerate(sc.actor_ids):
                for k, iid in enumerate(sc.issue_ids):
                    got = m["positions"][aid][iid]
                    assert (got is None and np.isnan(want[i, k])) or got == want[i, k]
            continue
        last = frame[frame["round"] == frame["round"].max()]
        assert len(last) == len(sc.actor_ids) * len(sc.issue_ids)
        for row in last.itertuples():
            got = m["positions"][row.actor][row.issue]
            if np.isnan(row.position):
                assert got is None
            else:
                assert got == pytest.approx(row.position, rel=1e-12, abs=1e-12)
            assert m["trajectory"][row.actor][row.issue][-1] == got
        assert len(m["forecast_path"][sc.issue_ids[0]]) == m["rounds"] + 1


def test_run_json_influence_validates() -> None:
    data = _json(["run", "ec-emissions-1994", "-m", "eum", "--json", "--influence"])
    _valid(data, "run")
    assert data["options"]["influence"] is True
    assert "eum" in data["result"]["influence"]["models"]


def test_run_json_war_layer_and_rules() -> None:
    data = _json(["run", "ukraine-2024-08", "--json", "-m", "compromise", "-m", "eum"])
    _valid(data, "run")
    war = data["result"]["war"]
    assert war["sides"] == {"A": "UKR", "B": "RUS"} and war["issue"] == "T"
    assert war["settle"]["runs"] == 2000 and len(war["settle"]["p_settled_by_month"]) == 25
    low, high = war["overview"]["range"]["low"], war["overview"]["range"]["high"]
    assert low <= high
    t = {m["model"]: m["forecast"]["T"] for m in data["result"]["models"]}
    rule = t["compromise"]["decision_rule"]  # T needs both belligerents: the front stands
    assert rule["bound"] == t["compromise"]["value"] == 20.4 and rule["unbound"] > 20.4
    assert any(line.startswith("T:") for line in data["result"]["decision_rules"])
    assert "trajectory" not in data["result"]["models"][0]  # only with --trajectory


def test_exchange_repetitions_quantiles_in_json_and_table() -> None:
    sets = ["--set", "exchange.variant=random_rate", "--set", "exchange.repetitions=12"]
    args = ["run", "ukraine-2024-08", "-m", "exchange", *sets, "--seed", "3"]
    data = _json([*args, "--json"])
    _valid(data, "run")
    (m,) = data["result"]["models"]
    assert m["stochastic"] and m["draws"] == 12
    sc = scenarios.load("ukraine-2024-08")
    ex = models.get("exchange")(variant="random_rate", repetitions=12)
    from accord.analysis.forecast import run_models

    (ref,) = run_models(sc, ["exchange"], {"exchange": ex.options.model_dump()}, seed=3)
    draws = np.asarray(ref.extra["repetition_forecasts"])
    for k, iid in enumerate(sc.issue_ids):
        q = m["forecast"][iid]["quantiles"]
        assert q["q10"] == pytest.approx(np.quantile(draws[:, k], 0.1))
        assert q["q90"] == pytest.approx(np.quantile(draws[:, k], 0.9))
        assert m["forecast"][iid]["value"] == pytest.approx(draws[:, k].mean())
    text = runner.invoke(app, args).stdout
    assert "10/50/90 % quantiles of 12 stochastic draws" in text and "q90" in text


def test_smp_repetitions_equal_batched_draws_and_single_draw_says_so() -> None:
    sc = scenarios.load("ukraine-2024-08")
    smp = models.get("smp")
    pooled = smp(transitions="stochastic", repetitions=5).run(sc, rng=7)
    draws = smp(transitions="stochastic").run_draws(sc, 5, rng=7)  # the batched kernel
    np.testing.assert_allclose(pooled.forecast, draws.forecasts.mean(axis=0), atol=1e-9)
    np.testing.assert_allclose(
        spread(pooled), np.quantile(draws.forecasts, [0.1, 0.5, 0.9], axis=0), atol=1e-9
    )
    children = np.random.default_rng(7).spawn(5)  # the draws one by one, unbatched
    singles = [smp(transitions="stochastic").run(sc, rng=g) for g in children]
    k = sc.issue_ids.index("T")  # T: both belligerents veto; the front stands
    before = np.mean([r.extra["decision_rule"]["T"]["unbound"] for r in singles])
    rec = pooled.extra["decision_rule"]["T"]
    assert rec["unbound"] == pytest.approx(before) and rec["bound"] == pooled.forecast[k]
    np.testing.assert_allclose(
        pooled.forecast, np.mean([r.forecast for r in singles], axis=0), atol=1e-9
    )
    one = smp(transitions="stochastic").run(sc, rng=7)
    assert one.extra["stochastic"] and spread(one) is None
    assert any(d.code == "one_draw" for d in one.diagnostics)
    det = smp().run(sc, rng=7)
    assert not det.extra.get("stochastic", False)
    assert not any(d.code == "one_draw" for d in det.diagnostics)
    text = runner.invoke(
        app, ["run", "ukraine-2024-08", "-m", "smp", "--set", "smp.transitions=stochastic"]
    ).stdout
    assert "one draw of many" in text and "smp.repetitions=50" in text


@pytest.mark.parametrize(
    "verb", ["range", "screen", "fight", "commit", "brink", "swap", "mediate", "durability"]
)
def test_war_verbs_json_valid(verb: str) -> None:
    extra = ["--runs", "100"] if verb == "fight" else []
    for sid in WAR:  # every bundled scenario with a war section
        res = runner.invoke(app, ["war", verb, sid, "--json", *extra])
        if res.exit_code == 2:  # the scenario lacks this model's inputs (no swap parcels)
            assert verb == "swap" and "no land-for-land swap" in res.output
            continue
        data = json.loads(res.stdout, parse_constant=_no_constant)
        _valid(data, f"war {verb}")
        assert data["result"]["sides"] == {"A": "UKR", "B": "RUS"}
        assert data["seed"] == (0 if verb == "fight" else None)


def test_war_json_records_command_line_overrides() -> None:
    data = _json(["war", "range", "--p", "0.3", "--json"])
    _valid(data, "war range")
    assert data["options"] == {"p": 0.3}
    assert data["result"]["parameters"]["p"] == {"value": 0.3, "from": "command line"}


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("settle", ["settle", "ukraine-2023-03", "--runs", "200", "--months", "12", "--json"]),
        ("war winset", ["war", "winset", "ukraine-2024-08", "--runs", "200", "--json"]),
        ("deals", ["deals", "ec-emissions-1994", "--json"]),
        ("game solve", ["game", "solve", "--json"]),
        ("baserate", ["baserate", "--scenario", "ukraine-2024-08", "--json"]),
        ("baserate", ["baserate", "--type", "interstate", "--json"]),
        ("diff", ["diff", "ukraine-2024-08", "ukraine-2024-11", "--json"]),
        ("timeline", ["timeline", "russia-ukraine", "--runs", "100", "--no-models", "--json"]),
    ],
)
def test_other_commands_json_valid(command: str, args: list[str]) -> None:
    data = _json(args)
    _valid(data, command)
    if "--runs" in args:
        assert data["seed"] == 0 and data["options"]["runs"] == int(args[args.index("--runs") + 1])


def test_every_json_command_has_a_schema_and_the_cli_prints_it() -> None:
    every = json.loads(runner.invoke(app, ["schema", "--output"]).stdout)
    assert set(every) == set(COMMANDS)
    one = json.loads(runner.invoke(app, ["schema", "--output", "war", "fight"]).stdout)
    assert one == output_schema("war fight")
    scen = json.loads(runner.invoke(app, ["schema"]).stdout)  # the scenario schema still
    assert "actors" in scen["properties"]
    bad = runner.invoke(app, ["schema", "--output", "nope"])
    assert bad.exit_code == 2 and "--output" in bad.output and "nope" in bad.output
    # the schema is not vacuous: a payload missing a position or with a wrong type fails
    data = _json(["run", "ec-emissions-1994", "--json", "-m", "eum", "--rounds", "2"])
    broken = json.loads(json.dumps(data))
    broken["result"]["models"][0]["positions"]["France"]["year"] = "far"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, output_schema("run"))
    del data["result"]["models"][0]["positions"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, output_schema("run"))


def _png_chunks(blob: bytes) -> list[bytes]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(blob):
        (length,) = struct.unpack(">I", blob[pos : pos + 4])
        kind = blob[pos + 4 : pos + 8]
        body = blob[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", blob[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc
        kinds.append(kind)
        pos += 12 + length
    return kinds


def test_run_plot_draws_a_png(tmp_path: Path) -> None:
    png = tmp_path / "run.png"
    res = runner.invoke(app, ["run", "ec-emissions-1994", "--plot", str(png)])
    assert res.exit_code == 0, res.output
    blob = png.read_bytes()
    kinds = _png_chunks(blob)
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height = struct.unpack(">II", blob[16:24])
    assert width > 600 and height > 300 and len(blob) > 20_000
    bad = runner.invoke(app, ["run", "ec-emissions-1994", "--plot", str(tmp_path / "x.gif")])
    assert bad.exit_code == 2 and "unknown plot format" in bad.output


def test_trajectory_figure_panels() -> None:
    from accord.report.trajectories import trajectory_figure

    sc = scenarios.load("ukraine-2024-08")
    from accord.analysis.forecast import run_models

    results = run_models(sc, ["eum", "smp", "compromise"], {}, rounds=5)
    fig = trajectory_figure(sc, results)
    axes = fig.get_axes()
    assert len(axes) == 3 * len(sc.issues)  # eum, smp, then one row for static models
    first = axes[0]  # eum on T: one line per actor (6 rounds), status quo, forecast lines
    actor_lines = [ln for ln in first.get_lines() if len(ln.get_xdata()) == 6]
    assert len(actor_lines) == len(sc.actors)


def test_sensitivity_and_discover_json_valid(tmp_path: Path) -> None:
    out = tmp_path / "s"
    res = runner.invoke(
        app,
        ["sweep", "ukraine-2023-03", "-m", "compromise", "--draws", "48", "--out", str(out),
         "--executor", "sequential", "--seed", "5", "--set", "compromise.decision_rules=false"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    sens = _json(["sensitivity", str(out), "--output", "compromise_T", "--json"])
    _valid(sens, "sensitivity")
    assert sens["seed"] == 5 and sens["scenario"]["id"] == "ukraine-2023-03"
    assert sens["scenario"]["sha256"] == scenario_hash(scenarios.load("ukraine-2023-03"))
    swings = [row["swing"] for row in sens["result"]["numbers"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    disc = _json(["discover", str(out), "--where", "compromise_T > 50", "--boxes", "1", "--json"])
    _valid(disc, "discover")
    ev = disc["result"]["event"]
    assert 0 <= ev["low"] <= ev["p"] <= ev["high"] <= 1 and ev["n"] == 48
    assert ev["p"] == pytest.approx(ev["hits"] / ev["n"])


def test_matplotlib_is_a_main_dependency() -> None:
    """`make run` installs accord without extras: --plot must work there."""
    from importlib.metadata import requires

    plain = [r for r in requires("accord") or [] if "extra ==" not in r]
    assert any(r.replace(" ", "").startswith("matplotlib>=") for r in plain), plain


def test_run_csv_carries_the_spread() -> None:
    args = ["run", "ukraine-2024-08", "-m", "smp", "-m", "median", "--csv"]
    sets = ["--set", "smp.transitions=stochastic", "--set", "smp.repetitions=4"]
    rows = pd.read_csv(io.StringIO(runner.invoke(app, [*args, *sets]).stdout))
    data = _json(["run", "ukraine-2024-08", "-m", "smp", "-m", "median", *sets, "--json"])
    smp = next(m for m in data["result"]["models"] if m["model"] == "smp")
    for row in rows[rows["model"] == "smp"].itertuples():
        q = smp["forecast"][row.issue]["quantiles"]
        assert (row.q10, row.q50, row.q90) == pytest.approx((q["q10"], q["q50"], q["q90"]))
    assert rows[rows["model"] == "median"][["q10", "q50", "q90"]].isna().all().all()


def test_what_if_in_the_envelope_and_the_hash_of_the_scenario_as_run() -> None:
    """With --let (issue 15b) the envelope lists the change, and the scenario's hash is that
    of the scenario the command ran on, not of the file."""
    let = ["--let", "war.p=0.6"]
    for command, args in (
        ("war range", ["war", "range", "ukraine-2024-08", "--json"]),
        ("game solve", ["game", "solve", "ukraine-2024-08", "--json"]),
        ("deals", ["deals", "ukraine-2023-03", "--json"]),
    ):
        data = _json([*args, *let])
        schema = output_schema(command)
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
        sid = data["scenario"]["id"]
        old = scenarios.load(sid).war.p.value
        assert data["what_if"] == [{"path": "war.p", "old": old, "new": 0.6}], command
        assert data["scenario"]["sha256"] != scenario_hash(scenarios.load(sid)), command
