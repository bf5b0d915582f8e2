"""Compromise model with a costly reference point.

The compromise model's weighted mean (:mod:`accord.models.compromise`) is bound to what
the decision rule lets through (:mod:`accord.models.rules`), where failing to agree is
costly: each actor accepts an outcome up to :math:`\\kappa_i` worse than the reference
point :math:`q`, the more the less it cares about the issue,

.. math:: x^* = \\operatorname{proj}_{A_\\kappa}\\Big(\\frac{\\sum_i c_i s_i x_i}
          {\\sum_i c_i s_i}\\Big), \\qquad
          i \\text{ accepts } x \\iff |x - x_i| \\le |q - x_i| + \\kappa_i , \\qquad
          \\kappa_i = \\gamma (1 - s_i) (\\max - \\min),

with :math:`\\gamma` = ``cost`` and :math:`s_i` the salience on 0-1: an actor for whom the
issue is everything (:math:`s_i = 1`) holds to the strict rule, one that hardly cares
accepts nearly anything rather than no agreement (the salience scaling is derived here).
:math:`\\gamma = 0` is the compromise model under the strict rule; large :math:`\\gamma`
approaches the plain compromise model. Franchino & Mariotto (2021) found a procedural
model with a costly reference point to predict EU economic-governance reforms nearly as
well as the compromise model; this is that idea applied to the compromise forecast (the
combination is derived here).
The default ``cost`` = 0.5 (half the scale for an actor with no stake) is a judgement
set once, not fitted;
the back-test chooses it by cross-validation inside training folds.

References
----------
* Franchino, F. & Mariotto, C. (2021). Noncompliance, reform, and economic governance in
  the EU: a test of bargaining models. *Political Science Research and Methods*.
* Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson et al.
  (eds.), *The European Union Decides*, CUP, 86-123.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from accord.models.base import Options
from accord.models.compromise import weighted_mean
from accord.models.procedural import Council, ProceduralModel, project
from accord.models.rules import Acceptable
from accord.scenario.schema import Scenario

__all__ = ["CostlyCompromise", "CostlyCompromiseOptions"]


class CostlyCompromiseOptions(Options):
    cost: float = Field(
        0.5,
        ge=0,
        description="cost of the reference point to an actor with salience 0, as a share "
        "of the scale width (scaled by 1 - salience)",
    )


class CostlyCompromise(ProceduralModel):
    name = "costly_compromise"
    summary = "compromise model bound by the decision rule, with a costly reference point"
    references = ("Franchino & Mariotto 2021", "Achen 2006")
    options_type = CostlyCompromiseOptions
    options: CostlyCompromiseOptions

    def cost(self, scenario: Scenario, k: int) -> NDArray[np.float64]:
        kappa: NDArray[np.float64] = (
            self.options.cost
            * (1.0 - scenario.arrays().salience[:, k])
            * scenario.issues[k].scale.width
        )
        return kappa

    def outcome(
        self, scenario: Scenario, k: int, acc: Acceptable, voters: Council
    ) -> tuple[float, str]:
        a = scenario.arrays()
        mean = float(weighted_mean(a.position[:, k : k + 1], a.weight[:, k : k + 1], axis=0)[0])
        if math.isnan(mean):
            mean = float(np.nanmean(a.position[:, k]))
        if acc.empty:
            return mean, ""
        x = project(mean, acc.lo, acc.hi)
        note = "" if x == mean else f"compromise {mean:.4g} bound to {x:.4g}"
        return x, note
