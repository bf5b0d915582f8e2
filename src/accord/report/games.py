"""Game-tree figure: the tree, branch probabilities, payoffs and the solution's play.

Drawn left to right (depth on x, leaves spread on y), so labels stay horizontal. Decision
nodes are circles in their player's colour, chance nodes grey diamonds, terminal nodes
squares with their payoff vector. With a solver result, every branch is labelled with its
probability (chance) or the solution's choice probability, and the branches play reaches
are drawn in red, thicker with their reach probability: the equilibrium path. Past
``max_depth`` a subtree is collapsed into one triangle labelled with its size and, with a
result, its value; by default the depth is the deepest that keeps at most ``max_leaves``
rows, so a 100+-node tree stays readable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accord.games.result import GameResult
from accord.games.tree import Game
from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["auto_depth", "tree_figure"]


def _fmt(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1e4 else f"{x:.2e}"


def _subtree_sizes(game: Game) -> list[int]:
    size = [1] * len(game.nodes)
    for i in range(len(game.nodes) - 1, -1, -1):
        size[i] = 1 + sum(size[c] for c in game.nodes[i].children)
    return size


def _visible_leaves(game: Game, max_depth: int) -> int:
    depth = game.depth
    return sum(
        1
        for i, n in enumerate(game.nodes)
        if depth[i] <= max_depth and (n.kind == "terminal" or depth[i] == max_depth)
    )


def auto_depth(game: Game, max_leaves: int = 40) -> int:
    """The deepest collapse depth that shows at most ``max_leaves`` rows (at least 1)."""
    deepest = max(game.depth)
    best = 1
    for d in range(1, deepest + 1):
        if _visible_leaves(game, d) <= max_leaves:
            best = d
    return best


def tree_figure(
    game: Game,
    result: GameResult | None = None,
    *,
    max_depth: int | None = None,
    max_leaves: int = 40,
    title: str = "",
) -> Figure:
    """Draw ``game`` (and ``result``'s behaviour and path, if given, unbatched)."""
    if result is not None and result.behaviour.ndim != 1:
        raise ValueError("tree_figure needs an unbatched result")
    depth_of = game.depth
    limit = auto_depth(game, max_leaves) if max_depth is None else max(1, max_depth)
    sizes = _subtree_sizes(game)
    visible = [i for i in range(len(game.nodes)) if depth_of[i] <= limit]
    y: dict[int, float] = {}
    row = 0

    def place(i: int) -> float:
        nonlocal row
        n = game.nodes[i]
        if n.kind == "terminal" or depth_of[i] == limit:
            y[i] = -float(row)
            row += 1
        else:
            ys = [place(c) for c in n.children]
            y[i] = float(np.mean(ys))
        return y[i]

    place(0)
    deepest = max(depth_of[i] for i in visible)
    fig = new_figure(2.0 + 1.9 * (deepest + 1), max(2.5, 0.32 * row + 1.2))
    ax = fig.add_subplot()
    ax.set_axis_off()
    colours = [f"C{k % 10}" for k in range(len(game.players))]
    move_of = {m: k for k, m in enumerate(game.moves)}
    reach = result.reach if result is not None else None
    for i in visible:
        n = game.nodes[i]
        if n.kind == "terminal" or depth_of[i] == limit:
            continue
        for k, c in enumerate(n.children):
            if n.kind == "chance":
                prob = n.probs[k]
            elif result is not None:
                prob = float(result.behaviour[move_of[(i, k)]])
            else:
                prob = float("nan")
            on = reach is not None and reach[c] > 1e-9
            width = 0.8 + (3.2 * float(reach[c]) if reach is not None else 0.0)
            ax.plot(
                [depth_of[i], depth_of[c]],
                [y[i], y[c]],
                color="C3" if on else "0.6",
                lw=width,
                zorder=1,
                solid_capstyle="round",
            )
            text = n.actions[k] if prob != prob else f"{n.actions[k]} {_fmt(prob)}"
            ax.annotate(
                text,
                ((depth_of[i] + depth_of[c]) / 2, (y[i] + y[c]) / 2),
                fontsize=7,
                ha="center",
                va="bottom",
                color="black" if on or reach is None else "0.45",
                zorder=3,
            )
    for i in visible:
        n = game.nodes[i]
        x0, y0 = depth_of[i], y[i]
        if n.kind == "terminal":
            ax.scatter([x0], [y0], marker="s", s=18, color="black", zorder=2)
            pays = ", ".join(_fmt(p) for p in n.payoffs)
            ax.annotate(
                f"({pays})",
                (x0, y0),
                xytext=(6, 0),
                textcoords="offset points",
                fontsize=7,
                va="center",
            )
        elif depth_of[i] == limit:
            ax.scatter([x0], [y0], marker=">", s=50, color="0.4", zorder=2)
            info = f"+{sizes[i] - 1} nodes"
            if result is not None:
                info += " (" + ", ".join(_fmt(v) for v in result.values[i]) + ")"
            ax.annotate(
                info,
                (x0, y0),
                xytext=(7, 0),
                textcoords="offset points",
                fontsize=7,
                va="center",
                color="0.3",
            )
        elif n.kind == "chance":
            ax.scatter([x0], [y0], marker="D", s=45, color="0.55", zorder=2)
            if n.label:
                ax.annotate(
                    n.label,
                    (x0, y0),
                    xytext=(0, 7),
                    textcoords="offset points",
                    fontsize=6,
                    ha="center",
                    color="0.35",
                )
        else:
            ax.scatter([x0], [y0], marker="o", s=90, color=colours[n.player], zorder=2)
            ax.annotate(
                game.players[n.player],
                (x0, y0),
                xytext=(0, 8),
                textcoords="offset points",
                fontsize=7,
                ha="center",
                color=colours[n.player],
                weight="bold",
            )
    shared = {k for k, v in game.infosets.items() if len(v) > 1}
    for key in shared:
        pts = [(depth_of[m], y[m]) for m in game.infosets[key] if m in y and depth_of[m] < limit]
        if len(pts) > 1:
            xs, ys = zip(*pts, strict=True)
            ax.plot(xs, ys, ls=":", color=colours[key[0]], lw=1.2, zorder=0)
    ax.set_xlim(-0.3, deepest + 1.4)
    ax.set_ylim(-row + 0.3, 0.9)
    head = title or game.title or "game tree"
    if result is not None:
        head += (
            f"  [{result.method}: value "
            + ", ".join(f"{p} {_fmt(v)}" for p, v in zip(game.players, result.value, strict=True))
            + "]"
        )
    if limit < max(depth_of):
        head += f"  (collapsed past depth {limit})"
    ax.set_title(head, fontsize=9, loc="left")
    return fig
