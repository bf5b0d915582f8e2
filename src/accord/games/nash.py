"""Two-player games with imperfect information: Nash equilibrium via the sequence form.

**Lemke on the sequence-form LCP** (Koller, Megiddo & von Stengel 1996; the starting-point
variant of von Stengel, van den Elzen & Talman 2002). With realization plans x (Ex = e)
and y (Fy = f) and free dual variables p, q, a Nash equilibrium solves

.. math::

    w_1 = E^\\top p - A y - (A y_0) z_0 \\ge 0 \\perp x \\ge 0, \\qquad
    w_2 = F^\\top q - B^\\top x - (B^\\top x_0) z_0 \\ge 0 \\perp y \\ge 0,

    E x + e z_0 = e, \\qquad F y + f z_0 = f,

at :math:`z_0 = 0`. At :math:`z_0 = 1` the point x = y = 0 with p, q the values of the
best responses to the starting plans (x₀, y₀) (by default a random interior profile
moved toward equilibrium by fictitious play, :func:`_warm_prior`) is an
almost-complementary basis (*derived here* for the explicit basis: the best-response
sequences are tight and their x, y basic at zero; z₀ basic in E's first row, x_∅ the
first to enter). Lemke's pivoting (:mod:`accord.games.lemke`) then traces the
tracing-procedure path from the prior to an equilibrium: along it the opponent plays
:math:`y + y_0 z_0`, a valid realization plan. The equilibrium found is checked: every
player's regret (:func:`accord.games.seqform.regret`) must vanish.

**The LP for zero-sum games** (Koller, Megiddo & von Stengel 1994; Romanovskii 1962):
player 1 solves :math:`\\max_{x, q} f^\\top q` s.t. :math:`F^\\top q \\le A^\\top x`,
Ex = e, x ≥ 0, player 2 the dual problem; ``scipy.optimize.linprog`` (HiGHS) solves both.
Constant-sum games are accepted (player 2's payoffs are shifted by the constant).

References
----------
* Koller, D., Megiddo, N. & von Stengel, B. (1996). Efficient computation of equilibria
  for extensive two-person games. *Games and Economic Behavior* 14(2), 247-259.
* von Stengel, B. (1996). Efficient computation of behavior strategies. *Games and
  Economic Behavior* 14(2), 220-246.
* von Stengel, B., van den Elzen, A. & Talman, D. (2002). Computing normal form perfect
  equilibria for extensive two-person games. *Econometrica* 70(2), 693-715.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linprog  # type: ignore[import-untyped]

from accord.errors import ModelError
from accord.games.lemke import lemke
from accord.games.result import GameResult, reach_probabilities
from accord.games.seqform import (
    PlayerSequences,
    SequenceForm,
    behaviour_from_plan,
    plan_from_behaviour,
    profile_values,
    regret,
    sequence_form,
)
from accord.games.tree import Game

__all__ = ["is_constant_sum", "lcp_solve", "lp_solve"]

FloatArray = NDArray[np.float64]


def _two_players(game: Game, method: str) -> SequenceForm:
    if len(game.players) != 2:
        raise ModelError(
            f"{method} needs a 2-player game (this one has {len(game.players)})",
            path="method",
            value=method,
        )
    return sequence_form(game)


def is_constant_sum(game: Game, tol: float = 1e-9) -> bool:
    total = game.payoff_array.sum(axis=1)
    return bool(np.ptp(total) <= tol * max(1.0, float(np.abs(total).max())))


def _result(
    method: str,
    game: Game,
    sf: SequenceForm,
    x: FloatArray,
    y: FloatArray,
    parameters: dict[str, Any],
    extra: dict[str, Any],
) -> GameResult:
    beh = np.zeros(len(game.moves))
    notes: list[str] = []
    for p, plan in enumerate((x, y)):
        unreached = behaviour_from_plan(game, sf.players[p], plan, beh)
        if unreached:
            notes.append(
                f"{game.players[p]}'s own play never reaches information set(s) "
                f"{', '.join(unreached)}: uniform there (any choice keeps the equilibrium)"
            )
    reg = regret(game, beh, sf)
    extra = {**extra, "x": x, "y": y, "regret": reg}
    return GameResult(
        method,
        game,
        parameters,
        beh,
        profile_values(game, beh),
        reach_probabilities(game, beh),
        tuple(notes),
        extra,
    )


def _prior(game: Game, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    prior = np.zeros(len(game.moves))
    first_move = game.edges.first_move
    for members in game.infosets.values():
        k = len(game.nodes[members[0]].actions)
        draw = rng.dirichlet(np.ones(k))
        prior[first_move[np.asarray(members)][:, None] + np.arange(k)] = draw
    return prior


def _br_duals(seqs: PlayerSequences, payoff: FloatArray) -> tuple[FloatArray, list[int]]:
    """Duals (values) of the best response to a payoff vector over sequences, and the
    best-response sequence at each information set."""
    n_h = len(seqs.infosets)
    children: dict[int, list[int]] = {}
    for h, par in enumerate(seqs.parent):
        children.setdefault(par, []).append(h)
    value = np.zeros(n_h)
    best: list[int] = [0] * n_h
    for h in range(n_h - 1, -1, -1):
        f, k = seqs.first[h], seqs.n_actions[h]
        cand = [payoff[f + a] + sum(value[c] for c in children.get(f + a, [])) for a in range(k)]
        a_best = int(np.argmax(cand))
        best[h] = f + a_best
        value[h] = cand[a_best]
    u0 = payoff[0] + sum(value[c] for c in children.get(0, []))
    return np.concatenate([[u0], value]), best


class _Levels:
    """A player's information sets grouped by depth (number of own earlier sequences), for
    best responses over all information sets of a depth at once."""

    def __init__(self, seqs: PlayerSequences) -> None:
        parent = np.asarray(seqs.parent, dtype=int)
        first = np.asarray(seqs.first, dtype=int)
        k = np.asarray(seqs.n_actions, dtype=int)
        owner = np.zeros(seqs.size, dtype=int)  # information set of each sequence (-1: ∅)
        owner[0] = -1
        for h, (f, n) in enumerate(zip(first, k, strict=True)):
            owner[f : f + n] = h
        depth = np.zeros(len(parent), dtype=int)
        for h, par in enumerate(parent):  # parents come first in prefix order
            depth[h] = 0 if par == 0 else depth[owner[par]] + 1
        self.size = seqs.size
        self.levels: list[tuple[NDArray[np.int_], ...]] = []
        for d in range(int(depth.max(initial=-1)) + 1):
            hs = np.flatnonzero(depth == d)
            seq = np.concatenate([np.arange(first[h], first[h] + k[h]) for h in hs])
            offs = np.concatenate([[0], np.cumsum(k[hs])[:-1]])
            seg = np.repeat(np.arange(hs.size), k[hs])
            self.levels.append((hs, seq, offs, seg, parent[hs]))

    def best_plan(self, payoff: FloatArray) -> FloatArray:
        """The pure realization plan of a best response to ``payoff`` over sequences."""
        cand = payoff.copy()
        best: list[NDArray[np.int_]] = []
        for _hs, seq, offs, seg, par in reversed(self.levels):
            vals = cand[seq]
            top = np.maximum.reduceat(vals, offs)
            at = np.flatnonzero(vals == top[seg])
            first = at[np.unique(seg[at], return_index=True)[1]]
            best.append(seq[first])
            np.add.at(cand, par, top)
        x = np.zeros(self.size)
        x[0] = 1.0
        for (_hs, _seq, _offs, _seg, par), b in zip(self.levels, reversed(best), strict=True):
            x[b] = x[par]
        return x


def _warm_prior(
    game: Game,
    sf: SequenceForm,
    a: FloatArray,
    b: FloatArray,
    prior: FloatArray,
    iterations: int,
    mix: float,
) -> FloatArray:
    """A prior near equilibrium play: ``iterations`` rounds of simultaneous fictitious play
    (Brown 1951) on the sequence form from ``prior`` (realization plans are averaged,
    which averages mixed strategies: Kuhn's theorem), its behaviour mixed back with
    weight ``mix`` toward the random interior ``prior`` so that it stays interior and
    generic. *Derived here* as a start for the tracing procedure: the path from a prior
    whose best responses are near an equilibrium's is short (measured in
    benchmarks/README.md: 57 459 pivots -> about 1 300 on the 100/100 signalling game)."""
    s1, s2 = sf.players
    l1, l2 = _Levels(s1), _Levels(s2)
    xs = plan_from_behaviour(game, s1, prior)
    ys = plan_from_behaviour(game, s2, prior)
    bt = np.ascontiguousarray(b.T)
    for k in range(iterations):
        bx = l1.best_plan(a @ ys)
        by = l2.best_plan(bt @ xs)
        xs += (bx - xs) / (k + 2)
        ys += (by - ys) / (k + 2)
    beh = np.zeros(len(game.moves))
    behaviour_from_plan(game, s1, xs, beh)
    behaviour_from_plan(game, s2, ys, beh)
    return np.asarray((1.0 - mix) * beh + mix * prior)


def lcp_solve(
    game: Game,
    *,
    start: ArrayLike | None = None,
    seed: int = 0,
    warm: int = 200,
    tol: float = 1e-7,
    max_pivots: int = 100_000,
) -> GameResult:
    """A Nash equilibrium in behaviour strategies of a 2-player game with perfect recall.

    ``start`` is the prior behaviour profile (moves array) the path starts from. The
    default draws a random interior profile from ``seed`` (a Dirichlet(1) distribution
    per information set: a generic prior has unique best responses, so the path cannot
    return to its start, which a uniform prior (ties) allows) and moves it toward
    equilibrium play by ``warm`` rounds of fictitious play, keeping weight 0.2 on the
    random profile (:func:`_warm_prior`; ``warm=0``: the random profile itself). The
    result's ``extra`` holds the realization plans ``x``, ``y``, the ``regret`` per player
    (≈ 0) and the number of ``pivots``.
    """
    if warm < 0:
        raise ModelError("must be >= 0", path="warm", value=warm)
    sf = _two_players(game, "lcp")
    s1, s2 = sf.players
    a, b = sf.payoff_matrices()
    e_mat, e_rhs = s1.constraints
    f_mat, f_rhs = s2.constraints
    if start is None:
        prior = _prior(game, seed)
        if warm:
            prior = _warm_prior(game, sf, a, b, prior, warm, 0.2)
    else:
        prior = np.asarray(start, dtype=float)
    x0 = plan_from_behaviour(game, s1, prior)
    y0 = plan_from_behaviour(game, s2, prior)
    n1, n2 = s1.size, s2.size
    m1, m2 = e_mat.shape[0], f_mat.shape[0]
    n = n1 + n2
    # variables: w1 (n1) w2 (n2) x (n1) y (n2) p (m1) q (m2) z0
    W1, W2, X, Y = 0, n1, n, n + n1
    P, Q = 2 * n, 2 * n + m1
    Z0 = 2 * n + m1 + m2
    n_var = Z0 + 1
    rows = n + m1 + m2
    t = np.zeros((rows, n_var))
    t[:n1, W1 : W1 + n1] = np.eye(n1)
    t[:n1, Y : Y + n2] = a
    t[:n1, P : P + m1] = -e_mat.T
    t[:n1, Z0] = a @ y0
    t[n1:n, W2 : W2 + n2] = np.eye(n2)
    t[n1:n, X : X + n1] = b.T
    t[n1:n, Q : Q + m2] = -f_mat.T
    t[n1:n, Z0] = b.T @ x0
    t[n : n + m1, X : X + n1] = e_mat
    t[n : n + m1, Z0] = e_rhs
    t[n + m1 :, Y : Y + n2] = f_mat
    t[n + m1 :, Z0] = f_rhs
    rhs = np.concatenate([np.zeros(n), e_rhs, f_rhs])
    _, best1 = _br_duals(s1, a @ y0)
    _, best2 = _br_duals(s2, b.T @ x0)
    tight1 = {0, *best1}
    tight2 = {0, *best2}
    basis = [Z0, *range(P, P + m1), *range(Q, Q + m2)]
    basis += [X + s for s in best1]
    basis += [Y] + [Y + s for s in best2]
    basis += [W1 + s for s in range(n1) if s not in tight1]
    basis += [W2 + s for s in range(n2) if s not in tight2]
    complement = [-1] * n_var
    for k in range(n):
        complement[k] = n + k
        complement[n + k] = k
    free = [False] * n_var
    for k in range(P, Z0):
        free[k] = True
    values, pivots = lemke(t, rhs, basis, X, complement, free, Z0, max_pivots=max_pivots)
    x = np.clip(values[X : X + n1], 0.0, None)
    y = np.clip(values[Y : Y + n2], 0.0, None)
    res = _result(
        "lcp",
        game,
        sf,
        x,
        y,
        {
            "start": (
                f"random interior (seed {seed}), {warm} rounds of fictitious play"
                if start is None
                else "given"
            ),
            "tol": tol,
        },
        {"pivots": pivots},
    )
    scale = max(1.0, float(np.abs(game.payoff_array).max()))
    if (res.extra["regret"] > tol * scale).any():
        raise ModelError(
            "the sequence-form LCP path ended off equilibrium (numerical trouble)",
            path="lcp",
            value=res.extra["regret"].tolist(),
        )
    return res


def lp_solve(game: Game, *, tol: float = 1e-7) -> GameResult:
    """The value and optimal behaviour strategies of a 2-player constant-sum game."""
    sf = _two_players(game, "lp")
    if not is_constant_sum(game):
        total = game.payoff_array.sum(axis=1)
        raise ModelError(
            "lp needs a constant-sum game (payoffs of the two players sum to the same "
            "number at every terminal node); use lcp",
            path="method",
            value=[float(total.min()), float(total.max())],
        )
    s1, s2 = sf.players
    a, _ = sf.payoff_matrices()
    e_mat, e_rhs = s1.constraints
    f_mat, f_rhs = s2.constraints
    n1, n2 = s1.size, s2.size
    m1, m2 = e_mat.shape[0], f_mat.shape[0]
    # player 1: max f'q  s.t.  F'q - A'x <= 0, Ex = e, x >= 0, q free
    c1 = np.concatenate([np.zeros(n1), -f_rhs])
    r1 = linprog(
        c1,
        A_ub=np.hstack([-a.T, f_mat.T]),
        b_ub=np.zeros(n2),
        A_eq=np.hstack([e_mat, np.zeros((m1, m2))]),
        b_eq=e_rhs,
        bounds=[(0, None)] * n1 + [(None, None)] * m2,
        method="highs",
    )
    # player 2: min e'p  s.t.  A y - E'p <= 0, Fy = f, y >= 0, p free
    c2 = np.concatenate([np.zeros(n2), e_rhs])
    r2 = linprog(
        c2,
        A_ub=np.hstack([a, -e_mat.T]),
        b_ub=np.zeros(n1),
        A_eq=np.hstack([f_mat, np.zeros((m2, m1))]),
        b_eq=f_rhs,
        bounds=[(0, None)] * n2 + [(None, None)] * m1,
        method="highs",
    )
    if r1.status != 0 or r2.status != 0:
        raise ModelError("the zero-sum LP failed", path="lp", value=(r1.message, r2.message))
    x = np.clip(r1.x[:n1], 0.0, None)
    y = np.clip(r2.x[:n2], 0.0, None)
    value1 = -float(r1.fun)
    res = _result(
        "lp", game, sf, x, y, {"tol": tol}, {"lp_value": value1, "lp_value_dual": float(r2.fun)}
    )
    return res
