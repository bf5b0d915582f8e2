"""The SMP kernel with a batch axis: many independent problems of one shape in one pass.

:func:`smp_paths` runs B problems with the same actor count n and dimension count D
(positions ``(B, n, D)``, saliences ``(B, n, D)``, capabilities ``(B, n)``) through the
arithmetic of :func:`accord.models.smp_core.smp_path`, one vectorised step for all
problems still running. Uses: B seeded Monte Carlo draws of one scenario under
stochastic transitions (each draw has its own generator, consumed exactly as a single run
consumes it), and B one-issue scenarios of equal actor count (the DEU back-test).

The parts that differ between problems are padded and masked rather than looped over:

* distinct positions (``unique_positions``): an election over all n positions in which
  only each cluster's representative is an option (the others' columns are masked);
* bargains: slot i holds actor i's proposal, if it made one (at most one per actor), so
  the queues are ``(B, n, n + 1)`` masks over the status quo and the n slots;
* stopping: a problem that has stopped leaves the active set and no longer changes.

Each problem's numbers equal its single run's up to the order of floating-point sums
(≈10⁻¹⁶ relative), which the tests check to 10⁻¹². Supported: the conditional PCE and the
``init_only`` bargain model (KTAB's defaults), every voting rule, victory model,
commitment rule, interpolation and both transition rules; other settings, problems
with fewer than two actors, and problems too large for one batched chunk within
``ACCORD_MAX_BLOCK_BYTES`` (:func:`problems_per_chunk`: above 118 actors at the default
128 MiB) are run one by one with :func:`~accord.models.smp_core.smp_path`, which works its
cubes in blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord import limits
from accord.models.smp_core import (
    MIN_CHALLENGE,
    MIN_COALITION,
    MIN_SIG_GAIN,
    STOP_MIN_SIG_DELTA,
    TIE,
    RoundBargains,
    SMPConfig,
    SMPPath,
    VotingRule,
    _third_party_difference,
    estimated_risk,
    interpolate,
    smp_path,
    unique_positions,
    utility,
    victory_matrix,
    vote,
)

__all__ = ["BATCH_ARRAYS", "batchable", "problems_per_chunk", "smp_paths"]

F = NDArray[np.float64]
I = NDArray[np.intp]  # noqa: E741
B_ = NDArray[np.bool_]

BATCH_ARRAYS = 10  # (problem, n, n, n) float arrays alive at once in a batched step


def problems_per_chunk(n: int) -> int:
    """Problems of n actors batched at once within ``ACCORD_MAX_BLOCK_BYTES``; 0 when not
    even one problem's cubes fit (those problems run one by one in the blocked
    :func:`~accord.models.smp_core.smp_path`)."""
    return limits.BLOCK.value // (BATCH_ARRAYS * 8 * max(n, 1) ** 3)


def batchable(cfg: SMPConfig, n: int) -> bool:
    """Whether :func:`smp_paths` batches these problems (else it runs them one by one)."""
    return cfg.pce == "conditional" and cfg.bargain_model == "init_only" and n >= 2


# -- one state, batched -------------------------------------------------------------------


def _coalitions(rule: VotingRule, w: F, u: F) -> F:
    """Batched :func:`~accord.models.smp_core.coalitions`: ``w`` (B, k), ``u`` (B, k, m)."""
    du = u[:, :, :, None] - u[:, :, None, :]  # (B, k, a, b)
    m = u.shape[-1]
    eye = np.eye(m, dtype=bool)
    if rule != "asym_prosp" and (w >= 0).all():
        f = du if rule == "prop" else vote(rule, 1.0, du)
        np.maximum(f, 0.0, out=f)
        f *= w[:, :, None, None]
        pro: F = f.sum(axis=1)  # over voters in voter order, as smp_core.coalitions
        pro += MIN_COALITION
        pro[:, eye] = MIN_COALITION
        return pro
    v = vote(rule, w[:, :, None, None], du)
    pro = MIN_COALITION + np.maximum(v, 0.0).sum(axis=1)
    con = MIN_COALITION + np.maximum(-v, 0.0).sum(axis=1)
    c = np.where(np.tri(m, m, -1, dtype=bool), pro, np.swapaxes(con, -1, -2))
    return np.asarray(np.where(eye, MIN_COALITION, c))


def _conditional(cfg: SMPConfig, strength: F, option: B_) -> tuple[F, B_]:
    """Conditional PCE per problem over the options marked in ``option`` (B, m)."""
    with np.errstate(divide="ignore"):
        logv = np.log(victory_matrix(cfg.victory_prob, strength))
    logp = np.where(option[:, None, :], logv, 0.0).sum(axis=2)
    logp = np.where(option, logp, -np.inf)
    top = logp.max(axis=1, keepdims=True)
    ok = np.isfinite(top[:, 0])
    q = np.exp(logp - np.where(np.isfinite(top), top, 0.0))
    q = np.where(option, q, 0.0)
    p = q / np.where(ok, q.sum(axis=1), 1.0)[:, None]
    uniform = option / option.sum(axis=1, keepdims=True)
    return np.where(ok[:, None], p, uniform), ok


def _unique(x: F, tol: float) -> tuple[B_, I]:
    """Per problem: which actors represent a distinct position, and each actor's one."""
    n = x.shape[1]
    idx = np.arange(n)
    close = np.sqrt(((x[:, :, None, :] - x[:, None, :, :]) ** 2).sum(axis=3)) < tol
    first = np.argmax(close, axis=2)  # (B, n)
    equiv = (close == close[np.arange(x.shape[0])[:, None], first]).all(axis=(1, 2))
    rep_of = np.where(equiv[:, None], first, idx[None, :])
    for b in np.flatnonzero(~equiv):  # "within tol" is not an equivalence: KTAB's scan
        unique, group = unique_positions(x[b], tol)
        rep_of[b] = unique[group]
    return rep_of == idx[None, :], np.asarray(rep_of, dtype=np.intp)


