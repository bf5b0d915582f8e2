"""The ensemble explorer over sweep results stores (``accord app --results``, ``accord
report --results``): which stores there are, what each holds, and the draws in view.

Every query is built here from whitelisted column names (the store's own inputs and
outputs, double-quoted) and ``?`` parameters for the numbers; nothing typed by a user is
ever pasted into SQL. The pieces:

* :func:`find_stores` — the stores under the given paths (a store, or a folder of them);
* :func:`summary` — a store's manifest in short (scenario, targets, design, draws, seed);
* :class:`Range` filters (``column`` in ``[lo, hi]``, finite values only) and
  :func:`view_values` — an output's values over all draws and over the filtered ones;
* :class:`Event` (``column op threshold``) and :func:`event_in_view` — P(event) with its
  Jeffreys interval (:func:`accord.analysis.sensitivity.event_probability`) among all
  draws and among the filtered ones;
* :func:`discover` — PRIM boxes (:func:`accord.analysis.prim.prim`) over the uncertain
  numbers of the draws in view for the event.

A value that is not finite (an output a draw could not compute) never satisfies a range
or an event (DuckDB orders NaN above every number, so each condition adds ``isfinite``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.analysis.prim import PrimResult, prim
from accord.analysis.sensitivity import EventProbability, event_probability
from accord.analysis.store import MANIFEST, Store, StoreError
from accord.errors import ModelError

__all__ = [
    "OPS",
    "Event",
    "Range",
    "View",
    "as_number",
    "column_range",
    "column_ranges",
    "columns",
    "discover",
    "event_in_view",
    "find_stores",
    "first_varying",
    "output_quantiles",
    "parse_event",
    "summary",
    "view_values",
]

OPS = ("<", "<=", ">", ">=")


def find_stores(paths: Iterable[str | Path]) -> list[Path]:
    """Each path is a store (it holds ``manifest.json``) or a folder searched for stores
    (any depth); a path with none is an error naming it."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if (p / MANIFEST).is_file():
            hits = [p]
        elif p.is_dir():
            hits = sorted(m.parent for m in p.rglob(MANIFEST) if m.parent.name != "parts")
        else:
            raise StoreError(p, "no such directory")
        if not hits:
            raise StoreError(p, "holds no sweep results store (no manifest.json under it)")
        found += [h for h in hits if h not in found]
    return found


def summary(store: Store) -> dict[str, Any]:
    """The manifest in short: what was swept, how, and how far it got."""
    m = store.manifest
    d = m["design"]
    return {
        "path": str(store.path),
        "scenario": m["scenario"]["id"],
        "sha256": m["scenario"]["sha256"],
        "targets": ", ".join(
            t["name"] + ("(" + ", ".join(f"{k}={v}" for k, v in t["options"].items()) + ")")
            if t.get("options")
            else t["name"]
            for t in m["targets"]
        ),
        "design": d["kind"],
        "n": int(d["n"]),
        "seed": int(d["seed"]),
        "draws": int(m["rows"]),
        "parts": f"{len(store.done())}/{m['batches']}",
        "numbers": len(store.inputs),
        "outputs": len(store.outputs),
        "created": m.get("created"),
        "finished": m.get("finished"),
    }


def columns(store: Store) -> list[str]:
    """The columns a filter or an event may name: the outputs, then the uncertain numbers."""
    return [*store.outputs, *store.inputs]


def _quoted(store: Store, name: str, what: str) -> str:
    if name not in store.outputs and name not in store.inputs:
        raise ModelError(f"not a column of this sweep ({store.path})", path=what, value=name)
    return '"' + name.replace('"', '""') + '"'


