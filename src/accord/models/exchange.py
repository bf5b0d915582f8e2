"""Stokman's exchange model: actors trade voting positions across pairs of issues.

An actor that cares little about issue q and much about issue p gives ground on q to a
partner who cares the other way round, and receives ground on p in return (Stokman & Van
Oosten 1994; Dijkstra, van Assen, Stokman & Draaijer; applied to the climate talks by
Sprinz et al. 2016). This module reproduces the equal-gain model of decide-exchange-model
(Stokman's model as implemented by J. Dijkstra's group, ``foarsitter/decide-exchange-model``)
and adds the random-rate variant. It is an independent implementation, vectorised over
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

with :math:`y` the current voting positions, :math:`O` the NBS of the current votes and
:math:`\\sigma` the direction of the move. The voting moves are
:math:`\\Delta_p W_p / (c_{jp} s_{jp})` and :math:`\\Delta_q W_q / (c_{iq} s_{iq})`.

Random rate (option ``variant="random_rate"``). Instead of the equal-gain rate, the rate
is drawn between the equal-gain rate and the rate at which one side gains nothing
(:math:`s_{ip}/s_{iq}` or :math:`s_{jp}/s_{jq}`, the side chosen with probability 1/2),
a fraction :math:`p\\,z` of the way, :math:`z \\sim U(0, 1)`, ``randomness`` = p; p = 0 is
the equal-gain model, p = 1 spans every rate that leaves neither side worse off (the
random-rate model of Dijkstra et al.; decide's randomised gain with parameter p draws in
the space of gains instead). Candidates are then ranked by the mean of the two gains.

A round. (1) NBS of the start positions; candidates from the sides. (2) Realise the
candidate with the highest gain, update the two votes, recompute the NBS of the votes and
re-evaluate every remaining candidate on the two issues touched; a candidate whose move
would reverse an earlier move of the same actor on the same issue in this round, or whose
gain is no longer positive, is dropped (decide's ``remove_invalid_exchanges``). Repeat
until no candidate is left. (3) The NBS of the voting positions is the round's outcome.
(4) New start positions (decide's ``new_start_position``):

.. math:: x'_{id} = x_{id} + (a (1 - s_{id}) + b)(y_{id} - x_{id}), \\quad a = 0.4, b = 0.1 .

The forecast is the NBS of the last round's voting positions (``forecast="voting"``) or of
the last start positions (``"preference"``). The run stops early, ``converged``, when a
round has no exchange left.

Differences from decide-exchange-model (deliberate, documented):

* decide lets each candidate see only some of the moves already made in the round (its
  ``updates`` dictionary covers moves on an issue one of the pair demands); here every
  candidate is evaluated against the NBS of all current votes.
* where the NBS cap binds, decide computes the capped move as the *absolute* position
  that puts the NBS on the partner's position (``adjusted_nbs_by_position``), which is
  the move only when the supplier sits at 0; here the move is that position minus the
  supplier's current vote.
* decide breaks exact ties of gain at random (unseeded); here ties go to the first
  candidate in issue-pair order (or, with ``tie_break="random"``, to a seeded draw).
* decide drops actor-issue rows with salience 0 and fails on zero power; here actors
  with zero capability x salience on an issue take no part in exchanges on it.

References
----------
* Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an
  object-oriented model of policy networks. In Bueno de Mesquita & Stokman (eds.),
  *European Community Decision Making*, Yale UP, 105-127.
* Dijkstra, J., van Assen, M. A. L. M., Stokman, F. N. & Draaijer, ... Exchange models
  of collective decision making (equal-gain and random-rate exchange); see decide's
  ``docs/bibliography.md``.
* Sprinz, D. F., Bueno de Mesquita, B., Kallbekken, S., Stokman, F., Sælen, H. &
  Thomson, R. (2016). Predicting Paris: multi-method approaches to forecast the outcomes
  of global climate negotiations. *Politics and Governance* 4(3), 172-187.
* decide-exchange-model, https://github.com/foarsitter/decide-exchange-model (GPL-3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
)
from accord.scenario.schema import Scenario, ScenarioArrays

__all__ = ["Candidates", "Exchange", "ExchangeOptions", "candidates", "nbs"]

Arr = NDArray[np.float64]
IntArr = NDArray[np.intp]
_EPS = 1e-10  # decide's threshold for a move or a gain that counts
_TIE = 1e-12  # gains this close (relative) are ties


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


@dataclass
class _Round:
    """Per-candidate constants of one round and the evaluation against current votes."""

    c: Candidates
    w: Arr  # (n, m) capability x salience
    total: Arr  # (m,) W_d
    x_ip: Arr  # i's ideal position on p (demand side)
    x_jq: Arr
    dir_j: Arr  # direction of j's move on p
    dir_i: Arr
    w_jp: Arr
    w_iq: Arr
    gain_i_coef: tuple[Arr, Arr]  # (s_ip, s_iq)
    gain_j_coef: tuple[Arr, Arr]  # (s_jq, s_jp)
    rate: Arr  # Delta_q / Delta_p

    def evaluate(
        self, idx: IntArr, y: Arr, outcome: Arr
    ) -> tuple[Arr, Arr, Arr, NDArray[np.bool_]]:
        """For candidates ``idx``: (Delta_p, gain_i, gain_j, feasible)."""
        c = self.c
        i, j, p, q = c.i[idx], c.j[idx], c.p[idx], c.q[idx]
        x_ip, x_jq = self.x_ip[idx], self.x_jq[idx]
        dj, di = self.dir_j[idx], self.dir_i[idx]
        rate = self.rate[idx]
        rem_j = (x_ip - y[j, p]) * dj
        rem_i = (x_jq - y[i, q]) * di
        room_p = (x_ip - outcome[p]) * dj
        room_q = (x_jq - outcome[q]) * di
        cap_j = rem_j * self.w_jp[idx] / self.total[p]
        cap_i = rem_i * self.w_iq[idx] / self.total[q] / rate
        d_p: Arr = np.maximum(
            np.minimum(np.minimum(cap_j, room_p), np.minimum(cap_i, room_q / rate)), 0.0
        )
        s_ip, s_iq = self.gain_i_coef
        s_jq, s_jp = self.gain_j_coef
        g_i = d_p * (s_ip[idx] - rate * s_iq[idx])
        g_j = d_p * (rate * s_jq[idx] - s_jp[idx])
        move_j = d_p * self.total[p] / self.w_jp[idx]
        move_i = d_p * rate * self.total[q] / self.w_iq[idx]
        ok = (
            (rem_j > _EPS)
            & (rem_i > _EPS)
            & (move_j > _EPS)
            & (move_i > _EPS)
            & (g_i >= 0)
            & (g_j >= 0)
            & (0.5 * (g_i + g_j) > _EPS)
        )
        return d_p, g_i, g_j, ok


class Exchange(Model):
    name = "exchange"
    summary = "Stokman's exchange model: vote trading across issue pairs (equal gain, random rate)"
    references = (
        "Stokman & Van Oosten 1994",
        "Dijkstra, van Assen, Stokman & Draaijer",
        "Sprinz et al. 2016",
    )
    options_type = ExchangeOptions
    options: ExchangeOptions

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        gen, seed = as_generator(rng)
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
            y, n_cand, made = self._round(t, x, outcome, w, total, a, usable, gen, events)
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
        return ModelResult(
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
        x_ip, x_jq = x[i, p], x[j, q]
        rnd = _Round(
            c=cand,
            w=w,
            total=total,
            x_ip=x_ip,
            x_jq=x_jq,
            dir_j=np.sign(x_ip - x[j, p]),
            dir_i=np.sign(x_jq - x[i, q]),
            w_jp=w[j, p],
            w_iq=w[i, q],
            gain_i_coef=(s_ip, s_iq),
            gain_j_coef=(s_jq, s_jp),
            rate=rate,
        )
        out = outcome.copy()
        every = np.arange(k, dtype=np.intp)
        d_p, g_i, g_j, ok = rnd.evaluate(every, y, out)
        key = np.where(ok, 0.5 * (g_i + g_j), -np.inf)
        made = 0
        while True:
            top = float(key.max())
            if not np.isfinite(top):
                break
            # gains equal up to rounding are ties: the first in order, or a seeded draw
            tied = np.flatnonzero(key >= top - _TIE * max(1.0, abs(top)))
            best = int(tied[0])
            if opts.tie_break == "random" and tied.size > 1:
                best = int(gen.choice(tied))
            bi, bj, bp, bq = int(i[best]), int(j[best]), int(p[best]), int(q[best])
            dp = float(d_p[best])
            dq = dp * float(rate[best])
            before_j, before_i = float(y[bj, bp]), float(y[bi, bq])
            move_j = dp * total[bp] / w[bj, bp]
            move_i = dq * total[bq] / w[bi, bq]
            new_j = before_j + rnd.dir_j[best] * move_j
            new_i = before_i + rnd.dir_i[best] * move_i
            # a move that reaches the partner's position lands exactly on it
            if abs(new_j - x_ip[best]) <= 1e-12 * 100:
                new_j = float(x_ip[best])
            if abs(new_i - x_jq[best]) <= 1e-12 * 100:
                new_i = float(x_jq[best])
            y[bj, bp], y[bi, bq] = new_j, new_i
            for d in (bp, bq):
                out[d] = float((w[:, d] * y[:, d]).sum() / total[d])
            made += 1
            gi, gj = float(g_i[best]), float(g_j[best])
            ratio = float(rate[best])
            ai, aj, ip_, iq_ = actor_ids[bi], actor_ids[bj], issue_ids[bp], issue_ids[bq]

            def scale(v: float, d: int) -> float:
                return float(lo[d] + v * width[d] / 100.0)

            common = {"exchange": float(made), "rate": ratio}
            events.append(
                Event(
                    round=t,
                    issue=iq_,
                    kind="exchange",
                    actor=ai,
                    counterpart=aj,
                    before=scale(before_i, bq),
                    after=scale(new_i, bq),
                    values={
                        **common,
                        "gain": gi,
                        "counterpart_gain": gj,
                        "nbs_shift_given": dq,
                        "nbs_shift_received": dp,
                    },
                    text=f"{ai} gives on {iq_} to {aj} for {ip_} (gain {gi:.4g})",
                )
            )
            events.append(
                Event(
                    round=t,
                    issue=ip_,
                    kind="exchange",
                    actor=aj,
                    counterpart=ai,
                    before=scale(before_j, bp),
                    after=scale(new_j, bp),
                    values={
                        **common,
                        "gain": gj,
                        "counterpart_gain": gi,
                        "nbs_shift_given": dp,
                        "nbs_shift_received": dq,
                    },
                    text=f"{aj} gives on {ip_} to {ai} for {iq_} (gain {gj:.4g})",
                )
            )
            key[best] = -np.inf
            # re-evaluate the live candidates that involve either issue just moved
            touched = (p == bp) | (q == bp) | (p == bq) | (q == bq)
            idx = np.flatnonzero(touched & np.isfinite(key))
            if idx.size:
                dpn, gin, gjn, okn = rnd.evaluate(idx, y, out)
                d_p[idx], g_i[idx], g_j[idx] = dpn, gin, gjn
                key[idx] = np.where(okn, 0.5 * (gin + gjn), -np.inf)
        return y, k, made
