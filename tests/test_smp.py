"""KTAB's Spatial Model of Politics against KTAB's own reference run.

The oracle is ``tests/data/ktab/20170530_ref-dummyData_3Dim.txt``, the console log KTAB's
``smpc`` wrote for ``dummyData_3Dim.csv`` with default parameters (KTAB's CI compares
its "prob :" lines, ``examples/smp/SMPC_RefRuns_Compare.sh``). Every number below is parsed
from that log; nothing is typed in by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord import models
from accord.models.base import ModelResult
from accord.scenario.importers import ktab

DATA = Path(__file__).parent / "data" / "ktab"
LOG = DATA / "20170530_ref-dummyData_3Dim.txt"


@dataclass(frozen=True)
class Reference:
    states: int
    positions: np.ndarray  # (states, actors, dims), 0-100, printed to 0.1
    prob: np.ndarray  # (states, actors), printed to 1e-4
    risk: np.ndarray  # (states, actors), printed to 1e-3
    challenges: pd.DataFrame  # turn, initiator, target, p_win, gain
    bargains: dict[tuple[int, int, str], np.ndarray]  # first turn: (i, j, view) -> (2, dims)


def _parse() -> Reference:
    lines = LOG.read_text(encoding="utf-8").splitlines()
    states = int(re.search(r"There were (\d+) states", "\n".join(lines)).group(1))  # type: ignore[union-attr]
    pos: dict[tuple[int, int], list[float]] = {}
    prob: dict[int, list[float]] = {}
    risk: list[list[float]] = []
    rows = []
    bargains: dict[tuple[int, int, str], np.ndarray] = {}
    for n, line in enumerate(lines):
        if m := re.match(r"SActor-(\d+), Pstn(\d+):\s+(.*)$", line):
            pos[int(m.group(1)), int(m.group(2)) - 1] = [float(v) for v in m.group(3).split()]
        elif m := re.match(r"SActor-(\d+), prob :\s+(.*)$", line):
            prob[int(m.group(1))] = [float(v) for v in m.group(2).split()]
        elif line.startswith("Inferred risk attitudes"):
            block = []
            for follow in lines[n + 1 :]:
                if not re.match(r"\s*[+-]\d", follow):
                    break
                block.append(float(follow))
            risk.append(block)
        elif m := re.match(r"In turn (\d+) actor (\d+) has most advantageous target (\d+)", line):
            est = next(x for x in lines[n + 1 : n + 4] if x.startswith("Est by"))
            got = re.search(r"prob ([\d.]+) that .* of ([+-][\d.]+)", est)
            assert got is not None
            rows.append(
                (int(m.group(1)), int(m.group(2)), int(m.group(3)), *map(float, got.groups()))
            )
        elif m := re.match(r"(Bargain|Power-weighted compromise)\s+\[\d+, (\d+):(\d+)\]", line):
            who = re.search(r"from\s+(\d+)'s", line)
            view = "pw" if who is None else who.group(1)
            found = [x for x in lines[n + 1 : n + 4] if "adopt:" in x][:2]
            coords = [[float(v) for v in x.split("adopt:")[1].split()] for x in found]
            key = (int(m.group(2)), int(m.group(3)), view)
            bargains.setdefault(key, np.array(coords))
    n_act = len(prob)
    dims = 1 + max(k for _, k in pos)
    positions = np.array(
        [[[pos[i, k][t] for k in range(dims)] for i in range(n_act)] for t in range(states)]
    )
    return Reference(
        states=states,
        positions=positions,
        prob=np.array([prob[i] for i in range(n_act)]).T,
        risk=np.array(risk),
        challenges=pd.DataFrame(rows, columns=["turn", "initiator", "target", "p_win", "gain"]),
        bargains=bargains,
    )


REF = _parse()


@pytest.fixture(scope="module")
def run() -> ModelResult:
    return models.run("smp", ktab.read(DATA / "dummyData_3Dim.csv"))


def test_reference_log_is_parsed_completely() -> None:
    assert REF.states == 11
    assert REF.positions.shape == (11, 7, 3)
    assert REF.prob.shape == (11, 7)
    assert REF.risk.shape == (11, 7)
    assert len(REF.challenges) == 59


def test_eleven_states_and_stopping_rule(run: ModelResult) -> None:
    assert run.rounds + 1 == REF.states
    assert run.status == ("converged",) * 3


def test_every_position_in_every_state_within_0_05(run: ModelResult) -> None:
    assert run.trajectory is not None
    # KTAB prints one decimal, so an exact reproduction is within 0.05 (+ float noise).
    gap = np.abs(run.trajectory - REF.positions)
    assert gap.max() <= 0.05 + 1e-9, np.unravel_index(gap.argmax(), gap.shape)


def test_every_winning_probability_within_1e_3(run: ModelResult) -> None:
    win = run.extra["win_probability"][:, :, 0]
    assert np.abs(win - REF.prob).max() < 1e-3
    # the three issues form one space: one probability per actor and state
    assert np.array_equal(win, run.extra["win_probability"][:, :, 2])


def test_inferred_risk_attitudes_in_every_state(run: ModelResult) -> None:
    risk = run.extra["risk_attitude"][:, :, 0]
    assert np.abs(risk - REF.risk).max() <= 5e-4 + 1e-9


def test_every_challenge_target_probability_and_gain(run: ModelResult) -> None:
    ours = run.extra["bargains"]
    assert len(ours) == len(REF.challenges)
    ours = ours.assign(
        turn=ours["round"] - 1,
        i=ours["initiator"].str[-2:].astype(int),
        j=ours["receiver"].str[-2:].astype(int),
    ).sort_values(["turn", "i"])
    ref = REF.challenges.sort_values(["turn", "initiator"])
    assert ours["i"].tolist() == ref["initiator"].tolist()
    assert ours["j"].tolist() == ref["target"].tolist()
    assert np.abs(ours["p_win"].to_numpy() - ref["p_win"].to_numpy()).max() <= 5e-5 + 1e-9
    assert np.abs(ours["gain"].to_numpy() - ref["gain"].to_numpy()).max() <= 5e-5 + 1e-9


@pytest.mark.parametrize(
    ("bargain_model", "view"),
    [("init_only", "init"), ("init_rcvr", "rcvr"), ("power_weighted", "power_weighted")],
)
def test_first_turn_bargains_from_each_perspective(bargain_model: str, view: str) -> None:
    """KTAB logs the initiator's, the receiver's and the power-weighted bargain each turn."""
    res = models.run(
        "smp", ktab.read(DATA / "dummyData_3Dim.csv"), bargain_model=bargain_model, rounds=1
    )
    table = res.extra["bargains"]
    table = table[table["perspective"] == view]
    assert len(table) == 7
    cols_i = [c for c in table.columns if c.startswith("initiator:")]
    cols_j = [c for c in table.columns if c.startswith("receiver:")]
    for _, row in table.iterrows():
        i, j = int(row["initiator"][-2:]), int(row["receiver"][-2:])
        key = {"init": str(i), "rcvr": str(j), "power_weighted": "pw"}[view]
        expected = REF.bargains[i, j, key]
        got = np.array([row[cols_i].to_numpy(float), row[cols_j].to_numpy(float)])
        assert np.abs(got - expected).max() <= 5e-4 + 1e-9, (i, j, view)


def test_bargain_events_say_who_moved_whom(run: ModelResult) -> None:
    adopt = [e for e in run.events if e.kind == "adopt"]
    assert adopt
    for e in adopt:
        assert e.counterpart is not None and e.counterpart != e.actor
    assert run.trajectory is not None
    moved = {
        (t + 1, run.actor_ids[i])
        for t in range(run.rounds)
        for i in range(7)
        if np.abs(run.trajectory[t + 1, i] - run.trajectory[t, i]).max() > 0
    }
    assert moved <= {(e.round, e.actor) for e in adopt}


def test_forecast_is_the_probability_weighted_final_position(run: ModelResult) -> None:
    final = REF.positions[-1]
    p = REF.prob[-1]
    # distinct positions only: coincident actors share one probability
    _, first = np.unique(np.round(final, 1), axis=0, return_index=True)
    expected = (p[first, None] * final[first]).sum(axis=0) / p[first].sum()
    assert np.abs(run.forecast - expected).max() < 0.1


@pytest.mark.parametrize(("name", "states"), [("dummyData-a040", 21), ("dummyData_6Dim", 30)])
def test_state_counts_of_ktab_runs_on_larger_inputs(name: str, states: int) -> None:
    """KTAB's smpc on these inputs stopped after 21 and 30 states (spatial-models.md §2.5)."""
    r = models.run("smp", ktab.read(DATA / f"{name}.csv"))
    assert r.rounds + 1 == states
    assert r.status[0] == "converged"
