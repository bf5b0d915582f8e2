"""``accord report [SCENARIO] -o brief.html``: the analyst's briefing as one offline HTML file
(``--pdf`` prints it through headless Chromium). Parsing and writing only: the numbers come
from :func:`accord.analysis.brief.brief`, the page from :func:`accord.report.html.render_html`."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from accord.cli.common import err, guarded, lets, load_scenario, what_if
from accord.errors import ModelError

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


@guarded
@lets
def report(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path(
        "brief.html"
    ),
    runs: Annotated[int, typer.Option(help="Settlement Monte Carlo runs (wars).")] = 10_000,
    months: Annotated[int, typer.Option(help="Settlement horizon in months (wars).")] = 24,
    seed: Annotated[
        int, typer.Option(help="Seed (same seed, same numbers as the CLI).", min=0)
    ] = 0,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Also print the page to PDF (headless Chromium).")
    ] = None,
    results: Annotated[
        list[Path] | None,
        typer.Option(
            "--results",
            help="A sweep's results store, or a folder of stores: an ensemble section each.",
        ),
    ] = None,
    event: Annotated[
        str | None,
        typer.Option(
            "--event",
            help='With --results: an event "COLUMN OP NUMBER" (OP <, <=, >, >=) for its '
            "probability and PRIM boxes.",
        ),
    ] = None,
) -> None:
    """Write a self-contained HTML briefing: scenario, forecasts, back-test, war, narrative."""
    from accord.analysis.brief import brief
    from accord.report.html import render_html

    if runs < 1:
        raise ModelError("must be >= 1", path="--runs", value=runs)
    if months < 0:
        raise ModelError("must be >= 0", path="--months", value=months)
    if output.suffix.lower() not in (".html", ".htm"):
        raise ModelError(
            "the briefing is HTML: use a .html name", path="--output", value=str(output)
        )
    browser = None
    if pdf is not None:
        browser = next((shutil.which(c) for c in CHROMIUM if shutil.which(c)), None)
        if browser is None:
            raise ModelError("--pdf needs Chromium on the PATH", path="--pdf", value=str(pdf))
    stores, ev = _stores(results, event)
    sc = load_scenario(scenario)
    b = brief(sc, seed=seed, runs=runs, months=months, stores=stores, event=ev)
    changes = what_if()
    if changes:  # a what-if briefing says so where it is read, not only on the terminal
        told = "; ".join(f"{c['path']} {c['old']:g} → {c['new']:g}" for c in changes)
        b.narrative.insert(0, f"What-if (--let), not the file's numbers: {told}.")
    page = render_html(b)
    output.write_text(page, encoding="utf-8")
    err.print(f"wrote {output} ({len(page) / 1e6:.1f} MB)")
    if pdf is not None and browser is not None:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    f"--user-data-dir={profile}",
                    "--no-pdf-header-footer",
                    "--virtual-time-budget=10000",
                    f"--print-to-pdf={pdf.resolve()}",
                    output.resolve().as_uri(),
                ],
                check=False,
                capture_output=True,
                timeout=120,
            )
        if not pdf.exists():
            raise ModelError("Chromium wrote no PDF", path="--pdf", value=str(pdf))
        err.print(f"wrote {pdf}")


def _stores(results: list[Path] | None, event: str | None) -> tuple[list[Any], Any]:
    """The stores under ``--results`` and the parsed ``--event`` (a column of one of them)."""
    from accord.analysis.explore import find_stores, parse_event
    from accord.analysis.store import Store

    if event is not None and not results:
        raise ModelError("--event needs --results DIR", path="--event", value=event)
    stores = [Store.open(p) for p in find_stores(results or [])]
    ev = parse_event(event) if event is not None else None
    if ev is not None and not any(ev.column in s.outputs + s.inputs for s in stores):
        raise ModelError("not a column of any results store given", path="--event", value=ev.column)
    return stores, ev
