"""One call from a problem to its frontier, bargaining solutions and zone of agreement.

:func:`analyse` evaluates the utility matrix once, finds the frontier once (issue by issue,
:mod:`accord.deals.additive`, for four or more linear-additive parties on a space without
constraints), and runs every requested solution on it with the same disagreement point;
:class:`DealResult` keeps all of it and decodes columns back to packages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.deals.actors import DealProblem
from accord.deals.additive import additive_frontier, applies
from accord.deals.pareto import pareto_frontier
from accord.deals.solutions import ALIASES, Solution, Zone, solve, zone_of_agreement
from accord.deals.utility import UtilityMatrix, utility_matrix
from accord.errors import ModelError

__all__ = ["DEFAULT_SOLUTIONS", "DealResult", "analyse"]

DEFAULT_SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


@dataclass(frozen=True)
class DealResult:
    """The evaluated problem: ``matrix``, ``frontier`` (matrix columns), ``solutions`` by
    name, ``zone`` of possible agreement, the ``disagreement`` point and its origin."""

    problem: DealProblem
    matrix: UtilityMatrix = field(repr=False)
    frontier: NDArray[np.int64] = field(repr=False)
    solutions: dict[str, Solution]
    zone: Zone
    disagreement: tuple[float, ...]
    disagreement_source: str

    @property
    def parties(self) -> tuple[str, ...]:
        return self.matrix.parties

    def package(self, name: str) -> dict[str, Any] | None:
        sol = self.solutions[name]
        return None if sol.column is None else self.matrix.package(sol.column)

    def to_frame(self) -> pd.DataFrame:
        """One row per frontier package: issue values, utilities, which solutions chose it."""
        cols = self.frontier
        rows = []
        chosen = {name: s.column for name, s in self.solutions.items()}
        for c in cols:
            row: dict[str, Any] = dict(self.matrix.package(int(c)))
            for a, p in enumerate(self.parties):
                row[f"u[{p}]"] = float(self.matrix.values[a, c])
            row["beats_disagreement"] = bool(
                np.all(self.matrix.values[:, c] > np.asarray(self.disagreement))
            )
            row["solutions"] = ",".join(n for n, col in chosen.items() if col == c)
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        space = self.problem.space
        return {
            "source": self.problem.source,
            "parties": list(self.parties),
            "issues": {i.name: list(i.values) for i in space.issues},
            "outcomes": int(self.matrix.values.shape[1]),
            "disagreement": list(self.disagreement),
            "disagreement_source": self.disagreement_source,
            "reservation": [float(x) for x in self.matrix.reservation],
            "frontier": [
                {
                    "package": self.matrix.package(int(c)),
                    "utilities": [float(x) for x in self.matrix.values[:, c]],
                }
                for c in self.frontier
            ],
            "zone": {
                "acceptable": int(self.zone.acceptable.size),
                "better": int(self.zone.better.size),
                "low": list(self.zone.low),
                "high": list(self.zone.high),
            },
            "solutions": {
                name: {**s.to_dict(), "package": self.package(name)}
                for name, s in self.solutions.items()
            },
            "notes": list(self.problem.notes),
        }


def analyse(
    problem: DealProblem,
    *,
    solutions: Sequence[str] = DEFAULT_SOLUTIONS,
    disagreement: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> DealResult:
    """Utility matrix, frontier, the named solutions and the zone, in one pass.

    ``disagreement`` defaults to the parties' reservation values; ``weights`` (one per
    party) turn ``nash`` into weighted Nash.
    """
    matrix = utility_matrix(problem.space, problem.utilities)
    if matrix.values.shape[1] == 0:
        raise ModelError("every outcome is forbidden by the constraints", path="constraints")
    if disagreement is None:
        d = matrix.reservation
        source = "reservation values"
    else:
        d = np.asarray(disagreement, dtype=float)
        source = "given"
        if d.shape != (len(matrix.parties),):
            raise ModelError(
                f"needs one value per party ({', '.join(matrix.parties)})",
                path="disagreement",
                value=np.atleast_1d(d).tolist(),
            )
    if len(matrix.parties) >= 4 and applies(problem.space, problem.utilities):
        frontier = np.sort(additive_frontier(problem.space, problem.utilities, matrix.values))
    else:
        frontier = pareto_frontier(matrix.values)
    out: dict[str, Solution] = {}
    for name in solutions:
        key = ALIASES.get(name, name)
        if key == "nash" and weights is not None:
            key = "weighted_nash"
        out[key] = solve(key, matrix, d, weights=weights, frontier=frontier)
    zone = zone_of_agreement(matrix, d)
    return DealResult(problem, matrix, frontier, out, zone, tuple(map(float, d)), source)
