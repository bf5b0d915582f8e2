"""accord.deals speed: 10^6 packages × 3 parties (utilities + frontier + Nash + KS), NegMAS
side by side when a NegMAS interpreter is available, batch solutions for 10^4 Monte Carlo
runs, and 10^7 packages × 2 parties' peak memory.

NegMAS (AGPL) runs in its own scratch venv, never imported here: set ``NEGMAS_PYTHON``
(default ``/tmp/negmas-venv/bin/python``, see scripts/crosscheck_negmas.py); without it
only accord's side is timed. Both sides get the same seeded random linear-additive
utilities (per-value random tables, Dirichlet weights), 6 issues × 10 values.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from accord.deals import (
    DiscreteIssue,
    LinearAdditive,
    OutcomeSpace,
    TableValue,
    kalai_smorodinsky,
    nash,
    pareto_frontier,
    solve_many,
    utility_matrix,
)

NEGMAS_PYTHON = os.environ.get("NEGMAS_PYTHON", "/tmp/negmas-venv/bin/python")


def problem(parties: int, issues: int, values: int, seed: int = 0) -> tuple[OutcomeSpace, list]:
    rng = np.random.default_rng(seed)
    space = OutcomeSpace(
        tuple(DiscreteIssue(f"i{i}", tuple(f"v{k}" for k in range(values))) for i in range(issues))
    )
    tables = rng.random((parties, issues, values)).round(4)
    weights = rng.dirichlet(np.ones(issues), size=parties).round(4)
    utilities = [
        LinearAdditive(
            f"p{a}",
            {f"i{i}": float(weights[a, i]) for i in range(issues)},
            {
                f"i{i}": TableValue({f"v{k}": float(tables[a, i, k]) for k in range(values)})
                for i in range(issues)
            },
        )
        for a in range(parties)
    ]
    return space, utilities


def accord_pipeline(space: OutcomeSpace, utilities: list) -> dict[str, float]:
    t0 = time.perf_counter()
    m = utility_matrix(space, utilities)
    t1 = time.perf_counter()
    f = pareto_frontier(m.values)
    t2 = time.perf_counter()
    n = nash(m, frontier=f)
    k = kalai_smorodinsky(m, frontier=f)
    t3 = time.perf_counter()
    return {
        "utilities": t1 - t0,
        "frontier": t2 - t1,
        "nash+ks": t3 - t2,
        "total": t3 - t0,
        "frontier_size": float(f.size),
        "nash": float(m.outcomes[n.column]) if n.column is not None else -1.0,
        "ks": float(m.outcomes[k.column]) if k.column is not None else -1.0,
    }


NEGMAS_SCRIPT = r"""
import json, sys, time
import numpy as np
from negmas import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.preferences.ops import ks_points, nash_points, pareto_frontier_numpy
from negmas.preferences.value_fun import TableFun
parties, issues, values, seed = map(int, sys.argv[1:5])
rng = np.random.default_rng(seed)
tables = rng.random((parties, issues, values)).round(4)
weights = rng.dirichlet(np.ones(issues), size=parties).round(4)
os_ = make_os([make_issue([f"v{k}" for k in range(values)], f"i{i}") for i in range(issues)])
def table(a, i):
    return TableFun({f"v{k}": float(tables[a, i, k]) for k in range(values)})
ufuns = [LinearAdditiveUtilityFunction(
    values={f"i{i}": table(a, i) for i in range(issues)},
    weights={f"i{i}": float(weights[a, i]) for i in range(issues)},
    outcome_space=os_, reserved_value=0.0) for a in range(parties)]
outcomes = list(os_.enumerate())
t0 = time.perf_counter()
pts = np.array([[u(o) for u in ufuns] for o in outcomes])
t1 = time.perf_counter()
idx = pareto_frontier_numpy(pts)
t2 = time.perf_counter()
front = [tuple(pts[i]) for i in idx]
nash_points(ufuns, front, outcome_space=os_)
ks_points(ufuns, front, outcome_space=os_)
t3 = time.perf_counter()
print(json.dumps({"utilities": t1 - t0, "frontier": t2 - t1, "nash+ks": t3 - t2, "total": t3 - t0,
                  "frontier_size": len(idx)}))
"""

MEMORY_SCRIPT = r"""
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from bench_deals import problem
from accord.deals import nash, kalai_smorodinsky, pareto_frontier, utility_matrix
space, us = problem(2, 7, 10)
t0 = time.perf_counter()
m = utility_matrix(space, us)
f = pareto_frontier(m.values)
nash(m, frontier=f); kalai_smorodinsky(m, frontier=f)
t = time.perf_counter() - t0
print(m.values.shape[1], f.size, t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    space, us = problem(3, 6, 10)
    runs = [accord_pipeline(space, us) for _ in range(3)]
    best = min(runs, key=lambda r: r["total"])
    print(
        f"accord, 10^6 packages x 3 parties: utilities {best['utilities']:.3f} s, frontier "
        f"{best['frontier']:.3f} s ({int(best['frontier_size'])} packages), Nash+KS "
        f"{best['nash+ks']:.4f} s; total {best['total']:.3f} s (best of 3; target <= 0.5 s)"
    )
    if Path(NEGMAS_PYTHON).exists():
        res = subprocess.run(
            [NEGMAS_PYTHON, "-c", NEGMAS_SCRIPT, "3", "6", "10", "0"],
            capture_output=True,
            text=True,
            check=True,
        )
        neg = json.loads(res.stdout.strip().splitlines()[-1])
        print(
            f"NegMAS 0.16, same problem: utilities {neg['utilities']:.2f} s, frontier "
            f"{neg['frontier']:.2f} s ({neg['frontier_size']} packages), Nash+KS "
            f"{neg['nash+ks']:.4f} s; total {neg['total']:.2f} s; ratio NegMAS/accord "
            f"{neg['total'] / best['total']:.0f}x"
        )
    else:
        print(f"NegMAS not found at {NEGMAS_PYTHON}: no side-by-side ratio")
    batch_space, batch_us = problem(2, 4, 6, seed=1)  # 1,296 packages
    bm = utility_matrix(batch_space, batch_us)
    rng = np.random.default_rng(2)
    runs = 10_000
    d = rng.uniform(0, 0.5, (runs, 2))
    allowed = rng.random((runs, bm.values.shape[1])) < 0.9
    t0 = time.perf_counter()
    solve_many("nash", bm.values, d, weights=rng.uniform(0.5, 1.5, (runs, 2)), allowed=allowed)
    t_all = time.perf_counter() - t0
    t0 = time.perf_counter()
    solve_many("nash", bm.values, d, frontier=pareto_frontier(bm.values))
    t_front = time.perf_counter() - t0
    print(
        f"solve_many, 10^4 runs x {bm.values.shape[1]:,} packages x 2 parties: weighted Nash with "
        f"per-run admissible packages {t_all:.2f} s; on the frontier only {t_front:.3f} s"
    )
    here = str(Path(__file__).parent)
    res = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, here], capture_output=True, text=True, check=True
    )
    _, fsize, secs, peak = res.stdout.split()
    print(
        f"accord, 10^7 packages x 2 parties: {secs[:5]} s, frontier {fsize} packages, "
        f"peak memory {float(peak):.0f} MB (target < 4096 MB)"
    )


if __name__ == "__main__":
    main()
