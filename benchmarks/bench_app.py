"""Speed of the dashboard's settlement panel (goal: a lever move to new numbers < 1 s for
a 2,000-run settlement simulation, issue 19): ``accord.app.callbacks.settle_panel`` on the
flagship with each lever at its lower and upper end, plus the figure's JSON encoding (what
Dash sends to the page), best of 3 and the slowest move, in wall-clock seconds and in CPU
seconds of this process (the wall time of a quiet machine; on the shared 2-core machine
the wall time grows with the other jobs' load). The browser's own latency (slider
key press to the redrawn number) is measured by tests/test_browser.py and written to
artifacts/browser/timings.json."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of
from accord import scenarios
from accord.app import callbacks as cb


def main() -> None:
    text = cb.bundled(scenarios.DEFAULT)
    cb.settle_panel(text, {})  # warm the imports and caches once
    print(f"{'lever move (2,000 runs, flagship)':44s} {'best s':>8s} {'worst s':>8s} {'cpu s':>8s}")
    worst_all = worst_cpu = 0.0
    for lv in cb.lever_list(text):
        for value in (lv.lo, lv.hi):
            times: list[float] = []
            cpu: list[float] = []

            def move(
                key: str = lv.key, v: float = value, times: list[float] = times,
                cpu: list[float] = cpu,
            ) -> None:  # fmt: skip
                t0, c0 = time.perf_counter(), time.process_time()
                fig, _, _ = cb.settle_panel(text, {key: v}, runs=cb.SETTLE_RUNS)
                fig.to_json()
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)

            best = best_of(move, repeat=3)
            worst_all, worst_cpu = max(worst_all, max(times)), max(worst_cpu, max(cpu))
            label = f"{lv.key} = {value:g}"
            print(f"{label:44s} {best:8.3f} {max(times):8.3f} {min(cpu):8.3f}")
    print(f"{'slowest move of all (wall, cpu)':44s} {'':8s} {worst_all:8.3f} {worst_cpu:8.3f}")


if __name__ == "__main__":
    main()
