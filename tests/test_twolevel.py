"""M10: two-level games, the leader's survival and war aims, against closed forms and the
unitary settlement engine (common random numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from accord import scenarios
from accord.analysis.settle import settle_inputs
from accord.war.leader import aims_posterior, gamble, removal_risk
from accord.war.settle import Escalation, SettleInputs, settle
from accord.war.twolevel import (
    Domestic,
    Faction,
    Survival,
    leader_bound,
    pressure_weights,
    ratified_bound,
    winset,
)


def _toy(**kw: object) -> SettleInputs:
    base: dict[str, object] = dict(
        sides=("A", "B"), states=20, start=10, theta=0.5, beliefs=((4, 4), (4, 4)),
        cost=(0.1, 0.15), weight_A=0.3,
    )  # fmt: skip
    base.update(kw)
    return SettleInputs(**base)  # type: ignore[arg-type]


# -- closed forms --------------------------------------------------------------------------


def test_ratified_bound_is_the_weighted_quantile() -> None:
    ends = np.array([[[0.2], [0.5], [0.4]]])  # L_f of three factions of side A
    w = np.array([[0.3, 0.3, 0.4]])
    # sorted 0.2 (0.3), 0.4 (0.7), 0.5 (1.0): majority at 0.4, unanimity at 0.5
    assert ratified_bound(ends, w, 0.5, 0)[0, 0] == 0.4
    assert ratified_bound(ends, w, 1.0, 0)[0, 0] == 0.5
    assert ratified_bound(ends, w, 0.3, 0)[0, 0] == 0.2
    # side B: x <= H; the largest H whose accepting factions weigh >= kappa
    assert ratified_bound(ends, w, 0.5, 1)[0, 0] == 0.4
    assert ratified_bound(ends, w, 1.0, 1)[0, 0] == 0.2


def test_schelling_conjecture_on_a_hand_made_line() -> None:
    """V_A = .4, V_B = .35, w = .3: unitary Nash at .4 + .3·.25 = .475; A's hawks (weight
    .6, premium .15) narrow A's win-set to x >= .55 and the agreement moves to .55."""
    base = winset(0.4, 0.35, weight_A=0.3)
    assert base.x == pytest.approx(0.475)
    hawk = winset(0.4, 0.35, premium_a=(0.15, -0.05), weight_a=(0.6, 0.4), weight_A=0.3)
    assert hawk.lo == pytest.approx(0.55) and hawk.x == pytest.approx(0.55)
    narrower = winset(0.4, 0.35, premium_a=(0.2, -0.05), weight_a=(0.6, 0.4), weight_A=0.3)
    assert narrower.x > hawk.x > base.x
    # the same on side B: B's hawks move it toward B (down)
    b_hawk = winset(0.4, 0.35, premium_b=(0.2, 0.0), weight_b=(0.7, 0.3), weight_A=0.3)
    assert b_hawk.hi == pytest.approx(0.45) and b_hawk.x == pytest.approx(0.45)
    # too narrow: the win-sets do not overlap
    assert not winset(0.4, 0.35, premium_a=(0.3,), weight_a=(1.0,)).agreed


def test_engine_settles_inside_both_win_sets_and_narrower_moves_toward_that_side() -> None:
    plain = settle(_toy(), months=0, runs=200, seed=1)
    x0 = float(plain.terms[0, 0])
    dom = Domestic(factions=(Faction("hawks", 0, 0.6, premium=0.1), Faction("doves", 0, 0.4)))
    hawks = settle(_toy(domestic=dom), months=0, runs=200, seed=1)
    assert (hawks.outcome == 0).all()
    # unitary: x0 = V_A + w(1 - V_A - V_B) = V_A + .3·(c_A + c_B); the hawks ratify only
    # x >= V_A + .1, above x0, so the agreement moves there
    v_a = x0 - 0.3 * 0.25
    assert hawks.terms[:, 0] == pytest.approx(v_a + 0.1)
    assert float(hawks.terms[0, 0]) > x0


