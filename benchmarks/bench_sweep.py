"""Speed and memory of sweeps (issue 14's goals; ratios, never timed assertions).

1. 10⁴ draws of compromise + median on the flagship ``ukraine-2024-08`` under default
   judgement uncertainty: sequential, joblib with 2 processes, and a 2-worker Dask
   LocalCluster. Goal: 2 processes >= 1.6× sequential (EMA Workbench's
   MultiprocessingEvaluator: 0.4×, negotiation-gametheory-libs.md §5).
2. 10⁶ draws of a cheap model (the bargaining range, vectorised per batch) on a
   three-number war scenario through the store: peak memory (this process and its
   worker processes, ``ru_maxrss``) must stay under 1 GB, rows streamed part by part.

3. (``--settle``) 1,000 draws × 1,000 runs of ``accord settle`` on ``ukraine-2024-08``:
   joblib 2 processes (goal <= 60 s) and a 2-worker Dask LocalCluster (goal: within 15 %).

``python benchmarks/bench_sweep.py [--quick] [--settle]`` (``--quick``: 2,000 and 10⁵
draws; 100 settle draws).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from accord import scenarios
from accord.analysis.sweep import Design, sweep
from accord.scenario.io import loads

CHEAP = """\
id: cheap
title: A war with three uncertain numbers
salience_scale: 100
issues:
  - {id: T, name: Territory, status_quo: 20}
actors:
  - {id: A, name: Side A, capability: 50, positions: {T: {position: 100, salience: 90}}}
  - {id: B, name: Side B, capability: 80, positions: {T: {position: 0, salience: 90}}}
war:
  belligerents: [A, B]
  issue: T
  p: {value: 0.3, judgement: true}
  costs: {A: {value: 0.2, judgement: true}, B: {value: 0.1, judgement: true}}
"""


def _rss_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def timed(label: str, **kw: object) -> float:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        t0 = time.perf_counter()
        res = sweep(out=tmp / "s", **kw)  # type: ignore[arg-type]
        dt = time.perf_counter() - t0
        print(f"{label:58s} {dt:9.2f} s  ({res.store.manifest['batch_size']} draws per task)")
        return dt
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    quick = "--quick" in sys.argv
    n = 2_000 if quick else 10_000
    sc = scenarios.load("ukraine-2024-08")
    targets = [("compromise", {}), ("median", {})]
    common = {"scenario": sc, "targets": targets, "design": Design("mc", n, 1)}
    print(f"{'case':58s} {'seconds':>11s}")
    seq = timed(f"{n:,} draws compromise+median, sequential", executor="sequential", **common)
    jl = timed(f"{n:,} draws compromise+median, joblib 2 processes", executor="joblib",
               workers=2, **common)  # fmt: skip
    dk = timed(f"{n:,} draws compromise+median, Dask LocalCluster 2 workers", dask="local",
               workers=2, **common)  # fmt: skip
    print(f"speed-up, joblib 2 processes vs sequential: {seq / jl:.2f}x (goal >= 1.6x)")
    print(f"speed-up, Dask 2 workers vs sequential:     {seq / dk:.2f}x")

    rows = 100_000 if quick else 1_000_000
    cheap = loads(CHEAP)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        t0 = time.perf_counter()
        res = sweep(cheap, [("war.range", {})], Design("mc", rows, 2), tmp / "s",
                    executor="joblib", workers=2, batch_size=10_000)  # fmt: skip
        dt = time.perf_counter() - t0
        parts = len(list((tmp / "s" / "parts").glob("*.parquet")))
        size = sum(f.stat().st_size for f in (tmp / "s" / "parts").iterdir()) / 2**20
        t1 = time.perf_counter()
        q = res.store.query("SELECT avg(range_midpoint) AS m, count(*) AS n FROM results")
        dq = time.perf_counter() - t1
        me, kids = _rss_mb()
        print(f"{rows:,} cheap draws through the store, joblib 2 processes: {dt:.1f} s, "
              f"{parts} parts, {size:.1f} MB on disk")  # fmt: skip
        print(f"DuckDB avg over {int(q['n'][0]):,} rows: {dq:.3f} s")
        print(f"peak RSS: this process {me:.0f} MB, largest worker {kids:.0f} MB (goal < 1024 MB)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if "--settle" in sys.argv:
        k = 100 if quick else 1000
        st = {"scenario": sc, "targets": [("settle", {"runs": 1000})], "design": Design("mc", k, 3)}
        a = timed(f"{k:,} draws x 1,000 runs of settle, joblib 2 processes", executor="joblib",
                  workers=2, **st)  # fmt: skip
        b = timed(f"{k:,} draws x 1,000 runs of settle, Dask 2 workers", dask="local",
                  workers=2, **st)  # fmt: skip
        print(f"Dask / joblib: {b / a:.2f} (goal <= 1.15)")
    print(f"(cores: {os.cpu_count()}; the machine is shared, so ratios vary with its load)")


if __name__ == "__main__":
    main()
