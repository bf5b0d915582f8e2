"""Draws of a scenario: its uncertainty section turned into valid scenarios, one per draw.

:class:`Sampler` compiles a scenario's ``uncertainty:`` section (or one given separately,
see :mod:`accord.scenario.uncertainty`) into an ordered list of uncertain numbers: every
listed parameter, then every judgement-marked number the defaults cover. A draw is made
in three steps, the same for every design:

1. a point ``u`` in the unit cube, one coordinate per number: for Monte Carlo draws from
   draw b's own generator ``default_rng(SeedSequence(seed, spawn_key=(b, 0)))`` (so a
   draw's numbers do not depend on how the draws are split into batches or machines),
   with correlated groups through a Gaussian copula (``z`` standard normal,
   ``z_G <- L z_G`` with ``L L' = (1 - ρ) I + ρ 11'``, ``u = Φ(z)``); for Sobol and
   Morris designs the row of SALib's design;
2. ``x = F⁻¹(u)`` through each number's distribution; under ``bounds: reject`` the
   distribution is truncated to the valid range, ``x = F⁻¹(F(a) + u (F(b) - F(a)))``
   (the law of redrawing until inside), under ``bounds: clip`` the value is clipped and
   the draw's ``clipped`` count goes up;
3. the scenario with these numbers, validated like a file (:class:`Scenario`): a draw is a
   scenario. A Monte Carlo draw that breaks a rule across numbers (``p_weak >= p_strong``)
   is redrawn from its own generator (counted in ``redraws``); in a Sobol or Morris
   design, where a row cannot be redrawn, it is an error naming the draw and the rule.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError
from scipy import special  # type: ignore[import-untyped]

from accord.errors import Problem, ScenarioError
from accord.scenario.schema import Scenario, _semantic_problems
from accord.scenario.uncertainty import (
    Beta,
    Defaults,
    Discrete,
    Normal,
    NumberInfo,
    Triangular,
    TruncNormal,
    Uncertainty,
    Uniform,
    canonical_path,
    numbers,
    reaches_outside,
    support,
    uncertainty_problems,
)

__all__ = ["Param", "Sampler", "draw_rng", "model_rng"]

Arr = NDArray[np.float64]
MAX_REDRAWS = 100
EDGE = 0.005


def draw_rng(seed: int, draw: int) -> np.random.Generator:
    """The generator of draw ``draw``'s inputs (the same wherever the draw is computed)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(draw, 0)))


