"""accord settle's escalation step decided by the scenario's escalation game (issue 17)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.analysis.settle import GAME_LAMBDA, escalation_game, run_settle, settle_inputs
from accord.cli import app
from accord.errors import ModelError
from accord.games.escalation import escalation_step
from accord.war.settle import settle

SID = "ukraine-2024-08"
RUNS = 1500


def _p_use(sc: scenarios.Scenario, method: str, gain: float, **draws: float) -> float:
    st = escalation_step(
        sc, method=method, lam=GAME_LAMBDA, draws={"war.brinkmanship.gain": gain, **draws}
    )
    return float(st.action_probability("nuclear_use") + st.action_probability("use"))


def test_default_is_the_threshold_rule_unchanged() -> None:
    sc = scenarios.load(SID)
    base = settle(settle_inputs(sc)[0], runs=RUNS, seed=3)
    default, _ = run_settle(sc, runs=RUNS, seed=3)
    thr, _ = run_settle(sc, runs=RUNS, seed=3, escalation="threshold")
    for res in (default, thr):
        assert np.array_equal(res.escalated, base.escalated)
        assert res.to_frame().equals(base.to_frame())
    game, _ = run_settle(sc, runs=RUNS, seed=3, escalation="game")
    assert not np.array_equal(game.escalated, base.escalated)


def test_decide_always_equals_threshold_with_certain_escalation() -> None:
    sc = scenarios.load(SID)
    inp, _ = settle_inputs(sc, {"gain": 1e9})
    esc = inp.escalation
    assert esc is not None
    sure = settle(inp, runs=RUNS, seed=4)
    always = settle(
        replace(inp, escalation=replace(esc, decide=lambda g: np.ones_like(g))), runs=RUNS, seed=4
    )
    never = settle(
        replace(inp, escalation=replace(esc, decide=lambda g: np.zeros_like(g))), runs=RUNS, seed=4
    )
    assert np.array_equal(always.escalated, sure.escalated)
    assert (sure.escalated >= 0).mean() > 0.9
    assert (never.escalated < 0).all()


def test_game_escalation_falls_with_partners_curtailment() -> None:
    sc = scenarios.load(SID)
    names = list(sc.war.brinkmanship.partners) if sc.war and sc.war.brinkmanship else []
    went, p_game = [], []
    for phi in (0.0, 0.3, 0.9):
        over = {f"phi.{k}": phi for k in names}
        res, _ = run_settle(sc, over, runs=RUNS, seed=6, escalation="game")
        went.append(res.escalated >= 0)
        curtail = {f"war.brinkmanship.partners.{k}.curtail": phi for k in names}
        p_game.append(_p_use(sc, "qre", 400.0, **curtail))
    p = [w.mean() for w in went]
    assert p[0] > p[1] > p[2]
    assert p_game[0] > p_game[1] > p_game[2]
    # common random numbers: a run that escalates at higher phi escalates at lower phi
    assert not (went[2] & ~went[0]).any()


@pytest.mark.parametrize("gain", [200.0, 400.0, 800.0])
def test_p_escalation_is_the_games_action_probability(gain: float) -> None:
    # one gain for every run (no spread) and a parcel never retaken: every run faces the
    # held parcel in month 1, so the share escalating is the game's P(use) at that gain
    sc = scenarios.load(SID)
    over = {"gain_spread": 0.0, "h.KURSK": 0.0, "gain": gain}
    p = _p_use(sc, "qre", gain)
    res, _ = run_settle(sc, over, runs=4000, seed=9, escalation="game")
    went = res.escalated >= 0
    assert (res.escalated[went] == 1).all()
    se = np.sqrt(max(p * (1 - p), 1e-4) / went.size)
    assert abs(went.mean() - p) < 4 * se + 0.005  # the 0.5% that end before month 1's step
    assert went.mean() <= p + 4 * se


def test_game_spe_decides_each_run_purely() -> None:
    sc = scenarios.load(SID)
    over = {"gain_spread": 0.0, "h.KURSK": 0.0}
    lo, hi = _p_use(sc, "spe", 100.0), _p_use(sc, "spe", 2000.0)
    assert (lo, hi) == (0.0, 1.0)
    none, _ = run_settle(sc, {**over, "gain": 100.0}, runs=500, escalation="game-spe")
    assert (none.escalated < 0).all()
    allw, _ = run_settle(sc, {**over, "gain": 2000.0}, runs=500, escalation="game-spe")
    assert (allw.escalated >= 0).mean() > 0.99


def test_bad_escalation_options() -> None:
    sc = scenarios.load(SID)
    inp, _ = settle_inputs(sc)
    with pytest.raises(ModelError, match="must be one of threshold, game, game-spe"):
        escalation_game(sc, inp, "games")
    old = scenarios.load("ukraine-2023-03")
    with pytest.raises(ModelError, match="needs the scenario's game: section"):
        run_settle(old, runs=10, escalation="game")
    r = CliRunner().invoke(app, ["settle", SID, "--runs", "10", "--escalation", "nash"])
    assert r.exit_code == 2
    assert "--escalation: must be one of threshold, game, game-spe (got 'nash')" in r.output
    r = CliRunner().invoke(app, ["settle", SID, "--runs", "300", "--escalation", "game"])
    assert r.exit_code == 0, r.output
    assert "P(escalation by RUS)" in r.output
