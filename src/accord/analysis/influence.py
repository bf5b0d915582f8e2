"""Who moved whom: every actor's movement on every issue, attributed to the actors whose
challenges, bargains or trades moved it (``accord run --influence``; the briefing's "who
moved whom" section).

Built from what a model run records, nothing re-simulated: the trajectory ``x[t, i, k]``
(round 0 the input) and the event log. An event *moves* its ``actor`` and names the actor
that moved it as its ``counterpart`` when its kind is one of :data:`MOVING_KINDS`:

* EUM (:mod:`accord.models.eum`): ``confrontation`` (the actor lost a confrontation to the
  counterpart and took its position), ``compromise`` (it moved part of the way to the
  counterpart), ``capitulation``; one accepted offer per actor and round, so the event's
  ``after - before`` is the round's whole move;
* SMP (:mod:`accord.models.smp`): ``adopt`` (the actor's state election picked its bargain
  with the counterpart; one event per dimension of the space). SMP's ``bargain`` events are
  proposals, not moves, and are not counted;
* exchange (:mod:`accord.models.exchange`): ``exchange`` (the actor gave ground on the
  event's issue, its supply issue, to the counterpart; several trades a round). The events
  move *voting* positions; the start positions the trajectory holds then move the fraction
  ``a (1 - s) + b`` of the round's vote move (decide's ``new_start_position``).

Attribution (derived here). Actor i's move on issue k in round t is
``Δ_t = x[t, i, k] - x[t - 1, i, k]``; the moving events of that round, actor and issue
push it by ``p_e = after_e - before_e``. Each event is credited

.. math:: a_e = Δ_t \\, p_e / \\textstyle\\sum_{e'} p_{e'}

(where :math:`|\\sum p| \\le 10^{-12}` x the scale width, :math:`a_e = p_e`). For EUM and SMP
(one push, :math:`p_e = Δ_t`) this is the event's own move; for the exchange model, whose
trajectory moves the fixed fraction above of the summed vote moves, it is that fraction of
each trade's vote move, exactly. Whatever no event explains (a round's move without a moving
event, or the rest where pushes cancel) is ``unattributed``, so for every actor and issue

.. math:: \\sum_e a_e + \\text{unattributed} = x_{end} - x_{start}

holds exactly, and ``distance`` is the path length :math:`\\sum_t |Δ_t|`. Static models
(no trajectory) move no one and are left out. With ``repetitions`` the exchange model's
trajectory and events are its first run's (as ``ModelResult`` says), so is the table.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from accord.models.base import ModelResult
from accord.scenario.schema import Scenario

__all__ = ["MOVING_KINDS", "ActorMove", "Influence", "Link", "influence", "rounds_text"]

MOVING_KINDS = frozenset({"confrontation", "compromise", "capitulation", "adopt", "exchange"})
"""Event kinds whose ``actor`` moved and whose ``counterpart`` moved it."""

_ZERO = 1e-12  # x the issue's scale width: below this a sum of pushes or a move is zero
_NOISE = 1e-9  # x the scale width: a rest this small is rounding, not an unexplained move


@dataclass(frozen=True)
class Link:
    """What one counterpart's events of one kind did to one actor on one issue: the
    credited move of each event as ``(round, shift)`` on the issue's scale."""

    by: str
    kind: str
    moves: tuple[tuple[int, float], ...]

    @property
    def events(self) -> int:
        return len(self.moves)

    @property
    def rounds(self) -> tuple[int, ...]:
        return tuple(sorted({t for t, _ in self.moves}))

    @property
    def shift(self) -> float:
        """Signed sum of the credited moves."""
        return math.fsum(v for _, v in self.moves)

    @property
    def distance(self) -> float:
        """Sum of the credited moves' sizes."""
        return math.fsum(abs(v) for _, v in self.moves)

    def in_round(self, t: int) -> float:
        """The credited shift in round ``t`` (0 if none)."""
        return math.fsum(v for r, v in self.moves if r == t)


