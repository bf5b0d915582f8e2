"""Stokman's exchange model: actors trade voting positions across pairs of issues.

An actor that cares little about issue q and much about issue p gives ground on q to a
partner who cares the other way round, and receives ground on p in return (Stokman & Van
Oosten 1994; Dijkstra, van Assen, Stokman & Draaijer 2018; applied to the climate talks by
Sprinz et al. 2016). This module reproduces the equal-gain model of decide-exchange-model
(``foarsitter/decide-exchange-model``, the open implementation of Stokman's models) and
adds a seeded random-rate variant. It is an independent implementation, vectorised over
all candidate exchanges; decide's code was read to pin down the algorithm, none is copied.

Positions are handled on a 0-100 scale per issue (``100 (x - min) / (max - min)``, decide's
normalisation by the ``#M`` scale points); results are mapped back to each issue's scale.
Gains and shifts of the outcome in the event log are on the 0-100 scale, as in decide.

Outcome (Nash bargaining solution, NBS). On issue d with capability :math:`c_{id}`,
salience :math:`s_{id}` (0-1) and position :math:`x_{id}` (Stokman & Van Oosten 1994;
the compromise model):

.. math:: O_d = \\frac{\\sum_i c_{id} s_{id} x_{id}}{W_d}, \\qquad W_d = \\sum_i c_{id} s_{id}

A move :math:`\\Delta x` of actor i on d shifts the outcome by
:math:`\\Delta O_d = \\Delta x \\, c_{id} s_{id} / W_d` (decide's *exchange ratio*).

Candidates. For every pair of issues (p, q) actors are grouped by their side of the NBS
on each issue (left: :math:`x \\le O`; option ``side_rule``); two actors can exchange when
they are on opposite sides on both issues (decide's groups A-D and B-C). Of the two, the
one with the larger salience ratio :math:`s_{ip}/s_{iq}` demands p and supplies q (actor
i); the other (j) demands q and supplies p. Each actor moves its vote on its supply issue
towards the partner's position there.

Equal gain. With :math:`\\Delta_p, \\Delta_q` the shifts of the NBS on p and q, i gains
:math:`s_{ip}\\Delta_p - s_{iq}\\Delta_q` and j gains :math:`s_{jq}\\Delta_q - s_{jp}\\Delta_p`
(utility linear in the distance of the outcome). Equal gains fix the exchange rate

.. math:: r = \\frac{\\Delta_q}{\\Delta_p} = \\frac{s_{ip} + s_{jp}}{s_{iq} + s_{jq}},
   \\qquad G = \\Delta_p \\frac{s_{ip} s_{jq} - s_{iq} s_{jp}}{s_{iq} + s_{jq}} .

:math:`\\Delta_p` is as large as possible subject to four caps: j moves no further than
i's position on p, i no further than j's position on q (decide's ``by_absolute_move``
and ``reverse_move``), and neither outcome shifts past the demanding partner's position
(decide's ``check_nbs``):

.. math:: \\Delta_p = \\min\\Big(\\frac{|x_{ip} - y_{jp}| c_{jp} s_{jp}}{W_p},
   \\; (x_{ip} - O_p)\\,\\sigma_p, \\; \\frac{1}{r}\\frac{|x_{jq} - y_{iq}| c_{iq} s_{iq}}{W_q},
   \\; \\frac{1}{r}(x_{jq} - O_q)\\,\\sigma_q\\Big)

with :math:`y` the supplier's current vote, :math:`O` the NBS as the candidate sees it
with that vote (see "A round") and :math:`\\sigma` the direction of the move; an NBS cap
counts only where the shift would cross the partner's position (if the NBS the candidate
sees is already past it, decide does not cap). The voting moves are
:math:`\\Delta_p W_p / (c_{jp} s_{jp})` and :math:`\\Delta_q W_q / (c_{iq} s_{iq})`.

Random rate (option ``variant="random_rate"``; Dijkstra, van Assen, Stokman & Draaijer
2018). Instead of the equal-gain rate, the rate is drawn between the equal-gain rate and
the rate at which one side gains nothing (:math:`s_{ip}/s_{iq}` or :math:`s_{jp}/s_{jq}`,
the side chosen with probability 1/2), a fraction :math:`p\\,z` of the way,
:math:`z \\sim U(0, 1)`, ``randomness`` = p: p = 0 is the equal-gain model, p = 1 spans
every rate that leaves neither side worse off. At a fixed supply shift a side's gain is
linear in the rate, so this is decide's randomised gain (a side wins ``p z`` of the way to
its maximum gain or loses ``p z`` of its equal gain) stated in rates. One draw per
candidate and round from the ``rng`` passed to ``run`` (decide draws anew, unseeded, each
time it recomputes a candidate); candidates are ranked by the mean of the two gains
(decide keeps ranking by the equal gain).

Repetitions (option ``repetitions``, as decide's repeated runs of its randomised model):
a stochastic variant is run that many times on independent generators spawned from the
seed, and the forecast is the mean of the runs' forecasts; every run's forecast and the
5/50/95 % quantiles are in ``extra`` for interval scores.

A round (decide's ``ModelLoop``). (1) NBS of the start positions; all candidates of the
round, each computed as above. (2) Realise the valid candidate with the highest gain
(stable order among equal gains, as decide's list sort). Every other candidate that the
trade concerns is recomputed, as decide's ``remove_invalid_exchanges`` does: where the same
actor supplies the same issue, it continues from its new vote; where the same actor
demands the same issue, the candidate learns the partner's new vote and includes it in
the NBS it sees (decide's ``updates``; of two votes heard from one actor it keeps the one
nearer that actor's start). A recomputed candidate is dropped when a move would reverse
its first direction, leave the scale, be no move at all (1e-10), when the moves it has
proposed add up to more than 100, or when its gain falls below 1e-10. Repeat until no
candidate is left. (3) The NBS of the voting positions is the round's outcome. (4) New
start positions (decide's ``new_start_position``):

.. math:: x'_{id} = x_{id} + (a (1 - s_{id}) + b)(y_{id} - x_{id}), \\quad a = 0.4, b = 0.1 .

The forecast is the NBS of the last round's voting positions (``forecast="voting"``) or of
the last start positions (``"preference"``). The run stops early, ``converged``, when a
round has no trade left.

With ``nbs_view="current"`` every candidate instead sees the current votes of everyone and
their NBS (the caps then always use the true current outcome); the first trades are the
same, later ones differ.

Agreement with decide-exchange-model (tests/test_exchange.py, against decide 2025.3.1 with
ties taken in order): on ``sample_data.txt`` every trade of rounds 1-3 and 41 of 42 in
round 4, votes and gains to 1e-9; on COP21 the 2,094 candidates and the first 46 trades.
After that the runs drift apart about as much as decide's own runs do under its random
tie-breaking: after 10 rounds on COP21 the start-position NBS differs from decide's by at
most 2.8 points on any issue, while decide run with three tie seeds differs from itself
by up to 4.7. Where they part:

* decide computes in Decimal; where an NBS sits exactly on a partner's position (a capped
  trade puts it there) its rounding decides whether a further shift counts as crossing.
  Here an NBS within 1e-9 of the partner's position leaves no room.
* decide tells apart trades of mathematically equal gain by Decimal rounding, or at random
  (``ALLOW_RANDOM``, unseeded); here they go in decide's list order, or to a seeded draw
  (``tie_break="random"``).
* decide drops actor-issue rows with salience 0 and fails on zero power; here actors
  with zero capability x salience on an issue take no part in trades on it.

Decision rules (option ``decision_rules``, on by default): where an issue declares a rule,
vote trades run unconstrained by the rule but never take a supplier's vote beyond its red
line (``acceptable`` in its stance); the final NBS is then bound to what the rule lets
through (:func:`accord.models.rules.bind`; the unbound forecast and the shift are in
``extra["decision_rule"]`` and a ``decision_rule`` diagnostic).

References
----------
* Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an
  object-oriented model of policy networks. In Bueno de Mesquita & Stokman (eds.),
  *European Community Decision Making*, Yale UP, 105-127.
* Dijkstra, J., van Assen, M. A. L. M., Stokman, F. N. & Draaijer, J. (2018). Random
  variation of exchange rates in the equal utility exchange model. Technical report
  (first draft), http://stokman.org/artikel/.
* Sprinz, D. F., Bueno de Mesquita, B., Kallbekken, S., Stokman, F., Sælen, H. &
  Thomson, R. (2016). Predicting Paris: multi-method approaches to forecast the outcomes
  of global climate negotiations. *Politics and Governance* 4(3), 172-187.
* decide-exchange-model, https://github.com/foarsitter/decide-exchange-model (GPL-3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from accord.models.base import (
    Diagnostic,
    Event,
    Model,
    ModelResult,
    Options,
    Status,
    as_generator,
    one_draw,
)
from accord.models.rules import bind, pooled_records, unbound_forecasts
from accord.scenario.schema import Scenario, ScenarioArrays

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Candidates", "Exchange", "ExchangeOptions", "candidates", "nbs", "trades_frame"]

Arr = NDArray[np.float64]
IntArr = NDArray[np.intp]
_EPS = 1e-10  # decide's threshold for a move or a gain that counts
_DIGITS = 10  # gains equal to this many decimals are ties
_SLACK = 1e-9  # rounding allowance on the 0-100 scale (decide computes in Decimal)


class ExchangeOptions(Options):
    """Options of Stokman's exchange model."""

    variant: Literal["equal_gain", "random_rate"] = "equal_gain"
    rounds: int = Field(default=10, ge=0, le=10_000, description="number of rounds")
    randomness: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="random_rate: how far the rate may stray from equal gain (0 = equal gain)",
    )
    salience_weight: float = Field(
        default=0.4, ge=0, le=1, description="new start position: weight a of (1 - salience)"
    )
    fixed_weight: float = Field(
        default=0.1, ge=0, le=1, description="new start position: fixed weight b"
    )
    side_rule: Literal["at_or_below", "below"] = Field(
        default="at_or_below",
        description="an actor exactly at the NBS counts as left (decide now) or right (older)",
    )
    forecast: Literal["voting", "preference"] = Field(
        default="voting",
        description="NBS of the last voting positions or of the last start positions",
    )
    tie_break: Literal["order", "random"] = "order"
    repetitions: int = Field(
        default=1,
        ge=1,
        le=100_000,
        description="independent runs of a stochastic variant (random_rate or random "
        "tie-breaks); the forecast is their mean",
    )
    nbs_view: Literal["decide", "current"] = Field(
        default="decide",
        description="what NBS a candidate sees within a round: decide's (the moves it was "
        "told of) or the NBS of all current votes",
    )

    @model_validator(mode="after")
    def _weights(self) -> ExchangeOptions:
        if self.salience_weight + self.fixed_weight > 1:
            raise ValueError("salience_weight + fixed_weight must not exceed 1")
        return self


