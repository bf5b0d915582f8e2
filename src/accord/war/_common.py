"""What the war-termination models share: the result object and parameter checks.

Every model in :mod:`accord.war` is a pure function of its parameters. Parameters may be
scalars or NumPy arrays; they broadcast against each other (NumPy rules), and every output
has the broadcast shape, so a call with arrays equals the loop of scalar calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError

__all__ = ["FAN", "WarResult", "as_array", "check_range", "mid_quantiles", "scalar_or_array"]

FloatArray = NDArray[np.float64]


class WarResult(dict[str, Any]):
    """A model's outputs, readable as attributes (like ``scipy.optimize.OptimizeResult``).

    ``model`` names the model; ``notes`` lists what the result cannot say (a quantity that
    is undefined for these parameters, an assumption that binds). ``to_frame()`` gives one
    row per parameter combination for the broadcast outputs named in ``frame_keys``.
    """

    def __init__(self, model: str, frame_keys: Iterable[str] = (), **fields: Any) -> None:
        fields.setdefault("notes", [])
        super().__init__(model=model, **fields)
        self.frame_keys = tuple(frame_keys)

    @classmethod
    def of(cls, model: str, frame: Mapping[str, Any], **fields: Any) -> WarResult:
        """A result whose ``frame`` outputs (0-d arrays as scalars) make up ``to_frame()``."""
        table = {k: scalar_or_array(np.asarray(v)) for k, v in frame.items()}
        return cls(model, frame_keys=table, **table, **fields)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.keys()))

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={_short(v)}" for k, v in self.items())
        return f"WarResult({body})"

    def to_frame(self) -> pd.DataFrame:
        """The broadcast outputs as a table: one row per parameter combination."""
        cols = {k: np.asarray(self[k]) for k in self.frame_keys}
        if not cols:
            return pd.DataFrame()
        shape = np.broadcast_shapes(*(v.shape for v in cols.values()))
        return pd.DataFrame({k: np.broadcast_to(v, shape).ravel() for k, v in cols.items()})


def _short(v: Any) -> str:
    if isinstance(v, np.ndarray) and v.size > 6:
        return f"array(shape={v.shape}, dtype={v.dtype})"
    return repr(v)


def as_array(name: str, value: ArrayLike) -> FloatArray:
    """A float array of a parameter; NaN, infinities and non-numbers are refused by name."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ModelError(
            "must be a number or an array of numbers", path=name, value=value
        ) from None
    if not np.isfinite(arr).all():
        bad = arr[~np.isfinite(arr)].ravel()[0]
        raise ModelError("must be finite", path=name, value=float(bad))
    return arr


def check_range(
    name: str,
    value: ArrayLike,
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> FloatArray:
    """``as_array`` plus bounds; the error names the parameter and the first bad value."""
    arr = as_array(name, value)
    ok = np.ones(arr.shape, dtype=bool)
    if lo is not None:
        ok &= arr > lo if lo_open else arr >= lo
    if hi is not None:
        ok &= arr < hi if hi_open else arr <= hi
    if not ok.all():
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        bad = arr[~ok].ravel()[0]
        raise ModelError(f"must be in {left}{lo_s}, {hi_s}{right}", path=name, value=float(bad))
    return arr


def scalar_or_array(x: NDArray[Any]) -> Any:
    """A 0-d array as a NumPy scalar, anything else unchanged."""
    return x[()] if x.ndim == 0 else x


FAN = (0.05, 0.25, 0.5, 0.75, 0.95)
"""The probabilities a fan chart draws: the 5-95 % and 25-75 % bands and the median."""


def mid_quantiles(x: ArrayLike, probs: Iterable[float] = FAN, *, axis: int = 0) -> FloatArray:
    """Mid-distribution quantiles of samples along ``axis`` (Parzen 2004), one row per
    probability: the inverse of the linearly interpolated mid-CDF
    :math:`F_{mid}(v) = P(X < v) + P(X = v)/2` through the distinct sample values, held at
    the smallest and largest value outside them.

    Without ties this is numpy's ``method="hazen"`` (plotting positions
    :math:`(j - 1/2)/n`). With ties (front states are integers; settled runs share a line)
    it still increases strictly between the smallest and largest value, so the median lies
    strictly inside the 25-75 % band whenever the samples are not all equal; numpy's
    default quantiles of such samples often put the median on a band's edge.

    Parzen, E. (2004). Quantile probability and statistical data modeling. *Statistical
    Science* 19(4):652-662.
    """
    s = np.sort(np.moveaxis(np.asarray(x, dtype=float), axis, 0), axis=0)
    n = s.shape[0]
    if n == 0:
        raise ModelError("no samples to take quantiles of", path="samples")
    idx = np.arange(n, dtype=float).reshape((n,) + (1,) * (s.ndim - 1))
    starts = np.ones(s.shape, dtype=bool)
    starts[1:] = s[1:] != s[:-1]
    ends = np.ones(s.shape, dtype=bool)
    ends[:-1] = s[:-1] != s[1:]
    first = np.maximum.accumulate(np.where(starts, idx, 0.0), axis=0)
    stop = np.minimum.accumulate(np.where(ends, idx + 1, float(n))[::-1], axis=0)[::-1]
    fmid = (first + stop) / (2.0 * n)  # the same for every member of a tied block
    rows = []
    for u in probs:
        hi = (fmid < u).sum(axis=0, keepdims=True)  # the first value with F_mid >= u
        j_hi = np.minimum(hi, n - 1)
        j_lo = np.clip(hi - 1, 0, n - 1)
        f_lo, f_hi = np.take_along_axis(fmid, j_lo, 0), np.take_along_axis(fmid, j_hi, 0)
        v_lo, v_hi = np.take_along_axis(s, j_lo, 0), np.take_along_axis(s, j_hi, 0)
        gap = f_hi - f_lo
        w = np.divide(u - f_lo, gap, out=np.zeros_like(gap), where=gap > 0)
        rows.append((v_lo + w * (v_hi - v_lo))[0])
    return np.stack(rows)
