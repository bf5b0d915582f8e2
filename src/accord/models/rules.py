"""Decision rules that bind: the outcomes an issue's decision rule lets through.

Every multi-actor model forecasts where bargaining leads; the scenario's
:class:`~accord.scenario.schema.DecisionRule` says which outcomes can be adopted at all.
This module computes, per issue, the **acceptable set** :math:`A` (an interval on the
issue's scale, possibly empty) and binds a model's forecast to it. With the option
``decision_rules=True`` (the default of every model) a forecast outside :math:`A` is
replaced by the nearest point of :math:`A`, and by the status quo where :math:`A` is
empty; the result records the unbound forecast, the set and the shift
(``extra["decision_rule"]`` and a ``decision_rule`` diagnostic).

One dimension, symmetric single-peaked preferences (linear loss, as in the models):
actor :math:`i` at :math:`x_i` weakly prefers :math:`x` to the reference point
:math:`q` iff :math:`|x - x_i| \\le |q - x_i| + \\kappa`, where :math:`\\kappa \\ge 0` is
the cost of the reference point to actor :math:`i` (0 unless a model asks; "costly
reference point", Franchino & Mariotto 2021), on the issue's scale.

* **Veto players** (Tsebelis 2002): the rule's ``veto`` list; under ``unanimity`` (and
  ``consensus`` without a list) every voter. Each accepts
  :math:`V_i = [x_i - |q - x_i| - \\kappa,\\; x_i + |q - x_i| + \\kappa]`, the winset of
  :math:`q` for one player, intersected with its red lines (``acceptable`` in its
  stance). A veto player without a position on the issue does not constrain it.
* **Voting** (``majority``, ``qualified_majority``): a change :math:`x > q` passes iff
  the voters who prefer it hold at least ``threshold`` :math:`\\theta` of the votes
  (and, with ``members`` :math:`\\mu`, at least that share of the voters). Voter
  :math:`i` supports :math:`x \\ge q` iff :math:`x \\le b_i = \\max(2x_i - q, q) +
  \\kappa`, so the passing changes form :math:`[q, R]` with :math:`R` the largest
  :math:`b` whose supporters :math:`\\{i: b_i \\ge R\\}` reach both quotas; leftwards
  :math:`a_i = \\min(2x_i - q, q) - \\kappa` and :math:`[L, q]` (derived here; the
  one-dimensional winset of Tsebelis 2002, ch. 2, and of pivotal politics, Krehbiel
  1998). Votes are the rule's ``votes`` (default: capability); voters without a
  position on the issue do not vote, and the quotas apply to the votes of those that do.
* :math:`A = [L, R] \\cap \\bigcap_{\\text{veto } i} V_i`; :math:`q` itself is always
  acceptable to the voting rule (no change needs no vote), so :math:`A` is empty only
  where red lines exclude it, and then the status quo stands.
* **No status quo** on the issue: veto players accept only their Pareto set
  :math:`[\\min_v x_v, \\max_v x_v]` (the unanimity core), voting admits only its core
  :math:`[u, l]`, :math:`u` the position with at least :math:`\\theta` of the votes at or
  above it and :math:`l` the one with :math:`\\theta` at or below it (nothing in the core
  is beaten by a qualified majority). If :math:`A` is then empty, the forecast is left
  unbound and a diagnostic says so.
* ``other`` binds only through its ``veto`` list.

References
----------
* Tsebelis, G. (2002). *Veto Players: How Political Institutions Work*. Princeton UP.
* Krehbiel, K. (1998). *Pivotal Politics*. University of Chicago Press.
* Franchino, F. & Mariotto, C. (2021). Noncompliance, reform, and economic governance
  in the EU: a test of bargaining models. *Political Science Research and Methods*.
"""

from __future__ import annotations

import collections
import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.models.base import Diagnostic, ModelResult
from accord.scenario.schema import Scenario

__all__ = ["Acceptable", "acceptable_set", "acceptable_sets", "bind", "bind_value"]

Arr = NDArray[np.float64]
_TOL = 1e-9


