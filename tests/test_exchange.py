"""Stokman's exchange model against decide-exchange-model's recorded numbers.

Oracles: decide's ``decide/model/test/test_model.py`` and ``test_calculations.py`` and a
run of decide on ``sample_data.txt`` (design notes, spatial-models.md section 4): the
round-0 NBS per issue, 240 candidate exchanges, the first realised exchange (gain
75/38 = 1.97368421..., Wcentr's vote 0 -> 61.0512) and the second (gain 1.7926363087...).
Tolerances are two-sided (decide's own asserts are not).

Beyond those, ``tests/data/decide/decide_reference.json`` holds decide's own runs (version
2025.3.1, ties not randomised) on both data sets: every trade of the first rounds, with
votes before and after and gains, and the NBS per round. They are matched to 1e-9 as far
as decide's results do not hinge on its Decimal rounding (see the notes at each test).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import models, scenarios
from accord.cli import app
from accord.errors import ModelError
from accord.models.base import ModelResult
from accord.scenario import Scenario, scenario_from_data
from accord.scenario.importers import decide

DATA = Path(__file__).parent / "data" / "decide"


@pytest.fixture(scope="module")
def sample() -> Scenario:
    return decide.read(DATA / "sample_data.txt")


@pytest.fixture(scope="module")
def cop21() -> Scenario:
    return decide.read(DATA / "cop21.csv")


@pytest.fixture(scope="module")
def sample_run(sample: Scenario) -> ModelResult:
    return models.run("exchange", sample)


def _normalised(sc: Scenario, values: np.ndarray) -> np.ndarray:
    a = sc.arrays()
    return (values - a.scale_min) / (a.scale_max - a.scale_min) * 100.0


def test_round_zero_nbs_per_issue(sample: Scenario, sample_run: ModelResult) -> None:
    expected = {
        "tolheffing-binnenstad": 49.3532,
        "tol-hoogte": 27.2460,  # on 0-100; the issue's own scale is 0.5-7
        "wanneer-tol": 50.5789,
        "woonwerkverkeer": 52.4855,
        "extra-investering": 49.4883,
        "kleine-of-grote-ring": 56.6008,
    }
    got = _normalised(sample, sample_run.extra["nbs_preference"][0])
    for k, iid in enumerate(sample_run.issue_ids):
        assert abs(got[k] - expected[iid]) <= 5e-5, iid
    # results stay on the issue's own scale
    k = sample_run.issue_ids.index("tol-hoogte")
    assert abs(sample_run.forecast_path[0, k] - (0.5 + 0.272460 * 6.5)) <= 5e-5


def test_candidate_count(sample_run: ModelResult) -> None:
    assert sample_run.extra["candidates"][0] == 240


def test_first_realised_exchange(sample_run: ModelResult) -> None:
    willems, wcentr = sample_run.events[0], sample_run.events[1]
    assert (willems.round, willems.kind, willems.values["exchange"]) == (1, "exchange", 1)
    assert (willems.actor, willems.issue, willems.counterpart) == (
        "Willems",
        "extra-investering",
        "Wcentr",
    )
    assert (wcentr.actor, wcentr.issue, wcentr.counterpart) == (
        "Wcentr",
        "tolheffing-binnenstad",
        "Willems",
    )
    for e in (willems, wcentr):
        assert abs(e.values["gain"] - 1.973684210526315789) <= 1e-9
        assert abs(e.values["counterpart_gain"] - 1.973684210526315789) <= 1e-9
    assert wcentr.before == 0
    assert wcentr.after is not None and abs(wcentr.after - 61.0512) <= 5e-5
    # Willems moves all the way to Wcentr's position on extra-investering
    assert (willems.before, willems.after) == (25.0, 100.0)
    # decide's test_calculations: the outcome shifts 13.1579 and 10.3878
    assert abs(willems.values["nbs_shift_given"] - 13.1579) <= 5e-5
    assert abs(willems.values["nbs_shift_received"] - 10.3878) <= 5e-5


def test_second_realised_exchange(sample_run: ModelResult) -> None:
    second = [e for e in sample_run.events if e.round == 1 and e.values["exchange"] == 2]
    assert len(second) == 2
    for e in second:
        assert abs(e.values["gain"] - 1.79263630876534102340553952) <= 1e-9


REFERENCE = json.loads((DATA / "decide_reference.json").read_text(encoding="utf-8"))


def _trades(sc: Scenario, res: ModelResult, t: int) -> list[list[Any]]:
    """The trades of round ``t`` in decide's layout, votes on 0-100."""
    a = sc.arrays()

    def norm(v: float | None, issue: str) -> float:
        k = res.issue_ids.index(issue)
        assert v is not None
        return float((v - a.scale_min[k]) / (a.scale_max[k] - a.scale_min[k]) * 100)

    ev = [e for e in res.events if e.round == t]
    out = []
    for e_i, e_j in zip(ev[::2], ev[1::2], strict=True):
        out.append(
            [
                e_i.actor,
                e_i.issue,
                norm(e_i.before, e_i.issue),
                norm(e_i.after, e_i.issue),
                e_j.actor,
                e_j.issue,
                norm(e_j.before, e_j.issue),
                norm(e_j.after, e_j.issue),
                e_i.values["gain"],
            ]
        )
    return out