def as_number(x: Any, what: str) -> float:
    """A finite number from a page or a command line, or an error naming ``what``."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ModelError("must be a number", path=what, value=x) from None
    if not math.isfinite(v):
        raise ModelError("must be a finite number", path=what, value=x)
    return v


@dataclass(frozen=True)
class Range:
    """Draws whose ``column`` lies in ``[lo, hi]`` (either end may be open: ``None``)."""

    column: str
    lo: float | None = None
    hi: float | None = None

    def describe(self) -> str:
        lo = "-inf" if self.lo is None else f"{self.lo:.4g}"
        hi = "inf" if self.hi is None else f"{self.hi:.4g}"
        return f"{self.column} in [{lo}, {hi}]"


@dataclass(frozen=True)
class Event:
    """The event ``column op threshold`` (``op`` one of :data:`OPS`)."""

    column: str
    op: str
    threshold: float

    def describe(self) -> str:
        return f"{self.column} {self.op} {self.threshold:g}"


def parse_event(text: str) -> Event:
    """``"compromise_T < 40"`` as an :class:`Event` (the column is checked against a
    store later, by the functions that take one)."""
    for op in ("<=", ">=", "<", ">"):
        if op in text:
            col, _, thr = text.partition(op)
            if col.strip():
                return Event(col.strip(), op, as_number(thr.strip(), "--event"))
    raise ModelError(
        "an event is COLUMN OP NUMBER with OP one of <, <=, >, >=", path="--event", value=text
    )


def _where(store: Store, ranges: Sequence[Range]) -> tuple[str, list[float]]:
    conds: list[str] = []
    params: list[float] = []
    for i, r in enumerate(ranges):
        q = _quoted(store, r.column, f"filter[{i}].column")
        conds.append(f"isfinite({q})")
        for end, op in ((r.lo, ">="), (r.hi, "<=")):
            if end is not None:
                conds.append(f"{q} {op} ?")
                params.append(as_number(end, f"filter[{i}].{'lo' if op == '>=' else 'hi'}"))
        if r.lo is not None and r.hi is not None and r.lo > r.hi:
            raise ModelError(
                f"the range is empty: lower end {r.lo:g} above upper end {r.hi:g}",
                path=f"filter[{i}]",
                value=r.describe(),
            )
    return (" AND ".join(conds) or "TRUE"), params


def _event_sql(store: Store, ev: Event) -> tuple[str, list[float]]:
    if ev.op not in OPS:
        raise ModelError(f"unknown comparison ({', '.join(OPS)})", path="event.op", value=ev.op)
    q = _quoted(store, ev.column, "event.column")
    return f"(isfinite({q}) AND {q} {ev.op} ?)", [as_number(ev.threshold, "event.threshold")]


def column_ranges(store: Store, names: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Each column's smallest and largest finite value (NaN, NaN when it has none), in
    one query."""
    if not names:
        return {}
    qs = [_quoted(store, n, "column") for n in names]
    exprs = ", ".join(
        f"min({q}) FILTER (WHERE isfinite({q})) AS lo{i}, "
        f"max({q}) FILTER (WHERE isfinite({q})) AS hi{i}"
        for i, q in enumerate(qs)
    )
    row = store.query(f"SELECT {exprs} FROM results").iloc[0]

    def f(v: Any) -> float:
        return float("nan") if v is None or pd.isna(v) else float(v)

    return {n: (f(row[f"lo{i}"]), f(row[f"hi{i}"])) for i, n in enumerate(names)}


def column_range(store: Store, name: str) -> tuple[float, float]:
    """The smallest and largest finite value of a column (NaN, NaN when it has none)."""
    return column_ranges(store, [name])[name]


def first_varying(store: Store) -> str | None:
    """The first output whose draws differ (the explorer's default view), else the first."""
    spans = column_ranges(store, store.outputs)
    varying = [n for n, (lo, hi) in spans.items() if hi > lo]
    return varying[0] if varying else (store.outputs[0] if store.outputs else None)