@dataclass
class _View:
    x: F  # (B, n, D)
    util: F  # (B, h, i, j)
    own: F  # (B, i, j)
    risk: F  # (B, n)
    win: F  # (B, n)
    expected: F  # (B, D)
    risk_ok: B_
    pce_ok: B_

    def take(self, keep: B_) -> _View:
        return _View(*(getattr(self, f)[keep] for f in _VIEW_FIELDS))


_VIEW_FIELDS = ("x", "util", "own", "risk", "win", "expected", "risk_ok", "pce_ok")


def _evaluate(x: F, s: F, c: F, cfg: SMPConfig) -> _View:
    bsz, n, _ = x.shape
    s2 = s**2
    den = s2.sum(axis=2)
    diff2 = (x[:, None, :, :] - x[:, :, None, :]) ** 2  # (B, i, j, D)
    num = np.einsum("bijd,bid->bij", diff2, s2)
    ok = den > 0
    d = np.sqrt(np.where(ok[:, :, None], num / np.where(ok, den, 1.0)[:, :, None], 0.0))
    neutral = utility(d, np.zeros((bsz, n, 1)))
    every = np.ones((bsz, n), dtype=bool)
    p_neutral, ok1 = _conditional(cfg, _coalitions(cfg.voting_rule, c, neutral), every)
    lo, hi = p_neutral.min(axis=1, keepdims=True), p_neutral.max(axis=1, keepdims=True)
    spread = hi - lo
    risk_ok = spread[:, 0] > 1e-12
    safe = np.where(risk_ok[:, None], spread, 1.0)
    if cfg.big_r_range == "min":
        r = (p_neutral - lo) / safe
    elif cfg.big_r_range == "mid":
        r = (3.0 * p_neutral - (hi + 2.0 * lo)) / (2.0 * safe)
    else:
        r = (2.0 * p_neutral - (hi + lo)) / safe
    risk = np.where(risk_ok[:, None], r, 0.0)
    rhi = estimated_risk(risk[:, :, None], risk[:, None, :], cfg.big_r_adjust)  # (B, h, i)
    util = np.minimum(d, 1.0)[:, None, :, :] * rhi[:, :, :, None]
    util += 1.0
    util *= (1.0 - d)[:, None, :, :]
    own = utility(d, risk[:, :, None])
    is_rep, rep_of = _unique(x, cfg.position_tolerance)
    p_pos, ok2 = _conditional(cfg, _coalitions("prop", c, own), is_rep)
    win = np.take_along_axis(p_pos, rep_of, axis=1)
    expected = np.einsum("bn,bnd->bd", p_pos, x)
    return _View(x, util, own, risk, win, expected, risk_ok, ok1 & ok2)


