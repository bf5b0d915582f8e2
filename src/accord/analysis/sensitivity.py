"""Sensitivity of a sweep's outputs to its uncertain numbers: Sobol, Morris, tornado, events.

* :func:`sobol` — first-order ``S1`` and total-order ``ST`` Sobol indices with bootstrap
  confidence intervals, SALib's Saltelli/Jansen estimators (``SALib.analyze.sobol``;
  Saltelli et al. 2010, "Variance based sensitivity analysis of model output", Comput.
  Phys. Commun. 181) on the rows of a Sobol design (``accord sweep --design sobol``).
* :func:`morris` — Morris elementary effects (``mu``, ``mu_star`` with its interval,
  ``sigma``; Morris 1991, Campolongo et al. 2007) through ``SALib.analyze.morris`` on a
  Morris design. Effects are per unit of the numbers' quantiles (the design lives in the
  unit cube and is mapped through each number's distribution).
* :func:`tornado` — from any Monte Carlo sweep, the output's mean among the draws with a
  number in its lowest and in its highest decile (derived here: a given-data tornado,
  no extra runs), sorted by the swing.
* :func:`event_probability` — P(event) over the draws with a Jeffreys interval
  (Beta(k + 1/2, n - k + 1/2) quantiles; Brown, Cai & DasGupta 2001).

Every function takes arrays; the ``*_of_store`` helpers read a results store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats  # type: ignore[import-untyped]

from accord.analysis.store import Store
from accord.errors import ModelError

__all__ = [
    "EventProbability",
    "event_probability",
    "morris",
    "morris_of_store",
    "sobol",
    "sobol_of_store",
    "tornado",
]

Arr = NDArray[np.float64]


def _problem(names: Sequence[str]) -> dict[str, object]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _finite(y: ArrayLike, what: str) -> Arr:
    arr = np.asarray(y, dtype=float)
    bad = int(np.count_nonzero(~np.isfinite(arr)))
    if bad:
        raise ModelError(f"{bad} of {arr.size} values are not finite", path=what)
    return arr


def sobol(
    names: Sequence[str],
    y: ArrayLike,
    *,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    bounds: Sequence[Sequence[float]] | None = None,
) -> pd.DataFrame:
    """Sobol indices of ``y`` (rows of SALib's Saltelli design without second order).

    Returns one row per number: ``S1``, ``S1_low``, ``S1_high``, ``ST``, ``ST_low``,
    ``ST_high`` (the bootstrap interval at ``level``), sorted by ``ST``.
    """
    from SALib.analyze import sobol as sobol_analyze

    k = len(names)
    arr = _finite(y, "output")
    if arr.size % (k + 2):
        raise ModelError(
            f"a Sobol design has N·(k + 2) rows; {arr.size} is not a multiple of {k + 2}",
            path="output",
        )
    problem = _problem(names)
    if bounds is not None:
        problem["bounds"] = [list(b) for b in bounds]
    res = sobol_analyze.analyze(
        problem, arr, calc_second_order=False, num_resamples=resamples, conf_level=level,
        print_to_console=False, seed=seed,
    )  # fmt: skip
    s1, s1c = np.asarray(res["S1"]), np.asarray(res["S1_conf"])
    st, stc = np.asarray(res["ST"]), np.asarray(res["ST_conf"])
    out = pd.DataFrame(
        {
            "S1": s1,
            "S1_low": s1 - s1c,
            "S1_high": s1 + s1c,
            "ST": st,
            "ST_low": st - stc,
            "ST_high": st + stc,
        },
        index=pd.Index(list(names), name="number"),
    )
    return out.sort_values("ST", ascending=False)


def morris(
    names: Sequence[str],
    x: ArrayLike,
    y: ArrayLike,
    *,
    levels: int = 4,
    resamples: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    bounds: Sequence[Sequence[float]] | None = None,
) -> pd.DataFrame:
    """Morris screening: ``mu``, ``mu_star`` with interval, ``sigma``; sorted by ``mu_star``."""
    from SALib.analyze import morris as morris_analyze

    problem = _problem(names)
    if bounds is not None:
        problem["bounds"] = [list(b) for b in bounds]
    res = morris_analyze.analyze(
        problem, np.asarray(x, dtype=float), _finite(y, "output"), num_resamples=resamples,
        conf_level=level, num_levels=levels, print_to_console=False, seed=seed,
    )  # fmt: skip
    mu_star = np.asarray(res["mu_star"], dtype=float)
    conf = np.asarray(res["mu_star_conf"], dtype=float)
    out = pd.DataFrame(
        {
            "mu": np.asarray(res["mu"], dtype=float),
            "mu_star": mu_star,
            "mu_star_low": mu_star - conf,
            "mu_star_high": mu_star + conf,
            "sigma": np.asarray(res["sigma"], dtype=float),
        },
        index=pd.Index(list(names), name="number"),
    )
    return out.sort_values("mu_star", ascending=False)


def _design_of(store: Store, kind: str) -> None:
    have = store.manifest["design"]["kind"]
    if have != kind:
        raise ModelError(
            f"{kind} indices need a sweep with --design {kind}; this one is {have}",
            path="--method",
            value=kind,
        )
    if not store.complete:
        raise ModelError("the sweep is not complete: --resume it first", path=str(store.path))


def sobol_of_store(store: Store, output: str, **kw: int | float) -> pd.DataFrame:
    store.check_output(output)
    _design_of(store, "sobol")
    y = store.columns([output])[output].to_numpy()
    return sobol(store.inputs, y, seed=int(store.manifest["design"]["seed"]), **kw)  # type: ignore[arg-type]


def morris_of_store(store: Store, output: str, **kw: int | float) -> pd.DataFrame:
    from accord.analysis.sweep import MORRIS_LEVELS, Design, design_matrix

    store.check_output(output)
    _design_of(store, "morris")
    d = store.manifest["design"]
    names = store.inputs
    y = store.columns([output])[output].to_numpy()
    u = design_matrix(names, Design("morris", int(d["n"]), int(d["seed"])))
    assert u is not None
    return morris(names, u, y, levels=MORRIS_LEVELS, seed=int(d["seed"]), **kw)  # type: ignore[arg-type]


def tornado(x: pd.DataFrame, y: ArrayLike, *, q: float = 0.1) -> pd.DataFrame:
    """Per number: mean output among draws in its lowest and highest ``q`` share; by swing."""
    arr = np.asarray(y, dtype=float)
    rows = []
    for name in x.columns:
        v = x[name].to_numpy(dtype=float)
        lo_cut, hi_cut = np.quantile(v, [q, 1 - q])
        low, high = arr[v <= lo_cut], arr[v >= hi_cut]
        if low.size == 0 or high.size == 0 or lo_cut == hi_cut:
            continue
        rows.append((name, float(np.nanmean(low)), float(np.nanmean(high))))
    out = pd.DataFrame(rows, columns=["number", "low", "high"]).set_index("number")
    out["swing"] = (out["high"] - out["low"]).abs()
    out.attrs["mean"] = float(np.nanmean(arr))
    return out.sort_values("swing", ascending=False)


@dataclass(frozen=True)
class EventProbability:
    event: str
    hits: int
    n: int
    p: float
    low: float
    high: float
    level: float

    def describe(self) -> str:
        pct = f"{100 * self.level:g}%"
        return (
            f"P({self.event}) = {self.p:.3f} [{pct} interval {self.low:.3f}, {self.high:.3f}]"
            f" ({self.hits:,} of {self.n:,} draws)"
        )


def event_probability(
    hits: int, n: int, *, event: str = "event", level: float = 0.95
) -> EventProbability:
    """P(event) with the Jeffreys interval."""
    if n < 1:
        raise ModelError("no draws", path="draws", value=n)
    a = (1 - level) / 2
    lo = 0.0 if hits == 0 else float(stats.beta.ppf(a, hits + 0.5, n - hits + 0.5))
    hi = 1.0 if hits == n else float(stats.beta.ppf(1 - a, hits + 0.5, n - hits + 0.5))
    return EventProbability(event, hits, n, hits / n, lo, hi, level)


def event_of_store(store: Store, where: str, *, level: float = 0.95) -> EventProbability:
    df = store.query(f"SELECT count(*) FILTER (WHERE ({where})) AS k, count(*) AS n FROM results")
    return event_probability(int(df["k"].iloc[0]), int(df["n"].iloc[0]), event=where, level=level)
