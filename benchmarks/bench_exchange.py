"""Speed of Stokman's exchange model on the COP21 data (15 actors x 13 issues, 10 rounds).

decide-exchange-model itself is timed side by side in ``bench_peers.py``; here its
recorded figures (``data/peer_timings.json``, with their date and build) are printed next
to this run's time, marked as recorded. Goal: 50x decide in process.
Data: ``tests/data/decide/cop21.csv`` (decide's ``data/input/cop21.csv``; Sprinz et al.
2016), see ``tests/data/README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import peers
from _timing import best_of
from accord import models
from accord.datasets import deu as deu_dataset
from accord.scenario.importers import decide, deu

COP21 = Path(__file__).parent.parent / "tests" / "data" / "decide" / "cop21.csv"
GOAL_RATIO = 50  # decide in process / accord in process


def main() -> None:
    cop21 = decide.read(COP21)
    print(f"{'case':48s} {'seconds':>9s}")
    t = best_of(lambda: models.run("exchange", cop21, rounds=10))
    print(f"{'exchange equal gain, COP21, 10 rounds':48s} {t:9.4f}")
    rec = peers.recorded().get("decide")
    if rec is not None:
        r = rec["cases"]["COP21, 10 rounds, in process"]
        print(
            f"  decide recorded {rec['date']} ({rec['build']}; load {rec['load']}): "
            f"{r['peer_seconds']:.2f} s in process, {r['ratio']:.0f}x accord then; "
            f"{r['peer_seconds'] / t:.0f}x this run (goal {GOAL_RATIO}x; side by side: "
            "bench_peers.py)"
        )
    t = best_of(lambda: models.run("exchange", cop21, rounds=10, variant="random_rate", rng=1))
    print(f"{'exchange random rate, COP21, 10 rounds':48s} {t:9.4f}")
    issues = deu.read(deu_dataset.PATH)
    t = best_of(lambda: [models.run("exchange", s) for s in issues], repeat=2)
    print(f"{f'exchange, all {len(issues)} DEU III issues (one each)':48s} {t:9.4f}")


if __name__ == "__main__":
    main()
