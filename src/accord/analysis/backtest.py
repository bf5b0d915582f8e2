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
from accord.analysis.ensemble import names_with_weight, simplex_lad
from accord.analysis.scoring import bootstrap_interval, crps_samples
from accord.datasets.deu import Case
from accord.models.procedural import ProceduralModel
from accord.scenario.combine import combine

__all__ = [
    "BacktestResult",
    "Baseline",
    "ModelPredictor",
    "Predictor",
    "ProposalPredictor",
    "Stacked",
    "Tuned",
    "assign_folds",
    "backtest",
    "baselines",
    "conformal_quantile",
    "default_predictors",
    "intervals",
]

Arr = NDArray[np.float64]
Prediction = tuple[Arr, list[str]]
COST_GRID = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
"""Reference-point costs (share of the scale at salience 0) the back-test chooses among."""
REFERENCE = "compromise[decision_rules=False]"
"""The benchmark of the paired comparison: the compromise model as published."""
LEVEL = 0.9
"""Nominal coverage of the split-conformal intervals."""
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
        self._cache: dict[str, tuple[float, str]] = {}  # models never read outcomes

    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        todo = [case for case in cases if case.id not in self._cache]
        results = self.model.run_many([case.scenario(self.capability) for case in todo])
        for case, res in zip(todo, results, strict=True):
            note: list[str] = [] if res.status[0] == "static" else [str(res.status[0])]
            note += [d.message for d in res.diagnostics if d.code not in ("cycle", "not_converged")]
            self._cache[case.id] = (float(res.forecast[0]), "; ".join(note))
        pairs = [self._cache[case.id] for case in cases]
        return np.array([p[0] for p in pairs], dtype=float), [p[1] for p in pairs]


class ProposalPredictor(ModelPredictor):
    """A model run once per legislative proposal, on all of the proposal's issues together.

    For models that link issues (the exchange model trades across them): the issues of
    one proposal become one scenario (:func:`accord.scenario.combine.combine`) and each
    issue is scored on its forecast there.
    """

    def __init__(
        self,
        model: str,
        options: Mapping[str, Any] | None = None,
        *,
        capability: str = "nice",
        name: str | None = None,
    ) -> None:
        super().__init__(
            model, options, capability=capability, name=name or f"{model}[by proposal]"
        )
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


class Stacked(Predictor):
    """A convex combination of base predictors, its weights fitted per fold on the other
    folds only (:func:`accord.analysis.ensemble.simplex_lad`); predicts out of fold.

    ``fits`` records, per fold, the training cases (by id) and the weights fitted on them.
    """

    fitted = True

    def __init__(self, name: str, description: str, base: Sequence[Predictor]) -> None:
        if len({b.name for b in base}) != len(base):
            raise ValueError("base predictor names must differ")
        self.name, self.description, self.base = name, description, tuple(base)
        self.choices: list[str] = []
        self.fits: dict[int, tuple[frozenset[str], Arr]] = {}

    def predict(self, cases: Sequence[Case], folds: NDArray[np.int64]) -> Prediction:
        outcomes = np.array([c.outcome for c in cases])
        preds = np.stack([b.predict(cases, folds)[0] for b in self.base], axis=1)
        fallback = np.nanmean(preds, axis=1, keepdims=True)
        preds = np.where(np.isnan(preds), np.where(np.isnan(fallback), 50.0, fallback), preds)
        values = np.full(len(cases), np.nan)
        notes = [""] * len(cases)
        self.choices, self.fits = [], {}
        names = [b.name for b in self.base]
        for f in np.unique(folds):
            train, test = folds != f, folds == f
            w = simplex_lad(preds[train], outcomes[train])
            self.fits[int(f)] = (frozenset(c.id for c, t in zip(cases, train, strict=True) if t), w)
            values[test] = preds[test] @ w
            self.choices.append(names_with_weight(names, w))
            for k in np.flatnonzero(test):
                notes[k] = f"fold {f}: {self.choices[-1]}"
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


