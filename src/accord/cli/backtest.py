"""``accord backtest``: score every model against real outcomes."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import OutputFolder, err, guarded, out, parse_sets
from accord.errors import AccordError, show_value


def _check_readme(readme: Path | None) -> None:
    """A --readme that cannot be updated fails before the back-test runs, not after."""
    if readme is not None and not readme.is_file():
        raise AccordError(f"--readme: {show_value(str(readme), 200)}: no such file")


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
    json_: Annotated[
        bool,
        typer.Option("--json", help="Print JSON (the summary, fold choices and every prediction)."),
    ] = False,
) -> None:
    """DEU III: every model on all 353 EU issues with a real outcome."""
    from accord import models
    from accord.analysis.backtest import backtest, default_predictors
    from accord.datasets import deu as dataset
    from accord.report.backtest import error_figure, replace_between_markers
    from accord.report.save import save_figure

    _check_readme(readme)
    names = model or list(models.available())
    options = parse_sets(set_ or [], names)
    result = backtest(
        dataset.cases(),
        default_predictors(names, options, by_proposal=by_proposal),
        folds=folds,
        seed=seed,
        resamples=resamples,
    )
    if json_:
        from accord.analysis import output

        asked: dict[str, Any] = {
            "models": names, "set": options, "folds": folds, "resamples": resamples,
            "by_proposal": by_proposal,
        }  # fmt: skip
        payload = output.envelope(
            "backtest deu", output.backtest_deu_output(result), options=asked, seed=seed
        )
        sys.stdout.write(output.dumps(payload))
    table = Table(title="DEU III back-test (353 issues; Nice votes)", title_justify="left")
    cols = ("predictor", "N", "failed", "MAE [95% CI]", "ΔMAE vs compromise", "median AE")
    for col in (*cols, "within 10", "90% coverage", "CRPS"):
        table.add_column(col, justify="left" if col == "predictor" else "right")
    for name, r in result.summary.sort_values("mae").iterrows():
        delta = r.get("dmae", float("nan"))
        table.add_row(
            f"{name}{' (CV)' if r['fitted'] else ''}",
            str(r["n"]),
            str(r["failed"]),
            f"{r['mae']:.2f} [{r['mae_lo']:.2f}, {r['mae_hi']:.2f}]",
            "-" if delta != delta else f"{delta:+.2f} [{r['dmae_lo']:+.2f}, {r['dmae_hi']:+.2f}]",
            f"{r['median_ae']:.2f}",
            f"{100 * r['hit_rate']:.1f}%",
            f"{100 * r['coverage']:.1f}%",
            f"{r['crps']:.2f}",
        )
    if not json_:
        out.print(table)
    if "dmae" in result.summary.columns and not json_:
        out.print(
            "ΔMAE: paired bootstrap difference in MAE against the compromise model as published "
            "(decision_rules=False); negative is better"
        )
    for name, chosen in result.choices.items() if not json_ else ():
        out.print(f"{name}: chosen per fold: {'; '.join(chosen)}")
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


@backtest_app.command("wars")
@guarded
def wars(
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.", min=0)] = 2024,
    resamples: Annotated[int, typer.Option(help="Bootstrap resamples.", min=100)] = 1000,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for the table, CSVs and figures.")
    ] = None,
    readme: Annotated[
        Path | None,
        typer.Option(help="Also replace the table between <!-- backtest-wars --> markers here."),
    ] = None,
    json_: Annotated[
        bool,
        typer.Option("--json", help="Print JSON (the summary, verdicts and every forecast)."),
    ] = False,
) -> None:
    """UCDP conflict episodes: P(end within 12 months | lasted so far), out of sample."""
    from accord import scenarios
    from accord.analysis.baserate import base_rate_for
    from accord.analysis.war_backtest import war_backtest
    from accord.report.backtest import replace_between_markers
    from accord.report.baserate import baserate_figure, reliability_figure
    from accord.report.save import save_figure

    _check_readme(readme)
    result = war_backtest(resamples=resamples, seed=seed)
    table = Table(
        title="War-termination back-test: P(end within 12 months | lasted d), UCDP episodes",
        title_justify="left",
    )
    for col in (
        "design",
        "predictor",
        "windows",
        "Brier [95% CI]",
        "vs constant",
        "log loss",
        "IBS",
        "C",
    ):
        table.add_column(col, justify="left" if col in ("design", "predictor") else "right")
    for r in result.records():
        name = r["predictor"]
        table.add_row(
            str(r["design"]),
            str(name),
            str(r["windows"]),
            f"{r['brier']:.3f} [{r['brier_lo']:.3f}, {r['brier_hi']:.3f}]",
            "-" if name == "constant" else f"{r['brier_vs_constant']:+.3f}",
            f"{r['log_loss']:.3f}",
            f"{r['ibs']:.3f}",
            f"{r['c_index']:.3f}",
        )
    verdicts = [result.verdict(d) for d in result.predictions]
    if json_:
        from accord.analysis import output

        asked = {"resamples": resamples}
        payload = output.envelope(
            "backtest wars", output.backtest_wars_output(result, verdicts), options=asked, seed=seed
        )
        sys.stdout.write(output.dumps(payload))
    else:
        out.print(table)
        for v in verdicts:
            out.print(v)
    markdown = result.to_markdown() + "\n" + "\n".join(f"- {v}." for v in verdicts) + "\n"
    if out_dir is not None:
        folder = OutputFolder(out_dir, "--out")
        folder.write_text("wars.md", markdown)
        folder.write("wars-summary.csv", lambda p: result.summary.to_csv(p, float_format="%.17g"))
        for design, preds in result.predictions.items():
            folder.write(
                f"wars-predictions-{design}.csv",
                functools.partial(
                    preds.drop(columns=["s_curve"]).to_csv, index=False, float_format="%.6g"
                ),
            )
        folder.write("wars-reliability.png", lambda p: save_figure(reliability_figure(result), p))
        flagship = base_rate_for(scenarios.load(scenarios.DEFAULT))
        folder.write(
            f"baserate-{scenarios.DEFAULT}.png", lambda p: save_figure(baserate_figure(flagship), p)
        )
        err.print(
            f"wrote {out_dir}/wars.md, wars-summary.csv, wars-predictions-*.csv, "
            f"wars-reliability.png, baserate-{scenarios.DEFAULT}.png"
        )
    if readme is not None:
        replace_between_markers(readme, "backtest-wars", markdown)
        err.print(f"updated the war back-test table in {readme}")
