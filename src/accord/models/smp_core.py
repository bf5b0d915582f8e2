"""Array kernel of the Spatial Model of Politics (see :mod:`accord.models.smp` for the maths).

Everything here works on plain NumPy arrays for one policy space: positions ``x`` of shape
``(n, D)`` on 0-1, saliences ``s`` ``(n, D)`` on 0-1 and capabilities ``c`` ``(n,)``.
Nothing loops over actor triples in Python: votes, coalitions, third-party "little
contests" and expected gains are evaluated as ``(pairs, third parties)`` arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Bargain",
    "SMPConfig",
    "SMPPath",
    "StateView",
    "coalitions",
    "distance_matrix",
    "evaluate_state",
    "pce",
    "probability_and_gain",
    "risk_from_probability",
    "smp_path",
    "victory_probability",
    "vote",
]

F = NDArray[np.float64]
I = NDArray[np.intp]  # noqa: E741

VotingRule = Literal["prop", "binary", "prop_bin", "prop_cbc", "cubic", "asym_prosp"]
VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
PCEModel = Literal["conditional", "markov_uniform", "markov_incentive"]
Transitions = Literal["deterministic", "stochastic"]
BigRRange = Literal["min", "mid", "max"]
BigRAdjust = Literal["full", "two_thirds", "half", "one_third", "none"]
Commitment = Literal["no_commit", "semi_commit", "full_commit"]
Interpolation = Literal["s1p1", "s2p2", "s2pmax"]
BargainModel = Literal["init_only", "init_rcvr", "power_weighted"]

MIN_COALITION = 1e-8  # Model::coalitions: every coalition starts at this strength
MIN_CHALLENGE = 1e-10  # SMPState::probEduChlg: principals' coalitions start here
MIN_SIG_GAIN = 1e-5  # SMPState::bestChallenge: smallest expected gain worth a challenge
MIN_BARGAIN_WEIGHT = 1e-6  # SMPActor::interpBrgn*: keeps 0/0 away
BINARY_VOTE_TOL = 1e-8  # Model::vote: |du| at which a binary vote saturates
BINARY_VICTORY = 1.10  # Model::vProb: coalition ratio at which a binary contest is decided
BINARY_VICTORY_MIN = 1e-6
STOP_MIN_SIG_DELTA = 1e-4  # smpStopFn guard against 0/0
MARKOV_UNIFORM_TOL = 1e-6
MARKOV_INCENTIVE_TOL = 1e-8
MARKOV_MAX_ITER = 1000


@dataclass(frozen=True)
class SMPConfig:
    """The nine KTAB parameters (KTAB defaults) and the stopping rule."""

    voting_rule: VotingRule = "prop"
    victory_prob: VictoryModel = "linear"
    pce: PCEModel = "conditional"
    transitions: Transitions = "deterministic"
    big_r_range: BigRRange = "mid"
    big_r_adjust: BigRAdjust = "one_third"
    third_party_commit: Commitment = "semi_commit"
    interpolation: Interpolation = "s2p2"
    bargain_model: BargainModel = "init_only"
    rounds: int = 100
    min_rounds: int = 2
    min_delta_ratio: float = 0.02
    position_tolerance: float = 1e-3


# -- voting, coalitions, victory, PCE ---------------------------------------------------


def vote(rule: VotingRule, w: F | float, du: F) -> F:
    """Vote of weight ``w`` for option a over b given the utility difference ``du``."""
    if rule == "prop":
        return np.asarray(w * du)
    binary = np.clip(du / BINARY_VOTE_TOL, -1.0, 1.0)
    if rule == "binary":
        return np.asarray(w * binary)
    if rule == "prop_bin":
        return np.asarray(w * (0.8 * du + 0.2 * binary))
    if rule == "prop_cbc":
        return np.asarray(w * (0.5 * du + 0.5 * du**3))
    if rule == "cubic":
        return np.asarray(w * du**3)
    if rule == "asym_prosp":
        return np.asarray(np.where(du < 0, w * du, np.where(du > 0, 2.0 * w * du / 3.0, 0.0)))
    raise ValueError(f"unknown voting rule {rule!r}")


def victory_probability(model: VictoryModel, c1: F, c2: F) -> F:
    """Probability that the side with coalition strength ``c1`` beats the side with ``c2``."""
    if model == "binary":
        with np.errstate(invalid="ignore", divide="ignore"):
            r12 = c1 / (c1 + c2)
            inside = (r12 * (BINARY_VICTORY + 1.0) - 1.0) / (BINARY_VICTORY - 1.0)
        win = 1.0 / (1.0 + BINARY_VICTORY_MIN)
        out = np.where(
            c1 >= BINARY_VICTORY * c2, win, np.where(c2 >= BINARY_VICTORY * c1, 1.0 - win, inside)
        )
        return np.asarray(out, dtype=float)
    power = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}[model]
    top = np.maximum(c1, c2)
    top = np.where(top > 0, top, 1.0)
    x1, x2 = (c1 / top) ** power, (c2 / top) ** power
    total = x1 + x2
    return np.asarray(np.where(total > 0, x1 / np.where(total > 0, total, 1.0), 0.5))


def coalitions(rule: VotingRule, w: F, u: F) -> F:
    """``C[a, b]``: strength of the coalition for option a against b.

    ``u[k, a]`` is actor k's utility of option a, ``w[k]`` its voting weight. As in KTAB
    (``Model::coalitions``) each pair is scored once, from the higher-indexed option's
    side, which matters only for the asymmetric ``asym_prosp`` rule.
    """
    du = u[:, :, None] - u[:, None, :]  # (k, a, b)
    v = vote(rule, w[:, None, None], du)
    pro = MIN_COALITION + np.maximum(v, 0.0).sum(axis=0)
    con = MIN_COALITION + np.maximum(-v, 0.0).sum(axis=0)
    m = u.shape[1]
    lower = np.tri(m, m, -1, dtype=bool)  # a > b
    c = np.where(lower, pro, con.T)
    np.fill_diagonal(c, MIN_COALITION)
    return np.asarray(c)


def victory_matrix(model: VictoryModel, c: F) -> F:
    p = victory_probability(model, c, c.T)
    np.fill_diagonal(p, 0.5)
    return p


def pce(kind: PCEModel, vpm: VictoryModel, c: F) -> tuple[F, bool]:
    """Probabilistic Condorcet election over options from coalition strengths ``c``.

    Returns the option probabilities and whether the computation was well defined
    (``False`` when an iteration did not converge or every product underflowed; the
    probabilities are then the last iterate, or uniform).
    """
    m = c.shape[0]
    pv = victory_matrix(vpm, c)
    if kind == "conditional":
        with np.errstate(divide="ignore"):
            logp = np.log(pv).sum(axis=1)
        top = logp.max()
        if not np.isfinite(top):
            return np.full(m, 1.0 / m), False
        q = np.exp(logp - top)
        return q / q.sum(), True
    p = np.full(m, 1.0 / m)
    if kind == "markov_uniform":
        for _ in range(MARKOV_MAX_ITER):
            q = (pv.sum(axis=1) * p + pv @ p) / m
            change = np.abs(q - p).max()
            p = (p + q) / 2.0
            if change <= MARKOV_UNIFORM_TOL:
                return p / p.sum(), True
        return p / p.sum(), False
    if kind == "markov_incentive":
        incentive = c * pv
        incentive[np.diag_indices(m)] += 1e-10
        challenge = incentive / incentive.sum(axis=0, keepdims=True)  # P[i -> j]
        for _ in range(MARKOV_MAX_ITER):
            ct = p[:, None] * challenge.T  # ct[i, j] = p_i P[j -> i]
            q = (pv * (ct + ct.T)).sum(axis=1)
            change = np.abs(q - p).max()
            p = (p + q) / 2.0
            if change <= MARKOV_INCENTIVE_TOL:
                return p / p.sum(), True
        return p / p.sum(), False
    raise ValueError(f"unknown PCE model {kind!r}")


def scalar_pce(rule: VotingRule, vpm: VictoryModel, kind: PCEModel, w: F, u: F) -> tuple[F, bool]:
    """PCE over the options (columns) of ``u`` voted on by actors with weights ``w``."""
    return pce(kind, vpm, coalitions(rule, w, u))


def risk_from_probability(p: F, rng_kind: BigRRange) -> tuple[F, bool]:
    """KTAB's risk attitudes R_i from the risk-neutral PCE probabilities of positions.

    Undefined when every position is equally likely; then every actor is risk-neutral
    (R = 0) and the flag is ``False``.
    """
    lo, hi = float(p.min()), float(p.max())
    spread = hi - lo
    if not spread > 0:
        return np.zeros_like(p), False
    if rng_kind == "min":
        r = (p - lo) / spread
    elif rng_kind == "mid":
        r = (3.0 * p - (hi + 2.0 * lo)) / (2.0 * spread)
    else:
        r = (2.0 * p - (hi + lo)) / spread
    return np.asarray(r), True


def estimated_risk(rh: F, ri: F, adjust: BigRAdjust) -> F:
    """h's estimate of i's risk attitude (``Model::estNRA``)."""
    if adjust == "full":
        return ri
    if adjust == "two_thirds":
        return (rh + 2.0 * ri) / 3.0
    if adjust == "half":
        return (rh + ri) / 2.0
    if adjust == "one_third":
        return (2.0 * rh + ri) / 3.0
    return rh + 0.0 * ri


def utility(d: F, r: F) -> F:
    """``u = (1 - d)(1 + d R)`` for ``d <= 1`` (``(1 - d)(1 + R)`` beyond, as in KTAB)."""
    return np.asarray((1.0 - d) * (1.0 + np.minimum(d, 1.0) * r))


def distance_matrix(x: F, s: F) -> tuple[F, NDArray[np.bool_]]:
    """``d[i, j]``: salience-weighted distance from i's position to j's, with i's saliences.

    Rows of actors with zero salience on every dimension are undefined; they are set to 0
    (the actor is indifferent) and flagged in the returned mask.
    """
    s2 = s**2
    den = s2.sum(axis=1)
    diff2 = (x[None, :, :] - x[:, None, :]) ** 2  # (i, j, D)
    num = np.einsum("ijd,id->ij", diff2, s2)
    ok = den > 0
    d = np.sqrt(np.where(ok[:, None], num / np.where(ok, den, 1.0)[:, None], 0.0))
    return d, ~ok


def point_distance(x: F, s: F, y: F) -> F:
    """``d[i, b]``: weighted distance from actor i's position to point ``y[b]``."""
    s2 = s**2
    den = s2.sum(axis=1)
    diff2 = (x[:, None, :] - y[None, :, :]) ** 2
    num = np.einsum("ibd,id->ib", diff2, s2)
    ok = den > 0
    return np.sqrt(np.where(ok[:, None], num / np.where(ok, den, 1.0)[:, None], 0.0))


