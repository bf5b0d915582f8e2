"""Back-tests: every model and baseline against real outcomes, with honest uncertainty.

A back-test takes cases (issues with an observed outcome, such as DEU III's, see
:mod:`accord.datasets.deu`) and predictors, and scores each predictor with
:func:`accord.analysis.scoring.score`: mean and median absolute error, the share within
10 points, bootstrap intervals (resampling issues), and breakdowns by legislative
procedure and Council voting rule.

Predictors:

* :class:`ModelPredictor` runs any registered model; every model registered later is
  picked up by :func:`default_predictors` without a change here.
* :class:`ProposalPredictor` runs a model that links issues (``Model.links_issues``, the
  exchange model) once per legislative proposal on all its issues together, so that
  trades across a proposal's issues can happen; added by :func:`default_predictors` for
  every such model with ``by_proposal=True`` (``accord backtest deu --by-proposal``).
* :class:`Baseline`: constant 50, the unweighted median of positions, the Commission's or
  the Parliament's position (the unweighted mean of positions where that actor has none),
  the status quo (scored only on issues with a reference point).
* :class:`Tuned` chooses among candidate predictors (e.g. capability sets, or any model
  option) by k-fold cross-validation: for each fold the candidate with the least mean
  absolute error on the other folds predicts the fold. Only these out-of-fold
  predictions are scored. Folds are fixed: proposals (not single issues, which would leak
  between issues of one proposal) are shuffled with a fixed seed and dealt into k folds.

A predictor that cannot forecast an issue returns NaN with a reason; the per-issue table
shows the reason and the issue is scored with the worst error possible on its scale
(``max(outcome - min, max - outcome)``), so failing counts against the predictor.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord import models
from accord.analysis.scoring import bootstrap_interval
from accord.datasets.deu import Case
from accord.scenario.combine import combine

__all__ = [
    "BacktestResult",
    "Baseline",
    "ModelPredictor",
    "Predictor",
    "ProposalPredictor",
    "Tuned",
    "assign_folds",
    "backtest",
    "baselines",
    "default_predictors",
]

Arr = NDArray[np.float64]
Prediction = tuple[Arr, list[str]]
GROUPS = (("procedure", "COD"), ("procedure", "CNS"), ("rule", "QMV"), ("rule", "unanimity"))


class Predictor(ABC):
    """Something that forecasts the outcome of each case."""

    name: str
    description: str
    domain: Literal["all", "reference"] = "all"
    fitted: bool = False

    @abstractmethod
    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        """Forecasts (NaN where impossible) and a note per case ('' if none)."""


class ModelPredictor(Predictor):
    """A registered model run on each case's scenario."""

    def __init__(
        self,
        model: str,
        options: Mapping[str, Any] | None = None,
        *,
        capability: str = "nice",
        name: str | None = None,
    ) -> None:
        self.model = models.get(model)(**dict(options or {}))
        opts = ", ".join(f"{k}={v}" for k, v in (options or {}).items())
        self.name = name or (f"{model}[{opts}]" if opts else model)
        self.description = f"{self.model.summary}; capability {capability}"
        self.capability = capability

    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        values = np.full(len(cases), np.nan)
        notes: list[str] = []
        results = self.model.run_many([case.scenario(self.capability) for case in cases])
        for k, res in enumerate(results):
            values[k] = res.forecast[0]
            note: list[str] = [] if res.status[0] == "static" else [str(res.status[0])]
            note += [d.message for d in res.diagnostics if d.code not in ("cycle", "not_converged")]
            notes.append("; ".join(note))
        return values, notes


class ProposalPredictor(ModelPredictor):
    """A model run once per legislative proposal, on all of the proposal's issues together.

    For models that link issues (the exchange model trades across them): the issues of
    one proposal become one scenario (:func:`accord.scenario.combine.combine`) and each
    issue is scored on its forecast there.
    """

    def __init__(
        self, model: str, options: Mapping[str, Any] | None = None, *, capability: str = "nice"
    ) -> None:
        super().__init__(model, options, capability=capability, name=f"{model}[by proposal]")
        self.description += "; the issues of one proposal run together"

    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        groups: dict[str, list[int]] = {}
        for k, case in enumerate(cases):
            groups.setdefault(case.proposal, []).append(k)
        values = np.full(len(cases), np.nan)
        notes = [""] * len(cases)
        for proposal, members in groups.items():
            scenario = combine(
                [cases[k].scenario(self.capability) for k in members],
                id=proposal,
                issue_ids=[cases[k].id for k in members],
            )
            res = self.model.run(scenario)
            for j, k in enumerate(members):
                values[k] = res.forecast[j]
                note = [f"{len(members)} issues together"]
                note += [str(res.status[j])] if res.status[j] != "static" else []
                note += [d.message for d in res.diagnostics if d.issue in (None, cases[k].id)]
                notes[k] = "; ".join(note)
        return values, notes


