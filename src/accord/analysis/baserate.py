"""Reference-class base rates: how wars like this one ended, and how soon.

A forecast of when and how a war ends should start from how comparable wars ended. A
:class:`ReferenceClass` picks UCDP conflict episodes (:mod:`accord.datasets.ucdp`) by type
of conflict, incompatibility, intensity in the first year and region; :func:`base_rate`
then answers "given that it has lasted ``d`` months, how likely is it to end within 6, 12,
24 months, and how":

* the class's Kaplan-Meier estimate conditional on ``d``, with its 95% interval
  (:func:`accord.analysis.survival.km_conditional`);
* Weibull and log-logistic AFT models fitted on *all* episodes with covariates
  (:mod:`accord.analysis.survival`), averaged over the class's episodes that ran at least
  ``d`` months (their own covariates), as a smoothed second opinion for small classes,
  with 95% intervals from the estimate's parameter uncertainty (seeded draws);
* the Aalen-Johansen cumulative incidence of each ending within 12 months given ``d``, and
  the mix of endings of the class's ended episodes.

Class membership: ``incompatibility="territory"`` takes UCDP's "territory" and "both"
(both means territory and government), ``"government"`` likewise; ``"both"`` only "both".
``intensity`` is the first year's (known at the start). With ``observed_until`` (a
scenario's as-of date) the data are cut there: episodes that began later are dropped and
those still running then are censored then; with ``started_before`` (the start of the war
being forecast) only earlier episodes count, so a war is never its own reference.

:func:`base_rate_for` is the one entry point for other layers (the settlement engine
prints its result beside its own forecast): give it a scenario with a
``reference_class:`` block, or a :class:`ReferenceClass`; ``result.headline(12).text`` is
the line to print (the class's Kaplan-Meier rate, or the Weibull AFT rate when fewer than
10 of the class's episodes lasted this long).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from accord.analysis import survival
from accord.datasets import ucdp
from accord.errors import ModelError

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario

__all__ = [
    "HORIZONS",
    "SMALL_CLASS",
    "BaseRate",
    "Headline",
    "ReferenceClass",
    "base_rate",
    "base_rate_for",
    "cow_check",
    "cut_at",
]

HORIZONS: Final = (6.0, 12.0, 24.0)
CURVE_MONTHS: Final = 36
SMALL_CLASS: Final = 10
_MATCH: Final = {
    "territory": ("territory", "both"),
    "government": ("government", "both"),
    "both": ("both",),
}


@dataclass(frozen=True)
class ReferenceClass:
    """Which UCDP episodes count as "wars like this one" (None: any)."""

    type: str | None = None
    incompatibility: str | None = None
    intensity: str | None = None
    region: str | None = None
    started_before: dt.date | None = None
    observed_until: dt.date | None = None

    def __post_init__(self) -> None:
        choices = {
            "type": tuple(ucdp.TYPES.values()),
            "incompatibility": tuple(ucdp.INCOMPATIBILITIES.values()),
            "intensity": tuple(ucdp.INTENSITIES.values()),
            "region": tuple(ucdp.REGIONS.values()),
        }
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ModelError(f"use one of {', '.join(allowed)}", path=name, value=value)

    def describe(self) -> str:
        parts = [
            f"{k} {v}"
            for k, v in (
                ("type", self.type),
                ("incompatibility", self.incompatibility),
                ("intensity at start", self.intensity),
                ("region", self.region),
            )
            if v is not None
        ]
        if self.started_before is not None:
            parts.append(f"began before {self.started_before.isoformat()}")
        if self.observed_until is not None:
            parts.append(f"as known on {self.observed_until.isoformat()}")
        return "UCDP conflict episodes 1946-2024" + (": " + ", ".join(parts) if parts else "")

    def select(self, episodes: pd.DataFrame | None = None) -> pd.DataFrame:
        """The class's episodes, cut at ``observed_until`` and ``started_before``."""
        e = ucdp.episodes() if episodes is None else episodes
        if self.observed_until is not None:
            e = cut_at(e, self.observed_until)
        keep = pd.Series(True, index=e.index)
        if self.started_before is not None:
            keep &= e["start"] < pd.Timestamp(self.started_before)
        if self.type is not None:
            keep &= e["type"] == self.type
        if self.incompatibility is not None:
            keep &= e["incompatibility"].isin(_MATCH[self.incompatibility])
        if self.intensity is not None:
            keep &= e["intensity"] == self.intensity
        if self.region is not None:
            keep &= e["region"].str.contains(self.region, regex=False)
        return e[keep]


def cut_at(episodes: pd.DataFrame, when: dt.date) -> pd.DataFrame:
    """Episodes as known on ``when``: later starts dropped, later ends censored there."""
    stop = pd.Timestamp(when)
    e = episodes[episodes["start"] <= stop].copy()
    late = ~e["ended"].astype(bool) | (e["end"] > stop)
    e.loc[late, "ended"] = False
    e.loc[late, "censored"] = True
    e.loc[late, "outcome"] = "ongoing"
    e.loc[late, "end"] = pd.NaT
    days = (stop - e.loc[late, "start"]).dt.days.clip(lower=1)
    e.loc[late, "duration_months"] = days / ucdp.DAYS_PER_MONTH
    return e


