"""What a sweep computes on each draw: a registry of sweep targets.

A target is a name and a factory ``make(scenario, **options)`` returning a batch function
``fn(scenarios, rngs) -> {output: array (draws,)}``: every output a scalar per draw
(float; booleans as 0/1). Registered here: every multi-actor model by its registry name
(outputs ``<model>_<issue>``, the forecast per issue) and the war verbs ``war.range``,
``war.screen``, ``war.fight``, ``war.commit``, ``war.brink``, ``war.swap``, ``war.mediate``,
``war.durability`` (outputs ``range_low``, ...,
with the belligerents' ids where an output belongs to one side).

``settle`` (``accord settle``'s engine per draw) is registered the way any new target
plugs in, with one call::

    register_target("settle", "accord settle: ...", make)

where ``make(scenario, **options)`` returns a batch function, here ``per_draw(one)`` of
``one(scenario, rng) -> {"settle_p_by_12": ..., ...}``. Batched paths
are used where a model has one: ``Model.run_many`` for deterministic models with a
batched kernel (EUM, SMP), stacked arrays through the vectorised war functions; a loop
over draws otherwise, each draw with its own generator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ModelError
from accord.scenario.schema import Scenario

__all__ = [
    "BatchFn",
    "Target",
    "available_targets",
    "get_target",
    "make_target",
    "per_draw",
    "register_target",
]

Arr = NDArray[np.float64]
Outputs = dict[str, Arr]
BatchFn = Callable[[Sequence[Scenario], Sequence[np.random.Generator]], Outputs]
DrawFn = Callable[[Scenario, np.random.Generator], Mapping[str, float]]


@dataclass(frozen=True)
class Target:
    name: str
    summary: str
    make: Callable[..., BatchFn]  # make(scenario, **options) -> batch function


_TARGETS: dict[str, Target] = {}


def register_target(name: str, summary: str, make: Callable[..., BatchFn]) -> None:
    """Make ``name`` sweepable: ``make(scenario, **options)`` returns the batch function."""
    if name in _TARGETS and _TARGETS[name].make is not make:
        raise ValueError(f"sweep target {name!r} registered twice")
    _TARGETS[name] = Target(name, summary, make)


def per_draw(fn: DrawFn) -> Callable[..., BatchFn]:
    """Adapter: a function of one draw ``fn(scenario, rng) -> {output: scalar}``."""

    def make(scenario: Scenario, **options: Any) -> BatchFn:
        def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
            return stack([fn(sc, rng) for sc, rng in zip(scenarios, rngs, strict=True)])

        return batch

    return make


def stack(rows: Sequence[Mapping[str, Any]]) -> Outputs:
    """Per-draw output mappings as one float array per output."""
    keys: dict[str, None] = {}
    for r in rows:  # every output any draw gives, in first-seen order; NaN where one lacks it
        keys.update(dict.fromkeys(r))
    return {k: np.array([float(r.get(k, np.nan)) for r in rows], dtype=float) for k in keys}


def available_targets() -> tuple[str, ...]:
    _register_models()
    return tuple(_TARGETS)


def get_target(name: str) -> Target:
    _register_models()
    try:
        return _TARGETS[name]
    except KeyError:
        known = ", ".join(_TARGETS)
        raise ModelError(
            f"unknown sweep target; available: {known}", path="target", value=name
        ) from None


def make_target(name: str, scenario: Scenario, options: Mapping[str, Any]) -> BatchFn:
    return get_target(name).make(scenario, **options)


# -- multi-actor models ----------------------------------------------------------------------


def _stochastic(model: Any) -> bool:
    opts = model.options
    return getattr(opts, "transitions", None) == "stochastic" or (
        getattr(opts, "variant", None) == "random_rate"
    )


def _model_maker(name: str) -> Callable[..., BatchFn]:
    def make(scenario: Scenario, **options: Any) -> BatchFn:
        from accord import models
        from accord.models.base import Model

        model = models.get(name)(**options)
        batched = type(model).run_many is not Model.run_many and not _stochastic(model)

        def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
            if batched:
                results = model.run_many(list(scenarios))
            else:
                results = [model.run(sc, rng=g) for sc, g in zip(scenarios, rngs, strict=True)]
            out: Outputs = {}
            for k, iid in enumerate(scenario.issue_ids):
                out[f"{name}_{iid}"] = np.array([float(r.forecast[k]) for r in results])
            return out

        return batch

    return make


def _register_models() -> None:
    from accord import models

    for name in models.available():
        if name not in _TARGETS:
            summary = models.get(name).summary
            register_target(name, f"{summary}: forecast per issue", _model_maker(name))


# -- the war verbs -----------------------------------------------------------------------------


def _sides(sc: Scenario) -> tuple[str, str]:
    if sc.war is None:
        raise ModelError("the scenario has no war section", path="war")
    return sc.war.belligerents


def _stacked(inputs: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> dict[str, Arr]:
    return {k: np.array([float(d[k]) for d in inputs]) for k in keys}


def _frame(
    prefix: str,
    result: Any,
    inputs: Mapping[str, Any],
    rename: Mapping[str, str] | None = None,
) -> Outputs:
    """The result's table as outputs, without the inputs it echoes."""
    frame = result.to_frame()
    rename = rename or {}
    return {
        f"{prefix}_{rename.get(str(c), str(c))}": frame[c].to_numpy(dtype=float)
        for c in frame.columns
        if c not in inputs
    }


