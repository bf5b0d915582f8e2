"""Extensive-form games: players, chance nodes, information sets, terminal payoff vectors.

A :class:`Game` is an immutable tree stored as a tuple of :class:`Node` in prefix order
(the root first, then each child's subtree in action order), the order Gambit's ``.efg``
files use. Build one from nested :func:`decision`, :func:`chance` and :func:`terminal`
specifications with :func:`make_game`, or read one with :mod:`accord.games.io`.

Conventions (as in Gambit, so that the logit λ means the same in both):

* payoffs are raw numbers, one per player, at terminal nodes only (the ``.efg`` reader folds
  Gambit's non-terminal outcomes into the leaves below them);
* a decision node belongs to an information set named per player; every node of a set has
  the same player and the same action labels, in the same order;
* chance probabilities are in [0, 1] and sum to 1 at each chance node (within 1e-9).

:func:`game_problems` lists everything wrong with a tree (each :class:`~accord.errors.Problem`
names the node by its source location, e.g. ``root.moves.swap.probs`` in YAML or
``line 7`` in an ``.efg`` file); :func:`make_game` and the readers raise them together as a
:class:`~accord.errors.ScenarioError`. Perfect recall (Kuhn 1953: every node of a player's
information set has the same history of that player's own information sets and actions) is
not required of a valid game; :attr:`Game.recall_problems` reports where it fails, and the
solvers that need it refuse with that message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.errors import Problem, ScenarioError

__all__ = [
    "CHANCE",
    "Game",
    "Node",
    "Spec",
    "chance",
    "decision",
    "game_problems",
    "make_game",
    "terminal",
]

CHANCE = "chance"
Kind = Literal["decision", "chance", "terminal"]
PROB_TOL = 1e-9


@dataclass(frozen=True)
class Node:
    """One node. ``children[k]`` is the node index reached by ``actions[k]``."""

    kind: Kind
    player: int = -1  # index into Game.players (decision nodes only)
    infoset: str = ""  # the information set's name, unique per player (decision nodes)
    actions: tuple[str, ...] = ()
    children: tuple[int, ...] = ()
    probs: tuple[float, ...] = ()  # chance nodes
    payoffs: tuple[float, ...] = ()  # terminal nodes
    label: str = ""
    outcome: str = ""  # terminal outcome label
    where: str = field(default="", compare=False)  # source location for messages


@dataclass(frozen=True, eq=False)
class Edges:
    """A game's tree as arrays: node c's ``parent[c]``; ``source[c]``, the index of the
    move into c in [decision moves (:attr:`Game.moves`), chance moves
    (:attr:`Game.chance_moves`)] (-1 at the root); ``mover[c]``, the player of that move
    (-1: chance or root); ``first_move[i]``, the index of decision node i's first move
    (-1 elsewhere); ``levels[d]``, the nodes at depth d + 1."""

    parent: NDArray[np.int_]
    source: NDArray[np.int_]
    mover: NDArray[np.int_]
    first_move: NDArray[np.int_]
    levels: tuple[NDArray[np.int_], ...]


@dataclass(frozen=True)
class Game:
    """An extensive-form game (see the module docstring for conventions)."""

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    title: str = ""

    # -- structure ------------------------------------------------------------------

    @cached_property
    def parent(self) -> tuple[int, ...]:
        par = [-1] * len(self.nodes)
        for i, n in enumerate(self.nodes):
            for c in n.children:
                par[c] = i
        return tuple(par)

    @cached_property
    def depth(self) -> tuple[int, ...]:
        d = [0] * len(self.nodes)
        for i, n in enumerate(self.nodes):
            for c in n.children:
                d[c] = d[i] + 1
        return tuple(d)

    @cached_property
    def terminals(self) -> tuple[int, ...]:
        return tuple(i for i, n in enumerate(self.nodes) if n.kind == "terminal")

    @cached_property
    def infosets(self) -> dict[tuple[int, str], tuple[int, ...]]:
        """(player, infoset name) -> its nodes, in order of first appearance."""
        out: dict[tuple[int, str], list[int]] = {}
        for i, n in enumerate(self.nodes):
            if n.kind == "decision":
                out.setdefault((n.player, n.infoset), []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    @property
    def is_perfect_information(self) -> bool:
        """Every information set is a single node."""
        return all(len(v) == 1 for v in self.infosets.values())

    @cached_property
    def recall_problems(self) -> tuple[Problem, ...]:
        """Where perfect recall fails (empty when the game has perfect recall)."""
        history = self.own_history
        out: list[Problem] = []
        for (player, name), members in self.infosets.items():
            first = history[members[0]][player]
            for m in members[1:]:
                if history[m][player] != first:
                    out.append(
                        Problem(
                            self.nodes[m].where or f"nodes[{m}]",
                            f"no perfect recall: information set {name!r} of "
                            f"{self.players[player]!r} holds nodes with different histories "
                            "of its own moves "
                            f"({_hist(first)} at {self.nodes[members[0]].where or members[0]}, "
                            f"{_hist(history[m][player])} here)",
                        )
                    )
                    break
        return tuple(out)

    @property
    def perfect_recall(self) -> bool:
        return not self.recall_problems

    @cached_property
    def own_history(self) -> tuple[tuple[tuple[tuple[str, str], ...], ...], ...]:
        """Per node, per player: the player's own (infoset, action) pairs on the root path."""
        n_pl = len(self.players)
        hist: list[tuple[tuple[tuple[str, str], ...], ...]] = [()] * len(self.nodes)
        hist[0] = tuple(() for _ in range(n_pl))
        for i, n in enumerate(self.nodes):
            for a, c in zip(n.actions, n.children, strict=True):
                h = hist[i]
                if n.kind == "decision":
                    own = list(h)
                    own[n.player] = h[n.player] + ((n.infoset, a),)
                    h = tuple(own)
                hist[c] = h
        return tuple(hist)

    # -- arrays for the vectorised solvers ---------------------------------------------

    @cached_property
    def payoff_array(self) -> NDArray[np.float64]:
        """(terminals, players): the payoffs of the terminal nodes in prefix order."""
        return np.array([self.nodes[t].payoffs for t in self.terminals], dtype=float).reshape(
            len(self.terminals), len(self.players)
        )

    @cached_property
    def chance_moves(self) -> tuple[tuple[int, int], ...]:
        """(node, action index) of every chance move, in prefix order."""
        return tuple(
            (i, k)
            for i, n in enumerate(self.nodes)
            if n.kind == "chance"
            for k in range(len(n.actions))
        )

    @cached_property
    def prob_array(self) -> NDArray[np.float64]:
        """(chance moves,): the probabilities of :attr:`chance_moves`."""
        return np.array([self.nodes[i].probs[k] for i, k in self.chance_moves], dtype=float)

    @cached_property
    def moves(self) -> tuple[tuple[int, int], ...]:
        """(node, action index) of every decision move, in prefix order."""
        return tuple(
            (i, k)
            for i, n in enumerate(self.nodes)
            if n.kind == "decision"
            for k in range(len(n.actions))
        )

    @cached_property
    def edges(self) -> Edges:
        """The tree as arrays, for passes over all nodes of a depth at once."""
        n = len(self.nodes)
        source, mover, first_move = [-1] * n, [-1] * n, [-1] * n
        next_move, next_chance = 0, len(self.moves)
        for i, node in enumerate(self.nodes):
            if node.kind == "decision":
                first_move[i] = next_move
                for c in node.children:
                    source[c], mover[c] = next_move, node.player
                    next_move += 1
            elif node.kind == "chance":
                for c in node.children:
                    source[c] = next_chance
                    next_chance += 1
        depth = np.asarray(self.depth, dtype=int)
        levels = tuple(np.flatnonzero(depth == d) for d in range(1, int(depth.max()) + 1))
        return Edges(
            np.asarray(self.parent, dtype=int),
            np.asarray(source, dtype=int),
            np.asarray(mover, dtype=int),
            np.asarray(first_move, dtype=int),
            levels,
        )

    def move_label(self, node: int, k: int) -> str:
        n = self.nodes[node]
        return f"{self.players[n.player]}:{n.infoset}:{n.actions[k]}"

    def with_values(
        self,
        payoffs: NDArray[np.float64] | None = None,
        probs: NDArray[np.float64] | None = None,
    ) -> Game:
        """The same tree with new terminal payoffs (terminals, players) or chance probs."""
        nodes = list(self.nodes)
        if payoffs is not None:
            pay = np.asarray(payoffs, dtype=float)
            for t, row in zip(self.terminals, pay, strict=True):
                nodes[t] = _replace(nodes[t], payoffs=tuple(float(x) for x in row))
        if probs is not None:
            pr = np.asarray(probs, dtype=float)
            by_node: dict[int, list[float]] = {}
            for (i, _k), p in zip(self.chance_moves, pr, strict=True):
                by_node.setdefault(i, []).append(float(p))
            for i, ps in by_node.items():
                nodes[i] = _replace(nodes[i], probs=tuple(ps))
        return make_game_from_nodes(self.players, nodes, self.title)

    def __len__(self) -> int:
        return len(self.nodes)