def _same_trades(mine: list[list[Any]], ref: list[list[Any]]) -> None:
    assert len(mine) == len(ref)
    for n, (m, r) in enumerate(zip(mine, ref, strict=True)):
        assert (m[0], m[1], m[4], m[5]) == (r[0], r[1], r[4], r[5]), n
        np.testing.assert_allclose(
            [m[2], m[3], m[6], m[7], m[8]], [r[2], r[3], r[6], r[7], r[8]], rtol=0, atol=1e-9
        )


def test_reproduces_decide_on_sample_data(sample: Scenario) -> None:
    """Rounds 1-3 trade for trade and the NBS of every round as decide computes them."""
    ref = REFERENCE["sample_data"]
    res = models.run("exchange", sample, rounds=4)
    assert list(res.issue_ids) == ref["issues"]
    pref = _normalised(sample, res.extra["nbs_preference"])
    vote = _normalised(sample, res.extra["nbs_voting"])
    for t, rd in enumerate(ref["rounds"][:3], start=1):
        _same_trades(_trades(sample, res, t), rd["exchanges"])
        np.testing.assert_allclose(pref[t - 1], rd["nbs_preference"], rtol=0, atol=1e-9)
        np.testing.assert_allclose(vote[t - 1], rd["nbs_voting"], rtol=0, atol=1e-9)
    # Round 4: the first 41 of decide's 42 trades. Its 42nd (gain 0.00027) exists only
    # because decide's Decimal NBS lands a hair past the partner's position (no cap), where
    # ours lands on it (no room left).
    _same_trades(_trades(sample, res, 4), ref["rounds"][3]["exchanges"][:41])


def test_reproduces_decide_on_cop21_first_trades(cop21: Scenario) -> None:
    """The first 46 trades of round 1 on COP21 as decide computes them.

    Trade 47 is a tie: two trades of equal gain (Japan with India on progress for
    finance_vol or adapt_finance) that decide tells apart only by Decimal rounding in the
    28th digit (...250 vs ...251).
    """
    ref = REFERENCE["cop21"]
    res = models.run("exchange", cop21, rounds=1)
    assert list(res.issue_ids) == ref["issues"]
    np.testing.assert_allclose(
        _normalised(cop21, res.extra["nbs_preference"][0]),
        ref["rounds"][0]["nbs_preference"],
        rtol=0,
        atol=1e-9,
    )
    assert res.extra["candidates"][0] == ref["candidates"] == 2094
    _same_trades(_trades(cop21, res, 1)[:46], ref["rounds"][0]["exchanges"][:46])
    tie = ref["rounds"][0]["exchanges"][46]
    mine = _trades(cop21, res, 1)[46]
    assert (mine[0], mine[4], mine[1]) == (tie[0], tie[4], tie[1])
    assert abs(mine[8] - tie[8]) <= 1e-12