@dataclass(frozen=True)
class Acceptable:
    """What one issue's decision rule lets through: ``[lo, hi]``, or empty (``lo > hi``).

    ``reference`` is the status quo (``None`` where the issue has none); ``veto`` the veto
    players that took part; ``voting`` says whether a voting quota applied; ``limits``
    names, for each end, what set it (an actor id, ``"votes"``, or ``"scale"``).
    """

    issue: str
    rule: str
    lo: float
    hi: float
    reference: float | None
    veto: tuple[str, ...]
    voting: bool
    limits: tuple[str, str]

    @property
    def empty(self) -> bool:
        return self.lo > self.hi + _TOL

    def contains(self, x: float) -> bool:
        return not self.empty and self.lo - _TOL <= x <= self.hi + _TOL

    def bind(self, x: float) -> float:
        """The nearest acceptable outcome to ``x``; the status quo where none is acceptable."""
        if math.isnan(x):
            return x
        if self.empty:
            return self.reference if self.reference is not None else x
        return float(min(max(x, self.lo), self.hi))

    def describe(self) -> str:
        who = []
        if self.veto:
            who.append("veto " + ", ".join(self.veto))
        if self.voting:
            who.append("the voting quota")
        against = (
            f" against the status quo {self.reference:g}"
            if self.reference is not None
            else " (no status quo: the veto players' Pareto set / the voting core)"
        )
        where = "empty" if self.empty else f"[{self.lo:.4g}, {self.hi:.4g}]"
        return f"{self.rule} ({'; '.join(who) or 'no binding actor'}){against}: {where}"


def _top_quantile(b: Arr, w: Arr, share: float) -> float:
    """Largest ``v`` among ``b`` with ``sum(w[b >= v]) >= share * sum(w)``."""
    order = np.argsort(-b, kind="stable")
    cum = np.cumsum(w[order])
    k = int(np.searchsorted(cum, share * cum[-1] - _TOL * max(cum[-1], 1.0), side="left"))
    return float(b[order][min(k, b.size - 1)])


def _quota_bound(b: Arr, w: Arr, theta: float, mu: float | None) -> float:
    out = _top_quantile(b, w, theta)
    if mu is not None:
        out = min(out, _top_quantile(b, np.ones_like(w), mu))
    return out


def acceptable_set(scenario: Scenario, k: int, *, cost: float | Arr = 0.0) -> Acceptable | None:
    """The acceptable set of issue ``k`` (``None`` where the issue declares no rule).

    ``cost`` is the cost of the reference point on the issue's scale, one number or one
    per actor (see the module docstring).
    """
    issue = scenario.issues[k]
    dr = issue.decision_rule
    if dr is None:
        return None
    a = scenario.arrays()
    q = issue.status_quo.value if issue.status_quo is not None else None
    ids = a.actor_ids
    present = a.present[:, k]
    x = a.position[:, k]
    lo, hi = issue.scale.min, issue.scale.max
    limits = ["scale", "scale"]
    kappa = np.broadcast_to(np.asarray(cost, dtype=float), (len(ids),))

    voters = [i for i, aid in enumerate(ids) if present[i] and (not dr.votes or aid in dr.votes)]
    if dr.rule == "unanimity" or (dr.rule == "consensus" and not dr.veto):
        veto_idx = voters
    else:
        veto_idx = [ids.index(v) for v in dr.veto if present[ids.index(v)]]

    def tighten(new_lo: float, new_hi: float, who: str) -> None:
        nonlocal lo, hi
        if new_lo > lo:
            lo, limits[0] = new_lo, who
        if new_hi < hi:
            hi, limits[1] = new_hi, who

    if q is not None:
        for i in veto_idx:
            reach = abs(q - x[i]) + kappa[i]
            tighten(x[i] - reach, x[i] + reach, ids[i])
    elif veto_idx:
        xv = x[veto_idx]
        tighten(float(xv.min()), float(xv.max()), "veto Pareto set")
    for i in veto_idx:
        red = scenario.actors[i].positions[issue.id].acceptable
        if red is not None:
            tighten(
                red.min if red.min is not None else -math.inf,
                red.max if red.max is not None else math.inf,
                f"{ids[i]} red line",
            )

    theta = dr.threshold if dr.threshold is not None else (0.5 if dr.rule == "majority" else None)
    voting = dr.rule in ("majority", "qualified_majority") and theta is not None and bool(voters)
    if voting and theta is not None:
        xs = x[voters]
        w = np.array(
            [dr.votes[ids[i]] if dr.votes else a.capability[i, k] for i in voters], dtype=float
        )
        if w.sum() <= 0:
            w = np.ones_like(w)
        if q is not None:
            right = np.maximum(2 * xs - q, q) + kappa[voters]
            left = np.minimum(2 * xs - q, q) - kappa[voters]
            r_end = max(_quota_bound(right, w, theta, dr.members), q)
            l_end = min(-_quota_bound(-left, w, theta, dr.members), q)
        else:
            r_end = -_quota_bound(-xs, w, theta, dr.members)  # theta of the votes at or below
            l_end = _quota_bound(xs, w, theta, dr.members)  # theta of the votes at or above
        tighten(l_end, r_end, "votes")

    return Acceptable(
        issue=issue.id,
        rule=dr.rule,
        lo=float(lo),
        hi=float(hi),
        reference=q,
        veto=tuple(ids[i] for i in veto_idx),
        voting=voting,
        limits=(limits[0], limits[1]),
    )


