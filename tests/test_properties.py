"""Properties every model must have: scale invariance and determinism."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord import models
from accord.scenario import Scenario, scenario_from_data

MODELS = models.available()


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 3))
    grid = st.integers(0, 20).map(lambda v: v * 5.0)  # positions on a 5-point grid: ties happen
    actors = []
    for i in range(n):
        positions = {
            f"i{k}": {
                "position": draw(grid),
                "salience": draw(st.integers(1, 100).map(float)),
            }
            for k in range(m)
        }
        actors.append(
            {
                "id": f"a{i}",
                "name": f"a{i}",
                "capability": draw(st.integers(1, 100).map(float)),
                "positions": positions,
            }
        )
    return {
        "id": "h",
        "title": "h",
        "salience_scale": 100,
        "issues": [{"id": f"i{k}", "name": f"i{k}"} for k in range(m)],
        "actors": actors,
    }


def _run(name: str, sc: Scenario) -> np.ndarray:
    opts: dict[str, Any] = (
        {"rounds": 6} if "rounds" in models.get(name).options_type.model_fields else {}
    )
    return models.run(name, sc, **opts).forecast


factor = st.sampled_from([0.001, 0.37, 3.0, 1000.0])


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), factor)
def test_scaling_capabilities_changes_no_forecast(data: dict[str, Any], k: float) -> None:
    base = scenario_from_data(data)
    scaled = scenario_from_data(
        {**data, "actors": [{**a, "capability": a["capability"] * k} for a in data["actors"]]}
    )
    for name in MODELS:
        np.testing.assert_allclose(
            _run(name, scaled), _run(name, base), rtol=1e-9, atol=1e-9, err_msg=name
        )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.sampled_from([0.05, 0.3, 0.8]))
def test_scaling_saliences_changes_no_weighted_forecast(data: dict[str, Any], k: float) -> None:
    """Compromise and median weigh by salience: only ratios count."""
    base = scenario_from_data(data)
    scaled = scenario_from_data(
        {
            **data,
            "actors": [
                {
                    **a,
                    "positions": {
                        i: {**p, "salience": p["salience"] * k} for i, p in a["positions"].items()
                    },
                }
                for a in data["actors"]
            ],
        }
    )
    for name in ("compromise", "median"):
        np.testing.assert_allclose(
            _run(name, scaled), _run(name, base), rtol=1e-9, atol=1e-9, err_msg=name
        )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_salience_units_change_no_forecast(data: dict[str, Any]) -> None:
    """The same saliences written on 0-1 instead of 0-100 give the same forecasts in every model.

    (In the expected-utility model salience is also the probability that a challenged actor
    resists, so multiplying every salience by a constant changes the model's meaning; only
    a change of units must leave it alone.)
    """
    base = scenario_from_data(data)
    unit = scenario_from_data(
        {
            **data,
            "salience_scale": 1,
            "actors": [
                {
                    **a,
                    "positions": {
                        i: {**p, "salience": p["salience"] / 100} for i, p in a["positions"].items()
                    },
                }
                for a in data["actors"]
            ],
        }
    )
    for name in MODELS:
        np.testing.assert_allclose(
            _run(name, unit), _run(name, base), rtol=1e-9, atol=1e-9, err_msg=name
        )


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_same_input_same_output(data: dict[str, Any]) -> None:
    for name in MODELS:
        a = models.run(name, scenario_from_data(data), rng=7)
        b = models.run(name, scenario_from_data(data), rng=7)
        np.testing.assert_array_equal(a.forecast, b.forecast)
        if a.trajectory is not None:
            assert b.trajectory is not None
            np.testing.assert_array_equal(a.trajectory, b.trajectory)
        assert a.events == b.events


@given(scenarios())
def test_forecasts_stay_within_the_actors_range(data: dict[str, Any]) -> None:
    sc = scenario_from_data(data)
    a = sc.arrays()
    for name in MODELS:
        if models.get(name)().unavailable(sc):
            continue  # e.g. the agenda setter without a setter
        f = _run(name, sc)
        lo = np.nanmin(a.position, axis=0)
        hi = np.nanmax(a.position, axis=0)
        assert np.all((f >= lo - 1e-9) & (f <= hi + 1e-9)), name
