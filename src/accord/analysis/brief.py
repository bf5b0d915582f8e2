"""Everything an analyst's briefing shows, computed once: ``brief(scenario)`` -> :class:`Brief`.

``accord report`` renders it as HTML and ``accord app`` shows parts of it; neither computes.
The parts, each present when the scenario and the installed features allow:

* the scenario's actors x issues with each number's provenance (source keys or judgement);
* every model that can run here (the CLI's ``accord run`` default set), forecasts per issue;
* the DEU III back-test table (the summary ``make backtest`` writes, packaged with accord);
* for a war: ``accord settle`` (same seed, same runs, same numbers as ``--json``), the
  reference class's base rate at 6/12/24 months, and the package-deal frontier of the
  belligerents (``accord deals``);
* for a scenario with a ``game:`` section: the escalation game solved by SPE and by agent
  logit QRE at settle's λ (:data:`accord.analysis.settle.GAME_LAMBDA`), the same numbers as
  ``accord game solve SCENARIO --json`` (and ``--method qre --lambda 0.05``);
* for a war: a given-data tornado (:func:`accord.analysis.sensitivity.tornado`) of settle's
  P(settled within 12 months) over a small seeded Monte Carlo sweep of the scenario's
  default judgement uncertainty (``TORNADO_DRAWS`` draws of ``TORNADO_RUNS`` courses each:
  the rows ``accord sweep --settle --runs 50 --draws 96 --seed S`` stores);
* for each results store given (``accord report --results DIR``): its manifest, the
  outputs' quantiles, a histogram, and for an event its probability and PRIM's boxes
  (:mod:`accord.analysis.explore`);
* who moved whom: :func:`accord.analysis.influence.influence` over the models' runs (each
  actor's moves credited to the actors whose challenges, bargains or trades moved it, the
  numbers of ``accord run --influence``) and the event log;
* a narrative: sentences built from those numbers by fixed rules (never hand-written).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from accord import models as registry
from accord.analysis.forecast import run_models
from accord.errors import AccordError
from accord.models.base import ModelResult
from accord.scenario.schema import Scenario

__all__ = [
    "Brief",
    "backtest_table",
    "base_rates",
    "brief",
    "ensemble_section",
    "escalation_game",
    "game_json",
    "game_sentences",
    "narrative",
    "settle_tornado",
    "tornado_sentences",
    "who_moved_whom",
]


@dataclass
class Brief:
    scenario: Scenario
    seed: int
    runs: int
    months: int
    stances: list[dict[str, Any]]
    results: list[ModelResult]
    skipped: list[str]
    backtest: list[dict[str, Any]]
    edges: list[tuple[str, str, str, int, float]]
    """``(by, moved, kind, moves, distance as a share of the scale)``: Influence.edges()."""
    events: list[dict[str, Any]]
    settle: Any = None  # SettleResult
    settle_json: dict[str, Any] = field(default_factory=dict)
    base_rates: list[dict[str, Any]] = field(default_factory=list)
    deals: Any = None  # DealResult
    settle_inputs: list[Any] = field(default_factory=list)  # Derived, with origins
    game: list[Any] = field(default_factory=list)  # GameResult: SPE, then QRE at GAME_LAMBDA
    tornado: dict[str, Any] = field(default_factory=dict)  # see settle_tornado
    ensembles: list[dict[str, Any]] = field(default_factory=list)  # see ensemble_section
    narrative: list[str] = field(default_factory=list)


def _mark(source: tuple[str, ...], judgement: bool) -> str:
    marks = [f"[{k}]" for k in source]
    if judgement:
        marks.append("judgement")
    return " ".join(marks) or "unsourced"


def stance_rows(sc: Scenario) -> list[dict[str, Any]]:
    """One row per actor x issue: capability, position, salience, provenance marks."""
    rows = []
    for a in sc.actors:
        for iid in sc.issue_ids:
            st = a.positions.get(iid)
            if st is None:
                continue
            cap = a.issue_capability.get(iid, a.capability)
            rows.append(
                {
                    "actor": a.id,
                    "issue": iid,
                    "capability": float(cap.value),
                    "capability_mark": _mark(tuple(cap.source), cap.judgement),
                    "position": float(st.position),
                    "salience": float(st.salience),
                    "mark": _mark(tuple(st.source), st.judgement),
                }
            )
    return rows


def backtest_table() -> list[dict[str, Any]]:
    """The DEU III back-test summary (353 issues with real outcomes), one row per predictor."""
    text = (
        resources.files("accord.datasets")
        .joinpath("data/deu-backtest-summary.csv")
        .read_text(encoding="utf-8")
    )
    keep = ("predictor", "n", "mae", "mae_lo", "mae_hi", "hit_rate", "coverage", "crps")
    return [{k: row[k] for k in keep} for row in csv.DictReader(text.splitlines())]


def base_rates(sc: Scenario, res: Any) -> list[dict[str, Any]]:
    """The reference class's base rate at 6, 12, 24 months beside settle's P(war over)
    (settled or decided); the same rows ``accord settle`` prints."""
    if getattr(sc, "reference_class", None) is None:
        return []
    from accord.analysis.baserate import base_rate_for

    rate = base_rate_for(sc)
    over = res.outcome != 3
    rows = []
    for h in (6, 12, 24):
        if h > res.months:
            continue
        hl = rate.headline(float(h))
        rows.append(
            {
                "horizon": h,
                "p": hl.p,
                "lo": hl.lo,
                "hi": hl.hi,
                "text": hl.text,
                "settle": float((over & (res.month <= h)).mean()),
            }
        )
    return rows


def who_moved_whom(
    results: list[ModelResult], sc: Scenario
) -> tuple[list[tuple[str, str, str, int, float]], list[dict[str, Any]]]:
    """The edges of :meth:`Influence.edges` (by, moved, kind, moves, distance as a share of
    the scale) over every model's run, and the event log."""
    from accord.analysis.influence import influence

    listing = [
        {"model": r.model, "round": e.round, "issue": e.issue, "text": e.describe()}
        for r in results
        for e in r.events
    ]
    return influence(results, sc).edges(), listing


