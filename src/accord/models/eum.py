"""Bueno de Mesquita's expected-utility model, as replicated by Scholz, Calbert & Smith (2011).

Each issue is a line; actor *i* has position :math:`x_i`, capability :math:`c_i`, salience
:math:`s_i \\in [0, 1]` and a risk exponent :math:`r_i` (1 at the start of every round).
With :math:`\\Delta = \\max x - \\min x` (``position_range``):

Votes of *k* for *a* over *b* (Scholz et al. 2011, section 3.2)::

    v_k(a, b) = c_k s_k [ (|x_k - x_b| / Δ)^ρ_k - (|x_k - x_a| / Δ)^ρ_k ]

with :math:`\\rho_k = r_k` (``vote_risk=True``, Scholz's code) or 1 (the paper).

Probability that *a* prevails over *b* (eq. 30)::

    P(a, b) = Σ_k max(0, v_k(a, b)) / D

where D is :math:`\\sum_k |v_k(a, b)|` (``probability_denominator="pair"``, the paper) or
the sum of :math:`|v_k(a', b')|` over all actor triples (``"all_triples"``, Scholz's code,
which makes P small). P = 0 when :math:`x_a = x_b`.

Utilities of the evaluating actor *e* (risk exponent :math:`r_e`) for *a* challenging *b*
(eqs. 15, 16, 18, 19, 24), with :math:`u(z) = 2 - 4 z^{r_e}`::

    U_s  = u(1/2 - 1/2 |x_a - x_b| / Δ)                 success
    U_f  = u(1/2 + 1/2 |x_a - x_b| / Δ)                 failure
    U_b  = u(1/2 - 1/4 (|x_a - μ| + |x_a - x_b|) / Δ)   no challenge, things improve
    U_w  = u(1/2 + 1/4 (|x_a - μ| + |x_a - x_b|) / Δ)   no challenge, things worsen
    U_sq = u(1/2)                                        status quo

Expected utility of *a* challenging *b* (eq. 25a/b)::

    EU(a, b) = s_b [P(a,b) U_s + (1 - P(a,b)) U_f] + (1 - s_b) U_s
               - Q U_sq - (1 - Q) [T U_b + (1 - T) U_w]

Scholz's code leaves out the last term (``no_challenge_term="omitted"``); with Q = 1 the
two agree. T is a constant (``improvement="constant"``) or 1 exactly when
:math:`|x_a - \\mu| < |x_a - x_b|` (``"indicator"``, Eftekhari & Rahimi 2014).

Risk (eqs. 32, 33): with every r = 1, actor *i*'s exposure
:math:`S_i = \\sum_{j \\ne i} EU(j, i)`, then
:math:`R_i = (2 S_i - \\max S - \\min S) / (\\max S - \\min S)` and
:math:`r_i = (1 - R_i/3) / (1 + R_i/3) \\in [1/2, 2]`; every EU is then recomputed with
these :math:`r_i`.

Offers. Receiver *i* judges each proposer *j* with :math:`x_j \\ne x_i` by
:math:`EU_{ij}` (its own EU of challenging *j*) and :math:`EU_{ji}` (*j*'s EU of
challenging *i*, computed with *i*'s risk exponent in Scholz's code,
``perception="receiver"``, or with *j*'s own, ``"own"``):

* confrontation, :math:`EU_{ji} > EU_{ij} > 0`: *i* moves to :math:`x_j`;
* compromise, :math:`EU_{ji} > 0 > EU_{ij}` and :math:`EU_{ji} > |EU_{ij}|`: *i* moves
  the fraction :math:`|EU_{ij} / EU_{ji}|` of the way to :math:`x_j`;
* capitulation, :math:`EU_{ji} > 0 > EU_{ij}` and :math:`EU_{ji} < |EU_{ij}|`: *i* moves
  to :math:`x_j`. In Scholz's code (and its Python replication) the test reads
  ``eu_ji < abs(eu_ji)``, which is never true, so capitulation never happens
  (``capitulation=False``).

Each receiver accepts one offer (``offer_choice``): in the paper the one that moves it
least (``"least_move"``); in Scholz's code the nearest confrontation if there is one,
else the compromise with the smallest key :math:`(|EU_{ij}| x_i + |EU_{ji}| x_j) /
(|EU_{ij}| + |EU_{ji}|)`, else the nearest capitulation (``"scholz_key"``). All actors
move at once; then the median voter position μ (the position with the least c·s-weighted
distance to all actors, i.e. the weighted median and Condorcet winner) and the c·s-weighted
mean are recorded.

Cycles. The model need not converge (Scholz et al. flag "concerns regarding model
sensitivity and convergence"; on the EC data it oscillates). After the run every issue's
sequence of states is searched for the first recurrence: a state equal (within
``cycle_tolerance`` x Δ) to an earlier one. A period-1 recurrence is convergence and the
forecast is μ there; a longer period is reported as a :class:`~accord.models.base.Cycle`
and the forecast is the mean of μ over one period. Without recurrence the forecast is μ
after the last round and the status says ``max_rounds``.

Presets: ``scholz_code`` follows Scholz's code as replicated by jmckib (2014),
reproducing its published 10-round EC trajectory; ``scholz_paper`` follows the paper's
equations. Every point where they differ is an option of its own, so either preset can be
changed one switch at a time.

Decision rules (option ``decision_rules``, on by default): where an issue declares a rule,
the rounds run unconstrained (challenges need no vote) and the final forecast is bound to
what the rule lets through, as a constraint on the adopted outcome
(:func:`accord.models.rules.bind`; the unbound forecast and the shift are in
``extra["decision_rule"]`` and a ``decision_rule`` diagnostic).

References
----------
* Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's
  group decision model. *J. Theoretical Politics* 23(4):510-531.
  doi:10.1177/0951629811418142
* Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
  Bueno de Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP.
* Eftekhari, Z. & Rahimi, S. (2014). Preana: game theory based prediction with
  reinforcement learning. *Natural Science* 6:1108-1121.
* jmckib/bdm-scholz-expected-utility-model (2014), the Python replication of Scholz's code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from accord import limits
from accord.models.base import (
    Cycle,
    Diagnostic,
    Event,
    Model,
    ModelResult,
    Options,
    Status,
)
from accord.models.compromise import weighted_mean
from accord.models.rules import bind
from accord.scenario.schema import Scenario, ScenarioArrays

__all__ = ["EUM", "PRESETS", "EUMOptions", "EUMPath", "eum_path"]

Arr = NDArray[np.float64]

PRESETS: dict[str, dict[str, Any]] = {
    "scholz_code": {
        "q": 1.0,
        "t": 1.0,
        "improvement": "constant",
        "probability_denominator": "all_triples",
        "capitulation": False,
        "offer_choice": "scholz_key",
        "vote_risk": True,
        "perception": "receiver",
        "no_challenge_term": "omitted",
        "median": "weighted_median",
        "position_range": "initial",
    },
    "scholz_paper": {
        "q": 1.0,
        "t": 1.0,
        "improvement": "constant",
        "probability_denominator": "pair",
        "capitulation": True,
        "offer_choice": "least_move",
        "vote_risk": False,
        "perception": "own",
        "no_challenge_term": "full",
        "median": "weighted_median",
        "position_range": "initial",
    },
}

NONE, CONFRONTATION, COMPROMISE, CAPITULATION = 0, 1, 2, 3
_KIND = {CONFRONTATION: "confrontation", COMPROMISE: "compromise", CAPITULATION: "capitulation"}


class EUMOptions(Options):
    """Options of the expected-utility model; ``None`` takes the preset's value."""

    preset: Literal["scholz_code", "scholz_paper"] = "scholz_code"
    rounds: int = Field(default=100, ge=0, le=100_000, description="maximum number of rounds")
    q: float | None = Field(default=None, ge=0, le=1, description="P(status quo holds)")
    t: float | None = Field(default=None, ge=0, le=1, description="P(things improve)")
    improvement: Literal["constant", "indicator"] | None = None
    probability_denominator: Literal["all_triples", "pair"] | None = None
    capitulation: bool | None = None
    offer_choice: Literal["scholz_key", "least_move"] | None = None
    vote_risk: bool | None = None
    perception: Literal["receiver", "own"] | None = None
    no_challenge_term: Literal["omitted", "full"] | None = None
    median: Literal["weighted_median", "mean"] | None = None
    position_range: Literal["initial", "current", "scale"] | None = None
    forecast: Literal["median", "mean"] = "median"
    cycle_tolerance: float = Field(
        default=1e-6, ge=0, description="states this close (x initial spread) count as equal"
    )

    def resolved(self) -> dict[str, Any]:
        """The options with the preset's values filled in."""
        out = dict(PRESETS[self.preset])
        for key, value in self.model_dump().items():
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class EUMPath:
    """Raw output of :func:`eum_path` for a batch of B issues (or draws) of n actors.

    ``x`` (rounds+1, B, n) positions; ``median`` and ``mean`` (rounds+1, B);
    ``risk`` (rounds, B, n) risk exponents used in each round; ``kind``, ``partner``,
    ``eu_self``, ``eu_other`` (rounds, B, n): the offer each actor accepted;
    ``recurrence`` (B, 2): per row the first state that recurs and the period of the
    recurrence (1 = fixed point), or (-1, -1).
    """

    x: Arr
    median: Arr
    mean: Arr
    risk: Arr
    kind: NDArray[np.int8]
    partner: NDArray[np.int64]
    eu_self: Arr
    eu_other: Arr
    flat_security: NDArray[np.bool_]
    recurrence: NDArray[np.int64]
    flat: NDArray[np.bool_] | None = None

    def row(self, b: int) -> EUMPath:
        """Row ``b`` as a batch of one, cut where a run of that row alone would have stopped.

        Rows are independent, so this equals ``eum_path`` on row ``b`` alone (with
        ``stop_at_recurrence``): the run stops in the round its state first recurs.
        """
        start, period = (int(v) for v in self.recurrence[b])
        steps = self.kind.shape[0] if start < 0 else min(start + period, self.kind.shape[0])
        flat = self.flat[:steps, b] if self.flat is not None else None
        return EUMPath(
            x=self.x[: steps + 1, b : b + 1],
            median=self.median[: steps + 1, b : b + 1],
            mean=self.mean[: steps + 1, b : b + 1],
            risk=self.risk[:steps, b : b + 1],
            kind=self.kind[:steps, b : b + 1],
            partner=self.partner[:steps, b : b + 1],
            eu_self=self.eu_self[:steps, b : b + 1],
            eu_other=self.eu_other[:steps, b : b + 1],
            flat_security=np.array([bool(flat.any())])
            if flat is not None
            else self.flat_security[b : b + 1],
            recurrence=self.recurrence[b : b + 1],
            flat=None if flat is None else flat[:, None],
        )


