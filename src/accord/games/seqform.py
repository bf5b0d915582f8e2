"""The sequence form of an extensive game with perfect recall (Koller, Megiddo & von Stengel
1996; von Stengel 1996), and best responses to behaviour profiles.

A *sequence* of player i is the empty sequence ∅ or a pair (information set h, action a);
σ(h) is the sequence leading to h (the same at every node of h by perfect recall). A
*realization plan* x ≥ 0 satisfies :math:`E x = e`: :math:`x_\\varnothing = 1` and
:math:`\\sum_a x_{(h,a)} = x_{\\sigma(h)}` for every h. For two players the expected
payoffs are :math:`x^\\top A y` and :math:`x^\\top B y` with

.. math:: A_{s t} = \\sum_{\\ell:\\ s_1(\\ell)=s,\\ s_2(\\ell)=t} c(\\ell)\\, u_1(\\ell)

(:math:`c(\\ell)` the product of chance probabilities on the way to leaf ℓ), so the game's
size is linear in the tree instead of exponential as in the strategic form.

:func:`best_response` solves a player's decision problem against the others' behaviour
(any number of players), by the recursion over its information sets
:math:`U_h = \\max_a [g_{(h,a)} + \\sum_{h': \\sigma(h')=(h,a)} U_{h'}]`; :func:`regret`
gives each player's gain from its best response, the equilibrium check of every solver.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from accord.errors import ModelError
from accord.games.tree import Game

__all__ = [
    "SequenceForm",
    "behaviour_from_plan",
    "best_response",
    "plan_from_behaviour",
    "profile_values",
    "regret",
    "sequence_form",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class PlayerSequences:
    """One player's sequences: ``infosets[h]`` = (player, name); sequence 0 is ∅ and
    ``first[h] + k`` is (h, action k); ``parent[h]`` is σ(h); ``leaf_seq[t]`` the player's
    last sequence before terminal t (index in Game.terminals)."""

    infosets: tuple[tuple[int, str], ...]
    first: tuple[int, ...]
    n_actions: tuple[int, ...]
    parent: tuple[int, ...]
    leaf_seq: tuple[int, ...]

    @property
    def size(self) -> int:
        return 1 + sum(self.n_actions)

    @cached_property
    def arrays(self) -> tuple[NDArray[np.int_], NDArray[np.int_], tuple[NDArray[np.int_], ...]]:
        """(owner, parent, levels): each non-empty sequence's information set and the
        sequence before it (both indexed by sequence - 1), and the non-empty sequences
        grouped by depth (number of own earlier sequences)."""
        k = np.asarray(self.n_actions, dtype=int)
        par = np.asarray(self.parent, dtype=int)
        owner = np.repeat(np.arange(k.size), k)
        depth = np.zeros(k.size, dtype=int)
        for h, p in enumerate(self.parent):  # parents come first in prefix order
            depth[h] = 0 if p == 0 else depth[owner[p - 1]] + 1
        seq_depth = depth[owner]
        levels = tuple(
            1 + np.flatnonzero(seq_depth == d) for d in range(int(depth.max(initial=-1)) + 1)
        )
        return owner, par[owner], levels

    @cached_property
    def constraints(self) -> tuple[FloatArray, FloatArray]:
        """(E, e): rows ∅ then one per information set."""
        e_mat = np.zeros((1 + len(self.infosets), self.size))
        e_mat[0, 0] = 1.0
        for h, (f, k, par) in enumerate(zip(self.first, self.n_actions, self.parent, strict=True)):
            e_mat[1 + h, par] = -1.0
            e_mat[1 + h, f : f + k] = 1.0
        rhs = np.zeros(1 + len(self.infosets))
        rhs[0] = 1.0
        return e_mat, rhs


def _player_sequences(game: Game, player: int) -> PlayerSequences:
    keys = [k for k in game.infosets if k[0] == player]
    index = {k: h for h, k in enumerate(keys)}
    first: list[int] = []
    n_actions: list[int] = []
    nxt = 1
    for k in keys:
        first.append(nxt)
        n = len(game.nodes[game.infosets[k][0]].actions)
        n_actions.append(n)
        nxt += n
    seq_of: dict[tuple[str, str], int] = {}
    for k, f in zip(keys, first, strict=True):
        for a, act in enumerate(game.nodes[game.infosets[k][0]].actions):
            seq_of[(k[1], act)] = f + a

    def last(hist: tuple[tuple[str, str], ...]) -> int:
        return seq_of[hist[-1]] if hist else 0

    parent = [last(game.own_history[game.infosets[k][0]][player]) for k in keys]
    leaf_seq = [last(game.own_history[t][player]) for t in game.terminals]
    del index
    return PlayerSequences(
        tuple(keys), tuple(first), tuple(n_actions), tuple(parent), tuple(leaf_seq)
    )


@dataclass(frozen=True)
class SequenceForm:
    """Sequences of every player, leaves' chance weights, and (2 players) A and B."""

    game: Game
    players: tuple[PlayerSequences, ...]
    chance_weight: FloatArray  # (terminals,)

    def payoff_matrices(self) -> tuple[FloatArray, FloatArray]:
        if len(self.players) != 2:
            raise ModelError("the sequence-form matrices need 2 players", path="players")
        p1, p2 = self.players
        a = np.zeros((p1.size, p2.size))
        b = np.zeros((p1.size, p2.size))
        pay = self.game.payoff_array
        at = (np.asarray(p1.leaf_seq, dtype=int), np.asarray(p2.leaf_seq, dtype=int))
        np.add.at(a, at, self.chance_weight * pay[:, 0])
        np.add.at(b, at, self.chance_weight * pay[:, 1])
        return a, b