def _pairs(v: _View, s_total: F, c: F, cfg: SMPConfig) -> tuple[F, F]:
    """Batched ``all_pairs_gain``: each i's estimate for challenging each j, (B, i, j)."""
    u = v.util  # (B, h, a, b), h = the initiator i
    n = u.shape[1]
    idx = np.arange(n)
    rule = cfg.voting_rule
    own_col = np.einsum("ziai->zia", u)  # U_i(a, i)
    own_row = np.einsum("ziij->zij", u)  # U_i(i, b)
    diag = np.einsum("ziaa->zia", u)  # U_i(a, a)
    uii = np.einsum("ziii->zi", u)
    w = s_total * c  # (B, n)
    ci = vote(rule, w[:, :, None], uii[:, :, None] - own_row)
    cj = vote(rule, w[:, None, :], own_col - diag)
    base_ij = MIN_CHALLENGE + np.maximum(ci, 0) + np.maximum(cj, 0)
    base_ji = MIN_CHALLENGE + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    wi, wj = w[:, :, None], w[:, None, :]
    if rule == "prop" and cfg.third_party_commit == "semi_commit" and (w >= 0).all():
        # The default, laid out (B, i, n, j) so that u[z, i, n, j] = U_i(n, j) is read in
        # place; elementwise the arithmetic of smp_core._pairs_rows: a = u_ni - u_nj,
        # e = u_nn - u_ni, pin = (B_ij + max(w a, 0)) / (B_ij + B_ji + |w a|) (w >= 0, so
        # w max(a, 0) = max(w a, 0) exactly), and the third party's vote w d with
        # d = pin (a + 2e) - e - a.
        uni = own_col[:, :, :, None]
        e = diag[:, :, :, None] - uni
        a = uni - u
        wa = a * w[:, None, :, None]
        pin = np.maximum(wa, 0)
        pin += base_ij[:, :, None, :]
        np.abs(wa, out=wa)
        wa += (base_ij + base_ji)[:, :, None, :]
        pin /= wa
        d = a + 2 * e
        d *= pin
        d -= e
        d -= a
        wrow = w[:, None, None, :]
        up = (wrow @ np.maximum(d, 0))[:, :, 0, :]  # sum over third parties n
        net = (wrow @ d)[:, :, 0, :]
        d_i = np.einsum("ziij->zij", d)  # n = i
        d_j = np.einsum("zijj->zij", d)  # n = j
        up -= np.maximum(d_i, 0) * wi + np.maximum(d_j, 0) * wj
        net -= d_i * wi + d_j * wj
        chij = base_ij + up
        chji = base_ji + up - net
    else:
        uni = own_col[:, :, None, :]  # (B, i, 1, n)
        unj = np.swapaxes(u, 2, 3)  # (B, i, j, n) = U_i(n, j)
        unn = diag[:, :, None, :]
        wn = w[:, None, None, :]
        v0 = vote(rule, wn, uni - unj)
        pro = base_ij[:, :, :, None] + np.maximum(v0, 0)
        con = base_ji[:, :, :, None] + np.maximum(-v0, 0)
        pin = pro / (pro + con)
        vn = vote(rule, wn, _third_party_difference(cfg.third_party_commit, pin, uni, unj, unn))
        third = (idx[None, None, :] != idx[:, None, None]) & (
            idx[None, None, :] != idx[None, :, None]
        )
        vn = np.where(third[None], vn, 0.0)
        up = np.maximum(vn, 0).sum(axis=3)
        chij = base_ij + up
        chji = base_ji + up - vn.sum(axis=3)
    p = chij / (chij + chji)
    uki, ukj = uii[:, :, None], own_row
    sj = s_total[:, None, :]
    gain = (1 - sj) * 2 * uki + sj * (p * 2 * uki + (1 - p) * 2 * ukj) - (uki + ukj)
    return p, gain


def _first_max(v: F) -> I:
    top = v.max(axis=-1, keepdims=True)
    return np.asarray(np.argmax(v >= top - TIE, axis=-1), dtype=np.intp)


@dataclass
class _Round:
    """One step of the active problems: slot i is actor i's bargain where ``valid``."""

    valid: B_  # (B, n)
    rcvr: I  # (B, n)
    pos_init: F  # (B, n, D)
    pos_rcvr: F
    p_win: F  # (B, n)
    gain: F
    chosen_slot: I  # (B, n), -1 for the status quo