def nbs(x: Arr, w: Arr) -> Arr:
    """Weighted mean per issue (column); NaN where the weight is zero. ``x`` has no NaN."""
    total = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Arr = np.where(total > 0, (w * x).sum(axis=0) / np.where(total > 0, total, 1), np.nan)
    return out


@dataclass(frozen=True)
class Candidates:
    """The candidate exchanges of one round, one entry per candidate.

    Actor ``i`` demands issue ``p`` and supplies ``q``; actor ``j`` demands ``q`` and
    supplies ``p``. Order: issue pairs (p < q in scenario order), then pairs of groups
    A-D before B-C, then actors in scenario order (decide's enumeration).
    """

    i: IntArr
    j: IntArr
    p: IntArr
    q: IntArr

    def __len__(self) -> int:
        return int(self.i.size)


def candidates(x: Arr, usable: NDArray[np.bool_], outcome: Arr, s: Arr, below: bool) -> Candidates:
    """All pairs of actors on opposite sides of the NBS on both issues of an issue pair.

    ``x`` (n, m) positions (any finite value where not usable), ``usable`` (n, m) actors
    that can trade on an issue, ``outcome`` (m,) the NBS, ``s`` (n, m) saliences.
    """
    n, m = x.shape
    if m < 2 or n < 2:
        e = np.zeros(0, dtype=np.intp)
        return Candidates(e, e, e, e)
    left = x < outcome if below else x <= outcome
    left &= usable
    right = usable & ~left
    pp, qq = np.triu_indices(m, 1)
    # kind 0: group A (right on p and q) with D (left on both)
    # kind 1: group B (left on p, right on q) with C (right on p, left on q)
    first = np.stack([right[:, pp] & right[:, qq], left[:, pp] & right[:, qq]])  # (2, n, P)
    second = np.stack([left[:, pp] & left[:, qq], right[:, pp] & left[:, qq]])
    mask = first.transpose(2, 0, 1)[:, :, :, None] & second.transpose(2, 0, 1)[:, :, None, :]
    pair, _, a, b = np.nonzero(mask)  # (P, 2, n, n) in C order = decide's enumeration
    p, q = pp[pair], qq[pair]
    # the actor with the larger s_p / s_q demands p (ties: the first actor)
    swap = s[a, p] * s[b, q] < s[b, p] * s[a, q]
    i = np.where(swap, b, a)
    j = np.where(swap, a, b)
    return Candidates(i.astype(np.intp), j.astype(np.intp), p.astype(np.intp), q.astype(np.intp))


