"""Figures for sweeps: ensemble distributions, tornado, sensitivity indices, PRIM trajectory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["ensemble_figure", "indices_figure", "tornado_figure", "trajectory_figure"]


def ensemble_figure(
    outputs: Mapping[str, ArrayLike], *, base: Mapping[str, float] | None = None, title: str = ""
) -> Figure:
    """One histogram per output with its 5/50/95 % quantiles (and the base run, if given)."""
    n = max(1, len(outputs))
    fig = new_figure(3.2 * min(n, 3), 2.8 * ((n + 2) // 3))
    for i, (name, values) in enumerate(outputs.items()):
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        ax = fig.add_subplot((n + 2) // 3, min(n, 3), i + 1)
        ax.set_title(name, fontsize=9)
        if v.size == 0:
            continue
        ax.hist(v, bins=40 if np.ptp(v) > 0 else 1, color="C0", alpha=0.7)
        for q, ls in zip(np.quantile(v, [0.05, 0.5, 0.95]), (":", "-", ":"), strict=True):
            ax.axvline(q, color="black", ls=ls, lw=1)
        if base is not None and name in base:
            ax.axvline(base[name], color="C3", lw=2, label="scenario as filed")
            ax.legend(fontsize=7)
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    if title:
        fig.suptitle(title)
    return fig


def tornado_figure(table: pd.DataFrame, *, title: str = "") -> Figure:
    """Bars from the output's mean in each number's lowest to its highest decile."""
    t = table.iloc[::-1]
    fig = new_figure(7.5, 0.35 * len(t) + 1.5)
    ax = fig.add_subplot()
    y = np.arange(len(t))
    mean = float(table.attrs.get("mean", np.nan))
    lo, hi = t["low"].to_numpy(), t["high"].to_numpy()
    ax.barh(y, hi - mean, left=mean, color="C1", label="number in its top decile")
    ax.barh(y, lo - mean, left=mean, color="C0", label="number in its bottom decile")
    ax.axvline(mean, color="black", lw=1)
    ax.set_yticks(y, [str(i) for i in t.index], fontsize=7)
    ax.set_xlabel("mean of the output")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return fig


def indices_figure(table: pd.DataFrame, method: str, *, title: str = "") -> Figure:
    """Sobol S1 and ST (or Morris mu*) per number with their intervals."""
    t = table.iloc[::-1]
    fig = new_figure(7.5, 0.35 * len(t) + 1.5)
    ax = fig.add_subplot()
    y = np.arange(len(t))
    if method == "sobol":
        for col, dy, c in (("ST", 0.18, "C3"), ("S1", -0.18, "C0")):
            v = t[col].to_numpy()
            err = np.vstack([v - t[f"{col}_low"].to_numpy(), t[f"{col}_high"].to_numpy() - v])
            ax.barh(y + dy, v, height=0.35, xerr=err, color=c, label=col)
        ax.set_xlabel("Sobol index (bootstrap 95 % interval)")
    else:
        v = t["mu_star"].to_numpy()
        err = np.vstack([v - t["mu_star_low"].to_numpy(), t["mu_star_high"].to_numpy() - v])
        ax.barh(y, v, xerr=err, color="C0", label="mu*")
        ax.set_xlabel("Morris mu* (per unit of quantile)")
    ax.set_yticks(y, [str(i) for i in t.index], fontsize=7)
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return fig


def trajectory_figure(result: Any, *, title: str = "") -> Figure:
    """PRIM's peeling trajectory: density against coverage, the chosen box marked."""
    fig = new_figure(6.0, 4.5)
    ax = fig.add_subplot()
    for i, (traj, box) in enumerate(zip(result.trajectories, result.boxes, strict=True)):
        sc = ax.scatter(
            traj["coverage"], traj["density"], c=traj["restricted"], cmap="viridis", s=12
        )
        ax.plot(box.coverage, box.density, "o", mfc="none", mec="C3", ms=12, label=f"box {i + 1}")
    if result.trajectories:
        fig.colorbar(sc, ax=ax, label="restricted dimensions")
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title)
    return fig
