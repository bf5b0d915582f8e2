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
        for t in range(len(self.game.terminals)):
            s, u = p1.leaf_seq[t], p2.leaf_seq[t]
            a[s, u] += self.chance_weight[t] * pay[t, 0]
            b[s, u] += self.chance_weight[t] * pay[t, 1]
        return a, b


def _chance_weights(game: Game) -> FloatArray:
    w = np.ones(len(game.nodes))
    for i, n in enumerate(game.nodes):
        for k, c in enumerate(n.children):
            w[c] = w[i] * (n.probs[k] if n.kind == "chance" else 1.0)
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


def behaviour_from_plan(
    game: Game, seqs: PlayerSequences, x: FloatArray, into: FloatArray
) -> list[str]:
    """Write a realization plan's behaviour into ``into`` (moves); returns the names of the
    player's information sets that the plan does not reach (uniform there)."""
    unreached: list[str] = []
    move_of = {m: k for k, m in enumerate(game.moves)}
    for h, key in enumerate(seqs.infosets):
        f, k, par = seqs.first[h], seqs.n_actions[h], seqs.parent[h]
        mass = x[par]
        if mass > 1e-12:
            beh = np.clip(x[f : f + k], 0.0, None) / mass
            beh = beh / beh.sum() if beh.sum() > 0 else np.full(k, 1.0 / k)
        else:
            beh = np.full(k, 1.0 / k)
            unreached.append(key[1])
        for node in game.infosets[key]:
            for a in range(k):
                into[move_of[(node, a)]] = beh[a]
    return unreached


def plan_from_behaviour(game: Game, seqs: PlayerSequences, behaviour: FloatArray) -> FloatArray:
    """The realization plan of a player's behaviour (moves array, prefix order)."""
    move_of = {m: k for k, m in enumerate(game.moves)}
    x = np.zeros(seqs.size)
    x[0] = 1.0
    for h, key in enumerate(seqs.infosets):
        node = game.infosets[key][0]
        for a in range(seqs.n_actions[h]):
            x[seqs.first[h] + a] = x[seqs.parent[h]] * behaviour[move_of[(node, a)]]
    return x


def profile_values(game: Game, behaviour: FloatArray) -> FloatArray:
    """Expected payoffs (nodes, players) of every node's subtree under a behaviour profile."""
    move_of = {m: k for k, m in enumerate(game.moves)}
    values = np.zeros((len(game.nodes), len(game.players)))
    for i in range(len(game.nodes) - 1, -1, -1):
        n = game.nodes[i]
        if n.kind == "terminal":
            values[i] = n.payoffs
            continue
        if n.kind == "chance":
            w = np.asarray(n.probs)
        else:
            w = np.array([behaviour[move_of[(i, a)]] for a in range(len(n.actions))])
        values[i] = w @ values[list(n.children)]
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
    move_of = {m: k for k, m in enumerate(game.moves)}
    w = np.ones(len(game.nodes))
    for i, n in enumerate(game.nodes):
        for a, c in enumerate(n.children):
            if n.kind == "chance":
                w[c] = w[i] * n.probs[a]
            elif n.player != player:
                w[c] = w[i] * behaviour[move_of[(i, a)]]
            else:
                w[c] = w[i]
    return w[list(game.terminals)]


def regret(game: Game, behaviour: FloatArray) -> FloatArray:
    """Per player: best-response value minus the profile's value (0 at a Nash equilibrium)."""
    sf = sequence_form(game)
    actual = profile_values(game, np.asarray(behaviour, dtype=float))[0]
    return np.array(
        [best_response(game, behaviour, p, sf)[0] - actual[p] for p in range(len(game.players))]
    )
