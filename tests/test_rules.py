"""Decision rules that bind: hand-made issues with known answers, brute-force oracles,
the flagship territory issue and red lines."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from accord import models, scenarios
from accord.cli import app
from accord.errors import ScenarioError
from accord.models.rules import acceptable_set
from accord.scenario import scenario_from_data
from accord.scenario.importers.deu import NICE_VOTES
from accord.scenario.schema import Scenario

BARGAINING = ("compromise", "median", "eum", "smp", "exchange")


def issue_scenario(
    actors: dict[str, tuple[float, float, float]],
    *,
    sq: float | None,
    rule: dict[str, Any] | None,
    red: dict[str, dict[str, float]] | None = None,
    issues: int = 1,
) -> Scenario:
    """``actors``: id -> (position, salience 0-1, capability) on issue x; on y and z the
    position is 100 - position and the salience 1.05 - salience (so that actors trade)."""
    ids = ["x", "y", "z"][:issues]
    issue_list: list[dict[str, Any]] = []
    for iid in ids:
        issue: dict[str, Any] = {"id": iid, "name": iid}
        if sq is not None:
            issue["status_quo"] = sq
        if rule is not None:
            issue["decision_rule"] = rule
        issue_list.append(issue)
    return scenario_from_data(
        {
            "id": "hand",
            "title": "hand-made",
            "salience_scale": 1,
            "issues": issue_list,
            "actors": [
                {
                    "id": aid,
                    "name": aid,
                    "capability": c,
                    "positions": {
                        iid: {
                            "position": x if iid == "x" else 100 - x,
                            "salience": s if iid == "x" else round(1.05 - s, 2),
                            **(
                                {"acceptable": {**red[aid], "judgement": True}}
                                if red and aid in red
                                else {}
                            ),
                        }
                        for iid in ids
                    },
                }
                for aid, (x, s, c) in actors.items()
            ],
        }
    )


def test_a_veto_player_at_the_status_quo_blocks_every_move() -> None:
    sc = issue_scenario(
        {"a": (90, 1, 10), "b": (80, 1, 10), "v": (30, 0.5, 1), "c": (10, 1, 3)},
        sq=30,
        rule={"rule": "other", "veto": ["v"]},
    )
    acc = acceptable_set(sc, 0)
    assert acc is not None and (acc.lo, acc.hi) == (30, 30)
    for name in (*BARGAINING, "council_pivot", "costly_compromise"):
        res = models.run(name, sc, **({"cost": 0.0} if name == "costly_compromise" else {}))
        assert res.forecast[0] == 30, name
        unbound = models.run(name, sc, decision_rules=False).forecast[0]
        if unbound != 30 and name in BARGAINING:
            record = res.extra["decision_rule"]["x"]
            assert record["unbound"] == unbound and record["shift"] == pytest.approx(30 - unbound)
            assert any(d.code == "decision_rule" for d in res.diagnostics)
            frame = res.to_frame()
            assert frame.loc["x", "unbound"] == unbound and frame.loc["x", "acceptable_hi"] == 30


def test_a_veto_player_away_from_the_status_quo_allows_moves_it_likes() -> None:
    sc = issue_scenario(
        {"a": (90, 1, 10), "v": (40, 1, 1)}, sq=30, rule={"rule": "other", "veto": ["v"]}
    )
    acc = acceptable_set(sc, 0)
    assert acc is not None and (acc.lo, acc.hi) == (30, 50)  # v's winset of 30: |x-40| <= 10
    assert models.run("median", sc).forecast[0] == 50  # the median 90, as far as v allows


def _nice_council(outside: tuple[str, ...]) -> Scenario:
    """EU-27 with Nice votes (before Croatia: 345 votes): every member but ``outside`` at
    80, those at 0 with the status quo."""
    members = {k: v for k, v in NICE_VOTES.items() if k not in ("com", "ep", "cr")}
    assert sum(members.values()) == 345 and len(members) == 27
    actors = {k: (0.0 if k in outside else 80.0, 1.0, float(v)) for k, v in members.items()}
    rule = {"rule": "qualified_majority", "threshold": 255 / 345, "members": 14 / 27}
    return issue_scenario(actors, sq=0, rule={**rule, "votes": members})


def test_a_qmv_coalition_one_vote_short_cannot_move_the_outcome() -> None:
    short = _nice_council(("de", "fr", "it", "ee"))  # 23 members with 345 - 91 = 254 votes
    acc = acceptable_set(short, 0)
    assert acc is not None and (acc.lo, acc.hi) == (0, 0)
    for name in (*BARGAINING, "council_pivot"):
        assert models.run(name, short).forecast[0] == 0, name
    enough = _nice_council(("de", "fr", "it", "mt"))  # 23 members with 255 votes
    acc = acceptable_set(enough, 0)
    assert acc is not None and (acc.lo, acc.hi) == (0, 100)  # up to 2 * 80 - 0, cut by the scale
    assert models.run("council_pivot", enough).forecast[0] == 80
    # 257 votes, but only 13 members: the member quota (14 of 27) blocks
    big = ("de", "fr", "it", "uk", "es", "pl", "ro", "nl", "be", "cz", "el", "hu", "pt")
    assert sum(NICE_VOTES[k] for k in big) == 257
    few = _nice_council(tuple(k for k in NICE_VOTES if k not in big and k not in ("com", "ep")))
    acc = acceptable_set(few, 0)
    assert acc is not None and acc.hi == 0


def test_unanimity_returns_the_point_nearest_the_proposer_inside_the_winset() -> None:
    # members at 40, 55, 70; status quo 20: each accepts |x - x_i| <= |20 - x_i|, so the
    # winset is [20, 60] (bound by the member at 40); the setter wants 90
    council = {"m1": (40.0, 1.0, 1.0), "m2": (55.0, 1.0, 1.0), "m3": (70.0, 1.0, 1.0)}
    rule = {"rule": "unanimity", "votes": {"m1": 1, "m2": 1, "m3": 1}}
    sc = issue_scenario({**council, "com": (90.0, 1.0, 1.0)}, sq=20, rule=rule)
    acc = acceptable_set(sc, 0)
    assert acc is not None and (acc.lo, acc.hi) == (20, 60) and acc.veto == ("m1", "m2", "m3")
    assert models.run("agenda_setter", sc).forecast[0] == 60
    # a setter inside the winset gets its ideal point; one below it, the status quo side
    inside = issue_scenario({**council, "com": (45.0, 1.0, 1.0)}, sq=20, rule=rule)
    assert models.run("agenda_setter", inside).forecast[0] == 45
    below = issue_scenario({**council, "com": (5.0, 1.0, 1.0)}, sq=20, rule=rule)
    assert models.run("agenda_setter", below).forecast[0] == 20


def test_codecision_splits_the_difference_inside_both_winsets() -> None:
    council = {"m1": (40.0, 1.0, 1.0), "m2": (55.0, 1.0, 1.0), "m3": (70.0, 1.0, 1.0)}
    rule = {"rule": "majority", "votes": {"m1": 1, "m2": 1, "m3": 1}}
    # status quo 0: the Council majority accepts [0, 110] -> [0, 100]; the Parliament at
    # 90 accepts [0, 100]; the Council pivot nearest the Parliament is the core's top, 55
    sc = issue_scenario({**council, "ep": (90.0, 1.0, 1.0)}, sq=0, rule=rule)
    assert models.run("codecision", sc).forecast[0] == pytest.approx((90 + 55) / 2)
    assert models.run("codecision", sc, weight=1.0).forecast[0] == pytest.approx(90)


@st.composite
def voting_problems(draw: st.DrawFn) -> tuple[list[float], list[float], float, float, float]:
    n = draw(st.integers(3, 9))
    grid = st.integers(0, 20).map(lambda v: 5.0 * v)
    x = [draw(grid) for _ in range(n)]
    w = [float(draw(st.integers(1, 29))) for _ in range(n)]
    q = draw(grid)
    theta = draw(st.sampled_from([0.5, 0.6, 255 / 345, 0.9, 1.0]))
    cost = draw(st.sampled_from([0.0, 5.0, 12.5]))
    return x, w, q, theta, cost


@settings(max_examples=60, deadline=None)
@given(voting_problems())
def test_the_voting_winset_matches_brute_force(
    problem: tuple[list[float], list[float], float, float, float],
) -> None:
    """Oracle: on a fine grid, x passes iff voters weakly preferring it (with the cost)
    hold at least theta of the votes; the acceptable set is the hull of passing points."""
    x, w, q, theta, cost = problem
    actors = {f"a{i}": (x[i], 1.0, w[i]) for i in range(len(x))}
    rule = {"rule": "qualified_majority", "threshold": theta}
    sc = issue_scenario(actors, sq=q, rule=rule)
    acc = acceptable_set(sc, 0, cost=cost)
    assert acc is not None
    grid = np.linspace(0, 100, 4001)
    xa, wa = np.array(x), np.array(w)
    support = np.abs(grid[:, None] - xa) <= np.abs(q - xa) + cost + 1e-9
    passes = (support * wa).sum(axis=1) >= theta * wa.sum() - 1e-9
    passes |= np.isclose(grid, q)
    inside = grid[passes]
    assert acc.lo == pytest.approx(max(inside.min(), 0), abs=0.03)
    assert acc.hi == pytest.approx(min(inside.max(), 100), abs=0.03)


def test_without_a_status_quo_veto_players_keep_to_their_pareto_set() -> None:
    sc = issue_scenario(
        {"a": (90, 1, 10), "v": (20, 1, 1), "w": (35, 1, 1)},
        sq=None,
        rule={"rule": "consensus", "veto": ["v", "w"]},
    )
    assert models.run("compromise", sc).forecast[0] == 35


def test_a_veto_players_red_line_binds_and_others_do_not() -> None:
    actors = {"a": (90.0, 1.0, 10.0), "v": (60.0, 1.0, 1.0), "b": (70.0, 1.0, 5.0)}
    rule = {"rule": "other", "veto": ["v"]}
    red = {"v": {"max": 55.0}, "b": {"max": 10.0}}
    sc = issue_scenario(actors, sq=50, rule=rule, red=red)
    acc = acceptable_set(sc, 0)
    assert acc is not None and (acc.lo, acc.hi) == (50, 55)
    assert acc.limits[1] == "v red line"
    # a red line that excludes the status quo and everything v would accept: nothing is
    # acceptable, the status quo stands
    sc = issue_scenario(actors, sq=50, rule=rule, red={"v": {"min": 75.0}})
    acc = acceptable_set(sc, 0)
    assert acc is not None and acc.empty
    assert models.run("compromise", sc).forecast[0] == 50


def test_the_exchange_model_makes_no_trade_beyond_a_red_line() -> None:
    # two issues, two blocs on opposite sides with opposite salience ratios: they trade
    actors = {
        "a": (10.0, 0.9, 1.0),
        "b": (90.0, 0.2, 1.0),
        "c": (30.0, 0.5, 1.0),
        "d": (80.0, 0.6, 1.0),
    }
    free = issue_scenario(actors, sq=None, rule=None, issues=2)
    traded = models.run("exchange", free, rounds=3)
    assert sum(traded.extra["realised"]) > 0
    votes = traded.extra["voting_positions"]
    moved = {
        (free.actor_ids[i], free.issue_ids[k])
        for i in range(4)
        for k in range(2)
        if abs(votes[0, i, k] - free.arrays().position[i, k]) > 1e-9
    }
    assert moved
    # pin every mover's vote where it stands on the issue it supplied: no trade is left
    red: dict[str, dict[str, float]] = {}
    for aid, _ in moved:
        pos = free.actor(aid).positions
        red[aid] = {"min": pos["x"].position, "max": pos["x"].position}
    pinned = issue_scenario(actors, sq=None, rule=None, red=red, issues=2)
    res = models.run("exchange", pinned, rounds=3)
    v = res.extra["voting_positions"]
    for aid in red:
        i = pinned.actor_ids.index(aid)
        assert np.all(np.abs(v[:, i, 0] - pinned.arrays().position[i, 0]) <= 1e-9)


@pytest.mark.parametrize("sid", ["ukraine-2023-03", "ukraine-2024-08"])
def test_flagship_territory_lies_in_the_belligerents_joint_acceptable_set(sid: str) -> None:
    sc = scenarios.load(sid)
    t = sc.issue("T")
    assert t.decision_rule is not None and set(t.decision_rule.veto) == {"RUS", "UKR"}
    assert t.status_quo is not None
    q = t.status_quo.value
    # the belligerents' winsets of the front line, by hand
    lo, hi = t.scale.min, t.scale.max
    for vid in ("RUS", "UKR"):
        x = sc.actor(vid).positions["T"].position
        lo, hi = max(lo, x - abs(q - x)), min(hi, x + abs(q - x))
    for name in models.available():
        model = models.get(name)()
        if model.unavailable(sc):
            continue
        f = model.run(sc, rng=0).forecast_of("T")
        if name == "costly_compromise":
            pass  # its own, wider set; checked below at zero cost
        elif lo <= hi:
            assert lo - 1e-9 <= f <= hi + 1e-9, (name, f, lo, hi)
        else:
            assert f == q, name
    zero_cost = models.run("costly_compromise", sc, cost=0.0).forecast_of("T")
    assert lo - 1e-9 <= zero_cost <= hi + 1e-9


def test_accord_run_says_the_territory_forecasts_respect_the_vetoes() -> None:
    res = CliRunner().invoke(app, ["run", "ukraine-2024-08"])
    assert res.exit_code == 0, res.output
    line = next(s for s in res.stdout.splitlines() if s.strip().startswith("T: consensus"))
    assert "veto RUS, UKR" in line and "[20.4, 20.4]" in line
    assert "every model's forecast lies inside it" in line
    assert "median 80 -> 20.4" in line
    assert "not run here: agenda_setter" in res.output


def test_red_lines_are_checked() -> None:
    base = {
        "id": "r",
        "title": "r",
        "salience_scale": 1,
        "issues": [
            {
                "id": "x",
                "name": "x",
                "decision_rule": {"rule": "qualified_majority", "votes": {"zz": 1}},
            }
        ],
        "actors": [
            {
                "id": "a",
                "name": "a",
                "capability": 1,
                "positions": {
                    "x": {"position": 5, "salience": 1, "acceptable": {"min": 60, "max": 40}}
                },
            }
        ],
    }
    with pytest.raises(ScenarioError) as err:
        scenario_from_data(base)
    paths = {p.path for p in err.value.problems}
    assert "issues[0].decision_rule.votes.zz" in paths
    assert "issues[0].decision_rule.threshold" in paths
    assert "actors[0].positions.x.acceptable" in paths
