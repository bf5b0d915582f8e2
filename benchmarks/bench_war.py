"""Speed of the war-termination models: M3 Monte Carlo (goal: 1e5 runs, N = 20, up to 200
battles in <= 10 s) and the closed-form models on 1e6 parameter draws.

M3 cases: mutual optimism (Ukraine believes Beta(6, 4), Russia Beta(2, 8) about Ukraine's
battle odds, true odds 0.45, joint costs 0.1), with and without learning and front paths;
and a worst case where nobody settles, so every run fights to absorption or 200 battles.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np

from _timing import best_of
from accord import war


def main() -> None:
    print(f"{'case':66s} {'seconds':>9s}")
    for update in (True, False):
        for paths in (True, False):
            t = best_of(
                lambda u=update, k=paths: war.fight(
                    20, 4, 0.45, 6.0, 4.0, 2.0, 8.0, 0.05, 0.05,
                    runs=100_000, max_battles=200, rng=1, update=u, keep_paths=k,
                ),
                repeat=3,
            )  # fmt: skip
            label = f"M3 fight 1e5 runs, N=20, <=200 battles, update={update}, paths={paths}"
            print(f"{label:66s} {t:9.4f}")
    # a run where no one settles: every run fights to absorption or to 200 battles
    t = best_of(
        lambda: war.fight(
            20, 10, 0.5, 9.0, 1.0, 1.0, 9.0, 0.0, 0.0, runs=100_000, max_battles=200, rng=1
        ),
        repeat=3,
    )
    print(f"{'M3 fight 1e5 runs, N=20, 200 battles, nobody settles':66s} {t:9.4f}")
    rng = np.random.default_rng(0)
    n = 1_000_000
    p, cu, cr, cb = rng.random(n), rng.random(n) / 2, rng.random(n) / 2, rng.random(n) / 2
    cases = {
        "M1 bargaining_range, 1e6 draws": lambda: war.bargaining_range(p, cu, cr),
        "M2 screen_continuous, 1e6 draws": lambda: war.screen_continuous(p, cu, cb),
        "M4 commitment_window, 1e6 draws": lambda: war.commitment_window(
            p, cu, 1 - cr, cb, cb, 0.98, 0.01, 0.01
        ),
        "M7 optimal_power, 1e6 draws": lambda: war.optimal_power(0.8, 1.0, p, 2.0, cu, cr),
    }
    for label, fn in cases.items():
        print(f"{label:66s} {best_of(fn, repeat=3):9.4f}")


if __name__ == "__main__":
    main()
