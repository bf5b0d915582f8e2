"""Sweeps: a target (a model, a war verb, ...) over many draws of a scenario, stored as it goes.

``sweep(scenario, targets, draws, out=DIR)`` draws the scenario's uncertain numbers
(:class:`~accord.analysis.uncertainty.Sampler`), runs every target on every draw
(:mod:`accord.analysis.targets`) and writes one Parquet part per batch of draws into the
store (:mod:`accord.analysis.store`). Designs: ``mc`` (Monte Carlo: draw b from its own
``SeedSequence(seed, spawn_key=(b, 0))``), ``sobol`` (Saltelli's design through SALib:
``N (k + 2)`` rows for k numbers, first and total order) and ``morris`` (``N (k + 1)``
rows of N trajectories).

Executors (same numbers on each, whatever the batch size: every draw's inputs and its
model generator depend only on the seed and the draw's index):

* ``sequential`` in this process;
* ``joblib`` (loky processes; the default when the machine has 2+ cores): batches are
  tasks of about a quarter of a second (the batch size comes from timing a few draws),
  as many as a multiple of the workers and of equal size, so that dispatch never
  dominates and no worker finishes long after the others; each worker process builds
  the sampler and the target functions once per sweep (:class:`SweepJob`), and loky keeps
  its worker processes between sweeps (a second sweep in the same Python process starts
  warm); a new pool is started, and its workers import accord, while this process checks
  the sweep and times its pilot;
* ``dask``: an existing scheduler (``tcp://HOST:8786``) or ``local``, a LocalCluster on
  127.0.0.1 (started in a thread during the pilot, its workers importing accord). Dask's
  nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in its workers, which makes
  allocation-heavy NumPy about three times slower; the local cluster is started with that
  setting removed (``distributed.nanny.pre-spawn-environ``) and with a worker's own
  background threads slowed down (:func:`dask_config`), and for an external cluster
  :func:`dask_worker_env` reports the setting so the CLI can warn. Workers that share this
  process's file system (a local cluster, or a probe file they read back) write their own
  parts; others return their tables.

``progress(done_rows, total_rows)`` is called after every stored batch (the CLI draws a
bar with it; the library prints nothing).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import math
import os
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from accord.analysis.store import Store, package_versions, scenario_hash, write_part
from accord.analysis.targets import get_target, make_target
from accord.analysis.uncertainty import Sampler, model_rng
from accord.errors import AccordError, ModelError
from accord.scenario.schema import Scenario
from accord.scenario.uncertainty import Uncertainty

__all__ = [
    "Design",
    "SweepJob",
    "design_matrix",
    "run_batch",
    "sweep",
]

DesignKind = Literal["mc", "sobol", "morris"]
Progress = Callable[[int, int], None]
TASK_SECONDS = 0.25
PILOT_SECONDS = 0.1
MAX_TASKS_PER_WORKER = 32
MAX_BATCH = 10_000
MORRIS_LEVELS = 4
_LOCK = threading.Lock()  # threads of one Dask worker share a job's caches


@dataclass(frozen=True)
class Design:
    """How the unit-cube points are chosen: ``n`` is draws (mc) or SALib's base N."""

    kind: DesignKind
    n: int
    seed: int = 0

    def rows(self, k: int) -> int:
        if self.kind == "sobol":
            return self.n * (k + 2)
        if self.kind == "morris":
            return self.n * (k + 1)
        return self.n


_PROCESS_CACHE: dict[str, dict[str, Any]] = {}  # per process: a job's sampler and targets
_KEEP_JOBS = 4