class _Groups:
    """Slots of the two sides of every candidate (slot = side x k + candidate) grouped by
    an integer key (CSR layout), so that a trade finds the candidates it concerns without
    a pass over all of them."""

    def __init__(self, key: IntArr, size: int, k: int) -> None:
        self.slots = np.argsort(key, kind="stable")
        self.cand = self.slots % k
        self.start = np.searchsorted(key[self.slots], np.arange(size + 1)).tolist()

    def live(self, key: int, live: NDArray[np.bool_]) -> IntArr:
        """The slots with this key whose candidate is live."""
        lo, hi = self.start[key], self.start[key + 1]
        slots: IntArr = self.slots[lo:hi][live[self.cand[lo:hi]]]
        return slots


class _Round:
    """The candidates of one round and their state while trades are realised.

    Every candidate keeps what decide's exchange objects keep: the supply positions it
    sees (``sup``), the other actors' positions it has been told about on each of its two
    issues (``seen``; NaN = the start position), the sums of the moves it proposed earlier
    (``prev``) and its latest proposal (``move``). With ``view="current"`` every candidate
    sees the current votes and their NBS instead. Per-candidate arrays of the two sides
    are stacked: row 0 is actor i supplying q, row 1 actor j supplying p.
    """

    def __init__(
        self,
        cand: Candidates,
        x: Arr,
        w: Arr,
        total: Arr,
        rate: Arr,
        s: Arr,
        view: Literal["decide", "current"],
        red: tuple[Arr, Arr] | None = None,
    ) -> None:
        i, j, p, q = cand.i, cand.j, cand.p, cand.q
        k, n = len(cand), x.shape[0]
        self.c, self.x, self.w, self.total, self.rate = cand, x, w, total, rate
        self.view = view
        self.s_ip, self.s_iq, self.s_jp, self.s_jq = s[i, p], s[i, q], s[j, p], s[j, q]
        start = np.stack([x[i, q], x[j, p]])  # supply positions (round start)
        target = np.stack([x[j, q], x[i, p]])  # the partner's demand position
        # gain per unit of d_p: i's and j's, and |r s_iq - s_ip| (decide's first check)
        s_ip, s_iq, s_jp, s_jq = self.s_ip, self.s_iq, self.s_jp, self.s_jq
        gain = np.stack([s_ip - rate * s_iq, rate * s_jq - s_jp])
        # constants, gathered in one step: target, the supplier's weight, the total
        # weight on the supply issue, the first direction of each move, the rate (d_p
        # times it is each side's NBS shift), gains, red lines
        rows = [target, np.stack([w[i, q], w[j, p]]), np.stack([total[q], total[p]])]
        rows += [np.sign(target - start), np.stack([rate, np.ones(k)]), gain]
        rows.append(np.broadcast_to(np.abs(rate * s_iq - s_ip), (2, k)))
        self.red = red is not None
        if red is not None:  # each supplier's red lines on its supply issue (0-100 scale)
            rows += [np.stack([red[0][i, q], red[0][j, p]]), np.stack([red[1][i, q], red[1][j, p]])]
        self.const = np.stack(rows, axis=1)  # (2, fields, k)
        # state, gathered in one step: the supply positions the candidate sees, the sum of
        # its earlier moves, and the sum of c*s*x over the other actors as it sees it
        num = (w * x).sum(axis=0)
        self.state = np.stack(
            [
                start,
                np.zeros((2, k)),
                np.stack([num[q] - w[i, q] * x[i, q], num[p] - w[j, p] * x[j, p]]),
            ]
        )
        self.sup, self.prev, self.other = self.state[0], self.state[1], self.state[2]
        self.seen = np.full((2 * k, n), np.nan)  # by slot: side 0 on q, side 1 on p
        self.move, self.g = np.zeros((2, k)), np.zeros((2, k))
        self.g_i, self.g_j = self.g[0], self.g[1]
        self.d_p, self.key = np.zeros(k), np.zeros(k)
        m = x.shape[1]
        # who supplies each side's issue (i on q, j on p), who demands it (j on q, i on p)
        self.supplier = np.concatenate([i, j])
        self.supply = _Groups(np.concatenate([i * m + q, j * m + p]), n * m, k)
        self.demand = _Groups(np.concatenate([j * m + q, i * m + p]), n * m, k)

    def _valid(self, move: Arr, sup: Arr, prev: Arr, const: Arr) -> NDArray[np.bool_]:
        """decide's ``is_move_valid`` for moves (..., 2 sides, L): a real move, on the
        scale, in the first direction; and (added here) no vote beyond the supplier's red
        line. True where every move of a candidate is valid."""
        a = np.abs(move)
        new = sup + move
        top = 100 + _SLACK
        ok: NDArray[np.bool_] = (
            (a > _EPS)
            & (a <= top)
            & (new >= -_SLACK)
            & (new <= top)
            & (np.sign(move) == const[:, 3])
        )
        if self.red:
            ok &= (new >= const[:, 7] - _SLACK) & (new <= const[:, 8] + _SLACK)
        if self.view == "decide":
            ok &= prev + move <= top  # decide sums the (signed) moves it ever proposed
        rows = ok.reshape(-1, ok.shape[-1])
        every: NDArray[np.bool_] = rows[0] & rows[1]
        for row in rows[2:]:
            every &= row
        return every

    def evaluate(self, idx: IntArr, y: Arr, outcome: Arr) -> NDArray[np.bool_]:
        """Recompute candidates ``idx``; returns which are still valid."""
        const = self.const[:, :, idx]
        target, wsup, tot, rate2 = const[:, 0], const[:, 1], const[:, 2], const[:, 4]
        rate = rate2[0]
        decide = self.view == "decide"
        if decide:
            state = self.state[:, :, idx]
            sup, prev = state[0], state[1]
            nbs = (state[2] + wsup * sup) / tot
        else:
            c = self.c
            i, j, p, q = c.i[idx], c.j[idx], c.p[idx], c.q[idx]
            sup = np.stack([y[i, q], y[j, p]])
            nbs = np.stack([outcome[q], outcome[p]])
            self.sup[:, idx] = sup
            prev = self.prev[:, idx]
        sgn = np.where(sup > target, -1.0, 1.0)
        dist = np.abs(target - sup)
        # j moves all the way to i's position on p, unless i would then pass j's on q
        cap = dist * wsup / tot
        d_p0 = np.minimum(cap[1], cap[0] / rate)
        # neither NBS may shift past the demanding partner's position
        room = (target - nbs) * sgn
        if decide:
            # decide caps a shift only where it would cross the partner's position; an NBS
            # already there (up to rounding) leaves no room
            room = np.where(room > -_SLACK, np.maximum(room, 0.0), np.inf)
        d_p = np.maximum(np.minimum(d_p0, np.minimum(room[0] / rate, room[1])), 0.0)
        # a move that reaches the partner's position is exactly that distance
        size = d_p * rate2 * tot / wsup
        move = sgn * np.where(np.abs(size - dist) <= _SLACK, dist, size)
        gain = d_p * const[:, 5]  # i's and j's
        key = 0.5 * (gain[0] + gain[1])
        if decide:
            # decide first checks the moves before the NBS caps, and their gain
            moves = np.empty((2, *move.shape))
            moves[0] = sgn * np.minimum(d_p0 * rate2 * tot / wsup, dist)
            moves[1] = move
            ok = self._valid(moves, sup, prev, const)
            ok &= d_p0 * const[0, 6] >= _EPS
        else:
            ok = self._valid(move, sup, prev, const)
        ok &= (gain[0] >= 0) & (gain[1] >= 0) & (key > _EPS)
        self.d_p[idx], self.key[idx], self.g[:, idx], self.move[:, idx] = d_p, key, gain, move
        return ok

    def affected(self, b: int, live: NDArray[np.bool_]) -> IntArr:
        """Update the live candidates after candidate ``b`` was realised; those to recompute."""
        c = self.c
        a_i, a_j, q_r, p_r = int(c.i[b]), int(c.j[b]), int(c.q[b]), int(c.p[b])
        if self.view == "current":
            p, q = c.p, c.q
            touched = (p == p_r) | (q == p_r) | (p == q_r) | (q == q_r)
            return np.flatnonzero(touched & live)
        m = self.x.shape[1]
        y_i, y_j = (self.sup[:, b] + self.move[:, b]).tolist()  # new votes: a_i on q_r, a_j on p_r
        k = len(c)
        prev, move, sup = self.prev.reshape(-1), self.move.reshape(-1), self.sup.reshape(-1)
        # the same actor supplying the same issue: it continues from its new vote
        by_i, by_j = self.supply.live(a_i * m + q_r, live), self.supply.live(a_j * m + p_r, live)
        supplied = np.concatenate((by_i, by_j))
        prev[supplied] += move[supplied]
        sup[by_i], sup[by_j] = y_i, y_j
        # the same actor demanding the same issue: it learns its partner's new vote
        told_i = self.demand.live(a_j * m + q_r, live)  # a_i's vote on q_r
        told_j = self.demand.live(a_i * m + p_r, live)  # a_j's vote on p_r
        self._tell(told_i, a_i, q_r, y_i)
        self._tell(told_j, a_j, p_r, y_j)
        slots = np.concatenate((supplied, told_i, told_j))
        return slots % k  # may repeat: harmless

    def _tell(self, slots: IntArr, actor: int, issue: int, vote: float) -> None:
        """The candidate sides ``slots`` learn ``actor``'s ``vote`` on ``issue`` (decide's
        ``updates``)."""
        if slots.size == 0:
            return
        old = self.seen[slots, actor]
        start = self.x[actor, issue]
        fresh = np.isnan(old)
        # decide's update_updates: of two votes heard, keep the one nearer the start
        new = np.where(
            fresh,
            vote,
            np.where(start <= old, np.minimum(old, vote), np.maximum(old, vote)),
        )
        base = np.where(fresh, start, old)
        delta = np.where(self.supplier[slots] == actor, 0.0, self.w[actor, issue] * (new - base))
        self.other.reshape(-1)[slots] += delta
        self.seen[slots, actor] = new