@dataclass(frozen=True)
class ActorMove:
    """One actor on one issue in one model's run: where it started and ended, how far it
    travelled, and who moved it (largest ``distance`` first)."""

    model: str
    issue: str
    actor: str
    start: float
    end: float
    distance: float
    unattributed: float
    moved_by: tuple[Link, ...]

    @property
    def moved(self) -> float:
        """Net displacement ``end - start``."""
        return self.end - self.start


@dataclass(frozen=True)
class Influence:
    """Who moved whom, per model, issue and actor (see the module docstring).

    ``actors`` holds one :class:`ActorMove` per model x issue x present actor, in the
    results' model order and the scenario's issue and actor order; ``scale`` each issue's
    scale width (to compare moves across issues).
    """

    scenario_id: str
    models: tuple[str, ...]
    scale: dict[str, float]
    actors: tuple[ActorMove, ...]
    method: str = "trajectory moves credited to the counterparts of moving events"

    def of(self, model: str, issue: str, actor: str) -> ActorMove:
        """The entry of one actor on one issue in one model's run."""
        for a in self.actors:
            if (a.model, a.issue, a.actor) == (model, issue, actor):
                return a
        raise KeyError((model, issue, actor))

    def to_frame(self) -> pd.DataFrame:
        """One row per model, issue, moved actor, counterpart and kind (``by`` empty and
        kind ``unattributed`` for a move no event explains); the actor's own start, end,
        net move and distance repeat on each of its rows. Actors that never moved have one
        row with ``by`` empty and zero ``events``."""
        rows: list[dict[str, Any]] = []
        for a in self.actors:
            head = {
                "model": a.model,
                "issue": a.issue,
                "actor": a.actor,
                "start": a.start,
                "end": a.end,
                "moved": a.moved,
                "distance": a.distance,
            }
            links = list(a.moved_by)
            for link in links:
                rows.append(
                    {
                        **head,
                        "by": link.by,
                        "kind": link.kind,
                        "events": link.events,
                        "rounds": " ".join(map(str, link.rounds)),
                        "shift": link.shift,
                        "shift_distance": link.distance,
                    }
                )
            if a.unattributed or not links:
                rows.append(
                    {
                        **head,
                        "by": "",
                        "kind": "unattributed" if a.unattributed else "",
                        "events": 0,
                        "rounds": "",
                        "shift": a.unattributed,
                        "shift_distance": abs(a.unattributed),
                    }
                )
        columns = ["model", "issue", "actor", "start", "end", "moved", "distance", "by"]
        columns += ["kind", "events", "rounds", "shift", "shift_distance"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: ``models[model][issue]`` holds the scale width and, per
        actor, start, end, moved, distance, unattributed and ``moved_by`` (by, kind,
        events, rounds, shift, distance, and ``moves``: ``[round, shift]`` per event)."""
        out: dict[str, Any] = {m: {} for m in self.models}
        for a in self.actors:
            issue = out[a.model].setdefault(
                a.issue, {"scale_width": self.scale[a.issue], "actors": {}}
            )
            issue["actors"][a.actor] = {
                "start": _num(a.start),
                "end": _num(a.end),
                "moved": _num(a.moved),
                "distance": _num(a.distance),
                "unattributed": _num(a.unattributed),
                "moved_by": [
                    {
                        "by": link.by,
                        "kind": link.kind,
                        "events": link.events,
                        "rounds": list(link.rounds),
                        "shift": _num(link.shift),
                        "distance": _num(link.distance),
                        "moves": [[t, _num(v)] for t, v in link.moves],
                    }
                    for link in a.moved_by
                ],
            }
        return {
            "scenario": self.scenario_id,
            "method": self.method,
            "moving_kinds": sorted(MOVING_KINDS),
            "models": out,
        }

    def edges(self) -> list[tuple[str, str, str, int, float]]:
        """``(by, moved, kind, events, distance as a share of the scale)`` over every model
        and issue, largest share first: the briefing's who-moved-whom graph."""
        total: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0.0])
        for a in self.actors:
            width = self.scale[a.issue] or 1.0
            for link in a.moved_by:
                cell = total[(link.by, a.actor, link.kind)]
                cell[0] += link.events
                cell[1] += link.distance / width
        rows = [(b, a, k, int(n), float(d)) for (b, a, k), (n, d) in total.items()]
        return sorted(rows, key=lambda r: (-r[4], -r[3], r[0], r[1], r[2]))


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def influence(results: ModelResult | Iterable[ModelResult], scenario: Scenario) -> Influence:
    """Who moved whom in each run that has a trajectory (see the module docstring)."""
    runs = [results] if isinstance(results, ModelResult) else list(results)
    runs = [r for r in runs if r.trajectory is not None and r.rounds > 0]
    scale = {iss.id: float(iss.scale.width) for iss in scenario.issues}
    actors: list[ActorMove] = []
    for r in runs:
        actors.extend(_one(r, scale))
    return Influence(
        scenario_id=scenario.id,
        models=tuple(r.model for r in runs),
        scale=scale,
        actors=tuple(actors),
    )


