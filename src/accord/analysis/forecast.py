"""Run several models on one scenario with per-model options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from accord import models
from accord.models.base import ModelResult
from accord.scenario.schema import Scenario

__all__ = ["run_models"]


def run_models(
    scenario: Scenario,
    names: Sequence[str],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    rounds: int | None = None,
    seed: int = 0,
) -> list[ModelResult]:
    """Run each named model on the scenario.

    ``options`` maps a model name to its options; ``rounds`` is passed to every model
    that has a ``rounds`` option (and overridden by an explicit option). Each model gets
    its own generator from ``SeedSequence(seed)``, so adding a model does not change the
    draws of another.
    """
    options = options or {}
    classes = [models.get(name) for name in names]
    children = np.random.SeedSequence(seed).spawn(len(classes))
    results = []
    for cls, child in zip(classes, children, strict=True):
        opts = dict(options.get(cls.name, {}))
        if rounds is not None and "rounds" in cls.options_type.model_fields:
            opts.setdefault("rounds", rounds)
        rng = np.random.default_rng(child)
        results.append(cls(**opts).run(scenario, rng=rng))
    return results
