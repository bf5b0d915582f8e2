"""M3, bargaining while fighting: a front that moves battle by battle, and learning.

War is a costly lottery whose expected value is the eventual settlement, and bargaining
goes on after fighting starts (Wagner 2000). Battles carry information that offers cannot
fake; fighting stops paying when it stops informing (Slantchev's principle of convergence,
2003). The implementable version here is derived in accord's design note
(war-termination.md §1 M3), in the spirit of Smith & Stam (2004) and Slantchev's front
model:

* The front is a state :math:`s \\in \\{0, \\dots, N\\}`, mapped linearly to the territory
  scale (``territory`` gives T at s = 0 and s = N). Each battle moves it +1 with the true
  probability :math:`\\theta` (side A wins the battle), -1 otherwise; 0 and N are
  absorbing (total defeat or victory).
* Actor i believes :math:`\\theta \\sim \\mathrm{Beta}(\\alpha_i, \\beta_i)`; after n
  battles with k wins for A its posterior is
  :math:`\\mathrm{Beta}(\\alpha_i + k, \\beta_i + n - k)` (``update=False`` freezes beliefs).
* The gambler's-ruin value to A from s is
  :math:`W(\\theta, s) = (1 - r^s)/(1 - r^N)`, :math:`r = (1-\\theta)/\\theta`
  (:math:`s/N` at :math:`\\theta = 1/2`); each side values the war at
  :math:`E_i[W(\\theta, s)]` under its own belief (Gauss-Legendre quadrature on the
  belief's bulk, :func:`expected_win`).
* A settlement exists iff the mutual-optimism gap is at most the joint costs,
  :math:`E_A[W] - E_B[W] \\le c_A + c_B`, i.e. iff A's minimum
  :math:`E_A[W] - c_A` is below B's maximum :math:`E_B[W] + c_B`. The settlement point
  is the weighted Nash bargaining solution with risk-neutral players on the part of the
  range inside the pie, ``low + weight·(high - low)`` (``weight = 0.5``: the midpoint).

The expected number of battles until absorption when beliefs never converge is the
gambler's-ruin duration :math:`E[\\tau] = s/(1-2\\theta) - N/(1-2\\theta)\\cdot W(\\theta,s)`,
:math:`s(N-s)` at :math:`\\theta = 1/2` (:func:`ruin_duration`), the check on the simulator.

:func:`fight` runs every Monte Carlo replication in one vectorised pass: beliefs depend
only on (battles fought, front state), so the optimism gap and settlement point are
tabulated once on that grid and each battle is one array operation over all runs.

Caveats not modelled here (design note): in continuous time rivals may stand firm rather
than converge (BJPolS 2012); uncertainty about war aims stops types separating (Spaniel &
Bils); new private information arises during war (Shirkey 2016).

References
----------
* Wagner, R. H. (2000). Bargaining and war. *AJPS* 44(3), 469-484.
* Slantchev, B. L. (2003). The principle of convergence in wartime negotiations. *APSR*
  97(4), 621-632.
* Powell, R. (2004). Bargaining and learning while fighting. *AJPS* 48(2), 344-361.
* Smith, A. & Stam, A. C. (2004). Bargaining and the nature of war. *JCR* 48(6), 783-813.
* Filson, D. & Werner, S. (2002). A bargaining model of war and peace. *AJPS* 46(4).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord import limits
from accord.errors import ModelError
from accord.war._common import WarResult, as_array, check_range, scalar_or_array
from accord.war._quadrature import leggauss

__all__ = [
    "OUTCOMES",
    "FrontPaths",
    "expected_win",
    "fight",
    "optimism_gap",
    "ruin_duration",
    "ruin_probability",
]

OUTCOMES = ("settled", "a_won", "b_won", "fighting")
"""Codes of ``fight(...).outcome``: 0 settled, 1 front reached N, 2 front reached 0, 3 still
fighting after ``max_battles``."""

_NODES = 400
_CHUNK = 4096


@lru_cache(maxsize=4)
def _legendre(n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x, w = leggauss(n)  # tabulated: no eigenvalue solve at run time
    return (x + 1) / 2, w / 2


def _check_states(N: Any, s: ArrayLike) -> tuple[int, NDArray[np.float64]]:
    if isinstance(N, bool) or not isinstance(N, int | np.integer) or N < 1:
        raise ModelError("must be an integer >= 1", path="N", value=N)
    s_ = check_range("s", s, 0.0, float(N))
    if (s_ != np.round(s_)).any():
        raise ModelError("must be a whole front state", path="s", value=float(s_.ravel()[0]))
    return int(N), s_


def _ruin(theta: NDArray[np.float64], s: NDArray[np.float64], N: int) -> NDArray[np.float64]:
    """W(theta, s): probability that the front reaches N before 0 (no checks)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        L = np.log1p(-theta) - np.log(theta)  # log r
        neg = np.expm1(s * L) / np.expm1(N * L)  # stable for L < 0
        pos = np.exp((s - N) * L) * np.expm1(-s * L) / np.expm1(-N * L)  # stable for L > 0
        w = np.where(L < 0, neg, pos)
        w = np.where(L == 0, s / N, w)
    w = np.where(s <= 0, 0.0, np.where(s >= N, 1.0, w))
    return np.clip(w, 0.0, 1.0)