def test_reproduces_decide_on_copenhagen() -> None:
    """Candidates, round-0 NBS and the first trade on decide's COP15 (Copenhagen) data."""
    ref = REFERENCE["copenhagen"]
    sc = decide.read(DATA / "copenhagen.csv")
    res = models.run("exchange", sc, rounds=1)
    assert list(res.issue_ids) == ref["issues"]
    assert res.extra["candidates"][0] == ref["candidates"]
    np.testing.assert_allclose(
        _normalised(sc, res.extra["nbs_preference"][0]), ref["nbs_preference"], rtol=0, atol=1e-9
    )
    first = _trades(sc, res, 1)[0]
    want = ref["first_exchange"]
    assert (first[0], first[1], first[4], first[5]) == (want[0], want[1], want[4], want[5])
    np.testing.assert_allclose(
        [first[3], first[7], first[8]], [want[3], want[7], want[8]], atol=1e-9
    )


def test_cli_run_lists_the_trades() -> None:
    result = CliRunner().invoke(app, ["run", "ukraine-2024-08", "-m", "exchange", "--events"])
    assert result.exit_code == 0, result.output
    assert "exchange: events" in result.stdout
    assert " gives on " in result.stdout


def test_trades_frame(sample: Scenario, sample_run: ModelResult) -> None:
    from accord.models.exchange import trades_frame

    df = trades_frame(sample_run)
    assert len(df) == sum(sample_run.extra["realised"]) == len(sample_run.events) // 2
    first = df.iloc[0]
    assert (first.actor_i, first.issue_i, first.actor_j, first.issue_j) == (
        "Willems",
        "extra-investering",
        "Wcentr",
        "tolheffing-binnenstad",
    )
    assert abs(first.to_j - 61.0512) <= 5e-5
    # the rate ties the two outcome shifts together: shift_i = rate * shift_j
    np.testing.assert_allclose(df.shift_i, df.rate * df.shift_j, rtol=1e-12)
    assert trades_frame(models.run("compromise", sample)).empty


def test_equal_gains_and_moves_towards_the_partner(sample_run: ModelResult) -> None:
    traj = sample_run.trajectory
    assert traj is not None
    actors, issues = sample_run.actor_ids, sample_run.issue_ids
    for e in sample_run.events:
        assert e.values["gain"] > 0
        assert abs(e.values["gain"] - e.values["counterpart_gain"]) <= 1e-9
        # the supplier moves towards the partner's start position and not past it
        target = traj[e.round - 1, actors.index(str(e.counterpart)), issues.index(e.issue)]
        assert e.before is not None and e.after is not None
        lo, hi = sorted((e.before, target))
        assert lo - 1e-9 <= e.after <= hi + 1e-9
        assert e.after != e.before


def test_event_shifts_add_up_to_the_voting_nbs(sample: Scenario, sample_run: ModelResult) -> None:
    """Per round and issue, the outcome shifts logged in events sum to the change in NBS."""
    pref = _normalised(sample, sample_run.extra["nbs_preference"])
    vote = _normalised(sample, sample_run.extra["nbs_voting"])
    for t in range(1, sample_run.rounds + 1):
        for k, iid in enumerate(sample_run.issue_ids):
            total = 0.0
            for e in sample_run.events:
                if e.round == t and e.issue == iid:
                    assert e.before is not None and e.after is not None
                    total += np.sign(e.after - e.before) * e.values["nbs_shift_given"]
            assert abs(vote[t - 1, k] - pref[t - 1, k] - total) <= 1e-9


