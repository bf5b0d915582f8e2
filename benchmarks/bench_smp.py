"""Speed of KTAB's Spatial Model of Politics on KTAB's shipped random-actor inputs.

KTAB's own ``smpc`` is timed side by side in ``bench_peers.py``; the KTAB column here is
its recorded whole-process time (``data/peer_timings.json``: date, build and load printed
with it). Goal here: a040 <= 0.5 s, a080 <= 3 s.

Second table: seeded Monte Carlo draws under stochastic transitions, batched in one
vectorised pass (``SMP.run_draws``) against a loop of single seeded runs (the same numbers).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import peers
from _timing import best_of
from accord import models
from accord.datasets import deu
from accord.models.smp import SMP
from accord.scenario.importers import ktab

DATA = Path(__file__).parent / "data" / "ktab"
CASES = ("dummyData_6Dim", "dummyData-a040", "dummyData-a080", "dummyData-a160")


def main() -> None:
    rec = peers.recorded().get("ktab")
    ktab_seconds = {}
    if rec is not None:
        for case, r in rec["cases"].items():
            if case.endswith(", whole process"):
                ktab_seconds[case.split(",")[0]] = r["peer_seconds"]
        print(f"KTAB s: recorded {rec['date']}, build {rec['build']}, load {rec['load']}")
    print(
        f"{'input':18s} {'actors':>6s} {'dims':>4s} {'states':>6s} {'seconds':>9s} {'KTAB s':>8s}"
    )
    for name in CASES:
        sc = ktab.read(DATA / f"{name}.csv")
        repeat = 1 if name.endswith("a160") else 3
        result = models.run("smp", sc)
        t = best_of(lambda s=sc: models.run("smp", s), repeat=repeat)
        ref = ktab_seconds.get(name)
        print(
            f"{name:18s} {len(sc.actors):6d} {len(sc.issues):4d} {result.rounds + 1:6d} "
            f"{t:9.3f} {'' if ref is None else f'{ref:8.2f}'}"
        )

    deu_batch()
    draws(DATA / "dummyData_6Dim.csv", 200)
    draws(DATA / "dummyData-a040.csv", 50)


def deu_batch() -> None:
    """The 353 DEU III issues (capability 'nice') one by one and batched by actor count."""
    scs = [c.scenario("nice") for c in deu.cases()]
    model = SMP()
    t_one = best_of(lambda: [model.run(s) for s in scs], repeat=2)
    t_many = best_of(lambda: model.run_many(scs), repeat=2)
    print(
        f"DEU III {len(scs)} issues: one by one {t_one:.2f} s, run_many (batched by actor "
        f"count) {t_many:.2f} s, ratio {t_one / t_many:.2f}"
    )


def draws(csv: Path, count: int) -> None:
    """``count`` stochastic draws batched, against a loop of single runs on fewer draws."""
    sc = ktab.read(csv)
    model = SMP(transitions="stochastic")
    t0 = time.perf_counter()
    batch = model.run_draws(sc, count, rng=1)
    t_batch = time.perf_counter() - t0
    loop = max(10, count // 10)
    t0 = time.perf_counter()
    for gen in np.random.default_rng(1).spawn(loop):
        model.run(sc, rng=gen)
    per_run = (time.perf_counter() - t0) / loop
    mean_rounds = batch.rounds.mean()
    print(
        f"{csv.stem:18s} {count:5d} stochastic draws (mean {mean_rounds:.1f} steps): batched "
        f"{t_batch:7.2f} s, loop of single runs {per_run * count:7.2f} s "
        f"({per_run:.4f} s/run over {loop} runs), ratio {per_run * count / t_batch:.2f}"
    )


if __name__ == "__main__":
    main()