def escalation_game(sc: Scenario) -> list[Any]:
    """The scenario's ``game:`` section solved by SPE and by agent logit QRE at settle's
    λ (unbatched :class:`~accord.games.result.GameResult` each); empty without a game."""
    if sc.game is None:
        return []
    from accord.analysis.settle import GAME_LAMBDA
    from accord.games.escalation import escalation_step

    return [
        escalation_step(sc, method="spe").result,
        escalation_step(sc, method="qre", lam=GAME_LAMBDA).result,
    ]


def game_json(results: list[Any]) -> dict[str, Any]:
    """Per solver: its root values, path and the first mover's choice probabilities."""
    out: dict[str, Any] = {}
    for r in results:
        root = r.game.nodes[0]
        out[r.method] = {
            "parameters": {k: v for k, v in r.to_dict()["parameters"].items() if k != "batch"},
            "value": dict(zip(r.game.players, (float(v) for v in r.value), strict=True)),
            "first_mover": r.game.players[root.player] if root.kind == "decision" else "chance",
            "root": {a: float(r.probability(0, a)) for a in root.actions},
            "path": [a for _, a in r.path()],
        }
    return out


TORNADO_DRAWS = 96
TORNADO_RUNS = 50
TORNADO_OUTPUT = "settle_p_by_12"
TORNADO_SHOWN = 12


def settle_tornado(
    sc: Scenario, *, draws: int = TORNADO_DRAWS, runs: int = TORNADO_RUNS, seed: int = 0
) -> dict[str, Any]:
    """Settle's P(settled within 12 months) over ``draws`` Monte Carlo draws of the
    scenario's default uncertainty (``runs`` courses per draw, seeded as ``accord sweep``):
    the tornado table (every number, by swing), the draws' mean, and the noise level of a
    swing: 1.96 x the standard error of a difference of two decile means when the number
    does not matter, ``1.96 sd(y) sqrt(2 / (q n))`` (derived here). Empty without a war
    or when the sweep cannot run on the scenario."""
    if sc.war is None:
        return {}
    from accord.analysis.sensitivity import tornado
    from accord.analysis.sweep import Design, SweepJob, run_batch

    job = SweepJob(
        sc, None, (("settle", (("runs", runs),)),), Design("mc", draws, seed), batch_size=draws
    )
    try:
        frame = run_batch(job, 0).to_pandas()
        names = list(job.sampler().names)
    except AccordError:
        return {}
    y = frame[TORNADO_OUTPUT].to_numpy(dtype=float)
    q = 0.1
    table = tornado(frame[names], y, q=q)
    return {
        "output": TORNADO_OUTPUT,
        "draws": draws,
        "runs": runs,
        "seed": seed,
        "numbers": len(names),
        "mean": float(table.attrs["mean"]),
        "noise": float(1.96 * np.std(y, ddof=1) * math.sqrt(2.0 / (q * draws))),
        "table": table,
    }


def _settle_json(sc: Scenario, res: Any) -> dict[str, Any]:
    """The numbers ``accord settle --json`` prints that the briefing shows."""
    head = res.headline()
    lo, width = res.inputs.meta["scale"]
    p, se = res.p_settled_by()
    return {
        "p_settled_by_month": p.tolist(),
        "se": se.tolist(),
        "median_month": head["median_month"],
        "p_outcome": head["p_outcome"],
        "terms_10_50_90": {
            k: [v * width + lo for v in q] if k == res.inputs.war_issue else list(q)
            for k, q in head["terms"].items()
        },
        "p_escalation": head["p_escalation"],
        "p_repositioning": head["p_repositioning"],
        "p_swap": head["p_swap"],
        "p_relapse_12_24": list(head["p_relapse"]),
    }