@dataclass(frozen=True)
class SweepJob:
    """Everything a worker needs to compute a batch (pickled to processes and machines).

    The sampler and the target functions are built once per process and job (``token``),
    not once per task: joblib pickles the job with every task, and a loky or Dask worker
    that runs several tasks of one sweep finds them in its process cache.
    """

    scenario: Scenario
    uncertainty: Uncertainty | None
    targets: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    design: Design
    batch_size: int = 1
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cache", _shared_cache(self.token))

    def resized(self, batch_size: int) -> SweepJob:
        """The same job (same token, same caches) in batches of ``batch_size``."""
        return dataclasses.replace(self, batch_size=batch_size)

    def sampler(self) -> Sampler:
        with _LOCK:
            if "sampler" not in self._cache:
                self._cache["sampler"] = Sampler(self.scenario, self.uncertainty)
        s: Sampler = self._cache["sampler"]
        return s

    def functions(self) -> list[Any]:
        with _LOCK:
            if "targets" not in self._cache:
                self._cache["targets"] = [
                    make_target(name, self.scenario, dict(opts)) for name, opts in self.targets
                ]
        fns: list[Any] = self._cache["targets"]
        return fns

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__["_cache"] = _shared_cache(self.token)

    @property
    def total(self) -> int:
        return self.design.rows(self.sampler().k)

    @property
    def batches(self) -> int:
        return math.ceil(self.total / self.batch_size)

    def span(self, batch: int) -> tuple[int, int]:
        start = batch * self.batch_size
        return start, min(start + self.batch_size, self.total)


def _shared_cache(token: str) -> dict[str, Any]:
    with _LOCK:
        if token not in _PROCESS_CACHE:
            while len(_PROCESS_CACHE) >= _KEEP_JOBS:
                _PROCESS_CACHE.pop(next(iter(_PROCESS_CACHE)))
            _PROCESS_CACHE[token] = {}
        return _PROCESS_CACHE[token]


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch holds its draws.

    A batch builds thousands of small scenario objects (no reference cycles: they are
    freed by reference counting); with the collector on, every few hundred allocations
    it walks all of them, which took two thirds of the time of building a draw on the
    flagships (as ``timeit`` does, the collector is paused, and restored after).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def design_matrix(
    names: Sequence[str], design: Design, *, correlated: bool = False
) -> NDArray[np.float64] | None:
    """The unit-cube rows of a Sobol or Morris design (None for Monte Carlo)."""
    if design.kind == "mc":
        return None
    if correlated:
        raise ModelError(
            "Sobol and Morris designs assume independent numbers: drop the correlated groups",
            path="--design",
            value=design.kind,
        )
    k = len(names)
    problem = {"num_vars": k, "names": list(names), "bounds": [[0.0, 1.0]] * k}
    if design.kind == "sobol":
        from SALib.sample import sobol

        if design.n < 2 or design.n & (design.n - 1):
            raise ModelError("a Sobol design needs N a power of 2", path="--draws", value=design.n)
        u = sobol.sample(problem, design.n, calc_second_order=False, seed=design.seed)
        unit: NDArray[np.float64] = np.clip(np.asarray(u, dtype=float), 1e-12, 1 - 1e-12)
        return unit
    from SALib.sample import morris

    u = morris.sample(problem, design.n, num_levels=MORRIS_LEVELS, seed=design.seed)
    out: NDArray[np.float64] = np.asarray(u, dtype=float)
    return out


def run_batch(job: SweepJob, batch: int, rows: NDArray[np.float64] | None = None) -> pa.Table:
    """Rows ``draw, <inputs>, <outputs>, clipped, redraws`` of one batch of draws."""
    with _no_cyclic_gc():
        return _run_batch(job, batch, rows)


def _run_batch(job: SweepJob, batch: int, rows: NDArray[np.float64] | None) -> pa.Table:
    sampler = job.sampler()
    start, stop = job.span(batch)
    seed = job.design.seed
    if rows is None:
        drawn = sampler.draws(seed, range(start, stop))
    else:
        drawn = [sampler.design_draw(rows[i], start + i) for i in range(stop - start)]
    scenarios = [d[0] for d in drawn]
    rngs = [model_rng(seed, b) for b in range(start, stop)]
    cols: dict[str, Any] = {"draw": np.arange(start, stop, dtype=np.int64)}
    x = np.array([d[1] for d in drawn]).reshape(stop - start, sampler.k)
    for j, name in enumerate(sampler.names):
        cols[name] = x[:, j]
    for fn in job.functions():
        for name, values in fn(scenarios, rngs).items():
            if name in cols:
                raise ModelError("two targets give the same output", path="targets", value=name)
            cols[name] = np.asarray(values, dtype=float)
    cols["clipped"] = np.array([d[2] for d in drawn], dtype=np.int32)
    cols["redraws"] = np.array([d[3] for d in drawn], dtype=np.int32)
    return arrow_table(cols)