# -- one state ----------------------------------------------------------------------


@dataclass
class StateView:
    """What the actors believe in one state."""

    x: F  # (n, D)
    util: F  # (h, i, j): h's estimate of i's utility of j's position
    own: F  # (i, j): i's own utility of j's position
    risk: F  # (n,)
    win: F  # (n,) probability that the actor's position wins (shared by coincident actors)
    unique: I  # representative actor of each distinct position
    group: I  # (n,) index into ``unique``
    p_unique: F  # probability of each distinct position
    risk_defined: bool
    pce_defined: bool


def unique_positions(x: F, tol: float) -> tuple[I, I]:
    n = x.shape[0]
    reps: list[int] = []
    group = np.zeros(n, dtype=np.intp)
    gap = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
    for i in range(n):
        hit = [g for g, r in enumerate(reps) if gap[i, r] < tol]
        if hit:
            group[i] = hit[-1]
        else:
            group[i] = len(reps)
            reps.append(i)
    return np.asarray(reps, dtype=np.intp), group


def evaluate_state(x: F, s: F, c: F, cfg: SMPConfig) -> StateView:
    """Risk attitudes from a risk-neutral election, then every actor's utility estimates."""
    d, _ = distance_matrix(x, s)
    neutral = utility(d, np.zeros(x.shape[0]))
    p_neutral, ok1 = scalar_pce(cfg.voting_rule, cfg.victory_prob, cfg.pce, c, neutral)
    risk, risk_ok = risk_from_probability(p_neutral, cfg.big_r_range)
    rhi = estimated_risk(risk[:, None], risk[None, :], cfg.big_r_adjust)  # (h, i)
    util = utility(d[None, :, :], rhi[:, :, None])
    own = utility(d, risk[:, None])
    unique, group = unique_positions(x, cfg.position_tolerance)
    p_pos, ok2 = scalar_pce("prop", cfg.victory_prob, cfg.pce, c, own[:, unique])
    return StateView(x, util, own, risk, p_pos[group], unique, group, p_pos, risk_ok, ok1 and ok2)


