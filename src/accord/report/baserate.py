"""Figures for reference-class base rates and their back-test."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np

from accord.analysis.baserate import BaseRate
from accord.analysis.war_backtest import PREDICTORS, WarBacktest, reliability
from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["baserate_figure", "reliability_figure"]

_TITLES = {
    "temporal": "fit on 1946-1999, forecast 2000-2023",
    "decade": "leave one decade out (pooled)",
}


def reliability_figure(result: WarBacktest, bins: int = 10) -> Figure:
    """Reliability diagram of P(end within 12 months | lasted d), one panel per design.

    Each point is a forecast bin: mean forecast against the observed share that ended,
    its area proportional to the number of episode-years in the bin.
    """
    designs = list(result.predictions)
    fig = new_figure(5.0 * len(designs), 4.8)
    axes = fig.subplots(1, len(designs), squeeze=False)[0]
    for ax, design in zip(axes, designs, strict=True):
        table = reliability(result.predictions[design], bins=bins)
        scores = {r["predictor"]: r for r in result.records() if r["design"] == design}
        for k, name in enumerate(PREDICTORS):
            t = table[table["predictor"] == name]
            brier = float(scores[name]["brier"])
            ax.plot(t["mean_forecast"], t["observed"], "-", color=f"C{k}", lw=1, alpha=0.7)
            ax.scatter(
                t["mean_forecast"],
                t["observed"],
                s=8 + 400 * t["n"] / max(int(t["n"].sum()), 1),
                color=f"C{k}",
                alpha=0.8,
                label=f"{name} (Brier {brier:.3f})",
            )
        ax.plot([0, 1], [0, 1], color="black", lw=1, ls=":")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("forecast P(end within 12 months | lasted so far)")
        ax.set_ylabel("share that ended within 12 months")
        ax.set_title(_TITLES.get(design, design), fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("UCDP conflict episodes: calibration of war-termination base rates")
    return fig


def baserate_figure(result: BaseRate, title: str = "") -> Figure:
    """P(the war has ended within t months from now): the class's Kaplan-Meier with its 95%
    interval, and the two AFT models with their 95% intervals at the horizons."""
    c = result.curve
    t = c.index.to_numpy(dtype=float)
    fig = new_figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.fill_between(t, c["lo"], c["hi"], step="post", alpha=0.2, color="C0")
    ax.step(
        t,
        c["p"],
        where="post",
        color="C0",
        lw=2,
        label=f"Kaplan-Meier, the class ({result.n_at_risk} episodes at risk; 95% band)",
    )
    ax.plot(t, c["weibull"], color="C1", ls="--", label="Weibull AFT (all episodes)")
    ax.plot(t, c["loglogistic"], color="C2", ls="-.", label="log-logistic AFT (all episodes)")
    for h in result.horizons:
        ax.axvline(h, color="grey", lw=0.6, ls=":")
    a = result.aft
    for k, kind in ((1, "weibull"), (2, "loglogistic")):
        x = a.index.to_numpy(dtype=float) + (0.3 if k == 2 else -0.3)
        mid = a[kind].to_numpy(dtype=float)
        err = np.abs(np.vstack([mid - a[f"{kind}_lo"], a[f"{kind}_hi"] - mid]))
        ax.errorbar(x, mid, yerr=err, fmt="none", ecolor=f"C{k}", capsize=3, lw=1)
    ax.set_xlim(0, float(np.max(t)))
    ax.set_ylim(0, 1)
    ax.set_xlabel(f"months from now (the war has lasted {result.duration_months:.0f} months)")
    ax.set_ylabel("probability the war has ended")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title(textwrap.fill(title or result.reference_class.describe(), 90), fontsize=9)
    return fig
