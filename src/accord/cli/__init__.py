"""The ``accord`` command line: parse, call, print. No computation lives here.

Every command turns accord's own errors into one line per problem on standard error and
exit code 2, never a traceback.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from accord import __version__
from accord.cli.common import (
    OutputFolder,
    apply_what_ifs,
    err,
    guarded,
    lets,
    load_scenario,
    out,
    parse_sets,
    what_if,
)
from accord.cli.lazy import LazyGroup, lazy_command, lazy_group
from accord.errors import ModelError, ScenarioError

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario

app = typer.Typer(
    name="accord",
    help="Model, forecast and stress-test negotiated settlements.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup.new(),
)


class Output(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _fmt(x: float, digits: int = 2) -> str:
    return "-" if x != x else f"{x:.{digits}f}"


_MARK = {"cycle": " ↻", "max_rounds": " *", "undefined": " ?"}


@app.command()
@guarded
@lets
def run(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="Model name; repeat for several.")
    ] = None,
    rounds: Annotated[
        int | None, typer.Option(help="Rounds for every model that has rounds.", min=0)
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="A model option, e.g. --set eum.preset=scholz_paper."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for stochastic models.", min=0)] = 0,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_: Annotated[
        bool, typer.Option("--csv", help="Print CSV (issue, model, forecast).")
    ] = False,
    events: Annotated[bool, typer.Option(help="Also print each model's event log.")] = False,
    influence: Annotated[
        bool,
        typer.Option(
            "--influence",
            help="Also print who moved whom: each actor's move per issue, credited to the "
            "actors whose challenges, bargains or trades moved it (in --json: 'influence').",
        ),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Also write each model's forecasts, trajectory and events as CSV here."
        ),
    ] = None,
    trajectory: Annotated[
        bool, typer.Option("--trajectory", help="--json: also every actor's path by round.")
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw actor trajectories per issue: .png, .svg, .pdf, .html."),
    ] = None,
) -> None:
    """Forecast every issue of a scenario with one or more models."""
    from accord import models as registry
    from accord.analysis.forecast import run_models

    if plot is not None:
        from accord.report.save import figure_format

        figure_format(plot)
    sc = load_scenario(scenario)
    names = model or list(registry.available())
    options = parse_sets(set_ or [], names)
    if not model:  # by default, the models that can forecast this scenario
        reasons = {n: registry.get(n)(**options.get(n, {})).unavailable(sc) for n in names}
        skipped = [f"{n} ({why})" for n, why in reasons.items() if why]
        names = [n for n in names if not reasons[n]]
        if skipped:
            err.print("not run here: " + "; ".join(skipped))
    results = run_models(sc, names, options, rounds=rounds, seed=seed)
    if json_ and csv_:
        raise ModelError("choose one of --json and --csv", path="--json/--csv")
    if influence and csv_:
        raise ModelError("--influence prints a table, or JSON with --json; not CSV", path="--csv")
    if out_dir is not None:
        folder = OutputFolder(out_dir, "--out")
        for r in results:
            tables = {
                "forecast": (r.to_frame(), True),
                "trajectory": (r.trajectory_frame(), False),
                "events": (r.events_frame(), False),
            }
            for kind, (frame, index) in tables.items():
                folder.write(
                    f"{sc.id}-{r.model}-{kind}.csv",
                    functools.partial(frame.to_csv, index=index),
                )
        folder.report_renames()
        err.print(
            f"wrote forecast, trajectory and events CSVs for {len(results)} models to {out_dir}/"
        )
    if plot is not None:
        from accord.report.save import save_figure
        from accord.report.trajectories import trajectory_figure

        save_figure(trajectory_figure(sc, results), plot, title=f"{sc.id}: accord run")
        err.print(f"wrote {plot}")
    moves = None
    if influence:
        from accord.analysis.influence import influence as who_moved_whom

        moves = who_moved_whom(results, sc)
    if json_:
        from accord.analysis import output

        asked = {
            "models": names, "rounds": rounds, "set": options, "trajectory": trajectory,
            "influence": influence,
        }  # fmt: skip
        result = output.run_output(
            sc,
            results,
            trajectory=trajectory,
            war=output.war_layer(sc, seed),
            influence=None if moves is None else moves.to_dict(),
        )
        payload = output.envelope(
            "run", result, scenario=sc, options=asked, seed=seed, what_if=what_if()
        )
        sys.stdout.write(output.dumps(payload))
        return
    if csv_:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["scenario", "issue", "model", "forecast", "status", "q10", "q50", "q90"])
        for r in results:
            q = r.quantiles()  # the spread of repetitions; empty cells for one number
            for k, (iid, value, status) in enumerate(
                zip(r.issue_ids, r.forecast, r.status, strict=True)
            ):
                spread = ["", "", ""] if q is None else [repr(float(v)) for v in q[:, k]]
                text = "" if value != value else repr(float(value))
                w.writerow([sc.id, iid, r.model, text, status, *spread])
        sys.stdout.write(buf.getvalue())
        return
    _print_table(sc, results)
    _print_spreads(sc, results, seed)
    if moves is not None:
        from accord.cli.influence import print_influence

        print_influence(moves, sc, {r.model: r.rounds for r in results})
    _print_war_overview(sc, seed)
    if events:
        for r in results:
            if not r.events:
                continue
            t = Table(title=f"{r.model}: events", title_justify="left")
            for col in ("round", "issue", "event", "from", "to"):
                t.add_column(col)
            for e in r.events:
                t.add_row(
                    str(e.round), e.issue, e.describe(), _fmt(e.before or 0), _fmt(e.after or 0)
                )
            out.print(t)


def _print_spreads(sc: Scenario, results: list[Any], seed: int) -> None:
    """Stochastic models: the 10/50/90 % quantiles of their repetitions, or a word that the
    forecast is one draw."""
    from accord.analysis.output import QUANTILES, spread

    for r in results:
        q = spread(r)
        if q is None:
            continue
        n = len(r.extra["repetition_forecasts"])
        qs = "/".join(f"{100 * p:g}" for p in QUANTILES)
        t = Table(
            title=f"{r.model}: mean and {qs} % quantiles of {n} stochastic draws (seed {seed})",
            title_justify="left",
        )
        for col in ("issue", "mean", *(f"q{100 * p:g}" for p in QUANTILES)):
            t.add_column(col, justify="left" if col == "issue" else "right")
        for k, iid in enumerate(sc.issue_ids):
            t.add_row(iid, _fmt(float(r.forecast[k])), *(_fmt(float(v)) for v in q[:, k]))
        out.print(t)


def _print_war_overview(sc: Scenario, seed: int = 0) -> None:
    """The settle headline (accord settle); the closed-form lines where settle lacks inputs."""
    if sc.war is None:
        return
    from accord.analysis.settle import headline_lines, run_settle

    try:
        res, _ = run_settle(sc, runs=2000, seed=seed)
    except ModelError:
        _print_closed_forms(sc)
        return
    u, r = sc.war.belligerents
    out.print(
        f"war layer, {u} vs {r} on {sc.war.issue}: accord settle, 2,000 runs, seed {seed} "
        "(details: accord settle; accord war swap|mediate|durability)"
    )
    for line in headline_lines(res):
        out.print("  " + line)
    from accord.analysis.war import overview

    _print_war_overview_m5_m6_m9(overview(sc))


def _print_closed_forms(sc: Scenario) -> None:
    from accord.analysis.war import overview

    view = overview(sc)
    if "range" not in view:
        return
    u, r = view["belligerents"]
    issue = view["issue"]
    out.print(
        f"war layer, {u} vs {r} on {issue} (details: accord war range|screen|fight|commit|brink|"
        "swap|mediate|durability)"
    )
    low, high = view["range"]
    line = f"  bargaining range (Fearon): {issue} {low:.1f} to {high:.1f}"
    if "status_quo" in view:
        sq, inside = view["status_quo"]
        line += f"; status quo {sq:g} is {'inside' if inside else 'outside'} it"
    out.print(line)
    if "offer" in view:
        x, p_war = view["offer"]
        out.print(
            f"  {u}'s risk-return offer under private information: {issue} {x:.1f},"
            f" P(war) {p_war:.2f}"
        )
    if "window" in view:
        g_u, g_r, ok = view["window"]
        verdict = (
            "a guarantee both accept exists" if ok else "empty: no guarantee makes a deal stick"
        )
        out.print(
            f"  commitment window: {u} needs g >= {g_u:.2f}, {r} accepts g <= {g_r:.2f}: {verdict}"
        )
    _print_war_overview_m5_m6_m9(view)


def _print_war_overview_m5_m6_m9(view: dict[str, Any]) -> None:
    """Land for land, mediators and durability lines (accord war swap|mediate|durability)."""
    if "swap" in view:
        chip, holder, owner, first, bare = view["swap"]
        never = f"never within the horizon; without {owner}'s reputational cost from month {bare}"
        text = f"from month {first}" if first >= 0 else never
        out.print(f"  land for land ({holder} holds {owner}'s {chip}): {text}")
    if "mediators" in view:
        u, r = view["belligerents"]
        parts = []
        for name, _toward, cred_u, cred_r in view["mediators"]:
            to = [who for who, ok in ((u, cred_u), (r, cred_r)) if ok]
            parts.append(f"{name} credible to {' and '.join(to) if to else 'neither side'}")
        out.print("  mediators (Kydd): " + "; ".join(parts))
    if "durability" in view:
        p_relapse, horizon = view["durability"]
        out.print(
            f"  agreement on the table (Fortna): P(relapse within {horizon} months) {p_relapse:.2f}"
        )


def _print_table(sc: Scenario, results: list[Any]) -> None:
    when = f" (as of {sc.as_of.isoformat()})" if sc.as_of else ""
    table = Table(title=f"{sc.id}: {sc.title}{when}", title_justify="left")
    table.add_column("issue")
    table.add_column("scale")
    table.add_column("status quo", justify="right")
    for r in results:
        table.add_column(r.model, justify="right")
    for k, issue in enumerate(sc.issues):
        sq = issue.status_quo.value if issue.status_quo else float("nan")
        cells = [
            f"{issue.id}  {issue.name}",
            f"{issue.scale.min:g}-{issue.scale.max:g}",
            _fmt(sq),
        ]
        cells += [_fmt(float(r.forecast[k])) + _MARK.get(r.status[k], "") for r in results]
        table.add_row(*cells)
    out.print(table)
    notes = []
    for issue in sc.issues:
        if issue.quantity is None:
            continue
        k = sc.issue_ids.index(issue.id)
        q = issue.quantity
        parts = [
            f"{r.model} {issue.to_quantity(float(r.forecast[k])):,.0f}"
            for r in results
            if r.forecast[k] == r.forecast[k]
        ]
        if parts:
            notes.append(f"{issue.id} as {q.name} ({q.unit}): " + ", ".join(parts))
    for r in results:
        for d in r.diagnostics:
            if d.code == "decision_rule":
                continue  # summarised by _print_rules
            notes.append(f"{r.model}{' ' + d.issue if d.issue else ''}: {d.message}")
    if notes:
        out.print("↻ cycle (mean over the cycle)  * no convergence within the rounds  ? undefined")
        for note in notes:
            out.print(f"  {note}")
    _print_rules(sc, results)


def _print_rules(sc: Scenario, results: list[Any]) -> None:
    from accord.analysis.forecast import rule_summary

    lines = rule_summary(sc, results)
    if lines:
        out.print("decision rules (each model's forecast bound to what the rule lets through)")
        for line in lines:
            out.print(f"  {line}")


@app.command()
@guarded
@lets
def show(
    scenario: Annotated[
        str | None,
        typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
    ] = None,
) -> None:
    """Print a scenario: its issues and every actor's capability, positions and saliences."""
    sc = load_scenario(scenario)
    when = f" (as of {sc.as_of.isoformat()})" if sc.as_of else ""
    out.print(f"{sc.id}: {sc.title}{when}")
    if sc.description:
        out.print(sc.description)
    issues = Table(title="issues", title_justify="left")
    for col in ("id", "name", "scale", "status quo", "labelled points"):
        issues.add_column(col)
    for issue in sc.issues:
        sq = issue.status_quo.value if issue.status_quo else float("nan")
        labels = "; ".join(f"{k:g} {v}" for k, v in sorted(issue.scale.labels.items()))
        issues.add_row(
            issue.id, issue.name, f"{issue.scale.min:g}-{issue.scale.max:g}", _fmt(sq), labels
        )
    out.print(issues)
    actors = Table(
        title=f"actors: capability, then position/salience (salience on 0-{sc.salience_scale})",
        title_justify="left",
    )
    actors.add_column("actor")
    actors.add_column("capability", justify="right")
    for iid in sc.issue_ids:
        actors.add_column(iid, justify="right")
    for a in sc.actors:
        cells = [a.id, f"{a.capability.value:g}"]
        for iid in sc.issue_ids:
            st = a.positions.get(iid)
            cap = a.issue_capability.get(iid)
            text = "-" if st is None else f"{st.position:g}/{st.salience:g}"
            if cap is not None:
                text += f" (c {cap.value:g})"
            cells.append(text)
        actors.add_row(*cells)
    out.print(actors)
    if sc.war is not None:
        from accord.scenario.war import war_numbers

        u, r = sc.war.belligerents
        table = Table(
            title=f"war: {u} (side A, the pie) vs {r} (side B) on issue {sc.war.issue}",
            title_justify="left",
        )
        table.add_column("war.", no_wrap=True)
        table.add_column("value", justify="right")
        table.add_column("source")
        table.add_column("note")
        for path, val in war_numbers(sc.war):
            src = ", ".join(val.source) + (" (judgement)" if val.judgement else "")
            table.add_row(path.removeprefix("war."), f"{val.value:g}", src.strip(), val.note or "")
        out.print(table)
    if sc.reference_class is not None:
        rc = sc.reference_class
        kind = ", ".join(
            f"{k} {v}"
            for k, v in rc.model_dump(
                include={"type", "incompatibility", "intensity", "region"}
            ).items()
            if v is not None
        )
        src = ", ".join(rc.source) + (" (judgement)" if rc.judgement else "")
        out.print(
            f"reference class: {kind or 'any war'}, began {rc.start.isoformat()} [{src}]"
            " (accord baserate --scenario)"
        )