def _red_lines(a: ScenarioArrays, scenario: Scenario) -> tuple[Arr, Arr] | None:
    """Every actor's acceptable range per issue on the 0-100 scale (``None``: no red lines)."""
    n, m = a.position.shape
    lo, hi = np.full((n, m), -np.inf), np.full((n, m), np.inf)
    found = False
    for i, actor in enumerate(scenario.actors):
        for k, iid in enumerate(a.issue_ids):
            stance = actor.positions.get(iid)
            red = stance.acceptable if stance is not None else None
            if red is None:
                continue
            found = True
            width = a.scale_max[k] - a.scale_min[k]
            if red.min is not None:
                lo[i, k] = (red.min - a.scale_min[k]) / width * 100.0
            if red.max is not None:
                hi[i, k] = (red.max - a.scale_min[k]) / width * 100.0
    return (lo, hi) if found else None


class Exchange(Model):
    name = "exchange"
    footprint_exponents = (2, 2)
    links_issues = True
    summary = "Stokman's exchange model: vote trading across issue pairs (equal gain, random rate)"
    references = (
        "Stokman & Van Oosten 1994",
        "Dijkstra, van Assen, Stokman & Draaijer 2018",
        "Sprinz et al. 2016",
    )
    options_type = ExchangeOptions
    options: ExchangeOptions

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        gen, seed = as_generator(rng)
        reps = self.options.repetitions
        stochastic = self.options.variant == "random_rate" or self.options.tie_break == "random"
        if reps == 1 or not stochastic:
            result = self._run_once(scenario, gen, seed)
            if stochastic:
                return one_draw(result, "exchange.repetitions")
            if reps > 1:
                note = Diagnostic(
                    "deterministic",
                    f"equal gain with ties in list order is deterministic: {reps} repetitions "
                    "would be identical, so the model ran once",
                )
                result = replace(result, diagnostics=(*result.diagnostics, note))
            return result
        runs = [self._run_once(scenario, child, seed) for child in gen.spawn(reps)]
        return _pool(runs, reps)

    def _run_once(
        self, scenario: Scenario, gen: np.random.Generator, seed: int | None
    ) -> ModelResult:
        opts = self.options
        a = scenario.arrays()
        n, m = a.position.shape
        lo, hi = a.scale_min, a.scale_max
        width = hi - lo
        present = a.present
        w = np.where(present, a.capability * a.salience, 0.0)
        total = w.sum(axis=0)
        # positions on 0-100; absent actors get weight 0 and a placeholder position
        x0 = np.where(present, (np.nan_to_num(a.position) - lo) / width * 100.0, 0.0)
        diagnostics: list[Diagnostic] = []
        no_weight = total <= 0
        fallback = np.zeros(m)
        for k in np.flatnonzero(no_weight):
            iid = a.issue_ids[k]
            if present[:, k].any():
                fallback[k] = float(x0[present[:, k], k].mean())
                msg = "no actor has positive capability x salience: NBS undefined, the "
                msg += "unweighted mean of positions is used and nobody can trade on it"
            else:
                fallback[k] = 50.0
                msg = "no actor takes part: the middle of the scale is used"
            diagnostics.append(Diagnostic("no_weight", msg, iid))
        usable = present & (w > 0)
        usable[:, no_weight] = False

        def outcome_of(pos: Arr) -> Arr:
            out = nbs(pos, w)
            return np.where(no_weight, fallback, out)

        def to_scale(v: Arr) -> Arr:
            return lo + v * width / 100.0

        trades_possible = m >= 2 and bool((usable.sum(axis=0) >= 2).sum() >= 2)
        if not trades_possible:
            why = (
                "a single issue: no exchange across issues is possible"
                if m < 2
                else "fewer than two issues with two or more actors who carry weight"
            )
            diagnostics.append(Diagnostic("no_exchange", why + "; the forecast is the NBS"))

        red = _red_lines(a, scenario)
        xs = [x0.copy()]
        votes: list[Arr] = []
        pref_nbs = [outcome_of(x0)]
        vote_nbs: list[Arr] = []
        counts: list[int] = []
        realised_counts: list[int] = []
        events: list[Event] = []
        converged = False
        x = x0.copy()
        rounds = opts.rounds if trades_possible else 0
        for t in range(1, rounds + 1):
            outcome = pref_nbs[-1]
            y, n_cand, made = self._round(t, x, outcome, w, total, a, usable, gen, events, red)
            counts.append(n_cand)
            realised_counts.append(made)
            votes.append(y)
            vote_nbs.append(outcome_of(y))
            step = opts.salience_weight * (1.0 - a.salience) + opts.fixed_weight
            x = np.where(usable, x + step * (y - x), x)
            xs.append(x.copy())
            pref_nbs.append(outcome_of(x))
            if made == 0:
                converged = True
                break

        run_rounds = len(votes)
        if trades_possible and run_rounds and sum(realised_counts) == 0:
            diagnostics.append(
                Diagnostic(
                    "no_exchange",
                    "no two actors are on opposite sides of the NBS on two issues with a "
                    "gain to trade; the forecast is the NBS",
                )
            )
        status: Status
        if run_rounds == 0:
            status = "static"
        elif converged:
            status = "converged"
        else:
            status = "max_rounds"
        if opts.forecast == "voting":
            path = np.stack([pref_nbs[0], *vote_nbs])
        else:
            path = np.stack(pref_nbs)
        forecast = to_scale(path[-1])
        absent = ~present
        trajectory = to_scale(np.stack(xs)[:, :, :])
        trajectory[:, absent] = np.nan
        voting = to_scale(np.stack(votes)) if votes else np.zeros((0, n, m))
        if votes:
            voting[:, absent] = np.nan
        extra = {
            "nbs_preference": to_scale(np.stack(pref_nbs)),
            "nbs_voting": to_scale(np.stack(vote_nbs)) if vote_nbs else np.zeros((0, m)),
            "voting_positions": voting,
            "candidates": tuple(counts),
            "realised": tuple(realised_counts),
        }
        result = ModelResult(
            model=self.name,
            scenario_id=scenario.id,
            options=opts.model_dump(),
            actor_ids=a.actor_ids,
            issue_ids=a.issue_ids,
            forecast=forecast,
            status=tuple(status for _ in range(m)),
            trajectory=trajectory,
            forecast_path=to_scale(path),
            events=tuple(events),
            diagnostics=tuple(diagnostics),
            extra=extra,
            seed=seed,
        )
        return bind(result, scenario, enabled=opts.decision_rules)

    def _round(
        self,
        t: int,
        x: Arr,
        outcome: Arr,
        w: Arr,
        total: Arr,
        a: ScenarioArrays,
        usable: NDArray[np.bool_],
        gen: np.random.Generator,
        events: list[Event],
        red: tuple[Arr, Arr] | None = None,
    ) -> tuple[Arr, int, int]:
        """One round: returns the voting positions, the candidate count and the trades made."""
        opts = self.options
        s, actor_ids, issue_ids = a.salience, a.actor_ids, a.issue_ids
        lo, width = a.scale_min, a.scale_max - a.scale_min
        cand = candidates(x, usable, outcome, s, below=opts.side_rule == "below")
        k = len(cand)
        y = x.copy()
        if k == 0:
            return y, 0, 0
        i, j, p, q = cand.i, cand.j, cand.p, cand.q
        s_ip, s_iq, s_jp, s_jq = s[i, p], s[i, q], s[j, p], s[j, q]
        rate = (s_ip + s_jp) / (s_iq + s_jq)
        if opts.variant == "random_rate" and opts.randomness > 0:
            u = gen.random(k)
            z = gen.random(k)
            hi_rate = s_ip / s_iq  # i gains nothing
            lo_rate = s_jp / s_jq  # j gains nothing
            frac = opts.randomness * z
            rate = np.where(u < 0.5, rate + frac * (hi_rate - rate), rate - frac * (rate - lo_rate))
        rnd = _Round(cand, x, w, total, rate, s, opts.nbs_view, red)
        out = outcome.copy()
        current = opts.nbs_view == "current"
        ok = rnd.evaluate(np.arange(k, dtype=np.intp), y, out)
        live = ok.copy()
        key = np.where(ok, rnd.key, -np.inf)
        made = 0

        def scale(v: float, d: int) -> float:
            return float(lo[d] + v * width[d] / 100.0)

        # decide's list, re-sorted (stably) every step; realised or invalid candidates never
        # come back, so they leave the list (keeping the others' order)
        order = np.arange(k, dtype=np.intp)
        rounded = np.round(key, _DIGITS)  # gains equal up to rounding are ties
        while True:
            order = order[live[order]]
            if order.size == 0:
                break
            order = order[np.argsort(-rounded[order], kind="stable")]
            best = int(order[0])
            if opts.tie_break == "random":
                tied = order[rounded[order] == rounded[best]]
                if tied.size > 1:
                    best = int(gen.choice(tied))
            bi, bj, bp, bq = int(i[best]), int(j[best]), int(p[best]), int(q[best])
            dp = float(rnd.d_p[best])
            dq = dp * float(rate[best])
            before_j, before_i = float(y[bj, bp]), float(y[bi, bq])
            new_i, new_j = (rnd.sup[:, best] + rnd.move[:, best]).tolist()
            y[bj, bp], y[bi, bq] = new_j, new_i
            if current:  # only this view reads the NBS of the current votes
                for d in (bp, bq):
                    out[d] = float((w[:, d] * y[:, d]).sum() / total[d])
            made += 1
            gi, gj = float(rnd.g_i[best]), float(rnd.g_j[best])
            ratio = float(rate[best])
            ai, aj, ip_, iq_ = actor_ids[bi], actor_ids[bj], issue_ids[bp], issue_ids[bq]
            common = {"exchange": float(made), "rate": ratio}
            sides = (
                (ai, aj, iq_, ip_, bq, before_i, new_i, gi, gj, dq, dp),
                (aj, ai, ip_, iq_, bp, before_j, new_j, gj, gi, dp, dq),
            )
            for who, partner, gives, gets, d, was, now, own, other, shift, back in sides:
                events.append(
                    Event(
                        round=t,
                        issue=gives,
                        kind="exchange",
                        actor=who,
                        counterpart=partner,
                        before=scale(was, d),
                        after=scale(now, d),
                        values={
                            **common,
                            "gain": own,
                            "counterpart_gain": other,
                            "nbs_shift_given": shift,
                            "nbs_shift_received": back,
                        },
                        text=f"{who} gives on {gives} to {partner} for {gets} (gain {own:.4g})",
                    )
                )
            live[best] = False
            idx = rnd.affected(best, live)
            if idx.size:
                okn = rnd.evaluate(idx, y, out)
                live[idx] = okn
                rounded[idx] = np.round(rnd.key[idx], _DIGITS)
        return y, k, made