def model_rng(seed: int, draw: int) -> np.random.Generator:
    """The generator a stochastic model gets for draw ``draw``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(draw, 1)))


@dataclass(frozen=True)
class _UniformLaw:
    """The uniform law on ``[lo, hi]`` in closed form (the defaults' law: no scipy.stats)."""

    lo: float
    hi: float

    def cdf(self, x: float) -> float:
        width = self.hi - self.lo
        return (
            float(min(max((x - self.lo) / width, 0.0), 1.0)) if width > 0 else float(x >= self.lo)
        )


@dataclass(frozen=True)
class Param:
    """One uncertain number: its path, its distribution and what it does out of range."""

    info: NumberInfo
    dist: Any
    bounds: str | None
    origin: str  # "parameters" or "defaults"

    @property
    def path(self) -> str:
        return self.info.path

    def describe(self) -> str:
        d = self.dist
        fields = {k: v for k, v in d.model_dump().items() if v is not None and k != "dist"}
        text = ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items()
        )
        return f"{d.dist}({text})"

    # -- the distribution ----------------------------------------------------------------

    def _frozen(self) -> Any:
        """A scipy distribution (or None for discrete) with the scenario's value filled in."""
        d, v = self.dist, self.info.value
        if isinstance(d, Uniform):
            lo, hi = support(d, self.info)
            return _UniformLaw(lo, hi)
        from scipy import stats  # here: slow to import

        if isinstance(d, Triangular):
            lo, hi = support(d, self.info)
            mode = v if d.mode is None else d.mode
            width = hi - lo
            return stats.triang(0.5 if width == 0 else (mode - lo) / width, lo, width)
        if isinstance(d, Normal):
            return stats.norm(v if d.mean is None else d.mean, d.sd)
        if isinstance(d, TruncNormal):
            mean = v if d.mean is None else d.mean
            return stats.truncnorm((d.low - mean) / d.sd, (d.high - mean) / d.sd, mean, d.sd)
        if isinstance(d, Beta):
            return stats.beta(d.alpha, d.beta, d.low, d.high - d.low)
        return None

    @cached_property
    def _plan(self) -> tuple[Any, float, float]:
        """The frozen distribution and the CDF interval draws are mapped into."""
        d, info = self.dist, self.info
        frozen = self._frozen()
        lo, hi = support(d, info)
        f_lo, f_hi = 0.0, 1.0
        if frozen is not None and self.bounds == "reject" and reaches_outside(lo, hi, info):
            f_lo = float(frozen.cdf(info.low)) if math.isfinite(info.low) else 0.0
            f_hi = float(frozen.cdf(info.high)) if math.isfinite(info.high) else 1.0
        return frozen, f_lo, f_hi

    def quantile(self, u: Arr) -> tuple[Arr, NDArray[np.bool_]]:
        """Values for unit-cube coordinates ``u``, and where they were clipped."""
        d, info = self.dist, self.info
        if isinstance(d, Discrete):
            values = np.asarray(d.values, dtype=float)
            weights = np.asarray(d.weights or [1.0] * len(values), dtype=float)
            if self.bounds == "reject":
                weights = np.where([info.inside(x) for x in values], weights, 0.0)
            cum = np.cumsum(weights) / weights.sum()
            x = values[np.minimum(np.searchsorted(cum, u, side="right"), len(values) - 1)]
            return self._into_range(x)
        frozen, f_lo, f_hi = self._plan
        u = f_lo + u * (f_hi - f_lo)
        if isinstance(d, Uniform):  # closed form: the common case, without scipy's overhead
            lo, hi = support(d, info)
            x = lo + u * (hi - lo)
        else:
            x = np.asarray(frozen.ppf(u), dtype=float)
        return self._into_range(x)

    def _into_range(self, x: Arr) -> tuple[Arr, NDArray[np.bool_]]:
        info = self.info
        lo = np.nextafter(info.low, np.inf) if info.low_open else info.low
        hi = np.nextafter(info.high, -np.inf) if info.high_open else info.high
        inside = (x >= lo) & (x <= hi)
        if self.bounds == "clip":
            return np.clip(x, lo, hi), ~inside
        # reject: outside only by rounding at a bound, put back on it; no bounds: never outside
        return np.clip(x, lo, hi), np.zeros(x.shape, dtype=bool)


