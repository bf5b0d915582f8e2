"""Machine-readable output: one JSON envelope for every command that computes.

Every ``--json`` payload has the same shape::

    {"accord_version": "0.1.0", "command": "run", "scenario": {"id", "title", "as_of",
     "sha256"} | null, "options": {...}, "seed": 0 | null, "what_if": [...],
     "result": {...}}

``options`` holds what the command was asked (models, rounds, ``--set`` options, runs,
overrides, ...), ``seed`` the seed of every stochastic step (``null`` where nothing is
random), ``result`` the command's numbers. The JSON Schema of each command's envelope is
:func:`accord.analysis.output_schema.output_schema` (``accord schema --output COMMAND``).

Non-finite numbers: JSON has no NaN or infinity, so every number that is not finite (NaN,
``inf``, ``-inf``) is written as ``null``, in every command and at every depth; the
schema's description of each field that can be ``null`` says what ``null`` means there
(undefined, beyond the horizon, no such actor...). Only finite numbers are JSON numbers,
and the text is strict JSON (no ``NaN``/``Infinity`` tokens), the convention of
``pandas.DataFrame.to_json`` and JavaScript's ``JSON.stringify``.

The payload builders live here, below the interfaces: the CLI only calls them and prints.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from accord import __version__
from accord.errors import ModelError
from accord.models.base import QUANTILES
from accord.scenario.schema import Scenario

if TYPE_CHECKING:
    from accord.models.base import ModelResult
    from accord.war.settle import SettleResult

__all__ = [
    "QUANTILES",
    "backtest_deu_output",
    "backtest_wars_output",
    "dumps",
    "envelope",
    "model_output",
    "plain",
    "run_output",
    "scenario_ref",
    "settle_output",
    "spread",
    "war_layer",
]


def plain(x: Any) -> Any:
    """A JSON-ready copy: NumPy scalars and arrays as Python numbers and lists, tuples as
    lists, mapping keys as strings; every non-finite number (NaN, ``inf``, ``-inf``) as
    ``None`` (the module's convention)."""
    if isinstance(x, Mapping):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return [plain(v) for v in x.tolist()]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def dumps(payload: Mapping[str, Any]) -> str:
    """The envelope as indented JSON text (strict: no NaN or Infinity tokens; any other
    value JSON has no type for, such as a date, as its text)."""
    return (
        json.dumps(plain(payload), indent=2, ensure_ascii=False, allow_nan=False, default=str)
        + "\n"
    )


def scenario_hash(sc: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (the same as a sweep's manifest records)."""
    text = json.dumps(sc.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_ref(sc: Scenario) -> dict[str, Any]:
    """Which scenario a payload is about: id, title, as-of date and content hash."""
    return {
        "id": sc.id,
        "title": sc.title,
        "as_of": sc.as_of.isoformat() if sc.as_of else None,
        "sha256": scenario_hash(sc),
    }


def envelope(
    command: str,
    result: Any,
    *,
    scenario: Scenario | Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    seed: int | None = None,
    what_if: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The one shape of every ``--json`` payload (see the module docstring); ``scenario``
    is a scenario or a reference already made (:func:`store_ref`); ``what_if`` the changes
    made to the scenario's numbers on the command line (``--let``: path, the file's value,
    the new value), empty when the scenario ran as its file says."""
    return {
        "accord_version": __version__,
        "command": command,
        "scenario": (
            None
            if scenario is None
            else scenario_ref(scenario)
            if isinstance(scenario, Scenario)
            else dict(scenario)
        ),
        "options": plain(dict(options or {})),
        "seed": seed,
        "what_if": plain([dict(w) for w in what_if]),
        "result": plain(result),
    }


# --------------------------------------------------------------------------- accord run


def spread(result: ModelResult, quantiles: Sequence[float] = QUANTILES) -> np.ndarray | None:
    """:meth:`ModelResult.quantiles`: the 10/50/90 % of a stochastic model's repetitions,
    or ``None`` where the forecast is one number."""
    return result.quantiles(quantiles)


def _qkey(q: float) -> str:
    return f"q{100 * q:g}"


def model_output(
    result: ModelResult, scenario: Scenario, *, trajectory: bool = False
) -> dict[str, Any]:
    """One model's run as plain data: the forecast per issue (with the spread of
    repetitions and the decision rule's binding), every actor's final position per issue,
    and with ``trajectory`` the whole path of positions and of the forecast.

    Final positions are the trajectory's last round (the same numbers ``accord run --out``
    writes as the trajectory CSV); a static model (no rounds) moves nobody, so its final
    positions are the scenario's (``positions_from: "scenario"``).
    """
    base = result.to_dict()
    q = spread(result)
    rules: Mapping[str, Mapping[str, Any]] = result.extra.get("decision_rule", {}) or {}
    forecast: dict[str, Any] = {}
    for k, iid in enumerate(result.issue_ids):
        entry = dict(base["forecast"][iid])
        entry["quantiles"] = (
            None if q is None else {_qkey(p): float(q[j, k]) for j, p in enumerate(QUANTILES)}
        )
        rec = rules.get(iid)
        entry["decision_rule"] = None if rec is None else {str(a): b for a, b in rec.items()}
        forecast[iid] = entry
    draws = result.extra.get("repetition_forecasts")
    stochastic = bool(result.extra.get("stochastic", draws is not None))
    if result.trajectory is not None:
        final = result.trajectory[-1]
        source = "trajectory"
    else:
        final = scenario.arrays().position
        source = "scenario"
    positions = {
        aid: {iid: float(final[i, k]) for k, iid in enumerate(result.issue_ids)}
        for i, aid in enumerate(result.actor_ids)
    }
    out: dict[str, Any] = {
        "model": base["model"],
        "options": base["options"],
        "seed": base["seed"],
        "rounds": base["rounds"],
        "stochastic": stochastic,
        "draws": 1 if draws is None else len(draws),
        "forecast": forecast,
        "actors": list(result.actor_ids),
        "positions": positions,
        "positions_from": source,
        "cycles": base["cycles"],
        "diagnostics": base["diagnostics"],
        "events": base["events"],
    }
    if trajectory:
        path = result.trajectory
        out["trajectory"] = (
            None
            if path is None
            else {
                aid: {iid: path[:, i, k].tolist() for k, iid in enumerate(result.issue_ids)}
                for i, aid in enumerate(result.actor_ids)
            }
        )
        fp = result.forecast_path
        out["forecast_path"] = (
            None
            if fp is None
            else {iid: fp[:, k].tolist() for k, iid in enumerate(result.issue_ids)}
        )
    return out


def run_output(
    scenario: Scenario,
    results: Sequence[ModelResult],
    *,
    trajectory: bool = False,
    war: Mapping[str, Any] | None = None,
    influence: Any = None,
) -> dict[str, Any]:
    """``accord run``'s result: the issues, each model's output (:func:`model_output`), the
    decision rules' summary, the war layer (:func:`war_layer`; ``None`` without a war
    section) and the who-moved-whom table (``influence``, ``None`` unless asked for)."""
    from accord.analysis.forecast import rule_summary

    issues = [
        {
            "id": i.id,
            "name": i.name,
            "scale": [i.scale.min, i.scale.max],
            "status_quo": i.status_quo.value if i.status_quo else None,
        }
        for i in scenario.issues
    ]
    return {
        "issues": issues,
        "actors": [a.id for a in scenario.actors],
        "models": [model_output(r, scenario, trajectory=trajectory) for r in results],
        "decision_rules": rule_summary(scenario, results),
        "war": None if war is None else dict(war),
        "influence": influence,
    }


def war_layer(scenario: Scenario, seed: int = 0, runs: int = 2000) -> dict[str, Any] | None:
    """The war layer ``accord run`` shows beside the models: the settle headline (``runs``
    runs, ``seed``; ``None`` where settle lacks inputs) and the closed-form overview (M1,
    M2, M4, M5, M6, M9 on the scenario's numbers). ``None`` without a war section."""
    if scenario.war is None:
        return None
    from accord.analysis.settle import run_settle
    from accord.analysis.war import overview

    try:
        res, _ = run_settle(scenario, runs=runs, seed=seed)
        settle: dict[str, Any] | None = {"runs": runs, "seed": seed, **settle_headline(res)}
    except ModelError:
        settle = None
    a, b = scenario.war.belligerents
    return {
        "sides": {"A": a, "B": b},
        "issue": scenario.war.issue,
        "settle": settle,
        "overview": overview_dict(overview(scenario)),
    }


def overview_dict(view: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`accord.analysis.war.overview` with every tuple named."""
    out: dict[str, Any] = {}
    if "range" in view:
        out["range"] = {"low": view["range"][0], "high": view["range"][1]}
    if "status_quo" in view:
        out["status_quo"] = {"value": view["status_quo"][0], "inside": view["status_quo"][1]}
    if "offer" in view:
        out["offer"] = {"x": view["offer"][0], "p_war": view["offer"][1]}
    if "window" in view:
        g_a, g_b, ok = view["window"]
        out["window"] = {"bound_A": g_a, "bound_B": g_b, "nonempty": ok}
    if "swap" in view:
        chip, holder, owner, first, bare = view["swap"]
        out["swap"] = {
            "chip": chip,
            "holder": holder,
            "owner": owner,
            "first_feasible": first,
            "first_feasible_without_psi": bare,
        }
    if "mediators" in view:
        out["mediators"] = [
            {"name": n, "toward": t, "credible_to_A": ca, "credible_to_B": cb}
            for n, t, ca, cb in view["mediators"]
        ]
    if "durability" in view:
        out["durability"] = {"p_relapse": view["durability"][0], "horizon": view["durability"][1]}
    return out


# --------------------------------------------------------------------------- accord settle


def _finite(x: float) -> float | None:
    """A number, or ``None`` where it is not finite (settle's "beyond the horizon")."""
    return float(x) if math.isfinite(x) else None


def settle_headline(res: SettleResult) -> dict[str, Any]:
    """The settle numbers every payload shares: P(settled by month) with its s.e., the
    median month, outcomes, terms (10/50/90 % on each issue's scale), escalation,
    repositioning, swaps, recaptures, relapse and the blocking shares by obstacle."""
    from accord.war.settle import OBSTACLES

    inp = res.inputs
    lo, width = inp.meta["scale"]
    head = res.headline()
    p, se = res.p_settled_by()
    share = res.blocked_share()
    return {
        "method": res.method,
        "sides": list(inp.sides),
        "months": res.months,
        "p_settled_by_month": p.tolist(),
        "se": se.tolist(),
        "median_month": _finite(head["median_month"]),  # null: beyond the horizon
        "p_outcome": head["p_outcome"],
        "terms_10_50_90": {
            k: [v * width + lo for v in q] if k == inp.war_issue else list(q)
            for k, q in head["terms"].items()
        },
        "p_escalation": head["p_escalation"],
        "p_repositioning": head["p_repositioning"],
        "p_swap": head["p_swap"],
        "p_retaken": head["p_retaken"],
        "p_relapse_12_24": [_finite(v) for v in head["p_relapse"]],
        "blocked_share": {name: share[:, j].tolist() for j, name in enumerate(OBSTACLES)},
    }


def _vary_row(r: SettleResult) -> dict[str, Any]:
    p, se = r.p_settled_by()
    lo, width = r.inputs.meta["scale"]
    return {
        "p_settled_by": {m: [float(p[m]), float(se[m])] for m in (6, 12, 24) if m <= r.months},
        "p_escalation": r.p_escalation()[0],
        "p_swap": r.p_swap()[0],
        "median_line": (
            float(np.nanmedian(r.terms[:, 0])) * width + lo if (r.outcome == 0).any() else None
        ),
        "p_relapse_24": _finite(r.p_relapse()[1]),
    }


def settle_output(
    res: SettleResult,
    derived: Sequence[Any],
    *,
    warnings: Sequence[str] = (),
    base_rate: Sequence[Mapping[str, Any]] = (),
    varied: Sequence[tuple[float, SettleResult]] = (),
) -> dict[str, Any]:
    """``accord settle``'s result: :func:`settle_headline`, every derived input with its
    origin, cross-check warnings, the reference-class base rates, ``--vary`` rows and the
    domestic (M10) summary where factions or survival are declared."""
    out = settle_headline(res)
    out["inputs"] = [
        {"name": d.name, "value": d.value, "origin": d.origin, "inputs": d.inputs} for d in derived
    ]
    out["warnings"] = list(warnings)
    out["base_rate"] = [dict(b) for b in base_rate]
    out["vary"] = [{"value": v, "headline": _vary_row(r)} for v, r in varied]
    if res.domestic is not None:
        from accord.analysis.domestic import summary

        out["domestic"] = summary(res)
    return out


# --------------------------------------------------------------------------- sweeps


def store_ref(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """A sweep's scenario as its manifest records it (id and hash; no title or date)."""
    sc = manifest["scenario"]
    return {"id": sc["id"], "title": None, "as_of": None, "sha256": sc["sha256"]}


def sensitivity_output(output: str, method: str, table: Any) -> dict[str, Any]:
    """``accord sensitivity``'s result: the output explained, the method and one row per
    uncertain number (Sobol S1/ST with intervals, Morris mu*/sigma, or a tornado's swing),
    in the table's order (most influential first)."""
    rows = [{"number": str(name), **row.to_dict()} for name, row in table.iterrows()]
    return {"output": output, "method": method, "numbers": rows}


def discover_output(event: Any, res: Any) -> dict[str, Any]:
    """``accord discover``'s result: P(event) with its Jeffreys interval and the PRIM boxes
    (coverage, density, mass, peeling step, the limits of each restricted number)."""
    return {
        "event": {
            "where": event.event,
            "hits": event.hits,
            "n": event.n,
            "p": event.p,
            "low": event.low,
            "high": event.high,
            "level": event.level,
        },
        "boxes": [
            {
                "coverage": b.coverage,
                "density": b.density,
                "mass": b.mass,
                "step": b.step,
                "limits": {
                    d: {"lower": float(b.lower[d]), "upper": float(b.upper[d])}
                    for d in b.restricted
                },
            }
            for b in res.boxes
        ],
    }


# --------------------------------------------------------------------------- back-tests

_DEU_GROUP_STATS = ("n", "mae", "mae_lo", "mae_hi")


def _cell(v: Any) -> Any:
    """A table cell as JSON data: NumPy scalars as Python, a missing value (NaN) as None,
    a date or time stamp as ISO text (a date alone where the time is midnight)."""
    if isinstance(v, np.generic):
        v = v.item()
    if hasattr(v, "isoformat") and not isinstance(v, str):
        return str(v.isoformat()).removesuffix("T00:00:00")
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def backtest_deu_output(result: Any) -> dict[str, Any]:
    """``accord backtest deu``'s result: the design (folds, seed, resamples, tolerance),
    one summary row per predictor (best MAE first; the scores with their bootstrap
    intervals, ``dmae`` against the reference where it ran, MAE by procedure and rule in
    ``by_group``), the choices of the cross-validated predictors per fold, and every
    per-issue prediction (the rows of ``deu-predictions.csv``)."""
    from accord.analysis.backtest import GROUPS, LEVEL, REFERENCE

    groups = [value for _, value in GROUPS]
    rows = []
    for name, r in result.summary.sort_values("mae").iterrows():
        cells = {str(k): _cell(v) for k, v in r.items()}
        row: dict[str, Any] = {"predictor": str(name)}
        for key in (
            "description", "fitted", "n", "failed", "mae", "mae_lo", "mae_hi", "median_ae",
            "median_ae_lo", "median_ae_hi", "hit_rate", "hit_rate_lo", "hit_rate_hi", "rmse",
            "coverage", "coverage_lo", "coverage_hi", "crps", "dmae", "dmae_lo", "dmae_hi",
        ):  # fmt: skip
            row[key] = cells.get(key)
        row["fitted"] = bool(row["fitted"])
        row["by_group"] = {
            g: {
                stat: cells.get(f"{stat}_{g}" if stat in ("n", "mae") else f"mae_{g}_{stat[4:]}")
                for stat in _DEU_GROUP_STATS
            }
            for g in groups
        }
        rows.append(row)
    predictions = [
        {str(k): _cell(v) for k, v in rec.items()} for rec in result.predictions.to_dict("records")
    ]
    return {
        "dataset": "DEU III",
        "issues": int(result.predictions["issue"].nunique()),
        "folds": result.folds,
        "seed": result.seed,
        "resamples": result.resamples,
        "tolerance": result.tolerance,
        "level": LEVEL,
        "reference": REFERENCE,
        "summary": rows,
        "choices": {str(k): list(v) for k, v in result.choices.items()},
        "predictions": predictions,
    }


def backtest_wars_output(result: Any, verdicts: Sequence[str]) -> dict[str, Any]:
    """``accord backtest wars``'s result: the method and its design (split, horizon,
    resamples, seed, penalizer), one summary row per
    design and predictor (Brier, log loss, IBS and Harrell's C with bootstrap intervals,
    the Brier differences against the constant base rate and Kaplan-Meier), the verdicts,
    and every landmark forecast by design (the rows of ``wars-predictions-*.csv``)."""
    return {
        "method": result.method,
        "design": {str(k): _cell(v) for k, v in result.options.items()},
        "summary": [{str(k): _cell(v) for k, v in r.items()} for r in result.records()],
        "verdicts": list(verdicts),
        "predictions": {
            str(design): [
                {str(k): _cell(v) for k, v in rec.items()}
                for rec in frame.drop(columns=["s_curve"]).to_dict("records")
            ]
            for design, frame in result.predictions.items()
        },
    }