@dataclass(frozen=True)
class Headline:
    """One number to print beside a forecast: P(end within ``horizon`` months), its 95%
    interval, which estimate it is, and a sentence saying so."""

    horizon: float
    p: float
    lo: float
    hi: float
    estimate: str
    text: str


@dataclass(frozen=True)
class BaseRate:
    """The base rate of a reference class after ``duration_months``, with how it was made."""

    reference_class: ReferenceClass
    duration_months: float
    n: int
    n_ended: int
    n_at_risk: int
    horizons: tuple[float, ...]
    km: pd.DataFrame
    aft: pd.DataFrame
    curve: pd.DataFrame
    endings: pd.DataFrame
    mix: pd.DataFrame
    method: str = "Kaplan-Meier (class), Weibull/log-logistic AFT (all episodes), Aalen-Johansen"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        """What a reader must know before trusting the Kaplan-Meier numbers."""
        if self.n_at_risk < SMALL_CLASS:
            return [
                f"only {self.n_at_risk} episode(s) of this class ran {self.duration_months:.0f} "
                "months or longer: its Kaplan-Meier rate rests on them (its interval may be "
                "degenerate); read the AFT rates, which borrow strength from all episodes, or "
                "widen the class"
            ]
        return []

    def headline(self, horizon: float = 12.0) -> Headline:
        """The class's Kaplan-Meier rate, or, when fewer than :data:`SMALL_CLASS` of its
        episodes lasted this long, the Weibull AFT rate (the best model of the back-test),
        with its interval. The rule is fixed here, not chosen per scenario."""
        records = self.to_frame().reset_index().to_dict("records")
        row = next(
            {str(k): float(v) for k, v in r.items()}
            for r in records
            if r["horizon"] == float(horizon)
        )
        if self.n_at_risk >= SMALL_CLASS:
            p, lo, hi = row["p"], row["lo"], row["hi"]
            estimate = "kaplan-meier"
            how = (
                f"Kaplan-Meier over the {self.n_at_risk} episodes of the class that lasted "
                "this long"
            )
        else:
            p, lo, hi = row["weibull"], row["weibull_lo"], row["weibull_hi"]
            estimate = "weibull-aft"
            how = (
                f"Weibull AFT on all UCDP episodes; only {self.n_at_risk} of the class's "
                f"{self.n} lasted this long"
            )
        text = (
            f"base rate: P(end within {horizon:g} months | lasted {self.duration_months:.0f}) "
            f"= {100 * p:.0f}% [{100 * lo:.0f}%, {100 * hi:.0f}%] ({how})"
        )
        return Headline(float(horizon), float(p), float(lo), float(hi), estimate, text)

    def p_end(self, horizon: float = 12.0) -> float:
        """The class's Kaplan-Meier P(end within ``horizon`` months | lasted so far)."""
        return float(self.km["p"].to_dict()[float(horizon)])

    def to_frame(self) -> pd.DataFrame:
        """One row per horizon: Kaplan-Meier with interval, and the two AFT models."""
        return self.km.join(self.aft)

    def to_dict(self) -> dict[str, Any]:
        rc = {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in asdict(self.reference_class).items()
        }

        def rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {str(c): _num(v) for c, v in r.items()}
                for r in frame.reset_index().to_dict("records")
            ]

        return {
            "reference_class": rc,
            "description": self.reference_class.describe(),
            "duration_months": self.duration_months,
            "n": self.n,
            "n_ended": self.n_ended,
            "n_at_risk": self.n_at_risk,
            "warnings": self.warnings,
            "headline": asdict(self.headline(12.0)),
            "p_end": rows(self.to_frame()),
            "endings_within_12": rows(self.endings),
            "mix_of_endings": rows(self.mix),
            "method": self.method,
            "options": self.options,
            "citation": ucdp.CITATION,
        }