ENSEMBLE_BOXES = 2


def ensemble_section(
    store: Any, sc: Scenario | None = None, event: Any = None, *, boxes: int = ENSEMBLE_BOXES
) -> dict[str, Any]:
    """A results store (:class:`~accord.analysis.store.Store`) for the briefing: its
    manifest in short, each output's quantiles, the histogram of the event's column (or
    the first output whose draws differ), and for an :class:`~accord.analysis.explore.Event`
    its probability (Jeffreys 95%) and PRIM's boxes over all draws; sentences from them."""
    from accord.analysis import explore as ex
    from accord.analysis.store import scenario_hash

    summary = ex.summary(store)
    same = sc is not None and summary["sha256"] == scenario_hash(sc)
    shown = event.column if event is not None else ex.first_varying(store)
    out: dict[str, Any] = {
        "summary": summary,
        "same_scenario": same,
        "quantiles": ex.output_quantiles(store),
        "view": ex.view_values(store, shown, event=event) if shown else None,
        "event": None,
        "prim": None,
        "x": None,
    }
    name = store.path.name
    lines = [
        f"The results store {name} holds {summary['draws']:,} draws ({summary['design']}, "
        f"seed {summary['seed']}) of {summary['targets']} on {summary['scenario']}"
        + ("" if same or sc is None else f", not the scenario of this briefing ({sc.id})")
        + "."
    ]
    if event is not None:
        every, _ = ex.event_in_view(store, event)
        out["event"] = every
        lines.append(f"In {name}, {every.describe()}.")
        if every.hits:
            res, x = ex.discover(store, event, boxes=boxes)
            out["prim"], out["x"] = res, x
            b = res.boxes[0]
            dims = ", ".join(b.restricted[:3]) + (
                f" and {len(b.restricted) - 3} more" if len(b.restricted) > 3 else ""
            )
            lines.append(
                f"PRIM's first box for {event.describe()} holds {b.coverage:.0%} of the "
                f"draws with the event at a density of {b.density:.2f} (mass {b.mass:.2f}), "
                + (f"restricting {dims}." if b.restricted else "with no restriction.")
            )
    out["sentences"] = lines
    return out


def brief(
    sc: Scenario,
    *,
    seed: int = 0,
    runs: int = 10_000,
    months: int = 24,
    stores: Sequence[Any] = (),
    event: Any = None,
) -> Brief:
    """Compute the briefing's parts (see the module docstring); ``stores`` are results
    stores (:class:`~accord.analysis.store.Store`) for an ensemble section each, ``event``
    an :class:`~accord.analysis.explore.Event` for their PRIM boxes."""
    names = [n for n in registry.available() if not registry.get(n)().unavailable(sc)]
    skipped = [
        f"{n} ({registry.get(n)().unavailable(sc)})" for n in registry.available() if n not in names
    ]
    results = run_models(sc, names, seed=seed)
    edges, events = who_moved_whom(results, sc)
    out = Brief(
        scenario=sc,
        seed=seed,
        runs=runs,
        months=months,
        stances=stance_rows(sc),
        results=results,
        skipped=skipped,
        backtest=backtest_table(),
        edges=edges,
        events=events,
    )
    if sc.war is not None:
        from accord.analysis.settle import run_settle

        res, derived = run_settle(sc, months=months, runs=runs, seed=seed)
        out.settle = res
        out.settle_inputs = derived
        out.settle_json = _settle_json(sc, res)
        out.base_rates = base_rates(sc, res)
        out.tornado = settle_tornado(sc, seed=seed)
        try:
            from accord.deals import analyse, from_scenario

            out.deals = analyse(from_scenario(sc))
        except AccordError:
            out.deals = None
    out.game = escalation_game(sc)
    out.ensembles = [
        ensemble_section(
            st, sc, event if event is not None and event.column in st.outputs + st.inputs else None
        )
        for st in stores
    ]
    out.narrative = narrative(out)
    return out


def _pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{100 * x:.0f}%"