def test_new_start_position_rule(sample: Scenario, sample_run: ModelResult) -> None:
    a = sample.arrays()
    traj, votes = sample_run.trajectory, sample_run.extra["voting_positions"]
    assert traj is not None
    for t in range(sample_run.rounds):
        w = 0.4 * (1 - a.salience) + 0.1
        expected = traj[t] + w * (votes[t] - traj[t])
        np.testing.assert_allclose(traj[t + 1], expected, rtol=0, atol=1e-9)
    # the forecast is the NBS of the last voting positions
    wts = a.capability * a.salience
    nbs = (wts * votes[-1]).sum(axis=0) / wts.sum(axis=0)
    np.testing.assert_allclose(sample_run.forecast, nbs, rtol=0, atol=1e-9)


def test_current_nbs_view(sample: Scenario) -> None:
    """With every candidate seeing the current NBS, the first trades are decide's too and
    the logged shifts still add up; later rounds differ from decide's."""
    res = models.run("exchange", sample, nbs_view="current")
    ref = REFERENCE["sample_data"]["rounds"][0]["exchanges"]
    _same_trades(_trades(sample, res, 1)[:6], ref[:6])
    decide_view = models.run("exchange", sample)
    assert not np.allclose(res.forecast, decide_view.forecast)
    pref = _normalised(sample, res.extra["nbs_preference"])
    vote = _normalised(sample, res.extra["nbs_voting"])
    for t in range(1, res.rounds + 1):
        for k, iid in enumerate(res.issue_ids):
            total = sum(
                np.sign(e.after - e.before) * e.values["nbs_shift_given"]
                for e in res.events
                if e.round == t and e.issue == iid and e.after is not None and e.before is not None
            )
            assert abs(vote[t - 1, k] - pref[t - 1, k] - total) <= 1e-9


def test_zero_rounds_is_the_nbs(sample: Scenario) -> None:
    res = models.run("exchange", sample, rounds=0)
    np.testing.assert_allclose(res.forecast, models.run("compromise", sample).forecast)
    assert res.status == ("static",) * len(res.issue_ids) and res.events == ()
    assert res.trajectory is not None and res.trajectory.shape[0] == 1


def test_preference_forecast_option(sample: Scenario) -> None:
    res = models.run("exchange", sample, forecast="preference")
    np.testing.assert_allclose(res.forecast, res.extra["nbs_preference"][-1], atol=1e-12)


def test_cop21_ten_rounds_within_scale(cop21: Scenario) -> None:
    res = models.run("exchange", cop21, rounds=10)
    assert res.rounds == 10 and len(res.extra["candidates"]) == 10
    assert res.extra["candidates"][0] > 0 and all(r > 0 for r in res.extra["realised"])
    a = cop21.arrays()
    for key in ("nbs_preference", "nbs_voting"):
        v = res.extra[key]
        assert v.shape[1] == len(res.issue_ids)
        assert np.all((v >= a.scale_min - 1e-9) & (v <= a.scale_max + 1e-9)), key
    assert np.all((res.forecast >= a.scale_min) & (res.forecast <= a.scale_max))
    assert res.status == ("max_rounds",) * len(res.issue_ids)


@pytest.mark.parametrize("variant", ["equal_gain", "random_rate"])
def test_cop21_same_seed_same_run(cop21: Scenario, variant: str) -> None:
    one = models.run("exchange", cop21, rng=11, variant=variant, tie_break="random")
    two = models.run("exchange", cop21, rng=11, variant=variant, tie_break="random")
    np.testing.assert_array_equal(one.forecast, two.forecast)
    assert one.trajectory is not None and two.trajectory is not None
    np.testing.assert_array_equal(one.trajectory, two.trajectory)
    assert one.events == two.events


def test_random_rate_draws_depend_on_the_seed(cop21: Scenario) -> None:
    one = models.run("exchange", cop21, rng=1, variant="random_rate")
    two = models.run("exchange", cop21, rng=2, variant="random_rate")
    assert not np.allclose(one.forecast, two.forecast)
    for e in one.events:  # nobody trades at a loss
        assert e.values["gain"] >= 0 and e.values["counterpart_gain"] >= 0
    rates = {e.values["rate"] for e in one.events if e.round == 1}
    assert len(rates) > 1