def _step(
    v: _View,
    s: F,
    s_total: F,
    c: F,
    cfg: SMPConfig,
    rngs: Sequence[np.random.Generator] | None,
) -> tuple[F, _Round]:
    x = v.x
    bsz, n, _ = x.shape
    idx = np.arange(n)
    p, gain = _pairs(v, s_total, c, cfg)
    gain = np.where(np.eye(n, dtype=bool) | ~(gain > MIN_SIG_GAIN), -np.inf, gain)
    best = _first_max(gain)  # (B, n)
    ga = np.take_along_axis(gain, best[:, :, None], axis=2)[:, :, 0]
    pa = np.take_along_axis(p, best[:, :, None], axis=2)[:, :, 0]
    valid = np.isfinite(ga)
    xj = np.take_along_axis(x, best[:, :, None], axis=1)
    sj = np.take_along_axis(s, best[:, :, None], axis=1)
    pos_i, pos_r = interpolate(cfg.interpolation, x, s, pa[:, :, None], xj, sj, 1 - pa[:, :, None])
    new_x = x.copy()
    chosen = np.full((bsz, n), -1, dtype=np.intp)
    if valid.any():
        total = v.own.sum(axis=2)  # (B, k)
        s2 = s**2
        den = s2.sum(axis=2)
        okd = den > 0

        def util_of(y: F) -> F:  # (B, k, slot): k's utility of point y[slot]
            diff2 = (x[:, :, None, :] - y[:, None, :, :]) ** 2
            num = np.einsum("bkld,bkd->bkl", diff2, s2)
            dist = np.sqrt(np.where(okd[:, :, None], num / np.where(okd, den, 1.0)[:, :, None], 0))
            return utility(dist, v.risk[:, :, None])

        own_r = np.take_along_axis(v.own, np.broadcast_to(best[:, None, :], (bsz, n, n)), axis=2)
        ub = (total[:, :, None] - v.own - own_r + util_of(pos_i) + util_of(pos_r)) / n
        ub = np.concatenate([(total / n)[:, :, None], ub], axis=2)  # column 0: status quo
        member = valid[:, None, :] & (
            (idx[None, :, None] == idx[None, None, :]) | (best[:, None, :] == idx[None, :, None])
        )  # (B, k, slot)
        movers = member.any(axis=2)
        queue_of = np.concatenate([np.ones((bsz, n, 1), dtype=bool), member], axis=2)
        strength = _coalitions(cfg.voting_rule, c, ub)
        with np.errstate(divide="ignore"):
            logv = np.log(victory_matrix(cfg.victory_prob, strength))
        logv = np.where(np.isfinite(logv), logv, -1e300)
        logp = np.where(queue_of, queue_of.astype(float) @ np.swapaxes(logv, 1, 2), -np.inf)
        prob = np.exp(logp - logp.max(axis=2, keepdims=True))
        prob /= prob.sum(axis=2, keepdims=True)
        if cfg.transitions == "stochastic" and rngs is not None:
            draws = np.zeros((bsz, n))
            for b in np.flatnonzero(movers.any(axis=1)):
                draws[b, movers[b]] = rngs[int(b)].random(int(movers[b].sum()))
            cum = np.cumsum(prob, axis=2)
            pick = (cum < draws[:, :, None] * cum[:, :, -1:]).sum(axis=2)
            last = n - np.argmax(queue_of[:, :, ::-1], axis=2)
            pick = np.minimum(pick, last)
        else:
            pick = _first_max(np.where(queue_of, prob, -np.inf))
        slot = np.where(movers, pick - 1, -1)
        chosen = slot
        take = slot >= 0
        sl = np.maximum(slot, 0)
        target = np.where(
            (sl == idx[None, :])[:, :, None],
            np.take_along_axis(pos_i, sl[:, :, None], axis=1),
            np.take_along_axis(pos_r, sl[:, :, None], axis=1),
        )
        new_x = np.where(take[:, :, None], target, x)
    return new_x, _Round(valid, best, pos_i, pos_r, pa, ga, chosen)


# -- the driver ---------------------------------------------------------------------------


