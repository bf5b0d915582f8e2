"""Record pygambit's outputs as JSON fixtures for accord's game-solver tests (optional).

pygambit is GPL and builds from source for ~15 minutes, so it is never a dependency of
accord: run this script in a scratch virtual environment outside the repository, e.g.

    python3 -m venv /tmp/gambit-venv && /tmp/gambit-venv/bin/pip install pygambit==16.7.0
    /tmp/gambit-venv/bin/python scripts/crosscheck_pygambit.py            # fixtures
    /tmp/gambit-venv/bin/python scripts/crosscheck_pygambit.py --bench    # timing only

It does not import accord: it writes its own seeded random perfect-information trees as
.efg text, so the fixture holds the trees and Gambit's answers and the tests compare
accord's reading and solving of the same text with them.

* ``tests/data/games/pygambit_qre.json``: ``qre.logit_solve_lambda`` on 24 random
  perfect-information trees (2-3 players, chance nodes, integer payoffs in [-10, 10]) at
  λ = 0.1, 0.5, 1, 2, 5, as probabilities keyed by (player, information set, action).
* ``tests/data/games/pygambit_lcp.json``: ``nash.lcp_solve`` (rational) and, for
  constant-sum games, ``nash.lp_solve`` on the imperfect-information test games in
  ``tests/data/games/*.efg``.
* ``--bench``: ``benchmarks/data/pygambit_qre_timing.json``, the wall time of one
  ``logit_solve_lambda`` call at 100 λ values on the 255-node tree of
  ``benchmarks/bench_games.py`` (same generator, same seed).
"""

from __future__ import annotations

import json
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pygambit as gbt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _trees import BENCH_LAMBDAS, binary_tree_efg  # noqa: E402  (no accord import)

DATA = ROOT / "tests" / "data" / "games"
LAMBDAS = [0.1, 0.5, 1.0, 2.0, 5.0]
LCP_GAMES = [
    "matching_pennies.efg",
    "two_stage_matching_pennies.efg",
    "myerson1991_fig4_2.efg",
    "kuhn_poker.efg",
    "selten1975_fig2.efg",
    "myerson1991_fig2_1.efg",
]


def random_tree_efg(seed: int) -> str:
    """A random perfect-information tree with chance nodes, as .efg text."""
    rng = np.random.default_rng(seed)
    n_pl = int(rng.integers(2, 4))
    depth = int(rng.integers(2, 5))
    lines: list[str] = []
    counts = [0] * n_pl
    chance_count = [0]
    outcome = [0]

    def node(d: int) -> None:
        if d == depth or (d > 1 and rng.random() < 0.15):
            outcome[0] += 1
            pays = ", ".join(str(int(x)) for x in rng.integers(-10, 11, n_pl))
            lines.append(f't "" {outcome[0]} "o{outcome[0]}" {{ {pays} }}')
            return
        k = int(rng.integers(2, 4))
        if rng.random() < 0.2:
            chance_count[0] += 1
            w = rng.integers(1, 10, k)
            probs = [Fraction(int(x), int(w.sum())) for x in w]
            acts = " ".join(f'"c{j}" {p.numerator}/{p.denominator}' for j, p in enumerate(probs))
            lines.append(f'c "" {chance_count[0]} "" {{ {acts} }} 0')
        else:
            p = int(rng.integers(0, n_pl))
            counts[p] += 1
            acts = " ".join(f'"a{j}"' for j in range(k))
            lines.append(f'p "" {p + 1} {counts[p]} "h{p + 1}_{counts[p]}" {{ {acts} }} 0')
        for _ in range(k):
            node(d + 1)

    node(0)
    players = " ".join(f'"P{p + 1}"' for p in range(n_pl))
    return f'EFG 2 R "random {seed}" {{ {players} }}\n""\n\n' + "\n".join(lines) + "\n"


def _profile(game: gbt.Game, prof: object) -> list[dict[str, object]]:
    out = []
    k = 0
    for player in game.players:
        for infoset in player.infosets:
            for action in infoset.actions:
                try:
                    val = prof[action]  # type: ignore[index]
                except Exception:
                    val = prof[k]  # type: ignore[index]
                out.append(
                    {
                        "player": player.label,
                        "infoset": infoset.label,
                        "number": infoset.number,
                        "action": action.label,
                        "prob": float(val),
                        "exact": str(val),
                    }
                )
                k += 1
    return out


def qre_fixture() -> None:
    cases = []
    for seed in range(24):
        text = random_tree_efg(seed)
        g = gbt.Game.parse_game(text) if hasattr(gbt.Game, "parse_game") else None
        if g is None:
            tmp = Path("/tmp") / f"accord_random_{seed}.efg"
            tmp.write_text(text)
            g = gbt.read_efg(str(tmp))
        t0 = time.perf_counter()
        res = gbt.qre.logit_solve_lambda(g, LAMBDAS)
        dt = time.perf_counter() - t0
        cases.append(
            {
                "seed": seed,
                "efg": text,
                "nodes": sum(1 for _ in _nodes(g.root)),
                "lambdas": LAMBDAS,
                "profiles": [_profile(g, q) for q in res],
                "seconds": dt,
            }
        )
        print(f"qre seed {seed}: {cases[-1]['nodes']} nodes, {dt:.3f} s", flush=True)
    _write(DATA / "pygambit_qre.json", {"pygambit": gbt.__version__, "cases": cases})


def _nodes(n: gbt.Node):  # type: ignore[no-untyped-def]
    yield n
    for c in n.children:
        yield from _nodes(c)


def lcp_fixture() -> None:
    cases = []
    for name in LCP_GAMES:
        g = gbt.read_efg(str(DATA / name))
        res = gbt.nash.lcp_solve(g, rational=True)
        entry: dict[str, object] = {
            "file": name,
            "lcp": [
                {"profile": _profile(g, eq), "payoffs": [str(eq.payoff(p)) for p in g.players]}
                for eq in res.equilibria
            ],
        }
        try:
            lp = gbt.nash.lp_solve(g, rational=True)
            entry["lp"] = [
                {"profile": _profile(g, eq), "payoffs": [str(eq.payoff(p)) for p in g.players]}
                for eq in lp.equilibria
            ]
        except Exception as exc:  # not constant-sum
            entry["lp_error"] = str(exc)
        cases.append(entry)
        print(f"lcp {name}: {len(res.equilibria)} equilibria", flush=True)
    _write(DATA / "pygambit_lcp.json", {"pygambit": gbt.__version__, "cases": cases})


def bench() -> None:
    text = binary_tree_efg(7, seed=255)
    tmp = Path("/tmp/accord_bench_255.efg")
    tmp.write_text(text)
    g = gbt.read_efg(str(tmp))
    lams = [float(x) for x in BENCH_LAMBDAS]
    t0 = time.perf_counter()
    gbt.qre.logit_solve_lambda(g, lams)
    dt = time.perf_counter() - t0
    print(f"pygambit logit_solve_lambda, 255 nodes, 100 lambda values: {dt:.2f} s")
    out = ROOT / "benchmarks" / "data" / "pygambit_qre_timing.json"
    _write(
        out,
        {
            "pygambit": gbt.__version__,
            "tree": "binary depth 7 (255 nodes), 3 players, seed 255",
            "lambdas": "linspace(0.02, 2.0, 100)",
            "seconds": dt,
            "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        },
    )


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    if "--bench" in sys.argv:
        bench()
    else:
        qre_fixture()
        lcp_fixture()
