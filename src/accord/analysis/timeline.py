"""A series of as-of-dated scenarios run through ``accord settle`` and the multi-actor models.

Per as-of date (one scenario of a :class:`~accord.scenario.series.Series`):

- from :func:`accord.analysis.settle.run_settle`: P(negotiated settlement by month m) for
  m = 0..months (the full curve, with its Monte Carlo standard error), the expected line of
  the war issue in 6 and 12 months (the mean over runs of the front, or of the settled line
  once settled, on the issue's own scale), P(escalation by side B), P(land-for-land swap)
  where the scenario holds a parcel, and the main obstacle to a deal (the obstacle that
  blocked the most run-months of the first 12 among runs still at war);
- from the multi-actor models (:func:`accord.analysis.forecast.run_models`, every model that
  can forecast the scenario): their forecast of the war issue with the decision rules off.
  With the rules on, the belligerents' vetoes hold every model at the status quo, which says
  nothing about where the bargaining leans; off, it is each model's point of agreement.
- from :func:`accord.scenario.diff.diff` against the previous date: the numbers that moved,
  the largest first (what the figure annotates).

Every date uses the same seed, so the Monte Carlo draws are common across dates and the
differences between dates come from the scenarios, not from noise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from accord.analysis.forecast import run_models
from accord.analysis.settle import run_settle
from accord.errors import ModelError
from accord.scenario.diff import Change, diff, with_numbers
from accord.scenario.schema import Scenario
from accord.scenario.series import Series

__all__ = ["Attribution", "TimelinePoint", "TimelineResult", "attribute", "timeline"]


@dataclass(frozen=True)
class Attribution:
    """What one group of changed numbers did to P(settled within ``month`` months): the
    forecast of the new scenario with the group set back to its old values."""

    group: str
    paths: tuple[str, ...]
    reverted: float
    effect: float  # new forecast minus the forecast with this group reverted


@dataclass(frozen=True)
class TimelinePoint:
    """The headline forecasts at one as-of date."""

    scenario_id: str
    as_of: str
    title: str
    war_issue: str
    status_quo: float
    p_settled: tuple[float, ...]
    se_settled: tuple[float, ...]
    front: tuple[float, float]
    p_escalation: float
    p_swap: float | None
    obstacle: str | None
    obstacle_share: float
    models: dict[str, float]
    changes: tuple[Change, ...] = field(default=())
    drivers: tuple[Attribution, ...] = field(default=())

    def p_by(self, month: int) -> float:
        return self.p_settled[min(month, len(self.p_settled) - 1)]

    @property
    def models_median(self) -> float:
        vals = [v for v in self.models.values() if math.isfinite(v)]
        return float(np.median(vals)) if vals else float("nan")


@dataclass(frozen=True)
class TimelineResult:
    """Every date of a series, in date order, and how it was computed."""

    series_id: str
    points: tuple[TimelinePoint, ...]
    months: int
    runs: int
    seed: int
    method: str = (
        "timeline: accord settle per as-of date (common seed) and the multi-actor models "
        "with decision rules off; diff against the previous date"
    )

    def to_frame(self) -> pd.DataFrame:
        """One row per date: the headline numbers."""
        rows = []
        for pt in self.points:
            rows.append(
                {
                    "scenario": pt.scenario_id,
                    "as_of": pt.as_of,
                    "status_quo": pt.status_quo,
                    "p_settled_6": pt.p_by(6),
                    "p_settled_12": pt.p_by(12),
                    "front_6": pt.front[0],
                    "front_12": pt.front[1],
                    "p_escalation": pt.p_escalation,
                    "p_swap": pt.p_swap,
                    "obstacle": pt.obstacle,
                    "models_median": pt.models_median,
                    "changes": len(pt.changes),
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self, top: int = 5) -> dict[str, Any]:
        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else x

        return {
            "series": self.series_id,
            "months": self.months,
            "runs": self.runs,
            "seed": self.seed,
            "method": self.method,
            "dates": [
                {
                    "scenario": pt.scenario_id,
                    "as_of": pt.as_of,
                    "title": pt.title,
                    "war_issue": pt.war_issue,
                    "status_quo": pt.status_quo,
                    "p_settled_by_month": list(pt.p_settled),
                    "se_by_month": list(pt.se_settled),
                    "p_settled_6": pt.p_by(6),
                    "p_settled_12": pt.p_by(12),
                    "expected_front_6": num(pt.front[0]),
                    "expected_front_12": num(pt.front[1]),
                    "p_escalation": pt.p_escalation,
                    "p_swap": num(pt.p_swap),
                    "main_obstacle": pt.obstacle,
                    "main_obstacle_share": pt.obstacle_share,
                    "models_war_issue": {k: num(v) for k, v in pt.models.items()},
                    "models_median": num(pt.models_median),
                    "changes_from_previous": len(pt.changes),
                    "drivers": [
                        {"group": d.group, "paths": list(d.paths), "effect_on_p12": d.effect}
                        for d in pt.drivers
                    ],
                    "largest_changes": [
                        {"path": c.path, "kind": c.kind, "old": c.old, "new": c.new}
                        for c in _largest(pt.changes, top)
                    ],
                }
                for pt in self.points
            ],
        }


def _models_war_issue(sc: Scenario, issue: str, seed: int) -> dict[str, float]:
    from accord import models

    names = [n for n in models.available() if not models.get(n)().unavailable(sc)]
    opts = {
        n: {"decision_rules": False}
        for n in names
        if "decision_rules" in models.get(n).options_type.model_fields
    }
    out: dict[str, float] = {}
    for res in run_models(sc, names, opts, seed=seed):
        col = dict(zip(res.issue_ids, res.forecast, strict=True))
        out[res.model] = float(col[issue])
    return out


def _point(sc: Scenario, *, months: int, runs: int, seed: int, with_models: bool) -> TimelinePoint:
    from accord.war.settle import OBSTACLES

    res, _ = run_settle(sc, months=months, runs=runs, seed=seed)
    inp = res.inputs
    lo, width = inp.meta.get("scale", (0.0, 100.0))
    p, se = res.p_settled_by()
    front = tuple(float(res.line[:, min(m, res.months)].mean() * width + lo) for m in (6, 12))
    horizon = min(12, res.months) + 1
    blocked = res.blocked[:horizon].sum(axis=0)
    at_war = int(res.at_war[:horizon].sum())
    if at_war > 0 and blocked.max() > 0:
        j = int(np.argmax(blocked))
        obstacle, share = OBSTACLES[j], float(blocked[j] / at_war)
    else:
        obstacle, share = None, 0.0
    return TimelinePoint(
        scenario_id=sc.id,
        as_of=sc.as_of.isoformat() if sc.as_of else "",
        title=sc.title or sc.id,
        war_issue=inp.war_issue,
        status_quo=float(inp.meta.get("status_quo", float("nan"))),
        p_settled=tuple(float(v) for v in p),
        se_settled=tuple(float(v) for v in se),
        front=(front[0], front[1]),
        p_escalation=res.p_escalation()[0] if inp.escalation is not None else 0.0,
        p_swap=res.p_swap()[0] if inp.parcels else None,
        obstacle=obstacle,
        obstacle_share=share,
        models=_models_war_issue(sc, inp.war_issue, seed) if with_models else {},
    )


def timeline(
    series: Series,
    *,
    months: int = 24,
    runs: int = 10_000,
    seed: int = 0,
    models: bool = True,
    explain: int = 0,
) -> TimelineResult:
    """Run every date of the series; see the module docstring for what each point holds.
    ``explain`` > 0 also attributes each date's move in P(settled within 12 months) to the
    ``explain`` groups of changed numbers that moved it most (:func:`attribute`)."""
    if months < 12:
        raise ModelError(
            "the timeline reads months 6 and 12: use --months 12 or more",
            path="--months",
            value=months,
        )
    if runs < 1:
        raise ModelError("at least one run", path="--runs", value=runs)
    points: list[TimelinePoint] = []
    previous: Scenario | None = None
    for sc in series.scenarios:
        pt = _point(sc, months=months, runs=runs, seed=seed, with_models=models)
        if previous is not None:
            extra: dict[str, Any] = {"changes": diff(previous, sc).changes}
            if explain > 0:
                drivers = attribute(previous, sc, month=12, runs=runs, seed=seed)[2]
                extra["drivers"] = tuple(drivers[:explain])
            pt = TimelinePoint(**{**pt.__dict__, **extra})
        points.append(pt)
        previous = sc
    return TimelineResult(series.id, tuple(points), months, runs, seed)


def _largest(changes: Sequence[Change], n: int) -> list[Change]:
    """The ``n`` largest changed numbers by relative size (added or removed ones come after)."""
    return sorted(changes, key=lambda c: (c.kind != "changed", -c.relative, c.path))[:n]


def describe_drivers(drivers: Sequence[Attribution]) -> str:
    """Attributions as short text, e.g. ``war.front.theta +17 pts``."""
    return "; ".join(f"{d.group} {100 * d.effect:+.0f} pts" for d in drivers)


def describe_changes(changes: Sequence[Change], n: int = 3) -> str:
    """The ``n`` largest changed numbers as short text, e.g. ``war.p 0.2→0.17``."""
    top = _largest([c for c in changes if c.kind == "changed"], n)
    return "; ".join(f"{c.path} {c.old:g}→{c.new:g}" for c in top)


def _group(path: str) -> str:
    if path in ("war.p", "war.commitment.q_B0"):
        return "war.p"  # M4's q_B0 is side B's odds after a ceasefire, 1 - p without a shift
    if path.startswith("actors[") and ".positions." in path:
        return path.rsplit(".", 1)[0]  # one stance: position and salience together
    if path.startswith("war.beliefs."):
        return path.rsplit(".", 1)[0]  # one side's belief: alpha and beta together
    return path


def attribute(
    a: Scenario, b: Scenario, *, month: int = 12, runs: int = 2_000, seed: int = 0
) -> tuple[float, float, list[Attribution]]:
    """One-at-a-time attribution of the move in P(settled within ``month``) from ``a`` to
    ``b`` (derived here): for each group of numbers that changed (a stance, a side's belief,
    any other number alone), run ``b`` with that group set back to ``a``'s values, common
    seed; ``war.p`` moves with ``war.commitment.q_B0`` (1 - p in the scenarios that follow
    the design note). Returns P in ``a``, P in ``b`` and the groups by |effect|, largest first.
    Interactions are not apportioned; added or removed numbers (an issue or a parcel that
    exists at one date only) are not reverted and show only in the total."""

    def p_at(sc: Scenario) -> float:
        res, _ = run_settle(sc, months=max(month, 12), runs=runs, seed=seed)
        return float(res.p_settled_by()[0][month])

    pa, pb = p_at(a), p_at(b)
    groups: dict[str, list[Change]] = {}
    for c in diff(a, b).changes:
        if c.kind == "changed":
            groups.setdefault(_group(c.path), []).append(c)
    out = []
    for g, cs in groups.items():
        back = with_numbers(b, {c.path: float(c.old) for c in cs if c.old is not None})
        pr = p_at(back)
        out.append(Attribution(g, tuple(c.path for c in cs), pr, pb - pr))
    out.sort(key=lambda x: (-abs(x.effect), x.group))
    return pa, pb, out
