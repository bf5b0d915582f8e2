"""Speed of accord.games (goals from issue 17):

* logit QRE at 100 λ values on a 255-node perfect-information tree: ≥ 10⁴× faster than
  pygambit's ``logit_solve_lambda`` at the same values. pygambit is GPL and a 15-minute
  build, so it is timed by ``scripts/crosscheck_pygambit.py --bench`` in its own venv (same
  tree, same λ) and recorded in ``data/pygambit_qre_timing.json``; set
  ``ACCORD_PYGAMBIT_PYTHON=/path/to/venv/bin/python`` to re-time it side by side now;
* 10⁴ payoff and probability draws of the bundled escalation game (ukraine-2024-08): ≤ 1 s;
* the sequence-form LCP on a 2-player game with ≥ 100 information sets per player: ≤ 1 s
  (the 100x50 signaling game, 100/100 information sets, timed here with its pivot count,
  wall and CPU seconds: the fictitious-play warm start cut its path from 57 459 to 1 267
  pivots, the revised pivoting (sparse LU + product form) and the vectorised result cut
  1.2-1.7 s CPU to about 0.16 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _timing import best_of, best_of_cpu
from _trees import BENCH_LAMBDAS, binary_tree_efg
from accord import scenarios
from accord.games import chance, decision, lcp_solve, make_game, qre_solve, spe_solve, terminal
from accord.games.efg import loads_efg
from accord.games.scenario import scenario_arrays

HERE = Path(__file__).parent


def _pygambit_seconds() -> tuple[float | None, str]:
    exe = os.environ.get("ACCORD_PYGAMBIT_PYTHON")
    script = HERE.parent / "scripts" / "crosscheck_pygambit.py"
    if exe:
        subprocess.run([exe, str(script), "--bench"], check=True)
    path = HERE / "data" / "pygambit_qre_timing.json"
    if not path.exists():
        return None, "not recorded"
    data = json.loads(path.read_text())
    how = "measured now" if exe else f"recorded {data['measured']}"
    # a loaded, niced run records its CPU time too: the conservative figure
    seconds = min(float(data["seconds"]), float(data.get("cpu_seconds", data["seconds"])))
    return seconds, f"pygambit {data['pygambit']}, {how}"


def signaling_game(types_1: int, types_2: int, seed: int = 0):
    """2 players, each privately told its type by chance (``types_1`` x ``types_2`` equally
    likely pairs); 1 moves, 2 sees 1's move (not 1's type) and moves: ``types_1``
    information sets for player 1, ``2·types_2`` for player 2, integer payoffs in [-9, 9]."""
    rng = np.random.default_rng(seed)
    w = 1.0 / (types_1 * types_2)
    moves = {}
    for t in range(types_1):
        for u in range(types_2):
            first = {
                a: decision(
                    "2", {b: terminal(*rng.integers(-9, 10, 2)) for b in "lr"}, infoset=f"u{u}{a}"
                )
                for a in "LR"
            }
            moves[f"{t},{u}"] = (w, decision("1", first, infoset=f"t{t}"))
    return make_game(["1", "2"], chance(moves), f"signaling game, {types_1}x{types_2} types")


def main() -> None:
    print(f"{'case':70s} {'seconds':>9s}")
    g = loads_efg(binary_tree_efg(7, seed=255))
    t_ours = best_of(lambda: qre_solve(g, BENCH_LAMBDAS), repeat=7)
    print(f"{'QRE, 255-node tree, 100 lambda values (accord, one batched pass)':70s} {t_ours:9.5f}")
    t_spe = best_of(lambda: spe_solve(g), repeat=7)
    print(f"{'SPE, 255-node tree (accord)':70s} {t_spe:9.5f}")
    t_gbt, how = _pygambit_seconds()
    if t_gbt is not None:
        print(f"{'QRE, 255-node tree, 100 lambda values (' + how + ')':70s} {t_gbt:9.2f}")
        print(f"{'  ratio pygambit / accord (goal >= 1e4)':70s} {t_gbt / t_ours:9.0f}")

    sc = scenarios.load("ukraine-2024-08")
    rng = np.random.default_rng(1)
    n = 10_000
    draws = {
        "war.brinkmanship.partners.CHN.curtail": rng.uniform(0.2, 0.8, n),
        "war.brinkmanship.partners.IND.curtail": rng.uniform(0.1, 0.5, n),
        "war.brinkmanship.r_use": rng.uniform(0.02, 0.2, n),
        "war.brinkmanship.gain": rng.uniform(50, 400, n),
        "war.swap.recapture": rng.uniform(0.05, 0.2, n),
    }

    def escalation_spe() -> None:
        game, pay, pr = scenario_arrays(sc, draws)
        spe_solve(game, payoffs=pay, probs=pr)

    def escalation_qre() -> None:
        game, pay, pr = scenario_arrays(sc, draws)
        qre_solve(game, 0.05, payoffs=pay, probs=pr)

    t = best_of(escalation_spe, repeat=3)
    print(
        f"{'escalation game (109 nodes), 1e4 draws, SPE incl. formulas (goal <= 1 s)':70s} {t:9.4f}"
    )
    t = best_of(escalation_qre, repeat=3)
    print(
        f"{'escalation game (109 nodes), 1e4 draws, QRE incl. formulas (goal <= 1 s)':70s} {t:9.4f}"
    )

    for types_1, types_2 in ((20, 10), (50, 25), (100, 50)):
        big = signaling_game(types_1, types_2)
        sets = [sum(1 for k in big.infosets if k[0] == p) for p in range(2)]
        c0 = time.process_time()
        res = lcp_solve(big)  # the first solve also fills the game's caches
        cold = time.process_time() - c0
        t = best_of(lambda g=big: lcp_solve(g), repeat=3)
        cpu = best_of_cpu(lambda g=big: lcp_solve(g), repeat=3)
        label = (
            f"sequence-form LCP, {sets[0]}/{sets[1]} information sets, {len(big.nodes)} nodes, "
            f"{res.extra['pivots']} pivots"
        )
        print(f"{label:70s} {t:9.4f}")
        print(f"{'  CPU seconds (best of 3; first solve of the game)':70s} {cpu:9.4f} ({cold:.3f})")
        if sets[0] >= 100 and sets[1] >= 100:
            ok = "met" if t <= 1.0 else "NOT met"
            print(f"{'  goal: 100 information sets per player <= 1 s':70s} {ok:>9s}")
        plain = lcp_solve(big, warm=0, max_pivots=3000) if types_1 < 100 else None
        if plain is not None:
            print(
                f"{'  same, random prior without warm start (warm=0): pivots':70s} "
                f"{plain.extra['pivots']:9d}"
            )


if __name__ == "__main__":
    main()
