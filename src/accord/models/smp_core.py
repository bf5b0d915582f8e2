"""Array kernel of the Spatial Model of Politics (see :mod:`accord.models.smp` for the maths).

Everything here works on plain NumPy arrays for one policy space: positions ``x`` of shape
``(n, D)`` on 0-1, saliences ``s`` ``(n, D)`` on 0-1 and capabilities ``c`` ``(n,)``.
Nothing loops over actor triples in Python: votes, coalitions, third-party "little
contests" and expected gains are evaluated as ``(pairs, third parties)`` arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.limits import block_rows

__all__ = [
    "RoundBargains",
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


@lru_cache(maxsize=64)
def _eye(m: int) -> NDArray[np.bool_]:
    out = np.eye(m, dtype=bool)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=64)
def _lower(m: int) -> NDArray[np.bool_]:
    out = np.tri(m, m, -1, dtype=bool)
    out.flags.writeable = False
    return out


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
    stop_at_cycle: bool = True


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
    if model == "linear":
        total = c1 + c2
        return np.asarray(np.where(total > 0, c1 / np.where(total > 0, total, 1.0), 0.5))
    power = {"square": 2, "quartic": 4, "octic": 8}[model]
    top = np.maximum(c1, c2)
    top = np.where(top > 0, top, 1.0)
    x1, x2 = (c1 / top) ** power, (c2 / top) ** power
    total = x1 + x2
    return np.asarray(np.where(total > 0, x1 / np.where(total > 0, total, 1.0), 0.5))


COALITION_ARRAYS = 3  # (voters, block, options) float arrays alive at once in coalitions


def coalitions(rule: VotingRule, w: F, u: F) -> F:
    """``C[..., a, b]``: strength of the coalition for option a against b.

    ``u[..., k, a]`` is actor k's utility of option a, ``w[k]`` its voting weight. As in
    KTAB (``Model::coalitions``) each pair is scored once, from the higher-indexed option's
    side, which matters only for the asymmetric ``asym_prosp`` rule. The (voters, options,
    options) cube of votes is summed in blocks of options a (:func:`~accord.limits.block_rows`);
    every entry is a sum over voters in voter order, so blocks do not change it.
    """
    m = u.shape[-1]
    if u.ndim != 2:
        return _coalition_rows(rule, w, u, np.arange(m))
    row = COALITION_ARRAYS * 8 * u.shape[0] * m
    step = block_rows(m, row, f"the coalition cube of {u.shape[0]:,} voters x {m:,} options")
    if step >= m:
        return _coalition_rows(rule, w, u, np.arange(m))
    return np.concatenate(
        [_coalition_rows(rule, w, u, np.arange(lo, min(lo + step, m))) for lo in range(0, m, step)]
    )


def _coalition_rows(rule: VotingRule, w: F, u: F, rows: I) -> F:
    """Rows ``rows`` (options a) of :func:`coalitions`."""
    m = u.shape[-1]
    whole = rows.size == m
    ua = u if whole else u[..., rows]
    du = ua[..., :, :, None] - u[..., :, None, :]  # (..., k, a, b)
    eye = _eye(m) if whole else _eye(m)[rows]
    if rule != "asym_prosp" and (w >= 0).all():
        # vote(w, du) = w f(du) with f odd: the coalition against (a:b) is the one for (b:a)
        f = du if rule == "prop" else vote(rule, 1.0, du)
        np.maximum(f, 0.0, out=f)
        if f.ndim == 3:
            # a sum over voters in voter order for every (a, b), whatever the block
            f *= w[:, None, None]
            pro = f.sum(axis=0)
        else:
            pro = np.tensordot(w, f, axes=([0], [-3]))
        pro += MIN_COALITION
        return np.asarray(np.where(eye, MIN_COALITION, pro))
    v = vote(rule, w[:, None, None], du)
    pro = MIN_COALITION + np.maximum(v, 0.0).sum(axis=-3)
    if whole:
        con_t = np.swapaxes(MIN_COALITION + np.maximum(-v, 0.0).sum(axis=-3), -1, -2)
    else:  # con[b, a] for the block's a: the votes on (b:a), u_kb - u_ka
        back = vote(rule, w[:, None, None], u[..., :, None, :] - ua[..., :, :, None])
        con_t = MIN_COALITION + np.maximum(-back, 0.0).sum(axis=-3)
    lower = _lower(m) if whole else _lower(m)[rows]
    c = np.where(lower, pro, con_t)
    return np.asarray(np.where(eye, MIN_COALITION, c))


def victory_matrix(model: VictoryModel, c: F) -> F:
    p = victory_probability(model, c, np.swapaxes(c, -1, -2))
    m = c.shape[-1]
    return np.asarray(np.where(_eye(m), 0.5, p))


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

    Undefined when every position is equally likely (to within 10⁻¹²); then every actor
    is risk-neutral (R = 0) and the flag is ``False``.
    """
    lo, hi = float(p.min()), float(p.max())
    spread = hi - lo
    if not spread > 1e-12:  # equal up to rounding: R would be noise
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
        return ri + 0.0 * rh
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
    """What the actors believe in one state.

    h's estimate of i's utility of j's position, ``U_h(i, j) = (1 - d_ij)(1 + d_ij R^h_i)``,
    is an (n, n, n) cube; it is never held whole but computed from ``dist`` and ``rhi``
    where it is read (:meth:`util_rows`, :meth:`util_at`), in the same arithmetic.
    """

    x: F  # (n, D)
    dist: F  # (i, j): salience-weighted distance from i's position to j's, i's saliences
    rhi: F  # (h, i): h's estimate of i's risk attitude
    own: F  # (i, j): i's own utility of j's position
    risk: F  # (n,)
    win: F  # (n,) probability that the actor's position wins (shared by coincident actors)
    unique: I  # representative actor of each distinct position
    group: I  # (n,) index into ``unique``
    p_unique: F  # probability of each distinct position
    risk_defined: bool
    pce_defined: bool

    def util_rows(self, rows: I) -> F:
        """``U_h(i, j)`` for the estimators ``h`` in ``rows``: shape (rows, n, n)."""
        u = np.minimum(self.dist, 1.0)[None, :, :] * self.rhi[rows, :, None]
        u += 1.0
        u *= (1.0 - self.dist)[None, :, :]
        return u

    def util_at(self, h: I, i: I, j: I) -> F:
        """``U_h(i, j)`` at broadcast index arrays (the entries of :meth:`util_rows`)."""
        d = self.dist[i, j]
        return np.asarray((np.minimum(d, 1.0) * self.rhi[h, i] + 1.0) * (1.0 - d))


