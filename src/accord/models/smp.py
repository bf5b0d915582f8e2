"""KTAB's Spatial Model of Politics (SMP): probabilistic Condorcet elections and bargaining.

The SMP of the KAPSARC Toolkit for Behavioral Analysis (KTAB; source
``examples/smp/libsrc/smp.cpp``, ``smpbcn.cpp``, ``KTAB/kmodel/libsrc/kmodel.cpp``, MIT
licence), written anew from its equations. Positions :math:`x_{ik} \\in [0, 1]` (each
issue's scale mapped to 0-1), saliences :math:`s_{ik} \\in [0, 1]` with
:math:`S_i = \\sum_k s_{ik}`, capability :math:`c_i`. A *policy space* is either a
scenario ``space`` (its issues are the dimensions, treated jointly) or a single issue.

Distance and utility (``SMPModel::bvDiff``, ``bsUtil``)::

    d_ij = sqrt( Σ_k s_ik² (x_ik − x_jk)² / Σ_k s_ik² )
    u_ij = (1 − d_ij)(1 + d_ij R_i)

Votes (``Model::vote``) of weight w on utility difference Δu: ``prop`` wΔu; ``binary``
w·clip(Δu/10⁻⁸, ±1); ``prop_bin`` w(0.8Δu + 0.2 bin); ``prop_cbc`` w(0.5Δu + 0.5Δu³);
``cubic`` wΔu³; ``asym_prosp`` wΔu if Δu < 0, ⅔wΔu if Δu > 0. Coalitions
(``Model::coalitions``) :math:`C_{ab} = 10^{-8} + \\sum_k \\max(v_k(a{:}b), 0)`.
Victory (``Model::vProb``) :math:`p_{ab} = C_{ab}^e / (C_{ab}^e + C_{ba}^e)` with e = 1, 2,
4, 8 (``linear``, ``square``, ``quartic``, ``octic``), or ``binary`` (decided at a 1.1
ratio, linear in between). Probabilistic Condorcet election (``condPCE``,
``markovUniformPCE``, ``markovIncentivePCE``): ``conditional`` :math:`P_a \\propto
\\prod_b p_{ab}`; ``markov_uniform`` and ``markov_incentive`` iterate a Markov chain of
challenges (uniform, or proportional to :math:`C_{ab} p_{ab}`) to its fixed point.

Each state (``SMPState::setAllAUtil``): a risk-neutral election (R = 0, voting weight
:math:`c_i`) over all positions gives :math:`P_i`; risk attitudes (``bigRfromProb``)
``mid`` :math:`R_i = (3P_i − P_{max} − 2P_{min}) / (2(P_{max} − P_{min}))` ∈ [−½, 1]
(``min`` → [0, 1], ``max`` → [−1, 1]); actor h's estimate of i's attitude
(``estNRA``) ``one_third`` (2R_h + R_i)/3, ``half``, ``two_thirds``, ``full`` (R_i),
``none`` (R_h). The winning probability of an actor is that of its (distinct) position
in an election with every actor's own risk-aware utilities, proportional votes and
weights :math:`c_i` (``SMPState::pDist``); coincident actors (within 10⁻³) share it.

Challenges (``SMPState::probEduChlg``), as estimated by h, of i against j for actor k:
principals vote with weights :math:`S_i c_i`, :math:`S_j c_j`; every third party n first
joins a "little contest" of i, j and itself (``Actor::vProbLittle``) and then votes
:math:`S_n c_n` on the utilities of the two three-actor outcomes under the commitment
rule (``thirdPartyVoteSU``: ``semi_commit``, ``full_commit``, ``no_commit``). With
:math:`P = C_{ij}/(C_{ij} + C_{ji})`::

    EU_sq = u_ki + u_kj,  EU_vict = 2 u_ki,  EU_contest = P 2u_ki + (1 − P) 2u_kj
    ΔEU = (1 − S_j) EU_vict + S_j EU_contest − EU_sq

Each actor i challenges the j with the largest ΔEU (by its own estimate, h = k = i) if
ΔEU > 10⁻⁵ and proposes a bargain (``interpolateBrgn``): per dimension, ``s2p2`` weights
:math:`w = s^2 P^2` (``s1p1``: sP) with P the initiator's victory estimate and 1 − P,
:math:`b_i = ((w_i + ε)x_i + w_j x_j)/(w_i + ε + w_j)`, ε = 10⁻⁶, rounded to 4
decimals; ``s2pmax`` moves only the weaker side. ``bargain_model``: ``init_only`` (the
initiator's view), ``init_rcvr`` (both views), ``power_weighted`` (their weighted mean).
As in KTAB, the receiver's view uses the receiver's estimate of the initiator's *expected
gain* where a probability is meant, and its power weight uses the initiator's capability.

State transition (``SMPState::doBCN``): each actor's queue holds its status quo and every
bargain it made or received; the utility to each actor of the state after a bargain is the
mean of its utilities of all positions; an election among the queue (voting weights
:math:`c_i`) picks one (``deterministic``: the most likely; ``stochastic``: a draw from
the seeded generator). Stop (``smpStopFn``) after ``rounds`` (100) steps, or from the
second step on when the summed Euclidean move of all actors is below 2 % of the first
step's (+10⁻⁴). Deterministic runs also stop (``stop_at_cycle``) when the positions
repeat a state exactly and the stopping rule failed all along the cycle, since KTAB
would then cycle on to ``rounds``; the result reports the cycle.

As KTAB writes ``thirdPartyVoteSU``, the two outcomes a third party compares have equal
utility sums under ``full_commit`` and ``no_commit``, so only ``semi_commit`` (the
default) lets third parties vote; this is kept.

Forecast: the PCE-probability-weighted mean of the distinct positions in the last state,
on each issue's scale. KTAB itself stops at the trajectory; ``forecast="weighted_mean"``
gives the capability × salience weighted mean of the final positions instead.

Capabilities are rescaled so that the largest is 100 before the run: only their ratios
matter, and KTAB's additive guards (10⁻⁸ in coalitions, 10⁻¹⁰ in challenges) then act at
the scale of KTAB's own inputs whatever units a scenario uses.

An actor whose saliences in a space sum to more than 1 (KTAB's CSV reader refuses such
files) has them divided by their sum, with a diagnostic; its distances do not change.

Batches (:mod:`accord.models.smp_batch`): :meth:`SMP.run_draws` runs B seeded Monte Carlo
draws of one scenario (draw b uses the b-th generator spawned from ``rng`` and equals
``run(scenario, rng=that generator)``), and :meth:`SMP.run_many` runs deterministic
scenarios whose policy spaces have the same shape together; both go through one
vectorised kernel step for all problems still running (finished ones leave the batch).
The event log and the bargain table are built from the stored paths when first read.

Degenerate inputs never raise (KTAB asserts on them): when all positions are equally
likely the risk attitudes are undefined and everyone is risk-neutral; an actor with zero
salience everywhere in a space is indifferent (distance 0); each case is a
:class:`~accord.models.base.Diagnostic`.

Decision rules (option ``decision_rules``, on by default): where an issue declares a rule,
the bargaining runs unconstrained and the final forecast is bound to what the rule lets
through, as a constraint on the adopted outcome (:func:`accord.models.rules.bind`; the
unbound forecast and the shift are in ``extra["decision_rule"]`` and a ``decision_rule``
diagnostic).

References
----------
* KAPSARC, *KTAB: KAPSARC Toolkit for Behavioral Analysis*, source
  ``github.com/KAPSARC/KTAB`` (MIT licence): ``examples/smp/libsrc/smp.cpp``,
  ``smpbcn.cpp``, ``KTAB/kmodel/libsrc/kmodel.cpp``; the papers it lists in
  ``web/papers.html``, "An Introduction to KTAB" and "Multidimensional Bargaining using
  KTAB"; the tutorial ``web/tutorial/SMPTutorial.md``.
* Reference run ``examples/smp/doc/20170530_ref-dummyData_3Dim.txt``, reproduced by the
  tests (``tests/test_smp.py``).
"""

