"""Speed of Stokman's exchange model on the COP21 data (15 actors x 13 issues, 10 rounds).

Reference: decide-exchange-model (pure Python with Decimal) takes 35 s for the same run on
this machine (design notes, spatial-models.md section 4); decide 2025.3.1 from PyPI, run
once by hand on this machine during development (November 2026), took 11.9 s.
Data: ``tests/data/decide/cop21.csv`` (decide's ``data/input/cop21.csv``; Sprinz et al.
2016), see ``tests/data/README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of
from accord import models
from accord.datasets import deu as deu_dataset
from accord.scenario.importers import decide, deu

COP21 = Path(__file__).parent.parent / "tests" / "data" / "decide" / "cop21.csv"
DECIDE_SECONDS = 35.0  # decide-exchange-model, COP21, 10 rounds (design notes)
DECIDE_2025_SECONDS = 11.9  # decide 2025.3.1, measured by hand (see above)
GOAL = 0.7


def main() -> None:
    cop21 = decide.read(COP21)
    print(f"{'case':48s} {'seconds':>9s}")
    t = best_of(lambda: models.run("exchange", cop21, rounds=10))
    print(f"{'exchange equal gain, COP21, 10 rounds':48s} {t:9.4f}")
    ratio, ratio_2025 = DECIDE_SECONDS / t, DECIDE_2025_SECONDS / t
    print(f"  decide {DECIDE_SECONDS:.0f} s: {ratio:.0f}x faster; goal {GOAL} s")
    print(f"  decide 2025.3.1 {DECIDE_2025_SECONDS} s: {ratio_2025:.0f}x faster")
    t = best_of(lambda: models.run("exchange", cop21, rounds=10, variant="random_rate", rng=1))
    print(f"{'exchange random rate, COP21, 10 rounds':48s} {t:9.4f}")
    issues = deu.read(deu_dataset.PATH)
    t = best_of(lambda: [models.run("exchange", s) for s in issues], repeat=2)
    print(f"{f'exchange, all {len(issues)} DEU III issues (one each)':48s} {t:9.4f}")


if __name__ == "__main__":
    main()
