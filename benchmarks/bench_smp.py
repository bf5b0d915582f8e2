"""Speed of KTAB's Spatial Model of Politics on KTAB's shipped random-actor inputs.

KTAB's own ``smpc -O3`` on the development machine (2 cores, SQLite logging on;
spatial-models.md §2.5): a040 13.6 s (21 states), a080 311 s (18 states), 6Dim (27 actors x
6 dimensions) 5.27 s (30 states). Goal here: a040 <= 0.5 s, a080 <= 3 s.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of
from accord import models
from accord.scenario.importers import ktab

DATA = Path(__file__).parent / "data" / "ktab"
KTAB_SECONDS = {"dummyData-a040": 13.6, "dummyData-a080": 311.0, "dummyData_6Dim": 5.27}
CASES = ("dummyData_6Dim", "dummyData-a040", "dummyData-a080", "dummyData-a160")


def main() -> None:
    print(
        f"{'input':18s} {'actors':>6s} {'dims':>4s} {'states':>6s} {'seconds':>9s} {'KTAB s':>8s}"
    )
    for name in CASES:
        sc = ktab.read(DATA / f"{name}.csv")
        repeat = 1 if name.endswith("a160") else 3
        result = models.run("smp", sc)
        t = best_of(lambda s=sc: models.run("smp", s), repeat=repeat)
        ref = KTAB_SECONDS.get(name)
        print(
            f"{name:18s} {len(sc.actors):6d} {len(sc.issues):4d} {result.rounds + 1:6d} "
            f"{t:9.3f} {'' if ref is None else f'{ref:8.2f}'}"
        )


if __name__ == "__main__":
    main()
