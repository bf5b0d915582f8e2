"""One exception family for everything a user can get wrong.

Every error names where the problem is (file, field path such as ``actors[3].positions.T``)
and the offending value, so that the CLI can print one line per problem and exit with
code 2 instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["AccordError", "ModelError", "Problem", "ScenarioError", "format_path"]

_MISSING = object()


def format_path(loc: Iterable[str | int]) -> str:
    """Render a location tuple as ``actors[3].positions.T``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float):
        return repr(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, what, and the value found there."""

    path: str
    message: str
    value: Any = _MISSING

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        got = "" if self.value is _MISSING else f" (got {_show(self.value)})"
        return f"{where}{self.message}{got}"


class AccordError(Exception):
    """Base class of every error accord raises on purpose."""


class ScenarioError(AccordError):
    """A scenario (or an imported file) is malformed.

    ``problems`` lists every problem found, not just the first; ``file`` is the
    path it was read from, when there is one.
    """

    def __init__(self, problems: Sequence[Problem], file: str | None = None) -> None:
        self.problems = tuple(problems)
        self.file = file
        super().__init__(self._text())

    def _text(self) -> str:
        prefix = f"{self.file}: " if self.file else ""
        return "\n".join(prefix + p.render() for p in self.problems)

    def with_file(self, file: str) -> ScenarioError:
        return ScenarioError(self.problems, file=file)

    @classmethod
    def single(
        cls, path: str, message: str, value: Any = _MISSING, file: str | None = None
    ) -> ScenarioError:
        return cls([Problem(path, message, value)], file=file)


class ModelError(AccordError):
    """A model was asked for something it cannot do (unknown name, bad option)."""

    def __init__(self, message: str, *, path: str = "", value: Any = _MISSING) -> None:
        self.problem = Problem(path, message, value)
        super().__init__(self.problem.render())
