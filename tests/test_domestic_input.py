"""M10 scenario input: malformed war.domestic sections give file/path/value errors and exit
code 2; the flagships' domestic data is sourced or judgement-marked; accord war winset."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.analysis.settle import settle_inputs
from accord.cli import app
from accord.scenario.war import war_unsourced
from accord.war.settle import settle
from accord.war.twolevel import Domestic

runner = CliRunner()
FLAGSHIPS = ("ukraine-2023-03", "ukraine-2024-08")

F1 = "    factions:\n      RUS_A:\n        member_of: RUS\n        weight: 1\n"
BAD_DOMESTIC = [
    (
        "    factions:\n      RUS_A:\n        member_of: CHN\n        weight: 1\n",
        "war.domestic.factions.RUS_A.member_of: not one of the belligerents (got 'CHN')",
    ),
    (
        "    factions:\n      RUS_A:\n        member_of: RUS\n        weight: 0\n"
        "      RUS_B:\n        member_of: RUS\n        weight: 0\n",
        "war.domestic.factions: weights of RUS's factions must not all be 0 (got 0.0)",
    ),
    (
        F1 + "        saliences: {T: 1.5}\n",
        "war.domestic.factions.RUS_A.saliences.T: must be in [0, 1] (got 1.5)",
    ),
    (
        F1 + "        positions: {T: 150}\n",
        "war.domestic.factions.RUS_A.positions.T: must be on the issue's scale [0, 100] "
        "(got 150.0)",
    ),
    (
        F1 + "        positions: {Q: 10}\n",
        "war.domestic.factions.RUS_A.positions.Q: unknown issue id (got 'Q')",
    ),
    (
        F1 + "        pressure: {wealth: 1}\n",
        "war.domestic.factions.RUS_A.pressure.wealth: must be one of held_land, front_loss, "
        "sanctions (got 'wealth')",
    ),
    (
        "    factions:\n      CHN:\n        member_of: RUS\n        weight: 1\n",
        "war.domestic.factions.CHN: a faction id must not be an actor id (got 'CHN')",
    ),
    (
        F1 + "        weight: {value: 1, source: [ZZZ]}\n",
        "invalid YAML: duplicate key",
    ),
    (
        "    factions:\n      RUS_A:\n        member_of: RUS\n"
        "        weight: {value: 1, source: [ZZZ]}\n",
        "war.domestic.factions.RUS_A.weight.source: unknown source key (got 'ZZZ')",
    ),
    (
        "    ratification: {RUS: 0}\n" + F1,
        "war.domestic.ratification.RUS: must be in (0, 1] (got 0.0)",
    ),
    (
        "    ratification: {UKR: 0.5}\n",
        "war.domestic.ratification.UKR: UKR has no factions (got 'UKR')",
    ),
    (
        "    survival:\n      RUS: {office: 0.2, regime: monarchy}\n",
        "war.domestic.survival.RUS.regime: must be one of democracy, autocracy, mixed "
        "(got 'monarchy')",
    ),
    (
        "    survival:\n      CHN: {office: 0.2, regime: mixed}\n",
        "war.domestic.survival.CHN: not one of the belligerents (got 'CHN')",
    ),
    (
        "    survival:\n      RUS: {office: 0.2, regime: mixed, protector: XXX}\n",
        "war.domestic.survival.RUS.protector: unknown actor id (got 'XXX')",
    ),
    (
        "    survival:\n      RUS: {office: 0.2, regime: mixed, protector: UKR}\n",
        "war.domestic.survival.RUS.protector: a belligerent cannot protect (got 'UKR')",
    ),
    (
        "    survival:\n      RUS: {office: 0.2, regime: mixed, cover: 0.5}\n",
        "war.domestic.survival.RUS.cover: needs a protector (got 0.5)",
    ),
    (
        "    survival:\n      RUS: {office: -1, regime: mixed}\n",
        "war.domestic.survival.RUS.office: must be in [0, inf] (got -1.0)",
    ),
    (
        "    survival:\n      RUS: {office: 0.2, regime: mixed, removal: 2}\n",
        "war.domestic.survival.RUS.removal: must be in [0, 1] (got 2.0)",
    ),
    (
        "    survival:\n      RUS: {office: 0.2, regime: mixed, expectation: 101}\n",
        "war.domestic.survival.RUS.expectation: must be on the issue's scale [0, 100] (got 101.0)",
    ),
    (
        "    survival:\n      RUS: {regime: mixed}\n",
        "war.domestic.survival.RUS.office: required field is missing",
    ),
    (
        "    aims:\n      RUS: {prior_unlimited: 1.5}\n",
        "war.domestic.aims.RUS.prior_unlimited: must be in [0, 1] (got 1.5)",
    ),
]


def _with_domestic(tmp_path: Path, body: str) -> Path:
    text = scenarios.path("ukraine-2024-08").read_text(encoding="utf-8")
    head = text[: text.index("  domestic:\n")]
    f = tmp_path / "bad.yaml"
    f.write_text(head + "  domestic:\n" + body, encoding="utf-8")
    return f


@pytest.mark.parametrize(("body", "message"), BAD_DOMESTIC)
def test_malformed_domestic_section(tmp_path: Path, body: str, message: str) -> None:
    f = _with_domestic(tmp_path, body)
    for cmd in (["validate", str(f)], ["settle", str(f), "--runs", "10", "--no-baserate"]):
        res = runner.invoke(app, cmd)
        assert res.exit_code == 2, res.output
        assert message in res.stderr
        assert "Traceback" not in res.output + res.stderr
    assert "bad.yaml" in res.stderr


def test_winset_needs_factions_or_survival(tmp_path: Path) -> None:
    f = _with_domestic(tmp_path, "    note: nothing\n")
    res = runner.invoke(app, ["war", "winset", str(f), "--runs", "10"])
    assert res.exit_code == 2
    assert "war.domestic: the scenario declares no factions or survival" in res.stderr


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_flagship_domestic_numbers_are_sourced_or_judgement(sid: str) -> None:
    sc = scenarios.load(sid)
    assert sc.war is not None and sc.war.domestic is not None
    assert [p for p in war_unsourced(sc) if ".domestic." in p] == []
    for key in {k for f in sc.war.domestic.factions.values() for k in f.weight.source}:
        src = sc.sources[key]
        assert src.date is None or src.date <= sc.as_of
    aims = sc.war.domestic.aims["RUS"]
    assert aims.prior_unlimited.judgement


def test_no_factions_declared_leaves_settle_unchanged() -> None:
    """An empty hook (no factions, no survival) and no hook give the same numbers."""
    inp, _ = settle_inputs(scenarios.load("ukraine-2023-03"), domestic=False)
    assert inp.domestic is None
    r0 = settle(inp, months=12, runs=500, seed=4)
    r1 = settle(inp.with_(domestic=Domestic()), months=12, runs=500, seed=4)
    for name in ("outcome", "month", "terms", "line", "blocked", "relapse"):
        np.testing.assert_array_equal(getattr(r0, name), getattr(r1, name))


def test_flagship_domestic_hook_is_read() -> None:
    inp, derived = settle_inputs(scenarios.load("ukraine-2024-08"))
    assert inp.domestic is not None
    ids = {f.id for f in inp.domestic.factions}
    assert {"RUS_SEC", "RUS_TECH", "RUS_REG", "UKR_NOCON", "UKR_CON"} == ids
    sec = next(f for f in inp.domestic.factions if f.id == "RUS_SEC")
    # same position as Russia, half its cost: premium (1 - 0.5)·c_RUS
    assert sec.premium == pytest.approx(0.5 * inp.cost[1])
    rus = inp.domestic.leader(1)
    assert rus is not None and rus.protector == "CHN" and rus.expectation == pytest.approx(1.0)
    assert any(d.name == "survival.RUS" for d in derived)


def test_cli_winset_json_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "w.png"
    res = runner.invoke(
        app, ["war", "winset", "ukraine-2023-03", "--runs", "200", "--json", "--plot", str(png)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["result"]
    assert data["sides"] == ["UKR", "RUS"]
    ws = data["winset"]
    for who in ("UKR", "RUS"):
        e = ws[who]
        vals = [v for v in (e["state"], e["factions"], e["leader"]) if v is not None]
        assert e["win_set"] == pytest.approx(max(vals) if who == "UKR" else min(vals))
    post = ws["aims"]["RUS"]["after_rejections_1_2_3"]
    mu, eps = 0.5, 0.1
    assert post[0] == pytest.approx(mu / (mu + (1 - mu) * eps))
    assert 0 <= data["p_leader_blocked"] <= 1
    assert len(data["removal_path"]["RUS"]) == 25
    assert png.stat().st_size > 0
    again = runner.invoke(app, ["war", "winset", "ukraine-2023-03", "--runs", "200", "--json"])
    assert json.loads(again.stdout)["result"] == data


def test_cli_settle_reports_the_two_level_numbers() -> None:
    res = runner.invoke(app, ["settle", "--runs", "300", "--months", "6", "--no-baserate"])
    assert res.exit_code == 0, res.output
    assert "two-level (M10)" in res.stdout and "removal risk" in res.stdout
    off = runner.invoke(
        app, ["settle", "--runs", "300", "--months", "6", "--no-baserate", "--no-domestic"]
    )
    assert "two-level (M10)" not in off.stdout
    js = runner.invoke(app, ["settle", "--runs", "300", "--months", "6", "--json"])
    assert "domestic" in json.loads(js.stdout)["result"]


def test_faction_weights_are_relative() -> None:
    """Weights are normalised within a belligerent (so a partial edit, e.g. accord timeline's
    --explain reverting one faction's weight, stays valid)."""
    sc = scenarios.load("ukraine-2024-08")
    assert sc.war is not None and sc.war.domestic is not None
    d = sc.war.domestic
    doubled = {
        k: f.model_copy(
            update={"weight": f.weight.model_copy(update={"value": 2 * f.weight.value})}
        )
        for k, f in d.factions.items()
    }
    sc2 = sc.model_copy(
        update={
            "war": sc.war.model_copy(
                update={"domestic": d.model_copy(update={"factions": doubled})}
            )
        }
    )
    a, _ = settle_inputs(sc)
    b, _ = settle_inputs(sc2)
    assert a.domestic == b.domestic
