"""PRIM scenario discovery: boxes in the space of uncertain numbers where an event is likely.

The Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting in
high-dimensional data", Statistics and Computing 9: 123-143), as used for scenario
discovery (Bryant & Lempert 2010, "Thinking inside the box", Technol. Forecast. Soc.
Change 77: 34-49). Given draws ``x`` (n × d) and a 0/1 event ``y``:

* **peeling**: from the box holding all draws, repeatedly cut off the ``alpha`` share
  of the draws in the box at the lower or upper end of one dimension — of the 2d
  candidate cuts, the one leaving the highest density ``mean(y | box)`` (Friedman and
  Fisher's original objective) — until the box holds less than ``mass_min`` of all
  draws. Ties on a discrete number are cut together (a cut removes every draw at the
  cut value).
* every box on the way is one step of the **peeling trajectory**, with its
  ``coverage = Σ_box y / Σ y`` (the share of all event draws it holds), ``density =
  mean(y | box)``, ``mass = n_box / n`` and the restricted dimensions (those whose
  limits moved inside the range of the data);
* the reported box is the trajectory's step with the highest coverage among those with
  density ≥ ``threshold`` (else the densest); :func:`prim` then removes that box's draws
  and peels again for further boxes (covering), coverage always relative to all event
  draws.

Pasting (re-growing a box after peeling) is not done. Cross-checked against EMA
Workbench's ``prim.Prim`` with ``PRIMObjectiveFunctions.ORIGINAL`` in
``scripts/crosscheck_prim_ema.py`` (fixture ``tests/data/ema_prim.json``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError

__all__ = ["Box", "PrimResult", "peel", "prim"]

Arr = NDArray[np.float64]


@dataclass(frozen=True)
class Box:
    """One box: limits per dimension and its statistics against all draws."""

    lower: pd.Series
    upper: pd.Series
    coverage: float
    density: float
    mass: float
    restricted: tuple[str, ...]
    step: int  # its step on the peeling trajectory

    def describe(self) -> str:
        limits = "; ".join(
            f"{d} in [{self.lower[d]:.4g}, {self.upper[d]:.4g}]" for d in self.restricted
        )
        return (
            f"coverage {self.coverage:.3f}, density {self.density:.3f}, mass {self.mass:.3f}"
            f": {limits or 'no restriction'}"
        )

    def limits(self) -> pd.DataFrame:
        return pd.DataFrame({"lower": self.lower, "upper": self.upper}).loc[list(self.restricted)]


@dataclass(frozen=True)
class PrimResult:
    """Boxes found in order, each with its peeling trajectory (a DataFrame per box)."""

    boxes: tuple[Box, ...]
    trajectories: tuple[pd.DataFrame, ...]
    n: int
    hits: int


def _validated(x: pd.DataFrame, y: ArrayLike) -> tuple[Arr, NDArray[np.bool_]]:
    v = x.to_numpy(dtype=float)
    yy = np.asarray(y)
    if yy.shape != (len(x),):
        raise ModelError("the event needs one value per draw", path="where", value=yy.shape)
    if not np.isfinite(v).all():
        raise ModelError("the draws hold values that are not finite", path="x")
    return v, yy.astype(bool)


def peel(
    x: pd.DataFrame,
    y: ArrayLike,
    *,
    alpha: float = 0.05,
    mass_min: float = 0.05,
    total_hits: int | None = None,
    total_n: int | None = None,
) -> tuple[pd.DataFrame, list[tuple[Arr, Arr]]]:
    """The peeling trajectory: one row per step (coverage, density, mass, restricted) and
    the limits (lower, upper) of each step's box."""
    if not 0 < alpha < 0.5:
        raise ModelError("must be in (0, 0.5)", path="alpha", value=alpha)
    v, hit = _validated(x, y)
    n_all = total_n or len(v)
    hits_all = total_hits if total_hits is not None else int(hit.sum())
    lo, hi = v.min(axis=0), v.max(axis=0)
    full_lo, full_hi = lo.copy(), hi.copy()
    inside = np.ones(len(v), dtype=bool)
    rows, limits = [], []

    def record() -> None:
        k = int(inside.sum())
        h = int(hit[inside].sum())
        restricted = [
            x.columns[j] for j in range(v.shape[1]) if lo[j] > full_lo[j] or hi[j] < full_hi[j]
        ]
        rows.append(
            {
                "coverage": h / hits_all if hits_all else np.nan,
                "density": h / k if k else np.nan,
                "mass": k / n_all,
                "n": k,
                "restricted": len(restricted),
                "dimensions": ", ".join(restricted),
            }
        )
        limits.append((lo.copy(), hi.copy()))

    record()
    while inside.sum() / n_all > mass_min:
        n_in = int(inside.sum())
        best: tuple[float, int, int, float, NDArray[np.bool_]] | None = None
        for j in range(v.shape[1]):
            col = v[inside, j]
            for side, q in ((0, alpha), (1, 1 - alpha)):
                cut = float(np.quantile(col, q))
                if side == 0:
                    drop = v[:, j] < cut if (col < cut).any() else v[:, j] <= cut
                else:
                    drop = v[:, j] > cut if (col > cut).any() else v[:, j] >= cut
                keep = inside & ~drop
                k = int(keep.sum())
                if k == n_in or k / n_all < mass_min or k == 0:
                    continue
                density = float(hit[keep].mean())
                if best is None or density > best[0]:
                    best = (density, j, side, cut, keep)
        if best is None:
            break
        _, j, side, cut, keep = best
        inside = keep
        col = v[inside, j]
        if side == 0:
            lo[j] = col.min()
        else:
            hi[j] = col.max()
        record()
    return pd.DataFrame(rows), limits


def prim(
    x: pd.DataFrame,
    y: ArrayLike,
    *,
    alpha: float = 0.05,
    mass_min: float = 0.05,
    threshold: float = 0.8,
    boxes: int = 1,
) -> PrimResult:
    """Up to ``boxes`` boxes by peeling and covering (see the module docstring)."""
    v, hit = _validated(x, y)
    total = int(hit.sum())
    if total == 0:
        raise ModelError("the event never happens in these draws: nothing to find", path="where")
    remaining = np.ones(len(v), dtype=bool)
    found: list[Box] = []
    trajectories: list[pd.DataFrame] = []
    for _ in range(boxes):
        if hit[remaining].sum() == 0 or remaining.sum() / len(v) <= mass_min:
            break
        sub = x.loc[remaining]
        traj, limits = peel(
            sub, hit[remaining], alpha=alpha, mass_min=mass_min, total_hits=total, total_n=len(v)
        )
        ok = traj.index[traj["density"] >= threshold]
        col = traj.loc[ok, "coverage"] if len(ok) else traj["density"]
        step = int(np.argmax(col.to_numpy()))
        step = int(col.index[step])
        lo, hi = limits[step]
        row = traj.iloc[step]
        restricted = tuple(str(d) for d in row["dimensions"].split(", ") if d)
        found.append(
            Box(
                pd.Series(lo, index=x.columns), pd.Series(hi, index=x.columns),
                float(row["coverage"]), float(row["density"]), float(row["mass"]),
                restricted, step,
            )
        )  # fmt: skip
        trajectories.append(traj)
        in_box = np.all((v >= lo) & (v <= hi), axis=1)
        remaining &= ~in_box
    return PrimResult(tuple(found), tuple(trajectories), len(v), total)
