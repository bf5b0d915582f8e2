"""``accord sweep``, ``accord sensitivity``, ``accord discover``, ``accord results``.

Parsing and printing only: the numbers come from :mod:`accord.analysis.sweep`,
:mod:`accord.analysis.sensitivity` and :mod:`accord.analysis.prim`. A sweep shows a rich
progress bar with its ETA on standard error.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import err, guarded, lets, load_scenario, out, parse_sets
from accord.errors import ModelError

results_app = typer.Typer(help="Query the results store of a sweep.", no_args_is_help=True)

WAR_VERBS = ("range", "screen", "fight", "commit", "brink", "swap", "mediate", "durability")


class DesignOpt(StrEnum):
    mc = "mc"
    sobol = "sobol"
    morris = "morris"


class Method(StrEnum):
    sobol = "sobol"
    morris = "morris"
    tornado = "tornado"


class Executor(StrEnum):
    sequential = "sequential"
    joblib = "joblib"


def _progress_bar() -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )


def _g(x: float) -> str:
    return "-" if x != x else f"{x:.4g}"


def summary_table(store: Any, names: list[str], title: str) -> Table:
    """Mean, spread and quantiles of outputs (:func:`accord.analysis.explore.output_quantiles`)."""
    t = Table(title=title, title_justify="left")
    for col in ("output", "n", "mean", "sd", "5%", "25%", "50%", "75%", "95%"):
        t.add_column(col, justify="left" if col == "output" else "right")
    from accord.analysis.explore import output_quantiles

    if not names:
        return t
    table = output_quantiles(store, names, (0.05, 0.25, 0.5, 0.75, 0.95))
    for n, row in table.iterrows():
        t.add_row(str(n), f"{int(row['n']):,}", *(_g(float(v)) for v in row.iloc[1:]))
    return t


@guarded
@lets
def sweep(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Results directory (new, or --resume).")
    ],
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model to sweep; repeat for several.")
    ] = None,
    war: Annotated[
        list[str] | None,
        typer.Option("--war", help="War verb to sweep: " + ", ".join(WAR_VERBS) + "."),
    ] = None,
    settle: Annotated[
        bool, typer.Option("--settle", help="Sweep accord settle (--runs courses per draw).")
    ] = False,
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target", help="Any registered sweep target by name (accord.analysis.targets)."
        ),
    ] = None,
    draws: Annotated[
        int,
        typer.Option(
            "--draws",
            "-n",
            help="Draws (mc); base N for sobol (runs N·(k+2)) or morris (N·(k+1)).",
        ),
    ] = 1000,
    design: Annotated[DesignOpt, typer.Option(help="Monte Carlo, Sobol or Morris design.")] = (
        DesignOpt.mc
    ),
    uncertainty: Annotated[
        Path | None, typer.Option(help="An uncertainty file (instead of the scenario's section).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Root seed.", min=0)] = 0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="A model option, e.g. --set eum.q=0.5.")
    ] = None,
    runs: Annotated[
        int, typer.Option(help="Monte Carlo runs per draw of war fight and settle.", min=1)
    ] = (1000),
    dask: Annotated[
        str | None,
        typer.Option(help="Dask scheduler tcp://HOST:8786, or 'local' (LocalCluster, 127.0.0.1)."),
    ] = None,
    executor: Annotated[
        Executor | None,
        typer.Option(help="Without --dask: sequential or joblib (default 2+ cores)."),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="Processes or local Dask workers.", min=1)] = (
        None
    ),
    batch_size: Annotated[
        int | None, typer.Option(help="Draws per task (default: about 0.5 s of work).", min=1)
    ] = None,
    resume: Annotated[bool, typer.Option(help="Continue a killed sweep in --out.")] = False,
) -> None:
    """Run models or war verbs over draws of the scenario's uncertain numbers."""
    from accord.analysis.store import Store
    from accord.analysis.sweep import Design
    from accord.analysis.sweep import sweep as run_sweep
    from accord.analysis.uncertainty import Sampler
    from accord.scenario.io import load_uncertainty

    sc = load_scenario(scenario)
    names = list(model or [])
    for verb in war or []:
        if verb not in WAR_VERBS:
            raise ModelError(f"unknown war verb ({', '.join(WAR_VERBS)})", path="--war", value=verb)
    if not names and not war and not target and not settle:
        raise ModelError(
            "give a model (-m NAME), a war verb (--war VERB) or --settle", path="--model"
        )
    options = parse_sets(set_ or [], names)
    targets: list[tuple[str, dict[str, Any]]] = [(n, options[n]) for n in names]
    targets += [(f"war.{v}", {"runs": runs} if v == "fight" else {}) for v in war or []]
    targets += [(t, {}) for t in target or []]
    if settle:
        targets.append(("settle", {"runs": runs}))
    spec = load_uncertainty(uncertainty) if uncertainty is not None else None
    sampler = Sampler(sc, spec, file=str(uncertainty) if uncertainty else None)
    d = Design(design.value, draws, seed)
    err.print(
        f"{sc.id}: {sampler.k} uncertain numbers "
        f"({sum(p.origin == 'defaults' for p in sampler.params)} from judgement defaults), "
        f"{d.rows(sampler.k):,} runs ({design.value} design, seed {seed})"
    )
    bar = _progress_bar()
    task: list[Any] = []

    def progress(done: int, total: int) -> None:
        if not task:
            task.append(bar.add_task("sweep", total=total, completed=done))
        bar.update(task[0], completed=done)

    with bar:
        outcome = run_sweep(
            sc, targets, d, out_dir, uncertainty=spec,
            executor=executor.value if executor is not None else None, workers=workers,
            dask=dask, batch_size=batch_size, resume=resume, progress=progress,
        )  # fmt: skip
    store: Store = outcome.store
    err.print(
        f"{outcome.batches_run} batches of {store.manifest['batch_size']} draws in "
        f"{outcome.seconds:.1f} s ({outcome.executor}); results in {store.path}/"
    )
    out.print(summary_table(store, store.outputs, f"{sc.id}: {outcome.rows:,} draws"))
    counts = store.query("SELECT sum(clipped) AS c, sum(redraws) AS r FROM results").iloc[0]
    out.print(
        f"clipped values: {int(counts['c'])}; redrawn draws (rules across numbers): "
        f"{int(counts['r'])}"
    )


