"""``accord war winset [SCENARIO]``: each belligerent's win-set from its factions and its
leader's survival (M10), the leaders' removal risk and the war-aims posteriors.

Parsing and printing only: inputs from :mod:`accord.analysis.settle` and
:mod:`accord.analysis.domestic`, numbers from :mod:`accord.war.settle`, the figure from
:mod:`accord.report.twolevel`.
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


@guarded
@lets
def winset(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
    ] = None,
    months: Annotated[int, typer.Option(help="Horizon of the removal-risk path.")] = 24,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs.")] = 2000,
    seed: Annotated[int, typer.Option(help="Seed (same seed, same numbers).", min=0)] = 0,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a figure: .png, .svg, .pdf or .html.")
    ] = None,
) -> None:
    """M10 (Putnam 1988; Goemans 2000): who decides for each belligerent, and what it accepts."""
    from accord.analysis.domestic import summary, winset_table
    from accord.analysis.settle import run_settle

    check_simulation_options(plot, months, runs)
    sc = load_scenario(scenario)
    w = sc.war
    if w is None or w.domestic is None or not (w.domestic.factions or w.domestic.survival):
        raise ModelError(
            "the scenario declares no factions or survival: accord war winset needs them",
            path="war.domestic",
        )
    res, derived = run_settle(sc, months=months, runs=runs, seed=seed)
    table = winset_table(sc, res)
    summ = summary(res)
    inp = res.inputs
    a, b = inp.sides
    if json_:
        from accord.analysis import output

        result: dict[str, Any] = {
            "model": "winset (Putnam 1988; Goemans 2000; derived here)",
            "sides": [a, b],
            "issue": inp.war_issue,
            "months": months,
            "runs": runs,
            "winset": table,
            **summ,
            "inputs": [
                {"name": d.name, "value": d.value, "origin": d.origin, "inputs": d.inputs}
                for d in derived
                if d.name.startswith(("faction.", "threshold.", "survival."))
            ],
        }
        asked = {"months": months, "runs": runs}
        payload = output.envelope(
            "war winset", result, scenario=sc, options=asked, seed=seed, what_if=what_if()
        )
        sys.stdout.write(output.dumps(payload))
    else:
        _print(sc.id, res, table, summ, derived)
    if plot is not None:
        from accord.report.save import save_figure
        from accord.report.twolevel import winset_figure

        fig = winset_figure(
            table,
            summ.get("removal_path", {}),
            sides=(a, b),
            issue=inp.war_issue,
            scale=inp.meta["scale"],
            front=float(inp.meta["status_quo"]),
            title=sc.id,
        )
        save_figure(fig, plot, title=f"{sc.id}: accord war winset")
        err.print(f"wrote {plot}")


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"


def _print(sid: str, res: Any, table: dict[str, Any], summ: dict[str, Any], derived: Any) -> None:
    inp = res.inputs
    a, b = inp.sides
    out.print(
        f"{sid}: accord war winset, {a} (side A) vs {b} (side B) on {inp.war_issue}; "
        f"{res.runs:,} runs, seed {res.seed}"
    )
    pkg = ", ".join(f"{k} {v:g}" for k, v in table["package"].items())
    t = Table(
        title=f"win-sets at month 0 on {inp.war_issue} (other issues at war-time levels: {pkg})",
        title_justify="left",
    )
    for col in ("belligerent", "accepts", "state", "factions", "leader", "win-set"):
        t.add_column(col, justify="right" if col not in ("belligerent", "accepts") else "left")
    for who in (a, b):
        e = table.get(who)
        if e is None:
            continue
        t.add_row(
            who, e["accepts"], _fmt(e["state"]), _fmt(e["factions"]), _fmt(e["leader"]),
            _fmt(e["win_set"]),
        )  # fmt: skip
    out.print(t)
    ov = table.get("overlap")
    if ov is not None:
        out.print(
            f"  inside both win-sets: {inp.war_issue} {ov['from']:.1f} to {ov['to']:.1f}"
            if ov["width"] >= 0
            else f"  the win-sets do not overlap (gap {-ov['width']:.1f} on {inp.war_issue})"
        )
    ft = Table(title="factions and leaders (derived inputs)", title_justify="left")
    for col in ("name", "value", "origin", "inputs"):
        ft.add_column(col)
    for d in derived:
        if d.name.startswith(("faction.", "threshold.", "survival.")):
            ft.add_row(d.name, str(d.value), d.origin, d.inputs)
    out.print(ft)
    out.print(
        f"  over {res.months} months: the leader's survival blocked a deal the state wanted in "
        f"{summ['p_leader_blocked']:.0%} of runs; the factions' ratification in "
        f"{summ['p_ratification_blocked']:.0%}"
    )
    for who, path in summ["removal_path"].items():
        out.print(
            f"  {who} leader's removal risk were the war to end on the line: month 0 "
            f"{path[0]:.0%}, month {len(path) - 1} {path[-1]:.0%}"
        )
    for who, am in table["aims"].items():
        post = ", ".join(f"{p:.2f}" for p in am["after_rejections_1_2_3"])
        out.print(
            f"  war aims of {who}: P(unlimited) {am['prior_unlimited']:.2f}; after 1, 2, 3 "
            f"rejected offers the limited type would accept (mistake {am['mistake']:g}): {post}"
        )