def _chance_weights(game: Game) -> FloatArray:
    e = game.edges
    step = np.concatenate([np.ones(len(game.moves)), game.prob_array])[e.source]
    w = np.ones(len(game.nodes))
    for lv in e.levels:
        w[lv] = w[e.parent[lv]] * step[lv]
    return w[list(game.terminals)]


def _require_recall(game: Game) -> None:
    if not game.perfect_recall:
        first = game.recall_problems[0]
        raise ModelError(first.message, path=first.path)


def sequence_form(game: Game) -> SequenceForm:
    """The sequence form of a game with perfect recall."""
    _require_recall(game)
    players = tuple(_player_sequences(game, p) for p in range(len(game.players)))
    return SequenceForm(game, players, _chance_weights(game))


def _move_sequences(
    game: Game, seqs: PlayerSequences, first_node_only: bool = False
) -> tuple[NDArray[np.int_], NDArray[np.int_]]:
    """The player's moves (indices into Game.moves) and the sequence each one leads to
    (with ``first_node_only``, only the moves at each information set's first node)."""
    fm = game.edges.first_move
    idx: list[NDArray[np.int_]] = [np.zeros(0, dtype=int)]
    seq: list[NDArray[np.int_]] = [np.zeros(0, dtype=int)]
    for h, key in enumerate(seqs.infosets):
        nodes = np.asarray(game.infosets[key][:1] if first_node_only else game.infosets[key])
        acts = np.arange(seqs.n_actions[h])
        idx.append((fm[nodes][:, None] + acts).ravel())
        seq.append(np.tile(seqs.first[h] + acts, nodes.size))
    return np.concatenate(idx), np.concatenate(seq)


def behaviour_from_plan(
    game: Game, seqs: PlayerSequences, x: FloatArray, into: FloatArray
) -> list[str]:
    """Write a realization plan's behaviour into ``into`` (moves); returns the names of the
    player's information sets that the plan does not reach (uniform there)."""
    if not seqs.infosets:
        return []
    owner, _, _ = seqs.arrays
    k = np.asarray(seqs.n_actions, dtype=int)
    mass = np.asarray(x)[np.asarray(seqs.parent, dtype=int)]
    reached = mass > 1e-12
    share = np.clip(x[1:], 0.0, None) / np.where(reached, mass, 1.0)[owner]
    total = np.add.reduceat(share, np.asarray(seqs.first, dtype=int) - 1)
    ok = reached & (total > 0)
    beh = np.where(ok[owner], share / np.where(ok, total, 1.0)[owner], 1.0 / k[owner])
    idx, seq = _move_sequences(game, seqs)
    into[idx] = np.concatenate([[1.0], beh])[seq]
    return [seqs.infosets[h][1] for h in np.flatnonzero(~reached)]


