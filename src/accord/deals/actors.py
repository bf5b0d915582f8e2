"""A scenario's actors as parties to a package deal (the mapping, derived here).

Every bundled scenario describes, per actor and issue, an ideal position on the issue's
scale and a salience (Bueno de Mesquita 1994; Stokman & Van Oosten 1994). As a package
deal:

* **issues**: each scenario issue becomes a discrete issue whose values are the points that
  mean something on it: the scale's labelled points, its ends, the status quo and every
  actor's position (``points="positions"``, the default), or only the labelled points, ends
  and status quo (``points="labels"``); ``grid=k`` adds ``k`` evenly spaced points;
* **utility** of actor ``a`` for package ``x`` (linear-additive, spatial linear loss):
  ``u_a(x) = Σ_k s_ak (1 − |x_k − p_ak| / (max_k − min_k)) / Σ_k s_ak``, with ``p_ak`` its
  position and ``s_ak`` its salience (0–1); issues it sits out weigh 0. ``u_a`` lies in
  ``[0, 1]`` and is 1 at the actor's ideal package;
* **reservation value**: the utility of the status-quo package, an issue without a status
  quo counting as the actor's worst point of that issue's scale (no deal on it leaves the
  actor nothing), so ``r_a = Σ_k s_ak v_ak(sq_k) / Σ_k s_ak`` with ``v_ak = 0`` there.
  ``DealProblem.notes`` names the issues this applies to. Pass another disagreement point
  (war values, from the war layer) where one is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.deals.space import DiscreteIssue, OutcomeSpace
from accord.deals.utility import LinearAdditive, SinglePeakedValue, Utility, ValueFunction
from accord.errors import ModelError
from accord.scenario.schema import Scenario

__all__ = ["DealProblem", "from_scenario"]


@dataclass(frozen=True)
class DealProblem:
    """An outcome space, one utility per party, and where the problem came from."""

    space: OutcomeSpace
    utilities: tuple[Utility, ...]
    source: str = ""
    reference: dict[str, Any] | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.utilities)


def _round(x: float) -> float:
    return float(round(x, 10))


def from_scenario(
    scenario: Scenario,
    parties: Sequence[str] | None = None,
    *,
    points: str = "positions",
    grid: int | None = None,
    issues: Sequence[str] | None = None,
) -> DealProblem:
    """The scenario as a package-deal problem (see the module docstring).

    ``parties`` defaults to the war's belligerents where the scenario has a war section,
    else every actor.
    """
    if points not in ("positions", "labels"):
        raise ModelError("use positions or labels", path="points", value=points)
    if grid is not None and grid < 2:
        raise ModelError("a grid needs at least 2 points", path="grid", value=grid)
    ids = scenario.actor_ids
    if parties is None or len(parties) == 0:
        chosen = list(scenario.war.belligerents) if scenario.war is not None else list(ids)
    else:
        chosen = list(parties)
    unknown = [p for p in chosen if p not in ids]
    if unknown:
        raise ModelError(f"no such actor ({', '.join(ids)})", path="--parties", value=unknown)
    if len(set(chosen)) != len(chosen):
        raise ModelError("parties must differ", path="--parties", value=chosen)
    issue_ids = list(issues) if issues is not None else list(scenario.issue_ids)
    bad = [i for i in issue_ids if i not in scenario.issue_ids]
    if bad:
        raise ModelError(
            f"no such issue ({', '.join(scenario.issue_ids)})", path="--issues", value=bad
        )
    arr = scenario.arrays()
    rows = [ids.index(p) for p in chosen]
    cols = [scenario.issue_ids.index(i) for i in issue_ids]
    deal_issues = []
    reference: dict[str, Any] = {}
    no_sq = []
    for k in cols:
        issue = scenario.issues[k]
        lo, hi = float(issue.scale.min), float(issue.scale.max)
        pts = {lo, hi, *map(float, issue.scale.labels)}
        if issue.status_quo is not None:
            pts.add(float(issue.status_quo.value))
        if points == "positions":
            pts |= {float(x) for x in arr.position[:, k] if np.isfinite(x)}
        if grid is not None:
            pts |= set(np.linspace(lo, hi, grid).tolist())
        values = tuple(sorted({_round(x) for x in pts}))
        deal_issues.append(DiscreteIssue(issue.id, values))
        if issue.status_quo is not None:
            reference[issue.id] = _round(float(issue.status_quo.value))
        else:
            no_sq.append(issue.id)
    space = OutcomeSpace(tuple(deal_issues))
    utilities = []
    for r in rows:
        weights: dict[str, float] = {}
        values_fn: dict[str, ValueFunction] = {}
        for k in cols:
            issue = scenario.issues[k]
            pos, sal = arr.position[r, k], arr.salience[r, k]
            if not np.isfinite(pos) or not sal > 0:
                continue
            weights[issue.id] = float(sal)
            values_fn[issue.id] = SinglePeakedValue(
                float(pos), float(issue.scale.min), float(issue.scale.max)
            )
        total = sum(weights.values())
        if total <= 0:
            raise ModelError(
                "this actor has no salient position on the chosen issues",
                path="--parties",
                value=ids[r],
            )
        weights = {k: v / total for k, v in weights.items()}
        reserve = 0.0
        for iid, w in weights.items():
            if iid in reference:
                di = space.issues[space.position(iid)]
                col = values_fn[iid].column(di.values, di.numeric(), iid)
                reserve += w * float(col[di.index_of(reference[iid])])
        utilities.append(LinearAdditive(ids[r], weights, values_fn, reservation=reserve))
    notes = []
    if no_sq:
        notes.append(
            "no status quo on " + ", ".join(no_sq) + ": the reservation values count these "
            "issues as each party's worst point of the scale; the reference package for "
            "linkage puts them at the point nearest the middle of the scale"
        )
        for iid in no_sq:
            di = space.issues[space.position(iid)]
            sc_issue = scenario.issue(iid)
            mid = (float(sc_issue.scale.min) + float(sc_issue.scale.max)) / 2
            reference[iid] = di.values[int(np.argmin(np.abs(di.numeric() - mid)))]
    reference = {i.name: reference[i.name] for i in space.issues}
    return DealProblem(space, tuple(utilities), scenario.id, reference, tuple(notes))