def arrow_table(cols: Mapping[str, NDArray[Any]]) -> pa.Table:
    """The columns (numeric NumPy arrays) as an Arrow table, made from their buffers.

    ``pa.table`` and ``pa.array`` import pandas on their first call (pyarrow checks
    whether the data is a pandas object), which is a sixth of what a new worker process
    spends before its first draw; ``Array.from_buffers`` takes the array's memory as it
    is, with the same values and types (NaN stays a value, as with ``pa.table``).
    """
    arrays = []
    for name, values in cols.items():
        a = np.ascontiguousarray(values)
        if a.ndim != 1 or a.dtype.kind not in "fiu":
            raise TypeError(f"column {name!r}: a 1-d numeric array is needed, not {a.dtype}")
        buffers = [None, pa.py_buffer(a)]
        arrays.append(pa.Array.from_buffers(pa.from_numpy_dtype(a.dtype), a.size, buffers))
    return pa.Table.from_arrays(arrays, names=list(cols))


Done = tuple[int, int, pa.Table | None]  # batch, rows, the table unless already stored


def _task(
    job: SweepJob, batch: int, rows: NDArray[np.float64] | None, parts: str | None = None
) -> Done:
    """One batch; with ``parts`` (a store's parts directory on a file system this process
    shares) the worker writes the part itself and only the count travels back."""
    table = run_batch(job, batch, rows)
    if parts is None:
        return batch, table.num_rows, table
    write_part(parts, batch, table)
    return batch, table.num_rows, None


def _pilot(
    job: SweepJob, rows: NDArray[np.float64] | None, *, time_it: bool = True
) -> tuple[float, list[str]]:
    """Seconds per draw and the output columns: one draw (imports, caches), then, if
    ``time_it``, one more timed alone and, when that was quick, a batch of 8 timed (what a
    batch costs beyond its draws is then spread over them)."""

    def batch_of(n: int) -> tuple[float, pa.Table]:
        t0 = time.process_time()  # CPU time: what a task costs, whatever else the machine runs
        table = run_batch(job.resized(n), 0, None if rows is None else rows[:n])
        return (time.process_time() - t0) / n, table

    _, first = batch_of(1)
    if not time_it or job.total < 2:
        return 0.0, first.column_names
    per_draw, _ = batch_of(1)
    if per_draw < PILOT_SECONDS / 8 and job.total >= 8:
        per_draw, _ = batch_of(8)
    return per_draw, first.column_names


def auto_batch(seconds_per_draw: float, total: int, workers: int) -> int:
    """Draws per task: tasks of about TASK_SECONDS of work (at most MAX_BATCH draws), from
    2 to MAX_TASKS_PER_WORKER tasks per worker (long sweeps get longer tasks rather than
    thousands of tiny parts), as many tasks as a multiple of the workers, of equal size,
    so that no worker is left with a long last task while the others wait."""
    work = max(seconds_per_draw, 1e-9) * total
    per_worker = math.ceil(work / (workers * TASK_SECONDS))
    per_worker = min(max(2, per_worker), MAX_TASKS_PER_WORKER)
    size = math.ceil(total / (workers * per_worker))
    return int(max(1, min(size, MAX_BATCH)))


def default_executor() -> str:
    return "joblib" if (os.cpu_count() or 1) >= 2 else "sequential"


@dataclass
class SweepOutcome:
    store: Store
    rows: int
    batches_run: int
    seconds: float
    executor: str


