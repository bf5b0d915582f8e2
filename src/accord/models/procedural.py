"""What the procedural models share: one issue at a time, the rule's acceptable set.

Procedural models (Tsebelis & Garrett 2000; Crombez 1996, 2001; Steunenberg & Selck
2006) forecast a legislative outcome from who may propose, who must agree and the
reference point, not from bargaining power alone. Each works per issue on the issue's
acceptable set :math:`A` (:func:`accord.models.rules.acceptable_set`: the winset of the
reference point under the decision rule, the veto players' winsets and red lines) and
the Council, the rule's voters (its ``votes``; default every actor with a position,
weighted by capability).

Roles are actor ids (options ``setter``, ``parliament``; DEU's ``com`` and ``ep`` by
default). A model that needs an actor the scenario lacks leaves the issue undefined and
says so; :meth:`ProceduralModel.unavailable` lets ``accord run`` skip it.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.models.base import Diagnostic, Model, ModelResult, Status
from accord.models.median import weighted_median
from accord.models.rules import Acceptable, acceptable_set
from accord.scenario.schema import Scenario

__all__ = ["Council", "ProceduralModel", "council", "everything", "project"]

Arr = NDArray[np.float64]


class Council:
    """The voters of one issue: positions, votes, and their quota cores."""

    def __init__(self, ids: Sequence[str], x: Arr, votes: Arr, threshold: float) -> None:
        self.ids, self.x, self.votes, self.threshold = tuple(ids), x, votes, threshold

    @property
    def median(self) -> float:
        """The vote-weighted median voter (Black 1948)."""
        return weighted_median(self.x, self.votes)

    def core(self) -> tuple[float, float]:
        """``[u, l]``: nothing in it is beaten by ``threshold`` of the votes (Krehbiel 1998).

        ``u`` has ``threshold`` of the votes at or above it, ``l`` at or below it.
        """
        order = np.argsort(self.x, kind="stable")
        xs, w = self.x[order], self.votes[order]
        total = w.sum()
        below = np.cumsum(w)
        above = total - below + w
        tol = 1e-9 * max(total, 1.0)
        u = float(xs[above >= self.threshold * total - tol].max())
        low = float(xs[below >= self.threshold * total - tol].min())
        return min(u, low), max(u, low)

    def hull(self) -> tuple[float, float]:
        """The unanimity core: the Council's Pareto set ``[min x, max x]``."""
        return float(self.x.min()), float(self.x.max())


def council(scenario: Scenario, k: int) -> Council | None:
    """The voters of issue ``k`` (``None`` if no voter takes part)."""
    a = scenario.arrays()
    dr = scenario.issues[k].decision_rule
    votes = dr.votes if dr is not None else {}
    idx = [
        i for i, aid in enumerate(a.actor_ids) if a.present[i, k] and (not votes or aid in votes)
    ]
    if not idx:
        return None
    w = np.array([votes[a.actor_ids[i]] if votes else a.capability[i, k] for i in idx], dtype=float)
    if w.sum() <= 0:
        w = np.ones_like(w)
    if dr is None or dr.rule in ("majority", "consensus", "other"):
        theta = 0.5 if dr is None or dr.threshold is None else dr.threshold
    elif dr.rule == "unanimity":
        theta = 1.0
    else:
        theta = dr.threshold if dr.threshold is not None else 0.5
    return Council([a.actor_ids[i] for i in idx], a.position[idx, k], w, theta)


def everything(scenario: Scenario, k: int) -> Acceptable:
    """The acceptable set of an issue without a rule (or with rules switched off)."""
    issue = scenario.issues[k]
    q = issue.status_quo.value if issue.status_quo is not None else None
    return Acceptable(
        issue.id, "none", issue.scale.min, issue.scale.max, q, (), False, ("scale", "scale")
    )


def project(x: float, lo: float, hi: float) -> float:
    """The point of ``[lo, hi]`` nearest ``x``."""
    return float(min(max(x, lo), hi))


class ProceduralModel(Model):
    """A per-issue procedural model: subclasses implement :meth:`outcome`."""

    needs: tuple[str, ...] = ()
    """Option names holding actor ids the model needs (e.g. ``("setter",)``)."""

    def unavailable(self, scenario: Scenario) -> str | None:
        missing = [
            f"{name} {getattr(self.options, name)!r}"
            for name in self.needs
            if getattr(self.options, name) not in scenario.actor_ids
        ]
        return "no actor " + ", ".join(missing) if missing else None

    @abstractmethod
    def outcome(
        self, scenario: Scenario, k: int, acc: Acceptable, voters: Council
    ) -> tuple[float, str]:
        """The forecast of issue ``k`` and a note (NaN and the reason where undefined)."""

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        a = scenario.arrays()
        m = len(a.issue_ids)
        forecast = np.full(m, np.nan)
        status: list[Status] = []
        diagnostics: list[Diagnostic] = []
        binds = bool(getattr(self.options, "decision_rules", True))
        for k, iid in enumerate(a.issue_ids):
            acc = acceptable_set(scenario, k, cost=self.cost(scenario, k)) if binds else None
            acc = acc if acc is not None else everything(scenario, k)
            voters = council(scenario, k)
            if voters is None:
                value, note = math.nan, "no voter takes part in this issue"
            else:
                value, note = self.outcome(scenario, k, acc, voters)
            if math.isnan(value):
                status.append("undefined")
            else:
                status.append("static")
                if acc.empty and acc.reference is not None:
                    value, note = acc.reference, "nothing is acceptable: the status quo stands"
            forecast[k] = value
            if note:
                diagnostics.append(Diagnostic(self.name, note, iid))
        return ModelResult(
            model=self.name,
            scenario_id=scenario.id,
            options=self.options.model_dump(),
            actor_ids=a.actor_ids,
            issue_ids=a.issue_ids,
            forecast=forecast,
            status=tuple(status),
            diagnostics=tuple(diagnostics),
        )

    def cost(self, scenario: Scenario, k: int) -> float | Arr:
        """The reference point's cost on issue ``k``'s scale, per actor (0 unless a model
        says)."""
        return 0.0