@app.command()
@guarded
@lets
def validate(
    file: Annotated[str, typer.Argument(help="Scenario file (.yaml, .yml, .json) or bundled id.")],
    strict: Annotated[
        bool, typer.Option(help="Also require a source or a judgement mark on every number.")
    ] = False,
) -> None:
    """Check a scenario file; exit 2 with one line per problem if it is malformed."""
    from accord.scenario.provenance import unsourced

    sc = load_scenario(file)
    game_unsourced: list[str] = []
    if sc.game is not None:  # the game: section is checked by accord.games
        from accord.games.scenario import game_unsourced as _game_unsourced
        from accord.games.scenario import scenario_template

        game_unsourced = _game_unsourced(scenario_template(sc, file=file))
    out.print(f"ok: {sc.id} ({len(sc.actors)} actors, {len(sc.issues)} issues)")
    if strict:
        missing = unsourced(sc) + game_unsourced
        if missing:
            for path in missing:
                err.print(f"unsourced: {path}")
            err.print(f"{len(missing)} numbers without a source or judgement mark")
            raise typer.Exit(1)


class Format(StrEnum):
    ktab = "ktab"
    decide = "decide"
    bdm = "bdm"
    deu = "deu"
    ktab_xml = "ktab-xml"


@app.command("import")
@guarded
@lets
def import_(
    file: Annotated[Path, typer.Argument(help="File to import.")],
    from_: Annotated[Format, typer.Option("--from", help="Format of the file.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Scenario file to write (a folder for deu)."),
    ] = None,
    capability: Annotated[
        str, typer.Option(help="deu: capability from nice (Council votes), gdp or equal.")
    ] = "nice",
    salience_scale: Annotated[
        int | None, typer.Option(help="bdm: saliences on 0-1 (1) or 0-100 (100).")
    ] = None,
) -> None:
    """Import a KTAB, decide, BDM or DEU file as accord scenarios.

    ``--let`` what-ifs are applied to every imported scenario before it is written (each
    checked as a file is, and marked as judgement in the file written)."""
    from accord.scenario import importers
    from accord.scenario.io import dump, dumps

    options: dict[str, Any] = {}
    notes: list[str] = []
    if from_ is Format.deu:
        if capability not in ("nice", "gdp", "equal"):
            raise ScenarioError.single("--capability", "use nice, gdp or equal", capability)
        options["capability"] = capability
    if from_ is Format.bdm:
        if salience_scale not in (None, 1, 100):
            raise ScenarioError.single("--salience-scale", "use 1 or 100", salience_scale)
        options["salience_scale"] = salience_scale
        options["notes"] = notes
    if from_ is Format.ktab_xml or (from_ is Format.ktab and file.suffix.lower() == ".xml"):
        options["notes"] = notes
    scenarios = importers.read(from_.value, file, **options)
    for note in notes:
        err.print(f"note: {note}")
    several = len(scenarios) > 1
    scenarios = [
        apply_what_ifs(sc, str(file), label=sc.id if several else None) for sc in scenarios
    ]
    if output is None:
        if len(scenarios) > 1:
            raise ScenarioError.single("-o", "this file holds several scenarios: give a folder")
        sys.stdout.write(dumps(scenarios[0]))
        return
    if len(scenarios) > 1 or from_ is Format.deu or output.is_dir():
        folder = OutputFolder(output, "-o")
        for sc in scenarios:
            folder.write_text(f"{sc.id}.yaml", dumps(sc))
        folder.report_renames()
        renamed = f" ({len(folder.renamed)} renamed, see the notes)" if folder.renamed else ""
        err.print(f"wrote {len(folder.written)} scenarios to {output}/{renamed}")
    else:
        dump(scenarios[0], output)
        err.print(f"wrote {output}")


