"""Speed of accord settle: the full engine on the August 2024 flagship (goal: 1e4 runs x 24
months with the full package search <= 2 s on a 2-core machine), and how time grows with
runs, months and the size of the package space (one more 5-option issue). The flagship's
commitment problem lets most runs skip the search; the "full search" case removes it and
adds reputational costs (the three-piece Nash line), so every run searches every month
until it settles."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of
from accord import scenarios
from accord.analysis.settle import settle_inputs
from accord.war.settle import PackageIssue, package_space, settle


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


if __name__ == "__main__":
    main()
