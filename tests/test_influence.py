"""Who moved whom (accord.analysis.influence; accord run --influence)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import models, scenarios
from accord.analysis.forecast import run_models
from accord.analysis.influence import influence, rounds_text
from accord.cli import app
from accord.models.base import Event, ModelResult
from accord.scenario import loads

runner = CliRunner()

# Belgium's path in jmckib's replication of Scholz's code, EC data, Q = 1, 10 rounds
# (the same golden numbers as tests/test_eum.py), rounds 0-10.
BELGIUM = [7.000, 8.416, 9.611, 9.962, 4.801, 5.524, 7.472, 8.825, 9.671, 4.145, 4.292]
# Whose offer Belgium took in each round (the EUM log: a compromise every round; with
# the Netherlands in rounds 4 and 9, with France otherwise).
BY_NETHERLANDS = {4, 9}


@pytest.fixture(scope="module")
def ec() -> ModelResult:
    return models.run(
        "eum", scenarios.load("ec-emissions-1994"), preset="scholz_code", q=1.0, rounds=10
    )


def test_belgium_compromises_with_france_in_round_one(ec: ModelResult) -> None:
    first = next(e for e in ec.events if e.round == 1 and e.actor == "Belgium")
    assert (first.kind, first.counterpart) == ("compromise", "France")
    inf = influence(ec, scenarios.load("ec-emissions-1994"))
    belgium = inf.of("eum", "year", "Belgium")
    france = next(link for link in belgium.moved_by if link.by == "France")
    assert france.kind == "compromise"
    assert france.rounds[0] == 1
    assert france.in_round(1) == pytest.approx(BELGIUM[1] - BELGIUM[0], abs=1e-3)
    rows = inf.to_frame()
    row = rows[(rows.actor == "Belgium") & (rows.by == "France")].iloc[0]
    assert row.kind == "compromise" and row.rounds.split()[0] == "1"


def test_eum_attribution_equals_the_hand_computed_split(ec: ModelResult) -> None:
    steps = np.diff(BELGIUM)
    want_nl = sum(steps[t - 1] for t in BY_NETHERLANDS)
    want_fr = sum(steps[t - 1] for t in range(1, 11) if t not in BY_NETHERLANDS)
    belgium = influence(ec, scenarios.load("ec-emissions-1994")).of("eum", "year", "Belgium")
    got = {link.by: link for link in belgium.moved_by}
    assert set(got) == {"France", "Netherlands"}
    assert got["France"].shift == pytest.approx(want_fr, abs=2e-3)
    assert got["Netherlands"].shift == pytest.approx(want_nl, abs=2e-3)
    assert got["Netherlands"].rounds == (4, 9)
    assert got["France"].events == 8
    assert belgium.unattributed == 0.0
    assert belgium.moved == pytest.approx(BELGIUM[-1] - BELGIUM[0], abs=1e-3)
    assert belgium.distance == pytest.approx(float(np.abs(steps).sum()), abs=5e-3)


TINY = """
id: tiny
title: three actors, one issue
salience_scale: 1
issues:
  - {id: x, name: X, scale: {min: 0, max: 20}}
actors:
  - {id: A, name: A, capability: 1, positions: {x: {position: 0, salience: 1}}}
  - {id: B, name: B, capability: 1, positions: {x: {position: 10, salience: 1}}}
  - {id: C, name: C, capability: 1, positions: {x: {position: 20, salience: 1}}}
