"""Back-test of war-termination base rates on UCDP conflict episodes, out of sample.

The forecast scored: ``P(an episode ends within 12 months | it has lasted d months)``,
made at every *episode-year*: at its start and at each anniversary ``d = 0, 12, 24, ...``
while it is still running. The outcome is 1 if it ended within the next 12 months, 0 if
it was still running 12 months later; a window cut short by the end of observation is left
out of the Brier score and log loss (its outcome is unknown) but kept, as censored, in
Harrell's C and in the integrated Brier score, which weight by the inverse probability of
censoring (Graf et al. 1999).

Designs:

* ``temporal``: fit on the episodes that began up to 31 December 1999, *as known then*
  (episodes still running on that day are censored there, so nothing after 1999 enters),
  and forecast the episodes that began 2000-2023, observed to the end of 2024.
* ``decade``: leave one decade out: for each decade of start, fit on the episodes that
  began in the other decades (observed to 2024) and forecast that decade's. This uses
  later data to forecast earlier wars; it measures fit across eras, not foresight.

Predictors (each fitted only on the training episodes):

* ``constant``: the training share of episode-year windows that ended within 12 months,
  the same for every forecast (its survival curve for the integrated Brier score is the
  constant-hazard one, ``S(t) = (1 - p)^(t / 12)``);
* ``kaplan-meier``: the training Kaplan-Meier, conditional on ``d``; no covariates;
* ``weibull-aft``, ``loglogistic-aft``: the AFT models of :mod:`accord.analysis.survival`
  with covariates known at an episode's start, conditional on ``d``.

Scores, each with a 95% bootstrap interval from resampling test *episodes* (all of an
episode's years together; 1,000 resamples by default, seeded): Brier score, log loss
(forecasts clipped to [1e-4, 1 - 1e-4]), the integrated Brier score over residual horizons
of 1-24 months (monthly grid; the censoring distribution is the reverse Kaplan-Meier of
the test windows, held fixed across resamples), Harrell's C (lifelines'
``concordance_index`` of the forecast against the residual time; 0.5 for the constant),
and each model's Brier score minus the constant's and minus Kaplan-Meier's (paired, on the
same resamples).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from accord.analysis import survival
from accord.analysis.baserate import cut_at
from accord.datasets import ucdp

__all__ = [
    "HORIZON",
    "PREDICTORS",
    "WarBacktest",
    "landmarks",
    "predict",
    "reliability",
    "score",
    "temporal_split",
    "war_backtest",
]

Arr = NDArray[np.float64]
HORIZON: Final = 12.0
IBS_GRID: Final = np.arange(1.0, 25.0)
PREDICTORS: Final = ("constant", "kaplan-meier", "weibull-aft", "loglogistic-aft")
SPLIT_YEAR: Final = 1999
TEST_LAST_YEAR: Final = 2023
_CLIP: Final = 1e-4


def landmarks(episodes: pd.DataFrame, horizon: float = HORIZON) -> pd.DataFrame:
    """One row per episode-year: ``d`` (months lasted), residual time, event, outcome ``y``.

    ``y`` is 1.0 (ended within ``horizon``), 0.0 (still running after it) or NaN (unknown:
    observation stopped first).
    """
    rows: list[pd.DataFrame] = []
    t = episodes["duration_months"].to_numpy(dtype=float)
    ended = episodes["ended"].to_numpy(dtype=bool)
    for k in range(int(np.ceil(t.max() / 12.0)) + 1):
        d = 12.0 * k
        at = t > d
        if not at.any():
            break
        sub = episodes.loc[at].copy()
        sub["d"] = d
        sub["residual"] = t[at] - d
        sub["event"] = ended[at]
        y = np.where(t[at] <= d + horizon, np.where(ended[at], 1.0, np.nan), 0.0)
        sub["y"] = y
        rows.append(sub)
    return pd.concat(rows, ignore_index=True)


def _fit(train: pd.DataFrame) -> dict[str, Callable[[pd.DataFrame, Arr], Arr]]:
    """Each predictor fitted on ``train``: a function (landmark rows, times) -> S(d + t | d)."""
    t = train["duration_months"].to_numpy(dtype=float)
    ended = train["ended"].to_numpy(dtype=bool)
    lm = landmarks(train)
    known = lm["y"].notna()
    p0 = float(lm.loc[known, "y"].mean())
    km = survival.km(t, ended)
    x = survival.design(train)
    aft = {k: survival.aft(k, x, t, ended) for k in ("weibull", "loglogistic")}

    def constant(rows: pd.DataFrame, times: Arr) -> Arr:
        return np.tile(((1.0 - p0) ** (times / HORIZON))[:, None], (1, len(rows)))

    def kaplan_meier(rows: pd.DataFrame, times: Arr) -> Arr:
        d = rows["d"].to_numpy(dtype=float)
        return np.stack([1.0 - km.p_end(d, float(h)) for h in times])

    def fitted(kind: str) -> Callable[[pd.DataFrame, Arr], Arr]:
        def run(rows: pd.DataFrame, times: Arr) -> Arr:
            return aft[kind].survival_after(
                survival.design(rows), rows["d"].to_numpy(dtype=float), times
            )

        return run

    return {
        "constant": constant,
        "kaplan-meier": kaplan_meier,
        "weibull-aft": fitted("weibull"),
        "loglogistic-aft": fitted("loglogistic"),
    }


def temporal_split(episodes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training episodes (began up to 1999, as known on 31 December 1999) and test episodes
    (began 2000-2023, observed to the end of 2024)."""
    start_year = episodes["start"].dt.year
    train = cut_at(episodes[start_year <= SPLIT_YEAR], dt.date(SPLIT_YEAR, 12, 31))
    test = episodes[(start_year > SPLIT_YEAR) & (start_year <= TEST_LAST_YEAR)]
    return train, test