def probability_and_gain(
    view: StateView,
    s_total: F,
    c: F,
    h: I,
    k: I,
    i: I,
    j: I,
    cfg: SMPConfig,
) -> tuple[F, F]:
    """h's estimate that i beats j if i challenges j, and the expected gain to k.

    Batched over the index arrays (``SMPState::probEduChlg``).
    """
    u = view.util
    n = u.shape[1]
    rule = cfg.voting_rule
    uii, uij, uji, ujj = u[h, i, i], u[h, i, j], u[h, j, i], u[h, j, j]
    ci = vote(rule, s_total[i] * c[i], uii - uij)
    cj = vote(rule, s_total[j] * c[j], uji - ujj)
    base_ij = MIN_CHALLENGE + np.maximum(ci, 0) + np.maximum(cj, 0)
    base_ji = MIN_CHALLENGE + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    others = np.arange(n)
    hh, ii, jj = h[:, None], i[:, None], j[:, None]
    uni = u[hh, others[None, :], ii]
    unj = u[hh, others[None, :], jj]
    unn = u[hh, others[None, :], others[None, :]]
    wn = (s_total * c)[None, :]
    v0 = vote(rule, wn, uni - unj)
    pro = base_ij[:, None] + np.maximum(v0, 0)
    con = base_ji[:, None] + np.maximum(-v0, 0)
    pin = pro / (pro + con)
    commit = cfg.third_party_commit
    if commit == "full_commit":
        ik_j, j_ik, i_jk, jk_i = 3 * uni, 3 * unj, 3 * uni, 3 * unj
    elif commit == "semi_commit":
        ik_j, j_ik, i_jk, jk_i = 2 * uni + unn, 3 * unj, 3 * uni, 2 * unj + unn
    else:
        ik_j, j_ik, i_jk, jk_i = 2 * uni + unn, 2 * unj + unn, 2 * uni + unn, 2 * unj + unn
    u_with_i = pin * ik_j + (1 - pin) * j_ik
    u_with_j = pin * i_jk + (1 - pin) * jk_i
    vn = vote(rule, wn, u_with_i - u_with_j)
    third = (others[None, :] != ii) & (others[None, :] != jj)
    vn = np.where(third, vn, 0.0)
    chij = base_ij + np.maximum(vn, 0).sum(axis=1)
    chji = base_ji + np.maximum(-vn, 0).sum(axis=1)
    p = chij / (chij + chji)
    uki, ukj = u[h, k, i], u[h, k, j]
    sj = s_total[j]
    eu_sq = uki + ukj
    eu_vict = 2 * uki
    eu_contest = p * 2 * uki + (1 - p) * 2 * ukj
    eu_chlg = (1 - sj) * eu_vict + sj * eu_contest
    return p, eu_chlg - eu_sq


