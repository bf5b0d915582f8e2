from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from accord.analysis.scoring import bootstrap_interval, coverage, crps_samples, score


def test_point_scores() -> None:
    s = score([10, 20, 30, 80], [0, 20, 45, 50], tolerance=10)
    assert s.n == 4
    assert s.mae == pytest.approx((10 + 0 + 15 + 30) / 4)
    assert s.median_ae == pytest.approx(12.5)
    assert s.rmse == pytest.approx(np.sqrt((100 + 0 + 225 + 900) / 4))
    assert s.bias == pytest.approx((10 + 0 - 15 + 30) / 4)
    assert s.hit_rate == pytest.approx(0.5)
    assert s.coverage is None and s.crps is None


def test_interval_coverage() -> None:
    assert coverage([0, 10, 20], [5, 15, 25], [5, 16, 20]) == pytest.approx(2 / 3)
    s = score([1, 2], [1, 3], lower=[0, 0], upper=[2, 2])
    assert s.coverage == 0.5


def test_crps_of_one_sample_is_the_absolute_error() -> None:
    np.testing.assert_allclose(crps_samples([[3.0], [7.0]], [5.0, 5.0]), [2.0, 2.0])


@given(
    st.lists(st.floats(-50, 50), min_size=1, max_size=12),
    st.floats(-60, 60),
)
def test_crps_matches_the_double_sum_definition(xs: list[float], y: float) -> None:
    x = np.array(xs)
    brute = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
    assert crps_samples(x[None, :], [y])[0] == pytest.approx(brute, abs=1e-9)


def test_crps_of_normal_samples_approaches_the_closed_form() -> None:
    """Gneiting & Raftery (2007), eq. 21: CRPS(N(mu, sigma), y)."""
    mu, sigma, y = 40.0, 12.0, 55.0
    z = (y - mu) / sigma
    exact = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
    draws = stats.norm(mu, sigma).ppf((np.arange(20000) + 0.5) / 20000)
    assert crps_samples(draws[None, :], [y])[0] == pytest.approx(exact, rel=1e-3)
    s = score([mu], [y], samples=draws[None, :])
    assert s.crps == pytest.approx(exact, rel=1e-3)


def test_bootstrap_interval_contains_the_statistic_and_is_seeded() -> None:
    rng = np.random.default_rng(3)
    v = rng.exponential(20, 300)
    lo, hi = bootstrap_interval(v, seed=1)
    assert lo < v.mean() < hi
    assert (lo, hi) == bootstrap_interval(v, seed=1)
    assert (lo, hi) != bootstrap_interval(v, seed=2)
    # the standard error of a mean: the 95% interval is about +-1.96 sd/sqrt(n)
    half = 1.96 * v.std(ddof=1) / np.sqrt(v.size)
    assert hi - lo == pytest.approx(2 * half, rel=0.15)


def test_score_rejects_mismatched_or_missing_values() -> None:
    with pytest.raises(ValueError, match="2 predictions for 3 outcomes"):
        score([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="finite"):
        score([np.nan], [1])