class Baseline(Predictor):
    """A rule of thumb computed from the case alone."""

    def __init__(
        self,
        name: str,
        description: str,
        rule: Callable[[Case], tuple[float, str]],
        domain: Literal["all", "reference"] = "all",
    ) -> None:
        self.name, self.description, self.rule, self.domain = name, description, rule, domain

    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        pairs = [self.rule(c) for c in cases]
        return np.array([p[0] for p in pairs], dtype=float), [p[1] for p in pairs]


class Tuned(Predictor):
    """Choose among candidates by k-fold cross-validation; predict out of fold only."""

    fitted = True

    def __init__(self, name: str, description: str, candidates: Sequence[Predictor]) -> None:
        if len({c.name for c in candidates}) != len(candidates):
            raise ValueError("candidate names must differ")
        self.name, self.description = name, description
        self.candidates = tuple(candidates)
        self.choices: list[str] = []

    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        outcomes = np.array([c.outcome for c in cases])
        worst = _worst_errors(cases)
        preds = [cand.predict(cases, folds) for cand in self.candidates]
        errors = np.stack([_scored_errors(p[0], outcomes, worst) for p in preds])
        values = np.full(len(cases), np.nan)
        notes = [""] * len(cases)
        self.choices = []
        for f in np.unique(folds):
            train, test = folds != f, folds == f
            best = int(np.argmin(errors[:, train].mean(axis=1)))
            self.choices.append(self.candidates[best].name)
            values[test] = preds[best][0][test]
            for k in np.flatnonzero(test):
                notes[k] = f"fold {f}: {self.candidates[best].name}" + (
                    f"; {preds[best][1][k]}" if preds[best][1][k] else ""
                )
        return values, notes


def _worst_errors(cases: Sequence[Case]) -> Arr:
    lo = np.array([c.scenario().issues[0].scale.min for c in cases])
    hi = np.array([c.scenario().issues[0].scale.max for c in cases])
    y = np.array([c.outcome for c in cases])
    out: Arr = np.maximum(y - lo, hi - y)
    return out


def _scored_errors(values: Arr, outcomes: Arr, worst: Arr) -> Arr:
    out: Arr = np.where(np.isnan(values), worst, np.abs(values - outcomes))
    return out


def _mean_position(case: Case) -> float:
    return float(np.nanmean(case.scenario().arrays().position[:, 0]))


def _actor_position(actor: str, label: str) -> Callable[[Case], tuple[float, str]]:
    def rule(case: Case) -> tuple[float, str]:
        sc = case.scenario()
        if actor in sc.actor_ids:
            return sc.actor(actor).positions[sc.issue_ids[0]].position, ""
        return _mean_position(case), f"no {label} position: mean of positions used"

    return rule


def baselines() -> list[Predictor]:
    """The reference baselines of the DEU literature."""
    return [
        Baseline("constant-50", "the middle of the scale", lambda c: (50.0, "")),
        Baseline(
            "median-of-positions",
            "unweighted median of the actors' positions",
            lambda c: (float(np.nanmedian(c.scenario().arrays().position[:, 0])), ""),
        ),
        Baseline(
            "commission",
            "the Commission's position (mean of positions where it has none)",
            _actor_position("com", "Commission"),
        ),
        Baseline(
            "parliament",
            "the Parliament's position (mean of positions where it has none)",
            _actor_position("ep", "Parliament"),
        ),
        Baseline(
            "status-quo",
            "the reference point (only issues that have one)",
            lambda c: (
                (c.reference, "") if c.reference is not None else (np.nan, "no reference point")
            ),
            domain="reference",
        ),
    ]