def unique_positions(x: F, tol: float) -> tuple[I, I]:
    """Distinct positions (``SMPState::equivNdx``: Euclidean gap below ``tol``).

    Scanning actors in order, an actor within ``tol`` of a distinct position found so far
    joins the last such one (``State::posProb``); otherwise it starts a new one.
    """
    n = x.shape[0]
    close = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)) < tol
    if not (close & _lower(n)).any():
        return np.arange(n, dtype=np.intp), np.arange(n, dtype=np.intp)
    first = np.argmax(close, axis=1)
    if np.array_equal(close, close[first]):  # clusters: "within tol" is an equivalence
        is_rep = first == np.arange(n)
        return np.flatnonzero(is_rep), np.asarray((np.cumsum(is_rep) - 1)[first], dtype=np.intp)
    is_rep = np.zeros(n, dtype=bool)
    last = np.zeros(n, dtype=np.intp)
    for i in range(n):
        hit = np.flatnonzero(close[i] & is_rep)
        if hit.size:
            last[i] = hit[-1]
        else:
            is_rep[i] = True
            last[i] = i
    code = np.cumsum(is_rep) - 1
    return np.flatnonzero(is_rep), np.asarray(code[last], dtype=np.intp)


def evaluate_state(x: F, s: F, c: F, cfg: SMPConfig) -> StateView:
    """Risk attitudes from a risk-neutral election, then every actor's utility estimates."""
    d, _ = distance_matrix(x, s)
    neutral = utility(d, np.zeros(x.shape[0]))
    p_neutral, ok1 = scalar_pce(cfg.voting_rule, cfg.victory_prob, cfg.pce, c, neutral)
    risk, risk_ok = risk_from_probability(p_neutral, cfg.big_r_range)
    rhi = estimated_risk(risk[:, None], risk[None, :], cfg.big_r_adjust)  # (h, i)
    own = utility(d, risk[:, None])
    unique, group = unique_positions(x, cfg.position_tolerance)
    p_pos, ok2 = scalar_pce("prop", cfg.victory_prob, cfg.pce, c, own[:, unique])
    return StateView(x, d, rhi, own, risk, p_pos[group], unique, group, p_pos, risk_ok, ok1 and ok2)


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
    n = view.x.shape[0]
    rule = cfg.voting_rule
    u = view.util_at
    uii, uij, uji, ujj = u(h, i, i), u(h, i, j), u(h, j, i), u(h, j, j)
    ci = vote(rule, s_total[i] * c[i], uii - uij)
    cj = vote(rule, s_total[j] * c[j], uji - ujj)
    base_ij = MIN_CHALLENGE + np.maximum(ci, 0) + np.maximum(cj, 0)
    base_ji = MIN_CHALLENGE + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    others = np.arange(n)
    hh, ii, jj = h[:, None], i[:, None], j[:, None]
    uni = u(hh, others[None, :], ii)
    unj = u(hh, others[None, :], jj)
    unn = u(hh, others[None, :], others[None, :])
    wn = (s_total * c)[None, :]
    v0 = vote(rule, wn, uni - unj)
    pro = base_ij[:, None] + np.maximum(v0, 0)
    con = base_ji[:, None] + np.maximum(-v0, 0)
    pin = pro / (pro + con)
    diff = _third_party_difference(cfg.third_party_commit, pin, uni, unj, unn)
    vn = vote(rule, wn, diff)
    third = (others[None, :] != ii) & (others[None, :] != jj)
    vn = np.where(third, vn, 0.0)
    chij = base_ij + np.maximum(vn, 0).sum(axis=1)
    chji = base_ji + np.maximum(-vn, 0).sum(axis=1)
    p = chij / (chij + chji)
    uki, ukj = u(h, k, i), u(h, k, j)
    sj = s_total[j]
    eu_sq = uki + ukj
    eu_vict = 2 * uki
    eu_contest = p * 2 * uki + (1 - p) * 2 * ukj
    eu_chlg = (1 - sj) * eu_vict + sj * eu_contest
    return p, eu_chlg - eu_sq


