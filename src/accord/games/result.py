"""The result object every game solver returns: one frozen record of method, options, profile.

A behaviour profile is an array over the game's decision moves (:attr:`Game.moves`, prefix
order): the probability of each action at its node (for information sets of several nodes,
the same at every node of the set). Leading axes, when present, are a batch (payoff or
probability draws, λ values) in the order the solver documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.games.tree import Game

__all__ = ["GameResult", "reach_probabilities"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class GameResult:
    """What a ``*_solve`` function found.

    ``method`` (``spe``, ``qre``, ``lcp``, ``lp``, ``gambit-...``) and ``parameters`` (the
    options used) say how; ``behaviour`` (..., moves) and ``values`` (..., nodes, players:
    expected payoffs of the subgame from each node, or NaN where a node's value is not
    defined by the method) say what; ``reach`` (..., nodes) is the probability that play
    reaches each node; ``notes`` list what the result cannot say (ties, unreached sets).
    ``extra`` holds method-specific outputs (realization plans, all pure SPE, λ values).
    """

    method: str
    game: Game
    parameters: Mapping[str, Any]
    behaviour: FloatArray
    values: FloatArray
    reach: FloatArray
    notes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def value(self) -> FloatArray:
        """Expected payoff of each player at the root, shape (..., players)."""
        return self.values[..., 0, :]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return tuple(self.behaviour.shape[:-1])

    def probability(self, node: int, action: str) -> Any:
        """The probability of ``action`` at ``node`` (over the batch axes)."""
        n = self.game.nodes[node]
        k = n.actions.index(action)
        if n.kind == "chance":
            return n.probs[k]
        return self.behaviour[..., self.game.moves.index((node, k))]

    def path(self) -> list[tuple[int, str]]:
        """The modal play (unbatched results): from the root, at each node the action of
        highest probability (chance's or the solution's), down to a terminal node."""
        if self.behaviour.ndim != 1:
            raise ValueError("path() needs an unbatched result")
        out: list[tuple[int, str]] = []
        i = 0
        moves = {m: k for k, m in enumerate(self.game.moves)}
        while self.game.nodes[i].kind != "terminal":
            n = self.game.nodes[i]
            if n.kind == "chance":
                probs = np.asarray(n.probs)
            else:
                probs = np.array([self.behaviour[moves[(i, k)]] for k in range(len(n.actions))])
            k = int(np.argmax(probs))
            out.append((i, n.actions[k]))
            i = n.children[k]
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per (batch index, decision move): player, information set, node, action,
        probability, the mover's value of the node and the node's reach probability."""
        g = self.game
        b = self.behaviour.reshape(-1, len(g.moves))
        v = self.values.reshape(-1, len(g.nodes), len(g.players))
        r = self.reach.reshape(-1, len(g.nodes))
        rows: list[dict[str, Any]] = []
        lam = self.extra.get("lam")
        lam_flat = None if lam is None else np.broadcast_to(lam, self.batch_shape).ravel()
        for k in range(b.shape[0]):
            for m, (i, a) in enumerate(g.moves):
                n = g.nodes[i]
                row: dict[str, Any] = {}
                if b.shape[0] > 1:
                    row["draw"] = k
                if lam_flat is not None:
                    row["lam"] = float(lam_flat[k])
                row.update(
                    node=i,
                    player=g.players[n.player],
                    infoset=n.infoset,
                    action=n.actions[a],
                    probability=float(b[k, m]),
                    value=float(v[k, i, n.player]),
                    reach=float(r[k, i]),
                )
                rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (unbatched results)."""
        g = self.game
        out: dict[str, Any] = {
            "method": self.method,
            "parameters": {k: _plain(v) for k, v in self.parameters.items()},
            "game": g.title,
            "players": list(g.players),
            "value": _plain(self.value),
            "notes": list(self.notes),
        }
        if self.behaviour.ndim == 1:
            out["behaviour"] = [
                {
                    "node": i,
                    "player": g.players[g.nodes[i].player],
                    "infoset": g.nodes[i].infoset,
                    "action": g.nodes[i].actions[a],
                    "probability": float(self.behaviour[m]),
                }
                for m, (i, a) in enumerate(g.moves)
            ]
            out["path"] = [{"node": i, "action": a} for i, a in self.path()]
        for k, v in self.extra.items():
            if k in ("equilibria",):
                out[k] = _plain(v)
        return out


def _plain(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    return v


def reach_probabilities(
    game: Game, behaviour: FloatArray, probs: FloatArray | None = None
) -> FloatArray:
    """P(play reaches each node), shape (..., nodes), for a behaviour profile (..., moves)
    and chance probabilities (..., chance moves; default the game's)."""
    beh = np.asarray(behaviour, dtype=float)
    pr = game.prob_array if probs is None else np.asarray(probs, dtype=float)
    shape = np.broadcast_shapes(beh.shape[:-1], pr.shape[:-1])
    src = np.concatenate(
        [
            np.broadcast_to(beh, (*shape, beh.shape[-1])),
            np.broadcast_to(pr, (*shape, pr.shape[-1])),
        ],
        axis=-1,
    )
    e = game.edges
    out = np.zeros((*shape, len(game.nodes)))
    out[..., 0] = 1.0
    for lv in e.levels:  # parents before children
        out[..., lv] = out[..., e.parent[lv]] * src[..., e.source[lv]]
    return out
