"""``accord settle [SCENARIO]``: the war-termination forecast, month by month.

Parsing and printing only: inputs come from :mod:`accord.analysis.settle`, numbers from
:mod:`accord.war.settle`, figures from :mod:`accord.report.settle`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import (
    check_simulation_options,
    err,
    guarded,
    lets,
    load_scenario,
    out,
    what_if,
)
from accord.errors import ModelError


def _values(text: str) -> tuple[str, list[float]]:
    name, sep, vals = text.partition("=")
    if not sep or not name or not vals:
        raise ModelError("expected PARAM=v1,v2,...", path="--vary", value=text)
    try:
        return name.strip(), [float(v) for v in vals.split(",")]
    except ValueError:
        raise ModelError("values must be numbers", path="--vary", value=text) from None


@guarded
@lets
def settle(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
    ] = None,
    months: Annotated[int, typer.Option(help="Horizon in months.")] = 24,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed (same seed, same numbers).", min=0)] = 0,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="Override an input, e.g. --param phi.CHN=0.9 (repeatable)."),
    ] = None,
    vary_: Annotated[
        str | None,
        typer.Option(
            "--vary", help="Comparative statics: PARAM=v1,v2,... (common random numbers)."
        ),
    ] = None,
    mediator: Annotated[
        list[str] | None,
        typer.Option(
            "--mediator", help="A scenario actor that mediates, e.g. --mediator CHN (repeatable)."
        ),
    ] = None,
    escalation: Annotated[
        str,
        typer.Option(
            "--escalation",
            help="Side B's escalation step: threshold (M7's rule), game (the scenario's game: "
            "section, logit QRE) or game-spe (its subgame-perfect play).",
        ),
    ] = "threshold",
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a figure: .png, .svg, .pdf or .html.")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Write per-month and per-run CSVs here.")
    ] = None,
    inputs: Annotated[
        bool, typer.Option("--inputs", help="Also print every derived input with its origin.")
    ] = False,
    baserate: Annotated[
        bool,
        typer.Option(
            "--baserate/--no-baserate",
            help="Print the reference class's base rate beside the forecast (accord baserate).",
        ),
    ] = True,
    domestic: Annotated[
        bool,
        typer.Option(
            "--domestic/--no-domestic",
            help="Factions' ratification and the leaders' survival (war.domestic, M10).",
        ),
    ] = True,
    aims: Annotated[
        bool,
        typer.Option(
            "--aims/--no-aims",
            help="Screen the leaders' war aims (war.domestic.aims): the opponent offers the "
            "limited type's price while its posterior on unlimited aims is <= "
            "aims_offer_below (M10 with M2).",
        ),
    ] = False,
) -> None:
    """Will the war end in a negotiated settlement, when, on what terms, and why not."""
    from accord.analysis.settle import crosscheck, parse_params, run_settle, vary

    check_simulation_options(plot, months, runs)
    sc = load_scenario(scenario)
    over = parse_params(param or [])
    meds = tuple(mediator or ())
    kw: dict[str, Any] = {"months": months, "runs": runs, "seed": seed}
    kw |= {"domestic": domestic, "escalation": escalation, "aims": aims}
    res, derived = run_settle(sc, over, mediators=meds, **kw)
    warnings = crosscheck(sc)
    varied: list[tuple[float, Any]] = []
    if vary_ is not None:
        name, values = _values(vary_)
        varied = vary(sc, name, values, over, mediators=meds, **kw)
    base = _base_rates(sc, res) if baserate else []
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        res.to_frame().to_csv(out_dir / f"{sc.id}-settle-months.csv", index=False)
        res.runs_frame().to_csv(out_dir / f"{sc.id}-settle-runs.csv", index=False)
        import pandas as pd

        pd.DataFrame([d.__dict__ for d in derived]).astype({"value": str}).to_csv(
            out_dir / f"{sc.id}-settle-inputs.csv", index=False
        )
        err.print(f"wrote months, runs and inputs CSVs to {out_dir}/")
    if json_:
        from accord.analysis import output

        result = output.settle_output(
            res, derived, warnings=warnings, base_rate=base, varied=varied
        )
        asked = {
            "months": months, "runs": runs, "param": over, "vary": vary_, "mediator": list(meds),
            "escalation": escalation, "domestic": domestic, "aims": aims, "baserate": baserate,
        }  # fmt: skip
        payload = output.envelope(
            "settle", result, scenario=sc, options=asked, seed=seed, what_if=what_if()
        )
        sys.stdout.write(output.dumps(payload))
    else:
        _print(sc.id, res, derived, warnings, inputs, varied)
        for b in base:
            out.print(
                f"{b['text']}; accord settle: P(war over within {b['horizon']:g} months) = "
                f"{100 * b['settle']:.0f}% (settled or decided)"
            )
    if plot is not None:
        from accord.report.save import save_figure
        from accord.report.settle import settle_figure

        fig = settle_figure(res, title=f"{sc.id}: accord settle")
        save_figure(fig, plot, title=f"{sc.id}: accord settle")
        err.print(f"wrote {plot}")


def _base_rates(sc: Any, res: Any) -> list[dict[str, Any]]:
    """The reference class's base rate at 6, 12, 24 months and settle's comparable number
    (P(the war is over: settled or decided) by then); empty without a reference class."""
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
        p_over = float((over & (res.month <= h)).mean())
        rows.append(
            {"horizon": h, "p": hl.p, "lo": hl.lo, "hi": hl.hi, "text": hl.text, "settle": p_over}
        )
    return rows


def _print(
    sid: str,
    res: Any,
    derived: list[Any],
    warnings: list[str],
    show_inputs: bool,
    varied: list[tuple[float, Any]],
) -> None:
    import numpy as np

    from accord.analysis.settle import headline_lines
    from accord.war.settle import OBSTACLES

    inp = res.inputs
    a, b = inp.sides
    lo, width = inp.meta["scale"]
    out.print(
        f"{sid}: accord settle, {a} (side A) vs {b} (side B) on {inp.war_issue}; "
        f"{res.runs:,} runs, {res.months} months, seed {res.seed}"
    )
    for line in headline_lines(res):
        out.print("  " + line)
    p, se = res.p_settled_by()
    share = res.blocked_share()
    t = Table(title="month by month", title_justify="left")
    for col in ("month", "P(settled by)", "± s.e.", "at war", *OBSTACLES, "line median"):
        t.add_column(col, justify="right")
    q = np.quantile(res.line, 0.5, axis=0) * width + lo
    for m in range(res.months + 1):
        if m > 12 and m % 3 and m != res.months:
            continue
        t.add_row(
            str(m),
            f"{p[m]:.3f}",
            f"{se[m]:.3f}",
            f"{res.at_war[m] / res.runs:.2f}",
            *(f"{share[m, j]:.2f}" for j in range(len(OBSTACLES))),
            f"{q[m]:.1f}",
        )
    out.print(t)
    settled = res.outcome == 0
    if settled.any():
        tt = Table(title="terms of the settlements", title_justify="left")
        tt.add_column("issue")
        tt.add_column("10%", justify="right")
        tt.add_column("50%", justify="right")
        tt.add_column("90%", justify="right")
        tt.add_column("shares of options")
        for j, iid in enumerate(res.issue_ids):
            vals = res.terms[settled, j] * (width if j == 0 else 1) + (lo if j == 0 else 0)
            qs = np.quantile(vals, [0.1, 0.5, 0.9])
            shares = ""
            if j > 0:
                u, c = np.unique(vals, return_counts=True)
                shares = ", ".join(f"{v:g}: {n / vals.size:.0%}" for v, n in zip(u, c, strict=True))
            tt.add_row(iid, *(f"{v:.1f}" for v in qs), shares)
        out.print(tt)
    ps, ps_se = res.p_swap()
    rows = [
        ("P(land-for-land swap)", f"{ps:.3f} ± {ps_se:.3f}"),
        *(
            (
                f"P({pid} retaken), median month of recapture",
                f"{v:.3f}, "
                + (f"{np.median(res.retaken[res.retaken[:, j] >= 0, j]):g}" if v > 0 else "-"),
            )
            for j, (pid, v) in enumerate(
                zip((x.id for x in inp.parcels), res.p_retaken(), strict=True)
            )
        ),
    ]
    if inp.escalation is not None:
        e = inp.escalation
        base = e.r_use * e.D
        full = base + e.Y * float(np.dot(e.tau, e.phi))
        pe, pe_se = res.p_escalation()
        rows += [
            (f"P(escalation by {inp.sides[e.side]})", f"{pe:.3f} ± {pe_se:.3f}"),
            ("P(partner repositioning)", f"{res.p_repositioning():.3f}"),
            (
                "partners' reactions deter gains in",
                f"[{base:.0f}, {full:.0f}] (below: catastrophe risk alone; above: nothing)",
            ),
        ]
    r12, r24 = res.p_relapse()
    rows.append(("P(relapse within 12 / 24 months)", f"{r12:.3f} / {r24:.3f}"))
    ot = Table(title="swaps, escalation, relapse", title_justify="left")
    ot.add_column("quantity")
    ot.add_column("value", justify="right")
    for row in rows:
        ot.add_row(*row)
    out.print(ot)
    if varied:
        vt = Table(title="comparative statics (common random numbers)", title_justify="left")
        cols = ("value", "P(6 mo)", "P(12 mo)", "P(24 mo)", "settled line median")
        for col in (*cols, "P(escalation)", "P(swap)", "P(relapse 24 mo)"):
            vt.add_column(col, justify="right")
        for v, r in varied:
            pv, sv = r.p_settled_by()
            cells = [f"{pv[m]:.3f} ± {sv[m]:.3f}" if m <= r.months else "-" for m in (6, 12, 24)]
            ok = r.outcome == 0
            med = f"{np.median(r.terms[ok, 0]) * width + lo:.1f}" if ok.any() else "-"
            rel = r.p_relapse()[1]
            vt.add_row(
                f"{v:g}",
                *cells,
                med,
                f"{r.p_escalation()[0]:.3f}",
                f"{r.p_swap()[0]:.3f}",
                "-" if rel != rel else f"{rel:.3f}",
            )
        out.print(vt)
    if show_inputs:
        it = Table(title="inputs (value, origin, rule inputs)", title_justify="left")
        for col in ("input", "value", "from", "inputs"):
            it.add_column(col)
        for d in derived:
            text = f"{d.value:g}" if isinstance(d.value, float) else str(d.value)
            it.add_row(d.name, text, d.origin, d.inputs)
        out.print(it)
    for w in warnings:
        out.print(f"warning: {w}")