@dataclass
class Sampler:
    """A scenario's uncertain numbers, and the scenarios their draws make.

    ``Sampler(scenario)`` uses the scenario's own ``uncertainty:`` section (defaults only
    when it has none); ``Sampler(scenario, spec)`` another one (from ``--uncertainty``).
    """

    scenario: Scenario
    spec: Uncertainty | None = None
    file: str | None = None
    params: list[Param] = field(init=False)
    groups: list[tuple[NDArray[np.intp], float]] = field(init=False)

    def __post_init__(self) -> None:
        spec = self.spec if self.spec is not None else self.scenario.uncertainty
        spec = spec if spec is not None else Uncertainty()
        self.spec = spec
        problems = uncertainty_problems(self.scenario, spec)
        if problems:
            raise ScenarioError(problems, file=self.file)
        known = numbers(self.scenario)
        params: list[Param] = []
        listed: set[str] = set()
        for raw, d in spec.parameters.items():
            path = canonical_path(self.scenario, raw)
            params.append(Param(known[path], d, d.bounds, "parameters"))
            listed.add(path)
        if spec.defaults:
            for path, info in known.items():
                if info.judgement and path not in listed:
                    dist = _default(info, spec.defaults)
                    if dist is not None:
                        params.append(Param(info, dist, spec.defaults.bounds, "defaults"))
        if not params:
            raise ScenarioError.single(
                "uncertainty",
                "no uncertain numbers: list parameters, or mark numbers as judgement",
                file=self.file,
            )
        self.params = params
        index = {p.path: k for k, p in enumerate(params)}
        self.groups = [
            (
                np.array([index[canonical_path(self.scenario, q)] for q in g.paths]),
                float(g.correlation),
            )
            for g in spec.groups
        ]
        self._chol = [
            (idx, np.linalg.cholesky((1 - rho) * np.eye(idx.size) + rho * np.ones((idx.size,) * 2)))
            for idx, rho in self.groups
        ]
        self._template = self.scenario.model_dump(mode="python")
        self._template["uncertainty"] = None
        self._setters = [_setter(self._template, p.info.loc) for p in params]
        self._build = _compile(
            self.scenario, _tree(self.scenario, [p.info.loc for p in params]), drop=_CACHED
        )
        self._lock = threading.Lock()
        ends = [p.quantile(np.array([0.0, 1.0]))[0] for p in params]
        self._unbounded = np.array([not np.isfinite(e).all() for e in ends])

    @property
    def names(self) -> list[str]:
        return [p.path for p in self.params]

    @property
    def k(self) -> int:
        return len(self.params)

    # -- step 1: unit-cube points ----------------------------------------------------------

    def unit(self, rng: np.random.Generator) -> Arr:
        """One Monte Carlo point in the unit cube (groups correlated)."""
        z = rng.standard_normal(self.k)
        for idx, chol in self._chol:
            z[idx] = chol @ z[idx]
        u: Arr = special.ndtr(z)
        return np.clip(u, 1e-12, 1 - 1e-12)

    # -- step 2: values --------------------------------------------------------------------

    def values(self, u: Arr) -> tuple[Arr, NDArray[np.intp]]:
        """Values ``(B, k)`` for unit points ``(B, k)``, and the clipped count per row."""
        u = np.atleast_2d(u)
        x = np.empty_like(u)
        clipped = np.zeros(u.shape[0], dtype=np.intp)
        for j, p in enumerate(self.params):
            x[:, j], c = p.quantile(u[:, j])
            clipped += c
        return x, clipped

    # -- step 3: scenarios -------------------------------------------------------------------

    def build(self, x: Sequence[float]) -> Scenario | list[Problem]:
        """The scenario with these values, or the rules it breaks.

        Only the objects on the way from the scenario to each changed number are copied
        (as ``model_copy`` does, planned once: :func:`_compile`), then the scenario's own
        checks run on the result, as on a file; field-level rules (types, finiteness,
        salience >= 0) hold by construction, because
        every value is a finite float inside the number's valid range. Equal to validating
        the whole dumped scenario (:meth:`build_validated`, tested), several times faster.
        """
        new: Scenario = self._build([float(v) for v in x])
        problems = _semantic_problems(new)
        return problems if problems else new

    def build_validated(self, x: Sequence[float]) -> Scenario | list[Problem]:
        """The same scenario by validating the whole dumped scenario (the reference path)."""
        with self._lock:
            for setter, value in zip(self._setters, x, strict=True):
                setter(float(value))
            try:
                return Scenario.model_validate(self._template)
            except ScenarioError as exc:
                return list(exc.problems)
            except ValidationError as exc:  # pragma: no cover - ranges are enforced above
                return [Problem(".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()]

    def draws(self, seed: int, indices: Sequence[int]) -> list[tuple[Scenario, Arr, int, int]]:
        """Monte Carlo draws: per draw its scenario, values, clipped count and redraws."""
        rngs = [draw_rng(seed, b) for b in indices]
        if not rngs:
            return []
        x, clipped = self.values(np.stack([self.unit(r) for r in rngs]))
        out = []
        for row, b in enumerate(indices):
            xb, cb, redraw = x[row], int(clipped[row]), 0
            built = self.build(xb)
            while not isinstance(built, Scenario):
                redraw += 1
                if redraw > MAX_REDRAWS:
                    raise ScenarioError(
                        [Problem(f"draw {b}", f"still invalid after {MAX_REDRAWS} redraws: "
                                 + p.render()) for p in built]
                    )  # fmt: skip
                xr, cr = self.values(self.unit(rngs[row])[None, :])
                xb, cb = xr[0], int(cr[0])
                built = self.build(xb)
            out.append((built, xb, cb, redraw))
        return out

    def design_draw(self, u: Arr, draw: int) -> tuple[Scenario, Arr, int, int]:
        """The scenario of one row of a Sobol or Morris design (never redrawn). A number
        whose law is unbounded takes its 0.5 % and 99.5 % quantiles at the cube's faces
        (Morris's end levels), so that every value is finite."""
        u = np.where(self._unbounded, np.clip(u, EDGE, 1 - EDGE), u)
        x, clipped = self.values(u[None, :])
        built = self.build(x[0])
        if isinstance(built, Scenario):
            return built, x[0], int(clipped[0]), 0
        raise ScenarioError(
            [Problem(f"design row {draw}", "the draw breaks a rule of the scenario: "
                     + p.render()) for p in built]
        )  # fmt: skip

    def table(self) -> list[dict[str, str]]:
        """One row per uncertain number: path, value, range, distribution, bounds, origin."""
        return [
            {
                "path": p.path,
                "value": f"{p.info.value:g}",
                "range": p.info.range_text(),
                "distribution": p.describe(),
                "bounds": p.bounds or "-",
                "from": p.origin,
            }
            for p in self.params
        ]


def _default(info: NumberInfo, d: Defaults) -> Uniform | None:
    """The default uniform range of a judgement-marked number."""
    v = info.value
    if info.kind in ("position", "status_quo"):
        half = d.position * info.width / 100
    elif info.kind == "salience":
        half = d.salience * info.width / 100
    elif info.kind == "capability":
        half = abs(v) * d.capability
    elif info.path == "war.delta":
        half = d.delta
    else:
        half = abs(v) * d.war
    if half == 0:
        return None
    return Uniform(dist="uniform", plusminus=half)


def _setter(data: dict[str, Any], loc: tuple[str | int, ...]) -> Any:
    """A function that writes a number at ``loc`` in a scenario's dumped data."""
    container: Any = data
    for part in loc[:-1]:
        container = container[part]
    key = loc[-1]
    if isinstance(container, tuple):  # the dump keeps tuples: make the level writable
        raise TypeError(f"cannot write into a tuple at {loc}")  # pragma: no cover
    here = container[key]
    if isinstance(here, dict):

        def set_sourced(value: float) -> None:
            here["value"] = value

        return set_sourced

    def set_plain(value: float) -> None:
        container[key] = value

    return set_plain


_CACHED = ("_arrays",)  # Scenario's cached views that depend on the numbers
Tree = dict[str | int, Any]
Build = Callable[[Sequence[float]], Any]
_set = object.__setattr__


def _tree(sc: Scenario, locs: Sequence[tuple[str | int, ...]]) -> Tree:
    """The changed numbers as a tree of locations; a leaf is the value's column."""
    from pydantic import BaseModel

    from accord.scenario.schema import Sourced

    root: Tree = {}
    for col, loc in enumerate(locs):
        obj: Any = sc
        for part in loc:
            obj = getattr(obj, str(part)) if isinstance(obj, BaseModel) else obj[part]
        full = (*loc, "value") if isinstance(obj, Sourced) else loc
        node = root
        for part in full[:-1]:
            node = node.setdefault(part, {})
        node[full[-1]] = col
    return root


def _compile(obj: Any, tree: Tree, drop: Sequence[str] = ()) -> Build:
    """A function of the values that rebuilds ``obj`` with the numbers of ``tree`` replaced.

    Only the objects on the way to a changed number are new; everything else is shared
    with ``obj``. A pydantic model is copied the way ``model_copy(update=...)`` does it
    (its ``__dict__`` copied and updated, no validation), but with everything that does
    not depend on the values (the untouched fields, the fields-set, which keys change)
    worked out here, once, instead of on every draw; ``drop`` names cached views to leave
    out of the copy.
    """
    from pydantic import BaseModel

    leaves = [(k, sub) for k, sub in tree.items() if isinstance(sub, int)]
    if isinstance(obj, BaseModel):
        children = [
            (str(k), _compile(getattr(obj, str(k)), sub))
            for k, sub in tree.items()
            if isinstance(sub, dict)
        ]
        cls = type(obj)
        base = {k: v for k, v in obj.__dict__.items() if k not in drop}
        fields_set = obj.__pydantic_fields_set__ | {str(k) for k in tree}
        extra, private = obj.__pydantic_extra__, obj.__pydantic_private__
        named = [(str(k), col) for k, col in leaves]

        def model(values: Sequence[float]) -> Any:
            d = base.copy()
            for key, col in named:
                d[key] = values[col]
            for key, child in children:
                d[key] = child(values)
            new = cls.__new__(cls)
            _set(new, "__dict__", d)
            _set(new, "__pydantic_fields_set__", fields_set)
            _set(new, "__pydantic_extra__", extra)
            _set(new, "__pydantic_private__", private)
            return new

        return model
    kids = [(k, _compile(obj[k if isinstance(obj, dict) else int(k)], sub))
            for k, sub in tree.items() if isinstance(sub, dict)]  # fmt: skip
    if isinstance(obj, tuple):
        items = list(obj)
        at = [(int(k), col) for k, col in leaves]
        kid_at = [(int(k), child) for k, child in kids]

        def seq(values: Sequence[float]) -> Any:
            out = items.copy()
            for i, col in at:
                out[i] = values[col]
            for i, child in kid_at:
                out[i] = child(values)
            return tuple(out)

        return seq
    mapping = dict(obj)

    def table(values: Sequence[float]) -> Any:
        out = mapping.copy()
        for key, col in leaves:
            out[key] = values[col]
        for key, child in kids:
            out[key] = child(values)
        return out

    return table
