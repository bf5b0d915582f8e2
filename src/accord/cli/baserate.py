"""``accord baserate``: how wars like this one ended, and how soon (reference-class base rates).

Parsing and printing only: the numbers come from :mod:`accord.analysis.baserate`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import err, guarded, lets, load_scenario, out, refuse_lets, what_if


class ConflictType(StrEnum):
    extrasystemic = "extrasystemic"
    interstate = "interstate"
    intrastate = "intrastate"
    internationalised = "internationalised"


class Incompatibility(StrEnum):
    territory = "territory"
    government = "government"
    both = "both"


class Intensity(StrEnum):
    minor = "minor"
    war = "war"


class Region(StrEnum):
    europe = "Europe"
    middle_east = "Middle East"
    asia = "Asia"
    africa = "Africa"
    americas = "Americas"


def _pct(x: Any) -> str:
    x = float(x)
    return "-" if x != x else f"{100 * x:.0f}%"


def _ci(r: Any, p: str, lo: str, hi: str) -> str:
    return f"{_pct(r[p])} [{_pct(r[lo])}, {_pct(r[hi])}]"


@guarded
@lets
def baserate(
    type_: Annotated[
        ConflictType | None, typer.Option("--type", help="UCDP type of conflict.")
    ] = None,
    incompatibility: Annotated[
        Incompatibility | None,
        typer.Option(help="territory or government (each includes 'both'), or both only."),
    ] = None,
    intensity: Annotated[
        Intensity | None, typer.Option(help="Intensity in the first year: minor or war.")
    ] = None,
    region: Annotated[Region | None, typer.Option(help="UCDP region.")] = None,
    duration_months: Annotated[
        float | None,
        typer.Option(
            "--duration-months",
            min=0,
            help="How long the war has lasted (default 0, or from a scenario's start to as-of).",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="Use this scenario's reference_class (and as-of date); flags override it.",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a figure: .png, .svg, .pdf or .html.")
    ] = None,
) -> None:
    """How wars of a reference class ended: P(end within 6, 12, 24 months | lasted so far).

    ``--let`` (with ``--scenario``) is checked and recorded as everywhere, but a base rate
    reads only the scenario's reference class and as-of date, which hold no numbers a
    what-if sets: the base rate is the file's, and a note says so."""
    from dataclasses import replace

    from accord.analysis.baserate import ReferenceClass, base_rate, base_rate_for, cow_check
    from accord.report.save import figure_format

    if plot is not None:
        figure_format(plot)
    sc = None
    if scenario is not None:
        sc = load_scenario(scenario)
        if what_if():
            err.print(
                "note: --let changes no number a base rate reads (the scenario's "
                "reference_class and as-of date): the base rate is the file's"
            )
        result = base_rate_for(sc, duration_months)
        rc = result.reference_class
        overrides: dict[str, Any] = {
            k: (v.value if v is not None else None)
            for k, v in (
                ("type", type_),
                ("incompatibility", incompatibility),
                ("intensity", intensity),
                ("region", region),
            )
            if v is not None
        }
        if overrides:
            result = base_rate(replace(rc, **overrides), result.duration_months)
    else:
        refuse_lets("a reference class given by flags (no --scenario)")
        rc = ReferenceClass(
            type=type_.value if type_ else None,
            incompatibility=incompatibility.value if incompatibility else None,
            intensity=intensity.value if intensity else None,
            region=region.value if region else None,
        )
        result = base_rate(rc, duration_months or 0.0)
    cow = cow_check(result.reference_class)
    if json_:
        from accord.analysis import output

        payload = result.to_dict()
        payload["cow_check"] = cow
        asked = {
            "type": type_, "incompatibility": incompatibility, "intensity": intensity,
            "region": region, "duration_months": duration_months, "scenario": scenario,
        }  # fmt: skip
        envelope = output.envelope(
            "baserate", payload, scenario=sc, options=asked, what_if=what_if()
        )
        sys.stdout.write(output.dumps(envelope))
    else:
        _print(result, cow)
    if plot is not None:
        from accord.report.baserate import baserate_figure
        from accord.report.save import save_figure

        save_figure(baserate_figure(result), plot, title="accord baserate")
        err.print(f"wrote {plot}")


def _print(result: Any, cow: dict[str, Any] | None) -> None:
    out.print(result.reference_class.describe())
    out.print(
        f"  {result.n} episodes ({result.n_ended} ended, {result.n - result.n_ended} running at "
        f"the end of observation); {result.n_at_risk} lasted {result.duration_months:.1f} "
        "months or longer"
    )
    t = Table(
        title=f"P(ends within h months | lasted {result.duration_months:.1f}) [95% CI]",
        title_justify="left",
    )
    for col in ("h", "Kaplan-Meier, the class", "Weibull AFT", "log-logistic AFT"):
        t.add_column(col, justify="right")
    for h, r in result.to_frame().iterrows():
        t.add_row(
            f"{h:g}",
            _ci(r, "p", "lo", "hi"),
            _ci(r, "weibull", "weibull_lo", "weibull_hi"),
            _ci(r, "loglogistic", "loglogistic_lo", "loglogistic_hi"),
        )
    out.print(t)
    e = Table(title="how: P(ends this way within 12 months), Aalen-Johansen", title_justify="left")
    for col in ("ending", "P [95% CI]", "endings of this kind (all times)"):
        e.add_column(col, justify="left" if col == "ending" else "right")
    for cause, r in result.endings.iterrows():
        e.add_row(str(cause), _ci(r, "p", "lo", "hi"), str(int(r["events"])))
    out.print(e)
    if len(result.mix):
        mix = ", ".join(
            f"{k} {_pct(r['share'])} ({int(r['episodes'])})" for k, r in result.mix.iterrows()
        )
        out.print(f"mix of endings (episodes that lasted that long and ended): {mix}")
    if cow is not None:
        cmix = ", ".join(f"{k} {_pct(v)}" for k, v in cow["mix_of_endings"].items())
        out.print(
            f"COW inter-state wars {cow['first_year']}-{cow['last_year']} ({cow['wars']}, years "
            f"only): {_pct(cow['within_one_calendar_year'])} fought within one calendar year, "
            f"{_pct(cow['within_two_calendar_years'])} within two; endings: {cmix}"
        )
    for w in result.warnings:
        out.print(f"note: {w}")
    out.print(result.headline(12.0).text)
