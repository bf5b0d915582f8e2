"""Seeded benchmark trees as .efg text, shared by bench_games.py and
scripts/crosscheck_pygambit.py (which runs in a pygambit venv without accord), so both time
the same tree."""

from __future__ import annotations

import numpy as np


def binary_tree_efg(depth: int, seed: int) -> str:
    """A full binary tree, 3 players in rotation, payoffs uniform in [-10, 10] (the design
    note's scaling study); 2**(depth+1) - 1 nodes."""
    rng = np.random.default_rng(seed)
    lines: list[str] = []
    counts = [0, 0, 0]
    outcome = [0]

    def node(d: int) -> None:
        if d == depth:
            outcome[0] += 1
            pays = ", ".join(repr(float(x)) for x in rng.uniform(-10, 10, 3))
            lines.append(f't "" {outcome[0]} "" {{ {pays} }}')
            return
        p = d % 3
        counts[p] += 1
        lines.append(f'p "" {p + 1} {counts[p]} "" {{ "L" "R" }} 0')
        node(d + 1)
        node(d + 1)

    node(0)
    return 'EFG 2 R "binary" { "P1" "P2" "P3" }\n""\n\n' + "\n".join(lines) + "\n"


BENCH_LAMBDAS = np.linspace(0.02, 2.0, 100)