def conformal_quantile(residuals: Arr, level: float = LEVEL) -> float:
    """Split-conformal half-width: the ``ceil((n + 1) level)``-th smallest ``|residual|``
    (Vovk et al. 2005; Lei et al. 2018); infinite when there are too few residuals."""
    r = np.sort(np.abs(residuals[~np.isnan(residuals)]))
    k = int(np.ceil((r.size + 1) * level))
    return float(r[k - 1]) if 0 < k <= r.size else float("inf")


def intervals(
    p: Predictor, cases: Sequence[Case], folds: NDArray[np.int64], values: Arr
) -> tuple[Arr, Arr, Arr]:
    """Out-of-fold split-conformal intervals and CRPS of one predictor's forecasts.

    For each fold, the residuals ``y - forecast`` of the other folds calibrate the fold:
    the interval is the forecast plus or minus :func:`conformal_quantile` of them, and the
    predictive distribution is the forecast plus each of them (its CRPS is scored). A
    fitted predictor's calibration residuals come from cross-validation inside the other
    folds, so no outcome of the fold enters its own interval. Returns ``lower``, ``upper``
    and ``crps`` per case (NaN bounds where the forecast is NaN; CRPS then the worst
    error). Bounds are clipped to the scale.
    """
    y = np.array([c.outcome for c in cases])
    lo_s = np.array([c.scenario().issues[0].scale.min for c in cases])
    hi_s = np.array([c.scenario().issues[0].scale.max for c in cases])
    lower, upper = np.full(len(cases), np.nan), np.full(len(cases), np.nan)
    crps = _worst_errors(cases).copy()
    for f in np.unique(folds):
        train, test = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        if p.fitted:
            sub = [cases[int(k)] for k in train]
            inner, _ = p.predict(sub, folds[train])
            resid = y[train] - inner
        else:
            resid = y[train] - values[train]
        resid = resid[~np.isnan(resid)]
        h = conformal_quantile(resid)
        ok = test[~np.isnan(values[test])]
        lower[ok] = np.maximum(values[ok] - h, lo_s[ok])
        upper[ok] = np.minimum(values[ok] + h, hi_s[ok])
        if resid.size and ok.size:
            samples = np.clip(values[ok, None] + resid[None, :], lo_s[ok, None], hi_s[ok, None])
            crps[ok] = crps_samples(samples, y[ok])
    return lower, upper, crps


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
    stacked: bool = True,
) -> list[Predictor]:
    """Every registered model (or the named ones) with its defaults (decision rules bind),
    each bargaining model also as published (``decision_rules=False``), the fitted
    variants (capability set, reference-point cost), the baselines and, with ``stacked``,
    the stacked ensemble of every unfitted predictor defined on all issues.

    With ``by_proposal``, also every model that links issues run per proposal
    (:class:`ProposalPredictor`; the exchange model's trades make it the slow one).
    """
    names = list(model_names) if model_names is not None else list(models.available())
    options = options or {}
    out: list[Predictor] = [ModelPredictor(n, options.get(n)) for n in names]
    for n in names:  # the bargaining models as published: decision rules not applied
        if not issubclass(models.get(n), ProceduralModel):
            opts = {**(options.get(n) or {}), "decision_rules": False}
            out.append(ModelPredictor(n, opts))
    if by_proposal:
        linked = [n for n in names if models.get(n).links_issues]
        for n in linked:
            out.append(ProposalPredictor(n, options.get(n)))
            unbound = {**(options.get(n) or {}), "decision_rules": False}
            out.append(
                ProposalPredictor(n, unbound, name=f"{n}[by proposal, decision_rules=False]")
            )
    if "compromise" in names:
        out.append(
            Tuned(
                "compromise+cv-capability",
                "compromise model (decision rules not applied), capability set "
                "(nice/gdp/equal) chosen by cross-validation",
                [
                    ModelPredictor(
                        "compromise",
                        {"decision_rules": False},
                        capability=cap,
                        name=f"compromise[{cap}]",
                    )
                    for cap in ("nice", "gdp", "equal")
                ],
            )
        )
    if "costly_compromise" in names:
        out.append(
            Tuned(
                "costly_compromise+cv-cost",
                "compromise with a costly reference point, cost chosen by cross-validation",
                [
                    ModelPredictor(
                        "costly_compromise", {"cost": g}, name=f"costly_compromise[cost={g:g}]"
                    )
                    for g in COST_GRID
                ],
            )
        )
    out += baselines()
    base = [p for p in out if not p.fitted and p.domain == "all"]
    if stacked and len(base) >= 2:
        out.append(
            Stacked(
                "stacked-ensemble",
                "convex combination of every unfitted predictor above except the status quo, "
                "weights fitted on the training folds (least absolute error)",
                base,
            )
        )
    return out


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
        has_ref = "dmae" in s.columns
        head = (
            "| predictor | N | failed | MAE [95% CI] | "
            + (f"ΔMAE vs `{REFERENCE}` [95% CI] | " if has_ref else "")
            + "median AE [95% CI] | "
            f"within {self.tolerance:g} | {100 * LEVEL:g}% coverage | CRPS | "
            + " | ".join(f"MAE {g}" for g in groups)
            + " |"
        )
        lines = [head, "|" + "---|" * (8 + has_ref + len(groups))]
        for name, r in s.iterrows():
            fitted = " (CV)" if r["fitted"] else ""
            d = (
                [round(float(r[c]), 2) + 0.0 for c in ("dmae", "dmae_lo", "dmae_hi")]
                if has_ref
                else []
            )
            delta = f"{d[0]:+.2f} [{d[1]:+.2f}, {d[2]:+.2f}] | " if has_ref else ""
            lines.append(
                f"| `{name}`{fitted} | {r['n']} | {r['failed']} | "
                f"{r['mae']:.2f} [{r['mae_lo']:.2f}, {r['mae_hi']:.2f}] | "
                + delta
                + f"{r['median_ae']:.2f} [{r['median_ae_lo']:.2f}, {r['median_ae_hi']:.2f}] | "
                f"{100 * r['hit_rate']:.1f}% | {100 * r['coverage']:.1f}% | {r['crps']:.2f} | "
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
    predicted = {}
    for p in predictors:
        values, notes = p.predict(cases, fold)
        if isinstance(p, Tuned | Stacked):
            choices[p.name] = list(p.choices)
        predicted[p.name] = (values, notes)
    ref_errors = (
        _scored_errors(predicted[REFERENCE][0], outcomes, worst) if REFERENCE in predicted else None
    )
    for p in predictors:
        values, notes = predicted[p.name]
        scored = _scored_errors(values, outcomes, worst)
        mask = has_ref if p.domain == "reference" else np.ones(len(cases), dtype=bool)
        sel = np.flatnonzero(mask)
        lower, upper, crps = intervals(p, [cases[int(k)] for k in sel], fold[sel], values[sel])
        inside = (lower <= outcomes[sel]) & (outcomes[sel] <= upper)
        frames.append(
            meta.assign(
                predictor=p.name,
                prediction=values,
                abs_error=np.abs(values - outcomes),
                scored_error=scored,
                note=notes,
            )[mask].assign(lower=lower, upper=upper, crps=crps)
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
            "coverage": float(np.mean(inside)),
            "crps": float(crps.mean()),
        }
        row["coverage_lo"], row["coverage_hi"] = bootstrap_interval(
            inside.astype(float), resamples=resamples, seed=seed
        )
        if ref_errors is not None:
            diff = e - ref_errors[mask]
            row["dmae"] = float(diff.mean())
            row["dmae_lo"], row["dmae_hi"] = bootstrap_interval(
                diff, resamples=resamples, seed=seed
            )
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
    predictions = pd.concat(frames, ignore_index=True)
    summary = pd.DataFrame(rows).set_index("predictor")
    return BacktestResult(predictions, summary, folds, seed, resamples, tolerance, choices)