def ruin_probability(theta: ArrayLike, s: ArrayLike, N: int) -> Any:
    """Gambler's ruin: P(the front reaches N before 0 | start s, battle odds theta)."""
    n, s_ = _check_states(N, s)
    th = check_range("theta", theta, 0.0, 1.0)
    th, s_ = np.broadcast_arrays(th, s_)
    return scalar_or_array(_ruin(th, s_, n))


def ruin_duration(theta: ArrayLike, s: ArrayLike, N: int) -> Any:
    """Expected number of battles until the front reaches 0 or N (closed form)."""
    n, s_ = _check_states(N, s)
    th = check_range("theta", theta, 0.0, 1.0)
    th, s_ = np.broadcast_arrays(th, s_)
    drift = 1 - 2 * th
    fair = np.abs(drift) < 1e-9
    with np.errstate(divide="ignore", invalid="ignore"):
        biased = (s_ - n * _ruin(th, s_, n)) / np.where(fair, 1.0, drift)
    return scalar_or_array(np.where(fair, s_ * (n - s_), biased))


def _beta_expect_ruin(
    a: NDArray[np.float64], b: NDArray[np.float64], s: NDArray[np.float64], N: int
) -> NDArray[np.float64]:
    """E[W(theta, s)] for theta ~ Beta(a, b); 1-d inputs of equal length (chunked).

    Gauss-Legendre nodes on the part of (0, 1) within 25 standard deviations of the mean,
    so that concentrated posteriors (many battles) are integrated as accurately as broad
    priors; the weights are self-normalised, so the Beta function is never needed.
    """
    x, w = _legendre(_NODES)
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    lo = np.maximum(0.0, mean - 25 * sd)
    hi = np.minimum(1.0, mean + 25 * sd)
    out = np.empty(a.shape[0])
    for start in range(0, a.shape[0], _CHUNK):
        sl = slice(start, start + _CHUNK)
        width = (hi[sl] - lo[sl])[:, None]
        t = lo[sl, None] + width * x[None, :]
        logf = (a[sl, None] - 1) * np.log(t) + (b[sl, None] - 1) * np.log1p(-t)
        logf -= logf.max(axis=1, keepdims=True)
        f = w * width * np.exp(logf)
        ruin = _ruin(t, s[sl, None], N)
        out[sl] = (f * ruin).sum(axis=1) / f.sum(axis=1)
    return out


def expected_win(alpha: ArrayLike, beta: ArrayLike, s: ArrayLike, N: int) -> Any:
    """E[W(theta, s)] for theta ~ Beta(alpha, beta): a side's value of fighting on from s.

    Self-normalised Gauss-Legendre quadrature with 400 nodes on the Beta's bulk
    (mean ± 25 standard deviations, within (0, 1)).
    """
    n, s_ = _check_states(N, s)
    al = check_range("alpha", alpha, 0.0, lo_open=True)
    be = check_range("beta", beta, 0.0, lo_open=True)
    al, be, s_ = np.broadcast_arrays(al, be, s_)
    out = _beta_expect_ruin(al.ravel(), be.ravel(), s_.ravel(), n).reshape(al.shape)
    return scalar_or_array(out)


