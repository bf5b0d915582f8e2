"""Actor trajectories: every actor's position on each issue, round by round (``accord run
--plot``), as KTAB's SMP GUI draws them, with each model's forecast marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from accord.models.base import ModelResult
    from accord.scenario.schema import Scenario

__all__ = ["trajectory_figure"]

_MAX_LABELLED = 12  # actors named in the legend; more are drawn but left unnamed


def _actors(ax: Axes, sc: Scenario, k: int, x: np.ndarray, colours: list[Any]) -> None:
    """Every actor's path on issue ``k``; ``x`` is ``(rounds + 1, actors)``."""
    rounds = np.arange(x.shape[0])
    for i, aid in enumerate(sc.actor_ids):
        if np.isnan(x[:, i]).all():
            continue  # the actor sits this issue out
        label = aid if i < _MAX_LABELLED else None
        style = "-" if x.shape[0] > 1 else "o"
        ax.plot(rounds, x[:, i], style, color=colours[i], lw=1.0, ms=3, label=label)
    issue = sc.issues[k]
    if issue.status_quo is not None:
        ax.axhline(issue.status_quo.value, color="0.5", lw=0.8, ls=":", label="status quo")
    ax.set_ylim(issue.scale.min, issue.scale.max)
    if x.shape[0] > 1:
        ax.set_xlim(0, x.shape[0] - 1)
    else:  # no rounds: the positions at round 0 only
        ax.set_xlim(-0.5, 1.0)
        ax.set_xticks([0])
    ax.tick_params(labelsize=7)


def _forecast(ax: Axes, r: ModelResult, k: int, end: int) -> None:
    """The forecast (dashed, a diamond at the last round) and, where the decision rule
    moved it, the forecast before the rule (dash-dot, grey)."""
    value = float(r.forecast[k])
    rule = (r.extra.get("decision_rule") or {}).get(r.issue_ids[k])
    if rule is not None and math.isfinite(rule["unbound"]) and abs(rule["shift"]) > 1e-9:
        ax.axhline(rule["unbound"], color="0.4", lw=1.0, ls="-.", label="before the decision rule")
    if math.isfinite(value):
        ax.axhline(value, color="black", lw=1.4, ls="--", label="forecast")
        ax.plot([end], [value], "D", color="black", ms=5)


def trajectory_figure(
    scenario: Scenario, results: Sequence[ModelResult], *, title: str = ""
) -> Figure:
    """One row per model with rounds, one panel per issue: each actor's position over the
    rounds, the status quo (dotted) and the model's forecast (dashed, a diamond at the last
    round; dash-dot where the decision rule moved it, the forecast before the rule).

    Static models (no rounds) share one last row: the actors' positions at round 0 and each
    static model's forecast as a labelled tick on the right. A spread of repetitions is not
    drawn: the path is the first draw's (``accord run`` prints the quantiles).
    """
    import matplotlib as mpl

    sc = scenario
    m = len(sc.issues)
    moving = [r for r in results if r.trajectory is not None]
    static = [r for r in results if r.trajectory is None]
    rows = len(moving) + (1 if static or not moving else 0)
    fig = new_figure(min(max(2.6 * m + 1.6, 6.5), 24.0), 2.1 * rows + 0.9)
    axes = fig.subplots(rows, m, squeeze=False)
    cmap = mpl.colormaps["tab20"]
    colours = [cmap(i % 20) for i in range(len(sc.actor_ids))]
    for row, r in enumerate(moving):
        assert r.trajectory is not None
        for k in range(m):
            _actors(axes[row, k], sc, k, r.trajectory[:, :, k], colours)
            _forecast(axes[row, k], r, k, r.trajectory.shape[0] - 1)
        axes[row, 0].set_ylabel(r.model, fontsize=8)
    if rows > len(moving):
        initial = sc.arrays().position
        for k in range(m):
            ax = axes[-1, k]
            _actors(ax, sc, k, initial[None, :, k], colours)
            named: dict[float, list[str]] = {}  # models with the same forecast share a tick
            for r in static:
                v = float(r.forecast[k])
                if math.isfinite(v):
                    named.setdefault(round(v, 9), []).append(r.model)
            for v, names in named.items():
                ax.plot([0.95], [v], "<", color="black", ms=5, transform=ax.get_yaxis_transform())
                ax.annotate(
                    ", ".join(names),
                    (0.93, v),
                    xycoords=("axes fraction", "data"),
                    ha="right",
                    va="center",
                    fontsize=6,
                )
        axes[-1, 0].set_ylabel("positions; static models", fontsize=8)
    for k in range(m):
        axes[0, k].set_title(f"{sc.issues[k].id}  {sc.issues[k].name}"[:40], fontsize=8)
        axes[-1, k].set_xlabel("round", fontsize=7)
    handles: list[Any] = []
    labels: list[str] = []
    for ax in axes.flat:  # every actor and mark, whichever panel it appears in first
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="outside right center", fontsize=7, frameon=False)
    fig.suptitle(title or f"{sc.id}: actor positions by round", fontsize=10)
    return fig
