"""accord.games solvers on textbook games with known solutions (closed forms)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np
import pytest

from accord.errors import ModelError
from accord.games import (
    chance,
    decision,
    lcp_solve,
    lp_solve,
    make_game,
    qre_limit,
    qre_solve,
    regret,
    spe_solve,
    terminal,
)
from accord.games.efg import loads_efg

DATA = Path(__file__).parent / "data" / "games"


def centipede(stages: int = 4):
    """Rosenthal's centipede: (1, 0), (0, 2), (3, 1), (2, 4), ... then (n, n - 1)."""
    node = terminal(stages, stages - 1)
    for k in reversed(range(stages)):
        mover, pay = ("A", (k + 1, max(k - 1, 0))) if k % 2 == 0 else ("B", (k - 1, k + 1))
        node = decision(mover, {"take": terminal(*pay), "pass": node})
    return make_game(["A", "B"], node, "centipede")


def entry():
    return make_game(
        ["Entrant", "Incumbent"],
        decision(
            "Entrant",
            {
                "out": terminal(0, 2),
                "in": decision(
                    "Incumbent", {"fight": terminal(-1, -1), "accommodate": terminal(1, 1)}
                ),
            },
        ),
        "entry deterrence (Selten 1978)",
    )


def ultimatum(pie: int = 4):
    offers = {
        f"offer{k}": decision("R", {"accept": terminal(pie - k, k), "reject": terminal(0, 0)})
        for k in range(pie + 1)
    }
    return make_game(["P", "R"], decision("P", offers), "ultimatum")


def investment():
    """Invest (chance: success 0.3 -> (10, 2), failure -> partner bails out or not)."""
    failure = decision("Partner", {"bail_out": terminal(0, -1), "walk": terminal(-4, 0)})
    return make_game(
        ["Investor", "Partner"],
        decision(
            "Investor",
            {
                "keep": terminal(1, 1),
                "invest": chance({"success": (0.3, terminal(10, 2)), "failure": (0.7, failure)}),
            },
        ),
    )


def test_centipede_spe_takes_at_once():
    g = centipede(4)
    r = spe_solve(g)
    np.testing.assert_allclose(r.value, [1.0, 0.0])
    assert r.path() == [(0, "take")]
    # every mover takes at every node
    for m, (i, k) in enumerate(g.moves):
        assert r.behaviour[m] == (1.0 if g.nodes[i].actions[k] == "take" else 0.0)
    assert r.notes == ()


def test_entry_deterrence_spe_and_the_only_pure_spe():
    r = spe_solve(entry(), all_equilibria=True)
    np.testing.assert_allclose(r.value, [1.0, 1.0])
    assert [a for _, a in r.path()] == ["in", "accommodate"]
    eqs = r.extra["equilibria"]
    assert len(eqs) == 1
    np.testing.assert_array_equal(eqs[0][0], r.behaviour)


def test_ultimatum_ties_and_both_pure_spe():
    g = ultimatum(4)
    r = spe_solve(g, all_equilibria=True)
    np.testing.assert_allclose(r.value, [4.0, 0.0])  # first tied action: accept 0
    assert len(r.notes) == 1 and "tie at root.moves.offer0" in r.notes[0]
    values = sorted(tuple(v) for _, v in r.extra["equilibria"])
    assert values == [(3.0, 1.0), (4.0, 0.0)]


def test_chance_node_expected_value():
    g = investment()
    r = spe_solve(g)
    # failure: the partner walks (0 > -1) -> investor -4; invest = 0.3*10 + 0.7*(-4) = 0.2 < 1
    np.testing.assert_allclose(r.value, [1.0, 1.0])
    np.testing.assert_allclose(r.values[2], [0.3 * 10 + 0.7 * -4, 0.3 * 2 + 0.7 * 0])
    better = g.with_values(probs=np.array([0.5, 0.5]))
    np.testing.assert_allclose(spe_solve(better).value, [3.0, 1.0])


def test_spe_batch_equals_the_loop():
    g = investment()
    rng = np.random.default_rng(7)
    pay = g.payoff_array + rng.normal(0, 3, (50, *g.payoff_array.shape))
    p = rng.uniform(0, 1, 50)
    probs = np.stack([p, 1 - p], axis=1)
    batch = spe_solve(g, payoffs=pay, probs=probs)
    for k in range(50):
        one = spe_solve(g.with_values(pay[k], probs[k]))
        np.testing.assert_allclose(batch.value[k], one.value)
        np.testing.assert_array_equal(batch.behaviour[k], one.behaviour)


