"""Perfect-information games with chance: subgame-perfect equilibrium and agent logit QRE.

Both solvers are one bottom-up pass over the tree (reverse prefix order), vectorised over
a batch of payoff and probability draws and λ values: every node's value is an array over
the batch, so 10⁴ draws cost one pass of NumPy operations per node.

**Backward induction** (Zermelo; Kuhn 1953; Selten 1965). The value of a terminal node is
its payoff vector; of a chance node, the probability-weighted mean of its children's
values; at a decision node of player i the mover takes an action maximising
:math:`v_a[i]`. Ties (within ``tol`` of the maximum) are reported; the first tied action
in the node's order is taken, and ``all_equilibria=True`` enumerates every pure SPE (each
tie choice changes the other players' values, so the sets are built bottom-up).

**Agent logit quantal response equilibrium** (McKelvey & Palfrey 1995, 1998: the agent
QRE of an extensive game). Each agent logit-responds to continuation values,

.. math:: \\sigma(a) = \\frac{\\exp(\\lambda v_a[i])}{\\sum_b \\exp(\\lambda v_b[i])},
          \\qquad v = \\sum_a \\sigma(a) v_a,

computed with the maximum subtracted for stability. On a perfect-information tree the
agent QRE is unique at each λ and this recursion computes it exactly (each agent's response
depends only on the subtree below it); it is the same fixed point Gambit's
``logit_solve_lambda`` finds by path-following, with λ applied to raw payoffs as Gambit does.
λ = 0 gives uniform play; λ → ∞ converges to the SPE on generic trees (no ties). For
``λ = inf`` this module returns that limit directly: at each node the tied maximisers
share the probability equally (on non-generic trees the true limit may weight ties
otherwise; such ties are reported in the notes).

References
----------
* Kuhn, H. W. (1953). Extensive games and the problem of information. *Contributions to
  the Theory of Games II*, 193-216.
* Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit
  Nachfrageträgheit. *Zeitschrift für die gesamte Staatswissenschaft* 121, 301-324.
* McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for normal form
  games. *Games and Economic Behavior* 10, 6-38; (1998) Quantal response equilibria for
  extensive form games. *Experimental Economics* 1, 9-41.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError
from accord.games.result import GameResult, reach_probabilities
from accord.games.tree import Game

__all__ = ["qre_limit", "qre_solve", "spe_solve"]

FloatArray = NDArray[np.float64]
Chooser = Callable[[FloatArray, FloatArray], FloatArray]  # (child values (K, a), λ (K,))


def _require_perfect_information(game: Game, method: str) -> None:
    if not game.is_perfect_information:
        (p, name), members = next((k, v) for k, v in game.infosets.items() if len(v) > 1)
        raise ModelError(
            f"{method} needs perfect information; information set {name!r} of "
            f"{game.players[p]} has {len(members)} nodes (use lcp or lp for 2 players)",
            path="method",
            value=method,
        )


def _batch(
    game: Game, payoffs: ArrayLike | None, probs: ArrayLike | None, lam: ArrayLike | None = None
) -> tuple[tuple[int, ...], FloatArray, FloatArray, FloatArray]:
    pay = game.payoff_array if payoffs is None else np.asarray(payoffs, dtype=float)
    pr = game.prob_array if probs is None else np.asarray(probs, dtype=float)
    lm = np.zeros(()) if lam is None else np.asarray(lam, dtype=float)
    n_t, n_p = len(game.terminals), len(game.players)
    if pay.shape[-2:] != (n_t, n_p):
        raise ModelError(
            f"payoffs must have shape (..., {n_t} terminals, {n_p} players)",
            path="payoffs",
            value=pay.shape,
        )
    if pr.shape[-1:] != (len(game.chance_moves),):
        raise ModelError(
            f"probs must have shape (..., {len(game.chance_moves)} chance moves)",
            path="probs",
            value=pr.shape,
        )
    if not np.isfinite(pay).all():
        raise ModelError("payoffs must be finite", path="payoffs")
    if ((pr < 0) | (pr > 1) | ~np.isfinite(pr)).any():
        raise ModelError(
            "chance probabilities must be in [0, 1]",
            path="probs",
            value=float(pr[~((pr >= 0) & (pr <= 1))].ravel()[0]),
        )
    if np.isnan(lm).any() or (lm < 0).any():
        raise ModelError(
            "lambda must be >= 0", path="lambda", value=float(lm[~(lm >= 0)].ravel()[0])
        )
    shape = np.broadcast_shapes(pay.shape[:-2], pr.shape[:-1], lm.shape)
    k = int(np.prod(shape))
    pay = np.broadcast_to(pay, (*shape, n_t, n_p)).reshape(k, n_t, n_p)
    pr = np.broadcast_to(pr, (*shape, pr.shape[-1])).reshape(k, -1)
    lm = np.broadcast_to(lm, shape).reshape(k)
    return shape, pay, pr, lm


def _recurse(
    game: Game, pay: FloatArray, pr: FloatArray, lam: FloatArray, choose: Chooser
) -> tuple[FloatArray, FloatArray]:
    """Bottom-up values (K, nodes, players) and behaviour (K, moves)."""
    k = pay.shape[0]
    n_nodes, n_p = len(game.nodes), len(game.players)
    values = np.empty((k, n_nodes, n_p))
    values[:, list(game.terminals), :] = pay
    beh = np.empty((k, len(game.moves)))
    first_move: dict[int, int] = {}
    for m, (i, a) in enumerate(game.moves):
        if a == 0:
            first_move[i] = m
    first_chance: dict[int, int] = {}
    for c, (i, a) in enumerate(game.chance_moves):
        if a == 0:
            first_chance[i] = c
    for i in range(n_nodes - 1, -1, -1):
        n = game.nodes[i]
        if n.kind == "terminal":
            continue
        kids = values[:, list(n.children), :]  # (K, a, players)
        if n.kind == "chance":
            c0 = first_chance[i]
            w = pr[:, c0 : c0 + len(n.children)]
        else:
            w = choose(kids[:, :, n.player], lam)
            m0 = first_move[i]
            beh[:, m0 : m0 + len(n.children)] = w
        values[:, i, :] = np.einsum("ka,kap->kp", w, kids)
    return values, beh


def _tie_mask(v: FloatArray, tol: float) -> FloatArray:
    best = v.max(axis=1, keepdims=True)
    return np.asarray(v >= best - tol * np.maximum(1.0, np.abs(best)), dtype=float)


def spe_solve(
    game: Game,
    *,
    payoffs: ArrayLike | None = None,
    probs: ArrayLike | None = None,
    tol: float = 1e-9,
    all_equilibria: bool = False,
    max_equilibria: int = 10_000,
) -> GameResult:
    """Subgame-perfect equilibrium by backward induction (perfect information, chance).

    Parameters
    ----------
    game : a perfect-information game.
    payoffs, probs : optional draws, shapes (..., terminals, players) and (..., chance
        moves) (:attr:`Game.payoff_array`, :attr:`Game.prob_array` order); the batch axes
        broadcast and lead every output.
    tol : actions within ``tol·max(1, |best|)`` of the best are ties.
    all_equilibria : also enumerate every pure SPE (unbatched games only) into
        ``extra["equilibria"]``: a list of (behaviour, root value) pairs.

    Returns
    -------
    GameResult (method ``spe``): the SPE taking the first tied action; ``extra["ties"]``
    is, per decision node, the fraction of the batch where it had tied best actions.
    """
    _require_perfect_information(game, "spe")
    shape, pay, pr, lam = _batch(game, payoffs, probs)

    def choose(v: FloatArray, _: FloatArray) -> FloatArray:
        out = np.zeros_like(v)
        out[np.arange(v.shape[0]), np.argmax(v, axis=1)] = 1.0
        return out

    values, beh = _recurse(game, pay, pr, lam, choose)
    tie_rate: dict[int, float] = {}
    for i, n in enumerate(game.nodes):
        if n.kind == "decision":
            kids = values[:, list(n.children), n.player]
            ties = _tie_mask(kids, tol).sum(axis=1) > 1
            if ties.any():
                tie_rate[i] = float(ties.mean())
    notes = tuple(
        f"tie at {game.nodes[i].where or f'node {i}'} ({game.players[game.nodes[i].player]})"
        + (f" in {rate:.1%} of draws" if shape else "")
        for i, rate in tie_rate.items()
    )
    extra: dict[str, Any] = {"ties": tie_rate}
    if all_equilibria:
        if shape:
            raise ModelError("all_equilibria needs an unbatched game", path="all_equilibria")
        extra["equilibria"] = _all_spe(game, tol, max_equilibria)
    reach = reach_probabilities(game, beh, pr)
    return GameResult(
        "spe",
        game,
        {"tol": tol, "all_equilibria": all_equilibria, "batch": shape},
        beh.reshape(*shape, -1),
        values.reshape(*shape, *values.shape[1:]),
        reach.reshape(*shape, -1),
        notes,
        extra,
    )


def _all_spe(game: Game, tol: float, limit: int) -> list[tuple[FloatArray, FloatArray]]:
    """Every pure SPE as (behaviour over moves, root value)."""
    move_index = {m: k for k, m in enumerate(game.moves)}
    # per node: list of (assignment {move index: 1}, value vector)
    sols: dict[int, list[tuple[dict[int, int], FloatArray]]] = {}
    for i in range(len(game.nodes) - 1, -1, -1):
        n = game.nodes[i]
        if n.kind == "terminal":
            sols[i] = [({}, np.asarray(n.payoffs, dtype=float))]
            continue
        combos = itertools.product(*(sols[c] for c in n.children))
        found: list[tuple[dict[int, int], FloatArray]] = []
        for combo in combos:
            merged: dict[int, int] = {}
            for assign, _ in combo:
                merged.update(assign)
            vals = np.stack([v for _, v in combo])
            if n.kind == "chance":
                found.append((merged, np.asarray(n.probs) @ vals))
            else:
                mover = vals[:, n.player]
                best = mover.max()
                for a in np.flatnonzero(mover >= best - tol * max(1.0, abs(best))):
                    chosen = dict(merged)
                    chosen[move_index[(i, int(a))]] = 1
                    found.append((chosen, vals[a]))
            if len(found) > limit:
                raise ModelError(
                    f"more than {limit} pure subgame-perfect equilibria; raise max_equilibria",
                    path="max_equilibria",
                    value=limit,
                )
        sols[i] = found
    out: list[tuple[FloatArray, FloatArray]] = []
    for assign, value in sols[0]:
        beh = np.zeros(len(game.moves))
        for m in assign:
            beh[m] = 1.0
        out.append((beh, value))
    return out


def qre_solve(
    game: Game,
    lam: ArrayLike,
    *,
    payoffs: ArrayLike | None = None,
    probs: ArrayLike | None = None,
    tol: float = 1e-9,
) -> GameResult:
    """Agent logit QRE of a perfect-information game at λ (scalar or array; ``inf`` allowed).

    ``lam``, ``payoffs`` (..., terminals, players) and ``probs`` (..., chance moves)
    broadcast; their batch shape leads every output. A λ grid is the logit path
    (``qre_solve(game, np.geomspace(1e-2, 1e2, 100))``); ``extra["lam"]`` keeps λ.
    """
    _require_perfect_information(game, "qre")
    shape, pay, pr, lm = _batch(game, payoffs, probs, lam)

    def choose(v: FloatArray, lam_k: FloatArray) -> FloatArray:
        best = v.max(axis=1, keepdims=True)
        finite = np.isfinite(lam_k)
        with np.errstate(invalid="ignore"):
            z = np.exp(np.where(finite, lam_k, 0.0)[:, None] * (v - best))
        z = np.where(finite[:, None], z, _tie_mask(v, tol))
        return np.asarray(z / z.sum(axis=1, keepdims=True))

    values, beh = _recurse(game, pay, pr, lm, choose)
    notes: list[str] = []
    if np.isinf(lm).any():
        for i, n in enumerate(game.nodes):
            if n.kind == "decision":
                kids = values[np.isinf(lm)][:, list(n.children), n.player]
                if (_tie_mask(kids, tol).sum(axis=1) > 1).any():
                    notes.append(
                        f"tie at {n.where or f'node {i}'}: the lambda -> inf limit splits it "
                        "equally (non-generic tree)"
                    )
    reach = reach_probabilities(game, beh, pr)
    return GameResult(
        "qre",
        game,
        {"lam": np.asarray(lam, dtype=float).tolist(), "batch": shape},
        beh.reshape(*shape, -1),
        values.reshape(*shape, *values.shape[1:]),
        reach.reshape(*shape, -1),
        tuple(notes),
        {"lam": np.broadcast_to(lm.reshape(shape), shape).copy()},
    )


def qre_limit(game: Game, **kw: Any) -> GameResult:
    """The λ → ∞ limit of the agent logit QRE (the SPE on generic trees)."""
    return qre_solve(game, np.inf, **kw)
