"""The SMP on awkward inputs, its options, closed forms of its pieces, and determinism."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord import models, scenarios
from accord.datasets import deu
from accord.errors import ModelError
from accord.models import smp_core
from accord.models.base import ModelResult
from accord.models.smp import SMPOptions
from accord.scenario import Scenario, scenario_from_data
from accord.scenario.importers import ktab

DATA = Path(__file__).parent / "data"


def _scenario(
    actors: Sequence[tuple[float, Sequence[tuple[float, float]]]],
    *,
    space: bool = True,
    missing: tuple[int, int] | None = None,
) -> Scenario:
    """Actors as (capability, [(position, salience) per issue]); saliences on 0-100."""
    m = len(actors[0][1])
    data: dict[str, Any] = {
        "id": "t",
        "title": "t",
        "salience_scale": 100,
        "issues": [{"id": f"d{k}", "name": f"d{k}"} for k in range(m)],
        "actors": [
            {
                "id": f"a{i}",
                "name": f"a{i}",
                "capability": cap,
                "positions": {
                    f"d{k}": {"position": p, "salience": s}
                    for k, (p, s) in enumerate(stances)
                    if missing != (i, k)
                },
            }
            for i, (cap, stances) in enumerate(actors)
        ],
    }
    if space and m > 1:
        data["spaces"] = [{"id": "all", "issues": [f"d{k}" for k in range(m)]}]
    return scenario_from_data(data)


def _codes(r: ModelResult) -> set[str]:
    return {d.code for d in r.diagnostics}


# -- closed forms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "expected"),
    [("linear", 2 / 3), ("square", 4 / 5), ("quartic", 16 / 17), ("octic", 256 / 257)],
)
def test_victory_probability_at_a_two_to_one_coalition(model: Any, expected: float) -> None:
    """KTAB's SMP tutorial: with a 2:1 coalition ratio the stronger side gets these."""
    p = smp_core.victory_probability(model, np.array([2.0]), np.array([1.0]))
    assert p[0] == pytest.approx(expected, abs=1e-12)


def test_binary_victory_is_decided_beyond_ten_percent_and_linear_inside() -> None:
    p = smp_core.victory_probability(
        "binary", np.array([1.1, 1.0, 1.05, 1.0]), np.array([1.0, 1.1, 1.0, 1.0])
    )
    assert p[0] == pytest.approx(1.0, abs=1e-5)
    assert p[1] == pytest.approx(0.0, abs=1e-5)
    assert 0.5 < p[2] < 1.0
    assert p[3] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("rng", "lo", "hi"), [("min", 0.0, 1.0), ("mid", -0.5, 1.0), ("max", -1.0, 1.0)]
)
def test_risk_ranges(rng: Any, lo: float, hi: float) -> None:
    r, ok = smp_core.risk_from_probability(np.array([0.1, 0.3, 0.6]), rng)
    assert ok
    assert r.min() == pytest.approx(lo) and r.max() == pytest.approx(hi)


def test_equal_probabilities_leave_risk_undefined() -> None:
    r, ok = smp_core.risk_from_probability(np.full(4, 0.25), "mid")
    assert not ok and np.all(r == 0)


def test_full_and_no_commitment_third_parties_never_vote() -> None:
    """As KTAB writes thirdPartyVoteSU, both outcomes' utility sums coincide then."""
    rng = np.random.default_rng(1)
    u = rng.random((3, 5))
    pin = rng.random(5)
    for commit in ("full_commit", "no_commit"):
        diff = smp_core._third_party_difference(commit, pin, u[0], u[1], u[2])
        assert np.all(diff == 0)
    semi = smp_core._third_party_difference("semi_commit", pin, u[0], u[1], u[2])
    direct = (pin * (2 * u[0] + u[2]) + (1 - pin) * 3 * u[1]) - (
        pin * 3 * u[0] + (1 - pin) * (2 * u[1] + u[2])
    )
    np.testing.assert_allclose(semi, direct, atol=1e-15)


def test_all_pairs_kernel_matches_the_general_one() -> None:
    sc = ktab.read(DATA / "ktab/dummyData_3Dim.csv")
    a = sc.arrays()
    x, s, c = a.position / 100, a.salience, a.capability[:, 0]
    for commit in ("semi_commit", "no_commit"):
        cfg = smp_core.SMPConfig(third_party_commit=commit, voting_rule="prop_cbc")
        view = smp_core.evaluate_state(x, s, c, cfg)
        p, gain = smp_core.all_pairs_gain(view, s.sum(axis=1), c, cfg)
        ii, jj = np.repeat(np.arange(7), 7), np.tile(np.arange(7), 7)
        p2, g2 = smp_core.probability_and_gain(view, s.sum(axis=1), c, ii, ii, ii, jj, cfg)
        off = ii != jj
        np.testing.assert_allclose(p.ravel()[off], p2[off], atol=1e-12)
        np.testing.assert_allclose(gain.ravel()[off], g2[off], atol=1e-12)


