"""Figures and Markdown for back-test results."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from accord.analysis.backtest import BacktestResult
from accord.errors import AccordError
from accord.report.save import new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["error_figure", "replace_between_markers"]


def error_figure(result: BacktestResult, title: str = "") -> Figure:
    """Box plots of each predictor's absolute errors (failures at their worst), best first."""
    order = result.summary.sort_values("mae").index.tolist()
    errors = [
        result.predictions.loc[result.predictions["predictor"] == p, "scored_error"].to_numpy()
        for p in order
    ]
    fig = new_figure(9.0, 0.45 * len(order) + 1.7)
    ax = fig.add_subplot()
    labels = [f"{p}  (mean {np.mean(e):.1f})" for p, e in zip(order, errors, strict=True)]
    ax.boxplot(
        errors, orientation="horizontal", tick_labels=labels, showmeans=True, whis=(5, 95), sym="."
    )
    ax.invert_yaxis()
    # two lines: one would be wider than the axes that the long predictor names leave
    ax.set_xlabel(
        "absolute error, points on the 0-100 scale\n"
        "(box: quartiles; whiskers: 5-95%; triangle: mean)"
    )
    ax.set_xlim(0, 100)
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title)
    return fig


def replace_between_markers(path: Path, name: str, text: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in a file."""
    content = path.read_text(encoding="utf-8")
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(content):
        raise AccordError(f"{path}: no {start} ... {end} markers to replace")
    path.write_text(pattern.sub(lambda _: f"{start}\n{text}{end}", content), encoding="utf-8")
