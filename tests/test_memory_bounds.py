"""Bounded memory (issue 15e): cubes worked in blocks, compact front paths, no eigen-solve.

Oracles: the unblocked computation (one block holds the whole cube, the code path that
reproduces KTAB's reference run in tests/test_smp.py and Scholz's code in
tests/test_eum.py), forced into blocks of 1, 3 and 7 rows through
``ACCORD_MAX_BLOCK_BYTES``; ``war.fight``'s outputs recorded from the dense-path
implementation before this change (tests/data/war/fight_paths_oracle.npz, written by
scripts/record_fight_oracle.py); NumPy's ``leggauss`` for the quadrature tables.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pytest

from accord import limits, models, scenarios, war
from accord.datasets import deu
from accord.errors import ModelError
from accord.models import eum, smp_batch, smp_core
from accord.models.base import ModelResult
from accord.models.eum import EUM
from accord.models.smp import SMP
from accord.scenario.importers import ktab
from accord.scenario.io import scenario_from_data
from accord.scenario.schema import Scenario
from accord.war import _quadrature

HERE = Path(__file__).parent
KTAB = HERE / "data" / "ktab"
ORACLE = HERE / "data" / "war" / "fight_paths_oracle.npz"
sys.path.insert(0, str(HERE.parent / "benchmarks"))
from bench_memory import synthetic  # noqa: E402


def _budget(monkeypatch: pytest.MonkeyPatch, nbytes: int) -> None:
    monkeypatch.setenv("ACCORD_MAX_BLOCK_BYTES", str(nbytes))


def _identical(a: ModelResult, b: ModelResult) -> None:
    assert a.status == b.status and a.rounds == b.rounds
    np.testing.assert_array_equal(a.forecast, b.forecast)
    assert a.trajectory is not None and b.trajectory is not None
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert [e.__dict__ for e in a.events] == [e.__dict__ for e in b.events]
    for key, value in a.extra.items():
        other = b.extra[key]
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, other)
        elif hasattr(value, "equals"):
            assert value.equals(other), key


# -- SMP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("dummyData_3Dim", {}),  # KTAB's reference run (tests/test_smp.py)
        ("dummyData-a040", {"rounds": 3}),
        ("dummyData_6Dim", {"rounds": 4}),
        (
            "dummyData_3Dim",
            {"voting_rule": "asym_prosp", "third_party_commit": "full_commit", "rounds": 4},
        ),
        ("dummyData_3Dim", {"voting_rule": "binary", "bargain_model": "init_rcvr", "rounds": 4}),
    ],
)
def test_smp_blocks_of_1_3_7_rows_give_the_unblocked_numbers(
    name: str, options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sc = ktab.read(KTAB / f"{name}.csv")
    n = len(sc.actors)
    whole = models.run("smp", sc, **options)
    for rows in (1, 3, 7):
        # the challenge cube in blocks of `rows` initiators, coalitions in blocks too
        _budget(monkeypatch, rows * smp_core.pair_row_bytes(n))
        assert limits.block_rows(n, smp_core.pair_row_bytes(n), "x") == rows
        _identical(whole, models.run("smp", sc, **options))


def test_smp_batched_paths_within_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    scs = [c.scenario("nice") for c in deu.cases()[:60:3]]
    batched = SMP().run_many(scs)
    # too small a budget for one batched problem of 11+ actors: those run alone, blocked,
    # and equal their single runs exactly; the others stay batched (equal to 1e-12)
    _budget(monkeypatch, smp_core.pair_row_bytes(30))
    assert smp_batch.problems_per_chunk(11) == 0 < smp_batch.problems_per_chunk(10)
    alone = SMP().run_many(scs)
    assert any(len(sc.actors) >= 11 for sc in scs) and any(len(sc.actors) < 11 for sc in scs)
    for sc, a, b in zip(scs, batched, alone, strict=True):
        if len(sc.actors) >= 11:
            _identical(models.run("smp", sc), b)
        assert a.status == b.status and a.rounds == b.rounds
        np.testing.assert_allclose(a.forecast, b.forecast, rtol=0, atol=1e-12)


def test_smp_draws_within_a_small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    sc = ktab.read(KTAB / "dummyData_6Dim.csv")
    model = SMP(transitions="stochastic", rounds=6)
    wide = model.run_draws(sc, 6, rng=3)
    _budget(monkeypatch, 2 * smp_core.pair_row_bytes(len(sc.actors)))
    narrow = model.run_draws(sc, 6, rng=3)
    np.testing.assert_allclose(wide.forecasts, narrow.forecasts, rtol=0, atol=1e-12)
    assert wide.status == narrow.status
    np.testing.assert_array_equal(wide.rounds, narrow.rounds)


# -- EUM ---------------------------------------------------------------------------------


def _eum_inputs() -> list[Any]:
    return [scenarios.load(s) for s in scenarios.ids()] + [
        c.scenario("nice") for c in deu.cases()[::40]
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_eum_blocks_give_the_unblocked_numbers(rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pair denominators (the paper's preset): every block size, the same numbers."""
    scs = _eum_inputs()
    model = EUM(preset="scholz_paper", rounds=40)
    whole = model.run_many(scs)
    n = 30
    _budget(monkeypatch, rows * eum.VOTE_ARRAYS * 8 * n * n)
    for a, b in zip(whole, model.run_many(scs), strict=True):
        _identical(a, b)