def output_quantiles(
    store: Store,
    names: Sequence[str] | None = None,
    qs: Sequence[float] = (0.05, 0.5, 0.95),
) -> pd.DataFrame:
    """Per output (default: all): finite draws ``n``, ``mean``, ``sd`` and the quantiles
    ``qs`` (columns ``q05``, ``q50``...), in one DuckDB query over the parts."""
    names = list(store.outputs if names is None else names)
    labels = [f"q{round(100 * q):02d}" for q in qs]
    cols = ["n", "mean", "sd", *labels]
    if not names:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="output"), dtype=float)
    exprs = []
    for i, name in enumerate(names):
        q = _quoted(store, name, "output")
        ok = f"FILTER (WHERE isfinite({q}))"
        exprs.append(
            f"count({q}) {ok} AS n{i}, avg({q}) {ok} AS m{i}, stddev_samp({q}) {ok} AS s{i}, "
            f"quantile_cont({q}, [{', '.join(repr(float(x)) for x in qs)}]) {ok} AS q{i}"
        )
    row = store.query("SELECT " + ", ".join(exprs) + " FROM results").iloc[0]
    rows = []
    for i in range(len(names)):
        n = int(row[f"n{i}"])
        quant = [float(v) for v in row[f"q{i}"]] if n else [math.nan] * len(qs)
        mean, sd = (float(row[f"{k}{i}"]) if n else math.nan for k in ("m", "s"))
        rows.append([n, mean, sd, *quant])
    out = pd.DataFrame(rows, columns=cols, index=pd.Index(names, name="output"))
    return out.astype(float)


@dataclass(frozen=True)
class View:
    """An output over every draw and over the filtered draws (finite values only)."""

    output: str
    all: NDArray[np.float64]
    filtered: NDArray[np.float64]
    n_all: int  # draws in the store
    n_filtered: int  # draws passing the filters
    ranges: tuple[Range, ...]
    event: Event | None = None


def view_values(
    store: Store, output: str, ranges: Sequence[Range] = (), event: Event | None = None
) -> View:
    """``output``'s values (ordered by draw) over all draws and over those in ``ranges``
    (and, given an ``event``, with the event)."""
    q = _quoted(store, output, "output")
    cond, params = _where(store, ranges)
    if event is not None:
        esql, eparams = _event_sql(store, event)
        cond, params = f"({cond}) AND {esql}", [*params, *eparams]
    frame = store.query(
        f"SELECT {q} AS y, ({cond}) AS inside FROM results ORDER BY draw", params or None
    )
    y = frame["y"].to_numpy(dtype=float)
    inside = frame["inside"].fillna(False).to_numpy(dtype=bool)
    finite = np.isfinite(y)
    return View(output, y[finite], y[finite & inside], len(y), int(inside.sum()), tuple(ranges))


def event_in_view(
    store: Store, ev: Event, ranges: Sequence[Range] = (), *, level: float = 0.95
) -> tuple[EventProbability, EventProbability | None]:
    """P(event) over all draws, and over the filtered draws (``None`` if none pass)."""
    esql, eparams = _event_sql(store, ev)
    cond, params = _where(store, ranges)
    row = store.query(
        f"SELECT count(*) AS n, count(*) FILTER (WHERE {esql}) AS k, "
        f"count(*) FILTER (WHERE {cond}) AS nf, "
        f"count(*) FILTER (WHERE ({cond}) AND {esql}) AS kf FROM results",
        [*eparams, *params, *params, *eparams],
    ).iloc[0]
    text = ev.describe()
    every = event_probability(int(row["k"]), int(row["n"]), event=text, level=level)
    nf = int(row["nf"])
    view = (
        event_probability(int(row["kf"]), nf, event=f"{text} | filtered", level=level)
        if nf
        else None
    )
    return every, view


def discover(
    store: Store,
    ev: Event,
    ranges: Sequence[Range] = (),
    *,
    boxes: int = 2,
    threshold: float = 0.8,
    alpha: float = 0.05,
    mass_min: float = 0.05,
) -> tuple[PrimResult, pd.DataFrame]:
    """PRIM boxes for the event over the uncertain numbers of the draws in view (numbers
    that do not vary are left out; coverage and density are relative to those draws), and
    those draws' numbers."""
    esql, eparams = _event_sql(store, ev)
    cond, params = _where(store, ranges)
    cols = ", ".join(_quoted(store, n, "input") for n in store.inputs)
    frame = store.query(
        f"SELECT {cols}, {esql} AS __event FROM results WHERE {cond} ORDER BY draw",
        [*eparams, *params],
    )
    if frame.empty:
        raise ModelError("no draw passes the filters", path="filter", value=len(ranges))
    x = frame[store.inputs]
    x = x.loc[:, x.nunique() > 1]
    y = frame["__event"].fillna(False).to_numpy(dtype=bool)
    return prim(x, y, alpha=alpha, mass_min=mass_min, threshold=threshold, boxes=boxes), x