def _num(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return None if v != v else float(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def base_rate(
    reference_class: ReferenceClass,
    duration_months: float = 0.0,
    *,
    horizons: Sequence[float] = HORIZONS,
    episodes: pd.DataFrame | None = None,
    seed: int = 0,
) -> BaseRate:
    """The base rate of ending within each horizon for a war that has lasted so far.

    ``seed`` drives the parameter draws of the AFT intervals (the only random step).
    """
    if not np.isfinite(duration_months) or duration_months < 0:
        raise ModelError(
            "must be a finite number of months >= 0", path="duration_months", value=duration_months
        )
    hz = tuple(float(h) for h in horizons)
    all_e = ucdp.episodes() if episodes is None else episodes
    known = replace(
        reference_class, type=None, incompatibility=None, intensity=None, region=None
    ).select(all_e)
    members = reference_class.select(all_e)
    if members.empty:
        raise ModelError(
            "no UCDP episode is in this reference class",
            path="reference_class",
            value=reference_class.describe(),
        )
    t = members["duration_months"].to_numpy(dtype=float)
    ended = members["ended"].to_numpy(dtype=bool)
    d = float(duration_months)
    grid = np.unique(np.concatenate([np.arange(0.0, CURVE_MONTHS + 1.0), hz]))
    n_risk, p, lo, hi = survival.km_conditional(t, ended, d, grid.tolist())
    curve = pd.DataFrame({"p": p, "lo": lo, "hi": hi}, index=pd.Index(grid, name="months"))
    running = members[members["duration_months"] > d]
    x_all = survival.design(known)
    bounds: dict[str, list[float]] = {}
    kinds: tuple[survival.AFTKind, ...] = ("weibull", "loglogistic")
    for kind in kinds:
        if running.empty:
            curve[kind] = np.nan
            bounds[f"{kind}_lo"] = bounds[f"{kind}_hi"] = [np.nan] * len(hz)
            continue
        model = survival.aft(
            kind,
            x_all,
            known["duration_months"].to_numpy(dtype=float),
            known["ended"].to_numpy(dtype=bool),
        )
        s_after = model.survival_after(survival.design(running), np.full(len(running), d), grid)
        curve[kind] = 1.0 - s_after.mean(axis=1)
        x_run = survival.design(running)
        ci = [model.p_end_interval(x_run, d, h, seed=seed) for h in hz]
        bounds[f"{kind}_lo"] = [lo for lo, _ in ci]
        bounds[f"{kind}_hi"] = [hi for _, hi in ci]
    at_h = curve.loc[list(hz)].rename_axis("horizon")
    km_frame = at_h[["p", "lo", "hi"]]
    aft_frame = at_h[["weibull", "loglogistic"]].assign(**bounds)[
        ["weibull", "weibull_lo", "weibull_hi", "loglogistic", "loglogistic_lo", "loglogistic_hi"]
    ]

    causes = survival.cause_codes(members["outcome"])
    endings = survival.cumulative_incidence(t, causes, d, 12.0)
    ended_rows = members[members["ended"].astype(bool) & (members["duration_months"] > d)]
    counts = ended_rows["outcome"].value_counts()
    mix = pd.DataFrame(
        {"episodes": counts, "share": counts / max(int(counts.sum()), 1)}
    ).rename_axis("outcome")
    return BaseRate(
        reference_class=reference_class,
        duration_months=d,
        n=len(members),
        n_ended=int(ended.sum()),
        n_at_risk=n_risk,
        horizons=hz,
        km=km_frame,
        aft=aft_frame,
        curve=curve,
        endings=endings,
        mix=mix,
        options={
            "penalizer": survival.PENALIZER,
            "covariates": list(survival.COVARIATES),
            "seed": seed,
        },
    )


def base_rate_for(
    target: Scenario | ReferenceClass,
    duration_so_far: float | None = None,
    *,
    horizons: Sequence[float] = HORIZONS,
) -> BaseRate:
    """The base rate for a scenario's declared reference class (or for a class).

    With a scenario: its ``reference_class:`` block gives the class and the war's start;
    the data are cut at the scenario's as-of date and only wars that began before this one
    count; ``duration_so_far`` defaults to the months from the start to the as-of date.
    With a :class:`ReferenceClass`, ``duration_so_far`` defaults to 0.
    """
    if isinstance(target, ReferenceClass):
        return base_rate(target, duration_so_far or 0.0, horizons=horizons)
    spec = target.reference_class
    if spec is None:
        raise ModelError(
            f"scenario {target.id} declares no reference_class (type, incompatibility, start)",
            path="reference_class",
        )
    rc = ReferenceClass(
        type=spec.type,
        incompatibility=spec.incompatibility,
        intensity=spec.intensity,
        region=spec.region,
        started_before=spec.start,
        observed_until=target.as_of,
    )
    if duration_so_far is None:
        until = target.as_of or ucdp.OBSERVED_UNTIL
        duration_so_far = max((until - spec.start).days, 0) / ucdp.DAYS_PER_MONTH
    return base_rate(rc, duration_so_far, horizons=horizons)


def cow_check(reference_class: ReferenceClass) -> dict[str, Any] | None:
    """A second source for inter-state classes: COW inter-state wars (1823-2003).

    COW dates wars to the year only, so this is the share of wars fought within one and
    within two calendar years, and the mix of endings; ``None`` for other classes.
    """
    if reference_class.type not in (None, "interstate"):
        return None
    from accord.datasets import cow

    w = cow.wars()
    if reference_class.started_before is not None:
        w = w[w["start_year"] < reference_class.started_before.year]
    mix = w["outcome"].value_counts(normalize=True)
    return {
        "wars": len(w),
        "first_year": int(w["start_year"].min()),
        "last_year": int(w["end_year"].max()),
        "within_one_calendar_year": float((w["duration_years"] == 1).mean()),
        "within_two_calendar_years": float((w["duration_years"] <= 2).mean()),
        "mix_of_endings": {str(k): float(v) for k, v in mix.items()},
        "citation": cow.CITATION,
    }
