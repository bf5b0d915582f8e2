"""``accord timeline SERIES`` and ``accord diff A B``: a war seen through time.

Parsing and printing only: numbers come from :mod:`accord.analysis.timeline` and
:mod:`accord.scenario.diff`, the figure from :mod:`accord.report.timeline`.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.common import apply_what_ifs, err, guarded, lets, load_scenario, out, what_if


def _pct(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.0%}"


def _num(x: float | None) -> str:
    return "–" if x is None or not math.isfinite(x) else f"{x:.1f}"


@guarded
@lets
def timeline(
    series: Annotated[
        str, typer.Argument(help="A series index file, or a bundled series id (russia-ukraine).")
    ],
    months: Annotated[int, typer.Option(help="Horizon of accord settle in months.")] = 24,
    runs: Annotated[int, typer.Option(help="Monte Carlo runs per date.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed, common to every date.", min=0)] = 0,
    models: Annotated[
        bool, typer.Option("--models/--no-models", help="Also run the multi-actor models.")
    ] = True,
    explain: Annotated[
        int,
        typer.Option(
            help="Attribute each date's move in P(deal in 12 months) to its N largest drivers "
            "(one-at-a-time reverts; slower).",
            min=0,
        ),
    ] = 0,
    json_: Annotated[
        bool, typer.Option("--json", help="Print JSON (with the by-month curves).")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write the figure: .png, .svg, .pdf or .html.")
    ] = None,
) -> None:
    """Per as-of date of a series: P(settlement) in 6 and 12 months, the expected front,
    P(escalation), P(swap), the main obstacle, the models' point, and what changed.

    ``--let`` what-ifs apply to every date of the series (each checked as that date's file
    is): the number is held at the what-if's value throughout, so it drops out of what
    changed between dates."""
    from dataclasses import replace

    from accord.analysis.timeline import describe_changes, describe_drivers
    from accord.analysis.timeline import timeline as run_timeline
    from accord.scenario.series import load_series

    if plot is not None:
        from accord.report.save import figure_format

        figure_format(plot)
    s = load_series(series)
    lets_applied = (
        apply_what_ifs(sc, ref, label=sc.id)
        for ref, sc in zip(s.spec.scenarios, s.scenarios, strict=True)
    )
    s = replace(s, scenarios=tuple(lets_applied))
    res = run_timeline(s, months=months, runs=runs, seed=seed, models=models, explain=explain)
    if plot is not None:
        from accord.report.save import save_figure
        from accord.report.timeline import timeline_figure

        save_figure(timeline_figure(res), plot, title=f"{s.id}: accord timeline")
        err.print(f"wrote {plot}")
    if json_:
        from accord.analysis import output

        asked = {
            "series": series, "months": months, "runs": runs, "models": models, "explain": explain
        }  # fmt: skip
        payload = output.envelope(
            "timeline", res.to_dict(), options=asked, seed=seed, what_if=what_if()
        )
        sys.stdout.write(output.dumps(payload))
        return
    issue = res.points[0].war_issue
    t = Table(
        title=f"{s.id}: {s.spec.title or ''} ({runs} runs, seed {seed})", title_justify="left"
    )
    for col in (
        "as of",
        f"{issue} now",
        "P(deal) 6 mo",
        "12 mo",
        f"E[{issue}] 6 mo",
        "12 mo",
        "P(escal.)",
        "P(swap)",
        "main obstacle",
        "models",
    ):
        t.add_column(
            col,
            justify="left" if col in ("as of", "main obstacle") else "right",
            no_wrap=col in ("as of", "main obstacle"),
        )
    for pt in res.points:
        t.add_row(
            pt.as_of,
            _num(pt.status_quo),
            _pct(pt.p_by(6)),
            _pct(pt.p_by(12)),
            _num(pt.front[0]),
            _num(pt.front[1]),
            _pct(pt.p_escalation),
            _pct(pt.p_swap),
            f"{pt.obstacle} {pt.obstacle_share:.0%}" if pt.obstacle else "–",
            _num(pt.models_median) if pt.models else "–",
        )
    out.print(t)
    out.print(
        f"models: median of the multi-actor models' {issue} with decision rules off (with them on, "
        "the belligerents' vetoes hold every model at the status quo)"
    )
    for pt in res.points[1:]:
        out.print(
            f"{pt.as_of}: {len(pt.changes)} numbers changed; "
            f"largest: {describe_changes(pt.changes)}"
        )
        if pt.drivers:
            out.print(f"    moved P(deal in 12 mo) most: {describe_drivers(pt.drivers)}")


@guarded
@lets
def diff(
    a: Annotated[str, typer.Argument(help="The old scenario: file or bundled id.")],
    b: Annotated[str, typer.Argument(help="The new scenario: file or bundled id.")],
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """The numbers that differ between two scenarios, by path, old and new with their sources.

    ``--let`` what-ifs apply to the new scenario only, so that ``accord diff X X --let ...``
    lists them."""
    from accord.errors import ModelError
    from accord.scenario.diff import diff as run_diff

    if json_ and csv_:
        raise ModelError("choose one of --json and --csv", path="--json/--csv")
    res = run_diff(load_scenario(a, what_if=False), load_scenario(b))
    if json_:
        from accord.analysis import output

        asked = {"a": a, "b": b}
        payload = output.envelope(
            "diff", res.to_dict(), scenario=res.b, options=asked, what_if=what_if()
        )
        sys.stdout.write(output.dumps(payload))
        return
    if csv_:
        sys.stdout.write(res.to_frame().to_csv(index=False))
        return
    t = Table(
        title=f"{res.a.id} → {res.b.id}: {len(res.changes)} numbers differ", title_justify="left"
    )
    for col in ("path", "old", "new", "old source", "new source"):
        t.add_column(col, overflow="fold")
    for c in res.changes:
        old_src, new_src = res.cited(c)
        t.add_row(
            c.path,
            "–" if c.old is None else f"{c.old:g}",
            "–" if c.new is None else f"{c.new:g}",
            old_src,
            new_src,
        )
    out.print(t)
