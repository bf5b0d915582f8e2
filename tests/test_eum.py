"""Bueno de Mesquita's expected-utility model against Scholz's code (jmckib replication)."""

from __future__ import annotations

import numpy as np
import pytest

from accord import models, scenarios
from accord.errors import ModelError
from accord.models.eum import PRESETS, EUMOptions, eum_path
from accord.scenario import loads

# jmckib/bdm-scholz-expected-utility-model @ e9d86fe, EC data, Q = 1, 10 rounds
# (spatial-models.md §3.4): round, c·s-weighted mean, median, Belgium, Luxembourg, Ireland.
GOLDEN = np.array(
    [
        [7.3900, 7.0000, 7.000, 4.000, 7.000],
        [7.4613, 8.4159, 8.416, 7.000, 4.000],
        [7.5525, 9.6109, 9.611, 8.416, 7.000],
        [7.5901, 9.9620, 9.962, 9.611, 8.416],
        [7.3581, 9.9620, 4.801, 9.962, 9.611],
        [7.3492, 9.9620, 5.524, 4.801, 9.962],
        [7.4149, 7.4720, 7.472, 5.524, 5.524],
        [7.5105, 8.8246, 8.825, 7.472, 7.472],
        [7.5724, 9.6711, 9.671, 8.825, 8.825],
        [7.3250, 9.6711, 4.145, 9.671, 9.671],
        [7.2421, 7.0000, 4.292, 4.145, 4.145],
    ]
)


@pytest.fixture(scope="module")
def ec() -> models.ModelResult:
    return models.run(
        "eum", scenarios.load("ec-emissions-1994"), preset="scholz_code", q=1.0, rounds=10
    )


def test_scholz_code_reproduces_the_ten_round_trajectory(ec: models.ModelResult) -> None:
    sc = scenarios.load("ec-emissions-1994")
    got = np.column_stack(
        [
            ec.extra["mean_path"][:, 0],
            ec.extra["median_path"][:, 0],
            *(
                ec.trajectory[:, sc.actor_ids.index(a), 0]
                for a in ("Belgium", "Luxembourg", "Ireland")
            ),
        ]
    )
    assert got.shape == GOLDEN.shape
    np.testing.assert_allclose(got, GOLDEN, atol=1e-3, rtol=0)


def test_other_actors_stay_put(ec: models.ModelResult) -> None:
    sc = scenarios.load("ec-emissions-1994")
    for a in sc.actor_ids:
        if a not in ("Belgium", "Luxembourg", "Ireland"):
            k = sc.actor_ids.index(a)
            assert np.all(ec.trajectory[:, k, 0] == ec.trajectory[0, k, 0]), a


def test_round_one_event_log(ec: models.ModelResult) -> None:
    first = [e for e in ec.events if e.round == 1]
    assert [e.describe() for e in first] == [
        "Belgium compromises with France",
        "Luxembourg loses confrontation to Belgium",
        "Ireland loses confrontation to Luxembourg",
    ]
    be = first[0]
    assert be.kind == "compromise" and be.after == pytest.approx(8.4159, abs=1e-4)
    # EU -0.1148 vs 0.2433 (spatial-models.md §3.4)
    assert be.values["eu_actor"] == pytest.approx(-0.1148, abs=1e-4)
    assert be.values["eu_counterpart"] == pytest.approx(0.2433, abs=1e-4)
    assert be.before + (10 - be.before) * abs(
        be.values["eu_actor"] / be.values["eu_counterpart"]
    ) == pytest.approx(be.after)


def test_events_frame_has_one_row_per_move(ec: models.ModelResult) -> None:
    frame = ec.events_frame()
    assert len(frame) == len(ec.events) == 30  # three movers in each of ten rounds
    assert set(frame["kind"]) <= {
        "compromise",
        "confrontation",
    }  # capitulation never fires in the code


def test_no_fixed_point_in_ten_rounds_is_reported(ec: models.ModelResult) -> None:
    assert ec.status == ("max_rounds",)
    assert any(d.code == "not_converged" for d in ec.diagnostics)


def test_long_run_finds_the_cycle() -> None:
    res = models.run("eum", scenarios.load("ec-emissions-1994"), preset="scholz_code", rounds=1000)
    assert res.status == ("cycle",)
    (cycle,) = res.cycles
    assert (cycle.start, cycle.period) == (166, 70)
    # the run stops at the first recurrence and the state there equals the one a period earlier
    assert res.rounds == cycle.start + cycle.period
    np.testing.assert_allclose(res.trajectory[-1], res.trajectory[cycle.start], atol=1e-9)
    window = res.extra["median_path"][cycle.start : cycle.start + cycle.period, 0]
    assert res.forecast[0] == pytest.approx(window.mean())
    assert (cycle.forecast_min, cycle.forecast_max) == (window.min(), window.max())


