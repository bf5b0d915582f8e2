"""accord settle: the engine against its parts, the flagships' comparative statics with
common random numbers, determinism, and malformed settle inputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import scenarios, war
from accord.analysis.settle import crosscheck, settle_inputs
from accord.cli import app
from accord.war.linkage import Parcel
from accord.war.settle import (
    Commitment,
    HeldParcel,
    Mediator,
    PackageIssue,
    SettleInputs,
    discounted_line,
    package_space,
    settle,
)

runner = CliRunner()
FLAGSHIPS = ("ukraine-2023-03", "ukraine-2024-08")
RUNS = 3000


def _flagship(sid: str, **over: float) -> SettleInputs:
    inp, _ = settle_inputs(scenarios.load(sid), over, domestic=False)  # the unitary engine
    return inp


def _consistent(sid: str, **over: float) -> SettleInputs:
    """The flagship with side B expecting the same post-settlement shift side A fears
    (shift_B = shift_A = 0.15, the reading the cross-check recommends): as coded, q_B0 =
    1 - p says B gains nothing, which leaves no self-enforcing package on which the
    levers could act."""
    return _flagship(sid, shift_B=0.15, **over)


def _paired_diff(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    d = x.astype(float) - y.astype(float)
    return float(d.mean()), float(d.std(ddof=1) / np.sqrt(d.size))


# -- the engine against its parts -------------------------------------------------------


def _toy(**kw: object) -> SettleInputs:
    base: dict[str, object] = dict(
        sides=("A", "B"), states=20, start=10, theta=0.5, beliefs=((4, 4), (4, 4)),
        cost=(0.1, 0.15),
    )  # fmt: skip
    base.update(kw)
    return SettleInputs(**base)  # type: ignore[arg-type]


def test_common_beliefs_settle_at_once_inside_the_fearon_range() -> None:
    inp = _toy(weight_A=0.3)
    r = settle(inp, months=12, runs=500, seed=3)
    assert (r.outcome == 0).all() and (r.month == 0).all()
    nodes = np.array([0.5])
    # the war value both sides share: E[W̄] under the common prior at the start
    from accord.war.settle import _belief_table

    wbar = discounted_line(np.polynomial.legendre.leggauss(160)[0] / 2 + 0.5, 20, 0.98, (0, 1))
    e = float(_belief_table(4, 4, wbar, 10, 0, True)[0, 0])
    rng = war.bargaining_range(e, 0.1, 0.15)
    assert rng.low <= r.terms[0, 0] <= rng.high
    # weighted Nash: low + w·(high - low)
    assert r.terms[0, 0] == pytest.approx(rng.low + 0.3 * (rng.high - rng.low))
    assert nodes.size == 1


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_flagship_with_common_beliefs_and_no_frictions_settles_at_once(sid: str) -> None:
    base = _flagship(sid)
    a, b = base.beliefs[0]
    inp = base.with_(
        beliefs=((a, b), (a, b)), escalation=None, mediators=(), parcels=(), commitment=None,
        spread=0.0, theta_spread=0.0, issues=(),
    )  # fmt: skip
    r = settle(inp, runs=200, seed=2)
    assert (r.outcome == 0).all() and (r.month == 0).all()
    low, high = r.surplus[:, 0], r.surplus[:, 1]  # both sides gain over their war values
    assert (low >= -1e-12).all() and (high >= -1e-12).all()
    # the war values are E[W̄] - c_A and 1 - E[W̄] - c_B: the line lies in M1's range
    e = float(r.terms[0, 0] - r.surplus[0, 0] + base.cost[0])  # E[W̄] recovered
    rng = war.bargaining_range(e, *base.cost)
    assert rng.low - 1e-9 <= r.terms[0, 0] <= rng.high + 1e-9
    # weighted Nash with linear utilities: low + w (high - low), kept inside the pie
    w = base.weight_A
    nash = np.clip(rng.low + w * (rng.high - rng.low), max(rng.low, 0), min(rng.high, 1))
    assert r.terms[0, 0] == pytest.approx(nash, abs=1e-12)


def test_discounted_line_tends_to_the_gamblers_ruin_end() -> None:
    th = np.array([0.3, 0.45, 0.5, 0.6])
    w = discounted_line(th, 12, 1 - 1e-7, (0.0, 1.0))
    for i, t in enumerate(th):
        assert w[i, 5] == pytest.approx(war.ruin_probability(t, 5, 12), abs=1e-4)


@pytest.mark.parametrize("theta", [0.5, 0.45])
def test_frozen_beliefs_duration_matches_m3_closed_form(theta: float) -> None:
    # optimism gap far above the costs and no learning: the war ends only at 0 or N
    inp = _toy(
        states=10, start=5, theta=theta, beliefs=((9, 1), (1, 9)), cost=(0.01, 0.01), learn=False
    )
    r = settle(inp, months=600, runs=4000, seed=1)
    assert (r.outcome != 0).all() and (r.outcome != 3).all()
    mean = r.month.mean()
    se = r.month.std(ddof=1) / np.sqrt(r.runs)
    assert abs(mean - war.ruin_duration(theta, 5, 10)) < 4 * se
    assert (r.blocked_share()[:5, 1] == 1).all()  # every month: the optimism gap


def test_empty_window_and_no_guarantee_means_no_settlement() -> None:
    # the declining side fears a large shift; no guarantee issue is on offer
    com = Commitment(shift=(0.4, 0.0), gamma=(0.2, 0.2), d=(0.01, 0.01))
    w = war.commitment_window(0.5, 0.1, 0.5, 0.2, 0.2, 0.98, 0.01, 0.01)
    assert not w.nonempty
    r = settle(_toy(commitment=com), months=6, runs=500, seed=0)
    assert (r.outcome != 0).all()
    assert (r.blocked_share()[:6, 4] == 1).all()  # the commitment problem, every month


# -- packages ---------------------------------------------------------------------------


def _ng(s_a: tuple[float, float], s_b: tuple[float, float]) -> dict[str, np.ndarray]:
    n = PackageIssue("N", (0.0, 50.0, 100.0), 50.0, (100.0, 0.0), (s_a[0], s_b[0]))
    g = PackageIssue("G", (0.0, 50.0, 100.0), 50.0, (100.0, 0.0), (s_a[1], s_b[1]))
    return package_space((n, g))


def test_alliance_for_guarantees_trade_exists_iff_salience_ratios_differ() -> None:
    same = _ng((0.9, 0.9), (0.8, 0.8))
    assert not ((same["gain_A"] > 1e-12) & (same["gain_B"] > 1e-12)).any()
    differ = _ng((0.9, 1.05), (0.9, 0.8))  # A cares more for guarantees, B for alliance
    both = (differ["gain_A"] > 1e-12) & (differ["gain_B"] > 1e-12)
    assert both.any()
    trade = differ["levels"][both]
    assert ((trade[:, 0] < 50) & (trade[:, 1] > 50)).all()  # alliance given, guarantee got
    # M5's linkage condition (issue j = G toward A, k = N toward B) agrees
    assert not war.linkage_gain(0.9, 0.9, 0.8, 0.8, 50, 50).linkable
    assert war.linkage_gain(1.05, 0.9, 0.8, 0.9, 50, 50).linkable
    # and on the flagship the belligerents' saliences make the trade
    inp = _flagship("ukraine-2024-08")
    n, g = (next(i for i in inp.issues if i.id == k) for k in ("N", "G"))
    assert war.linkage_gain(g.weight[0], n.weight[0], g.weight[1], n.weight[1], 50, 50).linkable


# -- comparative statics on both flagships (common random numbers) ----------------------


def _isolated(sid: str) -> SettleInputs:
    return _flagship(sid).with_(commitment=None, escalation=None)


def _kursk(area: float, hazard: float, psi: float = 0.0) -> HeldParcel:
    """Side B's land held by side A: worth 2e-5 pie units a km² to its owner, 0.4 of that
    to its holder as a chip; pressure 1e-5 a km² a month; counter-attack 0.005 a month."""
    chip = Parcel("K", "B", "A", area, value_A=0.8e-5 * area, value_B=2e-5 * area)
    return HeldParcel(chip, hazard=hazard, attack_cost=0.005, alpha=1e-5, psi=psi)


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_parcel_moves_terms_toward_its_holder_and_decays_with_hazard(sid: str) -> None:
    base = _isolated(sid).with_(parcels=())
    small = _kursk(500.0, 0.1)
    big = _kursk(1500.0, 0.1)
    fragile = _kursk(1500.0, 0.5)
    res = {
        k: settle(base.with_(parcels=(p,)), runs=RUNS, seed=4)
        for k, p in (("small", small), ("big", big), ("fragile", fragile))
    }
    # settled while held, on the same package of the other issues (the line is the lever)
    now = np.logical_and.reduce([r.month == 0 for r in res.values()])
    now &= res["big"].package == res["small"].package
    now &= res["big"].package == res["fragile"].package
    assert now.mean() > 0.5
    d, se = _paired_diff(res["big"].terms[now, 0], res["small"].terms[now, 0])
    assert d > 4 * se and d > 0
    d2, se2 = _paired_diff(res["big"].terms[now, 0], res["fragile"].terms[now, 0])
    assert d2 > 4 * se2 and d2 > 0


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_swap_feasible_only_below_a_reputational_cost_threshold(sid: str) -> None:
    base = _flagship(sid).with_(escalation=None, parcels=())
    # M5's threshold: the owner's R_swap at psi = 0 less the holder's U_swap
    r0 = war.swap_reservation(2e-5 * 1500, 0.02, base.delta, 0.005, 0.0, alpha=1e-5, area=1500)
    psi_star = float(r0.R_swap) - 0.8e-5 * 1500
    p = [
        settle(base.with_(parcels=(_kursk(1500.0, 0.02, psi),)), runs=RUNS, seed=5).p_swap()[0]
        for psi in (0.0, 0.8 * psi_star, 5 * psi_star, 1e6)
    ]
    assert p[0] > 0.3
    assert p[0] > p[1] > p[2]
    assert p[2] < 0.001 and p[3] == 0.0  # "we will never discuss it"


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_escalation_falls_with_partners_curtailment(sid: str) -> None:
    sc = scenarios.load(sid)
    names = list(sc.war.brinkmanship.partners) if sc.war and sc.war.brinkmanship else []
    runs = []
    for phi in (0.0, 0.3, 0.9):
        over = {f"phi.{k}": phi for k in names}
        inp, _ = settle_inputs(sc, over)
        runs.append(settle(inp, runs=RUNS, seed=6).escalated >= 0)
    p = [r.mean() for r in runs]
    assert p[0] > p[1] > p[2]
    # common random numbers: a run that escalates at higher phi escalates at lower phi
    assert not (runs[2] & ~runs[0]).any()
    big, _ = settle_inputs(sc, {**{f"phi.{k}": 0.0 for k in names}, "gain": 1e4})
    assert settle(big, runs=500, seed=6).p_escalation()[0] > 0.5


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_p_settlement_rises_with_guarantee_strength(sid: str) -> None:
    ps = []
    for gamma in (0.1, 0.15, 0.3):
        inp = _consistent(sid, gamma_A=gamma)
        p, se = settle(inp, runs=RUNS, seed=8).p_settled_by()
        ps.append((p[24], se[24]))
    assert ps[0][0] <= ps[1][0] < ps[2][0] - 3 * ps[2][1]


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_no_settlement_a_belligerent_rejects(sid: str) -> None:
    base = _consistent(sid)
    for pos in (0.0, 100.0):  # third parties at either extreme, with vetoes on every issue
        issues = tuple(
            PackageIssue(
                i.id, i.levels, i.war_level, i.ideal, i.weight, i.width, i.red_lines,
                (("X", pos),), i.guarantee, i.g_of_level,
            )
            for i in base.issues
        )  # fmt: skip
        r = settle(base.with_(issues=issues), runs=1000, seed=9)
        s = r.outcome == 0
        assert (r.surplus[s] >= -1e-9).all()
    r = settle(base, runs=1000, seed=9)
    assert (r.surplus[r.outcome == 0] >= -1e-9).all()


def _china(leverage: float, fear: float = 0.0) -> Mediator:
    """A mediator biased toward side B with leverage over B (China over Russia)."""
    return Mediator("CHN", bias=-0.6, leverage=(0.0, leverage), decay=0.95, fear=fear)


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_mediator_leverage_on_its_favoured_side_raises_p_settlement(sid: str) -> None:
    base = _flagship(sid)
    res = [
        settle(base.with_(mediators=(_china(lev),)), runs=RUNS, seed=7) for lev in (0, 0.08, 0.16)
    ]
    p12 = [r.p_settled_by()[0][12] for r in res]
    se = max(r.p_settled_by()[1][12] for r in res)
    assert p12[0] + 3 * se < p12[1] + 1e-12 and p12[1] + 3 * se < p12[2]
    # common random numbers: every run settled by month 12 at lower leverage is settled at higher
    by12 = [(r.outcome == 0) & (r.month <= 12) for r in res]
    assert (by12[0] & ~by12[2]).mean() < 0.01


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_fearful_mediator_presses_harder_when_its_side_is_losing(sid: str) -> None:
    def p12(theta: float, fear: float) -> tuple[float, float]:
        inp = _flagship(sid, theta=theta).with_(mediators=(_china(0.06, fear),))
        p, se = settle(inp, runs=RUNS, seed=10).p_settled_by()
        return float(p[12]), float(se[12])

    losing = [p12(0.6, f) for f in (0.0, 5.0)]  # B, the side it favours, loses ground
    winning = [p12(0.3, f) for f in (0.0, 5.0)]  # B gains ground: nothing to fear
    assert losing[1][0] > losing[0][0] + 3 * losing[1][1]
    assert abs(winning[1][0] - winning[0][0]) < losing[1][0] - losing[0][0]


# -- determinism, outputs, cross-check --------------------------------------------------


def test_same_seed_same_numbers() -> None:
    inp = _flagship("ukraine-2024-08")
    r1 = settle(inp, runs=500, seed=11)
    r2 = settle(inp, runs=500, seed=11)
    r3 = settle(inp, runs=500, seed=12)
    assert np.array_equal(r1.month, r2.month) and np.array_equal(r1.line, r2.line)
    assert np.array_equal(r1.terms, r2.terms, equal_nan=True)
    assert not np.array_equal(r1.line, r3.line)


def test_cli_settle_outputs(tmp_path: Path) -> None:
    res = runner.invoke(app, ["settle", "--runs", "500", "--months", "12", "--inputs"])
    assert res.exit_code == 0, res.output
    assert "P(negotiated settlement) by month: 6 mo" in res.output
    assert "why no deal" in res.output and "money_per_pie" in res.output
    # the reference class's base rate beside the forecast (accord baserate)
    assert "base rate: P(end within 6 months | lasted 30)" in res.output
    assert "accord settle: P(war over within 6 months)" in res.output
    js = runner.invoke(
        app, ["settle", "--runs", "300", "--json", "--vary", "theta=0.3,0.5", "--no-baserate"]
    )
    assert js.exit_code == 0, js.output
    import json

    data = json.loads(js.stdout)["result"]
    assert len(data["p_settled_by_month"]) == 25 and len(data["vary"]) == 2
    out = runner.invoke(
        app,
        [
            "settle",
            "--runs",
            "300",
            "--no-baserate",
            "--out",
            str(tmp_path),
            "--plot",
            str(tmp_path / "s.svg"),
        ],
    )
    assert out.exit_code == 0, out.output
    assert (tmp_path / "ukraine-2024-08-settle-months.csv").exists()
    assert (tmp_path / "s.svg").read_text().lstrip().startswith("<?xml")


def test_crosscheck_flags_the_flagships_commitment_shifts() -> None:
    warnings = crosscheck(scenarios.load("ukraine-2024-08"))
    assert any("see different shifts" in w for w in warnings)


BAD_SETTLE = [
    ("war_levels:\n      Q: 5", "war.settle.war_levels.Q: unknown issue id (got 'Q')"),
    (
        "war_levels:\n      N: 500",
        "war.settle.war_levels.N: must be on the issue's scale [0, 100] (got 500.0)",
    ),
    ("guarantee_issue: Q", "war.settle.guarantee_issue: unknown issue id (got 'Q')"),
    ("spending:\n      CHN: 3", "war.settle.spending.CHN: not one of the belligerents (got 'CHN')"),
    ("spending:\n      RUS: -3", "war.settle.spending.RUS: must be in (0, inf] (got -3.0)"),
    (
        "red_lines:\n      RUS:\n        N: {at_least: 50, at_most: 10}",
        "war.settle.red_lines.RUS.N.at_most: must be >= at_least (50) (got 10.0)",
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_SETTLE)
def test_malformed_settle_section(tmp_path: Path, body: str, message: str) -> None:
    text = scenarios.path("ukraine-2024-08").read_text(encoding="utf-8")
    head = text[: text.index("  settle:\n")]
    f = tmp_path / "bad.yaml"
    f.write_text(head + "  settle:\n    " + body + "\n", encoding="utf-8")
    res = runner.invoke(app, ["settle", str(f), "--runs", "10"])
    assert res.exit_code == 2
    assert message in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "nonsense=1"], "--param: unknown parameter"),
        (["--param", "theta"], "--param: expected NAME=VALUE"),
        (["--vary", "theta"], "--vary: expected PARAM=v1,v2,..."),
        (["--runs", "0"], "--runs: must be >= 1"),
        (["--plot", "x.gif"], "unknown plot format"),
    ],
)
def test_bad_settle_options(args: list[str], message: str) -> None:
    res = runner.invoke(app, ["settle", "--runs", "10", "--no-baserate", *args])
    assert res.exit_code == 2
    assert message in res.stderr


def test_missing_war_level_is_refused(tmp_path: Path) -> None:
    text = scenarios.path("ukraine-2024-08").read_text(encoding="utf-8")
    f = tmp_path / "bad.yaml"
    f.write_text(
        text.replace(
            "      N: {value: 50, source: [nato2024]", "      X_: {value: 50, source: [nato2024]"
        ).replace("X_:", "A:"),
        encoding="utf-8",
    )
    res = runner.invoke(app, ["settle", str(f), "--runs", "10"])
    assert res.exit_code == 2
    assert "war.settle.war_levels.N" in res.stderr


def test_mediator_rules_from_the_actor_table() -> None:
    from accord.analysis.settle import mediator_bias, mediator_leverage

    sc = scenarios.load("ukraine-2024-08")
    # China sits near Russia on every issue that divides the belligerents
    assert mediator_bias(sc, "CHN").value < -0.5
    assert mediator_bias(sc, "USA").value > 0.2
    assert abs(mediator_bias(sc, "TUR").value) < 0.2
    lev = mediator_leverage(sc, "CHN", 0.5)
    assert lev.value == pytest.approx(0.5 * 0.338 * 0.8)  # scale x trade share x salience on C
    assert mediator_leverage(sc, "USA", 0.5).value == 0.0  # no trade share of Russia's given
    inp, derived = settle_inputs(sc, mediators=("CHN",))
    med = {m.id: m for m in inp.mediators}["CHN"]
    assert med.credible == (False, True)  # credible to Russia, the side it leans to
    # an actor the war section does not list gets the actor-table rules
    inp2, _ = settle_inputs(sc, mediators=("BRA",))
    bra = {m.id: m for m in inp2.mediators}["BRA"]
    assert bra.bias == pytest.approx(mediator_bias(sc, "BRA").value)
    names = {d.name for d in derived}
    assert {"bias.CHN", "leverage_B.CHN", "credible.CHN"} <= names
    res = runner.invoke(app, ["settle", "--runs", "10", "--mediator", "RUS"])
    assert res.exit_code == 2 and "--mediator" in res.stderr


def test_flagship_chip_and_mediators_come_from_the_war_section() -> None:
    sc = scenarios.load("ukraine-2024-08")
    inp, _ = settle_inputs(sc)
    (chip,) = inp.parcels
    assert chip.id == "KURSK" and chip.parcel.owner == "B" and chip.parcel.holder == "A"
    assert {c.name for c in chip.candidates} == {"OCC_1000", "OCC_3000"}
    assert chip.pie_area == 135787
    meds = {m.id: m for m in inp.mediators}
    assert meds["CHN"].bias == -0.6 and meds["CHN"].leverage == (0.0, 0.03)
    assert meds["CHN"].credible == (False, True)
    # Russia's reputational cost 0.5 blocks the swap; without it a swap happens
    blocked = settle(inp, runs=1000, seed=3)
    assert blocked.p_swap()[0] == 0.0
    # even at psi = 0 neither occupied parcel is a price both accept (M5 with the file's
    # values: OCC_1000 is worth too little to Ukraine, OCC_3000 too much to Russia) ...
    free, _ = settle_inputs(sc, {"psi_swap": 0.0})
    assert settle(free, runs=1000, seed=3).p_swap()[0] == 0.0
    # ... while any amount of land would do
    loose = free.with_(parcels=(replace(free.parcels[0], candidates=()),))
    assert settle(loose, runs=1000, seed=3).p_swap()[0] > 0.1
    # the March 2023 flagship has no chip
    assert settle_inputs(scenarios.load("ukraine-2023-03"))[0].parcels == ()


def test_red_lines_bind_the_terms_and_show_as_indivisibility() -> None:
    from accord.scenario.schema import Scenario, Sourced
    from accord.scenario.war import RedLine

    sc = scenarios.load("ukraine-2024-08")
    assert sc.war is not None and sc.war.settle is not None

    war_, st0 = sc.war, sc.war.settle

    def with_lines(lines: dict[str, dict[str, RedLine]]) -> Scenario:
        st = st0.model_copy(update={"red_lines": lines})
        return sc.model_copy(update={"war": war_.model_copy(update={"settle": st})})

    def line(lo: float | None = None, hi: float | None = None) -> RedLine:
        return RedLine(
            at_least=None if lo is None else Sourced(value=lo, judgement=True),
            at_most=None if hi is None else Sourced(value=hi, judgement=True),
        )

    red = with_lines({"UKR": {"T": line(lo=20.4)}, "RUS": {"N": line(hi=0)}})
    inp, derived = settle_inputs(red, {"shift_B": 0.15})
    assert inp.line_red_lines[0] == pytest.approx((0.204, 1.0))
    assert {"red_line.UKR.T", "red_line.RUS.N"} <= {d.name for d in derived}
    r = settle(inp, runs=2000, seed=12)
    s = r.outcome == 0
    assert s.mean() > 0.5
    assert (r.terms[s, 0] >= 0.204 - 1e-12).all()
    assert (r.terms[s, r.issue_ids.index("N")] == 0).all()
    # red lines that cannot both hold: no settlement, every run blocked by indivisibility
    clash = with_lines({"UKR": {"T": line(lo=30)}, "RUS": {"T": line(hi=10)}})
    inp2, _ = settle_inputs(clash, {"shift_B": 0.15})
    r2 = settle(inp2, runs=500, seed=12)
    assert (r2.outcome != 0).all()
    assert (r2.blocked_share()[:12, 2] == 1).all()


def test_chip_decay_reproduces_accord_war_swaps_first_feasible_month() -> None:
    sc = scenarios.load("ukraine-2024-08")
    inp, _ = settle_inputs(sc, {"psi_swap": 0.0, "chip_decay": 1.0})
    r = settle(inp.with_(escalation=None), runs=2000, seed=13)
    (chip,) = inp.parcels
    table = war.land_swap(
        chip.parcel, chip.candidates, h=chip.hazard, delta=inp.delta, c=chip.attack_cost,
        psi=0.0, alpha=chip.alpha, months=24,
    )  # fmt: skip
    first = int(table.first_feasible)
    assert first > 0
    swapped = r.swap[:, 0][r.swap[:, 0] >= 0]
    assert swapped.size > 0 and swapped.min() == first
    # held whole until retaken (the default), the chip keeps its full value: no swap
    whole, _ = settle_inputs(sc, {"psi_swap": 0.0})
    assert settle(whole, runs=1000, seed=13).p_swap()[0] == 0.0


@pytest.mark.parametrize("sid", FLAGSHIPS)
def test_package_choice_matches_accord_deals_weighted_nash(sid: str) -> None:
    """The engine's closed-form search against accord.deals.solve_many on the same package
    space with the war line discretised (month-0 settlements, per-run war values)."""
    from accord.deals.batch import solve_many

    base = _flagship(sid).with_(commitment=None, escalation=None, parcels=(), mediators=())
    r = settle(base, runs=120, months=0, seed=14)
    s = np.nonzero(r.outcome == 0)[0]
    assert s.size > 60
    ga, gb = r.space["gain_A"], r.space["gain_B"]
    ok = r.space["red_ok"] & r.space["veto_ok"]
    k = r.package[s]
    x = r.terms[s, 0]
    # each run's war values, recovered from its settlement (no reputational costs here)
    d = np.stack([x + ga[k] - r.surplus[s, 0], 1 - x + gb[k] - r.surplus[s, 1]], axis=1)
    grid = np.linspace(0.0, 1.0, 801)
    bundles = np.nonzero(ok)[0]
    u_a = (grid[:, None] + ga[bundles][None, :]).ravel()
    u_b = (1 - grid[:, None] + gb[bundles][None, :]).ravel()
    w = base.weight_A
    sol = solve_many("nash", np.stack([u_a, u_b]), d, weights=[w, 1 - w])
    assert sol.agreement.all()
    chosen = bundles[sol.column % bundles.size]
    line = grid[sol.column // bundles.size]
    # same bundle (or a tie in Nash product) and the same line up to the grid step
    eng = w * np.log(r.surplus[s, 0]) + (1 - w) * np.log(r.surplus[s, 1])
    assert np.all(eng >= sol.criterion - 1e-9)  # never worse than the discretised optimum
    assert np.all(eng - sol.criterion < 1e-3)
    same = chosen == k
    assert same.mean() > 0.95
    assert np.abs(line[same] - x[same]).max() <= 1.25e-3 + 1e-12