def sweep(
    scenario: Scenario,
    targets: Sequence[tuple[str, Mapping[str, Any]]],
    design: Design,
    out: str | os.PathLike[str],
    *,
    uncertainty: Uncertainty | None = None,
    executor: str | None = None,
    workers: int | None = None,
    dask: str | Any | None = None,
    batch_size: int | None = None,
    resume: bool = False,
    progress: Progress | None = None,
) -> SweepOutcome:
    """Run (or resume) a sweep into the store at ``out``; see the module docstring."""
    t_start = time.perf_counter()
    if design.n < 1:
        raise ModelError("at least one draw is needed", path="--draws", value=design.n)
    if not targets:
        raise ModelError("nothing to sweep: give a model or a war verb", path="target")
    frozen = tuple((name, tuple(sorted(dict(opts).items()))) for name, opts in targets)
    for name, _ in frozen:
        get_target(name)  # an unknown name fails before any process starts
    job = SweepJob(scenario, uncertainty, frozen, design)
    executor = "dask" if dask is not None else (executor or default_executor())
    n_workers = 1 if executor == "sequential" else (workers or os.cpu_count() or 1)
    warm: _WarmUp | _ClusterStart | None = None
    if executor == "joblib":
        warm = _WarmUp(job, n_workers)
    elif executor == "dask" and isinstance(dask, str) and dask == "local":
        warm = _ClusterStart(workers)
    try:
        return _sweep(job, out, executor, n_workers, dask, workers, batch_size, resume, progress,
                      t_start, warm)  # fmt: skip
    finally:
        if warm is not None:
            warm.close()


def _sweep(
    job: SweepJob,
    out: str | os.PathLike[str],
    executor: str,
    n_workers: int,
    dask: str | Any | None,
    workers: int | None,
    batch_size: int | None,
    resume: bool,
    progress: Progress | None,
    t_start: float,
    warm: _WarmUp | _ClusterStart | None,
) -> SweepOutcome:
    scenario, design, frozen = job.scenario, job.design, job.targets
    sampler = job.sampler()
    for name, opts in frozen:
        make_target(name, scenario, dict(opts))  # unknown names and options fail here
    correlated = any(abs(rho) > 0 for _, rho in sampler.groups)
    rows = design_matrix(sampler.names, design, correlated=correlated)
    manifest: dict[str, Any] = {
        "scenario": {"id": scenario.id, "sha256": scenario_hash(scenario)},
        "targets": [{"name": n, "options": dict(o)} for n, o in frozen],
        "uncertainty": {
            "spec": (sampler.spec.model_dump(mode="json") if sampler.spec is not None else None),
            "numbers": sampler.table(),
        },
        "design": {"kind": design.kind, "n": design.n, "seed": design.seed},
    }
    p = os.fspath(out)
    if resume:
        store = Store.open(p)
        store.check_same(manifest)
        job = job.resized(int(store.manifest["batch_size"]))
    else:
        per_draw, columns = _pilot(job, rows, time_it=batch_size is None)
        size = batch_size or auto_batch(per_draw, job.total, n_workers)
        job = job.resized(size)
        inputs = sampler.names
        outputs = [c for c in columns if c not in ("draw", "clipped", "redraws", *inputs)]
        store = Store.create(
            p,
            {
                **manifest,
                "rows": job.total,
                "batch_size": size,
                "batches": job.batches,
                "columns": {"inputs": inputs, "outputs": outputs},
                "versions": package_versions(),
            },
        )
    pending = [b for b in range(job.batches) if b not in store.done()]
    done_rows = job.total - sum(job.span(b)[1] - job.span(b)[0] for b in pending)
    store.touch(executor=executor)
    if progress:
        progress(done_rows, job.total)

    def slice_rows(b: int) -> NDArray[np.float64] | None:
        if rows is None:
            return None
        start, stop = job.span(b)
        return rows[start:stop]

    parts = os.fspath(store.parts_dir)
    if executor == "sequential":
        results: Iterator[Done] = (_task(job, b, slice_rows(b), parts) for b in pending)
    elif executor == "joblib":
        if isinstance(warm, _WarmUp):
            warm.wait()
        results = _joblib(job, pending, slice_rows, n_workers, parts)
    elif executor == "dask":
        address = dask if dask is not None else "local"
        local = isinstance(address, str) and address == "local"
        if isinstance(warm, _ClusterStart):
            address = warm.client()  # the local cluster, started while this process set up
        results = _dask(job, pending, slice_rows, address, workers, parts, local)
    else:
        raise ModelError("unknown executor", path="executor", value=executor)
    for b, n_rows, table in results:
        if table is not None:
            store.write(b, table)
        done_rows += n_rows
        if progress:
            progress(done_rows, job.total)
    store.touch(finished=_iso_now() if store.complete else None)
    return SweepOutcome(store, job.total, len(pending), time.perf_counter() - t_start, executor)