def test_iran_median_stays_at_ghalibaf() -> None:
    res = models.run("eum", scenarios.load("iran-2013"), preset="scholz_code", rounds=10)
    assert np.all(res.extra["median_path"][:, 0] == 5.0)
    mean = res.extra["mean_path"][:, 0]
    assert mean.min() > 5.38 and mean.max() < 5.51  # 5.39-5.50 in the replication
    assert res.forecast[0] == 5.0  # the real winner was 8: a documented miss


def test_presets_differ_only_in_their_named_switches() -> None:
    code, paper = PRESETS["scholz_code"], PRESETS["scholz_paper"]
    assert set(code) == set(paper)
    differ = {k for k in code if code[k] != paper[k]}
    assert differ == {
        "probability_denominator", "capitulation", "offer_choice", "vote_risk", "perception",
        "no_challenge_term",
    }  # fmt: skip
    # switching every difference back turns the paper preset into the code preset
    ec = scenarios.load("ec-emissions-1994")
    a = models.run("eum", ec, preset="scholz_code", rounds=10)
    b = models.run("eum", ec, preset="scholz_paper", rounds=10, **{k: code[k] for k in differ})
    np.testing.assert_array_equal(a.trajectory, b.trajectory)


def test_scholz_paper_is_a_different_model() -> None:
    ec = scenarios.load("ec-emissions-1994")
    paper = models.run("eum", ec, preset="scholz_paper", rounds=10)
    code = models.run("eum", ec, preset="scholz_code", rounds=10)
    assert not np.allclose(paper.trajectory, code.trajectory)
    kinds = {e.kind for e in paper.events}
    assert "confrontation" in kinds


def test_capitulation_fires_when_enabled() -> None:
    # a weak actor far from a strong, resolute coalition gives in completely
    res = models.run("eum", scenarios.load("iran-2013"), preset="scholz_paper", rounds=5)
    assert any(e.kind == "capitulation" for e in res.events)
    res = models.run(
        "eum", scenarios.load("iran-2013"), preset="scholz_paper", rounds=5, capitulation=False
    )
    assert all(e.kind != "capitulation" for e in res.events)


def test_q_below_one_uses_the_status_quo_terms() -> None:
    ec = scenarios.load("ec-emissions-1994")
    q1 = models.run("eum", ec, preset="scholz_paper", rounds=5)
    q5 = models.run("eum", ec, preset="scholz_paper", rounds=5, q=0.5)
    ind = models.run("eum", ec, preset="scholz_paper", rounds=5, q=0.5, improvement="indicator")
    assert not np.array_equal(q1.trajectory, q5.trajectory)
    assert not np.array_equal(q5.trajectory, ind.trajectory)


def test_risk_exponents_lie_in_half_to_two(ec: models.ModelResult) -> None:
    r = ec.extra["risk_exponents"]
    assert np.nanmin(r) >= 0.5 - 1e-12 and np.nanmax(r) <= 2 + 1e-12
    assert np.nanmin(r) == pytest.approx(0.5) and np.nanmax(r) == pytest.approx(2.0)


def test_batch_rows_match_single_runs() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 100, (5, 7))
    c = rng.uniform(0.1, 1, (5, 7))
    s = rng.uniform(0.1, 1, (5, 7))
    batch = eum_path(x, c, s, 8, stop_at_recurrence=False)
    for b in range(5):
        one = eum_path(x[b : b + 1], c[b : b + 1], s[b : b + 1], 8, stop_at_recurrence=False)
        np.testing.assert_allclose(batch.x[:, b], one.x[:, 0], atol=1e-12)


def _one_issue(positions: list[float], sal: list[float], cap: list[float] | None = None) -> str:
    cap = cap or [1.0] * len(positions)
    rows = "\n".join(
        f"  - {{id: a{i}, name: a{i}, capability: {c}, positions: {{x: {{position: {p}, salience: {s}}}}}}}"
        for i, (p, s, c) in enumerate(zip(positions, sal, cap, strict=True))
    )
    return f"id: d\ntitle: d\nsalience_scale: 1\nissues: [{{id: x, name: x}}]\nactors:\n{rows}\n"