def test_qre_is_uniform_at_lambda_zero():
    for g in (centipede(5), ultimatum(3), investment()):
        r = qre_solve(g, 0.0)
        for m, (i, _) in enumerate(g.moves):
            assert r.behaviour[m] == pytest.approx(1 / len(g.nodes[i].actions))


def test_qre_closed_form_one_mover():
    g = entry()
    lam = 0.7
    r = qre_solve(g, lam)
    p_acc = np.exp(lam * 1) / (np.exp(lam * 1) + np.exp(-lam))
    v_in = p_acc * 1 + (1 - p_acc) * -1
    p_in = np.exp(lam * v_in) / (np.exp(lam * v_in) + 1.0)
    np.testing.assert_allclose(r.behaviour, [1 - p_in, p_in, 1 - p_acc, p_acc], rtol=1e-12)


def random_tree(rng, depth=4, players=3):
    def node(d):
        if d == depth:
            return terminal(*rng.uniform(-10, 10, players))
        if rng.random() < 0.25:
            w = rng.dirichlet([1, 1])
            return chance({"c0": (w[0], node(d + 1)), "c1": (w[1], node(d + 1))})
        return decision(f"P{rng.integers(players)}", {f"a{k}": node(d + 1) for k in range(2)})

    return make_game([f"P{k}" for k in range(players)], node(0))


def test_qre_limit_is_the_spe_on_generic_trees():
    rng = np.random.default_rng(3)
    for _ in range(10):
        g = random_tree(rng)
        spe = spe_solve(g)
        np.testing.assert_array_equal(qre_limit(g).behaviour, spe.behaviour)
        big = qre_solve(g, 1e4)
        np.testing.assert_allclose(big.behaviour, spe.behaviour, atol=1e-6)
        np.testing.assert_allclose(big.value, spe.value, atol=1e-4)


def test_qre_lambda_path_batch_equals_the_loop():
    g = random_tree(np.random.default_rng(5))
    lams = np.geomspace(0.01, 100, 30)
    path = qre_solve(g, lams)
    assert path.behaviour.shape == (30, len(g.moves))
    for k in (0, 11, 29):
        np.testing.assert_allclose(path.behaviour[k], qre_solve(g, lams[k]).behaviour, rtol=1e-13)
    frame = path.to_frame()
    assert set(frame.columns) >= {"lam", "node", "player", "action", "probability"}
    assert len(frame) == 30 * len(g.moves)


def test_perfect_information_solvers_refuse_information_sets():
    g = loads_efg((DATA / "matching_pennies.efg").read_text())
    with pytest.raises(
        ModelError,
        match="spe needs perfect information; information set 'guess' of Player 2 has 2 nodes",
    ):
        spe_solve(g)
    with pytest.raises(ModelError, match="qre needs perfect information"):
        qre_solve(g, 1.0)


def test_matching_pennies_lcp_and_lp():
    g = loads_efg((DATA / "matching_pennies.efg").read_text())
    for res in (lcp_solve(g), lp_solve(g)):
        np.testing.assert_allclose(res.behaviour, 0.5, atol=1e-12)
        np.testing.assert_allclose(res.value, [0.0, 0.0], atol=1e-12)
        np.testing.assert_allclose(res.extra["regret"], 0.0, atol=1e-12)


def test_kuhn_poker_value_and_equilibrium_family():
    """Kuhn (1950): value -1/18 for player 1; player 1 bets a jack with some alpha in
    [0, 1/3], a king with 3 alpha, calls with a queen with alpha + 1/3; player 2 is unique."""
    g = loads_efg((DATA / "kuhn_poker.efg").read_text())
    for res in (lcp_solve(g), lp_solve(g)):
        np.testing.assert_allclose(res.value, [-1 / 18, 1 / 18], atol=1e-10)
        np.testing.assert_allclose(res.extra["regret"], 0.0, atol=1e-10)
        p = {
            (g.nodes[i].infoset, g.nodes[i].actions[k]): res.behaviour[m]
            for m, (i, k) in enumerate(g.moves)
        }
        alpha = p[("J", "bet")]
        assert -1e-10 <= alpha <= 1 / 3 + 1e-10
        assert p[("Qcb", "call")] == pytest.approx(alpha + 1 / 3, abs=1e-9)
        if alpha > 1e-9:  # a king checks with probability 1 - 3 alpha
            assert p[("K", "bet")] == pytest.approx(3 * alpha, abs=1e-9)
        for key, want in {
            ("Kb", "call"): 1,
            ("Kc", "bet"): 1,
            ("Qc", "check"): 1,
            ("Qb", "call"): 1 / 3,
            ("Jb", "fold"): 1,
            ("Jc", "bet"): 1 / 3,
        }.items():
            assert p[key] == pytest.approx(want, abs=1e-9), key