def test_one_faction_with_all_weight_is_the_unitary_model_number_for_number() -> None:
    inp, _ = settle_inputs(scenarios.load("ukraine-2024-08"), domestic=False)
    a, b = inp.sides
    dom = Domestic(factions=(Faction(a + "_all", 0, 1.0), Faction(b + "_all", 1, 1.0)))
    r0 = settle(inp, months=12, runs=600, seed=5)
    r1 = settle(inp.with_(domestic=dom), months=12, runs=600, seed=5)
    np.testing.assert_array_equal(r0.outcome, r1.outcome)
    np.testing.assert_array_equal(r0.month, r1.month)
    np.testing.assert_array_equal(r0.terms, r1.terms)
    np.testing.assert_array_equal(r0.line, r1.line)
    np.testing.assert_array_equal(r0.blocked, r1.blocked)
    assert r1.domestic is not None and r1.domestic["blocked"].sum() == 0


def test_without_a_domestic_hook_nothing_is_recorded() -> None:
    r = settle(_toy(), months=3, runs=50, seed=0)
    assert r.domestic is None


# -- the leader's survival ------------------------------------------------------------------


def test_removal_curves_have_goemans_shapes() -> None:
    ell = np.array([0.0, 0.3, 0.5, 1.0])
    dem = removal_risk(ell, "democracy", 0.8)
    aut = removal_risk(ell, "autocracy", 0.8)
    mix = removal_risk(ell, "mixed", 0.8)
    for r in (dem, aut, mix):
        assert r[0] == pytest.approx(0.0) and r[-1] == pytest.approx(0.8)
        assert (np.diff(r) >= 0).all()
    assert dem[1] == pytest.approx(0.24)
    assert aut[1] < 0.01 and mix[1] > 0.8 * 0.8  # moderate loss: autocrat safe, mixed not


def test_gambling_condition_closed_form_both_ways() -> None:
    # r_m = r_d = 1: continue iff q·B > net cost
    g = gamble(q=0.3, office=1.0, r_moderate=1.0, r_disaster=1.0, net_cost=[0.2, 0.4])
    assert g.gap == pytest.approx(0.3)
    assert list(g.leader_continues) == [True, False]
    assert list(g.state_continues) == [False, False]
    assert list(g.gambles) == [True, False]
    # an autocrat after a moderate loss (r_m = 0) settles whenever the state does
    auto = gamble(q=0.3, office=1.0, r_moderate=0.0, r_disaster=1.0, net_cost=0.2)
    assert not auto.leader_continues and not auto.gambles
    # full cover of the leader's survival after the settlement ends the gamble
    covered = gamble(q=0.3, office=1.0, r_moderate=1.0, r_disaster=1.0, net_cost=0.2, cover=1.0)
    assert not covered.leader_continues


def _leader_toy(regime: str, cover: float = 0.0) -> SettleInputs:
    """A's leader expected .9 of the line; every package in the range [.4, .65] is a
    moderate loss (.28 to .56); the war is a coin flip between x = 1 and disaster."""
    lead = Survival(0, office=1.0, regime=regime, cover=cover, expectation=0.9)
    return _toy(domestic=Domestic(survival=(lead,)))


def test_mixed_regime_leader_gambles_where_the_state_settles_and_a_guarantee_opens_it() -> None:
    state = settle(_toy(), months=0, runs=100, seed=2)
    assert (state.outcome == 0).all()
    mixed = settle(_leader_toy("mixed"), months=0, runs=100, seed=2)
    assert (mixed.outcome != 0).all()
    assert mixed.domestic is not None and mixed.domestic["leader_blocked"].all()
    assert mixed.domestic["blocked"][0, 1] == 100
    auto = settle(_leader_toy("autocracy"), months=0, runs=100, seed=2)
    np.testing.assert_array_equal(auto.terms, state.terms)
    guaranteed = settle(_leader_toy("mixed", cover=1.0), months=0, runs=100, seed=2)
    assert (guaranteed.outcome == 0).all()
    # the leader's removal risk on the settled line is covered
    assert guaranteed.domestic is not None and guaranteed.domestic["removal"][0, 0] == 0.0
    # and where the war goes on the risk is the loss against the expectation at the front
    share = 0.5
    r_front = removal_risk((0.9 - share) / 0.9, "mixed", 1.0)
    assert mixed.domestic["removal"][0, 0] == pytest.approx(float(r_front))


def test_leader_bound_inverts_the_leader_condition() -> None:
    lead = Survival(0, office=0.5, regime="democracy", r_max=1.0)
    # democracy, ref 1: r = 1 - y; condition y - .5(1 - y) >= V - g - .5 r_war
    y = leader_bound(np.array([0.4]), np.array([0.0, 0.1]), np.array([1.0]), np.array([0.2]), lead)
    need = 0.4 - np.array([0.0, 0.1]) - 0.5 * 0.2
    np.testing.assert_allclose(y[0], (need + 0.5) / 1.5, atol=1e-12)


