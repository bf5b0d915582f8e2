"""accord.deals: closed forms, properties, hand-checked frontiers, scenario mapping, linkage."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord import scenarios
from accord.deals import (
    ContinuousIssue,
    DiscreteIssue,
    Forbid,
    HyperRectangles,
    IntegerIssue,
    LinearAdditive,
    LinearValue,
    OutcomeSpace,
    PiecewiseLinearValue,
    Range,
    Rectangle,
    SinglePeakedValue,
    TableUtility,
    TableValue,
    analyse,
    egalitarian,
    from_scenario,
    is_dominated,
    kalai_smorodinsky,
    linkage,
    nash,
    pareto_frontier,
    solve,
    solve_many,
    trade_condition,
    utilitarian,
    utility_matrix,
    weighted_nash,
    zone_of_agreement,
)
from accord.errors import ModelError


def dollar(n: int = 100) -> np.ndarray:
    x = np.arange(n + 1) / n
    return np.stack([x, 1 - x])


def brute_frontier(u: np.ndarray) -> set[int]:
    m = u.shape[1]
    return {
        j
        for j in range(m)
        if not any(np.all(u[:, k] >= u[:, j]) and np.any(u[:, k] > u[:, j]) for k in range(m))
    }


# --- closed forms -------------------------------------------------------------------


def test_divide_the_dollar_nash_is_half() -> None:
    s = nash(dollar())
    assert s.agreement and s.column == 50 and s.utilities == (0.5, 0.5)
    assert s.parameters["disagreement"] == (0.0, 0.0) and s.ties == (50,)


@pytest.mark.parametrize("w", [0.1, 0.25, 0.3, 0.7, 0.9])
def test_weighted_nash_gives_the_weights(w: float) -> None:
    s = weighted_nash(dollar(), [w, 1 - w])
    assert s.column == round(100 * w)
    assert s.parameters["weights"] == pytest.approx((w, 1 - w))
    assert weighted_nash(dollar(), [3 * w, 3 * (1 - w)]).column == s.column  # only ratios matter


def test_nash_with_a_disagreement_point_splits_the_surplus() -> None:
    # d = (0.2, 0.4): surplus 0.4, each gets half of it: x = 0.4
    assert nash(dollar(), [0.2, 0.4]).column == 40


def asymmetric_triangle(n: int = 300) -> np.ndarray:
    """Packages on the frontier of conv{(0,0), (1,0), (0,2)} (u2 = 2 - 2 u1) plus interior."""
    u1 = np.linspace(0, 1, n + 1)
    frontier = np.stack([u1, 2 - 2 * u1])
    inside = np.stack([u1 * 0.5, (2 - 2 * u1) * 0.5])
    return np.concatenate([frontier, inside], axis=1)


def test_kalai_smorodinsky_on_an_asymmetric_triangle() -> None:
    u = asymmetric_triangle()
    # ideal (1, 2), d = (0, 0): the ray u2 = 2 u1 meets u2 = 2 - 2 u1 at (1/2, 1)
    s = kalai_smorodinsky(u)
    assert s.utilities == pytest.approx((0.5, 1.0))
    assert s.parameters["ideal"] == (1.0, 2.0)
    # with d = (0.2, 0): ideal still (1, 2); ray from d: u2 = 2.5 (u1 - 0.2) -> u1 = 0.6, u2 = 0.8
    s = kalai_smorodinsky(u, [0.2, 0.0])
    assert s.utilities == pytest.approx((0.6, 0.8))
    # egalitarian: equal gains u1 = u2 = 2/3 (nearest grid point on the frontier)
    e = egalitarian(u)
    assert e.utilities == pytest.approx((2 / 3, 2 / 3), abs=1 / 300)
    # utilitarian: u1 + u2 = 2 - u1 is largest at u1 -> 0, the first package that beats d
    t = utilitarian(u)
    assert t.utilities == pytest.approx((1 / 300, 2 - 2 / 300))


def test_kinked_frontier_nash_ks_egalitarian_differ() -> None:
    # frontier (0,1) - (0.8,0.6) - (1,0): Nash at the kink, KS = egalitarian at (2/3, 2/3)
    a = np.linspace(0, 0.8, 121)
    b = np.linspace(0.8, 1, 31)
    u = np.concatenate([np.stack([a, 1 - 0.5 * a]), np.stack([b, 3 - 3 * b])], axis=1)
    assert nash(u).utilities == pytest.approx((0.8, 0.6))
    assert kalai_smorodinsky(u).utilities == pytest.approx((2 / 3, 2 / 3), abs=1e-2)
    assert egalitarian(u).utilities == pytest.approx((2 / 3, 2 / 3), abs=1e-2)
    assert utilitarian(u).utilities == pytest.approx((0.8, 0.6))


def test_ks_equal_ratios_rule() -> None:
    u = np.array([[0.0, 0.5, 0.52, 1.0], [1.0, 0.45, 0.5, 0.0]])
    assert kalai_smorodinsky(u, rule="maximin").column == 2
    assert kalai_smorodinsky(u, rule="equal_ratios").column == 2
    with pytest.raises(ModelError, match="maximin or equal_ratios"):
        kalai_smorodinsky(u, rule="nearest")


def test_nash_is_invariant_to_affine_transforms() -> None:
    rng = np.random.default_rng(3)
    u = rng.random((3, 400))
    d = np.array([0.1, 0.2, 0.05])
    base = nash(u, d).column
    a, b = np.array([2.0, 0.5, 7.0]), np.array([-3.0, 1.0, 10.0])
    assert nash(a[:, None] * u + b[:, None], a * d + b).column == base
    wa = weighted_nash(u, [1, 2, 3], d).column
    assert weighted_nash(a[:, None] * u + b[:, None], [1, 2, 3], a * d + b).column == wa


def test_ks_is_invariant_to_scaling() -> None:
    rng = np.random.default_rng(4)
    u = rng.random((3, 400))
    base = kalai_smorodinsky(u).column
    assert kalai_smorodinsky(u * np.array([[3.0], [0.2], [11.0]])).column == base


def test_no_package_beats_disagreement_says_so() -> None:
    for fn in (nash, kalai_smorodinsky, egalitarian, utilitarian):
        s = fn(dollar(), [0.6, 0.6])
        assert not s.agreement and s.column is None and s.utilities is None
        assert s.note == "no package gives every party more than its disagreement value"
        assert s.to_frame()["disagreement"].tolist() == [0.6, 0.6]


def test_solutions_need_strict_gains_for_everyone() -> None:
    u = np.array([[0.5, 0.9], [0.5, 0.2]])  # the second package leaves party 2 at d
    assert nash(u, [0.1, 0.2]).column == 0
    assert utilitarian(u, [0.1, 0.2]).column == 0


def test_ties_are_exact_and_reported() -> None:
    u = np.array([[0.5, 0.2, 0.5, 1.0], [0.5, 1.0, 0.5, 0.2]])
    s = nash(u)
    assert s.ties == (0, 2) and s.column == 0
    assert set(pareto_frontier(u).tolist()) == {0, 1, 2, 3}


def test_solve_by_name_and_errors() -> None:
    assert solve("ks", dollar()).solution == "kalai_smorodinsky"
    assert solve("nash", dollar(), weights=[1, 3]).solution == "weighted_nash"
    with pytest.raises(ModelError, match="unknown solution"):
        solve("shapley", dollar())
    with pytest.raises(ModelError, match="one value per party"):
        nash(dollar(), [0.1])
    with pytest.raises(ModelError, match="positive numbers"):
        weighted_nash(dollar(), [1, -1])


def test_zone_of_agreement() -> None:
    z = zone_of_agreement(dollar(10), [0.3, 0.5])
    assert z.acceptable.tolist() == [3, 4, 5] and z.better.tolist() == [4]
    assert z.low == pytest.approx((0.3, 0.5)) and z.high == pytest.approx((0.5, 0.7))
    assert zone_of_agreement(dollar(10), [0.6, 0.6]).empty


# --- frontiers ---------------------------------------------------------------------


def test_hand_checked_frontiers() -> None:
    u = np.array([[1, 2, 3, 2, 1, 3], [3, 2, 1, 1, 3, 0]], dtype=float)
    assert pareto_frontier(u).tolist() == [0, 1, 2, 4]  # 0 and 4 are equal, both kept
    u3 = np.array([[1, 0, 0, 1, 0.5], [0, 1, 0, 1, 0.5], [0, 0, 1, 0, 0.5]])
    assert pareto_frontier(u3).tolist() == [2, 3, 4]  # (1,1,0) dominates (1,0,0), (0,1,0)
    assert pareto_frontier(np.zeros((3, 4))).tolist() == [0, 1, 2, 3]
    assert pareto_frontier(np.array([[0.2, 0.9, 0.9]])).tolist() == [1, 2]
    assert pareto_frontier(np.zeros((2, 0))).tolist() == []


@given(
    st.integers(1, 4).flatmap(
        lambda n: arrays(np.float64, (n, 40), elements=st.sampled_from([0.0, 0.25, 0.5, 1.0]))
    )
)
def test_frontier_properties(u: np.ndarray) -> None:
    f = pareto_frontier(u)
    assert set(f.tolist()) == brute_frontier(u)
    fs = set(f.tolist())
    for j in range(u.shape[1]):  # every outcome is on it, dominated by, or equal to a member
        if j not in fs:
            assert is_dominated(u[:, f], u[:, j])


@given(
    arrays(np.float64, (2, 30), elements=st.floats(0, 1, width=32)),
    st.lists(st.floats(0, 0.5, width=32), min_size=2, max_size=2),
)
def test_solutions_lie_on_the_frontier_and_beat_disagreement(u: np.ndarray, d: list[float]) -> None:
    front = set(pareto_frontier(u).tolist())
    for name in ("nash", "ks", "egalitarian", "utilitarian"):
        s = solve(name, u, d)
        if s.agreement:
            assert s.column in front
            assert np.all(u[:, s.column] > np.asarray(d))
        else:
            assert not np.any(np.all(u > np.asarray(d)[:, None], axis=0))


def test_frontier_many_parties_matches_brute_force_on_random_reals() -> None:
    rng = np.random.default_rng(11)
    for n in (3, 4, 5):
        u = np.round(rng.random((n, 300)), 2)
        assert set(pareto_frontier(u).tolist()) == brute_frontier(u)


# --- spaces and utilities -------------------------------------------------------------


def test_space_enumeration_and_constraints() -> None:
    space = OutcomeSpace(
        (
            DiscreteIssue("G", ("none", "aid", "force")),
            DiscreteIssue("C", ("no", "yes")),
            IntegerIssue("n", 0, 2),
            ContinuousIssue("x", 0.0, 1.0, 0.3),
        ),
        (Forbid({"G": ["force"], "C": ["no"]}), Forbid({"n": Range(2, 2), "x": Range(0.9, 1)})),
    )
    assert space.shape == (3, 2, 3, 5)  # x at step 0.25
    assert space.issues[3].values == (0.0, 0.25, 0.5, 0.75, 1.0)
    flat = space.feasible_flat(size=7)  # chunks smaller than the space
    outcomes = [space.outcome(int(i)) for i in flat]
    assert not any(o["G"] == "force" and o["C"] == "no" for o in outcomes)
    assert not any(o["n"] == 2 and o["x"] == 1.0 for o in outcomes)
    assert len(flat) == 90 - 15 - (6 - 1)
    assert space.flat_of(outcomes[5]) == flat[5]
    with pytest.raises(ModelError, match="not a value of issue 'C'"):
        Forbid({"C": ["maybe"]}).masks(space)
    with pytest.raises(ModelError, match="no such issue"):
        OutcomeSpace(space.issues, (Forbid({"Z": ["a"]}),))


def test_utility_kinds_and_matrix() -> None:
    space = OutcomeSpace((DiscreteIssue("a", ("lo", "hi")), IntegerIssue("b", 0, 4)))
    la = LinearAdditive(
        "p",
        {"a": 0.5, "b": 0.5},
        {"a": TableValue({"lo": 0.0, "hi": 1.0}), "b": LinearValue(0.25)},
        reservation=0.1,
    )
    pw = LinearAdditive("q", {"b": 1.0}, {"b": PiecewiseLinearValue((0, 2, 4), (0, 1, 0))})
    sp = LinearAdditive("r", {"b": 1.0}, {"b": SinglePeakedValue(1, 0, 4, power=2)})
    tab = TableUtility.from_mapping("s", space, {("hi", 3): 0.7}, default=0.1)
    hyp = HyperRectangles("h", (Rectangle({"b": (1, 2)}, 3.0), Rectangle({"b": (2, 4)}, 1.0)), 4.0)
    m = utility_matrix(space, [la, pw, sp, tab, hyp])
    assert m.values.shape == (5, 10)
    j = space.flat_of({"a": "hi", "b": 2})
    assert m.values[:, j] == pytest.approx([0.75, 1.0, 1 - (1 / 4) ** 2, 0.1, 1.0])
    assert m.values[3, space.flat_of({"a": "hi", "b": 3})] == 0.7
    assert m.reservation.tolist() == [0.1, 0.0, 0.0, 0.0, 0.0]
    dense = utility_matrix(space, [la, pw])
    chunked = utility_matrix(space, [la, pw, tab], chunk=3)
    assert np.array_equal(dense.values, chunked.values[:2])
    assert m.package(j) == {"a": "hi", "b": 2}


def test_constrained_analysis_never_returns_a_forbidden_package() -> None:
    space = OutcomeSpace(
        (IntegerIssue("x", 0, 10), DiscreteIssue("g", ("no", "yes"))),
        (Forbid({"x": Range(4, 6), "g": ["yes"]}),),
    )
    a = LinearAdditive(
        "A", {"x": 0.8, "g": 0.2}, {"x": LinearValue(0.1), "g": TableValue({"no": 0, "yes": 1})}
    )
    b = LinearAdditive(
        "B", {"x": 0.8, "g": 0.2}, {"x": LinearValue(-0.1, 1), "g": TableValue({"no": 0, "yes": 1})}
    )
    from accord.deals.actors import DealProblem

    r = analyse(DealProblem(space, (a, b), "t"))
    pkg = r.package("nash")
    assert pkg is not None and not (4 <= pkg["x"] <= 6 and pkg["g"] == "yes")
    assert pkg["g"] == "yes"  # both want g = yes; x moves off the forbidden middle
    assert r.solutions["nash"].agreement


# --- scenario mapping and linkage -----------------------------------------------------


def test_scenario_actors_as_parties() -> None:
    sc = scenarios.load("ukraine-2024-08")
    p = from_scenario(sc, points="labels")
    assert p.parties == ("UKR", "RUS")  # the war's belligerents by default
    assert p.space.cardinality == 1440
    ukr = p.utilities[0]
    assert sum(ukr.weights.values()) == pytest.approx(1.0)
    m = utility_matrix(p.space, p.utilities)
    arr = sc.arrays()
    ideal = {i.id: float(arr.position[0, k]) for k, i in enumerate(sc.issues)}
    # the utility at a package is 1 minus the salience-weighted distance, by hand
    j = 0
    pkg = m.package(j)
    s = arr.salience[1] / arr.salience[1].sum()  # UKR is the second actor in the file
    expected = sum(
        s[k] * (1 - abs(pkg[i.id] - arr.position[1, k]) / 100) for k, i in enumerate(sc.issues)
    )
    assert m.values[0, j] == pytest.approx(expected)
    assert ideal  # RUS row 0
    assert any("no status quo" in n for n in p.notes)
    all_actors = from_scenario(sc, ["RUS", "UKR", "USA"], points="labels")
    assert all_actors.parties == ("RUS", "UKR", "USA")
    with pytest.raises(ModelError, match="no such actor"):
        from_scenario(sc, ["XYZ"])


def test_trade_condition_is_the_salience_ratio() -> None:
    assert trade_condition([[0.7, 0.3], [0.4, 0.6]]) == {
        "gain": True,
        "A": 0,
        "B": 1,
        "ratios": (0.42, pytest.approx(0.12)),
    }
    assert not trade_condition([[0.6, 0.3], [0.4, 0.2]])["gain"]


def two_issue_problem(sa: tuple[float, float], sb: tuple[float, float]) -> tuple:
    space = OutcomeSpace((IntegerIssue("X", 0, 10), IntegerIssue("Y", 0, 10)))
    a = LinearAdditive(
        "A", {"X": sa[0], "Y": sa[1]}, {"X": LinearValue(0.1), "Y": LinearValue(0.1)}
    )
    b = LinearAdditive(
        "B", {"X": sb[0], "Y": sb[1]}, {"X": LinearValue(-0.1, 1), "Y": LinearValue(-0.1, 1)}
    )
    return space, (a, b)


def test_linkage_gains_iff_salience_ratios_differ() -> None:
    space, us = two_issue_problem((0.7, 0.3), (0.4, 0.6))
    link = linkage(space, us, {"X": 5, "Y": 5})
    assert link.separate == {"X": 5, "Y": 5}  # alone, every move hurts someone
    (pair,) = link.pairs
    assert pair.gains and pair.joint is not None
    assert pair.joint["X"] > 5 > pair.joint["Y"]  # A gets X (its ratio is higher), B gets Y
    assert all(g > 0 for g in link.to_frame().iloc[0][["gain A", "gain B"]])
    space, us = two_issue_problem((0.6, 0.4), (0.6, 0.4))
    link = linkage(space, us, {"X": 5, "Y": 5})
    assert not link.pairs[0].gains and not link.joint.agreement


def test_analyse_flagship_end_to_end() -> None:
    r = analyse(from_scenario(scenarios.load("ukraine-2023-03"), points="labels"))
    assert set(r.solutions) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    front = set(r.frontier.tolist())
    for s in r.solutions.values():
        assert s.agreement and s.column in front
    frame = r.to_frame()
    assert len(frame) == len(front) and "u[UKR]" in frame
    d = r.to_dict()
    assert d["solutions"]["nash"]["package"] == r.package("nash")


# --- batch ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nash", "ks", "egalitarian", "utilitarian"])
def test_solve_many_equals_the_loop(name: str) -> None:
    rng = np.random.default_rng(5)
    for _ in range(8):
        n, k = int(rng.integers(2, 4)), int(rng.integers(5, 40))
        u = np.round(rng.random((n, k)), 2)  # coarse values: many exact ties
        d = np.round(rng.random((15, n)) * 0.6, 2)
        allowed = rng.random((15, k)) < 0.8
        w = rng.random((15, n)) + 0.1 if name == "nash" else None
        batch = solve_many(name, u, d, weights=w, allowed=allowed)
        for r in range(15):
            cols = np.flatnonzero(allowed[r])
            s = solve(name, u[:, cols], d[r], weights=None if w is None else w[r])
            assert batch.column[r] == (-1 if s.column is None else cols[s.column])
            assert batch.agreement[r] == s.agreement
            if s.agreement:
                assert batch.utilities[r] == pytest.approx(s.utilities)


def test_solve_many_on_the_frontier_and_errors() -> None:
    u = dollar()
    d = np.array([[0.0, 0.0], [0.2, 0.4], [0.6, 0.6]])
    b = solve_many("nash", u, d, frontier=pareto_frontier(u))
    assert b.column.tolist() == [50, 40, -1] and b.agreement.tolist() == [True, True, False]
    assert solve_many("nash", u, d[:1], weights=[0.3, 0.7]).column.tolist() == [30]
    assert len(b.to_frame()) == 3
    with pytest.raises(ModelError, match="weights apply to Nash only"):
        solve_many("ks", u, d, weights=[1, 1])
    with pytest.raises(ModelError, match=r"disagreement must be \(runs, 2\)"):
        solve_many("nash", u, [0.1, 0.2])


@pytest.mark.parametrize("sid", scenarios.ids())
def test_every_bundled_scenario_is_a_package_deal(sid: str) -> None:
    sc = scenarios.load(sid)
    problem = from_scenario(sc, points="labels")
    assert problem.parties == (sc.war.belligerents if sc.war else sc.actor_ids)
    r = analyse(problem)
    assert r.frontier.size >= 1
    for s in r.solutions.values():
        assert s.agreement == bool(r.zone.better.size)


def test_linkage_best_trade_is_the_joint_nash_by_brute_force() -> None:
    space, us = two_issue_problem((0.7, 0.3), (0.4, 0.6))
    link = linkage(space, us, {"X": 5, "Y": 5})
    # independent oracle: every (x, y) on the grid, Nash product over the separate deal
    best, arg = -1.0, None
    for x in range(11):
        for y in range(11):
            ga = 0.7 * x / 10 + 0.3 * y / 10 - 0.5
            gb = 0.4 * (1 - x / 10) + 0.6 * (1 - y / 10) - 0.5
            if ga > 0 and gb > 0 and ga * gb > best + 1e-15:
                best, arg = ga * gb, {"X": x, "Y": y}
    assert link.pairs[0].joint == arg == link.joint_package


def test_three_party_sweep_equals_survivor_elimination_on_large_frontiers() -> None:
    from accord.deals.pareto import _frontier_nd

    rng = np.random.default_rng(8)
    x = rng.integers(0, 60, (2, 6000)).astype(float)
    u = np.vstack([x, 120 - x.sum(axis=0) + rng.integers(0, 3, 6000)])  # most on the frontier
    u = np.concatenate([u, u[:, :500]], axis=1)  # and exact duplicates
    f = pareto_frontier(u)
    assert f.size > 1000
    assert np.array_equal(f, _frontier_nd(u))


def test_additive_frontier_equals_the_matrix_frontier() -> None:
    from accord.deals.additive import additive_frontier

    rng = np.random.default_rng(12)
    for _ in range(60):
        n, sizes = int(rng.integers(2, 6)), rng.integers(1, 5, int(rng.integers(1, 4)))
        space = OutcomeSpace(
            tuple(DiscreteIssue(f"i{k}", tuple(range(s))) for k, s in enumerate(sizes))
        )
        us = [
            LinearAdditive(
                f"p{a}",
                {f"i{k}": float(rng.integers(1, 3)) for k in range(len(sizes))},
                {
                    f"i{k}": TableValue({v: float(rng.integers(0, 3)) / 4 for v in range(s)})
                    for k, s in enumerate(sizes)
                },
            )
            for a in range(n)
        ]  # coarse values: many exact ties and duplicate packages
        m = utility_matrix(space, us)
        assert np.array_equal(
            np.sort(additive_frontier(space, us, m.values)), pareto_frontier(m.values)
        )
    sc = scenarios.load("ukraine-2024-08")
    p = from_scenario(sc, list(sc.actor_ids), points="labels")
    m = utility_matrix(p.space, p.utilities)
    assert np.array_equal(
        np.sort(additive_frontier(p.space, p.utilities, m.values)), pareto_frontier(m.values)
    )
    assert np.array_equal(analyse(p).frontier, pareto_frontier(m.values))


def test_trade_condition_agrees_with_the_war_layers_m5() -> None:
    from accord.war.linkage import linkage_gain

    rng = np.random.default_rng(9)
    for s in np.round(rng.random((200, 2, 2)), 1):
        ours = trade_condition(s)
        toward_a_on_0 = bool(linkage_gain(s[0, 0], s[0, 1], s[1, 0], s[1, 1], 1, 1).linkable)
        toward_a_on_1 = bool(linkage_gain(s[0, 1], s[0, 0], s[1, 1], s[1, 0], 1, 1).linkable)
        if ours["gain"]:
            assert (ours["A"] == 0) == toward_a_on_0 and (ours["A"] == 1) == toward_a_on_1
        else:
            assert not toward_a_on_0 and not toward_a_on_1