def test_one_card_poker_unique_equilibrium():
    """Myerson (1991) §2.1: Fred raises red always and black with 1/3; Alice meets with
    2/3; Fred's value 1/3."""
    g = loads_efg((DATA / "myerson1991_fig2_1.efg").read_text())
    res = lcp_solve(g)
    # moves in prefix order: red (raise, fold), Alice (meet, pass), black, Alice again
    np.testing.assert_allclose(
        res.behaviour, [1, 0, 2 / 3, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 1 / 3], atol=1e-12
    )
    np.testing.assert_allclose(res.value, [1 / 3, -1 / 3], atol=1e-12)
    np.testing.assert_allclose(lp_solve(g).value, [1 / 3, -1 / 3], atol=1e-10)


def test_selten_horse_regret_and_solver_limits():
    """Selten (1975) Fig. 1: (R, R, L) and (L, R, R) are equilibria; (R, R, R) is not:
    player 1 gains 2 by L and player 2 gains 3 by L."""
    g = loads_efg((DATA / "selten1975_fig1_horse.efg").read_text())
    assert g.perfect_recall and not g.is_perfect_information

    def profile(a1, a2, a3):
        b = np.zeros(len(g.moves))
        for m, (i, k) in enumerate(g.moves):
            want = {0: a1, 1: a2, 2: a3}[g.nodes[i].player]
            b[m] = float(g.nodes[i].actions[k] == want)
        return b

    np.testing.assert_allclose(regret(g, profile("R", "R", "L")), 0.0)
    np.testing.assert_allclose(regret(g, profile("L", "R", "R")), 0.0)
    np.testing.assert_allclose(regret(g, profile("R", "R", "R")), [2.0, 3.0, 0.0])
    with pytest.raises(ModelError, match="lcp needs a 2-player game"):
        lcp_solve(g)


def test_lcp_on_general_sum_games_finds_equilibria():
    for name in (
        "myerson1991_fig4_2.efg",
        "selten1975_fig2.efg",
        "two_stage_matching_pennies.efg",
        "bayes2a.efg",
    ):
        g = loads_efg((DATA / name).read_text())
        res = lcp_solve(g)
        scale = np.abs(g.payoff_array).max()
        assert (res.extra["regret"] <= 1e-9 * scale).all(), name


def test_lp_refuses_general_sum():
    g = loads_efg((DATA / "myerson1991_fig4_2.efg").read_text())
    with pytest.raises(ModelError, match="lp needs a constant-sum game"):
        lp_solve(g)


def test_lcp_from_other_starts_and_random_games():
    """Seeded random 2-player games with private chance signals: Lemke ends at an
    equilibrium from every start."""
    rng = np.random.default_rng(11)
    for _ in range(8):
        g = random_signal_game(rng, signals=3, actions=2)
        for _ in range(2):
            # a random prior: one distribution per information set, the same at its nodes
            start_beh = np.zeros(len(g.moves))
            per_set = {}
            for m, (i, k) in enumerate(g.moves):
                key = (g.nodes[i].player, g.nodes[i].infoset)
                per_set.setdefault(key, rng.dirichlet([1, 1]))
                start_beh[m] = per_set[key][k]
            res = lcp_solve(g, start=start_beh)
            assert (res.extra["regret"] <= 1e-9 * np.abs(g.payoff_array).max()).all()


def random_signal_game(rng, signals=3, actions=2):
    """Chance draws a type for player 1 (seen by 1 only); 1 acts; 2 sees 1's action only;
    2 acts; then 1 acts again knowing everything it knew."""
    moves = {}
    for s in range(signals):
        first = {}
        for a in range(actions):
            second = {}
            for b in range(actions):
                second[f"b{b}"] = decision(
                    "1",
                    {f"c{c}": terminal(*rng.integers(-5, 6, 2)) for c in range(actions)},
                    infoset=f"s{s}a{a}b{b}",
                )
            first[f"a{a}"] = decision("2", second, infoset=f"saw{a}")
        moves[f"t{s}"] = (1 / signals, decision("1", first, infoset=f"type{s}"))
    return make_game(["1", "2"], chance(moves))