from __future__ import annotations

import collections
import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np
from pydantic import Field

from accord.errors import ModelError
from accord.models.base import (
    Cycle,
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
from accord.models.smp_batch import batchable, smp_paths
from accord.models.smp_core import (
    VIEWS,
    BargainModel,
    BigRAdjust,
    BigRRange,
    Commitment,
    Interpolation,
    PCEModel,
    SMPConfig,
    SMPPath,
    Transitions,
    VictoryModel,
    VotingRule,
    smp_path,
)
from accord.scenario.schema import Scenario, ScenarioArrays

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SMP", "SMPDraws", "SMPOptions"]


_KTAB = SMPConfig()  # KTAB's defaults live in the kernel's config; the options reuse them


class SMPOptions(Options):
    """KTAB's nine model parameters (KTAB defaults), the stopping rule and the forecast."""

    voting_rule: VotingRule = _KTAB.voting_rule
    victory_prob: VictoryModel = _KTAB.victory_prob
    pce: PCEModel = _KTAB.pce
    transitions: Transitions = _KTAB.transitions
    big_r_range: BigRRange = _KTAB.big_r_range
    big_r_adjust: BigRAdjust = _KTAB.big_r_adjust
    third_party_commit: Commitment = _KTAB.third_party_commit
    interpolation: Interpolation = _KTAB.interpolation
    bargain_model: BargainModel = _KTAB.bargain_model
    rounds: int = Field(_KTAB.rounds, ge=0, description="KTAB's maxIter: at most this many steps.")
    min_delta_ratio: float = Field(_KTAB.min_delta_ratio, ge=0)
    forecast: Literal["expected", "weighted_mean"] = "expected"
    stop_at_cycle: bool = Field(
        _KTAB.stop_at_cycle,
        description="Stop at an exact recurrence of positions (KTAB runs on to `rounds`).",
    )
    events: bool = Field(True, description="Record every bargain and adoption as events.")
    repetitions: int = Field(
        1,
        ge=1,
        le=100_000,
        description="stochastic transitions: independent draws spawned from the seed; the "
        "forecast is their mean (quantiles in extra), the trajectory the first draw's",
    )

    def config(self) -> SMPConfig:
        return SMPConfig(
            **self.model_dump(
                exclude={"forecast", "events", "min_delta_ratio", "decision_rules", "repetitions"}
            ),
            min_delta_ratio=self.min_delta_ratio,
        )


class _Trace:
    """Per-space runs of one scenario; events and the bargain table are built on first use.

    The back-test and sweeps read only forecasts, so the Python objects describing every
    bargain (one :class:`~accord.models.base.Event` per bargain, dimension and adoption)
    are not made unless asked for.
    """

    def __init__(self, actor_ids: tuple[str, ...], issue_ids: tuple[str, ...], record: bool):
        self.actor_ids, self.issue_ids, self.record = actor_ids, issue_ids, record
        self.runs: list[tuple[str, list[int], np.ndarray, np.ndarray, np.ndarray, SMPPath]] = []
        self._built: tuple[tuple[Event, ...], list[dict[str, Any]]] | None = None
        self._table: pd.DataFrame | None = None

    def add(
        self,
        gid: str,
        dims: list[int],
        members: np.ndarray,
        lo: np.ndarray,
        width: np.ndarray,
        path: SMPPath,
    ) -> None:
        self.runs.append((gid, dims, members, lo, width, path))

    def built(self) -> tuple[tuple[Event, ...], list[dict[str, Any]]]:
        """The events and the bargain table's column dicts (pandas only in :meth:`table`)."""
        if self._built is None:
            events: list[Event] = []
            tables: list[dict[str, Any]] = []
            for gid, dims, members, lo, width, path in self.runs:
                SMP._bargains(
                    self.actor_ids,
                    self.issue_ids,
                    gid,
                    dims,
                    members,
                    lo,
                    width,
                    path,
                    self.record,
                    events,
                    tables,
                )
            events.sort(key=lambda e: e.round)
            self._built = (tuple(events), tables)
        return self._built

    def table(self) -> pd.DataFrame:
        if self._table is None:
            import pandas as pd

            frames = [pd.DataFrame(t) for t in self.built()[1]]
            self._table = (
                pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=_COLUMNS)
            )
        return self._table


