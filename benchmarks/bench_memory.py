"""Peak memory and time of the models that grow fastest with the number of actors.

Each case runs in a fresh process (``python bench_memory.py --child MODEL SIZE ROUNDS``)
so that its peak resident set size (``ru_maxrss`` of that child, from ``os.wait4``) is its
own: imports included, nothing left over from an earlier case. Scenarios are synthetic and
seeded (:func:`synthetic`): SIZE actors on one issue, positions uniform on 0-100,
saliences and capabilities uniform on 0-1 (``numpy.random.default_rng(2026)``).

Cases ``model:size[:rounds]``: SMP (KTAB's spatial model) and EUM (expected utility) at
80, 240 and 640 actors (the larger ones for a few rounds: memory per round is bounded, so
a few rounds show the peak and keep the run short), within the block budget in force
(``ACCORD_MAX_BLOCK_BYTES``, default 128 MiB); and ``war.fight`` keeping front paths,
``fight:RUNS`` runs x 12,800 battles (beliefs frozen apart, no costs: no run settles, each
ends when the front reaches 0 or N, after 2,500 battles on average). The machine is
shared, so times are noisy; peak memory is not.

``python benchmarks/bench_memory.py`` runs the default cases; ``--quick`` only small ones;
``--case smp:640:5`` (repeatable) picks cases.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
DEFAULT = (
    "smp:80", "smp:240:10", "smp:640:3", "eum:80", "eum:240:20", "eum:640:5", "fight:30000",
)  # fmt: skip
QUICK = ("smp:80", "eum:80:20", "fight:3000")


def synthetic(n: int, seed: int = 2026) -> dict[str, Any]:
    """A one-issue scenario of ``n`` actors (seeded): the benchmark's input."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pos, sal, cap = rng.random(n) * 100, rng.random(n), rng.random(n)
    return {
        "id": f"synthetic-{n}",
        "title": f"{n} synthetic actors on one issue",
        "salience_scale": 1,
        "issues": [{"id": "x", "name": "x"}],
        "actors": [
            {
                "id": f"a{i}",
                "name": f"a{i}",
                "capability": float(cap[i]),
                "positions": {"x": {"position": float(pos[i]), "salience": float(sal[i])}},
            }
            for i in range(n)
        ],
    }


def child(model: str, size: int, rounds: int | None) -> dict[str, Any]:
    """Run one case in this process; what it computed, for the parent to print."""
    t0 = time.perf_counter()
    if model == "fight":
        from accord import war

        r = war.fight(
            100, 50, 0.5, 3.0, 2.0, 2.0, 3.0, 0.0, 0.0,
            runs=size, max_battles=12_800, rng=1, update=False, keep_paths=True,
        )  # fmt: skip
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "longest": int(r.time.max()), "shape": list(r.paths.shape)}
    from accord import models
    from accord.scenario.io import scenario_from_data

    sc = scenario_from_data(synthetic(size))
    t1 = time.perf_counter()
    res = models.run(model, sc, **({} if rounds is None else {"rounds": rounds}))
    seconds = time.perf_counter() - t1
    return {"seconds": seconds, "states": res.rounds + 1, "forecast": float(res.forecast[0])}


def measure(case: str) -> dict[str, Any]:
    """Run ``case`` (``model:size[:rounds]``) in a child process: output, peak RSS, time."""
    model, size, *rounds = case.split(":")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(HERE), "--child", model, size, *(rounds or ["-"])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    row: dict[str, Any] = {"case": case, "wall": wall, "peak_mb": usage.ru_maxrss / 1024}
    if os.waitstatus_to_exitcode(status) == 0:
        row.update(json.loads(out.strip().splitlines()[-1]))
    else:
        row["error"] = (err.strip().splitlines() or ["?"])[-1][:160]
    return row


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--case", action="append", help="model:size[:rounds] (repeatable)")
    ap.add_argument("--quick", action="store_true", help="only the small cases")
    ap.add_argument("--json", type=Path, help="also write the rows to this file")
    args = ap.parse_args(argv)
    if args.child:
        model, size, rounds = args.child
        print(json.dumps(child(model, int(size), None if rounds == "-" else int(rounds))))
        return
    cases = args.case or (QUICK if args.quick else DEFAULT)
    budget = os.environ.get("ACCORD_MAX_BLOCK_BYTES", "default")
    print(f"peak RSS per case, each in a fresh process (block budget: {budget})")
    print(f"{'case':>14s} {'peak MB':>9s} {'model s':>9s} {'process s':>10s}  result")
    rows = []
    for case in cases:
        row = measure(case)
        rows.append(row)
        what = row.get("error") or ", ".join(
            f"{k} {v}" for k, v in row.items() if k in ("states", "forecast", "longest", "shape")
        )
        seconds = f"{row['seconds']:9.2f}" if "seconds" in row else f"{'-':>9s}"
        print(f"{case:>14s} {row['peak_mb']:9.0f} {seconds} {row['wall']:10.2f}  {what}")
        sys.stdout.flush()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