def plan_from_behaviour(game: Game, seqs: PlayerSequences, behaviour: FloatArray) -> FloatArray:
    """The realization plan of a player's behaviour (moves array, prefix order)."""
    _, seq_parent, levels = seqs.arrays
    idx, seq = _move_sequences(game, seqs, first_node_only=True)
    rep = np.zeros(seqs.size, dtype=int)
    rep[seq] = idx
    beh = np.asarray(behaviour, dtype=float)
    x = np.zeros(seqs.size)
    x[0] = 1.0
    for lv in levels:
        x[lv] = x[seq_parent[lv - 1]] * beh[rep[lv]]
    return x


def _edge_weights(game: Game, behaviour: FloatArray) -> FloatArray:
    """The probability of the move into each node (the root's is meaningless)."""
    src = np.concatenate([np.asarray(behaviour, dtype=float), game.prob_array])
    return np.asarray(src[game.edges.source])


def profile_values(game: Game, behaviour: FloatArray) -> FloatArray:
    """Expected payoffs (nodes, players) of every node's subtree under a behaviour profile."""
    e = game.edges
    w = _edge_weights(game, behaviour)
    values = np.zeros((len(game.nodes), len(game.players)))
    values[list(game.terminals)] = game.payoff_array
    for lv in reversed(e.levels):  # children before parents
        np.add.at(values, e.parent[lv], w[lv, None] * values[lv])
    return values


def best_response(
    game: Game, behaviour: FloatArray, player: int, sf: SequenceForm | None = None
) -> tuple[float, FloatArray]:
    """The player's best-response value against the others' behaviour, and one pure best
    response as a realization plan."""
    sf = sf or sequence_form(game)
    seqs = sf.players[player]
    others = _others_reach(game, np.asarray(behaviour, dtype=float), player)
    g = np.zeros(seqs.size)
    np.add.at(g, np.asarray(seqs.leaf_seq, dtype=int), others * game.payoff_array[:, player])
    children: dict[int, list[int]] = {}
    for h, par in enumerate(seqs.parent):
        children.setdefault(par, []).append(h)
    value = np.zeros(len(seqs.infosets))
    best = np.zeros(len(seqs.infosets), dtype=int)
    for h in range(len(seqs.infosets) - 1, -1, -1):
        f, k = seqs.first[h], seqs.n_actions[h]
        cand = [g[f + a] + sum(value[c] for c in children.get(f + a, [])) for a in range(k)]
        best[h] = int(np.argmax(cand))
        value[h] = cand[best[h]]
    total = g[0] + sum(value[c] for c in children.get(0, []))
    plan = np.zeros(seqs.size)
    plan[0] = 1.0
    for h in range(len(seqs.infosets)):
        if plan[seqs.parent[h]] > 0:
            plan[seqs.first[h] + best[h]] = plan[seqs.parent[h]]
    return float(total), plan


def _others_reach(game: Game, behaviour: FloatArray, player: int) -> FloatArray:
    e = game.edges
    w = _edge_weights(game, behaviour)
    w[e.mover == player] = 1.0
    reach = np.ones(len(game.nodes))
    for lv in e.levels:
        reach[lv] = reach[e.parent[lv]] * w[lv]
    return reach[list(game.terminals)]


def regret(game: Game, behaviour: FloatArray, sf: SequenceForm | None = None) -> FloatArray:
    """Per player: best-response value minus the profile's value (0 at a Nash equilibrium)."""
    sf = sf or sequence_form(game)
    actual = profile_values(game, np.asarray(behaviour, dtype=float))[0]
    return np.array(
        [best_response(game, behaviour, p, sf)[0] - actual[p] for p in range(len(game.players))]
    )
