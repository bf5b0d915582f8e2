"""The whole DEU III back-test (every registered model, baselines, CV, bootstrap)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from accord import models
from accord.analysis.backtest import (
    ModelPredictor,
    ProposalPredictor,
    backtest,
    default_predictors,
)
from accord.datasets import deu


def main() -> None:
    t0 = time.perf_counter()
    cases = deu.cases()
    t_load = time.perf_counter() - t0
    print(f"load 353 cases under 3 capability sets: {t_load:.2f} s")
    for name in models.available():
        t = time.perf_counter()
        backtest(cases, [ModelPredictor(name)], resamples=2000)
        print(f"  {name:12s} {time.perf_counter() - t:6.2f} s")
    t = time.perf_counter()
    result = backtest(cases, default_predictors(), resamples=2000)
    total = time.perf_counter() - t
    print(
        f"whole back-test ({len(result.summary)} predictors): {total:.2f} s (+ {t_load:.2f} s load)"
    )
    t = time.perf_counter()
    backtest(cases, [ProposalPredictor("exchange")], resamples=2000)
    print(f"  exchange[by proposal] (--by-proposal; 137 proposals) {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
