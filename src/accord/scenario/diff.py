"""The numbers that differ between two scenarios, by path, with their sources.

:func:`numbers` flattens a scenario into its numbers, each at a readable path: list items
that carry an ``id`` are addressed by it (``actors[RUS].positions.T.position``), a sourced
number by its field (``war.p``, ``issues[T].status_quo``). Each number carries the source keys
and judgement mark of the mapping that holds it. :func:`diff` compares two scenarios'
numbers: changed, added and removed paths, old and new values, and the sources behind each
side (resolved to citation and date from each scenario's ``sources``). Text (notes,
citations, labels) and dates are not numbers and do not enter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.errors import ScenarioError
from accord.scenario.io import scenario_from_data, to_data
from accord.scenario.schema import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Change",
    "Number",
    "ScenarioDiff",
    "diff",
    "locate",
    "numbers",
    "set_number",
    "with_numbers",
]

_PROVENANCE = ("source", "judgement", "note", "proxy")


@dataclass(frozen=True)
class Number:
    """One number of a scenario and its provenance."""

    value: float
    source: tuple[str, ...] = ()
    judgement: bool = False


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _walk(node: Any, path: str, out: dict[str, Number]) -> None:
    if isinstance(node, Mapping):
        src = tuple(node.get("source", ()) or ())
        judged = bool(node.get("judgement", False))
        if "value" in node and _is_number(node["value"]) and set(node) <= {"value", *_PROVENANCE}:
            out[path] = Number(float(node["value"]), src, judged)
            return
        for key, value in node.items():
            if key in _PROVENANCE or key == "sources":
                continue
            sub = f"{path}.{key}" if path else str(key)
            if _is_number(value):
                out[sub] = Number(float(value), src, judged)
            else:
                _walk(value, sub, out)
    elif isinstance(node, list | tuple):
        for k, item in enumerate(node):
            if isinstance(item, Mapping) and "id" in item:
                _walk(item, f"{path}[{item['id']}]", out)
            elif _is_number(item):
                out[f"{path}[{k}]"] = Number(float(item))
            else:
                _walk(item, f"{path}[{k}]", out)


def numbers(sc: Scenario) -> dict[str, Number]:
    """Every number of the scenario by path (scale labels' keys and dates excluded)."""
    data = to_data(sc)
    for issue in data.get("issues", []):
        scale = issue.get("scale")
        if isinstance(scale, dict):
            scale.pop("labels", None)
    out: dict[str, Number] = {}
    _walk(data, "", out)
    return out


@dataclass(frozen=True)
class Change:
    """One path whose number differs: ``kind`` is changed, added or removed."""

    path: str
    kind: str
    old: float | None
    new: float | None
    old_source: tuple[str, ...]
    new_source: tuple[str, ...]
    old_judgement: bool
    new_judgement: bool

    @property
    def relative(self) -> float:
        """|new - old| / max(|old|, |new|): the size of a change, 1 for added or removed."""
        if self.old is None or self.new is None:
            return 1.0
        top = max(abs(self.old), abs(self.new))
        return abs(self.new - self.old) / top if top > 0 else 0.0


def _cite(sc: Scenario, keys: tuple[str, ...], judgement: bool) -> str:
    parts = []
    for key in keys:
        src = sc.sources.get(key)
        if src is None:
            parts.append(key)
            continue
        when = f", {src.date.isoformat()}" if src.date else ""
        parts.append(f"{key} ({src.citation[:80]}{when})")
    if judgement:
        parts.append("judgement")
    return "; ".join(parts)


@dataclass(frozen=True)
class ScenarioDiff:
    """The numbers that differ between scenario ``a`` (old) and ``b`` (new)."""

    a: Scenario
    b: Scenario
    changes: tuple[Change, ...]
    method: str = "diff: numbers by path, exact comparison (accord)"

    def largest(self, n: int = 3, *, changed_only: bool = True) -> list[Change]:
        """The ``n`` largest changes by relative size (ties by path)."""
        pool = [c for c in self.changes if c.kind == "changed" or not changed_only]
        return sorted(pool, key=lambda c: (-c.relative, c.path))[:n]

    def cited(self, c: Change) -> tuple[str, str]:
        """The old and new sources of a change as citation text (key, citation, date)."""
        return _cite(self.a, c.old_source, c.old_judgement), _cite(
            self.b, c.new_source, c.new_judgement
        )

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = [
            {
                "path": c.path,
                "kind": c.kind,
                "old": c.old,
                "new": c.new,
                "old_source": _cite(self.a, c.old_source, c.old_judgement),
                "new_source": _cite(self.b, c.new_source, c.new_judgement),
            }
            for c in self.changes
        ]
        cols = ["path", "kind", "old", "new", "old_source", "new_source"]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self) -> dict[str, Any]:
        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else x

        return {
            "a": {"id": self.a.id, "as_of": self.a.as_of and self.a.as_of.isoformat()},
            "b": {"id": self.b.id, "as_of": self.b.as_of and self.b.as_of.isoformat()},
            "method": self.method,
            "changes": [
                {
                    "path": c.path,
                    "kind": c.kind,
                    "old": num(c.old),
                    "new": num(c.new),
                    "old_source": list(c.old_source),
                    "new_source": list(c.new_source),
                    "old_judgement": c.old_judgement,
                    "new_judgement": c.new_judgement,
                    "old_cited": _cite(self.a, c.old_source, c.old_judgement),
                    "new_cited": _cite(self.b, c.new_source, c.new_judgement),
                }
                for c in self.changes
            ],
        }


