"""The dashboard's callbacks as plain functions (no Dash import): each takes the values of
the page's inputs and returns the values of its outputs, so the tests call them directly.

The scenario travels between callbacks as JSON text (``accord.scenario.io.dumps``) and is
validated again each time it is read back (``loads``), so a cell edited in the table gets
the CLI's own message (file, field path, value) or nothing.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping, Sequence
from typing import Any

from accord import scenarios
from accord.analysis.brief import stance_rows
from accord.analysis.forecast import run_models
from accord.analysis.levers import Lever, levers, settle_with
from accord.errors import AccordError, ScenarioError
from accord.scenario.io import dumps, loads, scenario_from_data, to_data
from accord.scenario.schema import Scenario

__all__ = [
    "DEFAULT_MAX_UPLOAD",
    "SETTLE_RUNS",
    "apply_rows",
    "bundled",
    "forecast",
    "lever_dom_id",
    "lever_list",
    "settle_panel",
    "table_rows",
    "upload",
]

DEFAULT_MAX_UPLOAD = 1_000_000  # bytes of the decoded file
SETTLE_RUNS = 2000
EDITABLE = ("position", "salience", "capability")


def bundled(scenario_id: str) -> str:
    """A bundled scenario as the JSON text the page stores."""
    return dumps(scenarios.load(scenario_id), "json")


def _scenario(text: str, file: str | None = None) -> Scenario:
    return loads(text, "json", file=file)


def upload(contents: str | None, filename: str | None, limit: int = DEFAULT_MAX_UPLOAD) -> str:
    """An uploaded file (a ``data:...;base64,...`` URL from dcc.Upload) as stored JSON text.

    Only ``.yaml``/``.yml``/``.json``; YAML is read by ruamel.yaml's safe loader (no tags,
    no Python objects, never pickle); bigger than ``limit`` bytes is refused before parsing.
    Raises :class:`ScenarioError` with the CLI's message."""
    name = filename or "upload"
    if not contents or "," not in contents:
        raise ScenarioError.single("", "empty upload", file=name)
    fmt = {"yaml": "yaml", "yml": "yaml", "json": "json"}.get(name.rsplit(".", 1)[-1].lower())
    if fmt is None:
        raise ScenarioError.single("", "unknown file type: use .yaml, .yml or .json", file=name)
    b64 = contents.split(",", 1)[1]
    if len(b64) * 3 // 4 > limit + 3:
        raise ScenarioError.single(
            "", f"refused: the file is larger than the {limit:,}-byte limit", file=name
        )
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise ScenarioError.single("", "the upload is not valid base64", file=name) from None
    if len(raw) > limit:
        raise ScenarioError.single(
            "", f"refused: {len(raw):,} bytes, over the {limit:,}-byte limit", file=name
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError.single("", "not UTF-8 text", file=name) from None
    return dumps(loads(text, fmt, file=name), "json")


def table_rows(text: str) -> list[dict[str, Any]]:
    """Actor x issue rows for the editable table."""
    return [
        {k: r[k] for k in ("actor", "issue", "position", "salience", "capability", "mark")}
        for r in stance_rows(_scenario(text))
    ]


def apply_rows(text: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """The stored scenario with the table's positions, saliences and capabilities written
    back, validated as a file would be (errors name ``actors[i].positions.X.salience``...)."""
    data = to_data(_scenario(text))
    actors = {a["id"]: a for a in data["actors"]}
    for r in rows:
        a = actors[r["actor"]]
        st = a["positions"][r["issue"]]
        for key in ("position", "salience"):
            cur = st[key] if isinstance(st, dict) else None
            if cur is not None and r.get(key) != cur:
                st[key] = _cell(r.get(key))
        cap = r.get("capability")
        issue_caps = a.get("issue_capability") or {}
        slot = issue_caps if r["issue"] in issue_caps else a
        field = r["issue"] if slot is issue_caps else "capability"
        old = slot[field]
        old_v = old["value"] if isinstance(old, dict) else old
        if cap != old_v:
            if isinstance(old, dict):
                old["value"] = _cell(cap)
            else:
                slot[field] = _cell(cap)
    return dumps(scenario_from_data(data, "table"), "json")


def _cell(v: Any) -> Any:
    """A table cell as typed: numbers stay numbers, text that reads as a number becomes one,
    anything else is passed on for the schema to reject with its message."""
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return v
    return v


def forecast(text: str, names: Sequence[str], seed: int = 0) -> Any:
    """The chosen models' forecasts (figure) on the stored scenario."""
    from accord import models as registry
    from accord.report.views import forecasts_view

    sc = _scenario(text)
    runnable = [n for n in names if not registry.get(n)().unavailable(sc)]
    return forecasts_view(run_models(sc, runnable, seed=seed), title=f"{sc.id}: forecasts")


def lever_list(text: str) -> list[Lever]:
    return levers(_scenario(text))


def lever_dom_id(key: str) -> str:
    """A lever key as an HTML id (``area.KURSK`` -> ``lever-area-KURSK``)."""
    return "lever-" + "".join(c if c.isalnum() else "-" for c in key)


def settle_panel(
    text: str, values: Mapping[str, float], seed: int = 0, runs: int = SETTLE_RUNS
) -> tuple[Any, str, dict[str, float]]:
    """Settlement figure, the headline line shown above it, and the numbers in it."""
    from accord.report.views import settle_view

    sc = _scenario(text)
    if sc.war is None:
        raise AccordError("this scenario has no war section: no settlement forecast")
    t0 = time.perf_counter()
    res = settle_with(sc, values, runs=runs, seed=seed)
    took = time.perf_counter() - t0
    p, _ = res.p_settled_by()
    head = res.headline()
    lo, width = res.inputs.meta["scale"]
    war = res.inputs.war_issue
    line = head["terms"].get(war, (float("nan"),) * 3)[1] * width + lo
    nums = {
        "p12": float(p[min(12, res.months)]),
        "p24": float(p[min(24, res.months)]),
        "median_line": float(line),
        "seconds": took,
    }
    text_out = (
        f"P(settled within 12 months) = {nums['p12']:.3f}; within 24: {nums['p24']:.3f}; "
        f"median settled line on {war} = {nums['median_line']:.2f} "
        f"({runs:,} runs, seed {seed}, {took:.2f} s)"
    )
    return settle_view(res, title=sc.id), text_out, nums