def test_random_rate_without_randomness_is_equal_gain(sample: Scenario) -> None:
    eg = models.run("exchange", sample)
    rr = models.run("exchange", sample, variant="random_rate", randomness=0.0, rng=5)
    np.testing.assert_array_equal(eg.forecast, rr.forecast)
    assert eg.events == rr.events


def _one(issues: int, positions: list[list[float]], sal: float = 50) -> Scenario:
    data: dict[str, Any] = {
        "id": "t",
        "title": "t",
        "salience_scale": 100,
        "issues": [{"id": f"i{k}", "name": f"i{k}"} for k in range(issues)],
        "actors": [
            {
                "id": f"a{n}",
                "name": f"a{n}",
                "capability": 10 + n,
                "positions": {
                    f"i{k}": {"position": row[k], "salience": sal + 5 * ((n + k) % 3)}
                    for k in range(issues)
                },
            }
            for n, row in enumerate(positions)
        ],
    }
    return scenario_from_data(data)


def test_single_issue_forecast_is_the_nbs() -> None:
    sc = _one(1, [[0], [40], [100]])
    res = models.run("exchange", sc)
    comp = models.run("compromise", sc)
    np.testing.assert_allclose(res.forecast, comp.forecast, atol=1e-12)
    assert res.status == ("static",)
    assert [d.code for d in res.diagnostics] == ["no_exchange"]
    assert res.events == ()


@pytest.mark.parametrize(
    "positions",
    [
        [[0, 0], [0, 0], [0, 0]],  # everybody at 0
        [[100, 100], [100, 100]],  # everybody at 100
        [[0, 100]],  # one actor
        [[0, 100], [100, 0]],  # two actors who agree on nothing
        [[0, 0], [100, 100], [0, 100], [100, 0]],
    ],
)
def test_degenerate_inputs_run(positions: list[list[float]]) -> None:
    sc = _one(2, positions)
    res = models.run("exchange", sc)
    assert np.all(np.isfinite(res.forecast))
    if not res.events:
        assert "no_exchange" in {d.code for d in res.diagnostics}
        np.testing.assert_allclose(res.forecast, models.run("compromise", sc).forecast)
    assert np.all((res.forecast >= 0) & (res.forecast <= 100))


def test_zero_salience_and_absent_actors() -> None:
    data: dict[str, Any] = {
        "id": "z",
        "title": "z",
        "salience_scale": 1,
        "issues": [{"id": "p", "name": "p"}, {"id": "q", "name": "q"}, {"id": "r", "name": "r"}],
        "actors": [
            {"id": "A", "name": "A", "capability": 1, "positions": {
                "p": {"position": 0, "salience": 0.9}, "q": {"position": 0, "salience": 0.1},
                "r": {"position": 0, "salience": 0}}},
            {"id": "B", "name": "B", "capability": 1, "positions": {
                "p": {"position": 100, "salience": 0.1}, "q": {"position": 100, "salience": 0.9},
                "r": {"position": 100, "salience": 0}}},
            {"id": "C", "name": "C", "capability": 0, "positions": {
                "p": {"position": 30, "salience": 0.5}}},
        ],
    }  # fmt: skip
    res = models.run("exchange", scenario_from_data(data))
    assert [d.code for d in res.diagnostics] == ["no_weight"]
    assert res.forecast[2] == 50.0  # unweighted mean where no one carries weight
    # A gives on q (little salience) for p; B the other way round; C takes no part
    trades = {(e.actor, e.issue) for e in res.events}
    assert trades == {("A", "q"), ("B", "p")}
    assert res.trajectory is not None and np.isnan(res.trajectory[:, 2, 1]).all()


def test_all_weight_zero_everywhere() -> None:
    sc = _one(2, [[0, 100], [100, 0]], sal=0)
    data = sc.model_dump()
    for a in data["actors"]:
        for st in a["positions"].values():
            st["salience"] = 0
    res = models.run("exchange", scenario_from_data(data))
    assert {d.code for d in res.diagnostics} == {"no_weight", "no_exchange"}
    np.testing.assert_allclose(res.forecast, [50.0, 50.0])