PAIR_ARRAYS = 12  # (block, n, n) float arrays alive at once in _pairs_rows (at most)


def pair_row_bytes(n: int) -> int:
    """Bytes of one initiator's row of the (i, j, third party) cube, all its temporaries."""
    return PAIR_ARRAYS * 8 * n * n


def all_pairs_gain(view: StateView, s_total: F, c: F, cfg: SMPConfig) -> tuple[F, F]:
    """Every actor's own estimate (h = k = i) for challenging every j: ``(p, gain)``, (n, n).

    The same numbers as :func:`probability_and_gain` with ``h = k = i``, laid out as
    ``(i, j, third party)`` blocks of the utility cube instead of gathers. The cube is
    worked in blocks of initiators (:func:`~accord.limits.block_rows`, at most
    ``ACCORD_MAX_BLOCK_BYTES``); each initiator's numbers do not depend on the block.
    """
    n = view.x.shape[0]
    step = block_rows(n, pair_row_bytes(n), f"the SMP challenge cube of {n:,} actors", "smp")
    if step >= n:
        return _pairs_rows(view, s_total, c, cfg, np.arange(n))
    parts = [
        _pairs_rows(view, s_total, c, cfg, np.arange(lo, min(lo + step, n)))
        for lo in range(0, n, step)
    ]
    return np.concatenate([q[0] for q in parts]), np.concatenate([q[1] for q in parts])