def test_two_option_elections_give_the_pairwise_probability() -> None:
    """With two options, conditional and Markov-uniform PCE both return p_12."""
    c = np.array([[smp_core.MIN_COALITION, 3.0], [1.0, smp_core.MIN_COALITION]])
    for kind in ("conditional", "markov_uniform"):
        p, ok = smp_core.pce(kind, "linear", c)
        assert ok
        assert p[0] == pytest.approx(0.75, abs=1e-5)


@pytest.mark.parametrize("kind", ["markov_uniform", "markov_incentive"])
def test_markov_elections_reach_their_fixed_point(kind: Any) -> None:
    rng = np.random.default_rng(4)
    c = rng.random((5, 5)) * 10
    np.fill_diagonal(c, smp_core.MIN_COALITION)
    p, ok = smp_core.pce(kind, "square", c)
    assert ok and p.sum() == pytest.approx(1.0)
    pv = smp_core.victory_matrix("square", c)
    if kind == "markov_uniform":
        q = (pv.sum(axis=1) * p + pv @ p) / 5
    else:
        inc = c * pv + np.eye(5) * 1e-10
        chal = inc / inc.sum(axis=0, keepdims=True)
        ct = p[:, None] * chal.T
        q = (pv * (ct + ct.T)).sum(axis=1)
    np.testing.assert_allclose(q, p, atol=1e-5)


# -- degenerate inputs ------------------------------------------------------------


def test_positions_only_at_0_and_100() -> None:
    """KTAB aborts ('utility values not in valid range') on inputs like these."""
    r = models.run(
        "smp",
        _scenario([(10, [(0, 50)]), (20, [(100, 80)]), (5, [(0, 30)]), (12, [(100, 90)])]),
    )
    assert np.isfinite(r.forecast).all()
    assert 0 <= r.forecast[0] <= 100


def test_zero_salience_everywhere_is_reported() -> None:
    r = models.run("smp", _scenario([(10, [(0, 0)]), (20, [(60, 0)]), (5, [(90, 0)])]))
    assert {"no_salience", "risk_undefined"} <= _codes(r)
    assert r.trajectory is not None
    assert np.all(r.trajectory[-1] == r.trajectory[0])  # indifferent actors do not move
    assert r.forecast[0] == pytest.approx(50.0)  # uniform election over three positions


def test_one_mute_actor() -> None:
    r = models.run(
        "smp", _scenario([(10, [(0, 50)]), (20, [(60, 0)]), (5, [(90, 70)]), (7, [(40, 20)])])
    )
    assert "zero_salience" in _codes(r)
    assert np.isfinite(r.forecast).all()


def test_coincident_actors() -> None:
    r = models.run("smp", _scenario([(10, [(40, 50), (7, 30)])] * 4))
    assert {"no_disagreement", "risk_undefined"} <= _codes(r)
    np.testing.assert_allclose(r.forecast, [40, 7])
    assert r.status == ("converged", "converged")


def test_one_actor() -> None:
    r = models.run("smp", _scenario([(10, [(40, 50), (70, 20)])]))
    assert {"one_actor", "risk_undefined"} <= _codes(r)
    np.testing.assert_allclose(r.forecast, [40, 70])
    assert r.extra["win_probability"][-1, 0, 0] == 1.0
    assert set(r.extra) == {"win_probability", "risk_attitude", "spaces", "bargains"}
    assert r.extra["bargains"].empty and "initiator" in r.extra["bargains"].columns


def test_zero_capability_everywhere() -> None:
    r = models.run("smp", _scenario([(0, [(0, 50)]), (0, [(60, 40)]), (0, [(90, 70)])]))
    assert "no_capability" in _codes(r)
    assert np.isfinite(r.forecast).all()


def test_an_actor_missing_part_of_a_space_sits_it_out() -> None:
    sc = _scenario(
        [(10, [(0, 50), (10, 20)]), (20, [(60, 40), (50, 30)]), (5, [(90, 20), (80, 10)])],
        missing=(2, 1),
    )
    r = models.run("smp", sc)
    assert "partial_space" in _codes(r)
    assert r.trajectory is not None
    assert np.isnan(r.trajectory[:, 2, :]).all()
    assert np.isfinite(r.forecast).all()


def test_issues_outside_a_space_are_one_dimensional() -> None:
    rows = [(10, [(0, 50), (10, 20)]), (20, [(60, 40), (50, 30)]), (5, [(90, 20), (80, 10)])]
    joint = models.run("smp", _scenario(rows, space=True))
    apart = models.run("smp", _scenario(rows, space=False))
    assert joint.extra["spaces"] == {"all": ("d0", "d1")}
    assert apart.extra["spaces"] == {"d0": ("d0",), "d1": ("d1",)}
    for k in range(2):
        single = models.run("smp", _scenario([(c, [st[k]]) for c, st in rows]))
        assert apart.forecast[k] == pytest.approx(single.forecast[0])


