"""Package deals: outcome spaces, utilities, the exact Pareto frontier, bargaining solutions.

The computation core is a set of plain functions over one array, the **utility matrix**
``U (parties, outcomes)`` (NumPy float64; ``U[a, j]`` = party ``a``'s utility of outcome
``j``), so any caller that can evaluate its own packages (the settlement engine's war
package space, a Monte Carlo batch) uses it without building an outcome space:

>>> import numpy as np
>>> from accord.deals import pareto_frontier, nash, kalai_smorodinsky
>>> U = np.array([[0.0, 0.3, 0.5, 0.4], [1.0, 0.7, 0.5, 0.4]])
>>> pareto_frontier(U).tolist()                    # columns nothing dominates
[0, 1, 2]
>>> nash(U, disagreement=[0.0, 0.0]).column        # argmax of the Nash product
2
>>> kalai_smorodinsky(U, [0.1, 0.1], frontier=pareto_frontier(U)).column
2

Function-level API (matrix in, frontier or solution out):

* :func:`pareto_frontier(U) <accord.deals.pareto.pareto_frontier>` → frontier column indices
  (exact, ties kept);
* :func:`nash`, :func:`weighted_nash`, :func:`kalai_smorodinsky`, :func:`egalitarian`,
  :func:`utilitarian`, :func:`solve` ``(U, disagreement, *, frontier=None)`` → a frozen
  :class:`Solution` (``agreement``, ``column``, ``utilities``, ``ties``, ``parameters``);
  pass a precomputed ``frontier`` to reuse it across solutions; with no package better for
  every party than ``disagreement``, ``agreement`` is false and ``column`` is ``None``;
* :func:`zone_of_agreement(U, d) <accord.deals.solutions.zone_of_agreement>` → :class:`Zone`;
* :func:`solve_many(name, U, D, *, weights=, allowed=) <accord.deals.batch.solve_many>`
  with ``D (runs, parties)`` → :class:`BatchSolution`: one solution per Monte Carlo run
  (per-run disagreement points, weights and admissible packages) in one vectorised pass,
  equal to the loop of :func:`solve` calls.

Building problems: :mod:`~accord.deals.space` (issues, :class:`OutcomeSpace`,
:class:`Forbid` constraints, chunked enumeration), :mod:`~accord.deals.utility`
(linear-additive with value functions, table and hyper-rectangle utilities,
:func:`utility_matrix`), :mod:`~accord.deals.actors` (a scenario's actors as parties),
:mod:`~accord.deals.linkage` (gains from negotiating issues together) and
:func:`~accord.deals.analysis.analyse` (all of it in one :class:`DealResult`). File formats
(GENIUS XML, GeniusWeb JSON) live in :mod:`accord.deals.io`, apart from the computation.
"""

from accord.deals.actors import DealProblem, from_scenario
from accord.deals.analysis import DealResult, analyse
from accord.deals.batch import BatchSolution, solve_many
from accord.deals.linkage import Linkage, linkage, trade_condition
from accord.deals.pareto import dominates, is_dominated, pareto_frontier
from accord.deals.solutions import (
    SOLUTIONS,
    Solution,
    Zone,
    egalitarian,
    kalai_smorodinsky,
    nash,
    solve,
    utilitarian,
    weighted_nash,
    zone_of_agreement,
)
from accord.deals.space import (
    ContinuousIssue,
    DiscreteIssue,
    Forbid,
    IntegerIssue,
    OutcomeSpace,
    Range,
)
from accord.deals.utility import (
    HyperRectangles,
    LinearAdditive,
    LinearValue,
    PiecewiseLinearValue,
    Rectangle,
    SinglePeakedValue,
    TableUtility,
    TableValue,
    UtilityMatrix,
    utility_matrix,
)

__all__ = [
    "SOLUTIONS",
    "BatchSolution",
    "ContinuousIssue",
    "DealProblem",
    "DealResult",
    "DiscreteIssue",
    "Forbid",
    "HyperRectangles",
    "IntegerIssue",
    "LinearAdditive",
    "LinearValue",
    "Linkage",
    "OutcomeSpace",
    "PiecewiseLinearValue",
    "Range",
    "Rectangle",
    "SinglePeakedValue",
    "Solution",
    "TableUtility",
    "TableValue",
    "UtilityMatrix",
    "Zone",
    "analyse",
    "dominates",
    "egalitarian",
    "from_scenario",
    "is_dominated",
    "kalai_smorodinsky",
    "linkage",
    "nash",
    "pareto_frontier",
    "solve",
    "solve_many",
    "trade_condition",
    "utilitarian",
    "utility_matrix",
    "weighted_nash",
    "zone_of_agreement",
]
