"""Speed and memory of sweeps (issue 14's goals; ratios, never timed assertions).

1. ``flagship``: 10⁴ draws of compromise + median on ``ukraine-2024-08`` under default
   judgement uncertainty (217 drawn numbers): sequential, joblib with 2 processes (cold:
   the first sweep of the process starts the loky workers; warm: a later sweep reuses
   them), and a 2-worker Dask LocalCluster (cold: started by the sweep; warm: a running
   cluster's Client passed in). Goal: 2 processes >= 1.6x sequential (EMA Workbench's
   MultiprocessingEvaluator: 0.4x, negotiation-gametheory-libs.md §5).
2. ``store``: 10⁶ draws of a cheap model (the bargaining range, vectorised per batch) on a
   three-number war scenario through the store: peak memory (this process and its
   workers, ``ru_maxrss``) must stay under 1 GB, rows streamed part by part.
3. ``settle``: 1,000 draws x 1,000 runs of ``accord settle`` on ``ukraine-2024-08``: joblib
   2 processes (goal <= 60 s) and a 2-worker Dask LocalCluster (goal: within 15 %).

The machine is shared, so every wall-clock figure is printed with the load average at
that moment, and next to it a prediction that does not depend on the other load: the CPU
seconds each process spent (this process before the first task, this process while the
workers ran, each worker, read from /proc) give the wall time the same run would take
with two free cores, ``pre + max(max_w cpu_w, (sum_w cpu_w + during) / 2)``, and the
sequential run's CPU seconds its time; their ratio is the speed-up on a quiet machine.

``python benchmarks/bench_sweep.py [--quick] [--case flagship,store,settle] [--repeat R]
[--settle-draws N] [--no-dask] [--json FILE]`` (default: flagship and store, 3 repeats; ``--quick``:
2,000 and 10⁵ draws, 100 settle draws).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord import scenarios
from accord.analysis.sweep import Design, local_cluster, sweep
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

TICK = os.sysconf("SC_CLK_TCK")
RECORD: list[dict[str, Any]] = []


def load() -> float:
    return os.getloadavg()[0]


def _descendants() -> dict[int, float]:
    """CPU seconds of every live process below this one (loky workers, Dask nannies and
    workers), from /proc."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICK
    mine, todo = {}, [os.getpid()]
    while todo:
        p = todo.pop()
        for child, ppid in parent.items():
            if ppid == p and child not in mine:
                mine[child] = cpu[child]
                todo.append(child)
    return mine


def _reaped() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Meter:
    """Wall and CPU seconds of one sweep: this process before the first task is
    dispatched (set-up, pilot) and after, and every worker process."""

    def __init__(self, parallel: bool) -> None:
        self.first: float | None = None
        self.kids_at_first: dict[int, float] = {}
        self.parallel = parallel

    def progress(self, done: int, total: int) -> None:
        if self.first is None:
            self.first = time.process_time()
            self.kids_at_first = _descendants()  # workers started early: CPU spent so far
            self.wall_at_first = time.perf_counter()

    def __enter__(self) -> Meter:
        self.kids0, self.reaped0 = _descendants(), _reaped()
        self.cpu0, self.t0, self.load0 = time.process_time(), time.perf_counter(), load()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.cpu0
        self.pre = (self.first if self.first is not None else self.cpu0) - self.cpu0
        kids = _descendants()
        spent = {p: c - self.kids0.get(p, 0.0) for p, c in kids.items()}
        early = {p: c - self.kids0.get(p, 0.0) for p, c in self.kids_at_first.items()}
        busy = [p for p, c in spent.items() if c > 0.05]
        self.workers = sorted((spent[p] for p in busy), reverse=True)
        self.workers_pre = [max(0.0, early.get(p, 0.0)) for p in busy]
        self.workers_post = [spent[p] - max(0.0, early.get(p, 0.0)) for p in busy]
        self.reaped = _reaped() - self.reaped0  # processes that ended during the run
        if not self.parallel:  # idle loky workers of an earlier sweep ending now: not ours
            self.workers, self.reaped = [], 0.0
            self.workers_pre, self.workers_post = [], []
        self.load1 = load()

    @property
    def predicted(self) -> float:
        """Wall seconds with two free cores (see the module docstring)."""
        # processes that ended (a cold Dask cluster's nannies and workers): their CPU
        # seconds are known only in sum, taken as spread over the two workers
        # Two phases. Until the first task is sent, this process's set-up and pilot run
        # alongside whatever the workers started early (a warm-up: their imports); after
        # it, the workers' remaining CPU and this process's. Each phase takes the longer
        # of its busiest process and its CPU spread over two cores.
        extra = [self.reaped / 2] * 2 if self.reaped > 0.05 else []
        pre_w, post_w = list(self.workers_pre), list(self.workers_post) + extra
        if not pre_w and not post_w:
            return self.cpu
        during = self.cpu - self.pre
        phase1 = max([self.pre, *pre_w, (self.pre + sum(pre_w)) / 2])
        phase2 = max([*post_w, (sum(post_w) + during) / 2])
        return phase1 + phase2