def trades_frame(result: ModelResult) -> pd.DataFrame:
    """One row per realised trade of an exchange run: both sides, votes, gains, rate.

    Side ``i`` gives on ``issue_i`` (its vote ``from_i`` -> ``to_i``, on the issue's scale)
    and receives on ``issue_j``, where side ``j`` moves. ``rate`` is the outcome shift on
    ``issue_i`` per unit of shift on ``issue_j``; gains and shifts are on the 0-100 scale.
    """
    import pandas as pd

    cols = [
        "round", "exchange", "actor_i", "issue_i", "from_i", "to_i", "actor_j", "issue_j",
        "from_j", "to_j", "gain_i", "gain_j", "rate", "shift_i", "shift_j",
    ]  # fmt: skip
    ev = [e for e in result.events if e.kind == "exchange"]
    rows = [
        [
            a.round,
            int(a.values["exchange"]),
            a.actor,
            a.issue,
            a.before,
            a.after,
            b.actor,
            b.issue,
            b.before,
            b.after,
            a.values["gain"],
            b.values["gain"],
            a.values["rate"],
            a.values["nbs_shift_given"],
            b.values["nbs_shift_given"],
        ]
        for a, b in zip(ev[::2], ev[1::2], strict=True)
    ]
    return pd.DataFrame(rows, columns=cols)


