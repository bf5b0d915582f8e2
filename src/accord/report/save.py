"""Save a matplotlib figure by file suffix: .png, .svg, .pdf or .html (SVG embedded)."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import AccordError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["SUFFIXES", "figure_format", "new_figure", "save_figure"]

SUFFIXES = (".png", ".svg", ".pdf", ".html")


def new_figure(width: float = 7.0, height: float = 4.5) -> Figure:
    """A figure that needs no display (Agg canvas), so it works on a headless machine."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise AccordError(
            "plots need matplotlib, a dependency of accord: pip install 'matplotlib>=3.10'"
        ) from None
    return Figure(figsize=(width, height), layout="constrained")


def figure_format(path: str | Path) -> str:
    """The figure format a path's suffix asks for; an error for an unknown one."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise AccordError(f"{path}: unknown plot format {suffix!r}; use {', '.join(SUFFIXES)}")
    return suffix


def save_figure(fig: Figure, path: str | Path, title: str = "accord") -> Path:
    """Write the figure; the suffix chooses the format."""
    p = Path(path)
    suffix = figure_format(p)
    if suffix == ".html":
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight")
        svg = buf.getvalue()
        svg = svg[svg.index("<svg") :]
        page = (
            "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title></head>\n<body>\n{svg}\n</body></html>\n"
        )
        p.write_text(page, encoding="utf-8")
    else:
        # the layout is constrained; a tight box also keeps a label wider than its axes
        fig.savefig(p, format=suffix[1:], dpi=150, bbox_inches="tight", pad_inches=0.05)
    return p