def _war_range(scenario: Scenario, **options: Any) -> BatchFn:
    from accord import war
    from accord.analysis.war import merge, range_inputs

    def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
        ins = _stacked([merge(range_inputs(sc), {}) for sc in scenarios], ("p", "c_A", "c_B"))
        r = war.bargaining_range(ins["p"], ins["c_A"], ins["c_B"], **options)
        out = _frame("range", r, ins)
        sq = []
        for sc, lo, hi in zip(scenarios, out["range_low"], out["range_high"], strict=True):
            issue = sc.issue(sc.war.issue) if sc.war is not None else None
            v = issue.status_quo.value if issue is not None and issue.status_quo else np.nan
            sq.append(float(lo * 100 <= v <= hi * 100) if v == v else np.nan)
        out["range_sq_inside"] = np.array(sq)
        return out

    _sides(scenario)
    return batch


def _war_screen(scenario: Scenario, **options: Any) -> BatchFn:
    from accord import war
    from accord.analysis.war import merge, screen_inputs

    keys = ("p", "c_A", "c_B", "c_bar", "p_w", "p_s", "mu")

    def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
        ins = _stacked([merge(screen_inputs(sc), {}) for sc in scenarios], keys)
        cont = war.screen_continuous(ins["p"], ins["c_A"], ins["c_bar"])
        two = war.screen_two_types(ins["p_w"], ins["p_s"], ins["c_A"], ins["c_B"], ins["mu"])
        echo = dict(ins)
        return {**_frame("screen", cont, echo), **_frame("screen_two", two, echo)}

    _sides(scenario)
    return batch


def _war_commit(scenario: Scenario, **options: Any) -> BatchFn:
    from accord import war
    from accord.analysis.war import commit_inputs, merge

    a, b = _sides(scenario)
    keys: tuple[str, ...] = ("p", "q_A0", "q_B0", "gamma_A", "gamma_B", "delta", "d_A", "d_B")
    keys += ("rho_A", "rho_B", "rho_bar")

    def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
        ins = _stacked([merge(commit_inputs(sc), {}) for sc in scenarios], keys)
        w = war.commitment_window(**ins)
        out = _frame("commit", w, ins)
        for side, who in (("A", a), ("B", b)):
            out[f"commit_bound_{who}"] = np.broadcast_to(
                np.asarray(w[f"bound_{side}"], dtype=float), (len(scenarios),)
            ).copy()
        return out

    return batch


def _war_brink(scenario: Scenario, **options: Any) -> BatchFn:
    from accord import war
    from accord.analysis.war import brink_inputs, merge

    _sides(scenario)
    keys = ("pi_bar", "a", "r_bar", "b", "V", "D", "phi_D")

    def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
        params = [merge(brink_inputs(sc), {}) for sc in scenarios]
        ins = _stacked(params, keys)
        k = war.optimal_power(*(ins[n] for n in keys[:-1]))
        cap = war.optimal_power(*(ins[n] for n in keys[:-1]), phi_D=ins["phi_D"])
        out = {**_frame("brink", k, ins), **_frame("brink_capped", cap, ins)}
        if params[0]["partners"]:
            tau = np.array([[t for t, _ in p["partners"].values()] for p in params])
            phi = np.array([[f for _, f in p["partners"].values()] for p in params])
            e = _stacked(params, ("gain", "r_use", "D_use", "Y"))
            esc = war.escalation(e["gain"], e["r_use"], e["D_use"], e["Y"], tau, phi)
            for name in ("E", "threshold", "escalate", "margin"):
                out[f"brink_{name}"] = np.asarray(esc[name], dtype=float)
        return out

    return batch


