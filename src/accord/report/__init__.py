"""Figures and reports (interfaces layer): build figures from results, save them.

Static figures use matplotlib (PNG, SVG, PDF, or an HTML page embedding the SVG), so they
work on a machine without a browser; the interactive dashboard (later) uses Plotly.
"""

from accord.report.save import save_figure

__all__ = ["save_figure"]
