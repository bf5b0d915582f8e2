"""accord.war M5 (linkage, land swaps), M6 (mediation), M9 (durability): the closed forms of
war-termination.md §1.10, their comparative statics against independent computations
(value iteration, brute-force grids, constant-hazard survival), vectorised = scalar loops."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord import war
from accord.errors import ModelError
from accord.war.durability import BASE_HAZARD, BETA, FEATURES

unit = st.floats(0.0, 1.0)
sal = st.floats(0.01, 1.0)
moves = st.floats(0.1, 50.0)

# -- M5 linkage ------------------------------------------------------------------------


@given(s_aj=sal, s_ak=sal, k=st.floats(0.05, 20.0), dj=moves, dk=moves)
def test_equal_salience_ratios_give_no_linkage_gain(
    s_aj: float, s_ak: float, k: float, dj: float, dk: float
) -> None:
    # B's saliences proportional to A's: s_Bj/s_Bk = s_Aj/s_Ak
    s_bj, s_bk = min(1.0, k * s_aj), min(1.0, k * s_aj) * s_ak / s_aj
    r = war.linkage_gain(s_aj, s_ak, s_bj, s_bk, dj, dk)
    assert not r.linkable
    assert not r.mutual
    assert r.gain_A * r.gain_B <= 1e-12  # one side's gain is the other's loss in sign
    t = war.best_trade([s_aj, s_ak], [s_bj, s_bk], [50, 50], [50, 50])
    assert not t.exists and t.issue_j == -1 and t.gain_A == 0


def test_linkage_condition_closed_form() -> None:
    # s_Aj/s_Ak = 3 > Δk/Δj = 1 > s_Bj/s_Bk = 0.25: both gain (0.9·10 - 0.3·10)/100
    r = war.linkage_gain(0.9, 0.3, 0.2, 0.8, 10, 10)
    assert r.gain_A == pytest.approx(0.06) and r.gain_B == pytest.approx(0.06)
    assert r.mutual and r.linkable and r.ratio_A == pytest.approx(3) and r.ratio_B == 0.25
    # a rate outside (0.25, 3) hurts one side
    assert not war.linkage_gain(0.9, 0.3, 0.2, 0.8, 10, 40).mutual


@settings(max_examples=40, deadline=None)
@given(
    s=st.lists(sal, min_size=4, max_size=4),
    rooms=st.lists(st.floats(1.0, 60.0), min_size=2, max_size=2),
)
def test_best_trade_matches_a_brute_force_grid(s: list[float], rooms: list[float]) -> None:
    s_a, s_b = [s[0], s[1]], [s[2], s[3]]
    room_a, room_b = [rooms[0], 0.0], [0.0, rooms[1]]  # issue 0 toward A, issue 1 toward B
    t = war.best_trade(s_a, s_b, room_a, room_b)
    grid_j = np.linspace(0, rooms[0], 401)[:, None]
    grid_k = np.linspace(0, rooms[1], 401)[None, :]
    ga = (s_a[0] * grid_j - s_a[1] * grid_k) / 100
    gb = (s_b[1] * grid_k - s_b[0] * grid_j) / 100
    nash = np.where((ga > 0) & (gb > 0), ga * gb, 0.0)
    assert t.nash >= nash.max() - 1e-15  # never worse than any point of the grid
    if not t.exists:
        assert nash.max() == 0
        return
    assert t.issue_j == 0 and t.issue_k == 1
    assert 0 < t.delta_j <= rooms[0] + 1e-9 and 0 < t.delta_k <= rooms[1] + 1e-9
    # and no feasible nearby package does better (local optimality, on a fine grid)
    eps = np.linspace(-1, 1, 41) * 1e-2 * max(t.delta_j, t.delta_k)
    dj = np.clip(t.delta_j + eps[:, None], 0, rooms[0])
    dk = np.clip(t.delta_k + eps[None, :], 0, rooms[1])
    la = (s_a[0] * dj - s_a[1] * dk) / 100
    lb = (s_b[1] * dk - s_b[0] * dj) / 100
    local = np.where((la > 0) & (lb > 0), la * lb, 0.0)
    assert local.max() <= t.nash * (1 + 1e-9)


def test_package_moves_trade_until_no_gain() -> None:
    # A cares about issue 0, B about issue 1, issue 2 equally: one trade, 0 to A, 1 to B
    r = war.package_moves(
        [50, 50, 50], [100, 100, 100], [0, 0, 0], [0.9, 0.3, 0.5], [0.2, 0.8, 0.5]
    )
    np.testing.assert_allclose(r.x, [100, 0, 50])
    assert r.rounds == 1 and r.gain_A == pytest.approx(0.3) and r.gain_B == pytest.approx(0.3)
    # the batch axis: a second row with equal ratios trades nothing
    s_b = [[0.2, 0.8, 0.5], [0.9, 0.3, 0.5]]
    batch = war.package_moves([50, 50, 50], [100, 100, 100], [0, 0, 0], [0.9, 0.3, 0.5], s_b)
    np.testing.assert_array_equal(batch.rounds, [1, 0])
    np.testing.assert_allclose(batch.x[1], [50, 50, 50])
    assert len(batch.trades["round"]) == 1


# -- M5 land for land --------------------------------------------------------------------


def _fight_value_by_iteration(V: float, h: float, delta: float, cost: float) -> float:
    """W = δ[hV - cost + (1 - h)W] solved by fixed-point iteration (independent of the closed form)."""
    w = 0.0
    for _ in range(20_000):
        w = delta * (h * V - cost + (1 - h) * w)
    return w


@pytest.mark.parametrize(
    ("V", "h", "delta", "c", "alpha", "area", "psi"),
    [(0.03, 0.12, 0.98, 0.002, 1e-6, 1294, 0.0), (0.5, 0.5, 0.9, 0.1, 0.0, 0.0, 0.2)],
)
def test_swap_reservation_is_value_now_minus_value_of_fighting(
    V: float, h: float, delta: float, c: float, alpha: float, area: float, psi: float
) -> None:
    r = war.swap_reservation(V, h, delta, c, psi, alpha=alpha, area=area)
    w = _fight_value_by_iteration(V, h, delta, c + alpha * area)
    assert r.fight_value == pytest.approx(w, rel=1e-9)
    assert r.R_swap == pytest.approx(V - w - psi, rel=1e-9)
    k = delta / (1 - delta * (1 - h))
    assert r.R_swap == pytest.approx(V * (1 - h * k) + (c + alpha * area) * k - psi)


@given(
    V=st.floats(0.0, 1.0),
    h=st.floats(0.0, 0.99),
    dh=st.floats(1e-3, 0.01),
    delta=st.floats(0.5, 0.995),
    c=st.floats(0.0, 0.1),
)
def test_swap_reservation_falls_as_recapture_hazard_rises(
    V: float, h: float, dh: float, delta: float, c: float
) -> None:
    assume(V > 1e-6 or c > 1e-6)
    lo, hi = war.swap_reservation(V, [h, h + dh], delta, c, 0.0).R_swap
    assert hi < lo
    # the closed-form derivative against a central difference
    e = 1e-6
    r0 = war.swap_reservation(V, h + dh / 2, delta, c, 0.0)
    num = np.diff(war.swap_reservation(V, [h + dh / 2 - e, h + dh / 2 + e], delta, c, 0.0).R_swap)
    assert float(r0.dR_dh) < 0
    assert float(r0.dR_dh) == pytest.approx(num[0] / (2 * e), rel=1e-4, abs=1e-6)


def _kursk(psi: float = 0.0, months: int = 12) -> war.WarResult:
    chip = war.Parcel("KURSK", owner="B", holder="A", area=1294, value_A=0.02, value_B=0.03)
    cands = [
        war.Parcel("P1", owner="A", holder="B", area=1000, value_A=0.015, value_B=0.01),
        war.Parcel("P2", owner="A", holder="B", area=5000, value_A=0.08, value_B=0.06),
    ]
    return war.land_swap(
        chip, cands, h=0.12, delta=0.98, c=0.002, psi=psi, alpha=1e-6, months=months
    )


def test_land_swap_month_by_month() -> None:
    r = _kursk()
    frame = r.to_frame()
    assert list(frame.columns) == [
        "month",
        "area",
        "R_swap",
        "U_swap",
        "feasible",
        "best",
        "shortfall",
    ]
    np.testing.assert_allclose(frame["area"], 1294 * 0.88 ** np.arange(13))
    np.testing.assert_allclose(frame["U_swap"], 0.02 * frame["area"] / 1294)  # eta = 1
    # the chip depreciates: P1 (0.015 to A, 0.01 to B) becomes an acceptable price in month 3
    assert r.first_feasible == 3 and (frame["best"][3:] == 0).all()
    assert not frame["feasible"][:3].any()


def test_land_swap_is_symmetric_in_the_sides() -> None:
    # the same chip with A and B exchanged: the owner's R_swap and the holder's U_swap agree
    chip = war.Parcel("K", owner="B", holder="A", area=1294, value_A=0.02, value_B=0.03)
    cand = war.Parcel("P1", owner="A", holder="B", area=1000, value_A=0.015, value_B=0.01)
    mirror = war.Parcel("K", owner="A", holder="B", area=1294, value_A=0.03, value_B=0.02)
    mcand = war.Parcel("P1", owner="B", holder="A", area=1000, value_A=0.01, value_B=0.015)
    kw = dict(h=0.12, delta=0.98, c=0.002, psi=0.0, alpha=1e-6, months=12)
    one = war.land_swap(chip, [cand], **kw).to_frame()  # type: ignore[arg-type]
    two = war.land_swap(mirror, [mcand], **kw).to_frame()  # type: ignore[arg-type]
    assert one.equals(two)


@given(psi=st.floats(1.0, 1e6))
def test_large_reputational_cost_blocks_every_swap(psi: float) -> None:
    assert not _kursk(psi=psi, months=24).feasible.any()
    r = war.swap_reservation(1.0, 0.0, 0.99, 1.0, psi)
    assert r.R_swap < war.swap_reservation(1.0, 0.0, 0.99, 1.0, 0.0).R_swap


def test_swap_feasible_closed_form() -> None:
    # candidates (holder value, owner value): (0.05, 0.02) qualifies, (0.01, 0.01) is too cheap
    f = war.swap_feasible(0.03, 0.04, [0.05, 0.01, 0.2], [0.02, 0.01, 0.5])
    assert f.feasible and f.best == 0 and f.surplus == pytest.approx(0.01 + 0.01)
    np.testing.assert_array_equal(f.qualifies, [True, False, False])
    g = war.swap_feasible(0.01, 0.04, [0.05], [0.02])
    assert not g.feasible and g.best == -1 and g.shortfall == pytest.approx(0.01)


def test_chip_value_decays_with_area() -> None:
    v = war.chip_value(0.02, [1294, 647, 0], 1294)
    np.testing.assert_allclose(v, [0.02, 0.01, 0.0])
    assert war.chip_value(0.02, 647, 1294, eta=2) == pytest.approx(0.005)


# -- M6 mediation ----------------------------------------------------------------------


@given(r_l=st.floats(1e-3, 1.0), xs=unit, extra=st.floats(1e-3, 0.5), w=unit, k=st.floats(1e-3, 1))
def test_war_minimiser_is_never_credible(
    r_l: float, xs: float, extra: float, w: float, k: float
) -> None:
    # u_M flat in x (bias 0), war costly to the mediator
    r = war.mediator_credibility(0.0, xs, xs + extra, w, r_L=r_l, war_cost=k)
    assert not r.credible
    flat = war.kydd_credibility(1.0, 1.0, 1.0 - k, r_l)
    assert not flat.credible and flat.margin == pytest.approx(-r_l * k)


@given(
    b=st.lists(unit, min_size=2, max_size=2),
    r_l=st.floats(0.0, 0.9),
    xs=st.floats(0.0, 0.5),
    extra=st.floats(0.01, 0.5),
)
def test_credibility_rises_with_bias_toward_the_side_asked_to_concede(
    b: list[float], r_l: float, xs: float, extra: float
) -> None:
    lo, hi = sorted(b)
    w = xs - 0.05  # war pays less than the safe demand, but the risky demand pays in expectation
    assume((1 - r_l) * (xs + extra) + r_l * w > xs)
    res = war.mediator_credibility([lo, hi], xs, xs + extra, w, r_L=r_l, war_cost=0.1)
    assert res.margin[1] >= res.margin[0] - 1e-15
    assert not (res.credible[0] and not res.credible[1])
    b_star = float(res.bias_needed[0])
    at = war.mediator_credibility(min(1.0, b_star), xs, xs + extra, w, r_L=r_l, war_cost=0.1)
    if b_star <= 1:
        assert at.margin == pytest.approx(0.0, abs=1e-12)


def test_kydd_closed_form() -> None:
    # b = 0.6, safe 0.45, risky 0.6, war 0.35, r_L = 0.2, k = 0.1:
    # 0.6·(0.8·0.6 + 0.2·0.35 - 0.45) - 0.02 = 0.04
    r = war.mediator_credibility(0.6, 0.45, 0.6, 0.35, r_L=0.2, war_cost=0.1)
    assert r.margin == pytest.approx(0.04) and r.credible
    assert r.bias_needed == pytest.approx(0.02 / 0.1)


@given(
    broker=st.floats(0.05, 1.0),
    force=st.floats(0.05, 1.0),
    kappa=st.floats(1.2, 5.0),
    p0=st.floats(0.0, 0.9),
)
def test_favretto_argmin_is_interior(broker: float, force: float, kappa: float, p0: float) -> None:
    grid = np.linspace(0, 1, 2001)
    r = war.settlement_by_bias(grid, p_base=p0, broker=broker, force=force, kappa=kappa)
    assert bool(np.all(r.interior)) and 0 < float(r.argmin[0]) < 1
    p = np.asarray(r.p_settle)
    if p0 < 1:
        assert abs(grid[np.argmin(p)] - float(r.argmin[0])) <= 1e-3 + 1e-9
        p_min = float(r.p_min[0])
        assert p[0] > p_min and p[-1] > p_min  # U-shaped: both ends above the minimum
    # the sign of the bias names a side; the shape is symmetric in it
    neg = war.settlement_by_bias(-grid, p_base=p0, broker=broker, force=force, kappa=kappa)
    np.testing.assert_allclose(neg.p_settle, p)


def test_favretto_closed_form_argmin() -> None:
    r = war.settlement_by_bias(0.0, p_base=0.1, broker=0.5, force=0.6, kappa=2)
    assert r.argmin == pytest.approx(1 / (1 + 0.6 / 0.5))
    assert r.p_settle == pytest.approx(0.1 + 0.9 * 0.5)


def test_leverage_widens_the_range_and_fades() -> None:
    r = war.leverage_range(0.3, 0.15, 0.10, [0, 10], L0_A=0.1, L0_B=0.05, lam=0.9)
    np.testing.assert_allclose(r.low, [0.15 - 0.1, 0.15 - 0.1 * 0.9**10])
    np.testing.assert_allclose(r.high, [0.40 + 0.05, 0.40 + 0.05 * 0.9**10])
    np.testing.assert_allclose(r.natural_low, 0.15)


@given(
    d=st.lists(st.floats(0.0, 0.3), min_size=2, max_size=2),
    lam=st.lists(st.floats(0.5, 1.0), min_size=2, max_size=2),
    L0=st.floats(0.0, 0.3),
)
def test_relapse_rises_with_distance_and_with_one_minus_lambda(
    d: list[float], lam: list[float], L0: float
) -> None:
    p, c_a, c_b = 0.35, 0.15, 0.10
    near, far = sorted(d)
    x = [p - c_a - near, p - c_a - far]  # below A's minimum: A was pushed
    by_gap = war.leverage_relapse(x, p, c_a, c_b, L0, lam[0], 60)
    assert by_gap.p_relapse[1] >= by_gap.p_relapse[0] - 1e-15
    slow, fast = sorted(lam, reverse=True)  # fast decay = larger 1 - lambda
    by_lam = war.leverage_relapse(p - c_a - far, p, c_a, c_b, L0, [slow, fast], 60)
    assert by_lam.p_relapse[1] >= by_lam.p_relapse[0] - 1e-15


def test_leverage_relapse_closed_forms() -> None:
    # inside the natural range: the base hazard alone, 1 - exp(-T·λ0)
    inside = war.leverage_relapse(0.25, 0.35, 0.15, 0.10, 0.0, 0.9, 120)
    assert inside.gap == 0 and inside.p_relapse == pytest.approx(1 - math.exp(-120 * BASE_HAZARD))
    assert inside.p_relapse == pytest.approx(0.5)
    # a gap of 0.1 bought with L0 = 0.2 at λ = 0.5 is covered for log(0.5)/log(0.5) = 1 month
    r = war.leverage_relapse(0.10, 0.35, 0.15, 0.10, 0.2, 0.5, 3, kappa=20)
    assert r.gap == pytest.approx(0.1) and r.bought and r.covered_months == pytest.approx(1.0)
    m = [1 + 20 * max(0.0, 0.1 - 0.2 * 0.5**t) for t in range(3)]
    assert r.p_relapse == pytest.approx(1 - math.exp(-BASE_HAZARD * sum(m)))
    above = war.range_gap(0.6, 0.35, 0.15, 0.10)
    assert above.gap == pytest.approx(0.15) and above.pushed == "B"


# -- M9 durability ---------------------------------------------------------------------


@given(
    base=st.lists(unit, min_size=3, max_size=3),
    which=st.sampled_from(FEATURES),
    more=st.floats(0.0, 1.0),
    t=st.floats(0.0, 120.0),
    gap=st.floats(0.0, 0.2),
)
def test_each_durability_feature_weakly_lowers_the_hazard(
    base: list[float], which: str, more: float, t: float, gap: float
) -> None:
    feats = dict(zip(FEATURES, base, strict=True))
    raised = dict(feats, **{which: max(feats[which], more)})
    kw = dict(gap=gap, L0=0.1, lam=0.95)
    h0 = war.relapse_hazard(t, **feats, **kw).hazard
    h1 = war.relapse_hazard(t, **raised, **kw).hazard
    assert h1 <= h0
    if raised[which] > feats[which] + 1e-6:
        assert h1 < h0  # every default beta is > 0


def test_durability_closed_form() -> None:
    # constant hazard: P(relapse within T) = 1 - exp(-T·λ0·exp(-Σ β f))
    r = war.relapse_probability(24, guarantees=0.5, dmz=1.0, peacekeepers=0.0)
    rate = BASE_HAZARD * math.exp(-BETA["guarantees"] * 0.5 - BETA["dmz"])
    assert r.p_relapse == pytest.approx(1 - math.exp(-24 * rate))
    np.testing.assert_allclose(r.survival, np.exp(-rate * np.arange(25)))
    assert war.relapse_probability(0).p_relapse == 0.0
    h = war.relapse_hazard(5.0, gap=0.1, L0=0.1, lam=0.9, kappa=20)
    assert h.leverage_term == pytest.approx(1 + 20 * (0.1 - 0.1 * 0.9**5))


# -- vectorised = loop of scalar calls -------------------------------------------------


def _same(vec: war.WarResult, loop: list[war.WarResult], keys: tuple[str, ...]) -> None:
    for key in keys:
        got = np.asarray(vec[key], dtype=float)
        want = np.array([float(r[key]) for r in loop])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)


@settings(deadline=None)
@given(st.data())
def test_vectorised_equals_loop(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 6))

    def arr(lo: float, hi: float) -> np.ndarray:
        return np.array(data.draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n)))

    s1, s2, s3, s4 = (arr(0, 1) for _ in range(4))
    d1, d2 = arr(0, 50), arr(0, 50)
    vec = war.linkage_gain(s1, s2, s3, s4, d1, d2)
    loop = [war.linkage_gain(*a) for a in zip(s1, s2, s3, s4, d1, d2, strict=True)]
    _same(vec, loop, ("gain_A", "gain_B", "mutual", "linkable"))

    sa = np.stack([arr(0, 1), arr(0, 1), arr(0, 1)], axis=-1)
    sb = np.stack([arr(0, 1), arr(0, 1), arr(0, 1)], axis=-1)
    ra = np.stack([arr(0, 50), arr(0, 50), arr(0, 50)], axis=-1)
    rb = np.stack([arr(0, 50), arr(0, 50), arr(0, 50)], axis=-1)
    vec = war.best_trade(sa, sb, ra, rb)
    loop = [war.best_trade(*a) for a in zip(sa, sb, ra, rb, strict=True)]
    _same(vec, loop, ("exists", "issue_j", "issue_k", "delta_j", "delta_k", "gain_A", "nash"))

    x = np.stack([arr(0, 100), arr(0, 100), arr(0, 100)], axis=-1)
    vec = war.package_moves(x, 100, 0, sa, sb)
    loop = [war.package_moves(a, 100, 0, b, c) for a, b, c in zip(x, sa, sb, strict=True)]
    _same(vec, loop, ("gain_A", "gain_B", "rounds"))
    np.testing.assert_allclose(vec.x, np.stack([r.x for r in loop]))

    v, h, dl, c, ps = arr(0, 1), arr(0, 1), arr(0.5, 0.99), arr(0, 0.1), arr(0, 0.5)
    area = arr(0, 2000)
    vec = war.swap_reservation(v, h, dl, c, ps, alpha=1e-5, area=area)
    loop = [
        war.swap_reservation(*a[:5], alpha=1e-5, area=a[5])
        for a in zip(v, h, dl, c, ps, area, strict=True)
    ]
    _same(vec, loop, ("R_swap", "fight_value", "pressure", "dR_dh"))

    cand_h, cand_o = [0.01, 0.05, 0.2], [0.02, 0.03, 0.1]
    vec = war.swap_feasible(v, ps, cand_h, cand_o)
    loop = [war.swap_feasible(a, b, cand_h, cand_o) for a, b in zip(v, ps, strict=True)]
    _same(vec, loop, ("feasible", "best", "surplus", "shortfall"))

    b, xs, extra, w = arr(0, 1), arr(0, 0.5), arr(0.01, 0.5), arr(0, 1)
    vec = war.mediator_credibility(b, xs, xs + extra, w, r_L=h, war_cost=c)
    loop = [
        war.mediator_credibility(a, s, s + e, ww, r_L=r, war_cost=k)
        for a, s, e, ww, r, k in zip(b, xs, extra, w, h, c, strict=True)
    ]
    _same(vec, loop, ("margin", "credible", "bias_needed"))

    bias, br, fo, kp = arr(-1, 1), arr(0, 1), arr(0, 1), arr(1.1, 4)
    vec = war.settlement_by_bias(bias, broker=br, force=fo, kappa=kp)
    loop = [
        war.settlement_by_bias(a, broker=b_, force=f, kappa=k)
        for a, b_, f, k in zip(bias, br, fo, kp, strict=True)
    ]
    _same(vec, loop, ("p_settle", "argmin", "p_min"))

    p, ca, cb, t, lam = arr(0, 1), arr(0, 0.3), arr(0, 0.3), arr(0, 60), arr(0, 1)
    vec = war.leverage_range(p, ca, cb, t, L0_A=c, L0_B=ps, lam=lam)
    loop = [
        war.leverage_range(*a[:4], L0_A=a[4], L0_B=a[5], lam=a[6])
        for a in zip(p, ca, cb, t, c, ps, lam, strict=True)
    ]
    _same(vec, loop, ("L_A", "L_B", "low", "high"))

    vec = war.leverage_relapse(w, p, ca, cb, ps, lam, 36)
    loop = [war.leverage_relapse(*a, 36) for a in zip(w, p, ca, cb, ps, lam, strict=True)]
    _same(vec, loop, ("gap", "bought", "covered_months", "p_relapse"))

    g, z, k = arr(0, 1), arr(0, 1), arr(0, 1)
    vec = war.relapse_hazard(t, guarantees=g, dmz=z, peacekeepers=k, gap=ca, L0=c, lam=lam)
    loop = [
        war.relapse_hazard(
            a[0], guarantees=a[1], dmz=a[2], peacekeepers=a[3], gap=a[4], L0=a[5], lam=a[6]
        )
        for a in zip(t, g, z, k, ca, c, lam, strict=True)
    ]
    _same(vec, loop, ("hazard", "feature_factor", "leverage_term"))

    vec = war.relapse_probability(24, guarantees=g, dmz=z, peacekeepers=k, gap=ca, L0=c, lam=lam)
    loop = [
        war.relapse_probability(
            24, guarantees=a[0], dmz=a[1], peacekeepers=a[2], gap=a[3], L0=a[4], lam=a[5]
        )
        for a in zip(g, z, k, ca, c, lam, strict=True)
    ]
    _same(vec, loop, ("p_relapse",))


# -- bad parameters --------------------------------------------------------------------


def _swap(chip: war.Parcel, other: war.Parcel) -> war.WarResult:
    return war.land_swap(chip, [other], h=0.1, delta=0.9, c=0, psi=0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: war.swap_reservation(0.1, 1.5, 0.9, 0, 0), "h: must be in [0, 1] (got 1.5)"),
        (lambda: war.swap_reservation(0.1, 0.1, 1.0, 0, 0), "delta: must be in (0, 1) (got 1.0)"),
        (lambda: war.swap_reservation(0.1, 0.1, 0.9, 0, -1), "psi: must be in [0, inf] (got -1.0)"),
        (lambda: war.linkage_gain(-0.1, 1, 1, 1, 1, 1), "s_Aj: must be in [0, inf] (got -0.1)"),
        (
            lambda: war.best_trade([0.5], [0.5], [1], [1]),
            "s_A: needs at least two issues on the last axis (got (1,))",
        ),
        (
            lambda: war.swap_feasible(0.1, 0.1, [], []),
            "value_holder: needs at least one candidate parcel (last axis) (got [])",
        ),
        (
            lambda: war.Parcel("K", owner="RUS", holder="A", area=1, value_A=0, value_B=0),
            "parcels.K.owner: must be 'A' or 'B' (got 'RUS')",
        ),
        (
            lambda: war.Parcel("K", owner="B", holder="A", area=-1, value_A=0, value_B=0),
            "parcels.K.area: must be in [0, inf] (got -1.0)",
        ),
        (
            lambda: _swap(war.Parcel("K", "B", "B", 10, 0, 0), war.Parcel("Z", "A", "B", 1, 0, 0)),
            "parcels.K: must be held by the side that does not own it",
        ),
        (
            lambda: _swap(war.Parcel("K", "B", "A", 10, 0, 0), war.Parcel("Z", "A", "A", 1, 0, 0)),
            "parcels.Z: must be land of side A held by side B (got 'owner A, holder A')",
        ),
        (
            lambda: war.mediator_credibility(0.5, 0.6, 0.5, 0.3),
            "x_risky: must exceed x_safe (the risky demand asks for more) (got 0.5)",
        ),
        (lambda: war.mediator_credibility(1.5, 0.4, 0.5, 0.3), "bias: must be in [0, 1] (got 1.5)"),
        (lambda: war.settlement_by_bias(0.5, kappa=1.0), "kappa: must be in (1, inf] (got 1.0)"),
        (lambda: war.leverage_range(0.3, 0.1, 0.1, 1, lam=1.2), "lam: must be in [0, 1] (got 1.2)"),
        (lambda: war.relapse_probability(-1), "months: must be an integer >= 0 (got -1)"),
        (lambda: war.relapse_hazard(1, dmz=2), "dmz: must be in [0, 1] (got 2.0)"),
    ],
)
def test_bad_parameters_name_the_parameter(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(ModelError) as exc:
        call()
    assert str(exc.value) == message


def test_results_convert_to_frames() -> None:
    for res in (
        war.linkage_gain([0.9, 0.5], 0.3, 0.2, 0.8, 10, 10),
        war.swap_reservation([0.1, 0.2], 0.1, 0.9, 0.01, 0.0),
        war.settlement_by_bias(np.linspace(0, 1, 5)),
        war.relapse_hazard(np.arange(3.0)),
    ):
        frame = res.to_frame()
        assert len(frame) >= 2 and not frame.empty