def diff(a: Scenario, b: Scenario) -> ScenarioDiff:
    """Every number that differs between ``a`` and ``b``, in path order."""
    na, nb = numbers(a), numbers(b)
    out: list[Change] = []
    for path in sorted(set(na) | set(nb)):
        x, y = na.get(path), nb.get(path)
        if x is not None and y is not None:
            if x.value == y.value:
                continue
            kind = "changed"
        else:
            kind = "removed" if y is None else "added"
        out.append(
            Change(
                path,
                kind,
                None if x is None else x.value,
                None if y is None else y.value,
                () if x is None else x.source,
                () if y is None else y.source,
                False if x is None else x.judgement,
                False if y is None else y.judgement,
            )
        )
    return ScenarioDiff(a, b, tuple(out))


_TOKEN = re.compile(r"\[([^\]]+)\]|([^.\[\]]+)")


def locate(data: Any, path: str) -> tuple[str | int, ...]:
    """Where the number at ``path`` (of :func:`numbers`) sits in :func:`to_data`'s data: list
    items named by their ``id`` (or index), mapping keys; a sourced number's location is
    its mapping's (``…issue_capability.T``, not ``….T.value``). ``KeyError`` if absent."""
    node: Any = data
    loc: list[str | int] = []
    for tok in (m.group(1) or m.group(2) for m in _TOKEN.finditer(path)):
        if isinstance(node, list):
            k = next(
                (n for n, x in enumerate(node) if isinstance(x, Mapping) and x.get("id") == tok),
                None,
            )
            if k is None:
                k = int(tok) if tok.isdigit() and int(tok) < len(node) else -1
            if k < 0:
                raise KeyError(path)
            loc.append(k)
            node = node[k]
        elif isinstance(node, Mapping) and tok in node:
            loc.append(tok)
            node = node[tok]
        else:
            raise KeyError(path)
    return tuple(loc)


def set_number(data: Any, loc: tuple[str | int, ...], value: float) -> None:
    """Write ``value`` at ``loc`` of plain scenario data (into ``value`` of a sourced mapping)."""
    container: Any = data
    for part in loc[:-1]:
        container = container[part]
    if isinstance(container[loc[-1]], Mapping):
        container[loc[-1]]["value"] = value
    else:
        container[loc[-1]] = value


def with_numbers(sc: Scenario, values: Mapping[str, float]) -> Scenario:
    """A copy of the scenario with the numbers at the given paths (of :func:`numbers`) set;
    the result is validated like any scenario. An unknown path is a ScenarioError."""
    data = to_data(sc)
    known = numbers(sc)
    for path, value in values.items():
        if path not in known:
            raise ScenarioError.single(path, "no number at this path", value)
        set_number(data, locate(data, path), value)
    return scenario_from_data(data)
