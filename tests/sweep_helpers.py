"""Scenarios and sweep targets that the sweep tests share (also imported by a subprocess)."""

from __future__ import annotations

import math
import time

import numpy as np

from accord.analysis.targets import available_targets, per_draw, register_target
from accord.scenario.io import loads
from accord.scenario.schema import Scenario

PI = math.pi

# Three actors whose positions on an issue with scale [-pi, pi] are the Ishigami inputs.
ISHIGAMI = f"""\
id: ishigami
title: Ishigami test function as a scenario
salience_scale: 1
issues:
  - id: X
    name: x
    scale: {{min: {-PI!r}, max: {PI!r}}}
actors:
  - {{id: A, name: a, capability: 1, positions: {{X: {{position: 0, salience: 1}}}}}}
  - {{id: B, name: b, capability: 1, positions: {{X: {{position: 0, salience: 1}}}}}}
  - {{id: C, name: c, capability: 1, positions: {{X: {{position: 0, salience: 1}}}}}}
uncertainty:
  defaults: false
  parameters:
    actors[A].positions.X.position: {{dist: uniform, low: {-PI!r}, high: {PI!r}}}
    actors[B].positions.X.position: {{dist: uniform, low: {-PI!r}, high: {PI!r}}}
    actors[C].positions.X.position: {{dist: uniform, low: {-PI!r}, high: {PI!r}}}
"""


def ishigami_scenario() -> Scenario:
    return loads(ISHIGAMI)


def _ishigami(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
    x1, x2, x3 = (sc.actor(a).positions["X"].position for a in "ABC")
    return {"ishigami": math.sin(x1) + 7 * math.sin(x2) ** 2 + 0.1 * x3**4 * math.sin(x1)}


def _slow(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
    time.sleep(0.004)
    a = sc.arrays()
    return {"mean_position": float(np.nanmean(a.position)), "noise": float(rng.random())}


def register() -> None:
    if "test.ishigami" not in available_targets():
        register_target("test.ishigami", "Ishigami function", per_draw(_ishigami))
        register_target("test.slow", "slow mean of positions and a random number", per_draw(_slow))


register()


def minimal_uncertain() -> Scenario:
    """The bad-input tests' minimal file with two uncertain numbers."""
    from texts import MINIMAL

    return loads(
        MINIMAL
        + "uncertainty:\n  parameters:\n"
        + "    actors[UKR].positions.T.position: {dist: uniform, plusminus: 10, bounds: reject}\n"
        + "    actors[RUS].capability: {dist: triangular, relative: 0.2}\n"
    )