@app.command()
@guarded
@lets
def export(
    scenario: Annotated[list[str], typer.Argument(help="Scenario files or bundled ids.")],
    to: Annotated[Format, typer.Option("--to", help="Format to write.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    issue: Annotated[
        list[str] | None,
        typer.Option(
            "--issue", help="Export only this issue (repeatable); bdm and deu hold one issue."
        ),
    ] = None,
) -> None:
    """Export scenarios to a KTAB, decide, BDM or DEU file."""
    from accord.scenario import importers

    notes: list[str] = []
    scenarios = [load_scenario(s) for s in scenario]
    importers.export(to.value, scenarios, output, notes=notes, issues=issue)
    for note in notes:
        err.print(f"note: {note}")
    err.print(f"wrote {output}")


@app.command()
@guarded
def schema(
    output: Annotated[
        bool,
        typer.Option(
            "--output", help="The schema of a command's --json output instead (all without one)."
        ),
    ] = False,
    command: Annotated[
        list[str] | None,
        typer.Argument(help="With --output: the command, e.g. run, settle, war fight."),
    ] = None,
) -> None:
    """Print the JSON Schema of scenario files, or with --output of the --json output."""
    if output:
        from accord.analysis.output_schema import output_schema, output_schemas

        name = " ".join(command or [])
        data = output_schema(name) if name else output_schemas()
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    if command:
        raise ModelError("a command name needs --output", path="schema", value=" ".join(command))
    from accord.scenario.schema import Scenario as Schema

    sys.stdout.write(json.dumps(Schema.model_json_schema(), indent=2) + "\n")


@app.command()
@guarded
def scenarios() -> None:
    """List the bundled scenarios."""
    from accord import scenarios as bundled

    table = Table(title="bundled scenarios", title_justify="left")
    for col in ("id", "as of", "actors", "issues", "title"):
        table.add_column(col)
    for e in bundled.catalog():
        table.add_row(
            e.id, e.as_of.isoformat() if e.as_of else "-", str(e.actors), str(e.issues), e.title
        )
    out.print(table)


@app.command()
def models() -> None:
    """List the models and their options."""
    from accord import models as registry

    table = Table(title="models", title_justify="left")
    for col in ("name", "summary", "options"):
        table.add_column(col)
    for name in registry.available():
        cls = registry.get(name)
        opts = ", ".join(cls.options_type.model_fields)
        table.add_row(name, cls.summary, opts)
    out.print(table)


def _version(value: bool) -> None:
    if value:
        out.print(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """accord: model, forecast and stress-test negotiated settlements."""


def main() -> None:
    app()


# Sub-commands import their module only when they run (accord.cli.lazy); the help line is
# the first paragraph of the command's own help (tests/test_startup.py checks each).
lazy_command(
    app,
    "settle",
    "accord.cli.settle:settle",
    "Will the war end in a negotiated settlement, when, on what terms, and why not.",
)
lazy_command(
    app,
    "baserate",
    "accord.cli.baserate:baserate",
    "How wars of a reference class ended: P(end within 6, 12, 24 months | lasted so far).",
)
lazy_command(
    app,
    "deals",
    "accord.cli.deals:deals",
    "Package deals: the Pareto frontier, Nash, Kalai–Smorodinsky, egalitarian and\n"
    "utilitarian solutions, and the zone of possible agreement.",
)
lazy_command(
    app,
    "report",
    "accord.cli.report:report",
    "Write a self-contained HTML briefing: scenario, forecasts, back-test, war, narrative.",
)
lazy_command(
    app,
    "app",
    "accord.cli.dashboard:app_command",
    "Serve the dashboard: scenarios, table editing, models, the war's levers, and an\n"
    "ensemble explorer over sweep results (--results).",
)
lazy_command(
    app,
    "sweep",
    "accord.cli.sweep:sweep",
    "Run models or war verbs over draws of the scenario's uncertain numbers.",
)
lazy_command(
    app,
    "sensitivity",
    "accord.cli.sweep:sensitivity",
    "Which uncertain numbers drive an output: Sobol, Morris or a tornado.",
)
lazy_command(
    app,
    "discover",
    "accord.cli.sweep:discover",
    "PRIM scenario discovery: where in the uncertain numbers the event happens.",
)
lazy_command(
    app,
    "timeline",
    "accord.cli.timeline:timeline",
    "Per as-of date of a series: P(settlement) in 6 and 12 months, the expected front,\n"
    "P(escalation), P(swap), the main obstacle, the models' point, and what changed.",
)
lazy_command(
    app,
    "diff",
    "accord.cli.timeline:diff",
    "The numbers that differ between two scenarios, by path, old and new with their sources.",
)
lazy_group(
    app, "backtest", "accord.cli.backtest:backtest_app", "Back-test models against real outcomes."
)
lazy_group(
    app,
    "war",
    "accord.cli.war:war_app",
    "War termination: bargaining range, private information, fighting, commitment, "
    "brinkmanship, land swaps, mediation, durability. Side A is the scenario's first "
    "belligerent (its share of the issue is the pie), side B the second.",
)
lazy_group(app, "results", "accord.cli.sweep:results_app", "Query the results store of a sweep.")
lazy_group(
    app,
    "game",
    "accord.cli.game:game_app",
    "Escalation games: extensive-form trees (.efg, .nfg, YAML, a scenario's game: section), "
    "subgame-perfect, logit-QRE and Nash solutions, tree drawings.",
)
