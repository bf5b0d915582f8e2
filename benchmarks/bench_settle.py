"""Speed of accord settle: the full engine on the August 2024 flagship (goal: 1e4 runs x 24
months with the full package search <= 2 s on a 2-core machine), and how time grows with
runs, months and the size of the package space (one more 5-option issue). The flagship's
commitment problem lets most runs skip the search; the "full search" case removes it and
adds reputational costs (the three-piece Nash line), so every run searches every month
until it settles.

``--sweep [--draws N] [--base SRC]``: CPU seconds of one settle call as the sweep's
``settle`` target makes it (1,000 runs x 24 months, no trace; min of 3 repeats) on both
flagships and on the first N (default 20) draws of each under the default judgement
uncertainty, and the wall time of 1,000 such draws predicted with two free cores (half the
CPU, plus the sweep's own cost per draw, :data:`SWEEP_OVERHEAD`).
``--base SRC`` runs the same measurement in a subprocess on another checkout's ``src``
(e.g. ``git archive 7493660 src | tar -x -C /tmp/base``) and prints the ratio side by
side."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of, best_of_cpu
from accord import scenarios
from accord.analysis.settle import run_settle, settle_inputs
from accord.war.settle import PackageIssue, package_space, settle

SWEEP_OVERHEAD = 0.017
"""CPU seconds a sweep spends per settle draw besides the call (workers' start, the draw,
the row, the part): measured 2026-12-01 13:02 UTC at load 7-8, ``bench_sweep.py --case
settle --settle-draws 200`` (workers' CPU 90.7 ms a draw) against this script's 73.7 ms a
call on the same draws' scenario; smaller at 1,000 draws (the workers' start is spread)."""


def main() -> None:
    inp, _ = settle_inputs(scenarios.load("ukraine-2024-08"))
    n_pkg = package_space(inp.issues)["levels"].shape[0]
    print(f"{'case':66s} {'seconds':>9s}")
    for runs, months in ((10_000, 24), (2_500, 24), (40_000, 24), (10_000, 12), (10_000, 48)):
        t = best_of(lambda r=runs, m=months: settle(inp, runs=r, months=m, seed=1), repeat=3)
        label = f"ukraine-2024-08, {runs:,} runs x {months} months, {n_pkg} packages"
        print(f"{label:66s} {t:9.4f}")
    # the search's worst case: no commitment problem, every run searches every month
    busy = inp.with_(commitment=None, psi=(0.02, 0.02))
    t0 = best_of(lambda: settle(busy, runs=10_000, months=0, seed=1), repeat=3)
    label = "full search of 10,000 runs in one month (no commitment, psi 0.02)"
    print(f"{label:66s} {t0:9.4f}")
    label = "  -> upper bound, every run searched in each of 25 months (x25)"
    print(f"{label:66s} {25 * t0:9.4f}")
    extra = PackageIssue("X", (0.0, 25.0, 50.0, 75.0, 100.0), 50.0, (100.0, 0.0), (0.5, 0.4))
    big = inp.with_(issues=(*inp.issues, extra))
    n_big = package_space(big.issues)["levels"].shape[0]
    t = best_of(lambda: settle(big, runs=10_000, months=24, seed=1), repeat=3)
    label = f"ukraine-2024-08 + a 5-option issue, 10,000 x 24, {n_big} packages"
    print(f"{label:66s} {t:9.4f}")


def sweep_calls(draws: int) -> dict[str, dict[str, float]]:
    """CPU seconds per settle call: flagship, and mean/min/max over ``draws`` draws."""
    from accord.analysis.uncertainty import Sampler

    out = {}
    for sid in ("ukraine-2023-03", "ukraine-2024-08"):
        sc = scenarios.load(sid)
        flag = best_of_cpu(lambda sc=sc: run_settle(sc, runs=1000, seed=1, trace=False), 3)
        ds = [d[0] for d in Sampler(sc).draws(7, range(draws))]
        ts = [
            best_of_cpu(lambda d=d, i=i: run_settle(d, runs=1000, seed=100 + i, trace=False), 3)
            for i, d in enumerate(ds)
        ]
        out[sid] = {"flagship": flag, "mean": sum(ts) / len(ts), "min": min(ts), "max": max(ts)}
    return out


def sweep(draws: int, base: str | None) -> None:
    print(f"load {os.getloadavg()[0]:.2f}; CPU s per settle call, 1,000 runs, no trace")
    rows = {"this": sweep_calls(draws)}
    if base:
        env = {**os.environ, "PYTHONPATH": base}
        cmd = [sys.executable, __file__, "--sweep-json", str(draws)]
        rows["base"] = json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True,
                                                 text=True).stdout)  # fmt: skip
    for sid in rows["this"]:
        for name, r in rows.items():
            v = r[sid]
            pred = 1000 * (v["mean"] + SWEEP_OVERHEAD) / 2
            print(f"{sid:16s} {name:5s} flagship {v['flagship']:.4f}; {draws} draws mean "
                  f"{v['mean']:.4f} (min {v['min']:.4f}, max {v['max']:.4f}); 1,000 x 1,000 "
                  f"sweep on 2 cores ~ {pred:.0f} s")  # fmt: skip
        if "base" in rows:
            a, b = rows["this"][sid], rows["base"][sid]
            print(f"{sid:16s} speed-up: flagship {b['flagship'] / a['flagship']:.2f}x, "
                  f"draws {b['mean'] / a['mean']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--sweep-json"]:
        print(json.dumps(sweep_calls(int(args[1]))))
    elif "--sweep" in args:
        n = int(args[args.index("--draws") + 1]) if "--draws" in args else 20
        sweep(n, args[args.index("--base") + 1] if "--base" in args else None)
    else:
        main()