def interpolate(
    kind: Interpolation, ti: F, si: F, pi: float, tj: F, sj: F, pj: float
) -> tuple[F, F]:
    """Bargain positions for initiator and receiver, per dimension (``interpolateBrgn``)."""
    if kind == "s2pmax":
        di = max(pj - pi, 0.0)
        dj = max(pi - pj, 0.0)
        si2, sj2 = si**2, sj**2
        dik = di * sj2 / (di * sj2 + MIN_BARGAIN_WEIGHT + (1 - di) * si2)
        djk = dj * si2 / (dj * si2 + MIN_BARGAIN_WEIGHT + (1 - dj) * sj2)
        return ti + dik * (tj - ti), tj + djk * (ti - tj)
    e = 1 if kind == "s1p1" else 2
    wi = si**e * pi**e
    wj = sj**e * pj**e
    den = wi + MIN_BARGAIN_WEIGHT + wj
    bi = ((wi + MIN_BARGAIN_WEIGHT) * ti + wj * tj) / den
    bj = (wi * ti + (MIN_BARGAIN_WEIGHT + wj) * tj) / den
    return _round4(bi), _round4(bj)


def _round4(v: F) -> F:
    return np.asarray(np.trunc(0.5 + v * 10000.0) / 10000.0)


@dataclass(frozen=True)
class Bargain:
    """A proposal: ``init`` and ``rcvr`` would adopt ``pos_init`` and ``pos_rcvr``."""

    round: int
    init: int
    rcvr: int
    pos_init: F
    pos_rcvr: F
    p_win: float  # initiator's estimate that it would win the contest
    gain: float  # initiator's expected gain from challenging
    perspective: str  # "init", "rcvr" or "power_weighted"