class _Events(Sequence[Event]):
    """The event log of an SMP run, built on first use; compares equal to the same tuple."""

    def __init__(self, trace: _Trace) -> None:
        self._trace = trace

    def _all(self) -> tuple[Event, ...]:
        return self._trace.built()[0]

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[Event]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Events):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._all())


class _Extras(Mapping[str, Any]):
    """The result's extras; the bargain table (``"bargains"``) is built on first use."""

    def __init__(self, values: dict[str, Any], trace: _Trace) -> None:
        self._values = values
        self._trace = trace

    def __getitem__(self, key: str) -> Any:
        if key == "bargains":
            return self._trace.table()
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter((*self._values.keys(), "bargains"))

    def __len__(self) -> int:
        return len(self._values) + 1


_COLUMNS = [
    "round",
    "space",
    "initiator",
    "receiver",
    "perspective",
    "p_win",
    "gain",
    "adopted_by_initiator",
    "adopted_by_receiver",
]


@dataclass
class _Job:
    """One policy space of a scenario, ready for the kernel (``x`` is None: no actors)."""

    gid: str
    dims: list[int]
    diagnostics: list[Diagnostic]
    xsc: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # positions, saliences, caps
    members: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    lo: np.ndarray = field(default_factory=lambda: np.zeros(0))
    width: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class _Plan:
    arrays: ScenarioArrays
    jobs: list[_Job]

    @property
    def issue_ids(self) -> tuple[str, ...]:
        return self.arrays.issue_ids