def run(label: str, case: str, n: int, **kw: Any) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        with Meter(kw.get("executor") != "sequential") as m:
            res = sweep(out=tmp / "s", progress=m.progress, **kw)
        cpu_w = [round(w, 3) for w in m.workers]
        cpu_w += [round(m.reaped, 3)] if m.reaped > 0.05 else []
        row: dict[str, Any] = {
            "case": case,
            "label": label,
            "draws": n,
            "wall": round(m.wall, 3),
            "cpu_main": round(m.cpu, 3),
            "cpu_main_before_tasks": round(m.pre, 3),
            "cpu_workers": cpu_w,
            "cpu_workers_before_tasks": [round(w, 3) for w in m.workers_pre],
            "predicted_wall_2_free_cores": round(m.predicted, 3),
            "batch_size": int(res.store.manifest["batch_size"]),
            "tasks": int(res.store.manifest["batches"]),
            "load_before": round(m.load0, 2),
            "load_after": round(m.load1, 2),
        }
        RECORD.append(row)
        print(
            f"{label:50s} {m.wall:7.2f} s  cpu main {m.cpu:5.2f} (pre {m.pre:4.2f}) "
            f"workers {'+'.join(f'{w:.2f}' for w in cpu_w) or '-':>11s} "
            f"(pre {'+'.join(f'{w:.2f}' for w in m.workers_pre) or '-'})  "
            f"pred {m.predicted:6.2f} s  {row['tasks']} tasks x {row['batch_size']}  "
            f"load {m.load0:.1f}->{m.load1:.1f}",
            flush=True,
        )
        return row
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def best(rows: list[dict[str, Any]], key: str = "wall") -> float:
    return min(float(r[key]) for r in rows)


def repeat(r: int, fn: Callable[[], dict[str, Any]]) -> list[dict[str, Any]]:
    return [fn() for _ in range(r)]


def flagship(quick: bool, r: int, dask: bool = True) -> None:
    n = 2_000 if quick else 10_000
    sc = scenarios.load("ukraine-2024-08")
    kw: dict[str, Any] = {
        "scenario": sc,
        "targets": [("compromise", {}), ("median", {})],
        "design": Design("mc", n, 1),
    }
    lab = f"{n:,} draws compromise+median"
    # cold first: no loky worker exists yet in this process
    cold = run(f"{lab}, joblib 2, cold", "joblib_cold", n, executor="joblib", workers=2, **kw)
    # warm next: loky ends workers left idle for 300 s
    warm = repeat(r, lambda: run(f"{lab}, joblib 2, warm", "joblib_warm", n, executor="joblib",
                                 workers=2, **kw))  # fmt: skip
    seq = repeat(r, lambda: run(f"{lab}, sequential", "sequential", n, executor="sequential", **kw))
    if not dask:
        dcold, dwarm = None, []
    else:
        dcold = run(f"{lab}, Dask 2 workers, cold", "dask_cold", n, dask="local", workers=2, **kw)
        with local_cluster(2) as client:
            run(f"{lab}, Dask 2 workers (warm-up)", "dask_warmup", n, dask=client, **kw)
            dwarm = repeat(r, lambda: run(f"{lab}, Dask 2 workers, warm", "dask_warm", n,
                                          dask=client, **kw))  # fmt: skip
    t_seq, cpu_seq = best(seq), best(seq, "cpu_main")
    print(f"\nsequential: best {t_seq:.2f} s wall, {cpu_seq:.2f} s CPU "
          f"({1e3 * cpu_seq / n:.2f} ms CPU per draw)")  # fmt: skip
    dask_cold = [dcold] if dcold else []
    for name, rows in (("joblib 2, cold", [cold]), ("joblib 2, warm", warm),
                       ("Dask 2, cold", dask_cold), ("Dask 2, warm", dwarm)):  # fmt: skip
        if not rows:
            continue
        pred = best(rows, "predicted_wall_2_free_cores")
        print(f"speed-up {name:15s}: measured {t_seq / best(rows):.2f}x (load "
              f"{rows[0]['load_before']}), predicted with 2 free cores {cpu_seq / pred:.2f}x "
              f"(goal >= 1.6x)")  # fmt: skip


