"""The results store of a sweep: one directory, a manifest and Parquet parts.

Layout::

    DIR/manifest.json          what was run: scenario hash, targets and options, the
                               uncertainty spec, design, root seed, batch size, package
                               versions, timestamps, columns
    DIR/parts/part-000042.parquet   the rows of batch 42 (snappy), one row per draw

A part is written to a temporary name and renamed when complete, so a part file either
holds its whole batch or does not exist: a sweep killed at any moment (SIGKILL included)
resumes by running the batches that have no part, and every draw is stored exactly once.
Rows are never gathered in memory: parts are written as batches finish, and reads go
through DuckDB (``query``) or pyarrow's dataset scanner (``columns``), which stream.
The view ``results`` in :meth:`Store.query` is every part (``read_parquet('parts/*')``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from accord.errors import AccordError, ModelError
from accord.scenario.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Store", "StoreError", "package_versions", "scenario_hash", "write_part"]

MANIFEST = "manifest.json"
PARTS = "parts"
_PACKAGES: tuple[str, ...] = ("accord", "numpy", "scipy", "pandas", "pydantic", "pyarrow")
_PACKAGES += ("duckdb", "SALib", "joblib", "dask", "distributed")


class StoreError(AccordError):
    """A results directory that is missing, damaged or belongs to another sweep."""

    def __init__(self, path: str | Path, message: str) -> None:
        super().__init__(f"{path}: {message}")


def scenario_hash(sc: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (what the sweep ran on)."""
    text = json.dumps(sc.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def part_name(batch: int) -> str:
    return f"part-{batch:06d}.parquet"


def write_part(parts_dir: str | Path, batch: int, table: pa.Table) -> None:
    """Write batch ``batch``'s part: to a temporary name of this process, synced, then
    renamed (whole or absent; a worker process of a local sweep writes its own parts)."""
    final = Path(parts_dir) / part_name(batch)
    tmp = final.with_name(f"{final.name}.{os.getpid()}.tmp")
    # snappy without dictionaries: drawn numbers are distinct floats, so a dictionary only
    # costs time (17 ms a 200-draw part of a flagship sweep with zstd and dictionaries, 5 ms
    # so, and smaller files)
    pq.write_table(table, tmp, compression="snappy", use_dictionary=False)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, final)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """A sweep's directory (see the module docstring)."""

    def __init__(self, path: str | Path, manifest: dict[str, Any]) -> None:
        self.path = Path(path)
        self.manifest = manifest

    # -- creating and opening ---------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, manifest: Mapping[str, Any]) -> Store:
        """A new store; refuses a directory that already holds a sweep (use ``resume``)."""
        p = Path(path)
        if (p / MANIFEST).exists():
            raise StoreError(p, "already holds a sweep: --resume to continue it, or a new --out")
        if p.exists() and any(p.iterdir()):
            raise StoreError(p, "exists and is not empty")
        (p / PARTS).mkdir(parents=True, exist_ok=True)
        data = {"format": 1, **manifest, "created": _now(), "updated": _now(), "finished": None}
        store = cls(p, data)
        store._save()
        return store

    @classmethod
    def open(cls, path: str | Path) -> Store:
        p = Path(path)
        try:
            data = json.loads((p / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(p, "no sweep here (no manifest.json)") from None
        except (OSError, json.JSONDecodeError) as exc:
            raise StoreError(p, f"cannot read manifest.json: {exc}") from None
        return cls(p, data)

    def check_same(self, manifest: Mapping[str, Any]) -> None:
        """Refuse to resume with another scenario, spec, design, seed or target."""
        keys = ("scenario", "targets", "uncertainty", "design", "batch_size", "columns")
        for key in keys:
            if key in manifest and self.manifest.get(key) != manifest[key]:
                raise StoreError(
                    self.path, f"--resume with a different {key} than the stored sweep"
                )

    def _save(self) -> None:
        tmp = self.path / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, self.path / MANIFEST)

    def touch(self, **fields: Any) -> None:
        self.manifest.update(fields, updated=_now())
        self._save()

    # -- parts -------------------------------------------------------------------------------

    @property
    def parts_dir(self) -> Path:
        return self.path / PARTS

    def part_path(self, batch: int) -> Path:
        return self.parts_dir / part_name(batch)

    def done(self) -> set[int]:
        """Batches whose part is complete; leftovers of a killed write are removed."""
        out: set[int] = set()
        for f in self.parts_dir.iterdir():
            if f.name.endswith(".tmp"):
                f.unlink()
            elif f.name.startswith("part-") and f.suffix == ".parquet":
                out.add(int(f.stem.removeprefix("part-")))
        return out

    def write(self, batch: int, table: pa.Table) -> None:
        write_part(self.parts_dir, batch, table)

    @property
    def complete(self) -> bool:
        return len(self.done()) == int(self.manifest["batches"])

    # -- reading -----------------------------------------------------------------------------

    def _glob(self) -> str:
        return str(self.parts_dir / "*.parquet").replace("'", "''")

    def query(self, sql: str, params: Sequence[object] | None = None) -> pd.DataFrame:
        """A DuckDB query over every part; the rows are the view ``results``; ``params``
        fill the query's ``?`` placeholders (values are never pasted into the SQL)."""
        import duckdb

        if not self.done():
            raise StoreError(self.path, "no results yet")
        con = duckdb.connect()
        try:
            con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet('{self._glob()}')")
            frame: pd.DataFrame = (
                con.execute(sql, list(params)).df() if params is not None else con.sql(sql).df()
            )
            return frame
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise ModelError(f"query failed: {first}", path="query", value=sql) from None
        finally:
            con.close()

    def columns(self, names: Sequence[str], *, where: str | None = None) -> pd.DataFrame:
        """Some columns of every row, ordered by draw (``where``: a DuckDB condition)."""
        cols = ", ".join('"' + n.replace('"', '""') + '"' for n in ("draw", *names))
        cond = f" WHERE {where}" if where else ""
        return self.query(f"SELECT {cols} FROM results{cond} ORDER BY draw").set_index("draw")

    @property
    def inputs(self) -> list[str]:
        return list(self.manifest["columns"]["inputs"])

    @property
    def outputs(self) -> list[str]:
        return list(self.manifest["columns"]["outputs"])

    def check_output(self, name: str) -> None:
        if name not in self.outputs:
            raise ModelError(
                f"not an output of this sweep ({', '.join(self.outputs)})",
                path="--output",
                value=name,
            )
