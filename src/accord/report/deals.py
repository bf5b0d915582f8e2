"""The package-deal figure: every package's utilities, the Pareto frontier, the
disagreement point and where each bargaining solution lands on the frontier."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accord.deals.analysis import DealResult
from accord.errors import AccordError
from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["frontier_figure"]

_MARKERS = {"nash": "o", "weighted_nash": "o", "kalai_smorodinsky": "s", "egalitarian": "^"}
_MAX_CLOUD = 20_000


def frontier_figure(
    result: DealResult, *, x: int = 0, y: int = 1, title: str = "", seed: int = 0
) -> Figure:
    """Utilities of party ``x`` against party ``y`` (indices into ``result.parties``).

    With more than two parties the axes show two of them (the frontier is still the
    n-party one, so some frontier packages lie inside the projected cloud). At most 20,000
    packages are drawn, a seeded sample when there are more.
    """
    n = len(result.parties)
    if n < 2:
        raise AccordError("the frontier figure needs at least two parties")
    if not (0 <= x < n and 0 <= y < n) or x == y:
        raise AccordError(f"choose two different parties among 0..{n - 1}")
    u = result.matrix.values
    fig = new_figure(7.0, 5.5)
    ax = fig.add_subplot()
    cols = np.arange(u.shape[1])
    if cols.size > _MAX_CLOUD:
        cols = np.random.default_rng(seed).choice(cols, _MAX_CLOUD, replace=False)
    ax.scatter(u[x, cols], u[y, cols], s=4, color="0.75", label=f"packages ({u.shape[1]:,})")
    f = result.frontier
    order = np.argsort(u[x, f], kind="stable")
    ax.plot(
        u[x, f][order],
        u[y, f][order],
        color="C0",
        lw=1,
        marker=".",
        ms=5,
        label=f"Pareto frontier ({f.size})",
    )
    d = result.disagreement
    ax.axvline(d[x], color="C3", lw=0.8, ls=":")
    ax.axhline(d[y], color="C3", lw=0.8, ls=":")
    ax.plot(d[x], d[y], "x", color="C3", ms=9, label=f"disagreement ({result.disagreement_source})")
    for k, (name, sol) in enumerate(result.solutions.items()):
        if sol.column is None:
            continue
        ux, uy = u[x, sol.column], u[y, sol.column]
        ax.plot(
            ux,
            uy,
            _MARKERS.get(name, "D"),
            ms=10 - 1.5 * k,
            mfc="none",
            mew=2,
            color=f"C{k + 1}",
            label=f"{name.replace('_', ' ')} ({ux:.2f}, {uy:.2f})",
        )
    ax.set_xlabel(f"utility of {result.parties[x]}")
    ax.set_ylabel(f"utility of {result.parties[y]}")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    ax.set_title(title or f"{result.problem.source}: package deals")
    return fig
