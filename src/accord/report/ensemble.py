"""Plotly views of a sweep's ensemble, shared by ``accord app``'s Ensemble tab and the
briefing's ensemble section: an output's histogram over the filtered draws against all
draws, the limits of PRIM's boxes, and the peeling trajectory. They draw what
:mod:`accord.analysis.explore` computed; the only arithmetic is binning."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from accord.analysis.explore import View
from accord.analysis.prim import PrimResult

__all__ = ["boxes_view", "histogram_view", "trajectory_view"]

_LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "margin": {"l": 50, "r": 20, "t": 60, "b": 40},
    "font": {"size": 12},
}
BINS = 30


def histogram_view(view: View, *, title: str = "") -> go.Figure:
    """Counts of the output per bin, all draws behind the filtered draws (those with the
    view's event, if it has one; same bins, so the filtered bars sum to the filtered draws
    with a finite value)."""
    v = view.all
    edges = np.histogram_bin_edges(v, bins=BINS if v.size and np.ptp(v) > 0 else 1)
    every, _ = np.histogram(v, edges)
    inside, _ = np.histogram(view.filtered, edges)
    mid = (edges[:-1] + edges[1:]) / 2
    width = float(edges[1] - edges[0]) if len(edges) > 1 else 1.0
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=mid.tolist(),
            y=every.tolist(),
            width=width,
            name=f"all draws ({v.size:,})",
            marker_color="#c7c7c7",
        )
    )
    fig.add_trace(
        go.Bar(
            x=mid.tolist(),
            y=inside.tolist(),
            width=width,
            name=(f"with {view.event.describe()}" if view.event is not None else "filtered")
            + f" ({view.filtered.size:,})",
            marker_color="#1f77b4",
        )
    )
    fig.update_layout(
        **_LAYOUT,
        barmode="overlay",
        bargap=0,
        title=title or view.output,
        xaxis_title=view.output,
        yaxis_title="draws",
        legend={"orientation": "h", "y": -0.2},
    )
    return fig


def boxes_view(result: PrimResult, x: pd.DataFrame | None = None, *, title: str = "") -> go.Figure:
    """Each box's restricted dimensions as bars on the share of the number's range in the
    draws (0 = its smallest draw, 1 = its largest); hover shows the limits."""
    fig = go.Figure()
    for i, box in enumerate(result.boxes):
        dims = list(box.restricted)
        lo = box.lower[dims].to_numpy(dtype=float)
        hi = box.upper[dims].to_numpy(dtype=float)
        if x is not None:
            dmin = x[dims].min().to_numpy(dtype=float)
            dmax = x[dims].max().to_numpy(dtype=float)
        else:
            dmin, dmax = lo, hi
        span = np.where(dmax > dmin, dmax - dmin, 1.0)
        fig.add_trace(
            go.Bar(
                y=[f"box {i + 1}: {d}" for d in dims],
                x=(hi - lo) / span,
                base=(lo - dmin) / span,
                orientation="h",
                name=f"box {i + 1} (coverage {box.coverage:.2f}, density {box.density:.2f})",
                customdata=np.c_[lo, hi],
                hovertemplate="%{y}: [%{customdata[0]:.4g}, %{customdata[1]:.4g}]<extra></extra>",
            )
        )
    fig.update_layout(
        **_LAYOUT,
        title=title or "PRIM boxes: restricted numbers",
        xaxis={"title": "share of the number's range in the draws", "range": [0, 1]},
        yaxis={"autorange": "reversed"},
        height=max(260, 60 + 22 * sum(len(b.restricted) for b in result.boxes)),
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def trajectory_view(result: PrimResult, *, title: str = "") -> go.Figure:
    """PRIM's peeling trajectory: density against coverage per step, chosen boxes ringed."""
    fig = go.Figure()
    for i, (traj, box) in enumerate(zip(result.trajectories, result.boxes, strict=True)):
        fig.add_trace(
            go.Scatter(
                x=traj["coverage"],
                y=traj["density"],
                mode="markers+lines",
                name=f"peeling {i + 1}",
                text=[f"{r} restricted" for r in traj["restricted"]],
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[box.coverage],
                y=[box.density],
                mode="markers",
                marker={"size": 16, "symbol": "circle-open", "color": "#d62728"},
                name=f"box {i + 1}",
            )
        )
    fig.update_layout(
        **_LAYOUT, title=title or "PRIM peeling trajectory", xaxis_title="coverage",
        yaxis_title="density",
    )  # fmt: skip
    return fig