def _war_fight(scenario: Scenario, *, runs: int = 1000, **options: Any) -> BatchFn:
    from accord import war
    from accord.analysis.war import fight_inputs, merge
    from accord.war.fighting import OUTCOMES

    a, b = _sides(scenario)
    names = dict(zip(OUTCOMES, ("settled", f"{a}_won", f"{b}_won", "fighting"), strict=True))

    def one(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
        p = merge(fight_inputs(sc), {})
        r = war.fight(
            p["N"], p["start"], p["theta"], p["alpha_A"], p["beta_A"], p["alpha_B"],
            p["beta_B"], p["c_A"], p["c_B"], runs=runs, max_battles=p["max_battles"],
            rng=rng, territory=p["territory"], keep_paths=False, **options,
        )  # fmt: skip
        row = {f"fight_p_{names[k]}": float(v) for k, v in r.p_outcome.items()}
        row["fight_mean_battles"] = float(r.mean_time)
        row["fight_gap0"] = float(r.gap0)
        row["fight_line_median"] = float(np.median(r.territory))
        return row

    def batch(scenarios: Sequence[Scenario], rngs: Sequence[np.random.Generator]) -> Outputs:
        return stack([one(sc, g) for sc, g in zip(scenarios, rngs, strict=True)])

    return batch


def _war_swap(scenario: Scenario, **options: Any) -> BatchFn:
    from accord.analysis.war import merge, swap_inputs, swap_table

    _sides(scenario)

    def one(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
        r = swap_table(sc, merge(swap_inputs(sc), {}))
        first, bare = int(r["first_feasible"]), int(r["without_psi"]["first_feasible"])
        return {
            "swap_first_feasible": float(first) if first >= 0 else np.nan,
            "swap_feasible": float(first >= 0),
            "swap_feasible_without_psi": float(bare >= 0),
        }

    return per_draw(one)(scenario)


def _war_mediate(scenario: Scenario, **options: Any) -> BatchFn:
    from accord.analysis.war import mediate_inputs, mediation_table, merge

    a, b = _sides(scenario)

    def one(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
        row: dict[str, float] = {}
        for r in mediation_table(sc, merge(mediate_inputs(sc), {})):
            m = r["mediator"]
            row[f"mediate_{m}_p_settle"] = float(r["p_settle"])
            for who in (a, b):
                row[f"mediate_{m}_credible_{who}"] = float(r[f"credible_{who}"])
                if f"p_relapse_{who}" in r:
                    row[f"mediate_{m}_p_relapse_{who}"] = float(r[f"p_relapse_{who}"])
        return row

    return per_draw(one)(scenario)


def _war_durability(scenario: Scenario, **options: Any) -> BatchFn:
    from accord.analysis.war import durability_inputs, hazard_curves

    _sides(scenario)

    def one(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
        curves = hazard_curves(durability_inputs(sc))
        return {"durability_p_relapse": float(curves["agreement"].p_relapse)}

    return per_draw(one)(scenario)


def _settle(scenario: Scenario, *, months: int = 24, runs: int = 1000) -> BatchFn:
    """``accord settle`` on each draw: ``runs`` courses of the war over ``months`` months,
    seeded from the draw's own generator (without the trace-only month-0 win-set
    medians: the same courses, a third less work)."""
    from accord.analysis.settle import run_settle

    a, b = _sides(scenario)

    def one(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
        seed = int(rng.integers(2**62))
        res, _ = run_settle(sc, months=months, runs=runs, seed=seed, trace=False)
        p, _ = res.p_settled_by()
        row = {f"settle_p_by_{m}": float(p[m]) for m in (6, 12, 24) if m < len(p)}
        row["settle_p_by_end"] = float(p[-1])
        row["settle_median_month"] = float(res.median_month())
        side = {"a_won": f"{a}_won", "b_won": f"{b}_won"}
        row |= {f"settle_p_{side.get(k, k)}": float(v) for k, v in res.p_outcome().items()}
        row["settle_p_escalation"] = float(res.p_escalation()[0])
        settled = res.outcome == 0
        war_issue = res.issue_ids[0]
        row[f"settle_terms_{war_issue}"] = (
            float(np.median(res.terms[settled, 0])) if settled.any() else np.nan
        )
        return row

    return per_draw(one)(scenario)


register_target("war.range", "M1 bargaining range (Fearon 1995)", _war_range)
register_target("war.screen", "M2 risk-return offer and screening", _war_screen)
register_target("war.fight", "M3 bargaining while fighting (Monte Carlo)", _war_fight)
register_target("war.commit", "M4 commitment window with guarantees", _war_commit)
register_target("war.brink", "M7 brinkmanship and partner repositioning", _war_brink)
register_target("war.swap", "M5 land-for-land swap: first feasible month", _war_swap)
register_target("war.mediate", "M6 mediators: P(settle | bias), credibility", _war_mediate)
register_target("war.durability", "M9 P(relapse) of the agreement", _war_durability)
register_target("settle", "accord settle: P(settled by month), median month, terms", _settle)
