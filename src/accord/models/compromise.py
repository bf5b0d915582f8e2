"""Compromise model: the capability x salience weighted mean of positions.

On each issue d the forecast is

.. math:: O_d = \\frac{\\sum_i c_{id}\\, s_{id}\\, x_{id}}{\\sum_i c_{id}\\, s_{id}}

with capability :math:`c_{id}` (issue-specific where the scenario gives one), salience
:math:`s_{id}` and position :math:`x_{id}`. It is the "compromise model" of Van den Bos
(1991) and Stokman & Van Oosten (1994), and the form of the Nash bargaining solution that
Achen (2006) derives for actors with quadratic loss and capability-weighted bargaining
power; decide-exchange-model computes the same quantity as the NBS
(``calculations.nash_bargaining_solution``). On the DEU data it is the benchmark to beat
(Thomson et al. 2006; Leinaweaver & Thomson 2014).

Where no actor has positive weight on an issue the weighted mean is undefined: by default
the unweighted mean of the positions is used and the result says so; with
``if_no_weight="undefined"`` the forecast is NaN.

Decision rules (option ``decision_rules``, on by default): where an issue declares a rule,
the weighted mean is a constraint-free compromise and is then moved to the nearest outcome
the rule lets through (:func:`accord.models.rules.bind`; the unbound forecast and the
shift are in ``extra["decision_rule"]`` and a ``decision_rule`` diagnostic).

References
----------
* Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions. In Bueno de
  Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP, 105-127.
* Achen, C. H. (2006). Institutional realism and bargaining models. In Thomson, Stokman,
  Achen & König (eds.), *The European Union Decides*, CUP, 86-123.
* Van den Bos, G. M. (1991). *Dutch EC Policy Making*. Thela Thesis.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.models.base import Diagnostic, Model, ModelResult, Options, Status
from accord.models.rules import bind
from accord.scenario.schema import Scenario

__all__ = ["Compromise", "CompromiseOptions", "weighted_mean"]


class CompromiseOptions(Options):
    if_no_weight: Literal["mean", "undefined"] = "mean"


def weighted_mean(
    x: NDArray[np.float64], w: NDArray[np.float64], axis: int = -2
) -> NDArray[np.float64]:
    """Weighted mean along ``axis`` (actors), ignoring entries with NaN position.

    Returns NaN where the total weight is zero.
    """
    present = ~np.isnan(x)
    w = np.where(present, w, 0.0)
    total = w.sum(axis=axis)
    num = np.where(present, x * w, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = np.where(total > 0, num / np.where(total > 0, total, 1), np.nan)
    return out


class Compromise(Model):
    name = "compromise"
    footprint_exponents = (1, 1)
    summary = "capability x salience weighted mean (Stokman's compromise model / NBS)"
    references = ("Stokman & Van Oosten 1994", "Achen 2006")
    options_type = CompromiseOptions
    options: CompromiseOptions

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        a = scenario.arrays()
        forecast = weighted_mean(a.position, a.weight, axis=0)
        diagnostics = []
        status: list[Status] = []
        for k, iid in enumerate(a.issue_ids):
            if np.isnan(forecast[k]):
                if self.options.if_no_weight == "mean":
                    forecast[k] = float(np.nanmean(a.position[:, k]))
                    message = "no actor has positive capability x salience; unweighted mean used"
                    status.append("static")
                else:
                    message = "no actor has positive capability x salience; forecast undefined"
                    status.append("undefined")
                diagnostics.append(Diagnostic("no_weight", message, iid))
            else:
                status.append("static")
        result = ModelResult(
            model=self.name,
            scenario_id=scenario.id,
            options=self.options.model_dump(),
            actor_ids=a.actor_ids,
            issue_ids=a.issue_ids,
            forecast=forecast,
            status=tuple(status),
            diagnostics=tuple(diagnostics),
        )
        return bind(result, scenario, enabled=self.options.decision_rules)