def _iso_now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _parallel(n_workers: int) -> Any:
    """joblib's loky processes (the same settings on every call, so that loky reuses its
    one executor and its worker processes)."""
    from joblib import Parallel

    return Parallel(n_jobs=n_workers, backend="loky", return_as="generator_unordered")


def _warm(job: SweepJob) -> None:
    """A new worker's imports, and its sampler and targets for the job (cached for the
    tasks that follow); a bad target is reported by the main process, not here."""
    with contextlib.suppress(AccordError):
        job.sampler()
        job.functions()


class _WarmUp:
    """Start the loky workers and their imports (about half a second of CPU each) while
    this process checks the sweep and times its pilot, instead of after it: one task per
    worker (on a warm pool they find everything cached but the new job's sampler and
    targets); :meth:`wait` before the sweep's own tasks are sent."""

    def __init__(self, job: SweepJob, n_workers: int) -> None:
        from joblib import delayed

        self._tasks: Iterator[None] | None = iter(
            _parallel(n_workers)(delayed(_warm)(job) for _ in range(n_workers))
        )

    def wait(self) -> None:
        if self._tasks is not None:
            tasks, self._tasks = self._tasks, None
            for _ in tasks:
                pass

    close = wait


class _ClusterStart:
    """A local Dask cluster started in a thread while this process checks the sweep and
    times its pilot (its worker processes take seconds to start); :meth:`client` waits
    for it and connects, :meth:`close` shuts both down."""

    def __init__(self, workers: int | None) -> None:
        self._cluster: Any = None
        self._client: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._start, args=(workers,), name="accord-dask-start"
        )
        self._thread.start()

    def _start(self, workers: int | None) -> None:
        try:
            self._cluster = _start_local_cluster(workers)
        except BaseException as exc:  # re-raised in the caller's thread by client()
            self._error = exc

    def client(self) -> Any:
        from distributed import Client

        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._client is None:
            self._client = Client(self._cluster)
        return self._client

    def close(self) -> None:
        self._thread.join()
        try:
            if self._client is not None:
                self._client.close()
        finally:
            if self._cluster is not None:
                self._cluster.close()


def _joblib(
    job: SweepJob,
    pending: Sequence[int],
    rows: Callable[[int], Any],
    n_workers: int,
    parts: str,
) -> Iterator[Done]:
    if not pending:
        return iter(())
    from joblib import delayed

    return iter(_parallel(n_workers)(delayed(_task)(job, b, rows(b), parts) for b in pending))


QUIET_WORKER: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "10s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def dask_config() -> dict[str, Any]:
    """The Dask settings accord's workers run with.

    * No ``MALLOC_TRIM_THRESHOLD_`` (python-stack.md §2: about 3x slower NumPy with it).
    * :data:`QUIET_WORKER`: a worker's own threads (the statistical profiler sampling every
      10 ms, the event-loop tick every 20 ms, the system monitor every 0.5 s, the memory
      monitor every 0.1 s) took 8-11 % more CPU time than the tasks themselves on
      ``accord settle`` draws (a worker's process CPU time against its task thread's);
      with these settings, 1-1.5 %. Memory is still watched, every second.
    * No work stealing: a sweep keeps at most two tasks per worker in flight, so there is
      nothing to steal, and the scheduler's balancing every 100 ms cost this process CPU.
    """
    return {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        "distributed.scheduler.work-stealing": False,
        **QUIET_WORKER,
    }


