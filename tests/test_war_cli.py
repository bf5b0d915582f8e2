"""The ``war:`` scenario section and ``accord war`` sub-commands."""

from __future__ import annotations

import builtins
import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord import scenarios, war
from accord.analysis.war import commit_inputs, fight_inputs, range_inputs, screen_inputs
from accord.cli import app

runner = CliRunner()


def cells(text: str, name: str) -> list[str]:
    """The cells of the table row whose first cell is ``name``."""
    for line in text.splitlines():
        parts = [c.strip() for c in line.strip().strip("│").split("│")]
        if parts and parts[0] == name:
            return parts[1:]
    raise AssertionError(f"no row {name!r} in:\n{text}")


# -- the flagship war sections (ukraine-scenarios.md §4.3) -----------------------------


@pytest.mark.parametrize(
    ("sid", "p", "c_a", "c_b", "mu", "start"),
    [("ukraine-2023-03", 0.35, 0.15, 0.10, 0.6, 5), ("ukraine-2024-08", 0.20, 0.20, 0.12, 0.7, 4)],
)
def test_flagship_war_sections_match_the_design_table(
    sid: str, p: float, c_a: float, c_b: float, mu: float, start: int
) -> None:
    sc = scenarios.load(sid)
    assert sc.war is not None
    assert sc.war.belligerents == ("UKR", "RUS") and sc.war.issue == "T"
    assert range_inputs(sc) == {"p": p, "c_A": c_a, "c_B": c_b}
    assert screen_inputs(sc)["mu"] == mu
    assert sc.war.delta is not None and sc.war.delta.value == 0.98
    c = commit_inputs(sc)
    assert c["q_A0"] == pytest.approx(p - 0.15)  # commitment shift 0.15, Ukraine's view
    f = fight_inputs(sc)
    assert f["start"] == start  # the front state nearest the status quo of T
    assert sc.war.brinkmanship is not None
    shares = {k: v.trade_share.value for k, v in sc.war.brinkmanship.partners.items()}
    assert shares == {"CHN": 0.338, "IND": 0.091, "BRA": 0.015}


def test_flagship_commitment_windows_are_empty() -> None:
    # the design note's prediction: for plausible gammas war persists whatever the split
    for sid in ("ukraine-2023-03", "ukraine-2024-08"):
        w = war.commitment_window(**commit_inputs(scenarios.load(sid)))
        assert not w.nonempty


# -- CLI -------------------------------------------------------------------------------


def test_war_range_default_scenario() -> None:
    result = runner.invoke(app, ["war", "range"])
    assert result.exit_code == 0, result.output
    assert "ukraine-2024-08" in result.stdout
    assert "T 32.0 (92,335 km²)" in result.stdout  # high = p + c_B = 0.32
    assert "status quo T 20.4 is inside the range" in result.stdout