def optimism_gap(
    alpha_A: ArrayLike,
    beta_A: ArrayLike,
    alpha_B: ArrayLike,
    beta_B: ArrayLike,
    s: ArrayLike,
    N: int,
) -> Any:
    """E_A[W] - E_B[W]: how much more side A expects from fighting on than side B grants."""
    au, bu, ar, br, s_ = np.broadcast_arrays(
        as_array("alpha_A", alpha_A),
        as_array("beta_A", beta_A),
        as_array("alpha_B", alpha_B),
        as_array("beta_B", beta_B),
        as_array("s", s),
    )
    gap = np.asarray(expected_win(au, bu, s_, N)) - np.asarray(expected_win(ar, br, s_, N))
    return scalar_or_array(gap)


def _int_param(name: str, value: Any, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo:
        raise ModelError(f"must be an integer >= {lo}", path=name, value=value)
    return int(value)


class FrontPaths:
    """Every run's front path, read as the ``(runs, max_battles + 1)`` array it stands for.

    A run's front moves only while the run is on; after it ends (settled, absorbed, or at
    ``max_battles``) it stays at its final state. So only the states of the runs still on
    are kept, battle by battle: memory grows with the battles actually fought
    (``nbytes``), not with runs x max_battles. Columns are built on demand:
    ``paths[rows, t0:t1]`` and :meth:`window` give a dense block, ``np.asarray(paths)``
    the whole array (as large as it says).
    """

    def __init__(
        self,
        live: list[NDArray[Any]],
        time: NDArray[np.int64],
        front: NDArray[Any],
        battles: int,
    ) -> None:
        self._live = live  # live[t]: states at battle t of the runs with time > t
        self._time = time
        self._front = front
        self.dtype = front.dtype
        self.shape = (int(front.shape[0]), battles + 1)
        self.ndim = 2

    @property
    def nbytes(self) -> int:
        """Bytes held: the live runs' states, battle by battle, and the final states."""
        return sum(c.nbytes for c in self._live) + int(self._front.nbytes)

    def __len__(self) -> int:
        return self.shape[0]

    def window(self, start: int, stop: int, rows: Any = slice(None)) -> NDArray[Any]:
        """States at battles ``start`` to ``stop - 1`` of the runs ``rows`` (dense)."""
        start, stop = max(start, 0), min(stop, self.shape[1])
        front = self._front[rows]
        out = np.repeat(np.atleast_1d(front)[:, None], max(stop - start, 0), axis=1)
        every = isinstance(rows, slice) and rows == slice(None)
        for t in range(start, min(stop, len(self._live))):
            on = self._time > t
            if every:
                out[on, t - start] = self._live[t]
                continue
            rank = np.cumsum(on)[rows] - 1
            sel = np.atleast_1d(on[rows])
            out[sel, t - start] = self._live[t][np.atleast_1d(rank)[sel]]
        return out if np.ndim(front) else out[0]

    def __getitem__(self, key: Any) -> Any:
        rows, cols = key if isinstance(key, tuple) else (key, slice(None))
        if isinstance(cols, slice):
            start, stop, step = cols.indices(self.shape[1])
            if step > 0:
                return self.window(start, stop, rows)[..., ::step]
        return np.asarray(self)[rows, cols]

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[Any]:
        out = self.window(0, self.shape[1])
        return out if dtype is None else out.astype(dtype)

    def astype(self, dtype: Any) -> NDArray[Any]:
        """The dense array as ``dtype``."""
        return np.asarray(self, dtype=dtype)

    def __repr__(self) -> str:
        return f"FrontPaths(shape={self.shape}, dtype={self.dtype}, nbytes={self.nbytes:,})"


def _check_sizes(n_states: int, runs: int, battles: int) -> None:
    """Refuse, before allocating, sizes above :mod:`accord.limits` (each named in the error).

    Front paths (``keep_paths``) are checked as they grow: only live runs' states are held,
    so their size is known only battle by battle (see :func:`fight`)."""
    limits.STATES.check(n_states, path="N")
    limits.BATTLES.check(battles, path="max_battles")
    limits.RUNS.check(runs, path="runs")
    draws = runs * max(battles, 1)
    limits.DRAWS.check(draws, path="runs", what=f"{runs:,} runs x {battles:,} battles")
    table = (battles + 1) * (n_states + 1)
    limits.CELLS.check(
        table, path="max_battles", what=f"the belief table of {battles + 1:,} x {n_states + 1:,}"
    )


def _per_run(name: str, value: NDArray[np.float64], runs: int) -> NDArray[np.float64]:
    if value.ndim > 1 or (value.ndim == 1 and value.shape[0] != runs):
        raise ModelError(
            f"must be a number or one value per run ({runs})", path=name, value=value.shape
        )
    return value


def fight(
    N: int,
    start: int,
    theta: ArrayLike,
    alpha_A: float,
    beta_A: float,
    alpha_B: float,
    beta_B: float,
    c_A: ArrayLike,
    c_B: ArrayLike,
    *,
    runs: int = 10_000,
    max_battles: int = 200,
    rng: np.random.Generator | int | None = None,
    update: bool = True,
    weight: ArrayLike = 0.5,
    territory: tuple[float, float] = (0.0, 100.0),
    keep_paths: bool = True,
) -> WarResult:
    """Monte Carlo of bargaining while fighting: all ``runs`` replications in one pass.

    Parameters
    ----------
    N : number of front steps (states 0..N).
    start : the front state now (0 < start < N for a war still on).
    theta : true probability that side A wins a battle; a scalar, or one value per run
        (e.g. draws from a distribution).
    alpha_A, beta_A, alpha_B, beta_B : each side's Beta prior about theta.
    c_A, c_B : costs of fighting on, pie units (the settlement test uses their sum); a
        scalar or one value per run.
    runs : Monte Carlo replications.
    max_battles : battles simulated at most; runs still going are reported as fighting.
    rng : a ``numpy.random.Generator`` or a seed; same seed, same numbers.
    update : False freezes beliefs at the priors (no learning).
    weight : side A's weight in the Nash bargaining solution (0.5 = midpoint); a scalar
        or one value per run.
    territory : territory (issue scale) at front states 0 and N.
    keep_paths : also return every run's front path (runs x (max_battles + 1)), held as
        :class:`FrontPaths`: the states of the runs still on at each battle only.

    Returns
    -------
    WarResult with, per run, ``outcome`` (codes into :data:`OUTCOMES`), ``time`` (battles
    until settlement or absorption; ``max_battles`` if still fighting), ``point``
    (settlement, side A's pie share; NaN unless settled), ``territory`` (the final line:
    settlement point, absorbing end, or the front when the simulation stops), ``front``
    (final state) and ``paths``; and summaries ``p_outcome``, ``mean_time``, ``se_time``
    (standard error), ``mean_time_ended`` (over runs that ended), ``gap0`` and
    ``range0`` (the optimism gap and the settlement range before any battle).
    """
    n_states = _int_param("N", N, 1)
    s0 = _int_param("start", start, 0)
    if s0 > n_states:
        raise ModelError(f"must be <= N = {n_states}", path="start", value=s0)
    n_runs = _int_param("runs", runs, 1)
    m = _int_param("max_battles", max_battles, 0)
    _check_sizes(n_states, n_runs, m)
    th = _per_run("theta", check_range("theta", theta, 0.0, 1.0), n_runs)
    au = float(check_range("alpha_A", alpha_A, 0.0, lo_open=True))
    bu = float(check_range("beta_A", beta_A, 0.0, lo_open=True))
    ar = float(check_range("alpha_B", alpha_B, 0.0, lo_open=True))
    br = float(check_range("beta_B", beta_B, 0.0, lo_open=True))
    cu = _per_run("c_A", check_range("c_A", c_A, 0.0), n_runs)
    cr = _per_run("c_B", check_range("c_B", c_B, 0.0), n_runs)
    wt = _per_run("weight", check_range("weight", weight, 0.0, 1.0), n_runs)
    t_lo, t_hi = (float(v) for v in as_array("territory", territory).reshape(2))
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)

    # Tabulate the settlement test on the (battles, state) grid.
    states = np.arange(n_states + 1, dtype=float)
    rows = m + 1 if update else 1
    nn = np.arange(rows, dtype=float)[:, None]
    twice_k = nn + states[None, :] - s0
    k = twice_k / 2
    reachable = (twice_k % 2 == 0) & (k >= 0) & (k <= nn)
    if not update:
        reachable = np.ones_like(reachable)
        k = np.zeros_like(k)
        nn = np.zeros_like(nn)
    idx = np.nonzero(reachable)
    kk = k[idx]
    lost = np.broadcast_to(nn, k.shape)[idx] - kk
    ss = np.broadcast_to(states, k.shape)[idx]
    e_u = np.full(k.shape, np.nan)
    e_r = np.full(k.shape, np.nan)
    e_u[idx] = _beta_expect_ruin(au + kk, bu + lost, ss, n_states)
    e_r[idx] = _beta_expect_ruin(ar + kk, br + lost, ss, n_states)

    state = np.full(n_runs, s0, dtype=np.int64)
    outcome = np.full(n_runs, 3, dtype=np.int8)
    time = np.full(n_runs, m, dtype=np.int64)
    point = np.full(n_runs, np.nan)
    alive = np.ones(n_runs, dtype=bool)
    path_type = np.int16 if n_states < 2**15 else np.int64
    live_states: list[NDArray[Any]] = []  # per battle t: the states of the runs still on
    held = 0
    if s0 in (0, n_states):
        outcome[:] = 1 if s0 == n_states else 2
        time[:] = 0
        alive[:] = False
    for t in range(m + 1):
        row = t if update else 0
        if alive.any():
            low = e_u[row, state] - cu
            high = e_r[row, state] + cr
            ok = alive & (low <= high)
            if ok.any():
                outcome[ok] = 0
                time[ok] = t
                lo_in, hi_in = np.clip(low, 0, 1), np.clip(high, 0, 1)  # within the pie
                point[ok] = (lo_in + wt * (hi_in - lo_in))[ok]
                alive &= ~ok
        if t == m or not alive.any():
            break
        if keep_paths:
            live_states.append(state[alive].astype(path_type))
            held += live_states[-1].size
            cells = -(-held * live_states[-1].itemsize // 8)  # in 8-byte cells, as the limit
            if limits.CELLS.exceeded(cells):
                what = (
                    f"front paths of {held:,} run-battles after {t + 1:,} battles "
                    f"({cells:,} cells of 8 bytes)"
                )
                raise ModelError(
                    limits.CELLS.message(cells, what) + "; or run without paths", path="runs"
                )
        step = np.where(gen.random(n_runs) < th, 1, -1)
        state = state + np.where(alive, step, 0)
        won = alive & (state == n_states)
        lost_ = alive & (state == 0)
        outcome[won] = 1
        outcome[lost_] = 2
        ended = won | lost_
        time[ended] = t + 1
        alive &= ~ended

    span = t_hi - t_lo
    final_T = t_lo + span * state / n_states
    territory_out = np.where(outcome == 0, t_lo + span * point, final_T)
    counts = np.bincount(outcome, minlength=4) / n_runs
    ended_mask = outcome != 3
    times = time.astype(float)
    g0 = float(e_u[0, s0] - e_r[0, s0])
    notes = [] if update else ["beliefs frozen at the priors (update=False)"]
    still = int((outcome == 3).sum())
    if still:
        notes.append(
            f"{still} of {n_runs} runs still fighting after {m} battles: their durations are "
            "censored, so mean_time is a lower bound"
        )
    return WarResult.of(
        "fight",
        dict(
            outcome=outcome,
            time=time,
            point=point,
            territory=territory_out,
            front=state,
        ),
        outcome_names=OUTCOMES,
        paths=FrontPaths(live_states, time, state.astype(path_type), m) if keep_paths else None,
        p_outcome=dict(zip(OUTCOMES, (float(c) for c in counts), strict=True)),
        mean_time=float(times.mean()),
        se_time=float(times.std(ddof=1) / np.sqrt(n_runs)) if n_runs > 1 else float("nan"),
        mean_time_ended=float(times[ended_mask].mean()) if ended_mask.any() else float("nan"),
        gap0=g0,
        range0=(scalar_or_array(e_u[0, s0] - cu), scalar_or_array(e_r[0, s0] + cr)),
        settles_now=scalar_or_array(np.asarray(e_u[0, s0] - cu <= e_r[0, s0] + cr)),
        N=n_states,
        start=s0,
        max_battles=m,
        runs=n_runs,
        territory_scale=(t_lo, t_hi),
        notes=notes,
    )