@dataclass
class SMPPath:
    """One run in one policy space."""

    x: F  # (T, n, D)
    win: F  # (T, n)
    risk: F  # (T, n)
    expected: F  # (T, D) PCE-probability-weighted position (distinct positions)
    bargains: list[Bargain]
    chosen: list[list[int]]  # per step, per actor: index into bargains, -1 = status quo
    stop_ratio: list[float]
    converged: bool
    risk_undefined: list[int] = field(default_factory=list)  # rounds where R was undefined
    pce_undefined: list[int] = field(default_factory=list)


def _step(
    view: StateView,
    s: F,
    s_total: F,
    c: F,
    cfg: SMPConfig,
    t: int,
    rng: np.random.Generator | None,
) -> tuple[F, list[Bargain], list[int]]:
    x = view.x
    n = x.shape[0]
    idx = np.arange(n)
    bargains: list[Bargain] = []
    if n > 1:
        ii = np.repeat(idx, n)
        jj = np.tile(idx, n)
        p, gain = probability_and_gain(view, s_total, c, ii, ii, ii, jj, cfg)
        p, gain = p.reshape(n, n), gain.reshape(n, n)
        gain = np.where(np.eye(n, dtype=bool), -np.inf, gain)
        gain = np.where(gain > MIN_SIG_GAIN, gain, -np.inf)
        best = np.argmax(gain, axis=1)
        proposers = np.flatnonzero(np.isfinite(gain[idx, best]))
        targets = best[proposers]
        need_rcvr = cfg.bargain_model != "init_only"
        if need_rcvr and proposers.size:
            # KTAB takes the second element of probEduChlg(j, i, i, j), the receiver's estimate
            # of the initiator's expected gain, as the receiver's "probability".
            _, p_rcvr = probability_and_gain(
                view, s_total, c, targets, proposers, proposers, targets, cfg
            )
        for m_, (a, b) in enumerate(zip(proposers.tolist(), targets.tolist(), strict=True)):
            pa = float(p[a, b])
            ga = float(gain[a, b])
            bi_i, bi_j = interpolate(cfg.interpolation, x[a], s[a], pa, x[b], s[b], 1 - pa)
            if cfg.bargain_model == "init_only":
                bargains.append(Bargain(t, a, b, bi_i, bi_j, pa, ga, "init"))
                continue
            pr = float(p_rcvr[m_])
            bj_i, bj_j = interpolate(cfg.interpolation, x[a], s[a], pr, x[b], s[b], 1 - pr)
            if cfg.bargain_model == "init_rcvr":
                bargains.append(Bargain(t, a, b, bi_i, bi_j, pa, ga, "init"))
                bargains.append(Bargain(t, a, b, bj_i, bj_j, pa, ga, "rcvr"))
            else:
                # KTAB weighs the receiver's view with the initiator's capability.
                wi = c[a] * s_total[a]
                wj = c[a] * s_total[b]
                tot = wi + wj
                if tot > 0:
                    ci_ = (wi * bi_i + wj * bj_i) / tot
                    cj_ = (wi * bi_j + wj * bj_j) / tot
                else:
                    ci_, cj_ = (bi_i + bj_i) / 2, (bi_j + bj_j) / 2
                bargains.append(Bargain(t, a, b, ci_, cj_, pa, ga, "power_weighted"))
    # Utility to every actor of the state after each bargain (the sum over positions / n).
    total = view.own.sum(axis=1)  # (n,)
    chosen = [-1] * n
    new_x = x.copy()
    if bargains:
        inits = np.array([b.init for b in bargains])
        rcvrs = np.array([b.rcvr for b in bargains])
        pi_ = np.stack([b.pos_init for b in bargains])
        pr_ = np.stack([b.pos_rcvr for b in bargains])
        ui = utility(point_distance(x, s, pi_), view.risk[:, None])
        ur = utility(point_distance(x, s, pr_), view.risk[:, None])
        ub = (total[:, None] - view.own[:, inits] - view.own[:, rcvrs] + ui + ur) / n
    else:
        inits = rcvrs = np.zeros(0, dtype=np.intp)
        ub = np.zeros((n, 0))
    usq = total / n
    for k in range(n):
        queue = np.flatnonzero((inits == k) | (rcvrs == k))
        if queue.size == 0:
            continue
        u_k = np.column_stack([usq, ub[:, queue]])
        prob, _ = scalar_pce(cfg.voting_rule, cfg.victory_prob, cfg.pce, c, u_k)
        if cfg.transitions == "stochastic" and rng is not None:
            pick = int(np.searchsorted(np.cumsum(prob), rng.random() * prob.sum(), side="right"))
            pick = min(pick, prob.size - 1)
        else:
            pick = int(np.argmax(prob))
        if pick == 0:
            continue
        b = queue[pick - 1]
        chosen[k] = int(b)
        new_x[k] = bargains[b].pos_init if bargains[b].init == k else bargains[b].pos_rcvr
    return new_x, bargains, chosen


