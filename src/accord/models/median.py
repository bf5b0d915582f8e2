"""Weighted median and Condorcet winner.

On one dimension with single-peaked preferences, the position of the weighted median
voter beats every other position in a pairwise weighted-majority vote (Black 1948): it is
the Condorcet winner, which is why the median is the natural forecast of a voting
procedure and the "median voter" of Bueno de Mesquita's model.

The weighted median of positions :math:`x_i` with weights :math:`w_i \\ge 0` (by default
:math:`c_i s_i`) is any :math:`m` with

.. math:: \\sum_{x_i < m} w_i \\le W/2 \\quad\\text{and}\\quad \\sum_{x_i > m} w_i \\le W/2,
          \\qquad W = \\sum_i w_i .

When the weight splits exactly in half the median is an interval between two positions;
``tie`` chooses its midpoint (as ``numpy.median`` does for equal weights), its lower or
its upper end.

``method="condorcet"`` instead runs every pairwise weighted-majority contest among the
actors' positions under linear-loss utilities and returns the (weak) Condorcet winner;
where several positions tie, ``tie`` chooses among them.

Decision rules (option ``decision_rules``, on by default): where an issue declares a rule,
the median is moved to the nearest outcome the rule lets through (with a quota rule this
is the pivot nearest the median, Krehbiel 1998) (:func:`accord.models.rules.bind`; the
unbound forecast and the shift are in ``extra["decision_rule"]`` and a ``decision_rule``
diagnostic).

References
----------
* Black, D. (1948). On the rationale of group decision-making. *J. Political Economy*
  56(1):23-34.
* Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
  Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, 71-104.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.models.base import Diagnostic, Model, ModelResult, Options, Status
from accord.models.rules import bind
from accord.scenario.schema import Scenario, ScenarioArrays

__all__ = ["Median", "MedianOptions", "condorcet_winners", "weighted_median"]

Tie = Literal["midpoint", "lower", "upper"]
Weights = Literal["capability_salience", "capability", "salience", "equal"]


class MedianOptions(Options):
    method: Literal["weighted_median", "condorcet"] = "weighted_median"
    weights: Weights = "capability_salience"
    tie: Tie = "midpoint"


def weighted_median(x: NDArray[np.float64], w: NDArray[np.float64], tie: Tie = "midpoint") -> float:
    """Weighted median of the positions ``x`` (NaN entries ignored); NaN if no weight."""
    keep = ~np.isnan(x) & (w > 0)
    if not keep.any():
        return float("nan")
    order = np.argsort(x[keep], kind="stable")
    xs, ws = x[keep][order], w[keep][order]
    cum = np.cumsum(ws)
    half = cum[-1] / 2.0
    tol = 1e-12 * cum[-1]
    lower = int(np.searchsorted(cum, half - tol, side="left"))
    if abs(cum[lower] - half) <= tol and lower + 1 < xs.size:  # exact split: an interval
        upper = lower + 1
        if tie == "lower":
            return float(xs[lower])
        if tie == "upper":
            return float(xs[upper])
        return float((xs[lower] + xs[upper]) / 2.0)
    return float(xs[lower])


def condorcet_winners(
    candidates: NDArray[np.float64],
    ideals: NDArray[np.float64],
    weights: NDArray[np.float64],
    utility: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]]
    | None = None,
) -> NDArray[np.bool_]:
    """Mask of the weak Condorcet winners among ``candidates``.

    Voter ``k`` with ideal point ``ideals[k]`` and weight ``weights[k]`` votes for the
    candidate it values more, ``utility(ideals[:, None], candidates[None, :])`` (default:
    minus the distance). A weak Condorcet winner loses no pairwise weighted-majority
    contest.
    """
    if utility is None:

        def utility(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
            out: NDArray[np.float64] = -np.abs(a - b)
            return out

    u = utility(ideals[:, None], candidates[None, :])  # (voters, candidates)
    prefers = np.sign(u[:, :, None] - u[:, None, :])  # (voters, a, b)
    margin = np.tensordot(weights, prefers, axes=(0, 0))  # (a, b): votes for a over b
    tol = 1e-12 * max(float(np.sum(np.abs(weights))), 1e-300)
    result: NDArray[np.bool_] = np.all(margin >= -tol, axis=1)
    return result


def _weights(a: ScenarioArrays, kind: Weights) -> NDArray[np.float64]:
    base = {
        "capability_salience": a.capability * a.salience,
        "capability": a.capability,
        "salience": a.salience,
        "equal": np.ones_like(a.salience),
    }[kind]
    return np.where(a.present, base, 0.0)


class Median(Model):
    name = "median"
    footprint_exponents = (1, 1)
    summary = "weighted median voter / Condorcet winner of the actors' positions"
    references = ("Black 1948",)
    options_type = MedianOptions
    options: MedianOptions

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        a = scenario.arrays()
        w = _weights(a, self.options.weights)
        m = len(a.issue_ids)
        forecast = np.full(m, np.nan)
        status: list[Status] = []
        diagnostics: list[Diagnostic] = []
        for k, iid in enumerate(a.issue_ids):
            x, wk = a.position[:, k], w[:, k]
            if not (wk > 0).any():
                status.append("undefined")
                diagnostics.append(
                    Diagnostic("no_weight", "no actor has positive weight; median undefined", iid)
                )
                continue
            if self.options.method == "weighted_median":
                forecast[k] = weighted_median(x, wk, self.options.tie)
            else:
                keep = a.present[:, k] & (wk > 0)
                cands = np.unique(x[keep])
                winners = cands[condorcet_winners(cands, x[keep], wk[keep])]
                if winners.size == 0:
                    status.append("undefined")
                    diagnostics.append(Diagnostic("no_condorcet", "no Condorcet winner", iid))
                    continue
                pick = {"lower": winners[0], "upper": winners[-1]}.get(
                    self.options.tie, (winners[0] + winners[-1]) / 2.0
                )
                forecast[k] = float(pick)
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