def dask_worker_env(client: Any) -> dict[str, str | None]:
    """Each worker's MALLOC_TRIM_THRESHOLD_ (set means slow NumPy; see the module docstring)."""
    return dict(client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")))


@contextlib.contextmanager
def local_cluster(workers: int | None = None) -> Iterator[Any]:
    """A Client of a LocalCluster on 127.0.0.1 whose workers run with :func:`dask_config`
    (one thread per worker process, no dashboard)."""
    from distributed import Client

    cluster = _start_local_cluster(workers)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def _start_local_cluster(workers: int | None) -> Any:
    import dask
    from distributed import LocalCluster

    with dask.config.set(dask_config()):
        return LocalCluster(
            n_workers=workers or min(2, os.cpu_count() or 1),
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            # no dashboard; the scheduler's health/metrics server on a free port, not on
            # 8787, which another cluster (or a user's dashboard) may hold
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            processes=True,
            # each worker imports accord as it starts: while this process times its pilot
            # (the cluster starts in a thread), not on its first task
            preload=["accord.analysis.sweep"],
        )


def _dask(
    job: SweepJob,
    pending: Sequence[int],
    rows: Callable[[int], Any],
    address: str | Any,
    workers: int | None,
    parts: str,
    local: bool,
) -> Iterator[Done]:
    """Batches on a Dask cluster. Workers write their own parts when they share this
    process's file system (a local cluster; otherwise a probe file says), and return
    their tables to be written here when they do not."""
    from distributed import Client

    with contextlib.ExitStack() as stack:
        if isinstance(address, str) and address == "local":
            client = stack.enter_context(local_cluster(workers))
        elif isinstance(address, str):
            client = stack.enter_context(Client(address))
            slow = {w: v for w, v in dask_worker_env(client).items() if v is not None}
            if slow:
                value = next(iter(slow.values()))
                warnings.warn(
                    f"{len(slow)} Dask workers run with MALLOC_TRIM_THRESHOLD_={value}, "
                    "which makes NumPy about 3x slower: start them with the config "
                    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_: null",
                    stacklevel=2,
                )
        else:
            client = address  # a Client given by the caller
        shared = local or _workers_share(client, parts)
        yield from _submit(client, job, pending, rows, parts if shared else None)


def _workers_share(client: Any, parts: str) -> bool:
    """Whether every worker reads the file this process writes into ``parts`` (the same
    machine or a shared file system): then they can write the parts themselves."""
    token = uuid.uuid4().hex
    probe = os.path.join(parts, f".probe-{token}.tmp")  # a leftover is removed as a .tmp
    with open(probe, "w", encoding="ascii") as fh:
        fh.write(token)
    try:
        seen = client.run(_read_probe, probe)
    finally:
        os.unlink(probe)
    return bool(seen) and all(v == token for v in seen.values())


def _read_probe(path: str) -> str | None:
    try:
        with open(path, encoding="ascii") as fh:
            return fh.read()
    except OSError:
        return None


def _submit(
    client: Any,
    job: SweepJob,
    pending: Sequence[int],
    rows: Callable[[int], Any],
    parts: str | None,
) -> Iterator[Done]:
    """At most two tasks per worker in flight; results as they complete."""
    from distributed import as_completed

    n = max(1, len(client.scheduler_info().get("workers", {})))
    job_future = client.scatter(job, broadcast=True)
    todo = list(pending)
    futures = as_completed()
    for b in todo[: 2 * n]:
        futures.add(client.submit(_task, job_future, b, rows(b), parts, pure=False))
    nxt = 2 * n
    for fut in futures:
        done: Done = fut.result()
        fut.release()
        if nxt < len(todo):
            b = todo[nxt]
            futures.add(client.submit(_task, job_future, b, rows(b), parts, pure=False))
            nxt += 1
        yield done