def acceptable_sets(
    scenario: Scenario, *, cost: float | Arr = 0.0
) -> tuple[Acceptable | None, ...]:
    """:func:`acceptable_set` of every issue, in the scenario's issue order."""
    return tuple(acceptable_set(scenario, k, cost=cost) for k in range(len(scenario.issues)))


def bind_value(value: float, acc: Acceptable | None) -> float:
    """A forecast bound to an acceptable set (unchanged without a rule)."""
    if acc is None:
        return value
    if acc.empty and acc.reference is None:
        return value
    return acc.bind(value)


def bind(
    result: ModelResult,
    scenario: Scenario,
    *,
    enabled: bool = True,
    cost: float | Arr = 0.0,
    how: str = "the forecast is moved to the nearest acceptable outcome",
) -> ModelResult:
    """``result`` with each forecast bound to its issue's acceptable set.

    Adds ``extra["decision_rule"]`` (per issue with a rule: the set, the unbound and the
    bound forecast) and one ``decision_rule`` diagnostic per issue where the rule moved
    the forecast; with ``enabled=False`` returns ``result`` unchanged.
    """
    if not enabled:
        return result
    sets = acceptable_sets(scenario, cost=cost)
    if all(s is None for s in sets):
        return result
    forecast = result.forecast.copy()
    records: dict[str, dict[str, object]] = {}
    diagnostics = list(result.diagnostics)
    for k, acc in enumerate(sets):
        if acc is None:
            continue
        before = float(forecast[k])
        after = bind_value(before, acc)
        forecast[k] = after
        records[acc.issue] = {
            "rule": acc.describe(),
            "lo": acc.lo,
            "hi": acc.hi,
            "empty": acc.empty,
            "unbound": before,
            "bound": after,
            "shift": after - before if not math.isnan(before) else math.nan,
        }
        if acc.empty and acc.reference is None:
            diagnostics.append(
                Diagnostic(
                    "decision_rule",
                    f"decision rule {acc.describe()}: nothing is acceptable and there is no "
                    "status quo; the forecast is left unbound",
                    acc.issue,
                )
            )
        elif not math.isnan(before) and abs(after - before) > _TOL:
            why = "the status quo stands" if acc.empty else how
            diagnostics.append(
                Diagnostic(
                    "decision_rule",
                    f"decision rule {acc.describe()}: {before:.4g} is not acceptable; {why}: "
                    f"{after:.4g} (moved {after - before:+.4g})",
                    acc.issue,
                )
            )
    extra: Mapping[str, Any] = collections.ChainMap(
        {"decision_rule": records},
        result.extra,  # type: ignore[arg-type]  # read-only use; keeps lazy extras lazy
    )
    return dataclasses.replace(
        result, forecast=forecast, diagnostics=tuple(diagnostics), extra=extra
    )


def bind_many(
    results: Sequence[ModelResult], scenarios: Sequence[Scenario], *, enabled: bool = True
) -> list[ModelResult]:
    """:func:`bind` over matching lists of results and scenarios."""
    return [bind(r, s, enabled=enabled) for r, s in zip(results, scenarios, strict=True)]


def unbound_forecasts(result: ModelResult) -> NDArray[np.float64]:
    """The forecast before the decision rules (``result.forecast`` where none bound it)."""
    records = result.extra.get("decision_rule") or {}
    return np.array(
        [
            float(records[iid]["unbound"]) if iid in records else float(v)
            for iid, v in zip(result.issue_ids, result.forecast, strict=True)
        ]
    )


def pooled_records(
    first: ModelResult, unbound: NDArray[np.float64], bound: NDArray[np.float64]
) -> dict[str, dict[str, object]]:
    """The decision-rule records of a forecast pooled over draws: ``unbound`` and ``bound``
    are ``(draws, issues)``; each record keeps the rule and its set (the same in every draw)
    and reports the means over the draws before and after the rule."""
    records = first.extra.get("decision_rule") or {}
    out: dict[str, dict[str, object]] = {}
    for k, iid in enumerate(first.issue_ids):
        if iid not in records:
            continue
        before, after = float(np.mean(unbound[:, k])), float(np.mean(bound[:, k]))
        out[iid] = {**records[iid], "unbound": before, "bound": after, "shift": after - before}
    return out