def _pairs_rows(view: StateView, s_total: F, c: F, cfg: SMPConfig, rows: I) -> tuple[F, F]:
    u = view.util_rows(rows)  # (r, a, b): initiator i = rows[r] estimates
    n = u.shape[1]
    idx = np.arange(n)
    ar = np.arange(rows.size)
    rule = cfg.voting_rule
    own_col = u[ar, :, rows]  # [i, a] = U_i(a, i): a's utility of i's position, by i
    own_row = u[ar, rows, :]  # [i, b] = U_i(i, b)
    diag = np.einsum("hjj->hj", u)  # [i, a] = U_i(a, a)
    uii = own_row[ar, rows]
    w = s_total * c
    ci = vote(rule, w[rows, None], uii[:, None] - own_row)  # (i, j)
    cj = vote(rule, w[None, :], own_col - diag)
    base_ij = MIN_CHALLENGE + np.maximum(ci, 0) + np.maximum(cj, 0)
    base_ji = MIN_CHALLENGE + np.maximum(-ci, 0) + np.maximum(-cj, 0)
    uni = own_col[:, None, :]  # (i, 1, n)
    unj = np.ascontiguousarray(np.swapaxes(u, 1, 2))  # (i, j, n) = U_i(n, j)
    unn = diag[:, None, :]
    wn = w[None, None, :]
    if rule == "prop" and cfg.third_party_commit == "semi_commit" and (w >= 0).all():
        # The default, with fewer passes over the cube; the same arithmetic as below:
        # a = u_ni - u_nj, e = u_nn - u_ni, v0 = w a, pin = (B_ij + max(v0, 0)) /
        # (B_ij + B_ji + |v0|), and the third party's vote w [pin (2e + a) - e - a].
        a = uni - unj
        pin = np.maximum(a, 0)
        pin *= wn
        pin += base_ij[:, :, None]
        tot = np.abs(a)
        tot *= wn
        tot += (base_ij + base_ji)[:, :, None]
        pin /= tot
        e = unn - uni
        d = a + 2 * e
        d *= pin
        d -= e
        d -= a
        up = np.maximum(d, 0) @ w  # (i, j): sum over third parties of max(vote, 0)
        net = d @ w
        # principals are not third parties: take out n = i and n = j
        d_i = d[ar, :, rows]  # (i, j)
        d_j = d[:, idx, idx]  # (i, j)
        up -= np.maximum(d_i, 0) * w[rows, None] + np.maximum(d_j, 0) * w[None, :]
        net -= d_i * w[rows, None] + d_j * w[None, :]
        chij = base_ij + up
        chji = base_ji + up - net
    else:
        v0 = vote(rule, wn, uni - unj)
        pro = base_ij[:, :, None] + np.maximum(v0, 0)
        con = base_ji[:, :, None] + np.maximum(-v0, 0)
        pin = pro / (pro + con)
        vn = vote(rule, wn, _third_party_difference(cfg.third_party_commit, pin, uni, unj, unn))
        vn[ar, :, rows] = 0.0  # principals are not third parties
        vn[:, idx, idx] = 0.0
        up = np.maximum(vn, 0).sum(axis=2)
        chij = base_ij + up
        chji = base_ji + up - vn.sum(axis=2)
    p = chij / (chij + chji)
    uki, ukj = uii[:, None], own_row
    sj = s_total[None, :]
    gain = (1 - sj) * 2 * uki + sj * (p * 2 * uki + (1 - p) * 2 * ukj) - (uki + ukj)
    return p, gain


def _third_party_difference(commit: Commitment, pin: F, uni: F, unj: F, unn: F) -> F:
    """Third party's utility of siding with i minus siding with j (``thirdPartyVoteSU``).

    KTAB sums three position utilities per outcome: i and j's positions, and the third
    party's own where it keeps it. Under ``semi_commit`` the winner's ally keeps its
    position but a loser's is pulled along; under ``full_commit`` and ``no_commit`` (as
    KTAB writes them) both sides' sums are the same, so third parties never vote.
    """
    if commit != "semi_commit":
        return np.zeros(np.broadcast_shapes(pin.shape, uni.shape, unj.shape, unn.shape))
    # pin (2u_ni + u_nn) + (1 - pin) 3u_nj - [pin 3u_ni + (1 - pin)(2u_nj + u_nn)]
    return np.asarray(pin * (unn - uni) + (1 - pin) * (unj - unn))