def test_war_range_overrides_and_indivisibility() -> None:
    result = runner.invoke(
        app,
        ["war", "range", "ukraine-2023-03", "--p", "0.3", "--c-a", "0.15", "--c-b", "0.1",
         "--feasible", "0,1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert cells(out, "low")[0] == "0.150" and cells(out, "high")[0] == "0.400"
    assert cells(out, "p") == ["0.3", "command line"]
    assert cells(out, "indivisible: settles")[0] == "False"
    assert cells(out, "indivisible: gap")[0] == "0.150"


def test_war_screen_closed_form() -> None:
    result = runner.invoke(
        app, ["war", "screen", "--p", "0.5", "--c-a", "0.1", "--c-bar", "0.3", "--p-w", "0.7",
              "--p-s", "0.4", "--c-b", "0.1", "--mu", "0.5"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert cells(out, "x*")[0] == "0.600"
    assert cells(out, "P(war)")[0] == "0.333"
    assert cells(out, "mu*")[0] == "0.600"
    assert cells(out, "offer")[1].startswith("risky offer")


def test_war_fight_is_seeded() -> None:
    args = ["war", "fight", "ukraine-2023-03", "--runs", "2000", "--seed", "3"]
    a, b = runner.invoke(app, args), runner.invoke(app, args)
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    assert "P(settled)" in a.stdout and "mean battles" in a.stdout
    common = runner.invoke(
        app, ["war", "fight", "--alpha-a", "3", "--beta-a", "7", "--alpha-b", "3", "--beta-b", "7",
              "--runs", "100"],
    )  # fmt: skip
    assert cells(common.stdout, "P(settled)")[0] == "1.000"
    assert cells(common.stdout, "mean battles")[0] == "0.00 ± 0.00"


def test_war_commit_and_brink() -> None:
    result = runner.invoke(app, ["war", "commit"])
    assert result.exit_code == 0, result.output
    assert "war persists whatever the split" in result.stdout
    opened = runner.invoke(
        app, ["war", "commit", "--p", "0.4", "--q-a0", "0.35", "--q-b0", "0.59", "--gamma-a", "0.2",
              "--gamma-b", "0.1", "--delta", "0.95", "--d-a", "0.02", "--d-b", "0.02"],
    )  # fmt: skip
    assert cells(opened.stdout, "window")[0] == "[0.087, 0.121]"
    brink = runner.invoke(app, ["war", "brink"])
    assert brink.exit_code == 0, brink.output
    assert cells(brink.stdout, "E")[0] == "142.6"
    assert cells(brink.stdout, "threshold")[0] == "342.6"
    assert cells(brink.stdout, "escalate")[0] == "False"
    assert cells(brink.stdout, "k*")[0] == "0.400"  # (a pi V / (b r D))^(1/(b-a)) = 0.8/2


@pytest.mark.parametrize(
    ("cmd", "suffix"), [("range", ".png"), ("fight", ".html"), ("commit", ".svg")]
)
def test_war_plots(tmp_path: Path, cmd: str, suffix: str) -> None:
    path = tmp_path / f"{cmd}{suffix}"
    extra = ["--runs", "500"] if cmd == "fight" else []
    result = runner.invoke(app, ["war", cmd, *extra, "--plot", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 1000
    if suffix == ".png":
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "<svg" in path.read_text(encoding="utf-8")


def test_war_plot_without_matplotlib_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = runner.invoke(app, ["war", "range", "--plot", str(tmp_path / "r.png")])
    assert result.exit_code == 2
    assert "plots need matplotlib" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["war", "range", "--p", "1.5"], "error: p: must be in [0, 1] (got 1.5)"),
        (
            ["war", "range", "ec-emissions-1994"],
            "error: p: no value: give --p or a scenario whose war section sets it",
        ),
        (
            ["war", "range", "--feasible", "0,x"],
            "error: --feasible: expected numbers separated by commas (got '0,x')",
        ),
        (["war", "fight", "--start", "30"], "error: start: must be <= N = 20 (got 30)"),
        (
            ["war", "range", "--plot", "r.gif"],
            "error: r.gif: unknown plot format '.gif'; use .png, .svg, .pdf, .html",
        ),
    ],
)
def test_war_bad_command_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == message


def test_parameter_table_says_where_each_number_comes_from() -> None:
    res = runner.invoke(app, ["war", "range", "ukraine-2024-08", "--c-b", "0.3"])
    assert res.exit_code == 0, res.output
    assert cells(res.output, "p")[1] == "scenario [design, D42, D2] (judgement)"
    assert cells(res.output, "c_B") == ["0.3", "command line"]
    assert cells(res.output, "c_A")[1] == "scenario [design, D30] (judgement)"  # UKR's, not RUS's
    res = runner.invoke(app, ["war", "commit", "ukraine-2024-08"])
    assert cells(res.output, "q_A0")[1].startswith("p - shift; shift from scenario")
    assert cells(res.output, "rho_bar")[1] == "default"
    res = runner.invoke(app, ["war", "fight", "ukraine-2024-08", "--runs", "100"])
    assert cells(res.output, "start")[1] == "status quo of T"


def test_default_run_ends_with_the_settle_headline() -> None:
    from accord.analysis.settle import headline_lines, run_settle

    sc = scenarios.load("ukraine-2024-08")
    res = runner.invoke(app, ["run", "-m", "compromise"])
    assert res.exit_code == 0, res.output
    assert "war layer, UKR vs RUS on T: accord settle, 2,000 runs, seed 0" in res.output
    settled, _ = run_settle(sc, runs=2000, seed=0)
    for line in headline_lines(settled):
        assert line in res.output
    json_run = runner.invoke(app, ["run", "-m", "compromise", "--json"])
    assert "war layer" not in json_run.output
    iran = runner.invoke(app, ["run", "iran-2013", "-m", "compromise"])
    assert "war layer" not in iran.output


def test_show_lists_every_war_number_with_its_source() -> None:
    res = runner.invoke(app, ["show", "ukraine-2024-08"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "war: UKR (side A, the pie) vs RUS (side B) on issue T" in res.output
    assert cells(res.output, "p")[:2] == ["0.2", "design, D42, D2 (judgement)"]
    assert cells(res.output, "brinkmanship.partners.CHN.trade_share")[:2] == ["0.338", "D16"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["range", "--feasible", "a,b"],
            "error: --feasible: expected numbers separated by commas (got 'a,b')",
        ),
        (
            ["fight", "--plot", "fan.bmp"],
            "error: fan.bmp: unknown plot format '.bmp'; use .png, .svg, .pdf, .html",
        ),
        (
            ["commit", "--plot", "w.gif"],
            "error: w.gif: unknown plot format '.gif'; use .png, .svg, .pdf, .html",
        ),
    ],
)
def test_bad_flags_fail_before_any_work(args: list[str], message: str) -> None:
    res = runner.invoke(app, ["war", *args])
    assert res.exit_code == 2
    assert message in res.output
    assert "parameters" not in res.output and "Traceback" not in res.output


# -- M5 swap, M6 mediate, M9 durability; --json on every verb ---------------------------


def test_war_swap_flagship_is_blocked_by_the_reputational_cost() -> None:
    res = runner.invoke(app, ["war", "swap"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "land for land: RUS's KURSK, held by UKR" in res.stdout
    assert cells(res.stdout, "first feasible month")[0] == "never"
    # without psi the depreciating chip meets OCC_1000 (0.0074 to UKR) once
    # U_swap = 0.02·0.88^t <= 0.0074, i.e. t >= ln(0.37)/ln(0.88) = 7.8: month 8
    assert cells(res.stdout, "without ψ")[0] == "8"
    assert cells(res.stdout, "psi")[:2] == ["0.5", "scenario [design] (judgement)"]
    assert "the reputational cost blocks the swap" in res.stdout
    # psi = 0 on the command line opens it
    opened = runner.invoke(app, ["war", "swap", "--psi", "0", "--json"])
    data = json.loads(opened.stdout)["result"]
    assert data["results"]["first_feasible"] == 8
    assert data["parameters"]["psi"] == {"value": 0.0, "from": "command line"}
    assert data["results"]["holder"] == "UKR" and data["results"]["owner"] == "RUS"
    assert data["results"]["months"]["feasible"][8] is True


def test_war_swap_on_a_scenario_without_one_is_refused() -> None:
    res = runner.invoke(app, ["war", "swap", "ukraine-2023-03"])
    assert res.exit_code == 2
    assert res.stderr.strip() == (
        "error: war.swap: the scenario has no land-for-land swap (no parcel held by the "
        "belligerent that does not own it)"
    )


def test_war_mediate_flagship() -> None:
    res = runner.invoke(app, ["war", "mediate", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["result"]
    rows = {r["mediator"]: r for r in data["results"]["mediators"]}
    # Kydd: China, biased toward Russia, is believed advising Russia to concede, not Ukraine
    assert rows["CHN"]["credible_RUS"] and not rows["CHN"]["credible_UKR"]
    # credibility margin for RUS: b·[(1 - r_L)·x_risky + r_L·w - x_safe] - r_L·k with B's
    # safe/risky shares 1 - p_w + c_A = 0.9, 1 - p_s + c_A = 1.1 and war share 1 - p = 0.8
    assert rows["CHN"]["margin_RUS"] == pytest.approx(0.6 * (0.8 * 1.1 + 0.2 * 0.8 - 0.9) - 0.02)
    # Favretto: P(settle | 0.6) on the shared default shape
    assert rows["CHN"]["p_settle"] == pytest.approx(0.1 + 0.9 * (0.5 * 0.4**2 + 0.6 * 0.6**2))
    # Beardsley: a deal bought with leverage relapses more than the natural one
    assert rows["CHN"]["p_relapse_RUS"] > data["results"]["p_relapse_natural"]
    assert data["results"]["least_effective_bias"] == pytest.approx(1 / (1 + 0.6 / 0.5))
    table = runner.invoke(app, ["war", "mediate"], env={"COLUMNS": "200"})
    assert cells(table.stdout, "CHN")[:2] == ["0.6 toward RUS", "scenario [P1, P4] (judgement)"]


def test_war_durability_flagship() -> None:
    res = runner.invoke(app, ["war", "durability", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["result"]
    assert data["parameters"]["guarantees"]["value"] == 0.5
    # constant hazard: 1 - exp(-120·λ0·exp(-β_g·0.5)), λ0 = ln 2 / 120
    want = 1 - math.exp(-math.log(2) * math.exp(-0.4 * 0.5))
    assert data["results"]["agreement"]["p_relapse"] == pytest.approx(want)
    assert data["results"]["none"]["p_relapse"] == pytest.approx(0.5)
    p = [data["results"][k]["p_relapse"] for k in ("none", "agreement", "all")]
    assert p[0] > p[1] > p[2]
    bought = runner.invoke(
        app, ["war", "durability", "--gap", "0.05", "--l0", "0.05", "--lam", "0.9", "--json"]
    )
    assert json.loads(bought.stdout)["result"]["results"]["agreement"]["p_relapse"] > want


@pytest.mark.parametrize(
    ("cmd", "suffix"), [("swap", ".png"), ("mediate", ".svg"), ("durability", ".html")]
)
def test_new_war_plots(tmp_path: Path, cmd: str, suffix: str) -> None:
    path = tmp_path / f"{cmd}{suffix}"
    result = runner.invoke(app, ["war", cmd, "--plot", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 1000


@pytest.mark.parametrize(
    "args",
    [
        ["range"], ["screen"], ["fight", "--runs", "200"], ["commit"], ["brink"], ["swap"],
        ["mediate"], ["durability"],
    ],
)  # fmt: skip
def test_every_war_verb_prints_json(args: list[str]) -> None:
    res = runner.invoke(app, ["war", *args, "--json"])
    assert res.exit_code == 0, res.output
    envelope = json.loads(res.stdout)  # nothing but the JSON object on stdout
    assert envelope["scenario"]["id"] == "ukraine-2024-08"
    assert envelope["scenario"]["as_of"] == "2024-08-25"
    assert envelope["command"] == "war " + args[0]
    data = envelope["result"]
    assert data["sides"] == {"A": "UKR", "B": "RUS"}
    assert data["results"] and all(
        "value" in v and "from" in v for v in data["parameters"].values()
    )


def test_json_numbers_match_the_tables() -> None:
    data = json.loads(runner.invoke(app, ["war", "range", "--json"]).stdout)["result"]
    assert data["results"]["high"] == pytest.approx(0.32)
    assert data["results"]["on_scale"]["high"] == pytest.approx(32.0)
    assert data["results"]["status_quo"]["inside"] is True
    assert data["parameters"]["c_A"]["from"] == "scenario [design, D30] (judgement)"
    fight = json.loads(runner.invoke(app, ["war", "fight", "--runs", "500", "--json"]).stdout)[
        "result"
    ]
    assert set(fight["results"]["p_outcome"]) == {"settled", "UKR won", "RUS won", "fighting"}
    assert sum(fight["results"]["p_outcome"].values()) == pytest.approx(1.0)
    commit = json.loads(runner.invoke(app, ["war", "commit", "--json"]).stdout)["result"]
    assert commit["results"]["nonempty"] is False and commit["results"]["low"] is None  # NaN


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["swap", "--h", "1.5"], "error: h: must be in [0, 1] (got 1.5)"),
        (["swap", "--psi", "-1"], "error: psi: must be in [0, inf] (got -1.0)"),
        (["swap", "--months", "-2"], "error: months: must be an integer >= 0 (got -2)"),
        (["mediate", "--kappa", "1"], "error: kappa: must be in (1, inf] (got 1.0)"),
        (["mediate", "--r-l", "2"], "error: r_L: must be in [0, 1] (got 2.0)"),
        (
            ["mediate", "ec-emissions-1994"],
            "error: p: no value: give --p or a scenario whose war section sets it",
        ),
        (["durability", "--dmz", "1.5"], "error: dmz: must be in [0, 1] (got 1.5)"),
        (
            ["durability", "--horizon", "-1"],
            "error: horizon: must be an integer >= 0 (months) (got -1)",
        ),
        (
            ["durability", "--plot", "h.jpg"],
            "error: h.jpg: unknown plot format '.jpg'; use .png, .svg, .pdf, .html",
        ),
    ],
)
def test_new_war_verbs_refuse_bad_input(args: list[str], message: str) -> None:
    res = runner.invoke(app, ["war", *args])
    assert res.exit_code == 2, res.output
    assert res.stderr.strip() == message
    assert "Traceback" not in res.output


def test_default_run_summarises_swap_mediators_and_durability() -> None:
    res = runner.invoke(app, ["run", "-m", "compromise"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert (
        "land for land (UKR holds RUS's KURSK): never within the horizon; without RUS's "
        "reputational cost from month 8"
    ) in res.output
    assert (
        "mediators (Kydd): CHN credible to RUS; IND credible to RUS; TUR credible to neither"
        in (res.output)
    )
    want = 1 - math.exp(-math.log(2) * math.exp(-0.4 * 0.5))
    assert f"P(relapse within 120 months) {want:.2f}" in res.output
    march = runner.invoke(app, ["run", "ukraine-2023-03", "-m", "compromise"])
    assert "land for land" not in march.output  # no Ukrainian-held Russian land in March 2023
