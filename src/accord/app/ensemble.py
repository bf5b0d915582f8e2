"""The Ensemble tab's callbacks as plain functions (no Dash import).

The page never names a directory or writes SQL: it picks a store by its index in the list
``accord app --results`` was given (resolved here against that list), and columns by name
(checked against the store's own columns in :mod:`accord.analysis.explore`, which builds
every query with ``?`` parameters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.analysis import explore as ex
from accord.analysis.store import Store
from accord.errors import ModelError

__all__ = [
    "BOXES",
    "column_options",
    "event_panel",
    "filter_defaults",
    "histogram_panel",
    "manifest_rows",
    "open_store",
    "store_options",
]

BOXES = 2


def store_options(stores: Sequence[Path]) -> list[dict[str, str]]:
    """Dropdown options: one per store, the value its index."""
    out = []
    for i, p in enumerate(stores):
        s = ex.summary(Store.open(p))
        out.append(
            {
                "label": f"{p.name}: {s['scenario']}, {s['targets']} ({s['draws']:,} draws)",
                "value": str(i),
            }
        )
    return out


def open_store(stores: Sequence[Path], key: Any) -> Store:
    """The store picked on the page (an index into the server's list, nothing else)."""
    try:
        i = int(key)
    except (TypeError, ValueError):
        i = -1
    if not 0 <= i < len(stores) or str(key) != str(i):
        raise ModelError("no such results store", path="store", value=key)
    return Store.open(stores[i])


def manifest_rows(stores: Sequence[Path], key: Any) -> list[tuple[str, str]]:
    """The store's manifest in short, as (field, value) rows."""
    s = ex.summary(open_store(stores, key))
    names = (
        ("path", "store"), ("scenario", "scenario"), ("sha256", "scenario sha256"),
        ("targets", "targets (models, verbs)"), ("design", "design"), ("draws", "draws"),
        ("seed", "seed"), ("numbers", "uncertain numbers"), ("outputs", "outputs"),
        ("parts", "parts written"), ("created", "created"), ("finished", "finished"),
    )  # fmt: skip
    return [(label, f"{s[k]:,}" if isinstance(s[k], int) else str(s[k])) for k, label in names]


def column_options(stores: Sequence[Path], key: Any) -> tuple[list[str], list[str], str | None]:
    """The outputs (histogram), every column a filter or an event may name, and the
    output shown first (the first whose draws differ)."""
    store = open_store(stores, key)
    return store.outputs, ex.columns(store), ex.first_varying(store)


def filter_defaults(stores: Sequence[Path], key: Any, column: str | None) -> tuple[Any, Any]:
    """The filter's range boxes prefilled with the column's smallest and largest value."""
    if not column:
        return None, None
    lo, hi = ex.column_range(open_store(stores, key), column)
    return (lo if math.isfinite(lo) else None), (hi if math.isfinite(hi) else None)


def _ranges(column: str | None, lo: Any, hi: Any) -> list[ex.Range]:
    if not column or (lo in (None, "") and hi in (None, "")):
        return []
    return [
        ex.Range(
            column,
            None if lo in (None, "") else ex.as_number(lo, "filter.lo"),
            None if hi in (None, "") else ex.as_number(hi, "filter.hi"),
        )
    ]


def histogram_panel(
    stores: Sequence[Path], key: Any, output: str, column: str | None, lo: Any, hi: Any
) -> tuple[Any, str, dict[str, int]]:
    """The output's histogram, filtered against all draws; the line above it; the counts."""
    from accord.report.ensemble import histogram_view

    store = open_store(stores, key)
    ranges = _ranges(column, lo, hi)
    v = ex.view_values(store, output, ranges)
    what = ranges[0].describe() if ranges else "no filter"
    text = (
        f"{v.n_filtered:,} of {v.n_all:,} draws in view ({what}); "
        f"{v.filtered.size:,} with a finite {output}"
    )
    nums = {"n_all": v.n_all, "n_filtered": v.n_filtered, "finite": int(v.filtered.size)}
    title = f"{store.manifest['scenario']['id']}: {output}"
    return histogram_view(v, title=title), text, nums


def event_panel(
    stores: Sequence[Path],
    key: Any,
    column: str | None,
    lo: Any,
    hi: Any,
    event_column: str | None,
    op: str | None,
    threshold: Any,
    boxes: int = BOXES,
) -> tuple[list[str], list[dict[str, Any]], Any, Any]:
    """P(event) over all and the filtered draws (Jeffreys 95%), and PRIM's boxes for the
    event over the draws in view: lines of text, one row per box, the boxes figure and
    the peeling trajectory (figures ``None`` when there is nothing to find)."""
    from accord.report.ensemble import boxes_view, trajectory_view

    if not event_column or not op:
        raise ModelError("choose the event's column and comparison", path="event")
    store = open_store(stores, key)
    ev = ex.Event(event_column, op, ex.as_number(threshold, "event.threshold"))
    ranges = _ranges(column, lo, hi)
    every, view = ex.event_in_view(store, ev, ranges)
    lines = [every.describe()]
    if ranges:
        lines.append(
            view.describe() + f" with {ranges[0].describe()}"
            if view is not None
            else "no draw passes the filter"
        )
    if every.hits == 0 or (ranges and (view is None or view.hits == 0)):
        lines.append("the event never happens in the draws in view: no box to find")
        return lines, [], None, None
    res, x = ex.discover(store, ev, ranges, boxes=boxes)
    rows = [
        {
            "box": i,
            "coverage": round(b.coverage, 4),
            "density": round(b.density, 4),
            "mass": round(b.mass, 4),
            "restricted": len(b.restricted),
            "limits": "; ".join(
                f"{d} in [{b.lower[d]:.4g}, {b.upper[d]:.4g}]" for d in b.restricted
            )
            or "no restriction",
        }
        for i, b in enumerate(res.boxes, 1)
    ]
    lines.append(
        f"PRIM over the {res.n:,} draws in view ({res.hits:,} with the event): "
        f"{len(res.boxes)} box(es); coverage is the share of the event's draws inside a box, "
        "density the share of a box's draws with the event"
    )
    title = f"PRIM for {ev.describe()}"
    return lines, rows, boxes_view(res, x, title=title), trajectory_view(res, title=title)
