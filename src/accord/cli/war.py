"""``accord war``: the war-termination models on a scenario's ``war:`` section.

Every parameter can be set or overridden on the command line (``--p 0.3 --c-a 0.1``);
without a scenario argument the flagship scenario is used. ``--plot FILE`` writes a figure
(.png, .svg, .pdf or .html). Parsing and printing only: the numbers come from
:mod:`accord.analysis.war` and :mod:`accord.war`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.table import Table

from accord.cli.common import err, guarded, lets, load_scenario, out, what_if
from accord.errors import ModelError

if TYPE_CHECKING:
    from accord.scenario.schema import Issue, Scenario

war_app = typer.Typer(
    help="War termination: bargaining range, private information, fighting, commitment, "
    "brinkmanship, land swaps, mediation, durability. Side A is the scenario's first "
    "belligerent (its share of the issue is the pie), side B the second.",
    no_args_is_help=True,
)

F = TypeVar("F", bound=Callable[..., Any])


def _opt(help_: str, name: str) -> Any:
    return typer.Option(name, help=help_)


# What every verb takes (a scenario, --plot, --json), and the model options that several
# verbs take with the same meaning. A verb declares the rest: the options that are its own.
ScenarioArg = Annotated[
    str | None,
    typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
]
PlotOpt = Annotated[
    Path | None, typer.Option("--plot", help="Write a figure: .png, .svg, .pdf or .html.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the parameters and results as one JSON object.")
]
WinOpt = Annotated[float | None, _opt("P(side A prevails).", "--p")]
CostAOpt = Annotated[float | None, _opt("Side A's cost of war.", "--c-a")]
CostBOpt = Annotated[float | None, _opt("Side B's cost of war.", "--c-b")]


def _verb(name: str) -> Callable[[F], F]:
    """Register ``accord war NAME``: accord's error handling (:func:`guarded`) and the
    ``--let`` what-ifs (:func:`lets`) around the verb."""

    def register(fn: F) -> F:
        command = guarded(lets(fn))
        war_app.command(name)(command)
        return command

    return register


def _f(x: Any, digits: int = 3) -> str:
    x = float(x)
    return "-" if x != x else f"{x:.{digits}f}"


def _header(sc: Scenario, what: str) -> None:
    when = f" (as of {sc.as_of.isoformat()})" if sc.as_of else ""
    from accord.analysis.war import war_issue

    pie = ""
    if sc.war is not None:
        a, b = sc.war.belligerents
        pie = f"; side A = {a} (the pie is its share of issue {sc.war.issue}), side B = {b}"
    elif (issue := war_issue(sc)) is not None:
        pie = f"; no war section: the pie is side A's share of issue {issue}, its only issue"
    else:
        pie = "; no war section: the pie is side A's share, 0-100"
    out.print(f"{sc.id}{when}: {what}{pie}")


def _table(title: str, columns: Iterable[str], *, left: Collection[str] = ()) -> Table:
    """An empty table titled on the left: the columns named in ``left`` hold text and are
    aligned left, the others hold numbers and are aligned right."""
    t = Table(title=title, title_justify="left")
    for col in columns:
        t.add_column(col, justify="left" if col in left else "right")
    return t


def _params_table(params: dict[str, Any], origins: dict[str, str]) -> Table:
    t = _table("parameters", ("parameter", "value", "from"), left=("parameter", "from"))
    for k, v in params.items():
        if isinstance(v, dict | tuple):
            text = ", ".join(f"{a}: {b}" for a, b in v.items()) if isinstance(v, dict) else str(v)
        else:
            text = f"{v:g}" if isinstance(v, float) else str(v)
        t.add_row(k, text, origins[k])
    return t


def _origin_text(x: Any) -> str:
    from accord.analysis.war import origin

    return origin(x) or "-"


def _results_table(rows: list[tuple[str, str, str]]) -> Table:
    t = _table("results", ("quantity", "value", "meaning"), left=("quantity", "meaning"))
    for row in rows:
        t.add_row(*row)
    return t


def _on_scale(sc: Scenario, x: float) -> str:
    from accord.analysis.war import pie_label, territory_of

    pos, qty = territory_of(sc, min(max(x, 0.0), 1.0))
    issue = pie_label(sc)
    text = f"{issue} {pos:.1f}"
    if qty is not None and issue in sc.issue_ids:
        q = sc.issue(issue).quantity
        if q is not None:
            text += f" ({qty:,.0f} {q.unit})"
    return text


def _check_plot(path: Path | None) -> None:
    """Refuse an unknown figure format before any work is done."""
    from accord.report.save import figure_format

    if path is not None:
        figure_format(path)


_VERBS = {
    "bargaining_range": "range",
    "screening": "screen",
    "fight": "fight",
    "commitment_window": "commit",
    "brinkmanship": "brink",
    "land_swap": "swap",
    "mediation": "mediate",
    "durability": "durability",
}


class _Report:
    """One run of a verb: its scenario, its parameters, and what it prints: tables on the
    console, or one JSON object with ``--json``.

    The JSON object holds the scenario (id, as-of date), the model, the sides (actor ids
    of side A and side B), every parameter with its value and origin, the results and the
    notes.
    """

    def __init__(self, sc: Scenario, model: str, as_json: bool, seed: int | None) -> None:
        self.sc, self.model, self.as_json = sc, model, as_json
        self.seed = seed  # the verbs that draw at random have one
        self.params: dict[str, Any] = {}
        self.given: set[str] = set()
        self.results: dict[str, Any] = {}
        self.notes: list[str] = []

    @property
    def actors(self) -> tuple[str, str]:
        """The actor ids of side A and side B, as the tables name them."""
        return self.sc.war.belligerents if self.sc.war is not None else ("side A", "side B")

    @property
    def issue(self) -> Issue | None:
        """The scenario's issue the pie measures (None where the pie is in its own units)."""
        from accord.analysis.war import war_issue

        issue = war_issue(self.sc)
        return self.sc.issue(issue) if issue is not None and issue in self.sc.issue_ids else None

    def inputs(self, inputs: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        """The model's parameters: the scenario's ``inputs`` with the command line's
        ``overrides`` (the options given, not None) applied; a value still missing is an
        error naming its option."""
        from accord.analysis.war import merge

        self.given = {k for k, v in overrides.items() if v is not None}
        self.params = merge(inputs, overrides)
        return self.params

    def print(self, obj: Any) -> None:
        if not self.as_json:
            out.print(obj)

    def start(self, what: str) -> None:
        """The first lines a verb prints: the scenario, what it computes, which actor is
        which side, and the parameters with their origins."""
        if not self.as_json:
            _header(self.sc, what)
            self.print(_params_table(self.params, self._origins()))

    def _origins(self) -> dict[str, str]:
        from accord.analysis.war import provenance

        origin = provenance(self.sc)
        return {
            k: "command line" if k in self.given else origin.get(k, "default") for k in self.params
        }

    def table(self, rows: list[tuple[str, str, str]]) -> None:
        self.print(_results_table(rows))

    def note(self, *results: Any) -> None:
        for r in results:
            for note in r.get("notes", []):
                self.notes.append(note)
                self.print(f"note: {note}")

    def save(self, fig: Any, path: Path, title: str) -> None:
        from accord.report.save import save_figure

        save_figure(fig, path, title=title)
        err.print(f"wrote {path}")

    def finish(self) -> None:
        if not self.as_json:
            return
        from accord.analysis import output
        from accord.analysis.war import sides

        a, b = sides(self.sc)
        origins = self._origins()
        result = {
            "model": self.model,
            "sides": {"A": a, "B": b},
            "parameters": {k: {"value": v, "from": origins[k]} for k, v in self.params.items()},
            "results": self.results,
            "notes": self.notes,
        }
        payload = output.envelope(
            "war " + _VERBS[self.model],
            result,
            scenario=self.sc,
            options={k: self.params[k] for k in sorted(self.given)},
            seed=self.seed,
            what_if=what_if(),
        )
        sys.stdout.write(output.dumps(payload))


def _begin(
    scenario: str | None,
    model: str,
    as_json: bool,
    *,
    plot: Path | None = None,
    seed: int | None = None,
) -> _Report:
    """What every verb does first: refuse an unknown figure format before any work, load
    the scenario (with the command's ``--let`` what-ifs) and open the verb's report."""
    _check_plot(plot)
    return _Report(load_scenario(scenario), model, as_json, seed)


@_verb("range")
def range_(
    scenario: ScenarioArg = None,
    p: WinOpt = None,
    c_a: CostAOpt = None,
    c_b: CostBOpt = None,
    rho_a: Annotated[float, _opt("Side A's utility exponent (1 = risk neutral).", "--rho-a")] = 1.0,
    rho_b: Annotated[float, _opt("Side B's utility exponent.", "--rho-b")] = 1.0,
    feasible: Annotated[
        str | None,
        _opt("Only these splits are possible, e.g. '0,1' (indivisibility).", "--feasible"),
    ] = None,
    side_payment: Annotated[
        float, _opt("Largest side payment (pie units).", "--side-payment")
    ] = 0.0,
    plot: PlotOpt = None,
    json_: JsonOpt = False,
) -> None:
    """M1 (Fearon 1995): the splits both sides prefer to war."""
    from accord import war
    from accord.analysis.war import pie_label, range_inputs, range_sweep, territory_of

    _check_plot(plot)  # before --feasible, as the other verbs check it first
    xs: list[float] = []
    if feasible is not None:
        try:
            xs = [float(v) for v in feasible.split(",")]
        except ValueError:
            raise ModelError(
                "expected numbers separated by commas", path="--feasible", value=feasible
            ) from None
    rep = _begin(scenario, "bargaining_range", json_, plot=plot)
    sc = rep.sc
    params = rep.inputs(range_inputs(sc), p=p, c_A=c_a, c_B=c_b)
    r = war.bargaining_range(params["p"], params["c_A"], params["c_B"], rho_A=rho_a, rho_B=rho_b)
    rep.start("bargaining range (Fearon 1995)")
    rows = [
        ("low", _f(r.low), f"side A's minimum: {_on_scale(sc, float(r.low))}"),
        ("high", _f(r.high), f"side B's maximum concession: {_on_scale(sc, float(r.high))}"),
        ("width", _f(r.width), "c_A + c_B under risk neutrality"),
        ("midpoint", _f(r.midpoint), _on_scale(sc, float(r.midpoint))),
        ("empty", str(bool(r.empty)), "no split both prefer to war"),
    ]
    if feasible is not None:
        ind = war.indivisible_settlement(
            params["p"], params["c_A"], params["c_B"], xs, side_payment=side_payment
        )
        rows += [
            (
                "indivisible: settles",
                str(bool(ind.exists)),
                f"splits {feasible}, side payment <= {side_payment:g}",
            ),
            ("indivisible: split", _f(ind.split), "feasible split nearest the midpoint"),
            ("indivisible: transfer", _f(ind.transfer), "payment needed (+: to side A)"),
            (
                "indivisible: gap",
                _f(ind.gap),
                "distance of the nearest feasible split to the range",
            ),
        ]
    on_scale = {k: territory_of(sc, min(max(float(r[k]), 0.0), 1.0))[0] for k in ("low", "high")}
    rep.results.update(
        {k: r[k] for k in ("low", "high", "width", "midpoint", "empty")}, on_scale=on_scale
    )
    if feasible is not None:
        rep.results["indivisible"] = {
            "feasible": xs,
            "side_payment": side_payment,
            **{k: ind[k] for k in ("exists", "split", "transfer", "gap")},
        }
    rep.table(rows)
    rep.note(r)
    issue = rep.issue
    sq = issue.status_quo.value if issue is not None and issue.status_quo is not None else None
    if issue is not None and sq is not None:
        inside = on_scale["low"] <= sq <= on_scale["high"]
        where = "inside" if inside else "outside"
        rep.print(f"status quo {issue.id} {sq:g} is {where} the range")
        rep.results["status_quo"] = {"value": sq, "inside": inside}
    if plot is not None:
        from accord.report.war import range_figure

        sq_pie = None
        if issue is not None and sq is not None:  # the figure's axes are in pie units x 100
            sq_pie = 100 * (sq - issue.scale.min) / issue.scale.width
        fig = range_figure(
            range_sweep(params),
            params["p"],
            status_quo=sq_pie,
            side=rep.actors[0],
            issue=pie_label(sc),
            title=f"{sc.id}: bargaining range",
        )
        rep.save(fig, plot, f"{sc.id}: bargaining range")
    rep.finish()


@_verb("screen")
def screen(
    scenario: ScenarioArg = None,
    p: WinOpt = None,
    c_a: Annotated[float | None, _opt("Offerer's cost of war.", "--c-a")] = None,
    c_b: Annotated[float | None, _opt("Receiver's cost (two-type model).", "--c-b")] = None,
    c_bar: Annotated[float | None, _opt("Receiver's cost ~ U[0, c_bar].", "--c-bar")] = None,
    p_w: Annotated[float | None, _opt("Offerer's odds against a weak receiver.", "--p-w")] = None,
    p_s: Annotated[float | None, _opt("Offerer's odds against a strong receiver.", "--p-s")] = None,
    mu: Annotated[float | None, _opt("Prior that the receiver is strong.", "--mu")] = None,
    json_: JsonOpt = False,
) -> None:
    """M2 (Fearon 1995; Powell 2004): the risk-return offer and the screening threshold."""
    from accord import war
    from accord.analysis.war import screen_inputs

    rep = _begin(scenario, "screening", json_)
    sc = rep.sc
    params = rep.inputs(
        screen_inputs(sc), p=p, c_A=c_a, c_B=c_b, c_bar=c_bar, p_w=p_w, p_s=p_s, mu=mu
    )
    cont = war.screen_continuous(params["p"], params["c_A"], params["c_bar"])
    two = war.screen_two_types(
        params["p_w"], params["p_s"], params["c_A"], params["c_B"], params["mu"]
    )
    rep.start("private information (risk-return and screening)")
    rows = [
        (
            "x*",
            _f(cont.x_star),
            f"optimal demand, continuous type: {_on_scale(sc, float(cont.x_star))}",
        ),
        ("P(war)", _f(cont.p_war), "(c_bar - c_A)/(2 c_bar): the offer is refused"),
        ("mu*", _f(two.mu_star), "two types: risky offer iff mu < mu*"),
        (
            "offer",
            _f(two.offer),
            f"{'risky' if two.risky else 'safe'} offer: {_on_scale(sc, float(two.offer))}",
        ),
        ("P(war), two types", _f(two.p_war), "mu if the risky offer is made, else 0"),
    ]
    if bool(cont.capped):
        rows.append(("capped", "True", "the optimal demand hit the whole pie"))
    rep.results.update(
        continuous={k: cont[k] for k in ("x_star", "p_war", "expected_utility", "capped")},
        two_types={k: two[k] for k in ("mu_star", "risky", "offer", "p_war", "expected_utility")},
    )
    rep.table(rows)
    rep.note(cont, two)
    rep.finish()


@_verb("fight")
def fight(
    scenario: ScenarioArg = None,
    states: Annotated[int | None, _opt("Front steps N.", "--states")] = None,
    start: Annotated[
        int | None, _opt("Front state now (default: the status quo).", "--start")
    ] = None,
    theta: Annotated[float | None, _opt("True P(side A wins a battle).", "--theta")] = None,
    alpha_a: Annotated[float | None, _opt("Side A's Beta prior alpha.", "--alpha-a")] = None,
    beta_a: Annotated[float | None, _opt("Side A's Beta prior beta.", "--beta-a")] = None,
    alpha_b: Annotated[float | None, _opt("Side B's Beta prior alpha.", "--alpha-b")] = None,
    beta_b: Annotated[float | None, _opt("Side B's Beta prior beta.", "--beta-b")] = None,
    c_a: CostAOpt = None,
    c_b: CostBOpt = None,
    max_battles: Annotated[int | None, _opt("Battles simulated at most.", "--max-battles")] = None,
    runs: Annotated[int, _opt("Monte Carlo runs.", "--runs")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed.", min=0)] = 0,
    weight: Annotated[float, _opt("Side A's Nash weight (0.5 = midpoint).", "--weight")] = 0.5,
    learn: Annotated[
        bool, typer.Option("--learn/--no-learn", help="Update beliefs by battles.")
    ] = True,
    plot: PlotOpt = None,
    json_: JsonOpt = False,
) -> None:
    """M3 (Wagner 2000; Slantchev 2003): bargaining while fighting, Monte Carlo."""
    from accord import war
    from accord.analysis.war import fight_inputs, pie_label

    rep = _begin(scenario, "fight", json_, plot=plot, seed=seed)
    sc = rep.sc
    params = rep.inputs(
        fight_inputs(sc), N=states, start=start, theta=theta, alpha_A=alpha_a, beta_A=beta_a,
        alpha_B=alpha_b, beta_B=beta_b, c_A=c_a, c_B=c_b, max_battles=max_battles,
    )  # fmt: skip
    r = war.fight(
        params["N"], params["start"], params["theta"], params["alpha_A"], params["beta_A"],
        params["alpha_B"], params["beta_B"], params["c_A"], params["c_B"],
        runs=runs, max_battles=params["max_battles"], rng=seed, update=learn, weight=weight,
        territory=params["territory"], keep_paths=plot is not None,
    )  # fmt: skip
    rep.start(f"bargaining while fighting ({runs:,} runs, seed {seed})")
    lo, hi = r.range0
    rows = [
        ("optimism gap now", _f(r.gap0), "E_A[W] - E_B[W]; settlement iff <= c_A + c_B"),
        ("settlement range now", f"[{_f(lo)}, {_f(hi)}]", "empty if low > high"),
    ]
    a_id, b_id = rep.actors
    label = {"a_won": f"{a_id} won", "b_won": f"{b_id} won"}
    for name, share in r.p_outcome.items():
        rows.append((f"P({label.get(name, name)})", _f(share), "share of runs"))
    rows.append(
        (
            "mean battles",
            f"{r.mean_time:.2f} ± {r.se_time:.2f}",
            "until settlement or a decisive end (± s.e.)",
        )
    )
    import numpy as np

    settled = r.outcome == 0
    if settled.any():
        q = np.quantile(r.time[settled], [0.1, 0.5, 0.9])
        rows.append(("settlement time 10/50/90%", " / ".join(f"{v:g}" for v in q), "battles"))
        tq = np.quantile(r.territory[settled], [0.1, 0.5, 0.9])
        rows.append(
            (
                f"settlement {pie_label(sc)} 10/50/90%",
                " / ".join(f"{v:.1f}" for v in tq),
                "on the issue scale",
            )
        )
    fq = np.quantile(r.territory, [0.1, 0.5, 0.9])
    rows.append(
        (
            "final line 10/50/90%",
            " / ".join(f"{v:.1f}" for v in fq),
            "settlement, decisive end or the front",
        )
    )
    rep.results.update(
        gap0=r.gap0,
        range0=list(r.range0),
        p_outcome={label.get(k, k): v for k, v in r.p_outcome.items()},
        mean_time=r.mean_time,
        se_time=r.se_time,
        mean_time_ended=r.mean_time_ended,
        final_line_quantiles={"10%": fq[0], "50%": fq[1], "90%": fq[2]},
        runs=runs,
        seed=seed,
    )
    if settled.any():
        rep.results["settlement_time_quantiles"] = dict(zip(("10%", "50%", "90%"), q, strict=True))
        rep.results["settlement_line_quantiles"] = dict(zip(("10%", "50%", "90%"), tq, strict=True))
    rep.table(rows)
    rep.note(r)
    t0, t1 = params["territory"]
    front = t0 + (t1 - t0) * params["start"] / params["N"]
    rep.print(
        f"W is the chance the front reaches state {params['N']} ({t1:g}) before 0 ({t0:g}), "
        f"from state {params['start']} ({front:.1f}) now: each side values fighting on by "
        "the war's expected end (Wagner 2000), so a settlement tracks where the war is "
        "heading, not where the line stands."
    )
    if plot is not None:
        from accord.report.war import fan_chart

        fig = fan_chart(r, sides=rep.actors, issue=pie_label(sc), title=f"{sc.id}: front paths")
        rep.save(fig, plot, f"{sc.id}: front paths")
    rep.finish()


@_verb("commit")
def commit(
    scenario: ScenarioArg = None,
    p: Annotated[float | None, _opt("Side A's win probability now.", "--p")] = None,
    q_a0: Annotated[float | None, _opt("Side A's later odds without guarantees.", "--q-a0")] = None,
    q_b0: Annotated[float | None, _opt("Side B's later odds without guarantees.", "--q-b0")] = None,
    gamma_a: Annotated[float | None, _opt("Guarantee's gain to side A's q.", "--gamma-a")] = None,
    gamma_b: Annotated[float | None, _opt("Guarantee's loss to side B's q.", "--gamma-b")] = None,
    delta: Annotated[float | None, _opt("Per-period discount factor.", "--delta")] = None,
    d_a: Annotated[float | None, _opt("Side A's per-period war cost.", "--d-a")] = None,
    d_b: Annotated[float | None, _opt("Side B's per-period war cost.", "--d-b")] = None,
    rho_a: Annotated[
        float | None, _opt("Side A's perceived reneging probability.", "--rho-a")
    ] = None,
    rho_b: Annotated[
        float | None, _opt("Side B's perceived reneging probability.", "--rho-b")
    ] = None,
    rho_bar: Annotated[
        float | None, _opt("Reiter threshold for absolute aims.", "--rho-bar")
    ] = None,
    plot: PlotOpt = None,
    json_: JsonOpt = False,
) -> None:
    """M4 (Powell 2006; Reiter 2009): power shifts, guarantees and the commitment window."""
    from accord import war
    from accord.analysis.war import commit_inputs, window_curves

    rep = _begin(scenario, "commitment_window", json_, plot=plot)
    sc = rep.sc
    params = rep.inputs(
        commit_inputs(sc), p=p, q_A0=q_a0, q_B0=q_b0, gamma_A=gamma_a, gamma_B=gamma_b,
        delta=delta, d_A=d_a, d_B=d_b, rho_A=rho_a, rho_B=rho_b, rho_bar=rho_bar,
    )  # fmt: skip
    w = war.commitment_window(**params)
    fight_a = war.power_shift(params["p"], params["q_A0"], params["delta"], params["d_A"])
    fight_b = war.power_shift(1 - params["p"], params["q_B0"], params["delta"], params["d_B"])
    rep.start("commitment problem and guarantees")
    u, r_ = rep.actors
    rows = [
        (
            f"{u} fights now (g = 0)",
            str(bool(fight_a.war)),
            f"δ(p-q) = {_f(fight_a.lhs)} vs (1-δ)(1-p+d) = {_f(fight_a.rhs)}",
        ),
        (
            f"{r_} fights now (g = 0)",
            str(bool(fight_b.war)),
            f"δ(p-q) = {_f(fight_b.lhs)} vs (1-δ)(1-p+d) = {_f(fight_b.rhs)}",
        ),
        (f"{u} needs g >=", _f(w.bound_A), "its no-war condition with guarantees"),
        (f"{r_} accepts g <=", _f(w.bound_B), "its no-war condition with guarantees"),
        (
            "window",
            f"[{_f(w.low)}, {_f(w.high)}]" if w.nonempty else "empty",
            "guarantee strengths both accept",
        ),
    ]
    if w.absolute_A or w.absolute_B:
        rows.append(
            (
                "absolute aims",
                f"{u}: {bool(w.absolute_A)}, {r_}: {bool(w.absolute_B)}",
                "rho > rho_bar (Reiter)",
            )
        )
    rep.results.update(
        {k: w[k] for k in ("low", "high", "nonempty", "bound_A", "bound_B")},
        fights_now={u: bool(fight_a.war), r_: bool(fight_b.war)},
        absolute_aims={u: bool(w.absolute_A), r_: bool(w.absolute_B)},
    )
    rep.table(rows)
    rep.note(w)
    if not w.nonempty:
        rep.print("no guarantee strength satisfies both sides: war persists whatever the split")
    if plot is not None:
        from accord.report.war import window_figure

        fig = window_figure(
            window_curves(params), w, sides=(u, r_), title=f"{sc.id}: commitment window"
        )
        rep.save(fig, plot, f"{sc.id}: commitment window")
    rep.finish()


@_verb("brink")
def brink(
    scenario: ScenarioArg = None,
    pi_bar: Annotated[float | None, _opt("P(prevail) at full power.", "--pi-bar")] = None,
    a: Annotated[float | None, _opt("Power exponent of P(prevail).", "--a")] = None,
    r_bar: Annotated[float | None, _opt("P(catastrophe) at full power.", "--r-bar")] = None,
    b: Annotated[float | None, _opt("Power exponent of P(catastrophe), > a.", "--b")] = None,
    v: Annotated[float | None, _opt("Value of prevailing.", "--v")] = None,
    d: Annotated[float | None, _opt("Cost of catastrophe (units of V).", "--d")] = None,
    phi_d: Annotated[float | None, _opt("P(the defender is more resolute).", "--phi-d")] = None,
    gain: Annotated[float | None, _opt("Gain from escalation (units of trade).", "--gain")] = None,
    r_use: Annotated[float | None, _opt("P(catastrophe | use).", "--r-use")] = None,
    d_use: Annotated[
        float | None, _opt("Cost of catastrophe after use (units of trade).", "--d-use")
    ] = None,
    y: Annotated[float | None, _opt("The escalating side's external trade.", "--y")] = None,
    json_: JsonOpt = False,
) -> None:
    """M7 (Schelling; simplified reading of Powell 2015): power vs risk, and escalation."""
    from accord import war
    from accord.analysis.war import brink_inputs

    rep = _begin(scenario, "brinkmanship", json_)
    params = rep.inputs(
        brink_inputs(rep.sc), pi_bar=pi_bar, a=a, r_bar=r_bar, b=b, V=v, D=d, phi_D=phi_d,
        gain=gain, r_use=r_use, D_use=d_use, Y=y,
    )  # fmt: skip
    partners: dict[str, tuple[float, float]] = params["partners"]
    k = war.optimal_power(
        params["pi_bar"], params["a"], params["r_bar"], params["b"], params["V"], params["D"]
    )
    cap = war.optimal_power(
        params["pi_bar"],
        params["a"],
        params["r_bar"],
        params["b"],
        params["V"],
        params["D"],
        phi_D=params["phi_D"],
    )
    rep.start("brinkmanship (simplified reading of Powell 2015) and partner repositioning")
    rows = [
        ("k*", _f(k.k_star), "power chosen when resolve favours the challenger"),
        ("k̂(phi_D)", _f(cap.k_star), "power cap when the defender may be more resolute"),
        ("P(prevail), P(catastrophe)", f"{_f(cap.p_prevail)}, {_f(cap.p_catastrophe)}", "at k̂"),
    ]
    rep.results.update(
        k_star=k.k_star,
        k_cap=cap.k_star,
        p_prevail=cap.p_prevail,
        p_catastrophe=cap.p_catastrophe,
    )
    if partners:
        tau = [t for t, _ in partners.values()]
        phi = [f for _, f in partners.values()]
        esc = war.escalation(
            params["gain"], params["r_use"], params["D_use"], params["Y"], tau, phi
        )
        for name, loss in zip(partners, esc.loss_by_partner, strict=True):
            rows.append((f"loss via {name}", f"{loss:.1f}", "Y·tau·phi: expected trade lost"))
        rows += [
            ("E", f"{float(esc.E):.1f}", "expected trade loss, all partners"),
            (
                "threshold",
                f"{float(esc.threshold):.1f}",
                "r_use·D_use + E: the gain escalation needs",
            ),
            ("escalate", str(bool(esc.escalate)), f"gain {params['gain']:g} vs threshold"),
        ]
        rep.results.update(
            loss_by_partner=dict(zip(partners, esc.loss_by_partner, strict=True)),
            E=esc.E,
            threshold=esc.threshold,
            escalate=esc.escalate,
        )
    rep.table(rows)
    rep.finish()


@_verb("swap")
def swap(
    scenario: ScenarioArg = None,
    h: Annotated[float | None, _opt("Monthly hazard that the chip is retaken.", "--h")] = None,
    c: Annotated[float | None, _opt("Chip owner's monthly counter-attack cost.", "--c")] = None,
    alpha: Annotated[
        float | None, _opt("Pressure on the chip owner per unit area per month.", "--alpha")
    ] = None,
    psi: Annotated[
        float | None, _opt("Owner's reputational cost of bargaining over its land.", "--psi")
    ] = None,
    delta: Annotated[float | None, _opt("Monthly discount factor.", "--delta")] = None,
    eta: Annotated[
        float | None, _opt("Decay exponent of the chip's value in its area.", "--eta")
    ] = None,
    months: Annotated[int | None, _opt("Horizon in months.", "--months")] = None,
    plot: PlotOpt = None,
    json_: JsonOpt = False,
) -> None:
    """M5: land for land. Is a swap of a held parcel for occupied land feasible, month by month?"""
    from accord.analysis.war import parcels, swap_chip, swap_inputs, swap_table

    rep = _begin(scenario, "land_swap", json_, plot=plot)
    sc = rep.sc
    swap_chip(sc)  # a scenario without a swap is refused before anything is printed
    params = rep.inputs(
        swap_inputs(sc), h=h, c=c, alpha=alpha, psi=psi, delta=delta, eta=eta, months=months
    )
    res = swap_table(sc, params)
    bare = res["without_psi"]
    a_id, b_id = rep.actors
    who = {"A": a_id, "B": b_id}
    by_name = {p.name: p for p in parcels(sc)}
    chip = by_name[res["chip"]]
    holder, owner = who[chip.holder], who[chip.owner]
    rep.start(f"land for land: {owner}'s {chip.name}, held by {holder}")
    q = rep.issue.quantity if rep.issue is not None else None
    unit = f" ({q.unit})" if q is not None else ""
    columns = ("parcel", "whose", "held by", f"area{unit}", f"value to {a_id}", f"value to {b_id}")
    pt = _table("parcels", columns, left=("parcel", "whose", "held by"))
    for p_ in by_name.values():
        pt.add_row(
            p_.name,
            who[p_.owner],
            who[p_.holder],
            f"{p_.area:,.0f}",
            f"{p_.value_A:.4f}",
            f"{p_.value_B:.4f}",
        )
    rep.print(pt)
    frame = res.to_frame()
    mt = _table(
        "month by month (expected area held, area·(1 - h)^t)",
        ("month", f"area{unit}", "R_swap", "U_swap", "feasible", "parcel", "R_swap, ψ = 0"),
    )
    total = len(frame)
    shown = sorted({0, 1, 2, 3, 6, 9, 12, 18, 24, total - 1} & set(range(total)))
    for m in shown:
        row = frame.iloc[m]
        best = int(row["best"])
        mt.add_row(
            f"{m}",
            f"{row['area']:,.0f}",
            _f(row["R_swap"], 4),
            _f(row["U_swap"], 4),
            str(bool(row["feasible"])),
            res["candidates"][best] if best >= 0 else "-",
            _f(bare["R_swap"][m], 4),
        )
    rep.print(mt)
    first, first_bare = res["first_feasible"], bare["first_feasible"]
    rows = [
        (
            "first feasible month",
            str(first) if first >= 0 else "never",
            f"within {params['months']} months, with ψ = {params['psi']:g}",
        ),
        (
            "without ψ",
            str(first_bare) if first_bare >= 0 else "never",
            f"first feasible month if {owner} bore no reputational cost",
        ),
        ("dR_swap/dh", _f(res["dR_dh"], 4), "the chip depreciates as the recapture hazard rises"),
    ]
    rep.table(rows)
    rep.results.update(
        chip=chip.name,
        holder=holder,
        owner=owner,
        candidates=list(res["candidates"]),
        first_feasible=first,
        first_feasible_without_psi=first_bare,
        dR_dh=res["dR_dh"],
        months=frame.assign(R_swap_without_psi=bare["R_swap"]).to_dict(orient="list"),
    )
    if first < 0 and first_bare >= 0:
        rep.print(
            f"the reputational cost blocks the swap: without it {holder} and {owner} could agree "
            f"from month {first_bare} (Peskov-type refusals are ψ > 0)"
        )
    if plot is not None:
        from accord.report.war import swap_figure

        fig = swap_figure(res, sides=(holder, owner), title=sc.id)
        rep.save(fig, plot, f"{sc.id}: land for land")
    rep.finish()


@_verb("mediate")
def mediate(
    scenario: ScenarioArg = None,
    p: WinOpt = None,
    c_a: CostAOpt = None,
    c_b: CostBOpt = None,
    p_w: Annotated[float | None, _opt("Side A's odds against a weak B.", "--p-w")] = None,
    p_s: Annotated[float | None, _opt("Side A's odds against a strong B.", "--p-s")] = None,
    r_l: Annotated[
        float | None, _opt("P(opponent resolute) after a low-resolve signal.", "--r-l")
    ] = None,
    war_cost: Annotated[
        float | None, _opt("The mediator's own cost of war (pie units).", "--war-cost")
    ] = None,
    p_base: Annotated[float | None, _opt("Favretto: baseline P(settle).", "--p-base")] = None,
    broker: Annotated[float | None, _opt("Favretto: honest-broker effect.", "--broker")] = None,
    force: Annotated[float | None, _opt("Favretto: committed-patron effect.", "--force")] = None,
    kappa: Annotated[float | None, _opt("Favretto: curvature (> 1).", "--kappa")] = None,
    horizon: Annotated[
        int | None, _opt("Horizon of the relapse risk, months.", "--horizon")
    ] = None,
    plot: PlotOpt = None,
    json_: JsonOpt = False,
) -> None:
    """M6 (Kydd 2003; Favretto 2009; Beardsley 2008): mediators' credibility, bias, leverage."""
    from accord.analysis.war import bias_sweep, mediate_inputs, mediation_table

    rep = _begin(scenario, "mediation", json_, plot=plot)
    sc = rep.sc
    params = rep.inputs(
        mediate_inputs(sc), p=p, c_A=c_a, c_B=c_b, p_w=p_w, p_s=p_s, r_L=r_l, war_cost=war_cost,
        p_base=p_base, broker=broker, force=force, kappa=kappa, horizon=horizon,
    )  # fmt: skip
    table = mediation_table(sc, params)
    a_id, b_id = rep.actors
    rep.start("mediation: credibility (Kydd), bias (Favretto), leverage (Beardsley)")
    meds = sc.war.mediators if sc.war is not None else {}
    mt = _table(
        "mediators",
        ("mediator", "bias", "from", "P(settle)", f"credible to {a_id}", f"credible to {b_id}"),
        left=("mediator", "from"),
    )
    lt = _table(
        "leverage (Beardsley): the deal it can buy and its relapse risk",
        ("mediator", "presses", "L0", "decay λ", "deal x", f"P(relapse ≤ {params['horizon']} mo)"),
        left=("mediator", "presses"),
    )
    for row in table:
        m = meds[row["mediator"]]
        toward = f" toward {row['toward']}" if row["toward"] else ""
        mt.add_row(
            row["mediator"],
            f"{row['bias']:g}{toward}",
            _origin_text(m.bias),
            _f(row["p_settle"]),
            str(row[f"credible_{a_id}"]),
            str(row[f"credible_{b_id}"]),
        )
        for who in (a_id, b_id):
            if row[f"L0_{who}"] > 0:
                lt.add_row(
                    row["mediator"],
                    who,
                    f"{row[f'L0_{who}']:g}",
                    f"{row['decay']:g}",
                    f"{row[f'deal_{who}']:.3f} ({_on_scale(sc, row[f'deal_{who}'])})",
                    f"{row[f'p_relapse_{who}']:.3f}",
                )
    rep.print(mt)
    rep.print(lt)
    sweep = bias_sweep(params)
    natural = next((r["p_relapse_natural"] for r in table if "p_relapse_natural" in r), None)
    rows = [
        (
            "least effective bias",
            _f(sweep.argmin[0]),
            f"Favretto's U: P(settle) {float(sweep.p_min[0]):.3f} there, "
            f"{float(sweep.p_settle[0]):.3f} for an honest broker, "
            f"{float(sweep.p_settle[-1]):.3f} for a committed patron",
        ),
    ]
    if natural is not None:
        rows.append(
            (
                "P(relapse), natural deal",
                _f(natural),
                "a deal inside the range, same horizon: the baseline of the leverage table",
            )
        )
    rep.table(rows)
    rep.print(
        "credible to X: the mediator's advice that X concede carries information (Kydd: only a "
        "mediator biased toward X is believed); a deal bought with leverage outside the natural "
        "range relapses more often as the leverage fades (Beardsley)."
    )
    rep.results.update(
        mediators=table,
        least_effective_bias=sweep.argmin[0],
        p_settle_min=sweep.p_min[0],
        p_relapse_natural=natural,
    )
    if plot is not None:
        from accord.report.war import bias_figure

        fig = bias_figure(sweep, table, title=f"{sc.id}: settlement and mediator bias")
        rep.save(fig, plot, f"{sc.id}: mediation")
    rep.finish()


@_verb("durability")
def durability(
    scenario: ScenarioArg = None,
    guarantees: Annotated[
        float | None, _opt("Guarantee strength in [0, 1].", "--guarantees")
    ] = None,
    dmz: Annotated[float | None, _opt("Demilitarised zone in [0, 1].", "--dmz")] = None,
    peacekeepers: Annotated[float | None, _opt("Peacekeepers in [0, 1].", "--peacekeepers")] = None,
    base_hazard: Annotated[
        float | None, _opt("lambda_0: relapse hazard per month.", "--base-hazard")
    ] = None,
    gap: Annotated[
        float | None, _opt("Deal's distance outside the natural range (pie).", "--gap")
    ] = None,
    l0: Annotated[float | None, _opt("Leverage that bought the deal.", "--l0")] = None,
    lam: Annotated[float | None, _opt("Monthly decay factor of that leverage.", "--lam")] = None,
    horizon: Annotated[int | None, _opt("Horizon in months.", "--horizon")] = None,
    plot: PlotOpt = None,
    json_: JsonOpt = False,
) -> None:
    """M9 (Fortna 2003): the relapse hazard of the agreement on the table, feature by feature."""
    from accord.analysis.war import durability_inputs, hazard_curves

    rep = _begin(scenario, "durability", json_, plot=plot)
    sc = rep.sc
    params = rep.inputs(
        durability_inputs(sc), guarantees=guarantees, dmz=dmz, peacekeepers=peacekeepers,
        base_hazard=base_hazard, gap=gap, L0=l0, lam=lam, horizon=horizon,
    )  # fmt: skip
    curves = hazard_curves(params)
    rep.start("durability of the agreement on the table (Fortna 2003)")
    horizon = int(params["horizon"])
    checkpoints = sorted({m for m in (12, 60, horizon) if m <= horizon})
    t = _table(
        "P(relapse within ... months)",
        ("agreement", *(f"{m}" for m in checkpoints), "hazard factor"),
        left=("agreement",),
    )
    labels = {
        "agreement": "as on the table",
        "none": "no features",
        "guarantees": "guarantees only (full)",
        "dmz": "demilitarised zone only (full)",
        "peacekeepers": "peacekeepers only (full)",
        "all": "all three (full)",
    }
    import numpy as np

    # The hazards of month 0: the curves hold months 0..horizon - 1, none at horizon 0.
    now = curves if horizon else hazard_curves({**params, "horizon": 1})
    for name, res in curves.items():
        s = np.asarray(res["survival"])
        factor = np.asarray(now[name]["hazard"])[0] / np.asarray(now["none"]["hazard"])[0]
        t.add_row(labels[name], *(f"{1 - s[m]:.3f}" for m in checkpoints), f"{factor:.3f}")
    rep.print(t)
    agreed = curves["agreement"]
    rows = [
        (
            "P(relapse)",
            _f(agreed["p_relapse"]),
            f"within {horizon} months of the agreement as on the table",
        ),
        (
            "hazard now",
            _f(np.asarray(now["agreement"]["hazard"])[0], 5),
            "per month: λ0·exp(-β·features)·leverage term",
        ),
    ]
    rep.table(rows)
    rep.results.update(
        {
            name: {
                "p_relapse": res["p_relapse"],
                "p_relapse_at": {str(m): 1 - float(res["survival"][m]) for m in checkpoints},
            }
            for name, res in curves.items()
        }
    )
    if plot is not None:
        from accord.report.war import hazard_figure

        fig = hazard_figure(curves, title=f"{sc.id}: relapse hazard of the agreement")
        rep.save(fig, plot, f"{sc.id}: durability")
    rep.finish()


from accord.cli.winset import winset as _winset  # noqa: E402  (M10: its own module)

war_app.command("winset")(_winset)