def _replace(n: Node, **kw: object) -> Node:
    from dataclasses import replace

    return replace(n, **kw)  # type: ignore[arg-type]


def sub(where: str, field: str) -> str:
    """A field inside a node's location: ``root.probs`` (YAML) or ``line 7 (probs)`` (.efg)."""
    if where.startswith("line "):
        return f"{where} ({field})"
    return f"{where}.{field}"


def _hist(h: tuple[tuple[str, str], ...]) -> str:
    return "[" + ", ".join(f"{s}:{a}" for s, a in h) + "]" if h else "[]"


# -- building from nested specifications ----------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A node specification for :func:`make_game` (use the helper functions)."""

    kind: Kind
    player: str = ""
    infoset: str | None = None
    moves: tuple[tuple[str, Spec], ...] = ()
    probs: tuple[float, ...] = ()
    payoffs: tuple[float, ...] = ()
    label: str = ""
    where: str = ""


def decision(
    player: str,
    moves: Mapping[str, Spec],
    *,
    infoset: str | None = None,
    label: str = "",
    where: str = "",
) -> Spec:
    """A decision node of ``player``; nodes sharing an ``infoset`` name form one set."""
    return Spec("decision", player, infoset, tuple(moves.items()), label=label, where=where)


def chance(moves: Mapping[str, tuple[float, Spec]], *, label: str = "", where: str = "") -> Spec:
    """A chance node: ``{action: (probability, child)}``."""
    return Spec(
        "chance",
        moves=tuple((a, c) for a, (_, c) in moves.items()),
        probs=tuple(float(p) for p, _ in moves.values()),
        label=label,
        where=where,
    )


