"""Speed of the first models: EC table and the whole DEU III data set."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of
from accord import models, scenarios
from accord.datasets import deu as deu_dataset
from accord.scenario.importers import deu

DEU = deu_dataset.PATH


def main() -> None:
    ec = scenarios.load("ec-emissions-1994")
    print(f"{'case':44s} {'seconds':>9s}")
    for rounds in (10, 1000):
        t = best_of(lambda r=rounds: models.run("eum", ec, rounds=r))
        print(f"{f'eum scholz_code, EC, {rounds} rounds':44s} {t:9.4f}")
    issues = deu.read(DEU)
    for name, opts in (("compromise", {}), ("median", {}), ("eum", {"rounds": 100})):
        t = best_of(lambda n=name, o=opts: [models.run(n, s, **o) for s in issues], repeat=2)
        print(f"{f'{name}, all {len(issues)} DEU III issues':44s} {t:9.4f}")
    eum = models.get("eum")(rounds=100)
    t = best_of(lambda: eum.run_many(issues), repeat=2)
    print(f"{f'eum run_many (batched), all {len(issues)} DEU III issues':44s} {t:9.4f}")


if __name__ == "__main__":
    main()
