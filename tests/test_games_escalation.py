"""The flagship's escalation game (ukraine-2024-08 game: section), its batch over draws,
the engine's escalation step, the CLI and the tree figure."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import scenarios, war
from accord.cli import app
from accord.errors import ScenarioError
from accord.games import qre_solve, spe_solve
from accord.games.escalation import escalation_step
from accord.games.scenario import game_unsourced, scenario_arrays, scenario_game, scenario_template

SC = scenarios.load("ukraine-2024-08")
BR = SC.war.brinkmanship


def _use_node(game):
    return next(
        c
        for a, c in zip(game.nodes[0].actions, game.nodes[0].children, strict=True)
        if a == "nuclear_use"
    )


def test_flagship_game_is_built_from_the_war_section():
    g = scenario_game(SC)
    assert g.players == ("RUS", "UKR", "USA")
    assert g.nodes[0].actions == ("counteroffensive", "swap_talks", "nuclear_signal", "nuclear_use")
    assert g.is_perfect_information and g.perfect_recall
    assert len(g.nodes) >= 100
    template = scenario_template(SC)
    assert game_unsourced(template) == []  # every game parameter carries a judgement mark


def test_use_branch_reproduces_the_m7_escalation_condition():
    """RUS's value of nuclear use = gain - r_use*D_use - Y*sum(tau*phi), M7's margin."""
    g = scenario_game(SC)
    res = spe_solve(g)
    partners = list(BR.partners.values())
    m7 = war.escalation(
        BR.gain.value,
        BR.r_use.value,
        BR.D_use.value,
        BR.trade_total.value,
        [p.trade_share.value for p in partners],
        [p.curtail.value for p in partners],
    )
    assert res.values[_use_node(g), 0] == pytest.approx(float(m7.margin), rel=1e-12)
    assert not bool(m7.escalate)
    assert next(a for _, a in res.path()) == "counteroffensive"
    # the counteroffensive in closed form from M5's numbers (pie units times pie_bn)
    swap, kursk = SC.war.swap, SC.war.parcels["KURSK"]
    pie_bn = SC.war.settle.spending["RUS"].value * 24 / SC.war.costs["RUS"].value  # settle's rule
    horizon = 6.0
    h = 1 - (1 - swap.recapture.value) ** horizon
    rus = -swap.cost.value * horizon * pie_bn + h * kursk.value["RUS"].value * pie_bn
    ukr = -h * kursk.value["UKR"].value * pie_bn
    np.testing.assert_allclose(res.value, [rus, ukr, 0.5 * ukr], rtol=1e-12)


def test_batch_of_draws_equals_the_loop_and_moves_with_the_numbers():
    rng = np.random.default_rng(2024)
    n = 200
    draws = {
        "war.brinkmanship.partners.CHN.curtail": rng.uniform(0, 1, n),
        "war.brinkmanship.gain": rng.uniform(0, 3000, n),
        "war.swap.recapture": rng.uniform(0, 0.3, n),
    }
    game, pay, pr = scenario_arrays(SC, draws)
    assert pay.shape == (n, len(game.terminals), 3) and pr.shape == (n, len(game.chance_moves))
    batch = spe_solve(game, payoffs=pay, probs=pr)
    for k in (0, 57, 199):
        one = spe_solve(scenario_game(SC, {name: float(v[k]) for name, v in draws.items()}))
        np.testing.assert_allclose(batch.value[k], one.value, rtol=1e-12)
        np.testing.assert_array_equal(batch.behaviour[k], one.behaviour)
    # with a huge gain and China staying put, use becomes the best reply in some draws
    step = escalation_step(SC, draws=draws)
    p_use = step.action_probability("nuclear_use")
    assert p_use.shape == (n,)
    assert set(np.unique(p_use)) <= {0.0, 1.0}
    assert p_use.any() and not p_use.all()
    assert (step.to_frame().shape) == (n, 3 + 4)


def test_escalation_step_qre_gives_a_probability_of_use():
    step = escalation_step(SC, method="qre", lam=np.array([0.0, 0.02, 0.1, np.inf]))
    p = step.action_probability("use") + step.action_probability("nuclear_use")
    assert p[0] == pytest.approx(0.25 + 0.25 * 0.5 * 0.5 + 0.25 * 0.5 * 0.5 * 0.5)
    assert p[0] > p[1] > p[2] > p[3] == 0.0
    assert step.players == ("RUS", "UKR", "USA")
    assert step.value.shape == (4, 3)


def test_game_section_errors_name_the_path():
    data = SC.model_dump(mode="python")
    bad = {"players": ["RUS", "XXX"], "root": {"payoffs": [0, 0]}}
    with pytest.raises(ScenarioError, match=r"game\.players: not an actor id of the scenario"):
        scenario_template(SC.model_copy(update={"game": bad}))
    bad = dict(SC.game)
    bad["root"] = {
        "player": "RUS",
        "moves": {"x": {"payoffs": {"RUS": "war.nothing", "UKR": 0, "USA": 0}}},
    }
    with pytest.raises(
        ScenarioError,
        match=r"game\.root\.moves\.x\.payoffs\.RUS: unknown name 'war\.nothing' in formula",
    ):
        scenario_template(SC.model_copy(update={"game": bad}))
    with pytest.raises(ScenarioError, match="not a game parameter or a war number"):
        scenario_game(SC, {"war.typo": 1.0})
    assert data["id"] == "ukraine-2024-08"


def test_probability_draws_are_checked():
    with pytest.raises(
        ScenarioError,
        match=r"\.probs\.catastrophe: must be a probability in \[0, 1\] \(got 1\.5\)",
    ):
        scenario_arrays(SC, {"war.brinkmanship.r_use": np.array([0.5, 1.5])})


def test_cli_solve_json_and_plot(tmp_path):
    r = CliRunner().invoke(app, ["game", "solve", "--json"])
    assert r.exit_code == 0, r.output
    (data,) = json.loads(r.stdout)["result"]["solutions"]
    assert data["method"] == "spe"
    np.testing.assert_allclose(data["value"], [7.48490, -19.71, -9.855], atol=1e-2)
    assert data["path"][0] == {"node": 0, "action": "counteroffensive"}
    png = tmp_path / "tree.png"
    r = CliRunner().invoke(
        app,
        [
            "game",
            "solve",
            "ukraine-2024-08",
            "--method",
            "qre",
            "--lambda",
            "0.05",
            "--plot",
            str(png),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "qre at lambda = 0.05: value RUS" in r.stdout
    assert png.stat().st_size > 20_000
    html = tmp_path / "tree.html"
    r = CliRunner().invoke(
        app,
        ["game", "solve", "tests/data/games/kuhn_poker.efg", "--plot", str(html), "--depth", "3"],
    )
    assert r.exit_code == 0, r.output
    assert "<svg" in html.read_text()
    r = CliRunner().invoke(app, ["game", "solve", "iran-2013"])
    assert r.exit_code == 2
    assert r.stderr.strip() == "error: game: scenario iran-2013 has no game: section"


def test_tree_figure_collapses_big_trees():
    from accord.report.games import auto_depth, tree_figure

    g = scenario_game(SC)
    d = auto_depth(g, 40)
    assert 1 <= d < max(g.depth)
    fig = tree_figure(g, qre_solve(g, 0.05))
    assert "collapsed past depth" in fig.axes[0].get_title(loc="left")
    full = tree_figure(g, max_depth=max(g.depth))
    assert "collapsed" not in full.axes[0].get_title(loc="left")


def test_validate_checks_the_game_section(tmp_path):
    from accord.scenario.io import dumps

    text = dumps(SC).replace("{value: 24, judgement: true, note", "{value: 24, note")
    assert "cost_horizon: {value: 24, note" in text
    path = tmp_path / "sc.yaml"
    path.write_text(text)
    r = CliRunner().invoke(app, ["validate", str(path), "--strict"])
    assert r.exit_code == 1
    assert "unsourced: game.parameters.cost_horizon" in r.stderr
    bad = text.replace("war.brinkmanship.r_use", "war.brinkmanship.r_us")
    path.write_text(bad)
    r = CliRunner().invoke(app, ["validate", str(path)])
    assert r.exit_code == 2
    assert "unknown name 'war.brinkmanship.r_us' in formula" in r.stderr