def _weighted_median_rows(x: Arr, w: Arr) -> Arr:
    """Per row, the actor position with the least weighted L1 distance to all actors.

    That is the weighted median (ties: the lowest such position); rows without weight
    fall back to equal weights.
    """
    w = np.where(w.sum(axis=1, keepdims=True) > 0, w, 1.0)
    cost = np.sum(w[:, None, :] * np.abs(x[:, :, None] - x[:, None, :]), axis=2)  # (B, cand)
    best = cost.min(axis=1, keepdims=True)
    tol = 1e-12 * np.maximum(best, 1.0)
    cand = np.where(cost <= best + tol, x, np.inf)
    out: Arr = cand.min(axis=1)
    return out


VOTE_ARRAYS = 4  # (problems, voters, options a, options c) float arrays alive at once


def _win_probability(x: Arr, w: Arr, r: Arr, delta: Arr, cfg: dict[str, Any]) -> Arr:
    """P[b, a, c]: probability that a prevails over c.

    The votes ``v[b, k, a, c]`` form an (actors^3) cube per problem; it is summed in blocks
    of problems and of options a within ``ACCORD_MAX_BLOCK_BYTES``
    (:func:`~accord.limits.block_rows`). The sums over voters run in voter order, so every
    block size gives the same numerators and pair denominators. The all-triples
    denominator is one NumPy sum per problem while a problem's cube fits in a block
    (up to 161 actors at the default 128 MiB); beyond, it is summed over c, then k, then a
    (the same for every block size, but not bit for bit the one-block sum: ~1e-16 relative).
    """
    bsz, n = x.shape
    d = np.abs(x[:, :, None] - x[:, None, :]) / delta[:, None, None]  # (B, k, a)
    if cfg["vote_risk"]:
        d = d ** r[:, :, None]
    row = VOTE_ARRAYS * 8 * n * n  # one problem's votes on one option a
    step = limits.block_rows(n, row, f"the EUM vote cube of {n:,} actors", "eum")
    per = max(1, limits.BLOCK.value // (row * n)) if step >= n else 1
    triples = cfg["probability_denominator"] == "all_triples"
    num = np.empty((bsz, n, n))
    # all triples: one total per problem; where a problem is cut into blocks of a, per
    # (b, k, a) the sum over c, then over k and a
    den = np.empty(bsz) if triples and step >= n else np.empty((bsz, n, n))
    for b0 in range(0, bsz, per):
        bs = slice(b0, b0 + per)
        for a0 in range(0, n, step):
            cut = slice(a0, a0 + step)
            # v[b, k, a, c] = c_k s_k (d_kc - d_ka): k's vote for a over c
            v = w[bs, :, None, None] * (d[bs, :, None, :] - d[bs, :, cut, None])
            num[bs, cut] = np.clip(v, 0.0, None).sum(axis=1)
            np.abs(v, out=v)
            if not triples:
                den[bs, cut] = v.sum(axis=1)
            elif step >= n:
                den[bs] = v.sum(axis=(1, 2, 3))
            else:
                den[bs, :, cut] = v.sum(axis=3)
    if triples:
        total = den if step >= n else den.sum(axis=1).sum(axis=1)
        den = np.broadcast_to(total[:, None, None], num.shape)
    p: Arr = np.zeros_like(num)
    np.divide(num, den, out=p, where=den > 0)
    p[x[:, :, None] == x[:, None, :]] = 0.0
    return p


def _u(z: Arr, r: Arr) -> Arr:
    out: Arr = 2.0 - 4.0 * np.clip(z, 0.0, None) ** r
    return out


def _expected_utility(
    x: Arr, s: Arr, p: Arr, r_pair: Arr, mu: Arr, delta: Arr, cfg: dict[str, Any]
) -> Arr:
    """EU[b, a, c] of a challenging c, with utilities of risk exponent ``r_pair[b, a, c]``."""
    gap = np.abs(x[:, :, None] - x[:, None, :])
    dist = gap / delta[:, None, None]
    us = _u(0.5 - 0.5 * dist, r_pair)
    uf = _u(0.5 + 0.5 * dist, r_pair)
    usq = _u(np.full_like(dist, 0.5), r_pair)
    sc = s[:, None, :]
    eu: Arr = sc * (p * us + (1.0 - p) * uf) + (1.0 - sc) * us - cfg["q"] * usq
    if cfg["no_challenge_term"] == "full" and cfg["q"] < 1.0:
        to_mu = np.abs(x - mu[:, None])[:, :, None]
        spread = (to_mu + gap) / delta[:, None, None]
        ub = _u(0.5 - 0.25 * spread, r_pair)
        uw = _u(0.5 + 0.25 * spread, r_pair)
        if cfg["improvement"] == "indicator":
            t: Arr | float = (to_mu < gap).astype(float)
        else:
            t = cfg["t"]
        eu = eu - (1.0 - cfg["q"]) * (t * ub + (1.0 - t) * uw)
    return eu


def _risk_exponents(
    x: Arr, w: Arr, s: Arr, mu: Arr, delta: Arr, cfg: dict[str, Any]
) -> tuple[Arr, NDArray[np.bool_]]:
    """Risk exponents r_i from each actor's exposure to challenges (eqs. 32-33)."""
    ones = np.ones_like(x)
    p = _win_probability(x, w, ones, delta, cfg)
    eu = _expected_utility(x, s, p, np.ones_like(p), mu, delta, cfg)
    n = x.shape[1]
    eu = eu * (1.0 - np.eye(n))[None]
    security = eu.sum(axis=1)  # S_c = sum over challengers a != c of EU(a, c)
    hi, lo = security.max(axis=1, keepdims=True), security.min(axis=1, keepdims=True)
    span = hi - lo
    flat = (span <= 1e-12 * np.maximum(np.abs(hi), 1.0))[:, 0]
    big_r = np.where(span > 0, (2.0 * security - hi - lo) / np.where(span > 0, span, 1.0), 0.0)
    big_r[flat] = 0.0
    r: Arr = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
    return r, flat


def _choose_offers(
    x: Arr, eu_ij: Arr, eu_ji: Arr, cfg: dict[str, Any]
) -> tuple[NDArray[np.int8], NDArray[np.int64], Arr]:
    """Which offer each receiver accepts: (kind, proposer, new position)."""
    n = x.shape[1]
    xi, xj = x[:, :, None], x[:, None, :]
    valid = (xi != xj) & ~np.eye(n, dtype=bool)[None]
    conf = valid & (eu_ji > eu_ij) & (eu_ij > 0)
    loser = valid & (eu_ji > 0) & (eu_ij < 0)
    comp = loser & (eu_ji > np.abs(eu_ij))
    capit = loser & (eu_ji < np.abs(eu_ij)) if cfg["capitulation"] else np.zeros_like(loser)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.abs(eu_ij / eu_ji)
        target = np.where(comp, xi + (xj - xi) * frac, np.broadcast_to(xj, conf.shape))
    kinds = np.where(
        conf, CONFRONTATION, np.where(comp, COMPROMISE, np.where(capit, CAPITULATION, NONE))
    )
    move = np.abs(target - xi)

    if cfg["offer_choice"] == "least_move":
        key = np.where(kinds != NONE, move, np.inf)
        j = np.argmin(key, axis=2)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            comp_key = (np.abs(eu_ij) * xi + np.abs(eu_ji) * xj) / (np.abs(eu_ij) + np.abs(eu_ji))
        j_conf = np.argmin(np.where(conf, move, np.inf), axis=2)
        j_comp = np.argmin(np.where(comp, comp_key, np.inf), axis=2)
        j_cap = np.argmin(np.where(capit, move, np.inf), axis=2)
        j = np.where(conf.any(axis=2), j_conf, np.where(comp.any(axis=2), j_comp, j_cap))
    kind = np.take_along_axis(kinds, j[:, :, None], axis=2)[:, :, 0].astype(np.int8)
    new = np.take_along_axis(target, j[:, :, None], axis=2)[:, :, 0]
    new = np.where(kind != NONE, new, x)
    partner = np.where(kind != NONE, j, -1).astype(np.int64)
    return kind, partner, new


def eum_path(
    x0: Arr,
    c: Arr,
    s: Arr,
    rounds: int,
    *,
    scale_width: Arr | None = None,
    cycle_tolerance: float = 1e-6,
    stop_at_recurrence: bool = True,
    **options: Any,
) -> EUMPath:
    """Run the expected-utility model on a batch of one-dimensional issues.

    ``x0``, ``c`` and ``s`` have shape (B, n): B independent issues or Monte Carlo draws
    of the same n actors; ``s`` on 0-1. ``options`` are those of :class:`EUMOptions`
    (``preset`` and overrides). A state recurs when it is within ``cycle_tolerance`` times
    the row's initial spread of an earlier state. With ``stop_at_recurrence`` a row leaves
    the computation in the round its state recurs (where a run of that row alone stops),
    its later rounds repeat its cycle, and the run ends once every row has recurred;
    :meth:`EUMPath.row` cuts a row where it stopped. (EUM's choices are discontinuous, so
    a state that recurs only within the tolerance can, run on, leave its cycle later.)
    """
    cfg = EUMOptions(rounds=rounds, **options).resolved()
    x = np.array(x0, dtype=float, ndmin=2)
    c = np.broadcast_to(np.asarray(c, dtype=float), x.shape)
    s = np.broadcast_to(np.asarray(s, dtype=float), x.shape)
    w = c * s
    b, n = x.shape
    limits.block_rows(n, VOTE_ARRAYS * 8 * n * n, f"the EUM vote cube of {n:,} actors", "eum")

    def position_range(xx: Arr, rows: NDArray[np.intp]) -> Arr:
        if cfg["position_range"] == "scale":
            if scale_width is None:
                raise ValueError("position_range='scale' needs scale_width")
            return np.broadcast_to(np.asarray(scale_width, dtype=float), (b,))[rows].copy()
        span: Arr = xx.max(axis=1) - xx.min(axis=1)
        return np.where(span > 0, span, 1.0)

    def centre(xx: Arr, ww: Arr) -> tuple[Arr, Arr]:
        med = _weighted_median_rows(xx, ww)
        mean = weighted_mean(xx[:, :, None], ww[:, :, None], axis=1)[:, 0]
        mean = np.where(np.isnan(mean), xx.mean(axis=1), mean)
        return med, mean

    everyone = np.arange(b)
    delta = position_range(x, everyone)
    atol = cycle_tolerance * (x.max(axis=1) - x.min(axis=1))
    xs, meds, means = [x.copy()], [], []
    risks, kinds, partners, eus_self, eus_other, flats = [], [], [], [], [], []
    recurrence = np.full((b, 2), -1, dtype=np.int64)
    # With stop_at_recurrence a row leaves the computation once its state recurs; its
    # later rounds are filled in from its cycle afterwards (see _continue_cycles).
    live = everyone
    for t in range(1, rounds + 1):
        xa, wa, sa = x[live], w[live], s[live]
        med, mean = centre(xa, wa)
        meds.append(_scatter(med, live, b, np.nan))
        means.append(_scatter(mean, live, b, np.nan))
        mu = med if cfg["median"] == "weighted_median" else mean
        if cfg["position_range"] == "current":
            delta[live] = position_range(xa, live)
        da = delta[live]
        r, flat = _risk_exponents(xa, wa, sa, mu, da, cfg)
        flats.append(_scatter(np.broadcast_to(flat, (live.size,)), live, b, False))
        p = _win_probability(xa, wa, r, da, cfg)
        r_row = np.broadcast_to(r[:, :, None], p.shape)
        eu_row = _expected_utility(xa, sa, p, r_row, mu, da, cfg)  # EU(i -> j) by i
        if cfg["perception"] == "own":
            eu_ji = np.swapaxes(eu_row, 1, 2)
        else:
            r_col = np.broadcast_to(r[:, None, :], p.shape)
            eu_ji = np.swapaxes(_expected_utility(xa, sa, p, r_col, mu, da, cfg), 1, 2)
        kind, partner, x_new = _choose_offers(xa, eu_row, eu_ji, cfg)
        x[live] = x_new
        safe = np.maximum(partner, 0)[:, :, None]
        risks.append(_scatter(r, live, b, np.nan))
        kinds.append(_scatter(kind, live, b, NONE))
        partners.append(_scatter(partner, live, b, -1))
        eus_self.append(
            _scatter(np.take_along_axis(eu_row, safe, axis=2)[:, :, 0], live, b, np.nan)
        )
        eus_other.append(
            _scatter(np.take_along_axis(eu_ji, safe, axis=2)[:, :, 0], live, b, np.nan)
        )
        # First recurrence of each row's state: a fixed point (period 1) or a cycle.
        gaps = np.abs(np.stack(xs)[:, live] - x_new[None]).max(axis=2)  # (t, live)
        for k, row in enumerate(live):
            if recurrence[row, 0] >= 0:
                continue
            hits = np.flatnonzero(gaps[:, k] <= atol[row])
            if hits.size:
                recurrence[row] = (hits[-1], t - hits[-1])
        xs.append(x.copy())
        if stop_at_recurrence:
            live = live[recurrence[live, 0] < 0]
            if live.size == 0:
                break
    med, mean = centre(x, w)  # a row that left holds the state in which it recurred
    steps = len(xs) - 1
    stop = np.where(recurrence[:, 0] >= 0, recurrence.sum(axis=1), steps)
    if not stop_at_recurrence:
        stop[:] = steps
    for row in everyone:
        if stop[row] < steps:
            meds[stop[row]][row], means[stop[row]][row] = med[row], mean[row]
    meds.append(med)
    means.append(mean)

    def stack(items: list[Any], shape: tuple[int, ...], dtype: Any) -> Any:
        return np.stack(items) if items else np.zeros(shape, dtype=dtype)

    states, rounds_ = _continue_cycles(recurrence, stop, steps)
    kind_all = stack(kinds, (0, b, n), np.int8)
    flat_all = stack(flats, (0, b), bool)
    flat_all = flat_all[rounds_, everyone] if steps else flat_all
    return EUMPath(
        x=np.stack(xs)[states, everyone],
        median=np.stack(meds)[states, everyone],
        mean=np.stack(means)[states, everyone],
        risk=stack(risks, (0, b, n), float)[rounds_, everyone],
        kind=kind_all[rounds_, everyone],
        partner=stack(partners, (0, b, n), np.int64)[rounds_, everyone],
        eu_self=stack(eus_self, (0, b, n), float)[rounds_, everyone],
        eu_other=stack(eus_other, (0, b, n), float)[rounds_, everyone],
        flat_security=flat_all.any(axis=0) if steps else np.zeros(b, dtype=bool),
        recurrence=recurrence,
        flat=flat_all,
    )


def _scatter(values: Any, rows: NDArray[np.intp], b: int, fill: Any) -> Any:
    """``values`` of the live ``rows`` placed in a batch of ``b`` rows, ``fill`` elsewhere."""
    values = np.asarray(values)
    if rows.size == b:
        return values.copy()
    out = np.full((b, *values.shape[1:]), fill, dtype=values.dtype)
    out[rows] = values
    return out


def _continue_cycles(
    recurrence: NDArray[np.int64], stop: NDArray[np.int64], steps: int
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index maps (steps + 1, B) for states and (steps, B) for rounds.

    Up to its stop a row maps to itself; after it, state u of a row whose state recurred
    (first recurring state ``start``, ``period``) is state ``start + (u - start) mod
    period`` (the cycle continues), and round u (from state u - 1) likewise.
    """
    u = np.arange(steps + 1)[:, None]
    start, period = recurrence[:, 0][None], np.maximum(recurrence[:, 1], 1)[None]
    cycled = start + (u - start) % period
    states = np.where(u <= stop[None], u, cycled)
    v = np.arange(steps)[:, None]
    cycled_r = start + (v - start) % period
    rounds_ = np.where(v < stop[None], v, cycled_r)
    return states.astype(np.intp), rounds_.astype(np.intp)


def _event_text(kind: int, actor: str, other: str) -> str:
    if kind == CONFRONTATION:
        return f"{actor} loses confrontation to {other}"
    if kind == COMPROMISE:
        return f"{actor} compromises with {other}"
    return f"{actor} capitulates to {other}"


def _problems(a: ScenarioArrays) -> list[tuple[NDArray[np.intp], Arr, Arr, Arr, Arr]]:
    """Per issue: the present actors and their (1, n) positions, capabilities, saliences,
    and the issue's scale width (1,)."""
    out = []
    for k in range(a.position.shape[1]):
        idx = np.flatnonzero(a.present[:, k])
        out.append(
            (
                idx,
                a.position[idx, k][None],
                a.capability[idx, k][None],
                a.salience[idx, k][None],
                a.scale_max[k : k + 1] - a.scale_min[k : k + 1],
            )
        )
    return out


class EUM(Model):
    name = "eum"
    summary = "Bueno de Mesquita's expected-utility model (Scholz et al. 2011 replication)"
    references = ("Scholz, Calbert & Smith 2011", "Bueno de Mesquita 1994")
    options_type = EUMOptions
    options: EUMOptions
    footprint_exponents = (2, 1)  # the actors^3 cubes are worked in blocks (limits.BLOCK)
    footprint_arrays = 16

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        return self.run_many([scenario])[0]  # its issues batched by actor count

    def run_many(
        self, scenarios: Sequence[Scenario], *, rng: np.random.Generator | int | None = None
    ) -> list[ModelResult]:
        """Every issue of every scenario, batched by actor count through :func:`eum_path`.

        Issues are independent one-dimensional problems, so the results equal the loop of
        :meth:`run` (rows are cut where a run alone would have stopped).
        """
        arrays = [sc.arrays() for sc in scenarios]
        problems = [_problems(a) for a in arrays]
        groups: dict[int, list[tuple[int, int]]] = {}
        for i, probs in enumerate(problems):
            for k, (idx, *_) in enumerate(probs):
                groups.setdefault(idx.size, []).append((i, k))
        paths: list[list[EUMPath | None]] = [[None] * len(p) for p in problems]
        for members in groups.values():
            rows = [problems[i][k] for i, k in members]
            batch = self._path(
                np.concatenate([r[1] for r in rows]),
                np.concatenate([r[2] for r in rows]),
                np.concatenate([r[3] for r in rows]),
                np.concatenate([r[4] for r in rows]),
            )
            for b, (i, k) in enumerate(members):
                paths[i][k] = batch.row(b)
        return [
            bind(
                self._assemble(sc, a, [p for p in ps if p is not None]),
                sc,
                enabled=self.options.decision_rules,
            )
            for sc, a, ps in zip(scenarios, arrays, paths, strict=True)
        ]

    def _path(self, x0: Arr, c: Arr, s: Arr, width: Arr) -> EUMPath:
        opts = self.options
        return eum_path(
            x0,
            c,
            s,
            opts.rounds,
            scale_width=width,
            cycle_tolerance=opts.cycle_tolerance,
            **opts.model_dump(exclude={"rounds", "cycle_tolerance"}),
        )

    def _assemble(self, scenario: Scenario, a: ScenarioArrays, paths: list[EUMPath]) -> ModelResult:
        n, m = a.position.shape
        opts = self.options
        cfg = opts.resolved()
        forecast = np.full(m, np.nan)
        status: list[Status] = []
        events: list[Event] = []
        cycles: list[Cycle] = []
        diagnostics: list[Diagnostic] = []
        members = [np.flatnonzero(a.present[:, k]) for k in range(m)]
        for k, iid in enumerate(a.issue_ids):
            idx = members[k]
            x0 = a.position[idx, k][None]
            path = paths[k]
            if path.flat_security[0]:
                diagnostics.append(
                    Diagnostic(
                        "flat_security",
                        "all actors equally exposed to challenges: risk attitudes undefined, "
                        "taken as neutral (r = 1)",
                        iid,
                    )
                )
            if np.ptp(x0) == 0:
                diagnostics.append(
                    Diagnostic("no_disagreement", "all actors share one position", iid)
                )
            centre = path.median[:, 0] if opts.forecast == "median" else path.mean[:, 0]
            start, period = (int(v) for v in path.recurrence[0])
            if start < 0:
                forecast[k] = centre[-1]
                status.append("max_rounds" if opts.rounds > 0 else "static")
                if opts.rounds > 0:
                    tail = centre[-min(len(centre), 20) :]
                    diagnostics.append(
                        Diagnostic(
                            "not_converged",
                            f"no fixed point or cycle within {path.x.shape[0] - 1} rounds; "
                            f"forecast over the last {tail.size} states ranged "
                            f"{tail.min():.4g}..{tail.max():.4g}",
                            iid,
                        )
                    )
            else:
                if period == 1:
                    forecast[k] = centre[start]
                    status.append("converged")
                else:
                    window = centre[start : start + period]
                    forecast[k] = float(window.mean())
                    status.append("cycle")
                    cycles.append(
                        Cycle(iid, start, period, float(window.min()), float(window.max()))
                    )
                    diagnostics.append(
                        Diagnostic(
                            "cycle",
                            f"positions repeat every {period} rounds from round {start}; "
                            f"forecast is the mean over the cycle "
                            f"({window.min():.4g}..{window.max():.4g})",
                            iid,
                        )
                    )
            for t in range(path.kind.shape[0]):
                for row, i in enumerate(idx):
                    kind = int(path.kind[t, 0, row])
                    if kind == NONE:
                        continue
                    j = idx[int(path.partner[t, 0, row])]
                    actor, other = a.actor_ids[i], a.actor_ids[j]
                    events.append(
                        Event(
                            round=t + 1,
                            issue=iid,
                            kind=_KIND[kind],
                            actor=actor,
                            counterpart=other,
                            before=float(path.x[t, 0, row]),
                            after=float(path.x[t + 1, 0, row]),
                            values={
                                "eu_actor": float(path.eu_self[t, 0, row]),
                                "eu_counterpart": float(path.eu_other[t, 0, row]),
                                "risk_exponent": float(path.risk[t, 0, row]),
                            },
                            text=_event_text(kind, actor, other),
                        )
                    )
        length = max(p.x.shape[0] for p in paths)
        trajectory = np.full((length, n, m), np.nan)
        median_path = np.full((length, m), np.nan)
        mean_path = np.full((length, m), np.nan)
        risk = np.full((max(length - 1, 0), n, m), np.nan)
        for k, (path, idx) in enumerate(zip(paths, members, strict=True)):
            steps = path.x.shape[0]
            trajectory[:steps, idx, k] = path.x[:, 0, :]
            trajectory[steps:, idx, k] = path.x[-1, 0, :]  # a fixed point stays put
            median_path[:steps, k] = path.median[:, 0]
            median_path[steps:, k] = path.median[-1, 0]
            mean_path[:steps, k] = path.mean[:, 0]
            mean_path[steps:, k] = path.mean[-1, 0]
            risk[: steps - 1, idx, k] = path.risk[:, 0, :]
        events.sort(key=lambda e: (e.round, a.issue_ids.index(e.issue)))
        return ModelResult(
            model=self.name,
            scenario_id=scenario.id,
            options=cfg,
            actor_ids=a.actor_ids,
            issue_ids=a.issue_ids,
            forecast=forecast,
            status=tuple(status),
            trajectory=trajectory,
            forecast_path=median_path if opts.forecast == "median" else mean_path,
            events=tuple(events),
            cycles=tuple(cycles),
            diagnostics=tuple(diagnostics),
            extra={"median_path": median_path, "mean_path": mean_path, "risk_exponents": risk},
        )