def terminal(*payoffs: float, label: str = "", where: str = "") -> Spec:
    """A terminal node with one payoff per player (in the game's player order)."""
    return Spec("terminal", payoffs=tuple(float(x) for x in payoffs), label=label, where=where)


def make_game(players: Sequence[str], root: Spec, title: str = "") -> Game:
    """Flatten a nested specification into a validated :class:`Game`.

    Decision nodes without an ``infoset`` get their own singleton set. Raises
    :class:`~accord.errors.ScenarioError` listing every problem.
    """
    players = tuple(players)
    index = {p: i for i, p in enumerate(players)}
    problems: list[Problem] = []
    nodes: list[Node] = []
    auto = [0] * len(players)

    def visit(spec: Spec, where: str) -> int:
        i = len(nodes)
        nodes.append(Node("terminal"))  # placeholder, replaced below
        loc = spec.where or where
        kids = [visit(child, f"{loc}.moves.{a}") for a, child in spec.moves]
        actions = tuple(a for a, _ in spec.moves)
        if spec.kind == "decision":
            p = index.get(spec.player, -1)
            if p < 0:
                problems.append(Problem(f"{loc}.player", "unknown player", spec.player))
                name = spec.infoset or f"?{i}"
            elif spec.infoset is None:
                auto[p] += 1
                name = f"_{auto[p]}"
            else:
                name = spec.infoset
            nodes[i] = Node("decision", p, name, actions, tuple(kids), label=spec.label, where=loc)
        elif spec.kind == "chance":
            nodes[i] = Node(
                "chance", -1, "", actions, tuple(kids), spec.probs, label=spec.label, where=loc
            )
        else:
            nodes[i] = Node("terminal", payoffs=spec.payoffs, label=spec.label, where=loc)
        return i

    visit(root, "root")
    if problems:
        raise ScenarioError(problems)
    return make_game_from_nodes(players, nodes, title)