def interpolate(kind: Interpolation, ti: F, si: F, pi: F, tj: F, sj: F, pj: F) -> tuple[F, F]:
    """Bargain positions for initiators and receivers (``interpolateBrgn``).

    ``ti``, ``si`` are ``(B, D)``; ``pi``, ``pj`` are ``(B, 1)``.
    """
    if kind == "s2pmax":
        di = np.maximum(pj - pi, 0.0)
        dj = np.maximum(pi - pj, 0.0)
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


VIEWS = ("init", "rcvr", "power_weighted")


@dataclass(frozen=True)
class RoundBargains:
    """The bargains proposed in one step, in the order KTAB queues them, and the choices.

    Bargain b asks ``init[b]`` to adopt ``pos_init[b]`` and ``rcvr[b]`` to adopt
    ``pos_rcvr[b]``; ``p_win`` and ``gain`` are the initiator's estimates of winning the
    contest and of its expected gain; ``view`` indexes :data:`VIEWS`. ``chosen[k]`` is the
    bargain actor k adopted, -1 for its status quo.
    """

    init: I
    rcvr: I
    pos_init: F
    pos_rcvr: F
    p_win: F
    gain: F
    view: I
    chosen: I


@dataclass
class SMPPath:
    """One run in one policy space."""

    x: F  # (T, n, D)
    win: F  # (T, n)
    risk: F  # (T, n)
    expected: F  # (T, D) PCE-probability-weighted position (distinct positions)
    bargains: list[RoundBargains]  # one per step
    stop_ratio: list[float]
    converged: bool
    cycle: tuple[int, int] | None = None  # (start, period) of an exact recurrence
    risk_undefined: list[int] = field(default_factory=list)  # states where R was undefined
    pce_undefined: list[int] = field(default_factory=list)


TIE = 1e-12  # values this close to a row's maximum count as tied with it


def _first_max(v: F) -> I:
    """Per row, the first entry within :data:`TIE` of the maximum.

    KTAB takes the first maximum (``ndxMaxAbs``, ``bestChallenge``); options that are
    equal in exact arithmetic then win by their order, not by rounding noise.
    """
    top = v.max(axis=1, keepdims=True)
    near = v >= top - TIE
    return np.asarray(np.argmax(near, axis=1), dtype=np.intp)


