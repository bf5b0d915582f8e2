"""One exception family for everything a user can get wrong.

Every error names where the problem is (file, field path such as ``actors[3].positions.T``)
and the offending value, so that the CLI can print one line per problem and exit with
code 2 instead of a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AccordError",
    "ModelError",
    "Problem",
    "ScenarioError",
    "format_path",
    "one_line",
    "show_value",
]

_MISSING = object()

#: Longest rendering of a value, a key or a line in an error message (characters).
VALUE_CHARS = 80
KEY_CHARS = 40
LINE_CHARS = 400

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-+:@/]+\Z")
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str, limit: int = LINE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, then control characters and newlines escaped.

    What an error message prints of user input goes through here, so that a file cannot
    split a message into several lines (forging ``error:`` lines) or send terminal codes.
    """
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return _CONTROL.sub(_escape_control, text)


def format_path(loc: Iterable[str | int]) -> str:
    """Render a location tuple as ``actors[3].positions.T``.

    A key that is not plain (spaces, quotes, control characters, very long) is shown
    quoted and bounded, e.g. ``attributes['a b']``.
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part) and len(part) <= KEY_CHARS:
            out += f".{part}" if out else part
        else:
            out += f"[{show_value(part, KEY_CHARS)}]"
    return out


def show_value(value: Any, limit: int = VALUE_CHARS) -> str:
    """A bounded rendering of any value: at most about ``limit`` characters, one line.

    Long texts and big containers are cut *before* they are rendered, so a value that
    expands to gigabytes (a YAML alias bomb) costs no more than a short one.
    """
    parts: list[str] = []
    budget = [limit]

    def emit(text: str) -> bool:
        if budget[0] <= 0:
            return False
        if len(text) > budget[0]:
            text = text[: max(budget[0], 0)]
        parts.append(text)
        budget[0] -= len(text)
        return budget[0] > 0

    def walk(v: Any, depth: int) -> bool:
        if depth > 8:
            return emit("...")
        if isinstance(v, str):
            cut = v[: budget[0] + 1]
            text = repr(cut) if len(cut) == len(v) else repr(cut)[:-1] + "..."
            return emit(one_line(text, max(budget[0], 4)))
        if isinstance(v, bool) or v is None:
            return emit({True: "true", False: "false", None: "null"}[v])
        if isinstance(v, float):
            return emit(repr(v))
        if isinstance(v, int):
            if v.bit_length() > 100:
                return emit(f"<an integer of about {int(v.bit_length() * 0.30103)} digits>")
            return emit(repr(v))
        if isinstance(v, bytes | bytearray):
            return emit(f"<{len(v)} bytes>")
        if isinstance(v, Mapping):
            if not emit("{"):
                return False
            for n, (k, item) in enumerate(v.items()):
                if (n and not emit(", ")) or not walk(k, depth + 1) or not emit(": "):
                    return False
                if not walk(item, depth + 1):
                    return False
            return emit("}")
        if isinstance(v, list | tuple | set | frozenset):
            open_, close = ("[", "]") if isinstance(v, list) else ("(", ")")
            if not emit(open_):
                return False
            for n, item in enumerate(v):
                if (n and not emit(", ")) or not walk(item, depth + 1):
                    return False
            if isinstance(v, tuple) and len(v) == 1 and not emit(","):
                return False
            return emit(close)
        try:
            text = repr(v)
        except Exception:  # a broken __repr__ must not hide the real error
            text = f"<{type(v).__name__}>"
        return emit(one_line(text, budget[0] + 1))

    complete = walk(value, 0)
    text = "".join(parts)
    if not complete or len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _show(value: Any) -> str:
    return show_value(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, what, and the value found there."""

    path: str
    message: str
    value: Any = _MISSING

    def render(self) -> str:
        where = f"{self.path}: " if self.path else ""
        got = "" if self.value is _MISSING else f" (got {_show(self.value)})"
        return one_line(f"{where}{self.message}{got}")


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
        prefix = f"{one_line(self.file, 200)}: " if self.file else ""
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