def make_game_from_nodes(players: Sequence[str], nodes: Sequence[Node], title: str = "") -> Game:
    """A :class:`Game` from nodes in prefix order; raises ScenarioError if malformed."""
    game = Game(tuple(players), tuple(nodes), title)
    problems = game_problems(game)
    if problems:
        raise ScenarioError(problems)
    return game


def game_problems(game: Game) -> list[Problem]:
    """Everything structurally wrong with a game (perfect recall is reported separately)."""
    out: list[Problem] = []
    n_pl = len(game.players)
    if n_pl == 0:
        out.append(Problem("players", "a game needs at least one player"))
    if len(set(game.players)) != n_pl:
        dup = next(p for p in game.players if game.players.count(p) > 1)
        out.append(Problem("players", "duplicate player name", dup))
    if CHANCE in game.players:
        out.append(Problem("players", f"{CHANCE!r} is reserved for chance nodes", CHANCE))
    if not game.nodes:
        out.append(Problem("root", "a game needs at least one node"))
        return out
    seen_child = [False] * len(game.nodes)
    for i, n in enumerate(game.nodes):
        at = n.where or f"nodes[{i}]"
        for c in n.children:
            if not (0 < c < len(game.nodes)) or seen_child[c] or c <= i:
                out.append(Problem(at, "children must be later nodes, each used once", c))
            else:
                seen_child[c] = True
        if n.kind == "terminal":
            if n.children:
                out.append(Problem(at, "a terminal node has no moves"))
            if len(n.payoffs) != n_pl:
                out.append(
                    Problem(
                        sub(at, "payoffs"),
                        f"needs one payoff per player ({n_pl}: {', '.join(game.players)})",
                        list(n.payoffs),
                    )
                )
            for k, x in enumerate(n.payoffs):
                if not np.isfinite(x):
                    who = game.players[k] if k < n_pl else k
                    out.append(Problem(sub(at, f"payoffs.{who}"), "must be a finite number", x))
            continue
        if not n.actions:
            out.append(
                Problem(sub(at, "moves"), "a decision or chance node needs at least one move")
            )
        if len(n.actions) != len(n.children):
            out.append(Problem(sub(at, "moves"), "one child per action needed", len(n.children)))
        if len(set(n.actions)) != len(n.actions):
            dup = next(a for a in n.actions if n.actions.count(a) > 1)
            out.append(Problem(sub(at, "moves"), "duplicate action label", dup))
        if n.kind == "chance":
            if len(n.probs) != len(n.actions):
                out.append(
                    Problem(sub(at, "probs"), "one probability per action needed", list(n.probs))
                )
            bad = False
            for a, p in zip(n.actions, n.probs, strict=False):
                if not (np.isfinite(p) and 0.0 <= p <= 1.0):
                    out.append(Problem(sub(at, f"probs.{a}"), "must be a probability in [0, 1]", p))
                    bad = True
            total = float(sum(n.probs))
            if not bad and n.probs and abs(total - 1.0) > PROB_TOL:
                out.append(Problem(sub(at, "probs"), "must sum to 1", round(total, 12)))
        elif not (0 <= n.player < n_pl):
            out.append(Problem(sub(at, "player"), "unknown player", n.player))
    if any(not s for s in seen_child[1:]):
        i = seen_child.index(False, 1)
        out.append(
            Problem(game.nodes[i].where or f"nodes[{i}]", "node not reachable from the root")
        )
    if out:
        return out
    for (player, name), members in game.infosets.items():
        first = game.nodes[members[0]]
        for m in members[1:]:
            node = game.nodes[m]
            if node.actions != first.actions:
                out.append(
                    Problem(
                        sub(node.where or f"nodes[{m}]", "moves"),
                        f"information set {name!r} of {game.players[player]} has actions "
                        f"{list(first.actions)} at {first.where or members[0]}",
                        list(node.actions),
                    )
                )
        on_path = set(members)
        for m in members:
            anc = game.parent[m]
            while anc >= 0:
                if anc in on_path:
                    out.append(
                        Problem(
                            game.nodes[m].where or f"nodes[{m}]",
                            f"information set {name!r} of {game.players[player]} contains "
                            f"this node and its ancestor {game.nodes[anc].where or anc} "
                            "(absent-mindedness is not supported)",
                        )
                    )
                    break
                anc = game.parent[anc]
    return out