def test_eum_all_triples_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scholz's code: identical while a problem's cube fits in one block; summed in another
    order (to 1e-12) when a problem itself is cut into blocks of options."""
    scs = _eum_inputs()
    model = EUM(preset="scholz_code", rounds=10)
    whole = model.run_many(scs)
    n_max = max(len(sc.actors) for sc in scs)
    _budget(monkeypatch, eum.VOTE_ARRAYS * 8 * n_max**3)  # one problem per block
    for a, b in zip(whole, model.run_many(scs), strict=True):
        _identical(a, b)
    _budget(monkeypatch, 2 * eum.VOTE_ARRAYS * 8 * 30 * 30)  # options in blocks of 2+
    for a, b in zip(whole, model.run_many(scs), strict=True):
        assert a.status == b.status and a.rounds == b.rounds
        assert [(e.round, e.kind, e.actor, e.counterpart) for e in a.events] == [
            (e.round, e.kind, e.actor, e.counterpart) for e in b.events
        ]
        assert a.trajectory is not None and b.trajectory is not None
        np.testing.assert_allclose(a.trajectory, b.trajectory, rtol=1e-12, atol=1e-10)


# -- sizes that cannot fit ---------------------------------------------------------------


def test_a_block_smaller_than_one_row_is_refused_with_its_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sc = ktab.read(KTAB / "dummyData-a040.csv")
    _budget(monkeypatch, 1000)
    with pytest.raises(ModelError) as smp_err:
        models.run("smp", sc)
    assert str(smp_err.value) == (
        "smp: one row of the SMP challenge cube of 40 actors (153,600 bytes) is above the "
        "limit of 1,000 bytes (working block); raise it with ACCORD_MAX_BLOCK_BYTES=N if the "
        "machine can take it"
    )
    with pytest.raises(ModelError, match=r"^eum: one row of the EUM vote cube of 40 actors "):
        models.run("eum", sc)


def test_640_actors_pass_the_size_check_and_absurd_sizes_do_not() -> None:
    small = scenario_from_data(synthetic(4))
    huge = cast(Scenario, SimpleNamespace(actors=range(20_000), issues=small.issues))
    for model in (SMP, EUM):
        assert model.footprint(640, 1) <= limits.CELLS.default
        with pytest.raises(ModelError) as err:
            model().check_size(huge)
        assert str(err.value) == (
            f"{model.name}: 20,000 actors x 1 issues (about 6,400,000,000 cells: 16 x actors^2 "
            "x issues^1) is above the limit of 100,000,000 cells (model working cells); raise "
            "it with ACCORD_MAX_CELLS=N if the machine can take it"
        )


def test_640_actors_run_in_bounded_memory() -> None:
    """One EUM round at 640 actors in a fresh process: the unblocked cubes needed 4.2 GB."""
    code = (
        "import json, resource, sys; sys.path.insert(0, 'benchmarks');"
        "from bench_memory import synthetic; from accord import models;"
        "from accord.scenario.io import scenario_from_data;"
        "r = models.run('eum', scenario_from_data(synthetic(640)), rounds=1);"
        "print(json.dumps([resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, r.rounds]))"
    )
    # a clean environment: nothing another test or tool left in os.environ
    env = {"PATH": os.environ.get("PATH", ""), "ACCORD_MAX_BLOCK_BYTES": str(32 * 2**20)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=HERE.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    peak_kb, rounds = json.loads(out.stdout.strip().splitlines()[-1])
    assert rounds == 1
    assert peak_kb < 1024 * 1024  # 1 GB (about 200 MB measured); the vote cube alone is 2.1 GB


# -- war.fight: compact front paths ------------------------------------------------------


def _oracle_cases() -> dict[str, dict[str, Any]]:
    spec: dict[str, Any] = {}
    text = (HERE.parent / "scripts" / "record_fight_oracle.py").read_text(encoding="utf-8")
    exec(text.split("out = {}")[0], spec)  # the recorded cases, as the script ran them
    cases: dict[str, dict[str, Any]] = spec["CASES"]
    return cases


ARGS = ("N", "start", "theta", "alpha_A", "beta_A", "alpha_B", "beta_B", "c_A", "c_B")


@pytest.mark.parametrize("name", list(_oracle_cases()))
def test_fight_paths_equal_the_dense_implementation(name: str) -> None:
    ref = np.load(ORACLE)
    kw = dict(_oracle_cases()[name])
    args = [kw.pop(k) for k in ARGS]
    r = war.fight(*args, **kw, keep_paths=True)
    for key in ("outcome", "time", "point", "territory", "front"):
        np.testing.assert_array_equal(np.asarray(r[key]), ref[f"{name}.{key}"])
    summary = [r.mean_time, r.se_time, r.mean_time_ended, r.gap0, *r.p_outcome.values()]
    np.testing.assert_array_equal(np.array(summary, dtype=float), ref[f"{name}.summary"])
    dense = ref[f"{name}.paths"]
    paths = r.paths
    assert isinstance(paths, war.FrontPaths)
    assert paths.shape == dense.shape and paths.dtype == dense.dtype
    np.testing.assert_array_equal(np.asarray(paths), dense)
    np.testing.assert_array_equal(paths[5:17, 3:40], dense[5:17, 3:40])
    np.testing.assert_array_equal(paths[:, ::7], dense[:, ::7])
    np.testing.assert_array_equal(paths[9], dense[9])
    np.testing.assert_array_equal(paths.window(2, 11, np.array([0, 4, 2])), dense[[0, 4, 2], 2:11])
    # held: one state per run and battle fought, not runs x (max_battles + 1)
    fought = int(np.sum(r.time[r.time > 0]))
    assert paths.nbytes == (fought + dense.shape[0]) * dense.itemsize


def test_fight_paths_memory_follows_the_runs_still_on() -> None:
    r = war.fight(100, 50, 0.5, 3.0, 2.0, 2.0, 3.0, 0.0, 0.0, runs=2000, max_battles=12_800,
                  rng=1, update=False)  # fmt: skip
    dense_bytes = 2000 * 12_801 * 2
    assert r.paths.nbytes < dense_bytes / 3  # the mean run lasts s (N - s) = 2,500 battles
    assert r.time.max() == 12_800  # yet one run is still on at the end


def test_fight_paths_are_refused_when_they_outgrow_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACCORD_MAX_CELLS", "120000")
    args = (100, 50, 0.5, 3.0, 2.0, 2.0, 3.0, 0.0, 0.0)
    r = war.fight(*args, runs=1000, max_battles=1000, rng=1, update=False, keep_paths=False)
    assert r.runs == 1000
    with pytest.raises(ModelError) as err:
        war.fight(*args, runs=1000, max_battles=1000, rng=1, update=False)
    assert re.fullmatch(  # int16 states: four run-battles to a cell
        r"runs: front paths of 480,[0-9]{3} run-battles after [0-9]{3} battles \(120,[0-9]{3} "
        r"cells of 8 bytes\) is above the limit of 120,000 cells \(model working cells\); raise "
        r"it with ACCORD_MAX_CELLS=N if the machine can take it; or run without paths",
        str(err.value),
    ), str(err.value)


# -- quadrature --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [160, 400])
def test_tabulated_nodes_are_numpys_leggauss(n: int) -> None:
    x, w = _quadrature.leggauss(n)
    want_x, want_w = np.polynomial.legendre.leggauss(n)
    np.testing.assert_allclose(x, want_x, rtol=0, atol=1e-15)
    np.testing.assert_allclose(w, want_w, rtol=0, atol=1e-15)


@pytest.mark.parametrize("n", [1, 2, 7, 64, 161, 401])
def test_newton_nodes_for_other_sizes(n: int) -> None:
    x, w = _quadrature.leggauss(n)
    want_x, want_w = np.polynomial.legendre.leggauss(n)
    np.testing.assert_allclose(x, want_x, rtol=0, atol=1e-15)
    np.testing.assert_allclose(w, want_w, rtol=0, atol=3e-14)  # leggauss's own error near ±1
    # exact for polynomials of degree 2n - 1
    for k in range(0, 2 * n, max(1, n // 4)):
        assert np.dot(w, x**k) == pytest.approx(2 / (k + 1) if k % 2 == 0 else 0.0, abs=1e-13)


def test_war_models_run_without_an_eigenvalue_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("an eigenvalue solve at run time")

    for name in ("eig", "eigh", "eigvals", "eigvalsh"):
        monkeypatch.setattr(np.linalg, name, refuse)
    monkeypatch.setattr(np.polynomial.legendre, "leggauss", refuse)
    from accord.war import fighting, settle

    fighting._legendre.cache_clear()
    settle._nodes.cache_clear()
    _quadrature.leggauss.cache_clear()
    r = war.fight(20, 10, 0.5, 3.0, 2.0, 2.0, 3.0, 0.01, 0.01, runs=50, rng=1)
    assert r.runs == 50
    assert np.isfinite(war.expected_win(3.0, 2.0, 10, 20))
    x, _ = settle._nodes(160)
    assert x.shape == (160,)
