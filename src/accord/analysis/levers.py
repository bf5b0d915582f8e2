"""The key levers of a war scenario, as the dashboard's sliders move them.

A lever is either an override of one of :func:`accord.analysis.settle.settle_inputs`'s
derived inputs (``h.<parcel>`` recapture hazard, ``leverage_B.<mediator>``, ``phi.<partner>``
curtailment probability, ``psi_B`` reputational cost, ``tripwire`` guarantee strength) or a
number of the scenario itself (the held parcel's area, ``war.parcels.<id>.area``), which is
re-validated through the scenario schema before the engine sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.analysis.settle import run_settle, settle_inputs
from accord.scenario.io import scenario_from_data, to_data
from accord.scenario.schema import Scenario
from accord.war.settle import SettleResult

__all__ = ["Lever", "apply_levers", "levers", "settle_with"]


@dataclass(frozen=True)
class Lever:
    """One slider: ``key`` is the override name (or ``area.<parcel>``), ``value`` the
    scenario's own number, ``lo``/``hi``/``step`` the range shown."""

    key: str
    label: str
    value: float
    lo: float
    hi: float
    step: float


def _span(value: float, prob: bool) -> tuple[float, float, float]:
    if prob:
        return 0.0, 1.0, 0.01
    hi = max(1.0, 3.0 * abs(value))
    return 0.0, float(f"{hi:.3g}"), float(f"{hi / 100:.2g}")


def levers(sc: Scenario) -> list[Lever]:
    """The levers this scenario has (empty without a war section)."""
    if sc.war is None:
        return []
    _, derived = settle_inputs(sc)
    out: list[Lever] = []
    w = sc.war
    if w.swap is not None and w.swap.chip in w.parcels:
        chip = w.parcels[w.swap.chip]
        area = float(chip.area.value)
        out.append(
            Lever(
                f"area.{w.swap.chip}",
                f"held parcel area {w.swap.chip} (km²)",
                area,
                0.0,
                float(f"{max(1.0, 3 * area):.3g}"),
                float(f"{max(1.0, 3 * area) / 100:.2g}"),
            )
        )
    labels = {
        "h.": ("recapture hazard of {} (per month)", True),
        "leverage_B.": ("mediator leverage of {} on side B", False),
        "phi.": ("curtailment probability of partner {}", True),
    }
    singles = {
        "psi_B": ("reputational cost to side B (psi_B)", False),
        "tripwire": ("guarantee strength: side B's cost of renewed war at g = 1", False),
    }
    for d in derived:
        if not isinstance(d.value, int | float) or isinstance(d.value, bool):
            continue
        v = float(d.value)
        for prefix, (text, prob) in labels.items():
            if d.name.startswith(prefix):
                lo, hi, step = _span(v, prob)
                out.append(Lever(d.name, text.format(d.name[len(prefix) :]), v, lo, hi, step))
        if d.name in singles:
            text, prob = singles[d.name]
            lo, hi, step = _span(v, prob)
            out.append(Lever(d.name, text, v, lo, hi, step))
    return out


def apply_levers(sc: Scenario, values: Mapping[str, float]) -> tuple[Scenario, dict[str, float]]:
    """The scenario with its ``area.*`` levers set (validated again), and the overrides."""
    over = {k: float(v) for k, v in values.items() if not k.startswith("area.")}
    areas = {k[len("area.") :]: float(v) for k, v in values.items() if k.startswith("area.")}
    if not areas:
        return sc, over
    data: dict[str, Any] = to_data(sc)
    for pid, area in areas.items():
        data["war"]["parcels"][pid]["area"]["value"] = area
    return scenario_from_data(data, None), over


def settle_with(
    sc: Scenario, values: Mapping[str, float], *, months: int = 24, runs: int = 2000, seed: int = 0
) -> SettleResult:
    """accord settle on the scenario with the levers moved (common random numbers: the seed)."""
    sc2, over = apply_levers(sc, values)
    res, _ = run_settle(sc2, over, months=months, runs=runs, seed=seed)
    return res