@guarded
def sensitivity(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory.")],
    output: Annotated[str, typer.Option("--output", help="The output column to explain.")],
    method: Annotated[
        Method | None,
        typer.Option(help="sobol or morris (need that design), tornado (any sweep)."),
    ] = None,
    top: Annotated[int, typer.Option(help="Rows to show.", min=1)] = 10,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a figure: .png, .svg, .pdf or .html.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON (every number).")] = False,
) -> None:
    """Which uncertain numbers drive an output: Sobol, Morris or a tornado."""
    from accord.analysis import sensitivity as sa
    from accord.analysis.store import Store

    if plot is not None:
        from accord.report.save import figure_format

        figure_format(plot)
    store = Store.open(directory)
    store.check_output(output)
    kind = method.value if method else _default_method(store.manifest["design"]["kind"])
    if kind == "sobol":
        table = sa.sobol_of_store(store, output)
        cols = ["S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]
    elif kind == "morris":
        table = sa.morris_of_store(store, output)
        cols = ["mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"]
    else:
        x = store.columns(store.inputs)
        y = store.columns([output])[output].to_numpy()
        table = sa.tornado(x, y)
        cols = ["low", "high", "swing"]
    if json_:
        from accord.analysis import output as js

        asked = {"directory": str(directory), "output": output, "method": kind}
        payload = js.envelope(
            "sensitivity",
            js.sensitivity_output(output, kind, table),
            scenario=js.store_ref(store.manifest),
            options=asked,
            seed=store.manifest["design"]["seed"],
        )
        sys.stdout.write(js.dumps(payload))
    t = Table(title=f"{output}: {kind}", title_justify="left")
    t.add_column("number")
    for c in cols:
        t.add_column(c, justify="right")
    for name, row in table.head(top).iterrows():
        t.add_row(str(name), *(_g(float(row[c])) for c in cols))
    if not json_:
        out.print(t)
    if plot is not None:
        from accord.report.save import save_figure
        from accord.report.sweep import indices_figure, tornado_figure

        title = f"{store.manifest['scenario']['id']}: {output}"
        fig = (
            tornado_figure(table.head(top), title=title)
            if kind == "tornado"
            else indices_figure(table.head(top), kind, title=title)
        )
        save_figure(fig, plot, title=title)
        err.print(f"wrote {plot}")


def _default_method(design: str) -> str:
    return design if design in ("sobol", "morris") else "tornado"


@guarded
def discover(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory.")],
    where: Annotated[
        str, typer.Option("--where", help='The event, a DuckDB condition: "compromise_T < 40".')
    ],
    boxes: Annotated[int, typer.Option(help="Boxes to find (covering).", min=1)] = 2,
    threshold: Annotated[float, typer.Option(help="Density a reported box needs.")] = 0.8,
    alpha: Annotated[float, typer.Option(help="Share peeled per step.")] = 0.05,
    mass_min: Annotated[float, typer.Option("--mass-min", help="Smallest box mass.")] = 0.05,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Peeling trajectory figure (.png, .svg, ...).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """PRIM scenario discovery: where in the uncertain numbers the event happens."""
    from accord.analysis.prim import prim
    from accord.analysis.sensitivity import event_of_store
    from accord.analysis.store import Store

    if plot is not None:
        from accord.report.save import figure_format

        figure_format(plot)
    store = Store.open(directory)
    ev = event_of_store(store, where)
    if not json_:
        out.print(ev.describe())
    frame = store.query(
        "SELECT * EXCLUDE (clipped, redraws), (" + where + ") AS __event FROM results ORDER BY draw"
    )
    x = frame[store.inputs]
    x = x.loc[:, x.nunique() > 1]
    y = frame["__event"].fillna(False).to_numpy(dtype=bool)
    res = prim(x, y, alpha=alpha, mass_min=mass_min, threshold=threshold, boxes=boxes)
    if json_:
        from accord.analysis import output as js

        asked = {
            "directory": str(directory), "where": where, "boxes": boxes,
            "threshold": threshold, "alpha": alpha, "mass_min": mass_min,
        }  # fmt: skip
        payload = js.envelope(
            "discover",
            js.discover_output(ev, res),
            scenario=js.store_ref(store.manifest),
            options=asked,
            seed=store.manifest["design"]["seed"],
        )
        sys.stdout.write(js.dumps(payload))
    for i, box in enumerate(() if json_ else res.boxes, 1):
        t = Table(
            title=f"box {i}: coverage {box.coverage:.3f}, density {box.density:.3f}, "
            f"mass {box.mass:.3f} (peeling step {box.step})",
            title_justify="left",
        )
        t.add_column("number")
        t.add_column("lower", justify="right")
        t.add_column("upper", justify="right")
        t.add_column("range in the draws", justify="right")
        for name in box.restricted:
            t.add_row(
                name, _g(box.lower[name]), _g(box.upper[name]),
                f"{_g(float(x[name].min()))} .. {_g(float(x[name].max()))}",
            )  # fmt: skip
        out.print(t)
    if plot is not None:
        from accord.report.save import save_figure
        from accord.report.sweep import trajectory_figure

        title = f"{store.manifest['scenario']['id']}: {where}"
        save_figure(trajectory_figure(res, title=title), plot, title=title)
        err.print(f"wrote {plot}")


@results_app.command("query")
@guarded
def query(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory.")],
    sql: Annotated[str, typer.Argument(help='SQL over the view `results`, e.g. "SELECT ...".')],
    csv_: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """Run a DuckDB query over a sweep's Parquet parts (the view `results`)."""
    from accord.analysis.store import Store

    df = Store.open(directory).query(sql)
    if csv_:
        sys.stdout.write(df.to_csv(index=False))
        return
    t = Table(title_justify="left")
    for c in df.columns:
        t.add_column(str(c), justify="right")
    for row in df.head(200).itertuples(index=False):
        t.add_row(*(_g(v) if isinstance(v, float) else str(v) for v in row))
    out.print(t)
    if len(df) > 200:
        out.print(f"... {len(df) - 200:,} more rows (use --csv)")


@results_app.command("show")
@guarded
def show(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory.")],
) -> None:
    """What a sweep holds: its manifest in short, and its uncertain numbers."""
    from accord.analysis.store import Store

    store = Store.open(directory)
    m = store.manifest
    done = len(store.done())
    out.print(
        f"{m['scenario']['id']} (sha256 {m['scenario']['sha256'][:12]}), "
        f"targets {', '.join(t['name'] for t in m['targets'])}, design {m['design']['kind']} "
        f"n={m['design']['n']} seed={m['design']['seed']}, {m['rows']:,} rows in "
        f"{done}/{m['batches']} parts, created {m['created']}, finished {m['finished']}"
    )
    t = Table(title="uncertain numbers", title_justify="left")
    for col in ("path", "value", "range", "distribution", "bounds", "from"):
        t.add_column(col)
    for row in m["uncertainty"]["numbers"]:
        t.add_row(*(row[c] for c in ("path", "value", "range", "distribution", "bounds", "from")))
    out.print(t)
    out.print("outputs: " + ", ".join(store.outputs))