# -- domestic pressure ----------------------------------------------------------------------


def test_pressure_weights_renormalise() -> None:
    w = pressure_weights([0.6, 0.4], [[0, 0, -1.0], [0, 0, 2.0]], [[0, 0, 0], [0, 0, 1.0]])
    np.testing.assert_allclose(w[0], [0.6, 0.4])
    raw = np.array([0.6 * np.exp(-1.0), 0.4 * np.exp(2.0)])
    np.testing.assert_allclose(w[1], raw / raw.sum())


def test_partners_curtailment_strengthens_doves_and_widens_the_win_set() -> None:
    """Side B escalates when it loses ground; its partners curtail (phi = 1), which costs B;
    with a positive sanctions coefficient on its doves the same runs (common random
    numbers) settle at least as often and the doves' weight rises."""
    esc = Escalation(
        side=1, gain=10.0, r_use=0.0, D=0.0, Y=1.0, partners=("P",), tau=(0.5,), phi=(1.0,),
        money_per_pie=100.0, theta_shift=0.0, cost_other=0.0,
    )  # fmt: skip

    def run(alpha: float) -> object:
        dom = Domestic(
            factions=(
                Faction("hawks", 1, 0.6, premium=0.12, pressure=(0.0, 0.0, -alpha)),
                Faction("doves", 1, 0.4, premium=-0.05, pressure=(0.0, 0.0, alpha)),
            )
        )
        inp = _toy(beliefs=((7, 3), (3, 7)), escalation=esc, domestic=dom)
        return settle(inp, months=24, runs=2000, seed=11)

    r0, r1 = run(0.0), run(400.0)
    s0 = (r0.outcome == 0).astype(float)  # type: ignore[attr-defined]
    s1 = (r1.outcome == 0).astype(float)  # type: ignore[attr-defined]
    d = s1 - s0
    assert d.mean() > 3 * d.std(ddof=1) / np.sqrt(d.size)
    w0 = np.nanmean(r0.domestic["weights"][1][:, 1])  # type: ignore[attr-defined]
    w1 = np.nanmean(r1.domestic["weights"][1][:, 1])  # type: ignore[attr-defined]
    assert w0 == pytest.approx(0.4) and w1 > w0
    # the ratification block falls
    b0 = r0.domestic["ratify_blocked"].mean()  # type: ignore[attr-defined]
    b1 = r1.domestic["ratify_blocked"].mean()  # type: ignore[attr-defined]
    assert b1 <= b0


# -- war aims ------------------------------------------------------------------------------


@pytest.mark.parametrize(("mu", "eps"), [(0.3, 0.1), (0.5, 0.5), (0.2, 0.0), (0.9, 1.0)])
def test_rejection_raises_the_posterior_on_unlimited_aims_by_bayes_rule(
    mu: float, eps: float
) -> None:
    post = aims_posterior(mu, eps).posterior
    assert post == pytest.approx(mu / (mu + (1 - mu) * eps))
    assert post >= mu
    if eps == 0:
        assert post == 1.0
    acc = aims_posterior(mu, eps, reject_unlimited=0.8, rejected=False).posterior
    assert acc == pytest.approx(mu * 0.2 / (mu * 0.2 + (1 - mu) * (1 - eps)))


def test_determinism_with_factions_and_survival() -> None:
    dom = Domestic(
        factions=(Faction("h", 1, 0.5, premium=0.05, pressure=(0.1, 1.0, 0.0)),
                  Faction("d", 1, 0.5, premium=-0.05)),
        survival=(Survival(1, office=0.3, regime="mixed"),),
    )  # fmt: skip
    inp = _toy(beliefs=((7, 3), (3, 7)), domestic=dom)
    a = settle(inp, months=12, runs=300, seed=9)
    b = settle(inp, months=12, runs=300, seed=9)
    np.testing.assert_array_equal(a.terms, b.terms)
    assert a.domestic is not None and b.domestic is not None
    np.testing.assert_array_equal(a.domestic["removal"], b.domestic["removal"])
    np.testing.assert_array_equal(a.domestic["leader_blocked"], b.domestic["leader_blocked"])
