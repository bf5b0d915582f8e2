"""``accord war``: the war-termination models on a scenario's ``war:`` section.

Every parameter can be set or overridden on the command line (``--p 0.3 --c-u 0.1``);
without a scenario argument the flagship scenario is used. ``--plot FILE`` writes a figure
(.png, .svg, .pdf or .html). Parsing and printing only: the numbers come from
:mod:`accord.analysis.war` and :mod:`accord.war`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from accord.cli.common import err, guarded, load_scenario, out
from accord.errors import ModelError
from accord.scenario.schema import Scenario

war_app = typer.Typer(
    help="War termination: bargaining range, private information, fighting, commitment, "
    "brinkmanship.",
    no_args_is_help=True,
)

ScenarioArg = Annotated[
    str | None,
    typer.Argument(help="Scenario file, or a bundled id (default: ukraine-2024-08)."),
]
PlotOpt = Annotated[
    Path | None, typer.Option("--plot", help="Write a figure: .png, .svg, .pdf or .html.")
]


def _opt(help_: str, name: str) -> Any:
    return typer.Option(name, help=help_)


def _f(x: Any, digits: int = 3) -> str:
    x = float(x)
    return "-" if x != x else f"{x:.{digits}f}"


def _header(sc: Scenario, what: str) -> None:
    when = f" (as of {sc.as_of.isoformat()})" if sc.as_of else ""
    pie = ""
    if sc.war is not None:
        u, r = sc.war.belligerents
        pie = f"; pie = {u}'s share of issue {sc.war.issue}, opponent {r}"
    out.print(f"{sc.id}{when}: {what}{pie}")


def _params_table(params: dict[str, Any], overridden: set[str], sc: Scenario) -> Table:
    from accord.analysis.war import provenance

    origin = provenance(sc)
    t = Table(title="parameters", title_justify="left")
    t.add_column("parameter")
    t.add_column("value", justify="right")
    t.add_column("from")
    for k, v in params.items():
        if isinstance(v, dict | tuple):
            text = ", ".join(f"{a}: {b}" for a, b in v.items()) if isinstance(v, dict) else str(v)
        else:
            text = f"{v:g}" if isinstance(v, float) else str(v)
        t.add_row(k, text, "command line" if k in overridden else origin.get(k, "default"))
    return t


def _results_table(rows: list[tuple[str, str, str]], title: str = "results") -> Table:
    t = Table(title=title, title_justify="left")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_column("meaning")
    for row in rows:
        t.add_row(*row)
    return t


def _on_scale(sc: Scenario, x: float) -> str:
    from accord.analysis.war import territory_of

    pos, qty = territory_of(sc, min(max(x, 0.0), 1.0))
    issue = sc.war.issue if sc.war is not None else "T"
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


def _save(fig: Any, path: Path, title: str) -> None:
    from accord.report.save import save_figure

    save_figure(fig, path, title=title)
    err.print(f"wrote {path}")


def _notes(*results: Any) -> None:
    for r in results:
        for note in r.get("notes", []):
            out.print(f"note: {note}")


def _run(inputs: dict[str, Any], overrides: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    from accord.analysis.war import merge

    given = {k for k, v in overrides.items() if v is not None}
    return merge(inputs, overrides), given


@war_app.command("range")
@guarded
def range_(
    scenario: ScenarioArg = None,
    p: Annotated[float | None, _opt("P(the pie side prevails).", "--p")] = None,
    c_u: Annotated[float | None, _opt("Pie side's cost of war.", "--c-u")] = None,
    c_r: Annotated[float | None, _opt("Opponent's cost of war.", "--c-r")] = None,
    rho_u: Annotated[
        float, _opt("Pie side's utility exponent (1 = risk neutral).", "--rho-u")
    ] = 1.0,
    rho_r: Annotated[float, _opt("Opponent's utility exponent.", "--rho-r")] = 1.0,
    feasible: Annotated[
        str | None,
        _opt("Only these splits are possible, e.g. '0,1' (indivisibility).", "--feasible"),
    ] = None,
    side_payment: Annotated[
        float, _opt("Largest side payment (pie units).", "--side-payment")
    ] = 0.0,
    plot: PlotOpt = None,
) -> None:
    """M1 (Fearon 1995): the splits both sides prefer to war."""
    from accord import war
    from accord.analysis.war import range_inputs, range_sweep

    _check_plot(plot)
    xs: list[float] = []
    if feasible is not None:
        try:
            xs = [float(v) for v in feasible.split(",")]
        except ValueError:
            raise ModelError(
                "expected numbers separated by commas", path="--feasible", value=feasible
            ) from None
    sc = load_scenario(scenario)
    params, given = _run(range_inputs(sc), {"p": p, "c_U": c_u, "c_R": c_r})
    r = war.bargaining_range(params["p"], params["c_U"], params["c_R"], rho_U=rho_u, rho_R=rho_r)
    _header(sc, "bargaining range (Fearon 1995)")
    out.print(_params_table(params, given, sc))
    rows = [
        ("low", _f(r.low), f"the pie side's minimum: {_on_scale(sc, float(r.low))}"),
        ("high", _f(r.high), f"the opponent's maximum concession: {_on_scale(sc, float(r.high))}"),
        ("width", _f(r.width), "c_U + c_R under risk neutrality"),
        ("midpoint", _f(r.midpoint), _on_scale(sc, float(r.midpoint))),
        ("empty", str(bool(r.empty)), "no split both prefer to war"),
    ]
    if feasible is not None:
        ind = war.indivisible_settlement(
            params["p"], params["c_U"], params["c_R"], xs, side_payment=side_payment
        )
        rows += [
            (
                "indivisible: settles",
                str(bool(ind.exists)),
                f"splits {feasible}, side payment <= {side_payment:g}",
            ),
            ("indivisible: split", _f(ind.split), "feasible split nearest the midpoint"),
            ("indivisible: transfer", _f(ind.transfer), "payment needed (+: to the pie side)"),
            (
                "indivisible: gap",
                _f(ind.gap),
                "distance of the nearest feasible split to the range",
            ),
        ]
    out.print(_results_table(rows))
    _notes(r)
    sq = None
    if sc.war is not None and sc.war.issue in sc.issue_ids:
        st = sc.issue(sc.war.issue).status_quo
        sq = st.value if st is not None else None
    if sq is not None:
        inside = float(r.low) * 100 <= sq <= float(r.high) * 100
        where = "inside" if inside else "outside"
        issue = sc.war.issue if sc.war else "T"
        out.print(f"status quo {issue} {sq:g} is {where} the range")
    if plot is not None:
        from accord.report.war import range_figure

        fig = range_figure(
            range_sweep(params), params["p"], status_quo=sq, title=f"{sc.id}: bargaining range"
        )
        _save(fig, plot, f"{sc.id}: bargaining range")


@war_app.command("screen")
@guarded
def screen(
    scenario: ScenarioArg = None,
    p: Annotated[float | None, _opt("P(the pie side prevails).", "--p")] = None,
    c_u: Annotated[float | None, _opt("Offerer's cost of war.", "--c-u")] = None,
    c_r: Annotated[float | None, _opt("Receiver's cost (two-type model).", "--c-r")] = None,
    c_bar: Annotated[float | None, _opt("Receiver's cost ~ U[0, c_bar].", "--c-bar")] = None,
    p_w: Annotated[float | None, _opt("Offerer's odds against a weak receiver.", "--p-w")] = None,
    p_s: Annotated[float | None, _opt("Offerer's odds against a strong receiver.", "--p-s")] = None,
    mu: Annotated[float | None, _opt("Prior that the receiver is strong.", "--mu")] = None,
) -> None:
    """M2 (Fearon 1995; Powell 2004): the risk-return offer and the screening threshold."""
    from accord import war
    from accord.analysis.war import screen_inputs

    sc = load_scenario(scenario)
    over = {"p": p, "c_U": c_u, "c_R": c_r, "c_bar": c_bar, "p_w": p_w, "p_s": p_s, "mu": mu}
    params, given = _run(screen_inputs(sc), over)
    cont = war.screen_continuous(params["p"], params["c_U"], params["c_bar"])
    two = war.screen_two_types(
        params["p_w"], params["p_s"], params["c_U"], params["c_R"], params["mu"]
    )
    _header(sc, "private information (risk-return and screening)")
    out.print(_params_table(params, given, sc))
    rows = [
        (
            "x*",
            _f(cont.x_star),
            f"optimal demand, continuous type: {_on_scale(sc, float(cont.x_star))}",
        ),
        ("P(war)", _f(cont.p_war), "(c_bar - c_U)/(2 c_bar): the offer is refused"),
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
    out.print(_results_table(rows))
    _notes(cont, two)


@war_app.command("fight")
@guarded
def fight(
    scenario: ScenarioArg = None,
    states: Annotated[int | None, _opt("Front steps N.", "--states")] = None,
    start: Annotated[
        int | None, _opt("Front state now (default: the status quo).", "--start")
    ] = None,
    theta: Annotated[float | None, _opt("True P(pie side wins a battle).", "--theta")] = None,
    alpha_u: Annotated[float | None, _opt("Pie side's Beta prior alpha.", "--alpha-u")] = None,
    beta_u: Annotated[float | None, _opt("Pie side's Beta prior beta.", "--beta-u")] = None,
    alpha_r: Annotated[float | None, _opt("Opponent's Beta prior alpha.", "--alpha-r")] = None,
    beta_r: Annotated[float | None, _opt("Opponent's Beta prior beta.", "--beta-r")] = None,
    c_u: Annotated[float | None, _opt("Pie side's cost of war.", "--c-u")] = None,
    c_r: Annotated[float | None, _opt("Opponent's cost of war.", "--c-r")] = None,
    max_battles: Annotated[int | None, _opt("Battles simulated at most.", "--max-battles")] = None,
    runs: Annotated[int, _opt("Monte Carlo runs.", "--runs")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Seed.", min=0)] = 0,
    weight: Annotated[float, _opt("Pie side's Nash weight (0.5 = midpoint).", "--weight")] = 0.5,
    learn: Annotated[
        bool, typer.Option("--learn/--no-learn", help="Update beliefs by battles.")
    ] = True,
    plot: PlotOpt = None,
) -> None:
    """M3 (Wagner 2000; Slantchev 2003): bargaining while fighting, Monte Carlo."""
    from accord import war
    from accord.analysis.war import fight_inputs

    _check_plot(plot)
    sc = load_scenario(scenario)
    over = {
        "N": states, "start": start, "theta": theta, "alpha_U": alpha_u, "beta_U": beta_u,
        "alpha_R": alpha_r, "beta_R": beta_r, "c_U": c_u, "c_R": c_r, "max_battles": max_battles,
    }  # fmt: skip
    params, given = _run(fight_inputs(sc), over)
    r = war.fight(
        params["N"], params["start"], params["theta"], params["alpha_U"], params["beta_U"],
        params["alpha_R"], params["beta_R"], params["c_U"], params["c_R"],
        runs=runs, max_battles=params["max_battles"], rng=seed, update=learn, weight=weight,
        territory=params["territory"], keep_paths=plot is not None,
    )  # fmt: skip
    _header(sc, f"bargaining while fighting ({runs:,} runs, seed {seed})")
    out.print(_params_table(params, given, sc))
    lo, hi = r.range0
    rows = [
        ("optimism gap now", _f(r.gap0), "E_U[W] - E_R[W]; settlement iff <= c_U + c_R"),
        ("settlement range now", f"[{_f(lo)}, {_f(hi)}]", "empty if low > high"),
    ]
    for name, share in r.p_outcome.items():
        rows.append((f"P({name})", _f(share), "share of runs"))
    rows.append(
        (
            "mean battles",
            f"{r.mean_time:.2f} ± {r.se_time:.2f}",
            "until settlement or a decisive end (± s.e.)",
        )
    )
    settled = r.outcome == 0
    if settled.any():
        q = np.quantile(r.time[settled], [0.1, 0.5, 0.9])
        rows.append(("settlement time 10/50/90%", " / ".join(f"{v:g}" for v in q), "battles"))
        tq = np.quantile(r.territory[settled], [0.1, 0.5, 0.9])
        issue = sc.war.issue if sc.war else "T"
        rows.append(
            (
                f"settlement {issue} 10/50/90%",
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
    out.print(_results_table(rows))
    _notes(r)
    t0, t1 = params["territory"]
    front = t0 + (t1 - t0) * params["start"] / params["N"]
    out.print(
        f"W is the chance the front reaches state {params['N']} ({t1:g}) before 0 ({t0:g}), "
        f"from state {params['start']} ({front:.1f}) now: each side values fighting on by "
        "the war's expected end (Wagner 2000), so a settlement tracks where the war is "
        "heading, not where the line stands."
    )
    if plot is not None:
        from accord.report.war import fan_chart

        _save(fan_chart(r, title=f"{sc.id}: front paths"), plot, f"{sc.id}: front paths")


@war_app.command("commit")
@guarded
def commit(
    scenario: ScenarioArg = None,
    p: Annotated[float | None, _opt("Pie side's win probability now.", "--p")] = None,
    q_u0: Annotated[
        float | None, _opt("Pie side's later odds without guarantees.", "--q-u0")
    ] = None,
    q_r0: Annotated[
        float | None, _opt("Opponent's later odds without guarantees.", "--q-r0")
    ] = None,
    gamma_u: Annotated[
        float | None, _opt("Guarantee's gain to the pie side's q.", "--gamma-u")
    ] = None,
    gamma_r: Annotated[
        float | None, _opt("Guarantee's loss to the opponent's q.", "--gamma-r")
    ] = None,
    delta: Annotated[float | None, _opt("Per-period discount factor.", "--delta")] = None,
    d_u: Annotated[float | None, _opt("Pie side's per-period war cost.", "--d-u")] = None,
    d_r: Annotated[float | None, _opt("Opponent's per-period war cost.", "--d-r")] = None,
    rho_u: Annotated[
        float | None, _opt("Pie side's perceived reneging probability.", "--rho-u")
    ] = None,
    rho_r: Annotated[
        float | None, _opt("Opponent's perceived reneging probability.", "--rho-r")
    ] = None,
    rho_bar: Annotated[
        float | None, _opt("Reiter threshold for absolute aims.", "--rho-bar")
    ] = None,
    plot: PlotOpt = None,
) -> None:
    """M4 (Powell 2006; Reiter 2009): power shifts, guarantees and the commitment window."""
    from accord import war
    from accord.analysis.war import commit_inputs, window_curves

    _check_plot(plot)
    sc = load_scenario(scenario)
    over = {
        "p": p, "q_U0": q_u0, "q_R0": q_r0, "gamma_U": gamma_u, "gamma_R": gamma_r,
        "delta": delta, "d_U": d_u, "d_R": d_r, "rho_U": rho_u, "rho_R": rho_r, "rho_bar": rho_bar,
    }  # fmt: skip
    params, given = _run(commit_inputs(sc), over)
    w = war.commitment_window(**params)
    ukr = war.power_shift(params["p"], params["q_U0"], params["delta"], params["d_U"])
    rus = war.power_shift(1 - params["p"], params["q_R0"], params["delta"], params["d_R"])
    _header(sc, "commitment problem and guarantees")
    out.print(_params_table(params, given, sc))
    u, r_ = sc.war.belligerents if sc.war is not None else ("pie side", "opponent")
    rows = [
        (
            f"{u} fights now (g = 0)",
            str(bool(ukr.war)),
            f"δ(p-q) = {_f(ukr.lhs)} vs (1-δ)(1-p+d) = {_f(ukr.rhs)}",
        ),
        (
            f"{r_} fights now (g = 0)",
            str(bool(rus.war)),
            f"δ(p-q) = {_f(rus.lhs)} vs (1-δ)(1-p+d) = {_f(rus.rhs)}",
        ),
        (f"{u} needs g >=", _f(w.bound_U), "its no-war condition with guarantees"),
        (f"{r_} accepts g <=", _f(w.bound_R), "its no-war condition with guarantees"),
        (
            "window",
            f"[{_f(w.low)}, {_f(w.high)}]" if w.nonempty else "empty",
            "guarantee strengths both accept",
        ),
    ]
    if w.absolute_U or w.absolute_R:
        rows.append(
            (
                "absolute aims",
                f"{u}: {bool(w.absolute_U)}, {r_}: {bool(w.absolute_R)}",
                "rho > rho_bar (Reiter)",
            )
        )
    out.print(_results_table(rows))
    _notes(w)
    if not w.nonempty:
        out.print("no guarantee strength satisfies both sides: war persists whatever the split")
    if plot is not None:
        from accord.report.war import window_figure

        fig = window_figure(
            window_curves(params), w, sides=(u, r_), title=f"{sc.id}: commitment window"
        )
        _save(fig, plot, f"{sc.id}: commitment window")


@war_app.command("brink")
@guarded
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
) -> None:
    """M7 (Schelling; simplified reading of Powell 2015): power vs risk, and escalation."""
    from accord import war
    from accord.analysis.war import brink_inputs

    sc = load_scenario(scenario)
    over = {
        "pi_bar": pi_bar, "a": a, "r_bar": r_bar, "b": b, "V": v, "D": d, "phi_D": phi_d,
        "gain": gain, "r_use": r_use, "D_use": d_use, "Y": y,
    }  # fmt: skip
    params, given = _run(brink_inputs(sc), over)
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
    _header(sc, "brinkmanship (simplified reading of Powell 2015) and partner repositioning")
    out.print(_params_table(params, given, sc))
    rows = [
        ("k*", _f(k.k_star), "power chosen when resolve favours the challenger"),
        ("k̂(phi_D)", _f(cap.k_star), "power cap when the defender may be more resolute"),
        ("P(prevail), P(catastrophe)", f"{_f(cap.p_prevail)}, {_f(cap.p_catastrophe)}", "at k̂"),
    ]
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
    out.print(_results_table(rows))