def _proposals(
    view: StateView, s: F, s_total: F, c: F, cfg: SMPConfig
) -> tuple[I, I, F, F, F, F, I]:
    x = view.x
    n = x.shape[0]
    empty_i = np.zeros(0, dtype=np.intp)
    empty_f = np.zeros((0, x.shape[1]))
    if n < 2:
        return empty_i, empty_i, empty_f, empty_f, np.zeros(0), np.zeros(0), empty_i
    idx = np.arange(n)
    p, gain = all_pairs_gain(view, s_total, c, cfg)
    gain = np.where(_eye(n) | ~(gain > MIN_SIG_GAIN), -np.inf, gain)
    best = _first_max(gain)
    proposers = np.flatnonzero(np.isfinite(gain[idx, best]))
    targets = best[proposers]
    pa = p[proposers, targets]
    ga = gain[proposers, targets]
    xi, xj, si, sj = x[proposers], x[targets], s[proposers], s[targets]
    bi_i, bi_j = interpolate(cfg.interpolation, xi, si, pa[:, None], xj, sj, 1 - pa[:, None])
    if cfg.bargain_model == "init_only":
        views = np.zeros(proposers.size, dtype=np.intp)
        return proposers, targets, bi_i, bi_j, pa, ga, views
    # KTAB takes the second element of probEduChlg(j, i, i, j), the receiver's estimate of
    # the initiator's expected gain, where the receiver's probability is meant.
    _, pr = probability_and_gain(view, s_total, c, targets, proposers, proposers, targets, cfg)
    bj_i, bj_j = interpolate(cfg.interpolation, xi, si, pr[:, None], xj, sj, 1 - pr[:, None])
    if cfg.bargain_model == "init_rcvr":
        b = proposers.size
        order = np.arange(2 * b).reshape(2, b).T.ravel()  # init then rcvr view, per pair
        views = np.concatenate([np.zeros(b, dtype=np.intp), np.ones(b, dtype=np.intp)])
        return (
            np.concatenate([proposers, proposers])[order],
            np.concatenate([targets, targets])[order],
            np.concatenate([bi_i, bj_i])[order],
            np.concatenate([bi_j, bj_j])[order],
            np.concatenate([pa, pa])[order],
            np.concatenate([ga, ga])[order],
            views[order],
        )
    # KTAB weighs the receiver's view with the initiator's capability.
    wi = (c[proposers] * s_total[proposers])[:, None]
    wj = (c[proposers] * s_total[targets])[:, None]
    tot = wi + wj
    safe = np.where(tot > 0, tot, 1.0)
    ci_ = np.where(tot > 0, (wi * bi_i + wj * bj_i) / safe, (bi_i + bj_i) / 2)
    cj_ = np.where(tot > 0, (wi * bi_j + wj * bj_j) / safe, (bi_j + bj_j) / 2)
    views = np.full(proposers.size, 2, dtype=np.intp)
    return proposers, targets, ci_, cj_, pa, ga, views


def _step(
    view: StateView,
    s: F,
    s_total: F,
    c: F,
    cfg: SMPConfig,
    rng: np.random.Generator | None,
) -> tuple[F, RoundBargains]:
    x = view.x
    n = x.shape[0]
    inits, rcvrs, pos_i, pos_r, pa, ga, views = _proposals(view, s, s_total, c, cfg)
    chosen = np.full(n, -1, dtype=np.intp)
    new_x = x.copy()
    nb = inits.size
    if nb:
        # Utility to every actor of the state after each bargain: mean over all positions.
        total = view.own.sum(axis=1)
        ui = utility(point_distance(x, s, pos_i), view.risk[:, None])
        ur = utility(point_distance(x, s, pos_r), view.risk[:, None])
        ub = (total[:, None] - view.own[:, inits] - view.own[:, rcvrs] + ui + ur) / n
        ub = np.concatenate([(total / n)[:, None], ub], axis=1)  # column 0: the status quo
        member = (inits[None, :] == np.arange(n)[:, None]) | (
            rcvrs[None, :] == np.arange(n)[:, None]
        )
        movers = np.flatnonzero(member.any(axis=1))
        # Column 0 is everyone's status quo; an actor's queue is it plus its own bargains,
        # in the order they were made.
        queue_of = np.concatenate([np.ones((movers.size, 1), dtype=bool), member[movers]], axis=1)
        # A coalition for bargain a against b does not depend on whose queue holds them:
        # score every pair once, then each actor's election uses its own sub-matrix.
        strength = coalitions(cfg.voting_rule, c, ub)
        if cfg.pce == "conditional":
            # log P_a = sum over the queue of log p_ab, for every actor's queue at once
            with np.errstate(divide="ignore"):
                logv = np.log(victory_matrix(cfg.victory_prob, strength))
            logv = np.where(np.isfinite(logv), logv, -1e300)
            logp = np.where(queue_of, queue_of.astype(float) @ logv.T, -np.inf)
            prob = np.exp(logp - logp.max(axis=1, keepdims=True))
            prob /= prob.sum(axis=1, keepdims=True)
        else:
            prob = np.zeros(queue_of.shape)
            for r in range(movers.size):
                opts = np.flatnonzero(queue_of[r])
                prob[r, opts], _ = pce(cfg.pce, cfg.victory_prob, strength[np.ix_(opts, opts)])
        if cfg.transitions == "stochastic" and rng is not None:
            draws = rng.random(movers.size)
            cum = np.cumsum(prob, axis=1)
            # cum rises only on queued columns, so the first column reaching the draw is one
            pick = (cum < draws[:, None] * cum[:, -1:]).sum(axis=1)
            last = queue_of.shape[1] - 1 - np.argmax(queue_of[:, ::-1], axis=1)
            pick = np.minimum(pick, last)
        else:
            pick = _first_max(np.where(queue_of, prob, -np.inf))
        picked = pick - 1  # -1: status quo
        chosen[movers] = picked
        take = picked >= 0
        k_moved, b_moved = movers[take], picked[take]
        new_x[k_moved] = np.where(
            (inits[b_moved] == k_moved)[:, None], pos_i[b_moved], pos_r[b_moved]
        )
    return new_x, RoundBargains(inits, rcvrs, pos_i, pos_r, pa, ga, views, chosen)