def default_predictors(
    model_names: Sequence[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    by_proposal: bool = False,
) -> list[Predictor]:
    """Every registered model (or the named ones), one fitted variant, and the baselines.

    With ``by_proposal``, also every model that links issues run per proposal
    (:class:`ProposalPredictor`; the exchange model's trades make it the slow one).
    """
    names = list(model_names) if model_names is not None else list(models.available())
    options = options or {}
    out: list[Predictor] = [ModelPredictor(n, options.get(n)) for n in names]
    if by_proposal:
        linked = [n for n in names if models.get(n).links_issues]
        out += [ProposalPredictor(n, options.get(n)) for n in linked]
    if "compromise" in names:
        out.append(
            Tuned(
                "compromise+cv-capability",
                "compromise model, capability set (nice/gdp/equal) chosen by cross-validation",
                [
                    ModelPredictor("compromise", capability=cap, name=f"compromise[{cap}]")
                    for cap in ("nice", "gdp", "equal")
                ],
            )
        )
    return out + baselines()


def assign_folds(cases: Sequence[Case], k: int = 5, seed: int = 2021) -> NDArray[np.int64]:
    """Fixed fold of each case: proposals shuffled with ``seed`` and dealt into ``k`` folds."""
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    proposals = sorted({c.proposal for c in cases})
    order = np.random.default_rng(seed).permutation(len(proposals))
    fold_of = {proposals[j]: int(r % k) for r, j in enumerate(order)}
    return np.array([fold_of[c.proposal] for c in cases], dtype=np.int64)


@dataclass(frozen=True)
class BacktestResult:
    """Per-issue predictions and per-predictor scores of one back-test."""

    predictions: pd.DataFrame
    summary: pd.DataFrame
    folds: int
    seed: int
    resamples: int
    tolerance: float
    choices: dict[str, list[str]] = field(default_factory=dict)

    def to_markdown(self) -> str:
        """The summary as a Markdown table, best mean absolute error first."""
        s = self.summary.sort_values("mae")
        groups = [f"{v}" for _, v in GROUPS]
        head = (
            "| predictor | N | failed | MAE [95% CI] | median AE [95% CI] | "
            f"within {self.tolerance:g} | " + " | ".join(f"MAE {g}" for g in groups) + " |"
        )
        lines = [head, "|" + "---|" * (6 + len(groups))]
        for name, r in s.iterrows():
            fitted = " (CV)" if r["fitted"] else ""
            lines.append(
                f"| `{name}`{fitted} | {r['n']} | {r['failed']} | "
                f"{r['mae']:.2f} [{r['mae_lo']:.2f}, {r['mae_hi']:.2f}] | "
                f"{r['median_ae']:.2f} [{r['median_ae_lo']:.2f}, {r['median_ae_hi']:.2f}] | "
                f"{100 * r['hit_rate']:.1f}% | "
                + " | ".join(
                    f"{r[f'mae_{g}']:.1f} [{r[f'mae_{g}_lo']:.1f}, {r[f'mae_{g}_hi']:.1f}]"
                    for g in groups
                )
                + " |"
            )
        return "\n".join(lines) + "\n"


def backtest(
    cases: Sequence[Case],
    predictors: Sequence[Predictor],
    *,
    folds: int = 5,
    seed: int = 2021,
    resamples: int = 2000,
    tolerance: float = 10.0,
) -> BacktestResult:
    """Score every predictor on every case (see the module docstring)."""
    if len({p.name for p in predictors}) != len(predictors):
        raise ValueError("predictor names must differ")
    fold = assign_folds(cases, folds, seed)
    outcomes = np.array([c.outcome for c in cases])
    worst = _worst_errors(cases)
    has_ref = np.array([c.reference is not None for c in cases])
    meta = pd.DataFrame(
        {
            "issue": [c.id for c in cases],
            "proposal": [c.proposal for c in cases],
            "procedure": [c.procedure for c in cases],
            "rule": [c.rule for c in cases],
            "outcome": outcomes,
            "reference": [np.nan if c.reference is None else c.reference for c in cases],
            "fold": fold,
        }
    )
    frames, rows, choices = [], [], {}
    for p in predictors:
        values, notes = p.predict(cases, fold)
        scored = _scored_errors(values, outcomes, worst)
        mask = has_ref if p.domain == "reference" else np.ones(len(cases), dtype=bool)
        frames.append(
            meta.assign(
                predictor=p.name,
                prediction=values,
                abs_error=np.abs(values - outcomes),
                scored_error=scored,
                note=notes,
            )[mask]
        )
        e = scored[mask]
        row: dict[str, Any] = {
            "predictor": p.name,
            "description": p.description,
            "fitted": p.fitted,
            "n": int(e.size),
            "failed": int(np.isnan(values[mask]).sum()),
            "mae": float(e.mean()),
            "median_ae": float(np.median(e)),
            "hit_rate": float(np.mean(e <= tolerance)),
            "rmse": float(np.sqrt(np.mean(e**2))),
        }
        for stat, fn in (
            ("mae", lambda a: a.mean(axis=-1)),
            ("median_ae", lambda a: np.median(a, axis=-1)),
            ("hit_rate", lambda a: (a <= tolerance).mean(axis=-1)),
        ):
            row[f"{stat}_lo"], row[f"{stat}_hi"] = bootstrap_interval(
                e, fn, resamples=resamples, seed=seed
            )
        for col, value in GROUPS:
            g = mask & (meta[col].to_numpy() == value)
            row[f"n_{value}"] = int(g.sum())
            row[f"mae_{value}"] = float(scored[g].mean()) if g.any() else np.nan
            row[f"mae_{value}_lo"], row[f"mae_{value}_hi"] = (
                bootstrap_interval(scored[g], resamples=resamples, seed=seed)
                if g.any()
                else (np.nan, np.nan)
            )
        rows.append(row)
        if isinstance(p, Tuned):
            choices[p.name] = list(p.choices)
    predictions = pd.concat(frames, ignore_index=True)
    summary = pd.DataFrame(rows).set_index("predictor")
    return BacktestResult(predictions, summary, folds, seed, resamples, tolerance, choices)