@pytest.mark.parametrize("sid", scenarios.ids())
def test_every_bundled_scenario(sid: str) -> None:
    sc = scenarios.load(sid)
    res = models.run("exchange", sc)
    a = sc.arrays()
    assert np.all((res.forecast >= a.scale_min - 1e-9) & (res.forecast <= a.scale_max + 1e-9))


def test_bad_options() -> None:
    with pytest.raises(ModelError, match=r"options\.exchange"):
        models.run("exchange", _one(1, [[0]]), salience_weight=0.8, fixed_weight=0.5)
    with pytest.raises(ModelError, match="unknown option"):
        models.run("exchange", _one(1, [[0]]), p=0.5)
    with pytest.raises(ModelError, match=r"options\.exchange\.randomness"):
        models.run("exchange", _one(1, [[0]]), randomness=2)


def test_repetitions_pool_independent_runs(sample: Scenario) -> None:
    opts = {"variant": "random_rate", "rounds": 3}
    pooled = models.run("exchange", sample, rng=11, repetitions=6, **opts)
    draws = pooled.extra["repetition_forecasts"]
    assert draws.shape == (6, len(sample.issues))
    np.testing.assert_allclose(pooled.forecast, draws.mean(axis=0), rtol=0, atol=1e-12)
    # each repetition is a run of its own generator spawned from the seed
    children = np.random.default_rng(11).spawn(6)
    for k in (0, 5):
        single = models.run("exchange", sample, rng=children[k], **opts)
        np.testing.assert_allclose(draws[k], single.forecast, rtol=0, atol=1e-12)
    assert np.ptp(draws, axis=0).max() > 0  # the runs differ
    q = pooled.extra["forecast_quantiles"]
    assert (q[0] <= q[1]).all() and (q[1] <= q[2]).all()
    again = models.run("exchange", sample, rng=11, repetitions=6, **opts)
    np.testing.assert_array_equal(again.forecast, pooled.forecast)
    assert any(d.code == "repetitions" for d in pooled.diagnostics)


def test_repetitions_of_a_deterministic_variant_run_once(
    sample: Scenario, sample_run: ModelResult
) -> None:
    res = models.run("exchange", sample, repetitions=4)
    np.testing.assert_array_equal(res.forecast, sample_run.forecast)
    assert any(d.code == "deterministic" for d in res.diagnostics)


REGRESSION = Path(__file__).parent / "data" / "exchange_regression.json"
REGRESSION_RUNS = {
    "cop": ("cop21.csv", {}),
    "cop_rr": ("cop21.csv", {"variant": "random_rate"}),
    "cph": ("copenhagen.csv", {}),
    "ukraine-2024-08": (None, {}),
}


@pytest.mark.parametrize("case", sorted(REGRESSION_RUNS))
def test_ten_rounds_unchanged_by_the_vectorised_bookkeeping(case: str) -> None:
    """Ten full rounds (every candidate, trade and gain) as computed before the speed-ups
    of issue 15 (candidate lookups by actor and issue, stacked sides): the same numbers."""
    ref = json.loads(REGRESSION.read_text())[case]
    file, opts = REGRESSION_RUNS[case]
    sc = decide.read(DATA / file) if file else scenarios.load(case)
    r = models.run("exchange", sc, rounds=10, rng=1, **opts)
    assert list(r.extra["candidates"]) == ref["candidates"]
    assert list(r.extra["realised"]) == ref["realised"]
    last = r.events[-1]
    assert [last.round, last.issue, last.actor, last.counterpart] == ref["last_trade"][:4]
    np.testing.assert_allclose([last.before, last.after], ref["last_trade"][4:], rtol=0, atol=1e-9)
    gains = sum(e.values["gain"] for e in r.events)
    np.testing.assert_allclose(gains, ref["gain_sum"], rtol=1e-12)
    np.testing.assert_allclose(r.forecast, ref["forecast"], rtol=0, atol=1e-9)
