"""``accord backtest``: score every model against real outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from accord.cli.common import OutputFolder, err, guarded, out, parse_sets

backtest_app = typer.Typer(help="Back-test models against real outcomes.", no_args_is_help=True)


@backtest_app.command("deu")
@guarded
def deu(
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model; repeat. Default: all.")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="A model option, e.g. --set eum.q=0.5.")
    ] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (fixed).", min=2)] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the folds and the bootstrap.", min=0)] = 2021,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.", min=100)] = 2000,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the table, CSVs and plot.")
    ] = None,
    readme: Annotated[
        Path | None,
        typer.Option(help="Also replace the table between <!-- backtest-deu --> markers here."),
    ] = None,
    by_proposal: Annotated[
        bool,
        typer.Option(
            "--by-proposal",
            help="Also run models that link issues (exchange) on each proposal's issues together.",
        ),
    ] = False,
) -> None:
    """DEU III: every model on all 353 EU issues with a real outcome."""
    from accord import models
    from accord.analysis.backtest import backtest, default_predictors
    from accord.datasets import deu as dataset
    from accord.report.backtest import error_figure, replace_between_markers
    from accord.report.save import save_figure

    names = model or list(models.available())
    options = parse_sets(set_ or [], names)
    result = backtest(
        dataset.cases(),
        default_predictors(names, options, by_proposal=by_proposal),
        folds=folds,
        seed=seed,
        resamples=resamples,
    )
    table = Table(title="DEU III back-test (353 issues; Nice votes)", title_justify="left")
    for col in ("predictor", "N", "failed", "MAE [95% CI]", "median AE", "within 10"):
        table.add_column(col, justify="left" if col == "predictor" else "right")
    for name, r in result.summary.sort_values("mae").iterrows():
        table.add_row(
            f"{name}{' (CV)' if r['fitted'] else ''}",
            str(r["n"]),
            str(r["failed"]),
            f"{r['mae']:.2f} [{r['mae_lo']:.2f}, {r['mae_hi']:.2f}]",
            f"{r['median_ae']:.2f}",
            f"{100 * r['hit_rate']:.1f}%",
        )
    out.print(table)
    for name, chosen in result.choices.items():
        out.print(f"{name}: chosen per fold: {', '.join(chosen)}")
    markdown = result.to_markdown()
    if out_dir is not None:
        folder = OutputFolder(out_dir, "--out")
        folder.write_text("deu.md", markdown)
        folder.write("deu-predictions.csv", lambda p: result.predictions.to_csv(p, index=False))
        folder.write("deu-summary.csv", result.summary.to_csv)
        figure = error_figure(result, "DEU III: absolute errors")
        folder.write("deu-errors.png", lambda p: save_figure(figure, p))
        err.print(f"wrote {out_dir}/deu.md, deu-predictions.csv, deu-summary.csv, deu-errors.png")
    if readme is not None:
        replace_between_markers(readme, "backtest-deu", markdown)
        err.print(f"updated the back-test table in {readme}")
