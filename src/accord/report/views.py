"""Interactive (Plotly) views, one function per view, shared by ``accord report`` and
``accord app``: the settlement forecast, the models' forecasts per issue, who moved whom,
the package-deal frontier. They draw results; they compute nothing but quantiles of them.
The matplotlib versions of the same views (``accord settle --plot``) are in
:mod:`accord.report.settle` and :mod:`accord.report.deals`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from accord.deals.analysis import DealResult
from accord.models.base import ModelResult
from accord.war.settle import OBSTACLES, SettleResult

__all__ = ["forecasts_view", "frontier_view", "influence_view", "settle_view"]

_LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "margin": {"l": 50, "r": 20, "t": 60, "b": 40},
    "font": {"size": 12},
}


def settle_view(res: SettleResult, *, title: str = "") -> go.Figure:
    """P(settled by month) with its 95% Monte Carlo band; the fan chart of the line (front,
    or the settled line once settled); the share of runs at war blocked by each obstacle."""
    inp = res.inputs
    lo, width = inp.meta.get("scale", (0.0, 100.0))
    m = np.arange(res.months + 1)
    p, se = res.p_settled_by()
    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=("P(settled by month)", f"fan chart of {inp.war_issue}", "why no deal"),
    )
    band_hi, band_lo = np.clip(p + 1.96 * se, 0, 1), np.clip(p - 1.96 * se, 0, 1)
    fig.add_trace(
        go.Scatter(
            x=np.r_[m, m[::-1]],
            y=np.r_[band_hi, band_lo[::-1]],
            fill="toself",
            line={"width": 0},
            fillcolor="rgba(31,119,180,0.25)",
            name="95% MC band",
            hoverinfo="skip",
        ),
        1,
        1,
    )
    fig.add_trace(go.Scatter(x=m, y=p, name="P(settled)", line={"width": 3}), 1, 1)
    q = res.line_quantiles() * width + lo
    for a, b, alpha, name in ((0, 4, 0.15, "5-95%"), (1, 3, 0.35, "25-75%")):
        fig.add_trace(
            go.Scatter(
                x=np.r_[m, m[::-1]],
                y=np.r_[q[b], q[a][::-1]],
                fill="toself",
                line={"width": 0},
                fillcolor=f"rgba(44,160,44,{alpha})",
                name=name,
                hoverinfo="skip",
            ),
            1,
            2,
        )
    fig.add_trace(go.Scatter(x=m, y=q[2], name="median line", line={"color": "green"}), 1, 2)
    share = res.blocked_share()
    for j, name in enumerate(OBSTACLES):
        fig.add_trace(go.Bar(x=m, y=share[:, j], name=name), 1, 3)
    fig.update_layout(
        barmode="stack",
        title=(title + ": " if title else "") + f"{inp.sides[0]} vs {inp.sides[1]}, "
        f"{res.runs:,} runs",
        height=420,
        legend={"orientation": "h", "y": -0.2},
        **_LAYOUT,
    )
    fig.update_yaxes(range=[0, 1], row=1, col=1)
    fig.update_yaxes(range=[0, 1], row=1, col=3)
    fig.update_xaxes(title_text="month")
    return fig


def forecasts_view(results: Sequence[ModelResult], *, title: str = "") -> go.Figure:
    """Each model's forecast on each issue (issues as rows, models as markers)."""
    fig = go.Figure()
    for r in results:
        keep = [i for i, v in enumerate(r.forecast) if v == v]
        fig.add_trace(
            go.Scatter(
                x=[float(r.forecast[i]) for i in keep],
                y=[r.issue_ids[i] for i in keep],
                mode="markers",
                marker={"size": 11, "opacity": 0.8},
                name=r.model,
            )
        )
    fig.update_layout(
        title=title or "forecasts per issue (each issue on its own scale)",
        height=max(300, 60 * len(results[0].issue_ids) + 120) if results else 300,
        xaxis_title="forecast",
        **_LAYOUT,
    )
    return fig


def influence_view(
    edges: Sequence[tuple[str, str, str, int, float]], *, title: str = ""
) -> go.Figure:
    """Who moved whom: ``(by, moved, kind, moves, distance)`` edges
    (:meth:`accord.analysis.influence.Influence.edges`) on a circle of actors, an arrow
    from the actor who moved another to the one it moved; line width grows with the
    distance moved (as a share of the issue's scale)."""
    names = sorted({e[0] for e in edges} | {e[1] for e in edges})
    pos = {
        n: (math.cos(2 * math.pi * k / max(len(names), 1)), math.sin(2 * math.pi * k / len(names)))
        for k, n in enumerate(names)
    }
    fig = go.Figure()
    top = max((e[4] for e in edges), default=1.0) or 1.0
    kinds = sorted({e[2] for e in edges})
    palette = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
    for e in edges:
        (x0, y0), (x1, y1) = pos[e[0]], pos[e[1]]
        color = palette[kinds.index(e[2]) % len(palette)]
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                line={"width": 1 + 5 * e[4] / top, "color": color},
                hovertext=f"{e[0]} moved {e[1]}: {e[2]} x{e[3]}, {e[4]:.2f} scale widths",
                hoverinfo="text",
                showlegend=False,
            )
        )
        fig.add_annotation(
            x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
            showarrow=True, arrowhead=3, arrowcolor=color, opacity=0.6, text="",
        )  # fmt: skip
    for k in kinds:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": palette[kinds.index(k) % len(palette)]},
                name=k,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in names],
            y=[pos[n][1] for n in names],
            mode="markers+text",
            text=names,
            textposition="top center",
            marker={"size": 14, "color": "#444"},
            showlegend=False,
        )
    )
    fig.update_layout(
        title=title or "who moved whom (arrow: from the actor who moved another)",
        height=460,
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        **_LAYOUT,
    )
    return fig


def frontier_view(result: DealResult, *, x: int = 0, y: int = 1, seed: int = 0) -> go.Figure:
    """Utilities of two parties over every package (a seeded sample above 20,000), the
    Pareto frontier, the disagreement point and the bargaining solutions."""
    u = result.matrix.values
    cols = np.arange(u.shape[1])
    if cols.size > 20_000:
        cols = np.random.default_rng(seed).choice(cols, 20_000, replace=False)
    fig = go.Figure()
    fig.add_trace(
        go.Scattergl(
            x=u[x, cols],
            y=u[y, cols],
            mode="markers",
            marker={"size": 3, "color": "#bbb"},
            name=f"packages ({u.shape[1]:,})",
        )
    )
    f = result.frontier
    order = np.argsort(u[x, f], kind="stable")
    fig.add_trace(
        go.Scatter(
            x=u[x, f][order],
            y=u[y, f][order],
            mode="lines+markers",
            name=f"Pareto frontier ({f.size})",
        )
    )
    d = result.disagreement
    cross = {"symbol": "x", "size": 12}
    fig.add_trace(go.Scatter(x=[d[x]], y=[d[y]], mode="markers", marker=cross, name="disagreement"))
    for name, sol in result.solutions.items():
        if sol.column is None:
            continue
        fig.add_trace(
            go.Scatter(
                x=[u[x, sol.column]],
                y=[u[y, sol.column]],
                mode="markers",
                marker={"size": 13, "symbol": "circle-open", "line": {"width": 3}},
                name=name.replace("_", " "),
            )
        )
    fig.update_layout(
        title=f"{result.problem.source}: package deals",
        xaxis_title=f"utility of {result.parties[x]}",
        yaxis_title=f"utility of {result.parties[y]}",
        height=460,
        **_LAYOUT,
    )
    return fig
