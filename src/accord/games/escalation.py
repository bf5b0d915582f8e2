"""The escalation step a settlement engine can call: a scenario's game solved over draws.

:func:`escalation_step` solves a scenario's ``game:`` section (the flagship's: side B facing
a held parcel chooses a counteroffensive, swap talks, a nuclear signal or nuclear use;
chance decides whether partners curtail trade and whether use ends in catastrophe; side A
and its backer respond) by SPE or agent logit QRE, for the scenario's numbers or for draws
of any of them in one vectorised pass, and reports what a bargaining model needs:

* ``value`` (..., players): each player's expected payoff of the game, the *no-deal
  continuation value*: the disagreement point (or outside option) of a settlement model,
  in the game's payoff unit;
* ``root`` (..., root actions): the probabilities of the first mover's choices;
* ``action_probability(name)``: the probability that play takes an action of that name
  anywhere (``use``, ``nuclear_use``, ``curtails``, ``catastrophe``), e.g. P(nuclear use).

A settlement engine calls ``escalation_step(scenario, method="qre", lam=0.05,
draws={...})`` once per batch of Monte Carlo draws and reads ``value`` as its no-deal point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError
from accord.games.perfect import qre_solve, spe_solve
from accord.games.result import GameResult
from accord.games.scenario import scenario_arrays
from accord.scenario.schema import Scenario

__all__ = ["EscalationStep", "escalation_step"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class EscalationStep:
    """The solved escalation game; see the module docstring."""

    scenario: str
    result: GameResult

    @property
    def players(self) -> tuple[str, ...]:
        return self.result.game.players

    @property
    def value(self) -> FloatArray:
        return self.result.value

    @property
    def root(self) -> dict[str, Any]:
        g = self.result.game
        return {a: self.result.probability(0, a) for a in g.nodes[0].actions}

    def action_probability(self, name: str) -> FloatArray:
        """P(play takes an action called ``name`` somewhere), over the batch."""
        g = self.result.game
        kids = [c for n in g.nodes for a, c in zip(n.actions, n.children, strict=True) if a == name]
        if not kids:
            raise ModelError("no action of this name in the game", path="action", value=name)
        return np.asarray(self.result.reach[..., kids].sum(axis=-1))

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: each player's value and the root choice probabilities."""
        shape = self.result.batch_shape
        cols: dict[str, Any] = {}
        for k, p in enumerate(self.players):
            cols[f"value_{p}"] = np.broadcast_to(self.value[..., k], shape).ravel()
        for a, prob in self.root.items():
            cols[f"P({a})"] = np.broadcast_to(prob, shape).ravel()
        return pd.DataFrame(cols)


def escalation_step(
    scenario: Scenario,
    *,
    method: Literal["spe", "qre"] = "spe",
    lam: ArrayLike = 1.0,
    draws: Mapping[str, ArrayLike] | None = None,
) -> EscalationStep:
    """Solve the scenario's game at its numbers, or over ``draws`` (name -> array).

    ``draws`` keys are war-section paths (``war.brinkmanship.r_use``) or the game's
    parameter names; their arrays broadcast with each other (and with ``lam`` for QRE).
    """
    game, pay, pr = scenario_arrays(scenario, draws or {})
    if method == "spe":
        res = spe_solve(game, payoffs=pay, probs=pr)
    elif method == "qre":
        res = qre_solve(game, lam, payoffs=pay, probs=pr)
    else:
        raise ModelError("must be spe or qre", path="method", value=method)
    return EscalationStep(scenario.id, res)