def predict(train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    """Forecasts for every test episode-year: ``p`` (12 months) and the S curve for IBS."""
    rows = landmarks(test)
    fits = _fit(train)
    grid = np.unique(np.concatenate([[HORIZON], IBS_GRID]))
    out = []
    for name in PREDICTORS:
        s = fits[name](rows, grid)
        frame = rows[
            ["episode_id", "start", "decade", "type", "d", "residual", "event", "y"]
        ].copy()
        frame["predictor"] = name
        frame["p"] = 1.0 - s[grid == HORIZON][0]
        frame["s_curve"] = list(s[np.isin(grid, IBS_GRID)].T)
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def _ibs_terms(residual: Arr, event: NDArray[np.bool_], s: Arr) -> Arr:
    """Each window's contribution to the IPCW integrated Brier score (Graf et al. 1999)."""
    km_c = survival.km(residual, ~event)
    g_t = np.clip(km_c.survival(IBS_GRID), 1e-12, None)
    g_own = np.clip(km_c.survival(np.maximum(residual - 1e-9, 0.0)), 1e-12, None)
    died = (residual[:, None] <= IBS_GRID[None, :]) & event[:, None]
    alive = residual[:, None] > IBS_GRID[None, :]
    terms = (s**2) * died / g_own[:, None] + ((1.0 - s) ** 2) * alive / g_t[None, :]
    return np.asarray(terms.mean(axis=1), dtype=float)


def _concordance(residual: Arr, p: Arr, event: NDArray[np.bool_]) -> float:
    from lifelines.utils import concordance_index

    return float(concordance_index(residual, -p, event))


def score(predictions: pd.DataFrame, *, resamples: int = 1000, seed: int = 2024) -> pd.DataFrame:
    """Scores of each predictor with 95% bootstrap intervals (resampling test episodes)."""
    preds = predictions.reset_index(drop=True)
    episodes = preds["episode_id"].unique()
    idx_of = {e: k for k, e in enumerate(episodes)}
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    draws = rng.integers(0, len(episodes), size=(resamples, len(episodes)))
    weights = np.stack([np.bincount(row, minlength=len(episodes)) for row in draws])
    base: dict[str, Arr] = {}
    out = []
    for name in PREDICTORS:
        f = preds[preds["predictor"] == name].reset_index(drop=True)
        ep = f["episode_id"].map(idx_of).to_numpy()
        known = f["y"].notna().to_numpy()
        y = f["y"].to_numpy(dtype=float)
        p = np.clip(f["p"].to_numpy(dtype=float), _CLIP, 1.0 - _CLIP)
        brier = np.where(known, (p - np.nan_to_num(y)) ** 2, 0.0)
        yy = np.nan_to_num(y)
        logloss = np.where(known, -(yy * np.log(p) + (1 - yy) * np.log(1 - p)), 0.0)
        ibs = _ibs_terms(
            f["residual"].to_numpy(dtype=float),
            f["event"].to_numpy(dtype=bool),
            np.stack(f["s_curve"].to_list()),
        )

        def per_episode(v: Arr, ep: NDArray[np.int64] = ep) -> Arr:
            return np.asarray(np.bincount(ep, weights=v, minlength=len(episodes)), dtype=float)

        n_known, n_all = per_episode(known.astype(float)), per_episode(np.ones(len(f)))
        sums = {"brier": per_episode(brier), "log_loss": per_episode(logloss)}
        boot = {k: (weights @ v) / (weights @ n_known) for k, v in sums.items()}
        boot["ibs"] = (weights @ per_episode(ibs)) / (weights @ n_all)
        point = {k: float(v.sum() / n_known.sum()) for k, v in sums.items()}
        point["ibs"] = float(ibs.mean())
        c_point = _concordance(f["residual"].to_numpy(), p, f["event"].to_numpy(dtype=bool))
        c_boot = np.empty(min(resamples, 200))
        order = np.argsort(ep, kind="stable")
        bounds = np.searchsorted(ep[order], np.arange(len(episodes) + 1))
        rows_of = [order[bounds[k] : bounds[k + 1]] for k in range(len(episodes))]
        for b in range(len(c_boot)):
            rows = np.concatenate([rows_of[e] for e in draws[b]])
            c_boot[b] = _concordance(
                f["residual"].to_numpy()[rows], p[rows], f["event"].to_numpy(dtype=bool)[rows]
            )
        base[name] = boot["brier"]
        base[name + ":point"] = np.array([point["brier"]])
        row: dict[str, Any] = {
            "predictor": name,
            "windows": int(known.sum()),
            "episodes": len(np.unique(ep)),
            "observed_rate": float(np.nanmean(y)),
            "mean_forecast": float(p[known].mean()),
        }
        for k in ("brier", "log_loss", "ibs"):
            row[k] = point[k]
            row[f"{k}_lo"], row[f"{k}_hi"] = np.percentile(boot[k], [2.5, 97.5])
        row["c_index"] = c_point
        row["c_index_lo"], row["c_index_hi"] = np.percentile(c_boot, [2.5, 97.5])
        out.append(row)
    for row in out:
        name = row["predictor"]
        for ref, col in (("constant", "brier_vs_constant"), ("kaplan-meier", "brier_vs_km")):
            diff = base[name] - base[ref]
            row[col] = float(base[name + ":point"][0] - base[ref + ":point"][0])
            row[f"{col}_lo"], row[f"{col}_hi"] = np.percentile(diff, [2.5, 97.5])
    return pd.DataFrame(out).set_index("predictor").astype({"windows": int, "episodes": int})


def reliability(predictions: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Mean forecast and observed share per forecast bin (known windows), per predictor."""
    f = predictions[predictions["y"].notna()].copy()
    edges = np.linspace(0.0, 1.0, bins + 1)
    f["bin"] = np.clip(np.digitize(f["p"], edges) - 1, 0, bins - 1)
    g = f.groupby(["predictor", "bin"])
    return g.agg(mean_forecast=("p", "mean"), observed=("y", "mean"), n=("y", "size")).reset_index()


@dataclass(frozen=True)
class WarBacktest:
    """Both designs' forecasts and scores; ``to_markdown`` is the README table."""

    predictions: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)
    method: str = "landmark forecasts of P(end within 12 months | lasted d) on UCDP episodes"

    def to_frame(self) -> pd.DataFrame:
        return self.summary

    def to_markdown(self) -> str:
        head = (
            "| design | predictor | windows (episodes) | observed | mean forecast "
            "| Brier [95% CI] | Brier − constant [95% CI] | Brier − KM [95% CI] "
            "| log loss [95% CI] | IBS 1–24 mo [95% CI] | Harrell's C [95% CI] |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|\n"
        )

        def ci(r: dict[str, Any], k: str, digits: int = 3) -> str:
            return f"{r[k]:.{digits}f} [{r[k + '_lo']:.{digits}f}, {r[k + '_hi']:.{digits}f}]"

        lines = []
        for r in self.records():
            design, name = r["design"], r["predictor"]
            vs = "–" if name == "constant" else ci(r, "brier_vs_constant")
            vs_km = "–" if name in ("constant", "kaplan-meier") else ci(r, "brier_vs_km")
            lines.append(
                f"| {design} | `{name}` | {int(r['windows'])} ({int(r['episodes'])}) "
                f"| {r['observed_rate']:.3f} | {r['mean_forecast']:.3f} | {ci(r, 'brier')} | {vs} "
                f"| {vs_km} "
                f"| {ci(r, 'log_loss')} | {ci(r, 'ibs')} | {ci(r, 'c_index')} |"
            )
        return head + "\n".join(lines) + "\n"

    def records(self) -> list[dict[str, Any]]:
        """The summary as one dict per (design, predictor) row."""
        return [
            {str(k): v for k, v in row.items()}
            for row in self.summary.reset_index().to_dict("records")
        ]

    def verdict(self, design: str = "temporal") -> str:
        """Whether the best covariate model beats the constant base rate and Kaplan-Meier."""
        s = {r["predictor"]: r for r in self.records() if r["design"] == design}
        best = min(("weibull-aft", "loglogistic-aft"), key=lambda k: float(s[k]["brier"]))
        r = s[best]

        def word(col: str) -> str:
            if r[f"{col}_hi"] < 0:
                return "beats"
            return "is worse than" if r[f"{col}_lo"] > 0 else "does not clearly beat"

        def diff(col: str) -> str:
            return (
                f"difference {r[col]:+.3f}, 95% CI [{r[col + '_lo']:+.3f}, {r[col + '_hi']:+.3f}]"
            )

        return (
            f"{design}: the best covariate model (`{best}`, Brier {r['brier']:.3f}) "
            f"{word('brier_vs_constant')} the constant base rate "
            f"(Brier {s['constant']['brier']:.3f}; {diff('brier_vs_constant')}) and "
            f"{word('brier_vs_km')} Kaplan-Meier without covariates "
            f"(Brier {s['kaplan-meier']['brier']:.3f}; {diff('brier_vs_km')})"
        )


def war_backtest(
    episodes: pd.DataFrame | None = None, *, resamples: int = 1000, seed: int = 2024
) -> WarBacktest:
    """Run both designs (temporal split at 1999/2000, leave one decade out) and score them."""
    e = ucdp.episodes() if episodes is None else episodes
    temporal = predict(*temporal_split(e))
    pooled = []
    for decade in sorted(e["decade"].unique()):
        held = e["decade"] == decade
        pooled.append(predict(e[~held], e[held]))
    by_decade = pd.concat(pooled, ignore_index=True)
    predictions = {"temporal": temporal, "decade": by_decade}
    summary = pd.concat(
        {k: score(v, resamples=resamples, seed=seed) for k, v in predictions.items()},
        names=["design"],
    )
    return WarBacktest(
        predictions=predictions,
        summary=summary,
        options={
            "split": f"train starts <= {SPLIT_YEAR} (as known on {SPLIT_YEAR}-12-31), "
            f"test starts {SPLIT_YEAR + 1}-{TEST_LAST_YEAR}",
            "horizon_months": HORIZON,
            "resamples": resamples,
            "seed": seed,
            "penalizer": survival.PENALIZER,
        },
    )