"""


def _hand_run() -> ModelResult:
    """A run written by hand: A goes 0 -> 10 -> 4 -> 5; B and C stay."""
    traj = np.array([[0, 10, 20], [10, 10, 20], [4, 10, 20], [5, 10, 20]], float)[:, :, None]
    events = (
        Event(1, "x", "confrontation", "A", "B", 0.0, 10.0),
        Event(1, "x", "bargain", "B", "A", 10.0, 3.0),  # a proposal: moves no one
        # two trades push A's vote by -4 each; its position moves -6 (as exchange's
        # start positions move a fraction of the vote move): -3 credited to each
        Event(2, "x", "exchange", "A", "C", 10.0, 6.0),
        Event(2, "x", "exchange", "A", "B", 6.0, 2.0),
        # round 3: A moves +1 with no event
    )
    return ModelResult(
        model="hand",
        scenario_id="tiny",
        options={},
        actor_ids=("A", "B", "C"),
        issue_ids=("x",),
        forecast=np.array([10.0]),
        status=("max_rounds",),
        trajectory=traj,
        events=events,
    )


def test_hand_computed_attribution_on_a_tiny_scenario() -> None:
    inf = influence(_hand_run(), loads(TINY))
    a = inf.of("hand", "x", "A")
    by = {(link.by, link.kind): link for link in a.moved_by}
    assert set(by) == {("B", "confrontation"), ("B", "exchange"), ("C", "exchange")}
    assert by[("B", "confrontation")].shift == 10.0
    assert by[("B", "exchange")].moves == ((2, -3.0),)
    assert by[("C", "exchange")].moves == ((2, -3.0),)
    assert a.unattributed == pytest.approx(1.0)
    assert (a.start, a.end, a.moved, a.distance) == (0.0, 5.0, 5.0, 17.0)
    total = sum(link.shift for link in a.moved_by) + a.unattributed
    assert total == pytest.approx(a.moved)
    for still in ("B", "C"):
        s = inf.of("hand", "x", still)
        assert s.distance == 0 and not s.moved_by and s.unattributed == 0
    assert inf.edges()[0] == ("B", "A", "confrontation", 1, 0.5)
    d = inf.to_dict()["models"]["hand"]["x"]
    assert d["scale_width"] == 20.0
    assert d["actors"]["A"]["unattributed"] == pytest.approx(1.0)
    assert d["actors"]["A"]["moved_by"][0]["by"] == "B"
    frame = inf.to_frame()
    assert frame.loc[frame.actor == "A", "shift"].sum() == pytest.approx(5.0)
    assert list(frame.loc[frame.actor == "B", "events"]) == [0]


@pytest.mark.parametrize("sid", ["ukraine-2024-08", "ec-emissions-1994", "iran-2013"])
def test_credited_moves_add_up_to_each_displacement(sid: str) -> None:
    sc = scenarios.load(sid)
    results = run_models(sc, ["eum", "smp", "exchange", "compromise"], seed=3)
    inf = influence(results, sc)
    # a static model moves no one (nor does exchange on a one-issue scenario: no rounds)
    assert inf.models == tuple(r.model for r in results if r.rounds > 0)
    assert "compromise" not in inf.models and inf.models[:2] == ("eum", "smp")
    for a in inf.actors:
        credited = math.fsum(link.shift for link in a.moved_by)
        assert credited + a.unattributed == pytest.approx(a.moved, abs=1e-9 * inf.scale[a.issue])
        assert math.fsum(link.distance for link in a.moved_by) <= a.distance + 1e-9
        # every move these models make comes from an event
        assert a.unattributed == 0.0, (a.model, a.issue, a.actor)


def test_exchange_credits_the_start_position_share_of_each_trade() -> None:
    """A trade moves a vote by p; the start position moves (0.4 (1 - s) + 0.1) p."""
    sc = scenarios.load("ukraine-2024-08")
    (r,) = run_models(sc, ["exchange"], rounds=3)
    arrays = sc.arrays()
    inf = influence(r, sc)
    checked = 0
    for e in r.events:
        if e.round != 1:
            continue
        i, k = sc.actor_ids.index(e.actor), sc.issue_ids.index(e.issue)
        share = 0.4 * (1 - arrays.salience[i, k]) + 0.1
        link = next(
            lk for lk in inf.of("exchange", e.issue, e.actor).moved_by if lk.by == e.counterpart
        )
        others = [
            f for f in r.events if (f.round, f.actor, f.issue, f.counterpart) == (1, *_key(e))
        ]
        want = share * sum(f.after - f.before for f in others)  # type: ignore[operator]
        assert link.in_round(1) == pytest.approx(want, abs=1e-9)
        checked += 1
    assert checked > 10


def _key(e: Event) -> tuple[str, str, str | None]:
    return (e.actor, e.issue, e.counterpart)


def _cell(stdout: str, actor: str) -> str:
    """The last column of an actor's row in a printed table, its wrapped lines joined."""
    lines = stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(f"│ {actor} "))
    parts = []
    for ln in lines[start:]:
        cells = ln.split("│")
        if ln is not lines[start] and (len(cells) < 3 or cells[1].strip()):
            break
        parts.append(cells[-2].strip())
    return " ".join(parts)


def test_cli_influence_table_names_belgiums_compromise_with_france() -> None:
    res = runner.invoke(app, ["run", "ec-emissions-1994", "-m", "eum", "--influence"])
    assert res.exit_code == 0, res.output
    assert "who moved whom over 100 rounds" in res.stdout
    cell = _cell(res.stdout, "Belgium")
    assert cell.startswith("France (compromise)")
    assert "rounds 1-3, 5-8" in cell and "Netherlands (compromise)" in cell
    assert "held their positions: Netherlands, Germany, France" in res.stdout


def test_cli_influence_json() -> None:
    res = runner.invoke(
        app, ["run", "ec-emissions-1994", "-m", "eum", "-m", "median", "--json", "--influence"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    inf = data["result"]["influence"]
    assert list(inf["models"]) == ["eum"]
    belgium = inf["models"]["eum"]["year"]["actors"]["Belgium"]
    france = belgium["moved_by"][0]
    assert (france["by"], france["kind"]) == ("France", "compromise")
    assert france["moves"][0][0] == 1
    assert france["moves"][0][1] == pytest.approx(8.4159 - 7.0, abs=1e-3)
    assert belgium["start"] == 7.0
    plain = runner.invoke(app, ["run", "ec-emissions-1994", "-m", "eum", "--json"])
    assert json.loads(plain.stdout)["result"]["influence"] is None  # only when asked


def test_influence_with_csv_is_refused() -> None:
    res = runner.invoke(app, ["run", "ec-emissions-1994", "-m", "eum", "--csv", "--influence"])
    assert res.exit_code == 2
    assert "--influence prints a table, or JSON with --json; not CSV" in res.output


def test_static_models_only() -> None:
    res = runner.invoke(app, ["run", "ec-emissions-1994", "-m", "median", "--influence"])
    assert res.exit_code == 0
    assert "no model here has rounds" in res.stdout


def test_rounds_text() -> None:
    assert rounds_text([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    assert rounds_text([]) == ""
