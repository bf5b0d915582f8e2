"""Figures for the war models: bargaining range, front-path fan chart, commitment window,
land-swap feasibility over months (M5), settlement probability against mediator bias (M6)
and relapse hazard curves (M9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accord.errors import AccordError
from accord.report.save import new_figure
from accord.war._common import FAN, WarResult, mid_quantiles

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "bias_figure",
    "fan_chart",
    "hazard_figure",
    "range_figure",
    "swap_figure",
    "window_figure",
]


def range_figure(
    sweep: WarResult,
    p: float,
    *,
    status_quo: float | None = None,
    side: str = "side A",
    issue: str = "pie",
    title: str = "",
) -> Figure:
    """The bargaining range [low, high] against p (a band), the scenario's p marked.

    ``sweep`` is :func:`accord.war.bargaining_range` over a grid of p; the axes are in pie
    units scaled to 0-100 (side A's share of the issue named ``issue``, 100·x), as is
    ``status_quo``; ``side`` names side A (the scenario's first belligerent) on the axes.
    """
    ps = np.asarray(sweep["p"]) * 100
    low = np.clip(np.asarray(sweep["low"]), 0, 1) * 100
    high = np.clip(np.asarray(sweep["high"]), 0, 1) * 100
    fig = new_figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.fill_between(ps, low, high, alpha=0.3, label="bargaining range (both prefer to war)")
    ax.plot(ps, ps, color="black", lw=1, ls=":", label="expected outcome of war (x = p)")
    i = int(np.argmin(np.abs(ps - 100 * p)))
    ax.vlines(
        100 * p,
        low[i],
        high[i],
        color="C3",
        lw=3,
        label=f"p = {p:g}: [{low[i]:.1f}, {high[i]:.1f}]",
    )
    if status_quo is not None:
        ax.axhline(status_quo, color="C2", ls="--", lw=1, label=f"status quo {status_quo:g}")
    ax.set_xlabel(f"p: {side}'s expected share from fighting (×100)")
    ax.set_ylabel(f"{side}'s share of {issue} (×100)")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def fan_chart(
    result: WarResult,
    *,
    samples: int = 12,
    sides: tuple[str, str] = ("side A", "side B"),
    issue: str = "pie",
    title: str = "",
) -> Figure:
    """Front paths of :func:`accord.war.fight` on the territory scale: median, 50% and 90%
    bands over battles (mid-distribution quantiles, :func:`accord.war._common.mid_quantiles`:
    the median stays strictly inside the bands where runs differ), a few sample paths, and
    the distribution of final lines.

    ``sides`` names side A and side B (the scenario's belligerents) in the title, ``issue``
    the scale the front is measured on (the war issue)."""
    paths = result["paths"]
    if paths is None:
        raise AccordError("the fan chart needs front paths: run fight with keep_paths=True")
    lo, hi = result["territory_scale"]
    n = result["N"]
    end = min(paths.shape[1], int(np.max(result["time"])) + 2)  # after the last run ends: flat
    t = np.arange(end)
    q = np.empty((len(FAN), end))
    step = max(1, 2**21 // max(paths.shape[0], 1))  # battles per block: ~16 MB of floats
    for c0 in range(0, end, step):  # per battle over all runs, so blocks give the same bands
        block = lo + (hi - lo) * np.asarray(paths[:, c0 : min(c0 + step, end)], dtype=float) / n
        q[:, c0 : c0 + block.shape[1]] = mid_quantiles(block, FAN)  # integer states: ties
    line = lo + (hi - lo) * np.asarray(paths[: min(samples, paths.shape[0]), :end], dtype=float) / n
    fig = new_figure(9.0, 4.5)
    ax, hist = fig.subplots(1, 2, width_ratios=[3, 1], sharey=True)
    ax.fill_between(t, q[0], q[4], alpha=0.2, color="C0", label="5-95%")
    ax.fill_between(t, q[1], q[3], alpha=0.35, color="C0", label="25-75%")
    ax.plot(t, q[2], color="C0", lw=2, label="median")
    for row in line:
        ax.plot(t, row, color="grey", lw=0.5, alpha=0.6)
    ax.set_xlabel("battles")
    ax.set_ylabel(f"front line on {issue}")
    ax.set_ylim(min(lo, hi), max(lo, hi))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    final = np.asarray(result["territory"], dtype=float)
    hist.hist(final[np.isfinite(final)], bins=40, orientation="horizontal", color="C1")
    hist.set_xlabel("runs")
    hist.set_title("final line", fontsize=9)
    p = result["p_outcome"]
    ax.set_title(
        (title + "\n" if title else "")
        + f"settled {p['settled']:.0%}, {sides[0]} won {p['a_won']:.0%}, "
        f"{sides[1]} won {p['b_won']:.0%}, still fighting {p['fighting']:.0%}",
        fontsize=9,
    )
    return fig


def window_figure(
    curves: WarResult,
    window: WarResult,
    *,
    sides: tuple[str, str] = ("side A", "side B"),
    title: str = "",
) -> Figure:
    """Each side's no-war margin over guarantee strength g; the commitment window shaded."""
    g = np.asarray(curves["g"])
    mu, mr = np.asarray(curves["margin_A"]), np.asarray(curves["margin_B"])
    fig = new_figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.plot(g, mu, label=f"{sides[0]} keeps the peace above 0")
    ax.plot(g, mr, label=f"{sides[1]} keeps the peace above 0")
    ax.axhline(0, color="black", lw=0.8)
    if bool(window["nonempty"]):
        lo, hi = float(window["low"]), float(window["high"])
        ax.axvspan(lo, hi, color="C2", alpha=0.25, label=f"commitment window [{lo:.2f}, {hi:.2f}]")
    else:
        ax.text(0.5, 0.95, "commitment window empty", transform=ax.transAxes, ha="center", va="top")
    ax.set_xlabel("guarantee strength g (0 = none, 1 = Article-5-like)")
    ax.set_ylabel("(1-δ)(1-p+d) - δ(p-q(g))")
    ax.set_xlim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def swap_figure(
    swap: WarResult, *, sides: tuple[str, str] = ("side A", "side B"), title: str = ""
) -> Figure:
    """The land-for-land swap over months: the chip owner's R_swap against what each
    candidate parcel is worth to it, the chip holder's U_swap against what each is worth to
    it; months in which some parcel meets both are shaded.

    ``swap`` is :func:`accord.war.land_swap` (optionally with ``without_psi``, drawn dashed);
    ``sides`` = (chip holder, chip owner) actor ids for the labels.
    """
    t = np.asarray(swap["month"])
    names = swap["candidates"]
    values = swap["candidate_values"]
    holder, owner = sides
    fig = new_figure(9.0, 4.5)
    left, right = fig.subplots(1, 2, sharex=True)
    left.plot(t, swap["R_swap"], color="C3", lw=2, label=f"R_swap: most {owner} pays")
    if "without_psi" in swap:
        left.plot(
            t, swap["without_psi"]["R_swap"], color="C3", ls="--", lw=1, label="R_swap with ψ = 0"
        )
    right.plot(t, swap["U_swap"], color="C0", lw=2, label=f"U_swap: least {holder} takes")
    for k, name in enumerate(names):
        left.axhline(
            values["owner"][k], color=f"C{k + 4}", lw=1, ls=":", label=f"{name} to {owner}"
        )
        right.axhline(
            values["holder"][k], color=f"C{k + 4}", lw=1, ls=":", label=f"{name} to {holder}"
        )
    ok = np.asarray(swap["feasible"], dtype=bool)
    for ax in (left, right):
        for month in t[ok]:
            ax.axvspan(month - 0.5, month + 0.5, color="C2", alpha=0.15, lw=0)
        ax.set_xlabel("months from now")
        ax.grid(alpha=0.3)
        ax.legend(loc="best", fontsize=7)
    left.set_ylabel("pie units")
    left.set_title(f"{owner} gives up a parcel worth ≤ R_swap", fontsize=9)
    right.set_title(f"{holder} takes a parcel worth ≥ U_swap", fontsize=9)
    first = swap["first_feasible"]
    verdict = f"feasible from month {first}" if first >= 0 else "never feasible on this horizon"
    fig.suptitle((title + ": " if title else "") + f"swap of {swap['chip']} {verdict}", fontsize=10)
    return fig


def bias_figure(
    sweep: WarResult, mediators: list[dict[str, object]] | None = None, *, title: str = ""
) -> Figure:
    """P(settle | bias) against the mediator's bias |b| (Favretto's U-shape), its argmin
    marked and each scenario mediator placed on the curve.

    ``sweep`` is :func:`accord.war.settlement_by_bias` over a grid of bias in [0, 1];
    ``mediators`` are rows of :func:`accord.analysis.war.mediation_table`.
    """
    b = np.asarray(sweep["bias"])
    p = np.asarray(sweep["p_settle"])
    fig = new_figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.plot(b, p, color="C0", lw=2, label="P(settle | bias)")
    b_min = float(np.asarray(sweep["argmin"]).ravel()[0])
    p_min = float(np.asarray(sweep["p_min"]).ravel()[0])
    ax.axvline(b_min, color="grey", ls=":", lw=1, label=f"least effective bias {b_min:.2f}")
    for k, row in enumerate(mediators or []):
        x = abs(float(row["signed_bias"]))  # type: ignore[arg-type]
        y = float(row["p_settle"])  # type: ignore[arg-type]
        toward = f" toward {row['toward']}" if row["toward"] else ""
        ax.plot([x], [y], "o", color=f"C{k + 1}", label=f"{row['mediator']}{toward}: {y:.2f}")
    ax.set_xlabel("mediator bias |b| (0 = honest broker, 1 = committed patron)")
    ax.set_ylabel("P(settle)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(1.0, float(p.max())))
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    ax.set_title((title + "\n" if title else "") + f"min P(settle) {p_min:.2f}", fontsize=9)
    return fig


def hazard_figure(curves: dict[str, WarResult], *, title: str = "") -> Figure:
    """Relapse hazard (left) and P(no relapse) (right) over months since the agreement, for
    the agreement as given, none of the features, each feature alone and all of them.

    ``curves`` is :func:`accord.analysis.war.hazard_curves`.
    """
    fig = new_figure(9.0, 4.5)
    left, right = fig.subplots(1, 2, sharex=True)
    styles = {
        "agreement": ("C3", "-", 2.5),
        "none": ("black", "--", 1.0),
        "guarantees": ("C2", "-", 1.0),
        "dmz": ("C1", "-", 1.0),
        "peacekeepers": ("C4", "-", 1.0),
        "all": ("C5", "-", 1.0),
    }
    for k, (name, res) in enumerate(curves.items()):
        color, ls, lw = styles.get(name, (f"C{k + 6}", "-", 1.0))
        h = np.asarray(res["hazard"])
        s = np.asarray(res["survival"])
        months = np.arange(s.shape[-1])
        label = f"{name}: P(relapse) {float(res['p_relapse']):.2f}"
        left.step(months[:-1], h, where="post", color=color, ls=ls, lw=lw, label=name)
        right.plot(months, s, color=color, ls=ls, lw=lw, label=label)
    left.set_ylabel("relapse hazard per month")
    right.set_ylabel("P(no relapse yet)")
    right.set_ylim(0, 1)
    for ax in (left, right):
        ax.set_xlabel("months since the agreement")
        ax.grid(alpha=0.3)
    left.legend(loc="best", fontsize=7)
    right.legend(loc="best", fontsize=7)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