class _Track:
    """What one problem accumulates while it runs."""

    def __init__(self, view: _View, b: int) -> None:
        self.x = [view.x[b]]
        self.win = [view.win[b]]
        self.risk = [view.risk[b]]
        self.expected = [view.expected[b]]
        self.risk_ok = [bool(view.risk_ok[b])]
        self.pce_ok = [bool(view.pce_ok[b])]
        self.rounds: list[RoundBargains] = []
        self.ratios: list[float] = []
        self.converged = False
        self.cycle: tuple[int, int] | None = None
        self.seen = {view.x[b].tobytes(): 0}

    def push(self, view: _View, b: int, rd: _Round, r: int) -> None:
        valid = rd.valid[r]
        slots = np.flatnonzero(valid)
        rank = np.cumsum(valid) - 1
        slot = rd.chosen_slot[r]
        chosen = np.where(slot >= 0, rank[np.maximum(slot, 0)], -1)
        self.rounds.append(
            RoundBargains(
                init=slots.astype(np.intp),
                rcvr=rd.rcvr[r][slots],
                pos_init=rd.pos_init[r][slots],
                pos_rcvr=rd.pos_rcvr[r][slots],
                p_win=rd.p_win[r][slots],
                gain=rd.gain[r][slots],
                view=np.zeros(slots.size, dtype=np.intp),
                chosen=np.asarray(chosen, dtype=np.intp),
            )
        )
        self.x.append(view.x[b])
        self.win.append(view.win[b])
        self.risk.append(view.risk[b])
        self.expected.append(view.expected[b])
        self.risk_ok.append(bool(view.risk_ok[b]))
        self.pce_ok.append(bool(view.pce_ok[b]))

    def path(self) -> SMPPath:
        return SMPPath(
            x=np.stack(self.x),
            win=np.stack(self.win),
            risk=np.stack(self.risk),
            expected=np.stack(self.expected),
            bargains=self.rounds,
            stop_ratio=self.ratios,
            converged=self.converged,
            cycle=self.cycle,
            risk_undefined=[t for t, ok in enumerate(self.risk_ok) if not ok],
            pce_undefined=[t for t, ok in enumerate(self.pce_ok) if not ok],
        )


def smp_paths(
    x0: F,
    s: F,
    c: F,
    cfg: SMPConfig,
    rngs: Sequence[np.random.Generator] | None = None,
) -> list[SMPPath]:
    """Run B problems of one shape; problem b equals ``smp_path(x0[b], s[b], c[b], cfg,
    rngs[b])`` up to the order of floating-point sums."""
    x0 = np.asarray(x0, dtype=float)
    s = np.asarray(s, dtype=float)
    c = np.asarray(c, dtype=float)
    bsz, n, _ = x0.shape
    chunk = problems_per_chunk(n)
    if not batchable(cfg, n) or chunk == 0:
        return [
            smp_path(x0[b], s[b], c[b], cfg, None if rngs is None else rngs[b]) for b in range(bsz)
        ]
    top = c.max(axis=1, initial=0.0)
    c = np.where(top[:, None] > 0, c * (100.0 / np.where(top > 0, top, 1.0))[:, None], c)
    tracks: list[_Track] = []
    for lo in range(0, bsz, chunk):
        sl = slice(lo, min(lo + chunk, bsz))
        tracks += _run_chunk(x0[sl], s[sl], c[sl], cfg, None if rngs is None else rngs[sl])
    return [tr.path() for tr in tracks]


def _run_chunk(
    x0: F, s: F, c: F, cfg: SMPConfig, rngs: Sequence[np.random.Generator] | None
) -> list[_Track]:
    s_total = s.sum(axis=2)
    view = _evaluate(x0, s, c, cfg)
    tracks = [_Track(view, b) for b in range(x0.shape[0])]
    act = np.arange(x0.shape[0])  # the problems still running, in the order of ``view``
    first_move = np.zeros(x0.shape[0])
    stochastic = cfg.transitions == "stochastic"
    for t in range(cfg.rounds):
        if act.size == 0:
            break
        gens = None if rngs is None else [rngs[int(b)] for b in act]
        new_x, rd = _step(view, s[act], s_total[act], c[act], cfg, gens)
        after = _evaluate(new_x, s[act], c[act], cfg)
        moved = np.sqrt(((new_x - view.x) ** 2).sum(axis=2)).sum(axis=1)
        if t == 0:
            first_move[act] = moved
        keep = np.ones(act.size, dtype=bool)
        for r, b in enumerate(act):
            tr = tracks[b]
            tr.push(after, r, rd, r)
            ratio = float(moved[r]) / (float(first_move[b]) + STOP_MIN_SIG_DELTA)
            tr.ratios.append(ratio)
            nr = len(tr.rounds)
            if nr >= cfg.min_rounds and ratio < cfg.min_delta_ratio:
                tr.converged = True
                keep[r] = False
            elif not stochastic:
                key = new_x[r].tobytes()
                if key in tr.seen and cfg.stop_at_cycle:
                    start = tr.seen[key]
                    period = nr - start
                    if all(q >= cfg.min_delta_ratio for q in tr.ratios[start : start + period]):
                        tr.cycle = (start, period)
                        keep[r] = False
                tr.seen.setdefault(key, nr)
        act = act[keep]
        view = after if keep.all() else after.take(keep)
    return tracks