def _one(r: ModelResult, scale: dict[str, float]) -> list[ActorMove]:
    traj = r.trajectory
    assert traj is not None
    step = np.diff(traj, axis=0)  # (rounds, n, m): the move in round t + 1
    actor_at = {a: i for i, a in enumerate(r.actor_ids)}
    issue_at = {k: j for j, k in enumerate(r.issue_ids)}
    pushes: dict[tuple[int, int, int], list[tuple[str, str, float]]] = defaultdict(list)
    for e in r.events:
        if (
            e.kind not in MOVING_KINDS
            or e.counterpart is None
            or e.before is None
            or e.after is None
            or not 1 <= e.round <= step.shape[0]
        ):
            continue
        key = (issue_at[e.issue], actor_at[e.actor], e.round)
        pushes[key].append((e.counterpart, e.kind, e.after - e.before))
    credit: dict[tuple[int, int], dict[tuple[str, str], list[tuple[int, float]]]]
    credit = defaultdict(dict)
    for (k, i, t), items in pushes.items():
        width = scale[r.issue_ids[k]] or 1.0
        delta = float(step[t - 1, i, k])
        if not math.isfinite(delta):
            continue
        total = math.fsum(p for _, _, p in items)
        for by, kind, p in items:
            share = delta * p / total if abs(total) > _ZERO * width else p
            if share == 0.0 or abs(share) <= _ZERO * width:
                continue
            credit[(k, i)].setdefault((by, kind), []).append((t, share))
    out = []
    for k, iid in enumerate(r.issue_ids):
        width = scale[iid] or 1.0
        for i, aid in enumerate(r.actor_ids):
            path = traj[:, i, k]
            if not np.isfinite(path[0]):
                continue  # the actor sits this issue out
            start, end = float(path[0]), float(path[-1])
            links = [
                Link(by=by, kind=kind, moves=tuple(moves))
                for (by, kind), moves in credit.get((k, i), {}).items()
            ]
            links.sort(key=lambda link: (-link.distance, link.by, link.kind))
            rest = (end - start) - math.fsum(link.shift for link in links)
            if abs(rest) <= _NOISE * width:
                rest = 0.0
            out.append(
                ActorMove(
                    model=r.model,
                    issue=iid,
                    actor=aid,
                    start=start,
                    end=end,
                    distance=float(np.abs(step[:, i, k]).sum()),
                    unattributed=rest,
                    moved_by=tuple(links),
                )
            )
    return out


def rounds_text(rounds: Sequence[int]) -> str:
    """Rounds as ranges: ``1-3, 5, 7-8``."""
    parts: list[list[int]] = []
    for t in sorted(set(rounds)):
        if parts and parts[-1][1] == t - 1:
            parts[-1][1] = t
        else:
            parts.append([t, t])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in parts)
