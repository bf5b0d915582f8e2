"""The SMP's batch axis: every batched problem must equal its own single run.

Oracle: :meth:`SMP.run` one scenario (or one seeded draw) at a time, the path that
reproduces KTAB's reference run (tests/test_smp.py). The batched kernel differs from it
only in the order of floating-point sums, so every number agrees to 10⁻¹², every
discrete outcome (bargains, choices, stopping round, status) exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord import scenarios
from accord.datasets import deu
from accord.errors import ModelError
from accord.models import smp_batch, smp_core
from accord.models.base import Model, ModelResult
from accord.models.compromise import Compromise
from accord.models.smp import SMP
from accord.scenario.importers import ktab

DATA = Path(__file__).parent / "data" / "ktab"
TOL = 1e-12


def _same(one: ModelResult, many: ModelResult) -> None:
    assert many.scenario_id == one.scenario_id
    assert many.status == one.status
    assert many.rounds == one.rounds
    np.testing.assert_allclose(many.forecast, one.forecast, rtol=0, atol=TOL)
    assert one.trajectory is not None and many.trajectory is not None
    np.testing.assert_allclose(many.trajectory, one.trajectory, rtol=0, atol=TOL)
    for key in ("win_probability", "risk_attitude"):
        np.testing.assert_allclose(many.extra[key], one.extra[key], rtol=0, atol=TOL)
    assert [d.code for d in many.diagnostics] == [d.code for d in one.diagnostics]
    assert [(c.issue, c.start, c.period) for c in many.cycles] == [
        (c.issue, c.start, c.period) for c in one.cycles
    ]
    for c, d in zip(many.cycles, one.cycles, strict=True):
        assert abs(c.forecast_min - d.forecast_min) <= TOL
        assert abs(c.forecast_max - d.forecast_max) <= TOL
    a, b = one.extra["bargains"], many.extra["bargains"]
    assert a.shape == b.shape
    for col in ("round", "initiator", "receiver", "adopted_by_initiator", "adopted_by_receiver"):
        assert a[col].tolist() == b[col].tolist()
    for col in ("p_win", "gain"):
        np.testing.assert_allclose(b[col], a[col], rtol=0, atol=TOL)
    assert [(e.round, e.kind, e.actor) for e in many.events] == [
        (e.round, e.kind, e.actor) for e in one.events
    ]


def test_run_many_equals_one_by_one_on_deu() -> None:
    # every fourth DEU III issue: 89 scenarios of 2 to 30 actors, positions at 0 and 100,
    # coincident actors, cycles and converged runs, batched by actor count
    cases = deu.cases()[::4]
    scs = [c.scenario("nice") for c in cases]
    model = SMP()
    many = model.run_many(scs)
    assert len({len(sc.actors) for sc in scs}) > 5
    assert {r.status[0] for r in many} >= {"converged", "cycle"}
    for sc, res in zip(scs, many, strict=True):
        _same(model.run(sc), res)


def test_the_default_run_many_is_a_loop() -> None:
    scs = [c.scenario("nice") for c in deu.cases()[:5]]
    model: Model = Compromise()
    for sc, res in zip(scs, model.run_many(scs), strict=True):
        np.testing.assert_array_equal(res.forecast, model.run(sc).forecast)


@pytest.mark.parametrize(
    "options",
    [
        {
            "voting_rule": "binary",
            "victory_prob": "square",
            "interpolation": "s2pmax",
            "big_r_range": "max",
        },
        {"voting_rule": "asym_prosp", "third_party_commit": "full_commit", "big_r_adjust": "half"},
        {"voting_rule": "prop_cbc", "victory_prob": "binary", "interpolation": "s1p1"},
    ],
)
def test_batched_kernel_matches_single_runs_under_other_options(options: dict[str, str]) -> None:
    scs = [c.scenario("nice") for c in deu.cases()[:60:3]]
    model = SMP(**options)
    for sc, res in zip(scs, model.run_many(scs), strict=True):
        _same(model.run(sc), res)


@pytest.mark.parametrize("name", ["dummyData_3Dim", "ukraine"])
def test_each_draw_equals_its_single_seeded_run(name: str) -> None:
    # ukraine-2024-08: seven issues, each its own policy space, so every draw's generator
    # is consumed space after space, as in a single run
    sc = scenarios.load("ukraine-2024-08") if name == "ukraine" else ktab.read(DATA / f"{name}.csv")
    model = SMP(transitions="stochastic")
    draws = model.run_draws(sc, 12, rng=2024, keep_results=True)
    children = np.random.default_rng(2024).spawn(12)
    rounds = set()
    for child, res in zip(children, draws.results, strict=True):
        one = model.run(sc, rng=child)
        _same(one, res)
        rounds.add(res.rounds)
    assert len(rounds) > 1  # draws stop at different rounds: finished draws are masked
    f = draws.forecasts
    assert f.shape == (12, len(sc.issues))
    np.testing.assert_array_equal(f, np.stack([r.forecast for r in draws.results]))
    assert draws.rounds.tolist() == [r.rounds for r in draws.results]
    assert draws.status == tuple(r.status for r in draws.results)
    light = model.run_draws(sc, 12, rng=2024)
    assert light.results == ()
    np.testing.assert_array_equal(light.forecasts, f)
    assert np.ptp(f, axis=0).max() > 0  # the draws differ
    summary = draws.summary()
    np.testing.assert_allclose(summary["mean"], f.mean(axis=0))
    np.testing.assert_allclose(summary["q50"], np.median(f, axis=0))
    assert (summary["q5"] <= summary["q95"]).all()


def test_draws_are_reproducible_and_seeded() -> None:
    sc = ktab.read(DATA / "dummyData_3Dim.csv")
    model = SMP(transitions="stochastic")
    a, b = model.run_draws(sc, 5, rng=3), model.run_draws(sc, 5, rng=3)
    np.testing.assert_array_equal(a.forecasts, b.forecasts)
    assert a.seed == 3
    assert not np.array_equal(a.forecasts, model.run_draws(sc, 5, rng=4).forecasts)


def test_at_least_one_draw() -> None:
    sc = ktab.read(DATA / "dummyData_3Dim.csv")
    with pytest.raises(ModelError, match="draw"):
        SMP(transitions="stochastic").run_draws(sc, 0)


def test_settings_outside_the_batched_kernel_run_one_by_one() -> None:
    cfg = smp_core.SMPConfig(pce="markov_uniform")
    assert not smp_batch.batchable(cfg, 5)
    sc = ktab.read(DATA / "dummyData_3Dim.csv")
    model = SMP(pce="markov_uniform", bargain_model="init_rcvr")
    (res,) = model.run_many([sc])
    _same(model.run(sc), res)


def test_small_chunks_give_the_same_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    scs = [c.scenario("nice") for c in deu.cases()[:40]]
    whole = SMP().run_many(scs)
    monkeypatch.setattr(smp_batch, "problems_per_chunk", lambda n: 1)  # one per chunk
    for a, b in zip(whole, SMP().run_many(scs), strict=True):
        _same(a, b)
