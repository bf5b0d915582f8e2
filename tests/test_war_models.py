"""accord.war M1, M2, M4, M7: the closed-form test matrix (war-termination.md §1.10),
the listed comparative statics, and vectorised call = loop of scalar calls."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord import war
from accord.errors import ModelError

unit = st.floats(0.0, 1.0)
cost = st.floats(0.0, 0.5)

# -- M1 bargaining range ---------------------------------------------------------------


def test_m1_range_closed_form() -> None:
    r = war.bargaining_range(0.3, 0.15, 0.10)
    assert r.low == pytest.approx(0.15, abs=1e-15)
    assert r.high == pytest.approx(0.40, abs=1e-15)
    assert not r.empty
    assert r.midpoint == pytest.approx(0.275)
    # thresholds are not clipped; the midpoint is that of the range's part inside the pie
    edge = war.bargaining_range(0.0, 0.15, 0.10)
    assert edge.low == pytest.approx(-0.15) and edge.midpoint == pytest.approx(0.05)
    assert edge.notes and not r.notes


@given(p=unit, cu=cost, cr=cost)
def test_m1_width_is_joint_cost_for_any_p(p: float, cu: float, cr: float) -> None:
    r = war.bargaining_range(p, cu, cr)
    assert r.width == pytest.approx(cu + cr, abs=1e-12)
    assert not r.empty


@given(p=st.floats(0.05, 0.95), cu=cost, cr=cost, rho=st.floats(0.2, 0.99))
def test_m1_risk_aversion_widens_the_range(p: float, cu: float, cr: float, rho: float) -> None:
    neutral = war.bargaining_range(p, cu, cr)
    averse = war.bargaining_range(p, cu, cr, rho_A=rho, rho_B=rho)
    assert averse.low <= neutral.low + 1e-12
    assert averse.high >= neutral.high - 1e-12


def test_m1_concave_utilities_closed_form() -> None:
    # u(x) = sqrt(x): Ukraine needs x >= (p - c_A)^2, Russia gives up to 1 - (1 - p - c_B)^2
    r = war.bargaining_range(0.5, 0.1, 0.1, rho_A=0.5, rho_B=0.5)
    assert r.low == pytest.approx(0.16)
    assert r.high == pytest.approx(0.84)


def test_m1_indivisible_pie_is_empty_and_side_payments_open_it() -> None:
    r = war.indivisible_settlement(0.5, 0.1, 0.1, [0.0, 1.0])
    assert not r.exists
    assert r.gap == pytest.approx(0.4)
    assert np.isnan(r.split)
    too_small = war.indivisible_settlement(0.5, 0.1, 0.1, [0.0, 1.0], side_payment=0.39)
    assert not too_small.exists
    paid = war.indivisible_settlement(0.5, 0.1, 0.1, [0.0, 1.0], side_payment=0.4)
    assert paid.exists
    assert abs(paid.transfer) == pytest.approx(0.4)
    # a feasible split inside the range needs no payment
    inside = war.indivisible_settlement(0.5, 0.1, 0.1, [0.0, 0.45, 1.0])
    assert inside.exists and inside.split == 0.45 and inside.transfer == 0


# -- M2 private information -------------------------------------------------------------


def test_m2_continuous_closed_form() -> None:
    r = war.screen_continuous(0.5, 0.1, 0.3)
    assert r.x_star == pytest.approx(0.6)
    assert r.p_war == pytest.approx(1 / 3)


def test_m2_offer_maximises_the_objective_on_a_grid() -> None:
    p, cu, cb = 0.35, 0.05, 0.4
    x = np.linspace(p, min(1.0, p + cb), 100_001)
    q = (x - p) / cb
    objective = (1 - q) * x + q * (p - cu)
    r = war.screen_continuous(p, cu, cb)
    assert r.x_star == pytest.approx(x[np.argmax(objective)], abs=2e-5)
    assert r.expected_utility == pytest.approx(objective.max(), abs=1e-9)


def test_m2_p_war_decreasing_in_own_cost_and_zero_beyond_c_bar() -> None:
    cu = np.linspace(0, 0.6, 61)
    r = war.screen_continuous(0.4, cu, 0.3)
    assert (np.diff(r.p_war) <= 1e-15).all()
    assert (np.diff(r.p_war[cu < 0.3]) < 0).all()
    assert (r.p_war[cu >= 0.3] == 0).all()
    assert (r.x_star[cu >= 0.3] == 0.4).all()


def test_m2_p_war_rises_with_uncertainty() -> None:
    r = war.screen_continuous(0.3, 0.05, np.linspace(0.06, 0.6, 50))
    assert (np.diff(r.p_war) > 0).all()


def test_m2_offer_capped_by_the_pie() -> None:
    r = war.screen_continuous(0.9, 0.0, 0.6)
    assert r.capped and r.x_star == 1.0
    assert r.p_war == pytest.approx(0.1 / 0.6)


def test_m2_two_types_threshold() -> None:
    r = war.screen_two_types(0.7, 0.4, 0.1, 0.1, mu=0.5)
    assert r.mu_star == pytest.approx(0.6)
    assert r.risky and r.offer == pytest.approx(0.8) and r.p_war == 0.5
    safe = war.screen_two_types(0.7, 0.4, 0.1, 0.1, mu=0.65)
    assert not safe.risky and safe.offer == pytest.approx(0.5) and safe.p_war == 0


def test_m2_screening_war_rises_with_type_spread_and_falls_with_costs() -> None:
    spread = war.screen_two_types(0.4 + np.linspace(0.0, 0.5, 26), 0.4, 0.1, 0.1)
    assert (np.diff(spread.mu_star) > 0).all()
    costly = war.screen_two_types(0.7, 0.4, np.linspace(0, 0.5, 26), 0.1)
    assert (np.diff(costly.mu_star) < 0).all()
    # at a fixed prior, a wider spread turns the safe offer into a risky one (war possible)
    r = war.screen_two_types(np.array([0.45, 0.9]), 0.4, 0.1, 0.1, mu=0.5)
    assert r.p_war.tolist() == [0.0, 0.5]


@given(pw=unit, ps=unit, ca=cost, cb=cost, mu=unit)
def test_m2_two_types_choice_is_the_better_offer(
    pw: float, ps: float, ca: float, cb: float, mu: float
) -> None:
    pw, ps = max(pw, ps), min(pw, ps)
    r = war.screen_two_types(pw, ps, ca, cb, mu)
    safe = ps + cb
    risky = (1 - mu) * (pw + cb) + mu * (ps - ca)
    assert r.expected_utility == pytest.approx(max(safe, risky), abs=1e-12)


def test_m2_bayes_update_of_the_strong_prior() -> None:
    # one battle lost by A: P(strong) = mu (1-ts) / (mu (1-ts) + (1-mu)(1-tw))
    got = war.posterior_strong(0.5, 0, 1, 0.3, 0.6)
    assert got == pytest.approx(0.5 * 0.7 / (0.5 * 0.7 + 0.5 * 0.4))
    # losing battles raises mu past mu* = 0.6: the offerer then settles
    mus = [war.posterior_strong(0.3, 0, n, 0.4, 0.7) for n in range(6)]
    assert all(b > a for a, b in itertools.pairwise(mus))
    assert mus[0] < 0.6 < mus[-1]


# -- M4 commitment ---------------------------------------------------------------------


def test_m4_power_shift_closed_form() -> None:
    war_ = war.power_shift(0.6, 0.3, 0.9, 0.05)
    assert war_.war
    assert war_.lhs == pytest.approx(0.27) and war_.rhs == pytest.approx(0.045)
    peace = war.power_shift(0.6, 0.58, 0.9, 0.05)
    assert not peace.war
    assert peace.lhs == pytest.approx(0.018)


def test_m4_war_more_likely_as_shift_grows_and_delta_rises() -> None:
    q = np.linspace(0.6, 0.0, 121)  # shift p - q grows
    r = war.power_shift(0.6, q, 0.9, 0.05)
    assert (np.diff(r.margin) > 0).all()
    assert (np.diff(r.war.astype(int)) >= 0).all() and r.war[-1] and not r.war[0]
    d = war.power_shift(0.6, 0.5, np.linspace(0.5, 0.99, 50), 0.05)
    assert (np.diff(d.margin) > 0).all()


def _grid_window(*args: float, n: int = 200_001) -> tuple[bool, float, float]:
    p, qu0, qr0, gu, gr, delta, du, dr = args
    g = np.linspace(0, 1, n)
    ukr_peace = ~war.power_shift(p, np.clip(qu0 + gu * g, 0, 1), delta, du).war
    rus_peace = ~war.power_shift(1 - p, np.clip(qr0 - gr * g, 0, 1), delta, dr).war
    ok = ukr_peace & rus_peace
    if not ok.any():
        return False, np.nan, np.nan
    return True, float(g[ok].min()), float(g[ok].max())


@given(
    p=st.floats(0.05, 0.95),
    qu0=st.floats(0.0, 0.6),
    qr0=st.floats(0.2, 1.0),
    gu=st.floats(0.0, 0.5),
    gr=st.floats(0.0, 0.5),
    delta=st.floats(0.5, 0.99),
    du=st.floats(0.0, 0.2),
    dr=st.floats(0.0, 0.2),
)
def test_m4_window_closed_form_matches_grid_search(
    p: float, qu0: float, qr0: float, gu: float, gr: float, delta: float, du: float, dr: float
) -> None:
    # keep q_A(g), q_B(g) inside [0, 1] so the grid's power_shift needs no clipping
    gu = min(gu, 1 - qu0)
    gr = min(gr, qr0)
    r = war.commitment_window(p, qu0, qr0, gu, gr, delta, du, dr)
    ok, lo, hi = _grid_window(p, qu0, qr0, gu, gr, delta, du, dr)
    step = 1 / 200_000
    if ok:
        assert r.nonempty
        assert r.low == pytest.approx(lo, abs=step + 1e-9)
        assert r.high == pytest.approx(hi, abs=step + 1e-9)
    else:  # an empty grid may miss a window narrower than a grid step
        assert not r.nonempty or r.high - r.low < step


def test_m4_window_examples() -> None:
    # Russia accepts g only up to a bound; Ukraine needs g above one: an explicit window
    r = war.commitment_window(0.4, 0.35, 0.59, 0.2, 0.1, 0.95, 0.02, 0.02)
    k = 0.05 / 0.95
    low = (0.4 - 0.35 - k * (1 - 0.4 + 0.02)) / 0.2
    high = (k * (0.4 + 0.02) - (1 - 0.4 - 0.59)) / 0.1
    assert 0 < low < high < 1
    assert r.nonempty and r.low == pytest.approx(low) and r.high == pytest.approx(high)
    # a stronger Russian fear of guarantees closes it: war persists whatever the split
    closed = war.commitment_window(0.4, 0.35, 0.59, 0.2, 2.0, 0.95, 0.02, 0.02)
    assert not closed.nonempty and np.isnan(closed.low)


def test_m4_reiter_collapses_the_acceptable_set() -> None:
    base = war.commitment_window(0.4, 0.35, 0.59, 0.2, 0.1, 0.95, 0.02, 0.02)
    assert base.nonempty and base.high < 1
    # Ukraine expects Russia to renege (86.7% expect a new attack): only g = 1 will do
    absolute = war.commitment_window(
        0.4, 0.35, 0.59, 0.2, 0.1, 0.95, 0.02, 0.02, rho_A=0.867, rho_bar=0.5
    )
    assert absolute.absolute_A and not absolute.nonempty
    s = war.acceptable_set(0.2, 0.8, 1.0, [0.3, 0.9], 0.5)
    assert s.low.tolist() == [0.2, 1.0] and s.high.tolist() == [0.8, 1.0]


# -- M7 brinkmanship --------------------------------------------------------------------


def test_m7_k_star_closed_form_and_maximises_on_grid() -> None:
    r = war.optimal_power(0.8, 1.0, 0.5, 3.0, 1.0, 2.0)
    k = (1.0 * 0.8 * 1.0 / (3.0 * 0.5 * 2.0)) ** (1 / 2)
    assert r.k_star == pytest.approx(k)
    grid = np.linspace(0, 1, 100_001)
    value = 0.8 * grid * 1.0 - 0.5 * grid**3 * 2.0
    assert r.k_star == pytest.approx(grid[np.argmax(value)], abs=1e-5)


def test_m7_k_star_decreasing_in_r_bar() -> None:
    r = war.optimal_power(0.8, 1.0, np.linspace(0.05, 1, 40), 2.0, 1.0, 5.0)
    assert (np.diff(r.k_star) <= 0).all()
    assert (np.diff(r.k_star[r.interior]) < 0).all()
    assert r.interior.sum() > 30


def test_m7_cap_decreasing_in_defender_resolve() -> None:
    r = war.optimal_power(0.8, 1.0, 0.3, 2.0, 1.0, 5.0, phi_D=np.linspace(0, 1, 21))
    assert (np.diff(r.k_star) < 0).all() and r.k_star[-1] == 0


def test_m7_limited_conflict_rises_with_r_bar() -> None:
    v = np.random.default_rng(7).lognormal(0.0, 1.0, 4000)
    r = war.conflict_levels(0.8, 1.0, np.array([0.1, 0.3, 0.9]), 2.0, v, 5.0, k_limit=0.5)
    assert (np.diff(r.p_limited) > 0).all()
    assert (np.diff(r.p_high) < 0).all()


def test_m7_escalation_with_default_partners() -> None:
    tau = [0.338, 0.091, 0.015]  # China, India, Brazil shares of Russia's 2023 trade [D16]
    phi = [0.5, 0.3, 0.3]
    r = war.escalation(110.0, 0.1, 1000.0, 710.1, tau, phi)
    assert pytest.approx(710.1 * (0.338 * 0.5 + 0.091 * 0.3 + 0.015 * 0.3)) == r.E
    assert not r.escalate
    assert war.escalation(r.threshold + 1, 0.1, 1000.0, 710.1, tau, phi).escalate
    # no partner reaction: only the catastrophe risk deters
    assert war.escalation(101.0, 0.1, 1000.0, 710.1, tau, [0, 0, 0]).escalate


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: war.bargaining_range(1.2, 0.1, 0.1), "p: must be in [0, 1] (got 1.2)"),
        (lambda: war.bargaining_range(0.5, -0.1, 0.1), "c_A: must be in [0, inf] (got -0.1)"),
        (lambda: war.bargaining_range(0.5, np.nan, 0.1), "c_A: must be finite (got nan)"),
        (
            lambda: war.screen_continuous(0.5, 0.1, "x"),
            "c_bar: must be a number or an array of numbers (got 'x')",
        ),
        (
            lambda: war.screen_two_types(0.3, 0.4, 0.1, 0.1),
            "p_w: p_w (A's odds against the weak type) must be >= p_s (got 0.3)",
        ),
        (lambda: war.power_shift(0.6, 0.3, 1.0, 0.05), "delta: must be in (0, 1) (got 1.0)"),
        (
            lambda: war.optimal_power(0.8, 2.0, 0.3, 1.0, 1, 1),
            "b: must exceed a (risk must rise faster than power) (got 1.0)",
        ),
        (
            lambda: war.escalation(1, 0.1, 1, 1, [0.8, 0.5], [0.1, 0.1]),
            "tau: partners' trade shares sum above 1 (got [0.8, 0.5])",
        ),
    ],
)
def test_bad_parameters_name_the_parameter(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(ModelError) as exc:
        call()
    assert str(exc.value) == message


# -- vectorised = loop of scalar calls ------------------------------------------------


def _same(vec: war.WarResult, loop: list[war.WarResult], keys: tuple[str, ...]) -> None:
    for key in keys:
        got = np.asarray(vec[key], dtype=float)
        want = np.array([float(r[key]) for r in loop])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)


rows = st.integers(1, 8)


@given(st.data())
def test_vectorised_equals_loop(data: st.DataObject) -> None:
    n = data.draw(rows)

    def arr(lo: float, hi: float) -> np.ndarray:
        return np.array(data.draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n)))

    p, cu, cr, rho = arr(0, 1), arr(0, 0.5), arr(0, 0.5), arr(0.1, 1)
    vec = war.bargaining_range(p, cu, cr, rho_A=rho)
    loop = [war.bargaining_range(*a[:3], rho_A=a[3]) for a in zip(p, cu, cr, rho, strict=True)]
    _same(vec, loop, ("low", "high", "width", "empty", "midpoint"))

    vec = war.indivisible_settlement(p, cu, cr, [0, 0.5, 1], side_payment=cr)
    loop = [
        war.indivisible_settlement(a, b, c, [0, 0.5, 1], side_payment=c)
        for a, b, c in zip(p, cu, cr, strict=True)
    ]
    _same(vec, loop, ("exists", "split", "transfer", "gap"))

    cb = arr(0, 0.6)
    vec = war.screen_continuous(p, cu, cb)
    loop = [war.screen_continuous(*a) for a in zip(p, cu, cb, strict=True)]
    _same(vec, loop, ("x_star", "p_war", "expected_utility", "capped"))

    pw = np.maximum(p, arr(0, 1))
    mu = arr(0, 1)
    vec = war.screen_two_types(pw, p, cu, cr, mu)
    loop = [war.screen_two_types(*a) for a in zip(pw, p, cu, cr, mu, strict=True)]
    _same(vec, loop, ("mu_star", "risky", "offer", "p_war", "expected_utility"))

    q, delta = arr(0, 1), arr(0.05, 0.99)
    vec = war.power_shift(p, q, delta, cu)
    loop = [war.power_shift(*a) for a in zip(p, q, delta, cu, strict=True)]
    _same(vec, loop, ("lhs", "rhs", "margin", "war", "critical_shift"))

    qr, gu, gr, rho_a = arr(0, 1), arr(0, 0.5), arr(0, 0.5), arr(0, 1)
    args = (p, q, qr, gu, gr, delta, cu, cr)
    vec = war.commitment_window(*args, rho_A=rho_a, rho_bar=0.6)
    loop = [
        war.commitment_window(*a[:8], rho_A=a[8], rho_bar=0.6)
        for a in zip(*args, rho_a, strict=True)
    ]
    _same(vec, loop, ("low", "high", "nonempty", "bound_A", "bound_B"))

    a_, extra = arr(0.2, 2), arr(0.1, 3)
    v, d, phi = arr(0, 10), arr(0, 10), arr(0, 1)
    vec = war.optimal_power(p, a_, q, a_ + extra, v, d, phi_D=phi)
    loop = [
        war.optimal_power(*x[:6], phi_D=x[6])
        for x in zip(p, a_, q, a_ + extra, v, d, phi, strict=True)
    ]
    _same(vec, loop, ("k_star", "p_prevail", "p_catastrophe", "value"))

    dv = arr(0, 500)
    vec = war.escalation(dv, q, d * 100, 710.1, [0.338, 0.091, 0.015], np.stack([p, q, mu], -1))
    loop = [
        war.escalation(x, y, z * 100, 710.1, [0.338, 0.091, 0.015], [a, b, c])
        for x, y, z, a, b, c in zip(dv, q, d, p, q, mu, strict=True)
    ]
    _same(vec, loop, ("E", "threshold", "escalate", "margin"))


@given(st.data())
def test_fighting_helpers_vectorised_equal_loop(data: st.DataObject) -> None:
    n = data.draw(rows)
    theta = np.array(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    s = np.array(data.draw(st.lists(st.integers(0, 15), min_size=n, max_size=n)), dtype=float)
    a = np.array(data.draw(st.lists(st.floats(0.2, 50), min_size=n, max_size=n)))
    b = np.array(data.draw(st.lists(st.floats(0.2, 50), min_size=n, max_size=n)))
    for fn in (war.ruin_probability, war.ruin_duration):
        vec = np.asarray(fn(theta, s, 15))
        loop = np.array([float(fn(x, y, 15)) for x, y in zip(theta, s, strict=True)])
        np.testing.assert_allclose(vec, loop, rtol=1e-12, atol=1e-12)
    vec = np.asarray(war.expected_win(a, b, s, 15))
    loop = np.array([float(war.expected_win(x, y, z, 15)) for x, y, z in zip(a, b, s, strict=True)])
    np.testing.assert_allclose(vec, loop, rtol=1e-12, atol=1e-12)


def test_to_frame_has_one_row_per_parameter_combination() -> None:
    r = war.bargaining_range(np.array([0.2, 0.5])[:, None], 0.1, np.array([0.05, 0.1, 0.2]))
    frame = r.to_frame()
    assert frame.shape == (6, 8)
    np.testing.assert_allclose(frame["width"], frame["c_A"] + frame["c_B"])
