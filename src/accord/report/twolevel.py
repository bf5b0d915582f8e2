"""Figure for ``accord war winset``: each belligerent's win-set on the war issue's line
at month 0 (the state's own bound, its factions', its leader's), and each leader's removal
risk along the path (M10)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["winset_figure"]


def winset_figure(
    table: dict[str, Any],
    removal: dict[str, list[float]],
    *,
    sides: tuple[str, str],
    issue: str,
    scale: tuple[float, float],
    front: float,
    title: str = "",
) -> Figure:
    """Left: for each belligerent the bound of its win-set on ``issue`` by who sets it
    (side A accepts lines at or above its bound, side B at or below), with the overlap
    shaded. Right: mean removal risk of each leader were the war to end on the line."""
    lo, width = scale
    fig = new_figure(11.0, 4.0)
    ax1, ax2 = fig.subplots(1, 2)
    names = ("state", "factions", "leader")
    for row, who in enumerate(sides):
        entry = table.get(who)
        if entry is None:
            continue
        for k, name in enumerate(names):
            v = entry.get(name)
            if v is None:
                continue
            y = row + (k - 1) * 0.2
            if row == 0:
                ax1.barh(y, lo + width - v, left=v, height=0.18, color=f"C{k}", alpha=0.7)
            else:
                ax1.barh(y, v - lo, left=lo, height=0.18, color=f"C{k}", alpha=0.7)
    for k, name in enumerate(names):
        ax1.barh(np.nan, 0, color=f"C{k}", alpha=0.7, label=f"bound set by the {name}")
    ov = table.get("overlap")
    if ov is not None and ov["width"] >= 0:
        ax1.axvspan(ov["from"], ov["to"], color="0.85", zorder=0, label="inside both win-sets")
    ax1.axvline(front, color="k", ls="--", lw=1, label="front now")
    ax1.set_yticks([0, 1], [f"{sides[0]} (A: accepts ≥)", f"{sides[1]} (B: accepts ≤)"])
    ax1.set_xlim(lo, lo + width)
    ax1.set_xlabel(f"line on {issue}")
    ax1.set_title("win-sets at month 0 (war-time package)", fontsize=9)
    ax1.legend(loc="upper center", fontsize=7, bbox_to_anchor=(0.5, -0.18), ncol=3)
    for who, path in removal.items():
        ax2.plot(np.arange(len(path)), path, lw=2, label=f"{who} leader")
    ax2.set_ylim(0, 1)
    ax2.set_xlabel("month")
    ax2.set_ylabel("removal risk were the war to end on the line")
    ax2.grid(alpha=0.3)
    if removal:
        ax2.legend(loc="upper right", fontsize=8)
    fig.suptitle((title + ": " if title else "") + "who decides (M10)", fontsize=10)
    return fig