def narrative(b: Brief) -> list[str]:
    """Sentences from the numbers, by fixed rules (the same for every scenario)."""
    sc = b.scenario
    lines: list[str] = []
    if b.results:
        fc = np.array([r.forecast for r in b.results], dtype=float)
        for k, iid in enumerate(sc.issue_ids):
            col = fc[:, k][np.isfinite(fc[:, k])]
            if col.size == 0:
                continue
            issue = sc.issues[k]
            spread = (
                f"all {col.size} models forecast {np.median(col):.3g}"
                if f"{col.min():.3g}" == f"{col.max():.3g}"
                else f"the {col.size} models forecast {np.median(col):.3g} (median; range "
                f"{col.min():.3g} to {col.max():.3g})"
            )
            lines.append(
                f"On {iid} ({issue.name}) {spread} on a "
                f"{issue.scale.min:g}-{issue.scale.max:g} scale"
                + (
                    f"; the status quo is {float(issue.status_quo.value):g}."
                    if issue.status_quo is not None
                    else "."
                )
            )
    if b.settle is not None:
        res = b.settle
        p, se = res.p_settled_by()
        a, bb = res.inputs.sides
        for m in (12, 24):
            if m <= res.months:
                lines.append(
                    f"P({a} and {bb} settle within {m} months) {p[m]:.2f} "
                    f"[{max(p[m] - 1.96 * se[m], 0):.2f}, {min(p[m] + 1.96 * se[m], 1):.2f}] "
                    f"over {res.runs:,} runs (seed {b.seed})."
                )
        from accord.war.settle import OBSTACLES

        blocked = res.blocked.sum(axis=0)
        if blocked.sum() > 0:
            j = int(np.argmax(blocked))
            lines.append(
                f"Where no package is found, the most frequent obstacle is "
                f"'{OBSTACLES[j]}' ({_pct(float(blocked[j] / blocked.sum()))} of blocked "
                f"run-months)."
            )
        terms = b.settle_json["terms_10_50_90"].get(res.inputs.war_issue)
        if terms:
            lines.append(
                f"Settled runs draw the line on {res.inputs.war_issue} at {terms[1]:.3g} "
                f"(10-90%: {terms[0]:.3g} to {terms[2]:.3g}); P(escalation) "
                f"{b.settle_json['p_escalation']:.2f}."
            )
        for row in b.base_rates:
            if row["horizon"] == 12:
                lines.append(
                    f"The reference class ends {_pct(row['p'])} of such wars within 12 months "
                    f"[{_pct(row['lo'])}, {_pct(row['hi'])}]; settle's P(war over) is "
                    f"{_pct(row['settle'])}."
                )
    lines += game_sentences(b.game)
    lines += tornado_sentences(b.tornado)
    for ens in b.ensembles:
        lines += ens.get("sentences", [])
    if b.edges:
        by, moved, kind, n, share = b.edges[0]
        lines.append(
            f"The largest movement the models' event logs credit: {by} moved {moved} "
            f"{share:.2f} scale widths in all, in {n} {kind} move{'s' if n != 1 else ''}."
        )
    return lines


def _worth(values: dict[str, float]) -> str:
    return ", ".join(f"{p} {v:.3g}" for p, v in values.items())


def game_sentences(results: list[Any]) -> list[str]:
    """The escalation game's equilibrium path and its value (SPE), and the first mover's
    choice under logit QRE, from :func:`game_json` (fixed rules, any game)."""
    if not results:
        return []
    summary = game_json(results)
    title = results[0].game.title
    lines = []
    for method, v in summary.items():
        path = " → ".join(v["path"]) or "the root"
        if method == "spe":
            lines.append(
                f"In the escalation game ({title}) the subgame-perfect equilibrium path is "
                f"{path}, worth {_worth(v['value'])} to the players."
            )
            continue
        lam = v["parameters"].get("lam")
        ranked = sorted(v["root"].items(), key=lambda kv: -kv[1])
        choice = f"{ranked[0][0]} with probability {ranked[0][1]:.2f}"
        if len(ranked) > 1:
            choice += f" ({ranked[1][0]} {ranked[1][1]:.2f})"
        lines.append(
            f"Under {method.upper()}"
            + (f" at λ = {lam:g}" if lam is not None else "")
            + f" {v['first_mover']} opens with {choice}; the modal path is {path}, worth "
            f"{_worth(v['value'])}."
        )
    return lines


TORNADO_NARRATED = 3


def tornado_sentences(t: dict[str, Any]) -> list[str]:
    """The top drivers of the tornado (:func:`settle_tornado`) with their swings, and how
    many of them exceed its noise level."""
    if not t or t["table"].empty:
        return []
    top = t["table"].head(TORNADO_NARRATED)
    first, *rest = list(top.iterrows())
    name, row = first
    text = (
        f"Over {t['draws']} seeded draws of the {t['numbers']} uncertain numbers, "
        f"P(settled within 12 months) moves most with {name} (swing {row['swing']:.2f}: "
        f"{row['low']:.2f} in its lowest decile, {row['high']:.2f} in its highest)"
    )
    if rest:
        text += ", then " + " and ".join(f"{n} ({r['swing']:.2f})" for n, r in rest)
    above = int((top["swing"] > t["noise"]).sum())
    return [text + f"; {above} of these {len(top)} exceed the noise level of {t['noise']:.2f}."]
