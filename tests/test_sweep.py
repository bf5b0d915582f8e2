"""Sweeps: identical numbers on every executor and split, exactly-once resume, DuckDB store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from accord import scenarios
from accord.analysis.store import Store, StoreError
from accord.analysis.sweep import (
    QUIET_WORKER,
    Design,
    _workers_share,
    dask_config,
    dask_worker_env,
    local_cluster,
    sweep,
)
from sweep_helpers import minimal_uncertain, register

register()
HERE = Path(__file__).parent
# decision rules off: under the flagships' rules the territory forecast stays at the status quo
TARGETS = [("compromise", {"decision_rules": False}), ("median", {}), ("war.range", {})]
TARGETS += [("war.commit", {})]


def frame(store: Store) -> pd.DataFrame:
    return store.query("SELECT * FROM results ORDER BY draw").reset_index(drop=True)


@pytest.fixture(scope="module")
def flagship():  # type: ignore[no-untyped-def]
    return scenarios.load("ukraine-2023-03")


def test_same_numbers_on_every_executor_and_split(flagship, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import dask

    design = Design("mc", 60, 11)
    seq = frame(
        sweep(
            flagship, TARGETS, design, tmp_path / "seq", executor="sequential", batch_size=25
        ).store
    )
    other = frame(
        sweep(
            flagship, TARGETS, design, tmp_path / "seq7", executor="sequential", batch_size=7
        ).store
    )
    pd.testing.assert_frame_equal(seq, other)
    jl = sweep(
        flagship, TARGETS, design, tmp_path / "jl", executor="joblib", workers=2, batch_size=30
    )
    pd.testing.assert_frame_equal(seq, frame(jl.store))
    with local_cluster(1) as client:  # a worker process, as `--dask local` starts them
        assert list(dask_worker_env(client).values()) == [None]  # the MALLOC_TRIM fix
        quiet = client.run(lambda: {k: dask.config.get(k) for k in QUIET_WORKER})
        assert list(quiet.values()) == [QUIET_WORKER]  # the worker's own threads slowed down
        assert _workers_share(client, str(tmp_path))  # so the workers write the parts
        assert not list(tmp_path.glob(".probe-*"))
        dk = sweep(flagship, TARGETS, design, tmp_path / "dask", dask=client, batch_size=40)
    assert dk.executor == "dask"
    pd.testing.assert_frame_equal(seq, frame(dk.store))
    # `--dask local`: the sweep starts its own cluster (in a thread, during its set-up)
    local = sweep(flagship, TARGETS, design, tmp_path / "local", dask="local", workers=1)
    pd.testing.assert_frame_equal(seq, frame(local.store))
    # the draws differ and the outputs move with them
    assert seq["compromise_T"].std() > 1 and seq["draw"].tolist() == list(range(60))


def test_dask_local_cluster_has_the_malloc_fix() -> None:
    import dask

    with dask.config.set(dask_config()):
        env = dask.config.get("distributed.nanny.pre-spawn-environ")
        assert env.get("MALLOC_TRIM_THRESHOLD_") is None
    assert dask.config.get("distributed.nanny.pre-spawn-environ")["MALLOC_TRIM_THRESHOLD_"] == 65536


def test_stochastic_model_gets_one_generator_per_draw(tmp_path: Path) -> None:
    sc = minimal_uncertain()
    t = [("test.slow", {})]
    a = frame(
        sweep(
            sc, t, Design("mc", 20, 4), tmp_path / "a", executor="sequential", batch_size=20
        ).store
    )
    b = frame(
        sweep(sc, t, Design("mc", 20, 4), tmp_path / "b", executor="sequential", batch_size=3).store
    )
    pd.testing.assert_frame_equal(a, b)
    assert a["noise"].nunique() == 20


def test_killed_sweep_resumes_exactly_once(tmp_path: Path) -> None:
    out = tmp_path / "run"
    n, size = 300, 10
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import sweep_helpers;"
        "from sweep_helpers import minimal_uncertain;"
        "from accord.analysis.sweep import Design, sweep;"
        f"sweep(minimal_uncertain(), [('test.slow', {{}})], Design('mc', {n}, 5), sys.argv[2],"
        f" executor='sequential', batch_size={size})"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(HERE), str(out)])
    parts = out / "parts"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if parts.exists() and len(list(parts.glob("part-*.parquet"))) >= 5:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    stored = Store.open(out)
    done_before = len(stored.done())
    assert 5 <= done_before < n // size and not stored.complete
    assert stored.manifest["finished"] is None
    sc = minimal_uncertain()
    with pytest.raises(StoreError, match="already holds a sweep"):
        sweep(sc, [("test.slow", {})], Design("mc", n, 5), out, executor="sequential")
    with pytest.raises(StoreError, match="different design"):
        sweep(sc, [("test.slow", {})], Design("mc", n, 6), out, resume=True)
    res = sweep(
        sc, [("test.slow", {})], Design("mc", n, 5), out, executor="sequential", resume=True
    )
    assert res.batches_run == n // size - done_before
    store = res.store
    counts = store.query(
        "SELECT count(*) AS n, count(DISTINCT draw) AS d, min(draw) AS lo, max(draw) AS hi FROM results"
    )
    assert counts.iloc[0].tolist() == [n, n, 0, n - 1]
    assert not list(parts.glob("*.tmp"))
    whole = frame(
        sweep(
            sc,
            [("test.slow", {})],
            Design("mc", n, 5),
            tmp_path / "whole",
            executor="sequential",
            batch_size=64,
        ).store
    )
    pd.testing.assert_frame_equal(frame(store), whole)
    assert store.manifest["finished"] is not None


def test_duckdb_query_equals_pandas(flagship, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = sweep(
        flagship,
        TARGETS,
        Design("mc", 150, 2),
        tmp_path / "q",
        executor="sequential",
        batch_size=16,
    ).store
    sql = (
        "SELECT commit_nonempty AS g, count(*) AS n, avg(compromise_T) AS m, "
        'max("actors[RUS].positions.G.salience") AS mx FROM results '
        "WHERE median_T > 10 GROUP BY 1 ORDER BY 1"
    )
    got = store.query(sql)
    df = ds.dataset(store.parts_dir, format="parquet").to_table().to_pandas()
    df = df[df["median_T"] > 10]
    want = (
        df.groupby("commit_nonempty")
        .agg(
            n=("draw", "size"),
            m=("compromise_T", "mean"),
            mx=("actors[RUS].positions.G.salience", "max"),
        )
        .reset_index()
        .rename(columns={"commit_nonempty": "g"})
    )
    assert len(got) == len(want) >= 1
    np.testing.assert_array_equal(got["n"].to_numpy(), want["n"].to_numpy())
    np.testing.assert_allclose(got["m"], want["m"], rtol=1e-12)
    np.testing.assert_allclose(got["mx"], want["mx"], rtol=0)
    m = store.manifest
    assert m["scenario"]["sha256"] and m["versions"]["duckdb"] and m["design"]["seed"] == 2
    assert m["uncertainty"]["numbers"][0]["from"] == "defaults"


def test_batched_models_equal_one_run_per_draw(flagship) -> None:  # type: ignore[no-untyped-def]
    from accord import models
    from accord.analysis.targets import make_target
    from accord.analysis.uncertainty import Sampler, model_rng

    drawn = [d[0] for d in Sampler(flagship).draws(8, range(4))]
    rngs = [model_rng(8, b) for b in range(4)]
    for name in ("eum", "smp"):  # run_many batches draws of equal shape through the kernel
        got = make_target(name, flagship, {})(drawn, rngs)
        for b, sc in enumerate(drawn):
            want = models.run(name, sc).forecast
            for k, iid in enumerate(flagship.issue_ids):
                assert got[f"{name}_{iid}"][b] == pytest.approx(want[k], abs=1e-9)


@pytest.mark.parametrize(
    "verb",
    ["range", "screen", "fight", "commit", "brink", "swap", "mediate", "durability", "settle"],
)
def test_every_war_verb_is_a_sweep_target(verb: str) -> None:
    from accord.analysis.targets import make_target
    from accord.analysis.uncertainty import Sampler, model_rng

    sc = scenarios.load("ukraine-2024-08")
    drawn = [d[0] for d in Sampler(sc).draws(1, range(3))]
    opts = {"runs": 50} if verb in ("fight", "settle") else {}
    name = verb if verb == "settle" else f"war.{verb}"
    out = make_target(name, sc, opts)(drawn, [model_rng(1, b) for b in range(3)])
    if verb == "settle":  # accord settle's engine per draw, side ids in the outputs
        assert {"settle_p_by_12", "settle_p_UKR_won", "settle_p_RUS_won"} <= set(out)
    assert out and all(v.shape == (3,) for v in out.values())
    assert all(np.isfinite(v).any() or k == "swap_first_feasible" for k, v in out.items())


@pytest.mark.parametrize("sid", ["ukraine-2023-03", "ukraine-2024-08"])
def test_settle_without_its_trace_runs_the_same_courses(sid: str) -> None:
    # the sweep target runs settle(trace=False): the month-0 win-set medians of the
    # domestic trace are left out, every run's course must be the one settle gives
    from accord.analysis.settle import run_settle
    from accord.analysis.uncertainty import Sampler

    sc = scenarios.load(sid)
    for k, d in enumerate([sc] + [x[0] for x in Sampler(sc).draws(2, range(2))]):
        full, _ = run_settle(d, runs=300, seed=k)
        lean, _ = run_settle(d, runs=300, seed=k, trace=False)
        for name in ("outcome", "month", "terms", "line", "package"):
            np.testing.assert_array_equal(getattr(full, name), getattr(lean, name))
        assert full.domestic is not None and full.domestic["bounds0"]
        assert lean.domestic is not None and not lean.domestic["bounds0"]
        np.testing.assert_array_equal(full.domestic["blocked"], lean.domestic["blocked"])
