from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord import models, scenarios
from accord.models.median import condorcet_winners, weighted_median
from accord.scenario import loads


def test_ec_compromise_and_median() -> None:
    ec = scenarios.load("ec-emissions-1994")
    assert models.run("compromise", ec).forecast[0] == pytest.approx(7.39, abs=5e-3)
    assert models.run("compromise", ec).forecast[0] == pytest.approx(5.003 / 0.677, rel=1e-12)
    assert models.run("median", ec).forecast[0] == 7.0
    assert models.run("median", ec, method="condorcet").forecast[0] == 7.0


def test_flagship_sanity_values_without_issue_capability() -> None:
    """ukraine-scenarios.md §4.4: the plain c·s mean and median of the design tables."""
    # (mean, half a unit of its last printed digit, median)
    expected = {
        "ukraine-2023-03": {"T": (61.7, 0.05, 85), "C": (42, 0.5, 30)},
        "ukraine-2024-08": {"T": (55.9, 0.05, 80), "K": (34, 0.5, 15)},
    }
    for sid, issues in expected.items():
        sc = scenarios.load(sid)
        plain = sc.model_validate(
            {
                **sc.model_dump(),
                "actors": [a.model_copy(update={"issue_capability": {}}) for a in sc.actors],
            }
        )
        mean = models.run("compromise", plain, decision_rules=False)  # the design tables
        med = models.run("median", plain, decision_rules=False)
        for iid, (m, tol, md) in issues.items():
            assert mean.forecast_of(iid) == pytest.approx(m, abs=tol), (sid, iid)
            assert med.forecast_of(iid) == md, (sid, iid)


def test_issue_capability_moves_territory_toward_the_belligerents() -> None:
    sc = scenarios.load("ukraine-2024-08")
    t = models.run("compromise", sc, decision_rules=False).forecast_of("T")
    assert 40 < t < 50  # 46.7: from 55.9 once China, India and Brazil drop out on the ground
    # the belligerents' vetoes then hold it at the front line (the status quo)
    assert models.run("compromise", sc).forecast_of("T") == sc.issue("T").status_quo.value


def test_weighted_median_ties() -> None:
    x = np.array([0.0, 10.0, 20.0, 30.0])
    w = np.ones(4)
    assert weighted_median(x, w) == 15.0 == np.median(x)
    assert weighted_median(x, w, "lower") == 10.0
    assert weighted_median(x, w, "upper") == 20.0
    assert weighted_median(np.array([1.0, 2.0, np.nan]), np.array([1.0, 3.0, 5.0])) == 2.0
    assert np.isnan(weighted_median(x, np.zeros(4)))


def test_no_weight_fallbacks() -> None:
    sc = loads(
        "id: z\ntitle: z\nsalience_scale: 1\nissues: [{id: x, name: x}]\nactors:\n"
        "  - {id: a, name: a, capability: 1, positions: {x: {position: 10, salience: 0}}}\n"
        "  - {id: b, name: b, capability: 1, positions: {x: {position: 30, salience: 0}}}\n"
    )
    res = models.run("compromise", sc)
    assert res.forecast[0] == 20.0 and res.diagnostics[0].code == "no_weight"
    res = models.run("compromise", sc, if_no_weight="undefined")
    assert np.isnan(res.forecast[0]) and res.status == ("undefined",)
    res = models.run("median", sc)
    assert np.isnan(res.forecast[0]) and res.status == ("undefined",)
    assert models.run("median", sc, weights="equal").forecast[0] == 20.0


# positions on a 0.1 grid: distinct positions differ by far more than rounding error
positions = st.lists(st.integers(0, 1000).map(lambda v: v / 10), min_size=1, max_size=9)


@given(st.data())
def test_weighted_median_is_the_condorcet_winner_for_single_peaked_utilities(
    data: st.DataObject,
) -> None:
    x = np.array(data.draw(positions))
    n = x.size
    w = np.array(data.draw(st.lists(st.floats(0.01, 10), min_size=n, max_size=n)))
    # single-peaked, possibly asymmetric: slopes differ left and right of the peak, and a
    # power makes them non-linear
    left = np.array(data.draw(st.lists(st.floats(0.1, 5), min_size=n, max_size=n)))
    right = np.array(data.draw(st.lists(st.floats(0.1, 5), min_size=n, max_size=n)))
    power = data.draw(st.floats(0.5, 3))

    def utility(ideal: np.ndarray, cand: np.ndarray) -> np.ndarray:
        d = cand - ideal
        a = np.abs(d) ** power
        out: np.ndarray = -np.where(d < 0, left[:, None] * a, right[:, None] * a)
        return out

    cands = np.unique(x)
    winners = cands[condorcet_winners(cands, x, w, utility)]
    med = weighted_median(x, w, "lower")
    assert med in winners
    assert weighted_median(x, w, "upper") in winners


@given(st.data())
def test_condorcet_method_agrees_with_the_weighted_median(data: st.DataObject) -> None:
    x = data.draw(positions)
    n = len(x)
    w = data.draw(st.lists(st.floats(0.01, 10), min_size=n, max_size=n))
    rows = "\n".join(
        f"  - {{id: a{i}, name: a{i}, capability: {c!r}, positions: {{x: {{position: {p!r}, salience: 1}}}}}}"
        for i, (p, c) in enumerate(zip(x, w, strict=True))
    )
    sc = loads(
        f"id: p\ntitle: p\nsalience_scale: 1\nissues: [{{id: x, name: x}}]\nactors:\n{rows}\n"
    )
    for tie in ("lower", "upper", "midpoint"):
        a = models.run("median", sc, tie=tie).forecast[0]
        b = models.run("median", sc, tie=tie, method="condorcet").forecast[0]
        assert a == pytest.approx(b, abs=1e-9)