def store(quick: bool) -> None:
    rows = 100_000 if quick else 1_000_000
    cheap = loads(CHEAP)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    try:
        t0, l0 = time.perf_counter(), load()
        res = sweep(cheap, [("war.range", {})], Design("mc", rows, 2), tmp / "s",
                    executor="joblib", workers=2, batch_size=10_000)  # fmt: skip
        dt = time.perf_counter() - t0
        parts = len(list((tmp / "s" / "parts").glob("*.parquet")))
        size = sum(f.stat().st_size for f in (tmp / "s" / "parts").iterdir()) / 2**20
        t1 = time.perf_counter()
        q = res.store.query("SELECT avg(range_midpoint) AS m, count(*) AS n FROM results")
        dq = time.perf_counter() - t1
        me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        live = _descendants()
        worker_rss = []
        for pid in live:
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            worker_rss.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        peak_worker = max([kids, *worker_rss])
        print(f"{rows:,} cheap draws through the store, joblib 2: {dt:.1f} s, {parts} parts, "
              f"{size:.1f} MB on disk (load {l0:.1f})")  # fmt: skip
        print(f"DuckDB avg over {int(q['n'][0]):,} rows: {dq:.3f} s")
        print(f"peak RSS: this process {me:.0f} MB, largest worker {peak_worker:.0f} MB "
              "(goal < 1024 MB each)")  # fmt: skip
        RECORD.append({"case": "store", "draws": rows, "wall": round(dt, 2), "parts": parts,
                       "disk_mb": round(size, 1), "duckdb_s": round(dq, 3),
                       "peak_rss_main_mb": round(me), "peak_rss_worker_mb": round(peak_worker),
                       "load_before": round(l0, 2)})  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def settle(quick: bool, draws: int | None) -> None:
    k = draws or (100 if quick else 1000)
    sc = scenarios.load("ukraine-2024-08")
    kw: dict[str, Any] = {
        "scenario": sc,
        "targets": [("settle", {"runs": 1000})],
        "design": Design("mc", k, 3),
    }
    lab = f"{k:,} draws x 1,000 runs of settle"
    a = run(f"{lab}, joblib 2", "settle_joblib", k, executor="joblib", workers=2, **kw)
    b = run(f"{lab}, Dask 2 workers", "settle_dask", k, dask="local", workers=2, **kw)
    print(f"joblib {a['wall']:.1f} s (goal <= 60 s; predicted with 2 free cores "
          f"{a['predicted_wall_2_free_cores']:.1f} s); Dask / joblib {b['wall'] / a['wall']:.2f} "
          f"(predicted {b['predicted_wall_2_free_cores'] / a['predicted_wall_2_free_cores']:.2f}; "
          "goal <= 1.15)")  # fmt: skip


def main() -> None:
    args = sys.argv[1:]
    quick = "--quick" in args
    cases = ["flagship", "store"]
    r = 3
    out = None
    k_settle = None
    for i, a in enumerate(args):
        if a == "--settle-draws":
            k_settle = int(args[i + 1])
        if a == "--case":
            cases = args[i + 1].split(",")
        if a == "--repeat":
            r = int(args[i + 1])
        if a == "--json":
            out = args[i + 1]
        if a == "--settle":  # the earlier spelling
            cases.append("settle")
    print(f"cores: {os.cpu_count()}; load average at start {os.getloadavg()}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # Then no process writes accord's bytecode, and every new worker compiles accord's
        # sources before its first draw (about 0.05 s of CPU each); an ordinary install
        # writes it on the first import, as pip did for the installed packages.
        import compileall

        import accord

        compileall.compile_dir(os.path.dirname(accord.__file__), quiet=1)
        print("PYTHONDONTWRITEBYTECODE is set: accord's bytecode compiled first (compileall)")
    if "flagship" in cases:
        flagship(quick, r, dask="--no-dask" not in args)
    if "store" in cases:
        store(quick)
    if "settle" in cases:
        settle(quick, k_settle)
    if out:
        Path(out).write_text(json.dumps(RECORD, indent=1))


if __name__ == "__main__":
    main()