@pytest.mark.parametrize("warm", [0, 5, 200])
def test_lcp_warm_start_ends_at_equilibria(warm):
    """The default start (random prior moved by fictitious play) and the plain random
    prior (warm=0) both end at zero regret on seeded random games."""
    rng = np.random.default_rng(23)
    for seed in range(10):
        g = random_signal_game(rng, signals=2 + seed % 4, actions=2 + seed % 2)
        res = lcp_solve(g, seed=seed, warm=warm)
        assert (res.extra["regret"] <= 1e-9 * np.abs(g.payoff_array).max()).all()
        assert res.parameters["start"].endswith(f"{warm} rounds of fictitious play")


def test_lcp_warm_must_be_non_negative():
    g = loads_efg((DATA / "myerson1991_fig4_2.efg").read_text())
    with pytest.raises(ModelError, match="must be >= 0"):
        lcp_solve(g, warm=-1)


def _dense_lemke(t, rhs, basis, enter, complement, free, z0):
    """Textbook Lemke on the full dense tableau B⁻¹[T | rhs] with the lexicographic rule
    on (value, B⁻¹B₀) / pivot: the oracle for the revised pivoting of games.lemke."""
    cur = np.asarray(basis).copy()
    free = np.asarray(free)
    tab = np.linalg.solve(t[:, cur], np.hstack([t, rhs[:, None]]))
    lex_cols = [t.shape[1], *[j for j in cur if not free[j]]]
    for step in range(5000):
        col = tab[:, enter].copy()
        cand = [i for i in range(cur.size) if col[i] > 1e-9 and not free[cur[i]]]
        if not cand:
            raise ModelError("ray", path="dense")
        r = min(cand, key=lambda i: tuple(np.round(tab[i, lex_cols] / col[i], 8)))
        piv = tab[r] / col[r]
        tab -= np.outer(col, piv)
        tab[r] = piv
        leaving = int(cur[r])
        cur[r] = enter
        if leaving == z0:
            values = np.zeros(t.shape[1])
            values[cur] = tab[:, -1]
            return values, step + 1
        enter = complement[leaving]
    raise AssertionError("dense Lemke did not finish")


def test_revised_lemke_follows_the_dense_tableau_path(monkeypatch):
    """The revised pivoting (sparse LU + product-form updates, lexicographic rows only on
    ties) takes the same path as the dense tableau: same pivots, same equilibrium, on
    degenerate starts (uniform priors tie best responses and put basic variables at 0,
    so the lexicographic rule decides) and on random starts, with refactorisation every
    pivot, every 3 pivots and never."""
    from accord.games import lemke as lemke_mod
    from accord.games import nash

    calls = []
    monkeypatch.setattr(nash, "lemke", lambda *a, **k: calls.append(a) or lemke_mod.lemke(*a, **k))
    ties = []
    rows = lemke_mod._Inverse.rows
    monkeypatch.setattr(lemke_mod._Inverse, "rows", lambda self, r: ties.append(r) or rows(self, r))
    rng = np.random.default_rng(3)
    games = [loads_efg((DATA / n).read_text()) for n in ("kuhn_poker.efg", "bayes2a.efg")]
    games += [random_signal_game(rng, signals=2 + i % 3, actions=2 + i % 2) for i in range(6)]
    compared = 0
    for g in games:
        uniform = np.array([1.0 / len(g.nodes[i].actions) for i, _k in g.moves])
        for start in (uniform, None):
            calls.clear()
            # a ray or an off-equilibrium end is allowed: the dense path must then fail too
            with contextlib.suppress(ModelError):
                lcp_solve(g, start=start, warm=0, seed=compared)
            (args,) = calls
            try:
                want = _dense_lemke(*args)
            except ModelError:
                want = None
            for every in (1, 3, 10_000):
                try:
                    got = lemke_mod.lemke(*args, refactor_every=every)
                except ModelError:
                    got = None
                assert (got is None) == (want is None)
                if got is not None:
                    assert got[1] == want[1]
                    np.testing.assert_allclose(got[0], want[0], atol=1e-9)
                    compared += 1
    assert compared >= 30
    assert ties, "no degenerate ratio test was exercised"