def smp_path(x0: F, s: F, c: F, cfg: SMPConfig, rng: np.random.Generator | None = None) -> SMPPath:
    """Run the SMP from positions ``x0`` until KTAB's stopping rule holds."""
    x0 = np.asarray(x0, dtype=float)
    s = np.asarray(s, dtype=float)
    c = np.asarray(c, dtype=float)
    top = float(c.max(initial=0.0))
    if top > 0:
        # Only capability ratios matter; KTAB's tiny guards (1e-8, 1e-10) are sized for
        # capabilities in the tens to hundreds, so put the largest at 100.
        c = c * (100.0 / top)
    s_total = s.sum(axis=1)
    views = [evaluate_state(x0, s, c, cfg)]
    bargains: list[Bargain] = []
    chosen: list[list[int]] = []
    ratios: list[float] = []
    converged = False

    def dist(a: F, b: F) -> float:
        return float(np.sqrt(((a - b) ** 2).sum(axis=1)).sum())

    t = 0
    while True:
        if t >= cfg.rounds:
            break
        new_x, made, pick = _step(views[-1], s, s_total, c, cfg, t + 1, rng)
        offset = len(bargains)
        bargains.extend(made)
        chosen.append([p if p < 0 else p + offset for p in pick])
        views.append(evaluate_state(new_x, s, c, cfg))
        t += 1
        d01 = dist(views[0].x, views[1].x) + STOP_MIN_SIG_DELTA
        ratio = dist(views[-2].x, views[-1].x) / d01
        ratios.append(ratio)
        if t >= cfg.min_rounds and ratio < cfg.min_delta_ratio:
            converged = True
            break
    return SMPPath(
        x=np.stack([v.x for v in views]),
        win=np.stack([v.win for v in views]),
        risk=np.stack([v.risk for v in views]),
        expected=np.stack([v.p_unique @ v.x[v.unique] for v in views]),
        bargains=bargains,
        chosen=chosen,
        stop_ratio=ratios,
        converged=converged,
        risk_undefined=[t for t, v in enumerate(views) if not v.risk_defined],
        pce_undefined=[t for t, v in enumerate(views) if not v.pce_defined],
    )