@pytest.mark.parametrize(
    ("positions", "sal", "expect"),
    [
        ([50.0], [0.5], 50.0),  # one actor
        ([30.0, 30.0, 30.0], [0.2, 0.9, 0.5], 30.0),  # everyone agrees
        ([0.0, 100.0, 0.0, 100.0, 100.0], [0.5, 0.5, 0.5, 0.5, 0.5], None),  # 0/100 only
        ([10.0, 90.0, 40.0], [0.0, 0.0, 0.0], None),  # zero salience
        ([10.0, 10.0, 90.0, 90.0], [0.7, 0.7, 0.7, 0.7], None),  # coincident pairs, a tie
    ],
)
def test_degenerate_inputs_run(
    positions: list[float], sal: list[float], expect: float | None
) -> None:
    sc = loads(_one_issue(positions, sal))
    for preset in ("scholz_code", "scholz_paper"):
        res = models.run("eum", sc, preset=preset, rounds=20)
        assert np.all(np.isfinite(res.trajectory))
        assert min(positions) <= res.forecast[0] <= max(positions)
        if expect is not None:
            assert res.forecast[0] == expect
            assert res.status == ("converged",)


def test_flat_security_is_reported() -> None:
    sc = loads(_one_issue([30.0, 30.0, 30.0], [0.2, 0.9, 0.5]))
    res = models.run("eum", sc, rounds=3)
    codes = {d.code for d in res.diagnostics}
    assert {"flat_security", "no_disagreement"} <= codes


def test_absent_actors_are_left_out_per_issue() -> None:
    ua = scenarios.load("ukraine-2024-08")
    res = models.run("eum", ua, rounds=5)
    k = ua.issue_ids.index("K")
    assert np.all(np.isfinite(res.trajectory[:, :, k]))
    sub = models.run("eum", ua.restrict(["K"]), rounds=5)
    np.testing.assert_allclose(
        res.trajectory[: sub.trajectory.shape[0], :, k], sub.trajectory[:, :, 0]
    )


def test_options_validate() -> None:
    with pytest.raises(ModelError, match=r"options\.eum\.q"):
        models.get("eum")(q=1.5)
    assert EUMOptions(preset="scholz_paper").resolved()["capitulation"] is True


def _same_result(a: models.ModelResult, b: models.ModelResult) -> None:
    np.testing.assert_array_equal(a.forecast, b.forecast)
    assert a.status == b.status and a.cycles == b.cycles and a.diagnostics == b.diagnostics
    assert tuple(a.events) == tuple(b.events)
    assert a.trajectory is not None and b.trajectory is not None
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    for key in a.extra:
        np.testing.assert_array_equal(a.extra[key], b.extra[key])


@pytest.mark.parametrize("preset", ["scholz_code", "scholz_paper"])
def test_run_many_equals_the_loop_of_runs(preset: str) -> None:
    from accord.datasets import deu

    scs = [c.scenario("nice") for c in deu.cases()[::6]]  # 59 issues, 2-30 actors
    scs += [scenarios.load(sid) for sid in scenarios.ids()]  # several issues, absentees
    model = models.get("eum")(preset=preset)
    for one, many in zip((model.run(s) for s in scs), model.run_many(scs), strict=True):
        _same_result(one, many)


def test_batched_rows_that_stop_early_continue_their_cycle() -> None:
    # a row leaves the computation once its state recurs (as a run of that row alone
    # stops there); up to then it is exactly what running every row on gives, and after
    # it the row repeats its cycle
    rng = np.random.default_rng(5)
    x0 = rng.uniform(0, 100, (40, 7))
    c, s = rng.uniform(0.1, 1, (40, 7)), rng.uniform(0.1, 1, (40, 7))
    early = eum_path(x0, c, s, 60, scale_width=np.full(40, 100.0))
    full = eum_path(x0, c, s, 60, scale_width=np.full(40, 100.0), stop_at_recurrence=False)
    np.testing.assert_array_equal(early.recurrence, full.recurrence)
    steps = early.x.shape[0] - 1
    recurred = 0
    for row, (start, period) in enumerate(early.recurrence):
        stop = steps if start < 0 else start + period
        np.testing.assert_array_equal(early.x[: stop + 1, row], full.x[: stop + 1, row])
        np.testing.assert_array_equal(early.kind[:stop, row], full.kind[:stop, row])
        if start >= 0:
            recurred += 1
            for u in range(stop + 1, steps + 1):
                same = start + (u - start) % period
                np.testing.assert_array_equal(early.x[u, row], early.x[same, row])
                from_same = start + (u - 1 - start) % period  # the round from the same state
                np.testing.assert_array_equal(early.kind[u - 1, row], early.kind[from_same, row])
    assert recurred > 10


@pytest.mark.parametrize("sid", ["ukraine-2023-03", "ukraine-2024-08"])
def test_each_issue_alone_gives_what_it_gives_among_others(sid: str) -> None:
    # issues are independent problems: batching them must not couple them
    sc = scenarios.load(sid)
    together = models.run("eum", sc)
    for k, iid in enumerate(sc.issue_ids):
        alone = models.run("eum", sc.restrict([iid]))
        assert alone.forecast[0] == together.forecast[k]
        assert alone.status[0] == together.status[k]
        assert [e for e in together.events if e.issue == iid] == list(alone.events)