@dataclass(frozen=True)
class SMPDraws:
    """Monte Carlo draws of one scenario (:meth:`SMP.run_draws`).

    ``forecasts`` is ``(draws, issues)``; ``status`` and ``rounds`` are per draw;
    ``results[b]`` is draw b's full result when ``keep_results`` was asked for (else the
    tuple is empty: a thousand trajectories with their bargains take hundreds of MB).
    """

    scenario_id: str
    issue_ids: tuple[str, ...]
    seed: int | None
    forecasts: np.ndarray
    status: tuple[tuple[Status, ...], ...]
    rounds: np.ndarray
    results: tuple[ModelResult, ...] = ()
    unbound: np.ndarray | None = None
    """``(draws, issues)``: the forecasts before the decision rules bound them."""

    def summary(self, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Per issue: mean, standard deviation and quantiles of the draws' forecasts."""
        import pandas as pd

        f = self.forecasts
        out = pd.DataFrame(
            {"mean": f.mean(axis=0), "std": f.std(axis=0, ddof=1) if len(f) > 1 else np.nan},
            index=pd.Index(self.issue_ids, name="issue"),
        )
        for q in quantiles:
            out[f"q{100 * q:g}"] = np.quantile(f, q, axis=0)
        return out


class SMP(Model):
    name = "smp"
    summary = "KTAB's Spatial Model of Politics (probabilistic Condorcet elections, bargains)"
    references = ("KAPSARC KTAB, examples/smp (MIT licence)", "An Introduction to KTAB")
    options_type = SMPOptions
    options: SMPOptions
    footprint_exponents = (2, 1)  # the actors^3 cubes are worked in blocks (limits.BLOCK)
    footprint_arrays = 16

    def run(
        self, scenario: Scenario, *, rng: np.random.Generator | int | None = None
    ) -> ModelResult:
        gen, seed = as_generator(rng)
        reps = self.options.repetitions
        if self.options.transitions != "stochastic":
            result = self._run_one(scenario, gen, seed)
            if reps > 1:
                note = Diagnostic(
                    "deterministic",
                    f"deterministic transitions: {reps} repetitions would be identical, so "
                    "the model ran once",
                )
                result = replace(result, diagnostics=(*result.diagnostics, note))
            return result
        if reps == 1:
            return one_draw(self._run_one(scenario, gen, seed), "smp.repetitions")
        children = gen.spawn(reps)
        first = self._run_one(scenario, copy.deepcopy(children[0]), seed)  # draw 0 in full
        block = 16  # draws per vectorised pass: memory grows with the block, not with reps
        parts = [
            self._draws(scenario, children[i : i + block], False) for i in range(0, reps, block)
        ]
        forecasts = np.concatenate([p.forecasts for p in parts])
        unbound = np.concatenate([p.unbound for p in parts if p.unbound is not None])
        note = Diagnostic(
            "repetitions",
            f"forecast is the mean over {reps} stochastic draws (spawned from the seed); "
            "trajectory, paths and events are the first draw's",
        )
        extra: Mapping[str, Any] = collections.ChainMap(
            {
                "repetition_forecasts": forecasts,
                "stochastic": True,
                "decision_rule": pooled_records(first, unbound, forecasts),
            },
            first.extra,  # type: ignore[arg-type]  # read-only use; keeps lazy extras lazy
        )
        return replace(
            first,
            forecast=forecasts.mean(axis=0),
            diagnostics=(*first.diagnostics, note),
            extra=extra,
        )

    def _run_one(
        self, scenario: Scenario, gen: np.random.Generator, seed: int | None
    ) -> ModelResult:
        plan = self._plan(scenario)
        cfg = self.options.config()
        paths = [None if j.xsc is None else smp_path(*j.xsc, cfg, gen) for j in plan.jobs]
        return self._finish(scenario, plan, paths, seed)

    def run_many(
        self, scenarios: Sequence[Scenario], *, rng: np.random.Generator | int | None = None
    ) -> list[ModelResult]:
        """Deterministic runs batched over scenarios: every policy space of the same shape
        (actors x dimensions) across ``scenarios`` goes through one vectorised pass of the
        kernel (:func:`~accord.models.smp_batch.smp_paths`). The results equal one-by-one
        runs up to the order of floating-point sums. Stochastic transitions, and settings
        the batched kernel does not cover, run one by one."""
        cfg = self.options.config()
        if cfg.transitions != "deterministic" or not batchable(cfg, 2):
            return super().run_many(scenarios, rng=rng)
        _, seed = as_generator(rng)
        plans = [self._plan(sc) for sc in scenarios]
        shapes: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for p, plan in enumerate(plans):
            for k, job in enumerate(plan.jobs):
                if job.xsc is not None:
                    shapes.setdefault(job.xsc[0].shape, []).append((p, k))
        paths: list[list[SMPPath | None]] = [[None] * len(plan.jobs) for plan in plans]
        for where in shapes.values():
            xsc = [v for p, k in where if (v := plans[p].jobs[k].xsc) is not None]
            x, s, c = (np.stack([v[q] for v in xsc]) for q in range(3))
            done = smp_paths(x, s, c, cfg)
            for (p, k), path in zip(where, done, strict=True):
                paths[p][k] = path
        return [
            self._finish(sc, plan, ps, seed)
            for sc, plan, ps in zip(scenarios, plans, paths, strict=True)
        ]

    def run_draws(
        self,
        scenario: Scenario,
        draws: int,
        *,
        rng: np.random.Generator | int | None = None,
        keep_results: bool = False,
    ) -> SMPDraws:
        """``draws`` Monte Carlo runs of ``scenario`` in one vectorised pass per policy space.

        Draw b uses the b-th generator spawned from ``rng`` (``Generator.spawn``) and equals
        ``run(scenario, rng=that generator)`` up to the order of floating-point sums.
        Meaningful with ``transitions="stochastic"`` (deterministic draws all agree).
        ``keep_results`` keeps every draw's full :class:`ModelResult` (trajectory, events,
        bargains); otherwise only forecasts, status and step counts are kept.
        """
        if draws < 1:
            raise ModelError("at least one draw is needed", path="draws", value=draws)
        gen, seed = as_generator(rng)
        res = self._draws(scenario, gen.spawn(draws), keep_results)
        return replace(res, seed=seed)

    def _draws(
        self, scenario: Scenario, children: Sequence[np.random.Generator], keep_results: bool
    ) -> SMPDraws:
        """One draw per generator in ``children``, in one vectorised pass per space."""
        draws = len(children)
        plan = self._plan(scenario)
        cfg = self.options.config()
        per_job: list[list[SMPPath | None] | None] = []
        for job in plan.jobs:
            if job.xsc is None:
                per_job.append(None)
                continue
            x, s, c = job.xsc
            tile = (draws, 1, 1)
            paths = smp_paths(
                np.tile(x, tile), np.tile(s, tile), np.tile(c, (draws, 1)), cfg, children
            )
            per_job.append([*paths])
        forecasts = np.full((draws, len(plan.issue_ids)), np.nan)
        unbound = forecasts.copy()
        status: list[tuple[Status, ...]] = []
        rounds = np.zeros(draws, dtype=np.intp)
        kept: list[ModelResult] = []
        for b in range(draws):
            res = self._finish(
                scenario, plan, [None if ps is None else ps[b] for ps in per_job], None
            )
            forecasts[b], rounds[b] = res.forecast, res.rounds
            unbound[b] = unbound_forecasts(res)
            status.append(res.status)
            if keep_results:  # each draw as its own run would report it
                stochastic = self.options.transitions == "stochastic"
                kept.append(one_draw(res, "smp.repetitions") if stochastic else res)
            for ps in per_job:  # let draw b's paths go once it is summarised
                if ps is not None and not keep_results:
                    ps[b] = None
        return SMPDraws(
            scenario.id,
            plan.issue_ids,
            None,
            forecasts,
            tuple(status),
            rounds,
            tuple(kept),
            unbound,
        )

    def _plan(self, scenario: Scenario) -> _Plan:
        a = scenario.arrays()
        col = {iid: k for k, iid in enumerate(a.issue_ids)}
        groups: list[tuple[str, list[int]]] = []
        in_space: set[int] = set()
        for space in scenario.spaces:
            dims = [col[i] for i in space.issues]
            groups.append((space.id, dims))
            in_space.update(dims)
        for k, iid in enumerate(a.issue_ids):
            if k not in in_space:
                groups.append((iid, [k]))

        jobs: list[_Job] = []
        for gid, dims in groups:
            diagnostics: list[Diagnostic] = []
            first = a.issue_ids[dims[0]]
            present = a.present[:, dims]
            members = np.flatnonzero(present.all(axis=1))
            partial = np.flatnonzero(present.any(axis=1) & ~present.all(axis=1))
            if partial.size:
                names = ", ".join(a.actor_ids[i] for i in partial)
                diagnostics.append(
                    Diagnostic(
                        "partial_space",
                        f"space {gid!r}: {names} lack a position on some of its issues and "
                        "sit this space out",
                        first,
                    )
                )
            if members.size == 0:
                for k in dims:
                    diagnostics.append(
                        Diagnostic("no_actors", "no actor has a position here", a.issue_ids[k])
                    )
                jobs.append(_Job(gid, dims, diagnostics))
                continue
            lo, hi = a.scale_min[dims], a.scale_max[dims]
            width = np.where(hi > lo, hi - lo, 1.0)
            dim_idx = np.asarray(dims, dtype=np.intp)
            x = (a.position[np.ix_(members, dim_idx)] - lo) / width
            s = a.salience[np.ix_(members, dim_idx)]
            caps = a.capability[np.ix_(members, dim_idx)]
            c = caps.mean(axis=1)
            totals = s.sum(axis=1)
            over = totals > 1.0 + 1e-9
            if over.any():
                # KTAB needs each actor's saliences in a space to sum to at most 1 (the sum
                # is a vote weight and the probability that a target resists); scaling an
                # actor's saliences leaves its distances unchanged.
                s = np.where(over[:, None], s / np.where(over, totals, 1.0)[:, None], s)
                names = ", ".join(a.actor_ids[i] for i in members[over])
                diagnostics.append(
                    Diagnostic(
                        "salience_rescaled",
                        f"space {gid!r}: saliences of {names} sum to more than 1 across its "
                        "issues; each was divided by its sum",
                        first,
                    )
                )
            if dims and np.ptp(caps, axis=1).max(initial=0.0) > 0:
                diagnostics.append(
                    Diagnostic(
                        "capability_averaged",
                        f"space {gid!r}: issue-specific capabilities differ across its "
                        "issues; each actor's mean is used",
                        first,
                    )
                )
            self._degenerate(gid, first, s, c, x, diagnostics)
            jobs.append(_Job(gid, dims, diagnostics, (x, s, c), members, lo, width))
        return _Plan(a, jobs)

    def _finish(
        self,
        scenario: Scenario,
        plan: _Plan,
        paths: Sequence[SMPPath | None],
        seed: int | None,
    ) -> ModelResult:
        opts = self.options
        a = plan.arrays
        n, m = a.position.shape
        forecast = np.full(m, np.nan)
        status: list[Status] = ["undefined"] * m
        diagnostics: list[Diagnostic] = []
        cycles: list[Cycle] = []
        runs: list[tuple[str, list[int], np.ndarray, SMPPath]] = []
        trace = _Trace(a.actor_ids, a.issue_ids, opts.events)
        for job, path in zip(plan.jobs, paths, strict=True):
            diagnostics += job.diagnostics
            if path is None or job.xsc is None:
                continue
            gid, dims, members, lo, width = job.gid, job.dims, job.members, job.lo, job.width
            _, s, c = job.xsc
            first = a.issue_ids[dims[0]]
            runs.append((gid, dims, members, path))
            if path.risk_undefined:
                diagnostics.append(
                    Diagnostic(
                        "risk_undefined",
                        f"space {gid!r}: in {len(path.risk_undefined)} of "
                        f"{path.x.shape[0]} states every position was equally likely in the "
                        "risk-neutral election, so risk attitudes are undefined; actors "
                        "were taken as risk-neutral (R = 0) there",
                        first,
                    )
                )
            if path.pce_undefined:
                diagnostics.append(
                    Diagnostic(
                        "pce_not_converged",
                        f"space {gid!r}: the Markov PCE did not converge in states "
                        f"{path.pce_undefined}; the last iterate is used",
                        first,
                    )
                )
            steps = path.x.shape[0] - 1
            window = slice(-1, None)
            if path.cycle is not None:
                start, period = path.cycle
                window = slice(start, start + period)
                for k in dims:
                    vals = (
                        lo[dims.index(k)]
                        + path.expected[window, dims.index(k)] * width[dims.index(k)]
                    )
                    cycles.append(
                        Cycle(a.issue_ids[k], start, period, float(vals.min()), float(vals.max()))
                    )
                diagnostics.append(
                    Diagnostic(
                        "cycle",
                        f"space {gid!r}: positions repeat every {period} steps from state "
                        f"{start} and KTAB's stopping rule never holds on the cycle (KTAB "
                        f"runs on to {opts.rounds} steps); the forecast is the mean over "
                        "one period",
                        first,
                    )
                )
            for d_, k in enumerate(dims):
                if opts.forecast == "expected":
                    val = float(path.expected[window, d_].mean())
                else:
                    w = c * s[:, d_]
                    xs = path.x[window, :, d_]
                    val = float((xs @ w / w.sum()).mean() if w.sum() > 0 else xs.mean())
                forecast[k] = lo[d_] + val * width[d_]
                status[k] = (
                    "static"
                    if steps == 0
                    else "converged"
                    if path.converged
                    else "cycle"
                    if path.cycle is not None
                    else "max_rounds"
                )
            if steps and not path.converged and path.cycle is None:
                diagnostics.append(
                    Diagnostic(
                        "not_converged",
                        f"space {gid!r}: KTAB's stopping rule did not hold within "
                        f"{steps} steps (last move ratio {path.stop_ratio[-1]:.4g})",
                        first,
                    )
                )
            trace.add(gid, dims, members, lo, width, path)

        length = max((p.x.shape[0] for *_, p in runs), default=1)
        trajectory = np.full((length, n, m), np.nan)
        win = np.full((length, n, m), np.nan)
        risk = np.full((length, n, m), np.nan)
        fpath = np.full((length, m), np.nan)
        for _gid, dims, members, path in runs:
            steps = path.x.shape[0]
            lo, hi = a.scale_min[dims], a.scale_max[dims]
            width = np.where(hi > lo, hi - lo, 1.0)
            pos = lo + path.x * width
            exp = lo + path.expected * width
            for d_, k in enumerate(dims):
                trajectory[:steps, members, k] = pos[:, :, d_]
                trajectory[steps:, members, k] = pos[-1, :, d_]
                win[:steps, members, k] = path.win
                win[steps:, members, k] = path.win[-1]
                risk[:steps, members, k] = path.risk
                risk[steps:, members, k] = path.risk[-1]
                fpath[:steps, k] = exp[:, d_]
                fpath[steps:, k] = exp[-1, d_]
        result = ModelResult(
            model=self.name,
            scenario_id=scenario.id,
            options=opts.model_dump(),
            actor_ids=a.actor_ids,
            issue_ids=a.issue_ids,
            forecast=forecast,
            status=tuple(status),
            trajectory=trajectory,
            forecast_path=fpath,
            events=_Events(trace),
            cycles=tuple(cycles),
            diagnostics=tuple(diagnostics),
            extra=_Extras(
                {
                    "win_probability": win,
                    "risk_attitude": risk,
                    "spaces": {gid: tuple(a.issue_ids[k] for k in dims) for gid, dims, *_ in runs},
                },
                trace,
            ),
            seed=seed,
        )
        return bind(result, scenario, enabled=opts.decision_rules)

    @staticmethod
    def _degenerate(
        gid: str,
        issue: str,
        s: np.ndarray,
        c: np.ndarray,
        x: np.ndarray,
        out: list[Diagnostic],
    ) -> None:
        if x.shape[0] == 1:
            out.append(
                Diagnostic("one_actor", f"space {gid!r}: a single actor; nothing to bargain", issue)
            )
        mute = s.sum(axis=1) <= 0
        if mute.all():
            out.append(
                Diagnostic(
                    "no_salience",
                    f"space {gid!r}: every salience is zero, so distances and utilities are "
                    "undefined; every actor is indifferent and no one moves",
                    issue,
                )
            )
        elif mute.any():
            out.append(
                Diagnostic(
                    "zero_salience",
                    f"space {gid!r}: {int(mute.sum())} actors have zero salience on every "
                    "dimension; their distances are undefined and they are indifferent",
                    issue,
                )
            )
        if not (c > 0).any():
            out.append(
                Diagnostic(
                    "no_capability",
                    f"space {gid!r}: every capability is zero, so elections are ties",
                    issue,
                )
            )
        if x.shape[0] > 1 and np.ptp(x, axis=0).max() == 0:
            out.append(
                Diagnostic(
                    "no_disagreement", f"space {gid!r}: all actors share one position", issue
                )
            )

    @staticmethod
    def _bargains(
        actor_ids: tuple[str, ...],
        issue_ids: tuple[str, ...],
        gid: str,
        dims: list[int],
        members: np.ndarray,
        lo: np.ndarray,
        width: np.ndarray,
        path: SMPPath,
        record: bool,
        events: list[Event],
        tables: list[dict[str, Any]],
    ) -> None:
        names = [actor_ids[i] for i in members]
        iids = [issue_ids[k] for k in dims]
        cols: dict[str, list[Any]] = {k: [] for k in _COLUMNS if k != "space"}
        coords: dict[str, list[float]] = {}
        for iid in iids:
            coords[f"initiator:{iid}"] = []
            coords[f"receiver:{iid}"] = []
        for t, rb in enumerate(path.bargains):
            nb = rb.init.size
            if nb == 0:
                continue
            pos_i = (lo + rb.pos_init * width).tolist()
            pos_r = (lo + rb.pos_rcvr * width).tolist()
            before = (lo + path.x[t] * width).tolist()
            after = (lo + path.x[t + 1] * width).tolist()
            inits, rcvrs = rb.init.tolist(), rb.rcvr.tolist()
            p_win, gain = rb.p_win.tolist(), rb.gain.tolist()
            views = [VIEWS[v] for v in rb.view.tolist()]
            chosen = rb.chosen.tolist()
            cols["round"].extend([t + 1] * nb)
            cols["initiator"].extend(names[i] for i in inits)
            cols["receiver"].extend(names[j] for j in rcvrs)
            cols["perspective"].extend(views)
            cols["p_win"].extend(p_win)
            cols["gain"].extend(gain)
            cols["adopted_by_initiator"].extend(chosen[i] == b for b, i in enumerate(inits))
            cols["adopted_by_receiver"].extend(chosen[j] == b for b, j in enumerate(rcvrs))
            for d_, iid in enumerate(iids):
                coords[f"initiator:{iid}"].extend(row[d_] for row in pos_i)
                coords[f"receiver:{iid}"].extend(row[d_] for row in pos_r)
            if not record:
                continue
            for b in range(nb):
                init, rcvr = names[inits[b]], names[rcvrs[b]]
                text = (
                    f"{init} proposes a bargain to {rcvr} "
                    f"(P(win) {p_win[b]:.3f}, gain {gain[b]:+.4f})"
                )
                for d_, iid in enumerate(iids):
                    events.append(
                        Event(
                            t + 1,
                            iid,
                            "bargain",
                            init,
                            rcvr,
                            before[rcvrs[b]][d_],
                            pos_r[b][d_],
                            {"p_win": p_win[b], "gain": gain[b], "initiator_to": pos_i[b][d_]},
                            text,
                        )
                    )
            for k, b in enumerate(chosen):
                if b < 0 or before[k] == after[k]:
                    continue  # status quo kept, or a bargain that leaves k where it was
                other = rcvrs[b] if inits[b] == k else inits[b]
                who, whom = names[k], names[other]
                text = f"{who} adopts its bargain with {whom}"
                for d_, iid in enumerate(iids):
                    events.append(
                        Event(t + 1, iid, "adopt", who, whom, before[k][d_], after[k][d_], {}, text)
                    )
        if cols["round"]:
            size = len(cols["round"])
            tables.append({"round": cols.pop("round"), "space": [gid] * size, **cols, **coords})
