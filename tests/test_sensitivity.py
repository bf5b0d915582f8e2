"""Sobol and Morris through accord's sweep and wrapper, against SALib's reference values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord.analysis.sensitivity import (
    event_of_store,
    event_probability,
    morris,
    morris_of_store,
    sobol_of_store,
    tornado,
)
from accord.analysis.sweep import Design, sweep
from accord.errors import ModelError
from sweep_helpers import ishigami_scenario, register

register()
X = [f"actors[{a}].positions.X.position" for a in "ABC"]


def test_ishigami_sobol_through_a_sweep(tmp_path: Path) -> None:
    sc = ishigami_scenario()
    res = sweep(
        sc, [("test.ishigami", {})], Design("sobol", 1024, 3), tmp_path / "s", executor="sequential"
    )
    assert res.rows == 1024 * 5
    si = sobol_of_store(res.store, "ishigami").loc[X]
    # SALib's regression test (tests/test_regression.py::test_regression_sobol), the same
    # tolerances; analytic values S1 = .3139, .4424, 0 and ST = .5576, .4424, .2437
    np.testing.assert_allclose(si["S1"], [0.31, 0.44, 0.00], atol=5e-2, rtol=1e-1)
    np.testing.assert_allclose(si["ST"], [0.55, 0.44, 0.24], atol=5e-2, rtol=1e-1)
    exact_st = np.array([0.5576, 0.4424, 0.2437])
    inside = (si["ST_low"].to_numpy() <= exact_st) & (exact_st <= si["ST_high"].to_numpy())
    assert inside.sum() >= 2  # 95 % intervals
    assert (si["ST_high"] - si["ST_low"]).max() < 0.2
    with pytest.raises(ModelError, match="morris indices need a sweep with --design morris"):
        morris_of_store(res.store, "ishigami")


def test_ishigami_morris_through_a_sweep(tmp_path: Path) -> None:
    sc = ishigami_scenario()
    res = sweep(
        sc,
        [("test.ishigami", {})],
        Design("morris", 1000, 5),
        tmp_path / "m",
        executor="sequential",
    )
    mi = morris_of_store(res.store, "ishigami").loc[X]
    # SALib's regression test (test_regression_morris_vanilla, N = 10000, 4 levels):
    # mu* = 7.682808, 7.875, 6.256295. For x2 every elementary effect is ±7·0.75/(2/3).
    assert mi.loc[X[1], "mu_star"] == pytest.approx(7.875, rel=1e-12)
    assert mi.loc[X[0], "mu_star"] == pytest.approx(7.682808, rel=0.1)
    assert mi.loc[X[2], "mu_star"] == pytest.approx(6.256295, rel=0.1)
    assert mi.loc[X[1], "sigma"] == pytest.approx(7.875, rel=0.05)  # effects of ±7.875
    # and exactly what SALib gives on its own design of the Ishigami function
    from SALib.analyze import morris as ma
    from SALib.sample import morris as ms
    from SALib.test_functions import Ishigami

    problem = {"num_vars": 3, "names": X, "bounds": [[-np.pi, np.pi]] * 3}
    xs = ms.sample(problem, 1000, num_levels=4, seed=5)
    ref = ma.analyze(problem, xs, Ishigami.evaluate(xs), num_levels=4, seed=5)
    np.testing.assert_allclose(mi["mu_star"], ref["mu_star"], rtol=1e-9)


def test_morris_on_a_linear_function_is_exact() -> None:
    from SALib.sample import morris as ms

    names = ["a", "b", "c"]
    problem = {"num_vars": 3, "names": names, "bounds": [[0, 1]] * 3}
    x = ms.sample(problem, 50, num_levels=4, seed=1)
    y = x @ np.array([3.0, -1.0, 0.5])
    m = morris(names, x, y)
    np.testing.assert_allclose(m.loc[names, "mu"], [3.0, -1.0, 0.5], atol=1e-12)
    np.testing.assert_allclose(m.loc[names, "mu_star"], [3.0, 1.0, 0.5], atol=1e-12)
    np.testing.assert_allclose(m.loc[names, "sigma"], 0, atol=1e-12)


def test_event_probability_interval() -> None:
    from scipy.stats import binomtest

    for k, n in ((30, 100), (3, 40), (197, 200)):
        e = event_probability(k, n, event="x")
        cp = binomtest(k, n).proportion_ci(0.95, method="exact")  # Clopper-Pearson
        # Jeffreys lies inside the conservative exact interval and around the estimate
        assert cp.low < e.low < k / n < e.high < cp.high
        mirror = event_probability(n - k, n)
        assert (e.low, e.high) == pytest.approx((1 - mirror.high, 1 - mirror.low))
    assert event_probability(0, 50).low == 0 and event_probability(50, 50).high == 1


def test_event_and_tornado_from_a_store(tmp_path: Path) -> None:
    sc = ishigami_scenario()
    store = sweep(
        sc, [("test.ishigami", {})], Design("mc", 2000, 1), tmp_path / "e", executor="sequential"
    ).store
    df = store.columns([*X, "ishigami"])
    ev = event_of_store(store, "ishigami > 5")
    assert ev.hits == int((df["ishigami"] > 5).sum()) and ev.n == 2000
    t = tornado(df[X], df["ishigami"].to_numpy())
    # x2 enters through 7 sin^2: symmetric, so its deciles barely move the mean; x1 does
    assert t.index[0] == X[0]
    assert isinstance(t, pd.DataFrame) and set(t.columns) == {"low", "high", "swing"}
