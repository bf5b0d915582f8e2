"""``accord app [--host 127.0.0.1] [--port 8050] [--results DIR]``: serve the dashboard
(:mod:`accord.app`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.common import err, guarded
from accord.errors import ModelError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@guarded
def app_command(
    host: Annotated[str, typer.Option(help="Address to bind (default: loopback only).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8050,
    max_upload: Annotated[
        int, typer.Option("--max-upload", help="Largest scenario upload, in bytes.")
    ] = 1_000_000,
    results: Annotated[
        list[Path] | None,
        typer.Option(
            "--results",
            help="A sweep's results store, or a folder of stores: adds the Ensemble tab "
            "(repeat for several).",
        ),
    ] = None,
) -> None:
    """Serve the dashboard: scenarios, table editing, models, the war's levers, and an
    ensemble explorer over sweep results (--results)."""
    if not 0 < port < 65536:
        raise ModelError("must be 1-65535", path="--port", value=port)
    if max_upload < 1:
        raise ModelError("must be >= 1", path="--max-upload", value=max_upload)
    if host not in LOOPBACK:
        err.print(
            f"[yellow]warning:[/yellow] binding {host}: anyone who can reach this address can "
            "use the dashboard (there is no authentication)",
            markup=True,
        )
    from accord.analysis.explore import find_stores

    stores = find_stores(results) if results else []
    if stores:
        err.print(f"{len(stores)} results store(s): " + ", ".join(str(p) for p in stores))
    from accord.app import create_app

    err.print(f"accord app on http://{host}:{port}/")
    create_app(max_upload, stores).run(host=host, port=port, debug=False)
