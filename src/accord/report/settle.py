"""Figures for ``accord settle``: P(settlement) by month, the fan chart of the line, and
the shares of runs blocked by each obstacle."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accord.report.save import new_figure
from accord.war.settle import OBSTACLES, SettleResult

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["settle_figure"]


def settle_figure(res: SettleResult, *, title: str = "") -> Figure:
    """Three panels over the months: P(settled by m) with a 95% Monte Carlo band; the fan
    chart of the territorial line (front, or the settled line once settled); the share of
    runs still at war blocked by each obstacle."""
    inp = res.inputs
    lo, width = inp.meta.get("scale", (0.0, 100.0))
    m = np.arange(res.months + 1)
    p, se = res.p_settled_by()
    fig = new_figure(12.0, 4.2)
    ax1, ax2, ax3 = fig.subplots(1, 3)
    ax1.fill_between(m, np.clip(p - 1.96 * se, 0, 1), np.clip(p + 1.96 * se, 0, 1), alpha=0.3)
    ax1.plot(m, p, lw=2, label="P(settled by month)")
    ax1.set_ylim(0, 1)
    ax1.set_xlabel("month")
    ax1.set_ylabel("probability")
    ax1.grid(alpha=0.3)
    ax1.legend(loc="upper left", fontsize=8)
    q = res.line_quantiles() * width + lo
    ax2.fill_between(m, q[0], q[4], alpha=0.2, color="C0", label="5-95%")
    ax2.fill_between(m, q[1], q[3], alpha=0.35, color="C0", label="25-75%")
    ax2.plot(m, q[2], color="C0", lw=2, label="median")
    ax2.axhline(inp.meta.get("status_quo", np.nan), color="C2", ls="--", lw=1, label="front now")
    ax2.set_xlabel("month")
    ax2.set_ylabel(f"line on {inp.war_issue}")
    ax2.grid(alpha=0.3)
    ax2.legend(loc="lower left", fontsize=7)
    share = res.blocked_share()
    bottom = np.zeros(m.size)
    for j, name in enumerate(OBSTACLES):
        ax3.bar(m, share[:, j], bottom=bottom, label=name, width=0.9)
        bottom += share[:, j]
    ax3.set_ylim(0, 1)
    ax3.set_xlabel("month")
    ax3.set_ylabel("share of runs at war (rest: settled that month)")
    ax3.set_title("why no deal", fontsize=9)
    ax3.legend(loc="lower right", fontsize=7)
    a, b = inp.sides
    fig.suptitle((title + ": " if title else "") + f"{a} vs {b}, {res.runs:,} runs", fontsize=10)
    return fig