def test_saliences_above_one_in_a_space_are_rescaled() -> None:
    rows = [(10, [(0, 80), (10, 60)]), (20, [(60, 40), (50, 30)]), (5, [(90, 20), (80, 10)])]
    r = models.run("smp", _scenario(rows))
    assert "salience_rescaled" in _codes(r)
    halved = [(10, [(0, 80 / 1.4), (10, 60 / 1.4)]), *rows[1:]]
    same = models.run("smp", _scenario(halved))
    np.testing.assert_allclose(r.forecast, same.forecast, atol=1e-9)


def test_rounds_zero_is_static() -> None:
    r = models.run("smp", ktab.read(DATA / "ktab/dummyData_3Dim.csv"), rounds=0)
    assert r.status == ("static",) * 3 and r.rounds == 0
    assert np.isfinite(r.forecast).all()


def test_first_thirty_deu_issues_run() -> None:
    """KTAB aborted on 10 of the first 30 DEU III issues with at least four salient actors
    (spatial-models.md §5.4): those where every distance is 0 or the whole scale, so that
    risk attitudes change no utility. All 30 run here."""
    chosen = [
        c
        for c in deu.cases()
        if (c.scenario().arrays().salience[c.scenario().arrays().present[:, 0], 0] > 0).sum() >= 4
    ][:30]
    two_point = 0
    for case in chosen:
        sc = case.scenario()
        a = sc.arrays()
        x = a.position[a.present[:, 0], 0]
        gaps = set(np.unique(np.abs(x[:, None] - x[None, :])).tolist())
        two_point += gaps <= {0.0, float(a.scale_max[0] - a.scale_min[0])}
        r = models.run("smp", sc)
        assert np.isfinite(r.forecast).all(), case.id
        assert r.status[0] in ("converged", "cycle", "max_rounds")
    assert two_point == 10


def test_two_cycles_are_reported_with_their_range() -> None:
    found = []
    for case in deu.cases()[:60]:
        r = models.run("smp", case.scenario(), decision_rules=False)
        if r.cycles:
            found.append((case, r))
    assert found
    case, r = found[0]
    c = r.cycles[0]
    assert r.status == ("cycle",)
    assert c.period >= 2
    assert c.forecast_min <= r.forecast[0] <= c.forecast_max
    # KTAB itself runs on to its 100 steps: the same states, repeating
    full = models.run("smp", case.scenario(), stop_at_cycle=False)
    assert full.status == ("max_rounds",)
    assert r.trajectory is not None and full.trajectory is not None
    assert full.trajectory.shape[0] == 101
    t = r.trajectory.shape[0]
    np.testing.assert_array_equal(full.trajectory[:t], r.trajectory)
    np.testing.assert_array_equal(full.trajectory[t - 1], full.trajectory[t - 1 + c.period * 10])


@pytest.mark.parametrize("sid", scenarios.ids())
def test_every_bundled_scenario_runs(sid: str) -> None:
    r = models.run("smp", scenarios.load(sid))
    assert np.isfinite(r.forecast).all()


# -- options and determinism --------------------------------------------------------

OPTION_VALUES = {
    name: field.annotation.__args__  # type: ignore[union-attr]
    for name, field in SMPOptions.model_fields.items()
    if name
    in (
        "voting_rule",
        "victory_prob",
        "pce",
        "transitions",
        "big_r_range",
        "big_r_adjust",
        "third_party_commit",
        "interpolation",
        "bargain_model",
    )
}


@pytest.mark.parametrize(
    ("option", "value"), [(k, v) for k, vs in OPTION_VALUES.items() for v in vs]
)
def test_every_parameter_value_runs(option: str, value: str) -> None:
    sc = ktab.read(DATA / "ktab/dummyData_3Dim.csv")
    r = models.run("smp", sc, rng=3, **{option: value})
    assert np.isfinite(r.forecast).all()
    assert np.isfinite(r.extra["win_probability"]).all()
    default = SMPOptions.model_fields[option].default
    if value != default and option != "transitions":
        base = models.run("smp", sc)
        assert r.trajectory is not None and base.trajectory is not None
        # every non-default value changes the trajectory or the winning probabilities
        same_shape = r.trajectory.shape == base.trajectory.shape
        assert not same_shape or not (
            np.allclose(r.trajectory, base.trajectory)
            and np.allclose(r.extra["win_probability"], base.extra["win_probability"])
        ), (option, value)


def test_stochastic_transitions_are_seeded() -> None:
    sc = ktab.read(DATA / "ktab/dummyData-a040.csv")
    a = models.run("smp", sc, rng=7, transitions="stochastic")
    b = models.run("smp", sc, rng=7, transitions="stochastic")
    c = models.run("smp", sc, rng=8, transitions="stochastic")
    assert a.trajectory is not None and b.trajectory is not None and c.trajectory is not None
    assert np.array_equal(a.trajectory, b.trajectory)
    assert a.seed == 7
    assert a.trajectory.shape != c.trajectory.shape or not np.array_equal(
        a.trajectory, c.trajectory
    )


def test_bad_option_is_named() -> None:
    with pytest.raises(ModelError) as err:
        models.get("smp")(voting_rule="majority")
    assert "options.smp.voting_rule" in str(err.value)
