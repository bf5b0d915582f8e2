"""Optional adapter to pygambit (GPL-2.0+, not a dependency of accord) for what accord does
not solve itself: n-player imperfect-information games (``logit``: Gambit's QRE path
follower; ``enumpure`` and ``liap`` in the agent form), and Gambit's own ``lcp`` and ``lp``
for comparison (all in behaviour strategies).

Install it yourself (``pip install pygambit==16.7.0``: a source build of ~15 minutes on
Linux). The game goes to Gambit as ``.efg`` text (:func:`accord.games.efg.dumps_efg`), and
each equilibrium comes back as a :class:`~accord.games.result.GameResult` with method
``gambit-<name>``; information sets are matched by their order per player (the order
``dumps_efg`` numbers them in). Tested against pygambit 16.7.0.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import ModelError
from accord.games.efg import dumps_efg
from accord.games.result import GameResult, reach_probabilities
from accord.games.seqform import profile_values
from accord.games.tree import Game

__all__ = ["gambit_solve", "to_pygambit"]

_METHODS = ("logit", "lcp", "lp", "enumpure", "liap")


def _pygambit() -> Any:
    try:
        import pygambit  # type: ignore[import-not-found]
    except ImportError:
        raise ModelError(
            "pygambit is not installed (optional, GPL: pip install pygambit==16.7.0)",
            path="method",
            value="gambit",
        ) from None
    return pygambit


def to_pygambit(game: Game) -> Any:
    """The game as a ``pygambit.Game``."""
    gbt = _pygambit()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "game.efg"
        path.write_text(dumps_efg(game), encoding="utf-8")
        return gbt.read_efg(str(path))


def _behaviour(game: Game, ggame: Any, prof: Any) -> np.ndarray:
    move_of = {m: k for k, m in enumerate(game.moves)}
    ours: list[list[tuple[int, str]]] = [[] for _ in game.players]
    for key in game.infosets:
        ours[key[0]].append(key)
    beh = np.zeros(len(game.moves))
    k = 0
    for p, player in enumerate(ggame.players):
        for h, infoset in enumerate(player.infosets):
            key = ours[p][h]
            for a, action in enumerate(infoset.actions):
                try:
                    val = float(prof[action])
                except Exception:
                    val = float(prof[k])
                k += 1
                for node in game.infosets[key]:
                    beh[move_of[(node, a)]] = val
    return beh


def gambit_solve(game: Game, method: str = "logit", **options: Any) -> list[GameResult]:
    """Solve with pygambit's ``<method>_solve`` (agent/behaviour form); one result per
    equilibrium Gambit returns. ``options`` go to the pygambit function."""
    if method not in _METHODS:
        raise ModelError(f"must be one of {', '.join(_METHODS)}", path="method", value=method)
    gbt = _pygambit()
    ggame = to_pygambit(game)
    name = {"liap": "liap_agent_solve", "enumpure": "enumpure_agent_solve"}.get(
        method, f"{method}_solve"
    )
    solved = getattr(gbt.nash, name)(ggame, **options)
    out: list[GameResult] = []
    for eq in solved.equilibria:
        try:
            beh = _behaviour(game, ggame, eq)
        except Exception as exc:  # a strategic-form profile: not mapped back
            raise ModelError(
                f"cannot map Gambit's {method} profile to behaviour: {exc}", path="method"
            ) from None
        out.append(
            GameResult(
                f"gambit-{method}",
                game,
                {"pygambit": getattr(gbt, "__version__", "?"), **options},
                beh,
                profile_values(game, beh),
                reach_probabilities(game, beh),
            )
        )
    return out
