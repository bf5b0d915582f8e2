"""Survival models of how long wars last and how they end, fitted with lifelines.

All fitting is lifelines' (Davidson-Pilon 2019, *JOSS* 4(40):1317; MIT licence); this module
only chooses the data, the covariates and the conditioning. Time is in months since an
episode's start; ``ended`` is the event, an ongoing episode is right-censored.

* Kaplan-Meier (Kaplan & Meier 1958): ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)``, with
  lifelines' log(-log) Greenwood interval. Conditional on having lasted ``d`` months,
  ``P(T <= d + h | T > d) = 1 - S(d + h) / S(d)``; the same number is the Kaplan-Meier
  estimate on the episodes still running at ``d``, clocks restarted at ``d``
  (:func:`km_conditional`, which also gives the interval of that conditional estimate;
  before the first ending in the window, where that interval collapses to [0, 0], its
  upper end is the exact binomial bound for no ending among the ``n`` at risk).
* Accelerated failure time models (Kalbfleisch & Prentice 2002, ch. 2.3):
  ``log T = x'beta + sigma * eps``, Weibull (``S(t) = exp(-(t / lambda(x))^rho)``) and
  log-logistic (``S(t) = 1 / (1 + (t / alpha(x))^beta)``), with ``lambda(x) = exp(x'beta)``
  (lifelines' ``WeibullAFTFitter`` and ``LogLogisticAFTFitter``). Conditioning uses
  lifelines' ``conditional_after``: ``S(d + h | x) / S(d | x)``.
* Competing risks, Aalen-Johansen (Aalen & Johansen 1978): the cumulative incidence of
  ending ``k`` by ``t``, ``F_k(t) = sum_{t_i <= t} S(t_i-) d_ki / n_i``; conditional on
  lasting ``d`` it is fitted on the episodes running at ``d``. lifelines' estimator refuses
  tied times and would jitter them at random; :func:`untie` breaks ties deterministically
  first (by 1e-6 month per tied episode, in data order), so results are reproducible.

The covariates (:func:`design`) are known at an episode's start: type of conflict
(reference: intrastate), incompatibility (reference: territory), intensity in its first
year (war vs minor), the first region listed (reference: Africa) and whether the conflict
had an earlier episode. The fits are plain maximum likelihood (:data:`PENALIZER` 0, lifelines'
``penalizer``): on the full data, the 1946-1999 training set and every leave-one-decade-out
training set they converge with all coefficients below 3.3 in absolute value, and lifelines
penalises the intercepts too, which would bias the baseline duration.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "CAUSES",
    "COVARIATES",
    "PENALIZER",
    "AFTModel",
    "KMModel",
    "aft",
    "cause_codes",
    "cumulative_incidence",
    "design",
    "km",
    "km_conditional",
    "untie",
]

Arr = NDArray[np.float64]
AFTKind = Literal["weibull", "loglogistic"]
PENALIZER: Final = 0.0
COVARIATES: Final = (
    "interstate",
    "internationalised",
    "extrasystemic",
    "government",
    "both",
    "war",
    "recurrence",
    "europe",
    "middle_east",
    "asia",
    "americas",
)
#: Endings as competing risks: UCDP's codes grouped (victories kept apart; "other" is an
#: actor ceasing to exist or an ending not coded).
CAUSES: Final = {
    "agreement": ("agreement",),
    "ceasefire": ("ceasefire",),
    "victory_a": ("victory_a",),
    "victory_b": ("victory_b",),
    "low_activity": ("low_activity",),
    "other": ("actor_ceased", "uncoded"),
}


def _lifelines() -> Any:
    import lifelines

    return lifelines


def design(episodes: pd.DataFrame) -> pd.DataFrame:
    """The covariate matrix (0/1 columns :data:`COVARIATES`) of episodes."""
    region = episodes["region"].str.split(",").str[0].str.strip()
    cols = {
        "interstate": episodes["type"] == "interstate",
        "internationalised": episodes["type"] == "internationalised",
        "extrasystemic": episodes["type"] == "extrasystemic",
        "government": episodes["incompatibility"] == "government",
        "both": episodes["incompatibility"] == "both",
        "war": episodes["intensity"] == "war",
        "recurrence": episodes["recurrence"].astype(bool),
        "europe": region == "Europe",
        "middle_east": region == "Middle East",
        "asia": region == "Asia",
        "americas": region == "Americas",
    }
    return pd.DataFrame({k: v.astype(float) for k, v in cols.items()}, index=episodes.index)


def _upper_if_none(n: int) -> float:
    """The exact (Clopper-Pearson) 97.5% upper bound of a share with 0 of ``n``."""
    return float(1.0 - 0.025 ** (1.0 / n))


def untie(durations: Arr) -> Arr:
    """Durations with ties broken by 1e-6 month per earlier equal value (data order)."""
    s = pd.Series(durations)
    return np.asarray((s + s.groupby(s).cumcount() * 1e-6).to_numpy(), dtype=np.float64)


@dataclass(frozen=True)
class KMModel:
    """A fitted Kaplan-Meier estimate (no covariates)."""

    fitter: Any
    n: int
    events: int

    def survival(self, t: Arr | float) -> Arr:
        return np.asarray(self.fitter.survival_function_at_times(np.atleast_1d(t)), dtype=float)

    def p_end(self, d: Arr, h: float) -> Arr:
        """``P(T <= d + h | T > d)`` for each ``d``; where ``S(d) = 0`` the last ``d`` with
        ``S > 0`` stands in (no episode ran that long)."""
        d = np.asarray(d, dtype=float)
        times = self.fitter.survival_function_.index.to_numpy()
        alive = times[self.fitter.survival_function_.iloc[:, 0].to_numpy() > 0]
        d = np.minimum(d, alive.max())
        return 1.0 - self.survival(d + h) / self.survival(d)


def km(durations: Arr, ended: NDArray[np.bool_]) -> KMModel:
    """Kaplan-Meier on durations (months) and event flags."""
    fitter = _lifelines().KaplanMeierFitter().fit(durations, event_observed=ended)
    return KMModel(fitter, len(durations), int(np.sum(ended)))


def km_conditional(
    durations: Arr, ended: NDArray[np.bool_], d: float, horizons: Sequence[float]
) -> tuple[int, Arr, Arr, Arr]:
    """Episodes at risk at ``d``, and ``P(end within h | lasted d)`` with its 95% interval.

    Kaplan-Meier on the episodes still running at ``d`` with their clocks restarted there;
    the interval is lifelines' (exponential Greenwood, log(-log) scale) on that fit.
    """
    at_risk = durations > d
    n = int(at_risk.sum())
    h = np.asarray(horizons, dtype=float)
    if n == 0:
        nan = np.full(len(h), np.nan)
        return 0, nan, nan, nan
    fitter = _lifelines().KaplanMeierFitter(alpha=0.05)
    fitter.fit(durations[at_risk] - d, event_observed=ended[at_risk])
    s = np.asarray(fitter.survival_function_at_times(h), dtype=float)
    ci = fitter.confidence_interval_survival_function_
    idx = ci.index.to_numpy()
    pos = np.searchsorted(idx, h, side="right") - 1
    lo_s = ci.iloc[pos, 0].to_numpy(dtype=float)
    hi_s = ci.iloc[pos, 1].to_numpy(dtype=float)
    p, lo, hi = 1.0 - s, 1.0 - hi_s, 1.0 - lo_s
    # No ending yet in the window: the log(-log) interval collapses to [0, 0]; use the exact
    # (Clopper-Pearson) bound for 0 endings among the n episodes at risk instead.
    none = (p <= 0.0) & (h > 0)
    hi[none] = _upper_if_none(n)
    lo[none] = 0.0
    return n, p, lo, hi


@dataclass(frozen=True)
class AFTModel:
    """A fitted accelerated-failure-time model with covariates."""

    kind: AFTKind
    fitter: Any
    columns: tuple[str, ...]
    n: int
    events: int

    @property
    def params(self) -> pd.Series:
        return self.fitter.params_  # type: ignore[no-any-return]

    def p_end(self, x: pd.DataFrame, d: Arr, h: float) -> Arr:
        """``P(T <= d + h | T > d, x)`` for each row of ``x`` and its ``d``."""
        return np.asarray(1.0 - self.survival_after(x, d, np.array([h], dtype=float))[0])

    def survival_closed_form(self, x: pd.DataFrame, t: Arr, params: Arr | None = None) -> Arr:
        """``S(t | x)`` in closed form, for parameter vectors ``params`` (draws x k; default
        the estimate), in lifelines' parameter order: Weibull ``exp(-(t / lambda)^rho)``,
        log-logistic ``1 / (1 + (t / alpha)^beta)``, ``log lambda = x'b``, ``log rho = c``.

        Returns draws x len(x); used for parameter-uncertainty intervals
        (:meth:`p_end_interval`) and checked against lifelines' own prediction in the tests.
        """
        names = self.params.index
        theta = self.params.to_numpy()[None, :] if params is None else np.atleast_2d(params)
        scale_name = "lambda_" if self.kind == "weibull" else "alpha_"
        scale_rows = [k for k, (p, _) in enumerate(names) if p == scale_name]
        shape_row = next(k for k, (p, _) in enumerate(names) if p != scale_name)
        cov = [names[k][1] for k in scale_rows]
        xm = np.column_stack(
            [np.ones(len(x)) if c == "Intercept" else x[c].to_numpy(dtype=float) for c in cov]
        )
        scale = np.exp(theta[:, scale_rows] @ xm.T)
        shape = np.exp(theta[:, [shape_row]])
        z = (np.asarray(t, dtype=float)[None, :] / scale) ** shape
        out = np.exp(-z) if self.kind == "weibull" else 1.0 / (1.0 + z)
        return np.asarray(out, dtype=np.float64)

    def p_end_interval(
        self,
        x: pd.DataFrame,
        d: float,
        h: float,
        *,
        draws: int = 2000,
        seed: int = 0,
        level: float = 0.95,
    ) -> tuple[float, float]:
        """Interval of the mean ``P(T <= d + h | T > d, x)`` over the rows of ``x``, from
        parameter uncertainty: draws from the normal approximation to the estimate
        (lifelines' ``variance_matrix_``), seeded."""
        rng = np.random.default_rng(np.random.SeedSequence(seed))
        theta = rng.multivariate_normal(
            self.params.to_numpy(), self.fitter.variance_matrix_.to_numpy(), size=draws
        )
        n = len(x)
        s_d = self.survival_closed_form(x, np.full(n, d), theta) if d > 0 else 1.0
        s_dh = self.survival_closed_form(x, np.full(n, d + h), theta)
        p = (1.0 - s_dh / s_d).mean(axis=1)
        tail = 100 * (1 - level) / 2
        lo, hi = np.percentile(p, [tail, 100 - tail])
        return float(lo), float(hi)

    def survival_after(self, x: pd.DataFrame, d: Arr, times: Arr) -> Arr:
        """``S(d + t | T > d, x)`` on ``times`` (rows) for each row of ``x`` (columns)."""
        sf = self.fitter.predict_survival_function(
            x[list(self.columns)].reset_index(drop=True),
            times=times,
            conditional_after=np.asarray(d, dtype=float),
        )
        return np.asarray(sf.to_numpy(), dtype=np.float64)


def aft(
    kind: AFTKind,
    x: pd.DataFrame,
    durations: Arr,
    ended: NDArray[np.bool_],
    *,
    penalizer: float = PENALIZER,
) -> AFTModel:
    """A Weibull or log-logistic AFT model of durations on covariates ``x``.

    Covariate columns that do not vary in the data are dropped (they are not identified).
    """
    ll = _lifelines()
    cls = ll.WeibullAFTFitter if kind == "weibull" else ll.LogLogisticAFTFitter
    frame = x.reset_index(drop=True).copy()
    frame = frame.loc[:, frame.std() > 0]
    columns = tuple(str(c) for c in frame.columns)
    frame["T"] = durations
    frame["E"] = ended.astype(int)
    fitter = cls(penalizer=penalizer)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        fitter.fit(frame, duration_col="T", event_col="E")
    return AFTModel(kind, fitter, columns, len(durations), int(np.sum(ended)))


def cause_codes(outcomes: pd.Series) -> NDArray[np.int64]:
    """Integer cause codes (1.. in :data:`CAUSES` order; 0 ongoing) of episode outcomes."""
    code = {o: k + 1 for k, group in enumerate(CAUSES.values()) for o in group}
    return np.asarray(outcomes.map(code).fillna(0).to_numpy(), dtype=np.int64)


def cumulative_incidence(
    durations: Arr, causes: NDArray[np.int64], d: float, horizon: float
) -> pd.DataFrame:
    """Aalen-Johansen ``P(ends by cause k within horizon | lasted d)``, with 95% intervals.

    One row per cause of :data:`CAUSES` (columns ``p``, ``lo``, ``hi``, ``events``: the
    episodes running at ``d`` that ended that way at any time). Where none has ended that
    way within the horizon, ``p`` is 0 and ``hi`` the exact binomial bound for no ending
    among the ``n`` at risk.
    """
    at_risk = durations > d
    t = untie(durations[at_risk] - d)
    c = causes[at_risk]
    n = len(t)
    upper_if_none = _upper_if_none(n) if n else np.nan
    rows = []
    for k, name in enumerate(CAUSES, start=1):
        events = int(np.sum(c == k))
        p, lo, hi = (0.0, 0.0, upper_if_none) if n else (np.nan, np.nan, np.nan)
        if events:
            aj = _lifelines().AalenJohansenFitter(calculate_variance=True)
            aj.fit(t, c, event_of_interest=k)
            cif = aj.cumulative_density_.iloc[:, 0]
            pos = int(np.searchsorted(cif.index.to_numpy(), horizon, side="right")) - 1
            if cif.iloc[pos] > 0:
                ci = aj.confidence_interval_
                p, lo, hi = float(cif.iloc[pos]), float(ci.iloc[pos, 0]), float(ci.iloc[pos, 1])
        rows.append({"cause": name, "p": p, "lo": lo, "hi": hi, "events": events})
    return pd.DataFrame(rows).set_index("cause")