def _pool(runs: list[ModelResult], reps: int) -> ModelResult:
    """Repetitions of a stochastic variant: the forecast is the mean of the runs' forecasts.

    The trajectory, paths and events are the first repetition's; every repetition's
    forecast is in ``extra["repetition_forecasts"]`` (repetitions x issues) with its
    5/50/95 % quantiles in ``extra["forecast_quantiles"]``, and the trade counts in
    ``extra["repetition_realised"]``, so that interval scores (coverage, CRPS) can use them.
    """
    first = runs[0]
    draws = np.stack([r.forecast for r in runs])
    extra = dict(first.extra)
    extra["repetition_forecasts"] = draws
    extra["forecast_quantiles"] = np.quantile(draws, [0.05, 0.5, 0.95], axis=0)
    extra["repetition_realised"] = tuple(sum(r.extra["realised"]) for r in runs)
    extra["stochastic"] = True
    if "decision_rule" in first.extra:
        unbound = np.stack([unbound_forecasts(r) for r in runs])
        extra["decision_rule"] = pooled_records(first, unbound, draws)
    note = Diagnostic(
        "repetitions",
        f"forecast is the mean over {reps} independent runs (spawned from the seed); "
        "trajectory, paths and events are the first run's",
    )
    statuses = {r.status for r in runs}
    status: tuple[Status, ...] = first.status
    if len(statuses) > 1:  # some runs stopped trading, some did not
        status = tuple("max_rounds" for _ in first.status)
    return replace(
        first,
        forecast=draws.mean(axis=0),
        status=status,
        diagnostics=(*first.diagnostics, note),
        extra=extra,
    )
