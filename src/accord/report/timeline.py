"""The timeline figure: how the forecast of one war moved across its as-of dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from accord.analysis.timeline import TimelineResult, describe_changes, describe_drivers
from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["timeline_figure"]


def _short(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def timeline_figure(res: TimelineResult, *, title: str = "", annotate: int = 2) -> Figure:
    """Three panels over the as-of dates (P(settlement) by 6 and 12 months; the war issue's
    status quo, expected line in 12 months and the models' point; P(escalation) and P(swap)),
    and under them, per date, its ``annotate`` largest changes from the previous date."""
    pts = res.points
    x = [dt.date.fromisoformat(p.as_of) for p in pts]
    n_notes = len(pts) - 1 if annotate else 0
    fig = new_figure(8.5, 7.5 + 0.16 * n_notes)
    heights = [3, 3, 2] + ([0.16 * n_notes + 0.2] if n_notes else [])
    axes = fig.subplots(len(heights), 1, gridspec_kw={"height_ratios": heights})
    ax1, ax2, ax3 = axes[0], axes[1], axes[2]
    ax1.plot(x, [p.p_by(6) for p in pts], "o-", label="P(settled within 6 months)")
    ax1.plot(x, [p.p_by(12) for p in pts], "s-", label="P(settled within 12 months)")
    ax1.set_ylim(0, 1)
    ax1.set_ylabel("probability")
    ax1.legend(loc="upper left", fontsize=8)
    for k, (xi, p) in enumerate(zip(x, pts, strict=True)):
        ax1.annotate(
            str(k + 1),
            (xi, p.p_by(12)),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=7,
        )
    issue = pts[0].war_issue if pts else "war issue"
    ax2.plot(x, [p.status_quo for p in pts], "o-", color="0.3", label=f"{issue} status quo (front)")
    ax2.plot(x, [p.front[1] for p in pts], "s--", label=f"expected {issue} in 12 months (settle)")
    ax2.plot(
        x, [p.models_median for p in pts], "^:", label="multi-actor models, median (no vetoes)"
    )
    ax2.set_ylabel(issue)
    ax2.legend(loc="best", fontsize=8)
    ax3.plot(x, [p.p_escalation for p in pts], "o-", color="tab:red", label="P(escalation)")
    swap = [(xi, p.p_swap) for xi, p in zip(x, pts, strict=True) if p.p_swap is not None]
    if swap:
        ax3.plot(
            [s[0] for s in swap],
            [s[1] for s in swap],
            "d",
            color="tab:purple",
            label="P(land-for-land swap), where a parcel is held",
        )
    ax3.set_ylabel("probability")
    ax3.set_ylim(0, max([0.05, *(p.p_escalation for p in pts)]) * 1.6)
    ax3.legend(loc="best", fontsize=8)
    for ax in (ax1, ax2, ax3):
        ax.grid(alpha=0.3)
        ax.set_xlim(x[0] - dt.timedelta(days=45), x[-1] + dt.timedelta(days=45))
    if n_notes:
        notes = axes[3]
        notes.axis("off")
        lines = [
            _short(
                f"{k + 1}. {p.as_of}: "
                + (
                    describe_drivers(p.drivers[:annotate])
                    if p.drivers
                    else describe_changes(p.changes, annotate) or "no change"
                )
            )
            for k, p in enumerate(pts)
            if k > 0
        ]
        head = (
            "what moved P(settled within 12 months), reverting one group at a time:"
            if any(p.drivers for p in pts)
            else "largest changes from the previous date:"
        )
        notes.text(
            0,
            1,
            head + "\n" + "\n".join(lines),
            va="top",
            ha="left",
            fontsize=7,
            family="monospace",
            transform=notes.transAxes,
        )
    fig.suptitle(
        title or f"{res.series_id}: forecasts by as-of date ({res.runs} runs)", fontsize=10
    )
    return fig
