"""A scenario's ``game:`` section: an extensive-form game over the scenario's numbers.

The section is accord's YAML game format (:mod:`accord.games.yamlgame`). Its formulas may
use the section's own ``parameters`` (each a Sourced number: value plus source keys or a
judgement mark) and every number of the scenario's ``war:`` section by its field path
(``war.p``, ``war.costs.RUS``, ``war.brinkmanship.partners.CHN.curtail``), so the game's
payoffs carry the scenario's provenance. Players are named by the scenario's actor ids.

:func:`scenario_template` parses and checks the section (errors name ``game.root...``);
:func:`scenario_arrays` evaluates it over draws of any of those numbers in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import Problem, ScenarioError
from accord.games.tree import Game
from accord.games.yamlgame import GameTemplate, template_from_data
from accord.scenario.schema import Scenario
from accord.scenario.war import war_numbers

__all__ = [
    "game_numbers",
    "game_unsourced",
    "scenario_arrays",
    "scenario_game",
    "scenario_template",
]


def game_numbers(sc: Scenario) -> dict[str, float]:
    """The scenario's numbers a game formula may use: every war-section number by path."""
    if sc.war is None:
        return {}
    return {path: float(val.value) for path, val in war_numbers(sc.war)}


def scenario_template(sc: Scenario, file: str | None = None) -> GameTemplate:
    """The parsed ``game:`` section; an error if the scenario has none."""
    if sc.game is None:
        raise ScenarioError.single("game", f"scenario {sc.id} has no game: section", file=file)
    numbers = game_numbers(sc)
    template = replace(
        template_from_data(sc.game, where="game", names=frozenset(numbers), file=file),
        numbers=numbers,
    )
    actors = set(sc.actor_ids)
    unknown = [p for p in template.skeleton.players if p not in actors]
    if unknown:
        raise ScenarioError(
            [Problem("game.players", "not an actor id of the scenario", p) for p in unknown],
            file=file,
        )
    sources = set(sc.sources)
    params = sc.game.get("parameters") or {}
    bad = [
        Problem(f"game.parameters.{name}.source", "unknown source key", key)
        for name, v in params.items()
        if isinstance(v, Mapping)
        for key in (v.get("source") or [])
        if key not in sources
    ]
    if bad:
        raise ScenarioError(bad, file=file)
    template.arrays()  # checks the probabilities at the scenario's values
    return template


def scenario_game(sc: Scenario, overrides: Mapping[str, float] | None = None) -> Game:
    """The game at the scenario's numbers (``overrides`` replace some by name)."""
    template = scenario_template(sc)
    return template.game(_env(template, overrides))


def scenario_arrays(
    sc: Scenario, draws: Mapping[str, ArrayLike]
) -> tuple[Game, NDArray[np.float64], NDArray[np.float64]]:
    """The game and its payoffs (..., terminals, players) and chance probabilities
    (..., chance moves) over draws of named numbers (arrays broadcast together)."""
    template = scenario_template(sc)
    env = _env(template, {k: np.asarray(v, dtype=float) for k, v in draws.items()})
    pay, pr = template.arrays(env)
    return template.game(), pay, pr


def _env(template: GameTemplate, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    known = set(template.numbers) | set(template.parameters)
    for k in overrides or {}:
        if k not in known:
            raise ScenarioError.single(
                k, "not a game parameter or a war number of the scenario", sorted(known)[:3]
            )
    return dict(overrides or {})


def game_unsourced(template: GameTemplate) -> list[str]:
    """Game parameters with neither a source nor a judgement mark."""
    return [f"game.parameters.{k}" for k, (_, prov) in template.parameters.items() if not prov]
