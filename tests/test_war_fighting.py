"""accord.war M3: bargaining while fighting (war-termination.md §1 M3 tests a-d)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from accord import war
from accord.errors import ModelError


def test_gamblers_ruin_closed_forms() -> None:
    assert war.ruin_probability(0.5, 3, 10) == pytest.approx(0.3)
    r = 0.6 / 0.4
    assert war.ruin_probability(0.4, 3, 10) == pytest.approx((1 - r**3) / (1 - r**10))
    assert war.ruin_duration(0.5, 3, 10) == pytest.approx(21)
    assert war.ruin_probability(0.0, 3, 10) == 0 and war.ruin_probability(1.0, 3, 10) == 1
    # extreme odds and long fronts stay finite
    w = war.ruin_probability(np.array([1e-9, 0.02, 0.98, 1 - 1e-9]), 150, 300)
    assert np.isfinite(w).all() and (np.diff(w) >= 0).all()


def test_ruin_duration_solves_the_recurrence() -> None:
    # E[tau](s) = 1 + theta E[tau](s+1) + (1-theta) E[tau](s-1), E[tau](0) = E[tau](N) = 0
    for theta in (0.3, 0.5, 0.62):
        s = np.arange(11)
        d = war.ruin_duration(theta, s, 10)
        assert d[0] == pytest.approx(0, abs=1e-9) and d[10] == pytest.approx(0, abs=1e-9)
        rhs = 1 + theta * d[2:] + (1 - theta) * d[:-2]
        np.testing.assert_allclose(d[1:-1], rhs, rtol=1e-9)


@pytest.mark.parametrize(
    ("a", "b", "s"),
    [
        (2, 8, 4),
        (8, 2, 15),
        (1, 1, 10),
        (60, 40, 7),
        (2508, 2502, 10),
        (25008, 25002, 10),
        (1, 900, 19),
    ],
)
def test_expected_win_matches_adaptive_quadrature(a: float, b: float, s: int) -> None:
    def f(t: float) -> float:
        return float(war.ruin_probability(t, s, 20)) * float(stats.beta.pdf(t, a, b))

    m, sd = a / (a + b), np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    want = integrate.quad(f, max(0, m - 40 * sd), min(1, m + 40 * sd), limit=400, epsabs=1e-13)[0]
    assert war.expected_win(a, b, s, 20) == pytest.approx(want, abs=1e-9)


def test_a_common_priors_settle_at_t0() -> None:
    r = war.fight(20, 4, 0.3, 3.0, 7.0, 3.0, 7.0, 0.0, 0.0, runs=500, rng=1)
    assert r.gap0 == pytest.approx(0, abs=1e-15)
    assert r.p_outcome["settled"] == 1.0
    assert (r.time == 0).all()
    # the midpoint of [E[W] - c_A, E[W] + c_B] is E[W] when costs are equal
    assert r.point == pytest.approx(np.full(500, war.expected_win(3, 7, 4, 20)))
    assert (np.asarray(r.paths) == 4).all()


def test_b_duration_increases_with_divergence_and_concentration() -> None:
    def mean_time(mu_u: float, mu_r: float, conc: float) -> float:
        r = war.fight(
            20, 10, 0.5, mu_u * conc, (1 - mu_u) * conc, mu_r * conc, (1 - mu_r) * conc,
            0.05, 0.05, runs=4000, max_battles=400, rng=11, keep_paths=False,
        )  # fmt: skip
        return float(r.mean_time)

    by_divergence = [mean_time(0.5 + d, 0.5 - d, 10) for d in (0.05, 0.15, 0.3)]
    assert by_divergence[0] < by_divergence[1] < by_divergence[2]
    by_concentration = [mean_time(0.65, 0.35, c) for c in (4, 10, 40)]
    assert by_concentration[0] < by_concentration[1] < by_concentration[2]


def test_c_learning_closes_the_gap() -> None:
    # after n battles at the true rate the posteriors agree: the optimism gap vanishes
    gaps = []
    for n in (0, 50, 500, 5000, 50_000):
        k = round(0.5 * n)
        gaps.append(war.optimism_gap(8 + k, 2 + n - k, 2 + k, 8 + n - k, 10, 20))
    assert gaps[0] > 0.5
    assert all(b < a for a, b in itertools.pairwise(gaps))
    assert abs(gaps[-1]) < 0.01
    # ...so learning produces settlements that frozen beliefs never reach
    args = (20, 10, 0.5, 8, 2, 2, 8, 0.02, 0.02)
    learn = war.fight(*args, runs=2000, max_battles=600, rng=3)
    frozen = war.fight(*args, runs=2000, max_battles=600, rng=3, update=False)
    assert frozen.p_outcome["settled"] == 0
    assert learn.p_outcome["settled"] > 0.1
    assert learn.mean_time < frozen.mean_time


@pytest.mark.parametrize(("theta", "s", "N"), [(0.5, 5, 10), (0.45, 3, 10), (0.6, 8, 20)])
def test_d_frozen_beliefs_match_gamblers_ruin_duration(theta: float, s: int, N: int) -> None:
    r = war.fight(
        N, s, theta, 90, 10, 10, 90, 0.01, 0.01,
        runs=20_000, max_battles=5000, rng=2024, update=False, keep_paths=False,
    )  # fmt: skip
    assert r.p_outcome["settled"] == 0 and r.p_outcome["fighting"] == 0
    want = war.ruin_duration(theta, s, N)
    assert abs(r.mean_time - want) < 3 * r.se_time
    # and Ukraine's share of victories matches the ruin probability (3 standard errors)
    p = war.ruin_probability(theta, s, N)
    assert abs(r.p_outcome["a_won"] - p) < 3 * np.sqrt(p * (1 - p) / 20_000)


def test_seeded_determinism() -> None:
    args = (20, 6, 0.45, 6.0, 4.0, 3.0, 7.0, 0.03, 0.02)
    a = war.fight(*args, runs=300, rng=5)
    b = war.fight(*args, runs=300, rng=np.random.default_rng(5))
    c = war.fight(*args, runs=300, rng=6)
    for key in ("outcome", "time", "paths", "front"):
        np.testing.assert_array_equal(a[key], b[key])
    np.testing.assert_array_equal(a.point, b.point)
    assert not np.array_equal(a.paths, c.paths)


def test_outputs_are_consistent() -> None:
    r = war.fight(20, 6, 0.45, 6.0, 4.0, 3.0, 7.0, 0.03, 0.02, runs=2000, rng=8)
    assert sum(r.p_outcome.values()) == pytest.approx(1)
    settled = r.outcome == 0
    assert np.isfinite(r.point[settled]).all() and np.isnan(r.point[~settled]).all()
    np.testing.assert_allclose(r.territory[settled], 100 * r.point[settled])
    assert (r.territory[r.outcome == 1] == 100).all() and (r.territory[r.outcome == 2] == 0).all()
    # a path moves one step per battle until the run ends, then stays
    steps = np.abs(np.diff(r.paths.astype(int), axis=1))
    assert steps.max() == 1
    for i in np.flatnonzero(settled)[:50]:
        t = r.time[i]
        assert (steps[i, :t] == 1).all() and (steps[i, t:] == 0).all()
    frame = r.to_frame()
    assert list(frame.columns) == ["outcome", "time", "point", "territory", "front"]
    assert len(frame) == 2000


@given(
    s=st.integers(0, 12),
    theta=st.floats(0.0, 1.0),
)
def test_fight_edge_states(s: int, theta: float) -> None:
    r = war.fight(12, s, theta, 2, 3, 3, 2, 0.0, 0.0, runs=20, max_battles=30, rng=0)
    if s in (0, 12):
        assert (r.time == 0).all() and (r.outcome == (1 if s == 12 else 2)).all()
    assert (r.front >= 0).all() and (r.front <= 12).all()


def test_nash_weight_moves_the_point_across_the_range() -> None:
    e = war.expected_win(5, 5, 10, 20)
    assert e == pytest.approx(0.5, abs=1e-12)  # symmetric belief, front in the middle
    for weight, want in ((0.0, e - 0.1), (1.0, e + 0.05), (0.5, e - 0.025)):
        r = war.fight(20, 10, 0.3, 5, 5, 5, 5, 0.1, 0.05, runs=10, rng=0, weight=weight)
        np.testing.assert_allclose(r.point, want, rtol=1e-12)
    # the point stays in the pie when a cost exceeds the expected value of fighting
    r = war.fight(20, 4, 0.3, 3, 7, 3, 7, 0.5, 0.05, runs=10, rng=0, weight=0.0)
    assert (r.point == 0).all()


def test_censored_runs_are_flagged() -> None:
    r = war.fight(20, 10, 0.5, 9, 1, 1, 9, 0.0, 0.0, runs=200, max_battles=5, rng=0)
    assert r.p_outcome["fighting"] == 1.0
    assert (r.time == 5).all()
    assert any("censored" in note for note in r.notes)


@settings(max_examples=15)
@given(c1=st.floats(0.0, 0.3), c2=st.floats(0.0, 0.3), w1=st.floats(0, 1), w2=st.floats(0, 1))
def test_per_run_costs_equal_separate_calls(c1: float, c2: float, w1: float, w2: float) -> None:
    # run i sees the i-th random number of every battle, so a call with per-run costs
    # equals, run by run, the calls with each cost alone (same seed, same number of runs)
    n = 60
    args = (20, 8, 0.45, 7.0, 3.0, 3.0, 7.0)
    cu = np.r_[np.full(n, c1), np.full(n, c2)]
    w = np.r_[np.full(n, w1), np.full(n, w2)]
    vec = war.fight(*args, cu, 0.05, runs=2 * n, max_battles=60, rng=9, weight=w)
    one = war.fight(*args, c1, 0.05, runs=2 * n, max_battles=60, rng=9, weight=w1)
    two = war.fight(*args, c2, 0.05, runs=2 * n, max_battles=60, rng=9, weight=w2)
    for key in ("outcome", "time", "point", "territory", "paths"):
        got = np.asarray(vec[key])
        want = np.concatenate([np.asarray(one[key])[:n], np.asarray(two[key])[n:]])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_per_run_theta() -> None:
    theta = np.r_[np.zeros(50), np.ones(50)]
    r = war.fight(10, 5, theta, 50, 1, 1, 50, 0.0, 0.0, runs=100, rng=0, update=False)
    assert (r.outcome[:50] == 2).all() and (r.outcome[50:] == 1).all()
    assert (r.time == 5).all()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"N": 0}, "N: must be an integer >= 1 (got 0)"),
        ({"start": 30}, "start: must be <= N = 20 (got 30)"),
        ({"alpha_A": 0.0}, "alpha_A: must be in (0, inf] (got 0.0)"),
        ({"theta": [0.5, 0.5]}, "theta: must be a number or one value per run (10) (got (2,))"),
        ({"runs": 2.5}, "runs: must be an integer >= 1 (got 2.5)"),
    ],
)
def test_fight_bad_parameters(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "N": 20, "start": 4, "theta": 0.4, "alpha_A": 2.0, "beta_A": 3.0,
        "alpha_B": 3.0, "beta_B": 2.0, "c_A": 0.1, "c_B": 0.1, "runs": 10,
    }  # fmt: skip
    base.update(kwargs)
    with pytest.raises(ModelError) as exc:
        war.fight(**base)  # type: ignore[arg-type]
    assert str(exc.value) == message