def smp_path(x0: F, s: F, c: F, cfg: SMPConfig, rng: np.random.Generator | None = None) -> SMPPath:
    """Run the SMP from positions ``x0`` until KTAB's stopping rule holds."""
    x0 = np.asarray(x0, dtype=float)
    s = np.asarray(s, dtype=float)
    c = np.asarray(c, dtype=float)
    n = x0.shape[0]
    block_rows(n, pair_row_bytes(n), f"the SMP challenge cube of {n:,} actors", "smp")  # early
    top = float(c.max(initial=0.0))
    if top > 0:
        # Only capability ratios matter; KTAB's tiny guards (1e-8, 1e-10) are sized for
        # capabilities in the tens to hundreds, so put the largest at 100.
        c = c * (100.0 / top)
    s_total = s.sum(axis=1)
    # Only the current state's view is held (its arrays are n x n); of every state the
    # path keeps what the result reports.
    view = evaluate_state(x0, s, c, cfg)
    kept: list[tuple[F, F, F, F, bool, bool]] = []

    def keep(v: StateView) -> None:
        kept.append((v.x, v.win, v.risk, v.p_unique @ v.x[v.unique], v.risk_defined, v.pce_defined))

    keep(view)
    rounds: list[RoundBargains] = []
    ratios: list[float] = []
    converged = False

    def dist(a: F, b: F) -> float:
        return float(np.sqrt(((a - b) ** 2).sum(axis=1)).sum())

    seen = {x0.tobytes(): 0}
    cycle: tuple[int, int] | None = None
    while len(rounds) < cfg.rounds:
        new_x, made = _step(view, s, s_total, c, cfg, rng)
        rounds.append(made)
        prev, view = view, evaluate_state(new_x, s, c, cfg)
        keep(view)
        d01 = dist(kept[0][0], kept[1][0]) + STOP_MIN_SIG_DELTA
        ratio = dist(prev.x, view.x) / d01
        del prev
        ratios.append(ratio)
        if len(rounds) >= cfg.min_rounds and ratio < cfg.min_delta_ratio:
            converged = True
            break
        if cfg.transitions == "deterministic":
            # The next state depends on the positions alone: a repeat repeats for ever, and
            # the stopping rule, not met within the cycle so far, would not be met later.
            key = new_x.tobytes()
            if key in seen and cfg.stop_at_cycle:
                start = seen[key]
                period = len(rounds) - start
                if all(v >= cfg.min_delta_ratio for v in ratios[start : start + period]):
                    cycle = (start, period)
                    break
            seen.setdefault(key, len(rounds))
    return SMPPath(
        x=np.stack([k[0] for k in kept]),
        win=np.stack([k[1] for k in kept]),
        risk=np.stack([k[2] for k in kept]),
        expected=np.stack([k[3] for k in kept]),
        bargains=rounds,
        stop_ratio=ratios,
        converged=converged,
        cycle=cycle,
        risk_undefined=[t for t, k in enumerate(kept) if not k[4]],
        pce_undefined=[t for t, k in enumerate(kept) if not k[5]],
    )
