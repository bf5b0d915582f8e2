"""Reading and writing scenario files (YAML 1.2 or JSON).

YAML is read with ruamel.yaml's safe loader in YAML 1.2 mode, so ``NO`` stays the string
"NO" (Norway), not ``False``; duplicate keys are errors. Every error is a
:class:`~accord.errors.ScenarioError` naming the file, the field path and the value.
Files are parsed by ruamel's C parser (libyaml) where the result is sure to be the same,
and by its pure-Python parser otherwise and for every error, so that messages keep their
line and column (:func:`_read_yaml_c`).

The input policy, applied here for every file and every importer (they all end in
:func:`scenario_from_data`):

* **bounded parsing**: file size, nesting depth, values after YAML aliases, text length
  and integer digits are limited (:mod:`accord.limits`) and checked while or right after
  parsing, before anything recursive or expensive sees the data;
* **no tags that smuggle types**: ``!!binary``, ``!!set``, ``!!omap`` and ``!!pairs`` are
  refused; YAML timestamps stay text, so that the schema decides what a date is;
* **strict types**: the data is validated in pydantic's strict JSON mode, so no string,
  boolean or timestamp becomes a number, a boolean or a date (``"20"``, ``true``,
  ``1724544000`` are refused where a number, a flag or a date belongs); mapping keys must
  be text except where the schema has numeric keys (scale labels). Every field any model
  of the schema declares is strict this way, with no per-field opt-in;
* **bounded messages**: values are rendered short and escaped (:func:`accord.errors.show_value`).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import types
import typing
import warnings
from collections.abc import Mapping
from datetime import date, datetime
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import ruamel.yaml.main
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.reader import ReaderError

from accord import limits
from accord.errors import AccordError, Problem, ScenarioError, format_path, show_value
from accord.scenario.schema import Scenario

if typing.TYPE_CHECKING:
    from accord.scenario.uncertainty import Uncertainty

__all__ = [
    "check_tree",
    "dump",
    "dumps",
    "load",
    "load_uncertainty",
    "loads",
    "read_data",
    "read_file_text",
    "scenario_from_data",
    "to_data",
    "write_text",
]

#: ruamel's C parser (libyaml, from ruamel.yaml.clib), ``None`` where it is not installed.
CParser: Any = getattr(ruamel.yaml.main, "CParser", None)

_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


class _Refused(Exception):
    """A YAML node the input policy refuses, with where it is."""

    def __init__(self, message: str, node: Any = None, value: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        mark = getattr(node, "start_mark", None)
        self.where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


_INT_TEXT = re.compile(r"[-+]?(0[box])?[0-9a-fA-F_]*\Z")


class _Constructor(SafeConstructor):
    """ruamel's safe constructor with the input policy: bounded integers, no smuggled types."""

    def construct_yaml_int(self, node: Any) -> Any:
        text = str(node.value)
        digits = sum(ch.isalnum() for ch in text)
        if digits > limits.DIGITS.value:
            raise _Refused(limits.DIGITS.message(digits, f"an integer of {digits:,} digits"), node)
        return super().construct_yaml_int(node)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)  # the schema decides what a date is

    def _refuse(self, node: Any) -> Any:
        raise _Refused(f"the YAML tag {node.tag} is not allowed in a scenario file", node)


for _tag in ("binary", "set", "omap", "pairs"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _Constructor._refuse)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp)


def _yaml(pure: bool = True) -> YAML:
    y = YAML(typ="safe", pure=pure)
    y.Constructor = _Constructor
    y.allow_duplicate_keys = False
    return y


#: Texts the C parser is not trusted with: YAML directives (libyaml does not pass on the
#: version they set), tabs, and characters where libyaml's and ruamel's readers may
#: disagree on what is printable or a line break.
_C_UNSAFE = re.compile(
    r"(?:\A|\n)%|[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]"
)
#: The C path is taken only while the depth limit keeps nesting far below the depth at
#: which the pure parser runs out of recursion (it reports "nested too deeply").
_C_MAX_DEPTH = 64
_NO_C = object()
_OPEN = (SequenceStartEvent, MappingStartEvent)
_CLOSE = (SequenceEndEvent, MappingEndEvent)


def _within_depth(text: str, limit: int) -> bool:
    """Whether the YAML text nests at most ``limit`` collections deep, from libyaml's
    events (its parser is iterative; the C composer recurses and would overflow the C
    stack on a hostile nesting, where the pure parser raises RecursionError)."""
    parser = CParser(text)
    try:
        depth = 0
        while True:
            kind = type(parser.get_event())
            if kind in _OPEN:
                depth += 1
                if depth > limit:
                    return False
            elif kind in _CLOSE:
                depth -= 1
            elif kind is StreamEndEvent:
                return True
    finally:
        parser.dispose()


def _read_yaml_c(text: str, file: str | None) -> Any:
    """The data of a YAML text parsed by ruamel's C parser (libyaml), or ``_NO_C``.

    Only the happy path, about five times faster: the data is what ruamel's pure-Python
    parser gives (the same constructor, resolver and duplicate-key check run on libyaml's
    nodes) and passes :func:`check_tree`. Whatever goes wrong, a parse error, a warning, a
    refused tag, value or nesting, the caller parses again with the pure parser, whose
    messages (with line and column) are the ones accord has always given.
    """
    limit = limits.DEPTH.value
    if CParser is None or limit > _C_MAX_DEPTH or _C_UNSAFE.search(text):
        return _NO_C
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            if not _within_depth(text, limit):
                return _NO_C
            data = _yaml(pure=False).load(text)
        check_tree(data, file)
    except Exception:  # the pure parser reports it
        return _NO_C
    return data


def _json_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > limits.DIGITS.value:
        raise _Refused(limits.DIGITS.message(digits, f"an integer of {digits:,} digits"))
    return int(text)


def _too_deep(file: str | None) -> ScenarioError:
    return ScenarioError.single(
        "",
        f"the data is nested too deeply for the parser (the limit is {limits.DEPTH.value} "
        f"levels, {limits.DEPTH.env})",
        file=file,
    )


def read_data(text: str, fmt: str, file: str | None = None) -> Any:
    """Parse YAML or JSON text into plain Python data, within the input policy's bounds."""
    if len(text) > limits.FILE_BYTES.value:
        raise ScenarioError.single(
            "", limits.FILE_BYTES.message(len(text), f"{len(text):,} characters"), file=file
        )
    text = text.removeprefix("\ufeff")  # a byte-order mark, as YAML and CSV accept it
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_json_int)
        except json.JSONDecodeError as exc:
            raise ScenarioError.single(
                f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}", file=file
            ) from None
        except _DuplicateKey as exc:
            raise ScenarioError.single("", "duplicate key in JSON", exc.key, file=file) from None
        except _Refused as exc:
            raise ScenarioError.single(exc.where, exc.message, file=file) from None
        except RecursionError:
            raise _too_deep(file) from None
        check_tree(data, file)
        return data
    data = _read_yaml_c(text, file)
    if data is not _NO_C:
        return data
    try:
        with warnings.catch_warnings():
            # A re-defined anchor is valid YAML (the later one counts); no raw warning.
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            data = _yaml().load(text)
    except _Refused as exc:
        raise ScenarioError.single(exc.where, exc.message, file=file) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(exc):
            what = "duplicate key"
        raise ScenarioError.single(where, f"invalid YAML: {what}", file=file) from None
    except ReaderError as exc:  # a character YAML does not allow in a file
        before = text[: exc.position]
        where = f"line {before.count(chr(10)) + 1}, column {len(before) - before.rfind(chr(10))}"
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
        )
        raise ScenarioError.single(
            where, f"invalid YAML: the control character U+{char:04X} is not allowed", file=file
        ) from None
    except YAMLError as exc:
        raise ScenarioError.single("", f"invalid YAML: {exc}", file=file) from None
    except RecursionError:
        raise _too_deep(file) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a scalar ruamel cannot build
        raise ScenarioError.single("", f"invalid YAML: {exc}", file=file) from None
    check_tree(data, file)
    return data


_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_BAD_KEY_CHAR = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SCALARS = (str, int, float, bool, type(None))


def check_tree(data: Any, file: str | None = None) -> list[tuple[str | int, ...]]:
    """Walk parsed data once (iteratively) and refuse what the input policy bounds.

    Refused: nesting deeper than :data:`~accord.limits.DEPTH`, more values than
    :data:`~accord.limits.VALUES` (counting every use of a YAML alias, so an alias bomb
    stops here, early), texts longer than :data:`~accord.limits.TEXT`, control characters
    in texts (tab and newline allowed) and in keys, and values of types a scenario never
    holds (bytes, sets, dates). Returns the locations of mappings with non-text keys,
    which :func:`scenario_from_data` checks against the schema.
    """
    max_depth, max_values, max_text = limits.DEPTH.value, limits.VALUES.value, limits.TEXT.value
    numeric_keys: list[tuple[str | int, ...]] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    count = 0

    def refuse(loc: tuple[str | int, ...], message: str, value: Any = None) -> ScenarioError:
        if value is None:
            return ScenarioError.single(format_path(loc), message, file=file)
        return ScenarioError.single(format_path(loc), message, value, file=file)

    while stack:
        value, loc = stack.pop()
        count += 1
        if count > max_values:
            raise refuse((), limits.VALUES.message(count, "the data (with YAML aliases expanded)"))
        if len(loc) > max_depth:
            raise refuse(loc[:3], limits.DEPTH.message(len(loc), "the data's nesting"))
        if isinstance(value, str):
            if len(value) > max_text:
                what = f"a text of {len(value):,} characters"
                raise refuse(loc, limits.TEXT.message(len(value), what))
            bad = _BAD_CHAR.search(value)
            if bad:
                raise refuse(
                    loc, f"control character U+{ord(bad.group()):04X} in a text", value[:40]
                )
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str):
                    if len(key) > max_text:
                        what = f"a key of {len(key):,} characters"
                        raise refuse(loc, limits.TEXT.message(len(key), what))
                    bad = _BAD_KEY_CHAR.search(key)
                    if bad:
                        raise refuse(
                            loc, f"control character U+{ord(bad.group()):04X} in a key", key
                        )
                elif isinstance(key, bool) or not isinstance(key, int | float) or key != key:
                    raise refuse(loc, "a key must be text or a number", key)
                else:
                    numeric_keys.append(loc)
                stack.append((item, (*loc, str(key))))
        elif isinstance(value, list | tuple):
            stack.extend((item, (*loc, i)) for i, item in enumerate(value))
        elif isinstance(value, datetime):
            raise refuse(loc, "must be a date (YYYY-MM-DD), not a date and time", str(value))
        elif isinstance(value, date):
            pass  # from an importer; files give dates as text
        elif not isinstance(value, _SCALARS):
            raise refuse(loc, f"a value of type {type(value).__name__} is not allowed")
    return numeric_keys


def read_file_text(path: str | Path, encoding: str = "utf-8") -> str:
    """A file's text within the size limit, or a one-line located error (never an OSError)."""
    p = Path(path)
    limit = limits.FILE_BYTES.value
    try:
        with p.open("rb") as fh:  # bounded read: /dev/zero or a pipe cannot exhaust memory
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            what = "the file"
            raise ScenarioError.single("", limits.FILE_BYTES.message(len(raw), what), file=str(p))
        return raw.decode(encoding)
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=str(p)) from None
    except IsADirectoryError:
        raise ScenarioError.single("", "a folder, not a file", file=str(p)) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError.single(
            "", f"cannot read the file: not UTF-8 text (byte {exc.start})", file=str(p)
        ) from None
    except OSError as exc:
        raise ScenarioError.single(
            "", f"cannot read the file: {exc.strerror or exc}", file=str(p)
        ) from None


def write_text(path: str | Path, text: str) -> Path:
    """Write a text file; an I/O failure becomes a one-line :class:`AccordError`."""
    p = Path(path)
    try:
        if p.is_dir():
            raise AccordError(f"{show_value(str(p), 200)}: is a folder; give a file name")
        with p.open("w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise AccordError(
            f"cannot write {show_value(str(p), 200)}: {exc.strerror or exc}"
        ) from None
    return p


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _input_at(data: Any, loc: tuple[str | int, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The pydantic model class that the location points into (for field suggestions)."""
    current: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = _unwrap(field.annotation)
        elif isinstance(current, tuple):  # dict value type: the key is `part`
            current = current[1]
        else:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else None
    if origin in (tuple, list):
        return _unwrap(typing.get_args(tp)[0])
    if origin is dict:
        return ("dict", _unwrap(typing.get_args(tp)[1]))
    return tp


_MESSAGES = {
    "missing": "required field is missing",
    "finite_number": "must be a finite number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing": "must be a whole number",
    "string_type": "must be text",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date (YYYY-MM-DD), not a date and time",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_type": "must be a date (YYYY-MM-DD)",
    "datetime_type": "must be a date and time (YYYY-MM-DDTHH:MM:SS)",
    "datetime_parsing": "must be a date and time (YYYY-MM-DDTHH:MM:SS)",
    "none_required": "must be empty (null)",
    "too_short": "too few items",
    "too_long": "too many items",
}

_BOUNDS = {
    "greater_than_equal": (">=", "ge"),
    "greater_than": (">", "gt"),
    "less_than_equal": ("<=", "le"),
    "less_than": ("<", "lt"),
}


def _data_loc(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``loc`` without the tags pydantic adds for union members (``str``, ``Sourced``...).

    A part that does not index into the data is a tag, except the last one (a missing
    or unknown field is named there).
    """
    out: list[str | int] = []
    current = data
    for n, part in enumerate(loc):
        in_map = isinstance(current, Mapping) and part in current
        in_list = isinstance(current, list | tuple) and isinstance(part, int)
        if in_map or (in_list and int(part) < len(current)):
            current = current[part]
        elif not (n == len(loc) - 1 and isinstance(current, Mapping)):
            continue  # a union member's tag
        out.append(part)
    return tuple(out)


_DIST_TAGS = {"uniform", "triangular", "normal", "truncnormal", "beta", "discrete"}


def _drop_tags(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Leave out the tag pydantic adds after an uncertainty parameter's path."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if i >= 2 and loc[i - 2] == "parameters" and part in _DIST_TAGS:
            continue
        out.append(part)
    return tuple(out)


def _problems_from_pydantic(errors: list[Any], data: Any) -> list[Problem]:
    """One problem per field path: the errors of a union's members become one line."""
    grouped: dict[str, list[Problem]] = {}
    for err in errors:
        problem = _problem_from_pydantic(err, data)
        grouped.setdefault(problem.path, []).append(problem)
    out = []
    for problems in grouped.values():
        if len(problems) == 1:
            out.append(problems[0])
            continue
        messages = list(dict.fromkeys(p.message for p in problems))
        first = problems[0]
        message = messages[0] if len(messages) == 1 else "; or ".join(messages)
        out.append(Problem(first.path, message, first.value))
    return out


def _problem_from_pydantic(
    err: Mapping[str, Any], data: Any, root: type[BaseModel] | None = None
) -> Problem:
    loc: tuple[str | int, ...] = _drop_tags(_data_loc(data, tuple(err["loc"])))
    kind = err["type"]
    # A bare number stands for {value: n}: report the number's own path.
    if loc and loc[-1] == "value" and not isinstance(_input_at(data, loc[:-1]), Mapping):
        loc = loc[:-1]
    path = format_path(loc)
    if kind == "extra_forbidden":
        message = "unknown field"
        model = _model_at(loc[:-1]) if root is None else None
        if model is not None:
            close = get_close_matches(str(loc[-1]), list(model.model_fields), n=1)
            if close:
                message += f" (did you mean {close[0]!r}?)"
        return Problem(path, message)
    if kind == "missing":
        return Problem(path, _MESSAGES[kind])
    ctx = err.get("ctx", {})
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
    elif kind == "literal_error" and loc == ("salience_scale",):
        message = "must be 1 (saliences on 0-1) or 100 (saliences on 0-100)"
    elif kind == "union_tag_invalid":
        return Problem(path, f"unknown dist; one of {ctx['expected_tags']}", ctx["tag"])
    elif kind == "union_tag_not_found":
        return Problem(
            path, "needs dist: uniform, triangular, normal, truncnormal, beta or discrete"
        )
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected', '')}".strip()
    elif kind in _BOUNDS and _BOUNDS[kind][1] in ctx:
        sign, key = _BOUNDS[kind]
        bound = ctx[key]
        message = f"must be {sign} {bound:g}" if isinstance(bound, float | int) else err["msg"]
    elif kind == "json_invalid":
        message = "not plain data"
    else:
        message = _MESSAGES.get(kind, str(err["msg"]))
    return Problem(path, message, err.get("input"))


def scenario_from_data(data: Any, file: str | None = None) -> Scenario:
    """Validate plain data (as parsed from YAML/JSON) into a :class:`Scenario`.

    The input policy (:func:`check_tree`) is applied, then the data is validated in
    pydantic's strict JSON mode: no coercion of any field, present or future.
    """
    if not isinstance(data, Mapping):
        got = "an empty file" if data is None else type(data).__name__
        raise ScenarioError.single("", f"a scenario file must hold a mapping, not {got}", file=file)
    numeric_keys = check_tree(data, file)
    problems = [p for loc in numeric_keys for p in _key_problems(data, loc)]
    if problems:  # a key the schema would read as text: nothing further is meaningful there
        raise ScenarioError(problems, file=file)
    try:
        text = json.dumps(data, ensure_ascii=False, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise ScenarioError.single("", f"data that is not plain text or numbers: {exc}") from None
    try:
        scenario = Scenario.model_validate_json(text, strict=True)
    except ValidationError as exc:
        problems += _problems_from_pydantic(exc.errors(), data)
        problems += _semantics_despite(exc.errors(), data, text)
        raise ScenarioError(problems, file=file) from None
    except ScenarioError as exc:
        raise ScenarioError(problems + list(exc.problems), file=file) from None
    problems = _date_problems(scenario.model_dump(mode="python"), data, ())
    if problems:
        raise ScenarioError(problems, file=file)
    return scenario


#: Rounds of repairs :func:`_semantics_despite` tries before it gives up.
_REPAIR_ROUNDS = 3


def _error_loc(err: Mapping[str, Any], data: Any) -> tuple[str | int, ...]:
    """Where a pydantic error sits in the data (as :func:`_problem_from_pydantic` names it)."""
    loc = _drop_tags(_data_loc(data, tuple(err["loc"])))
    if loc and loc[-1] == "value" and not isinstance(_input_at(data, loc[:-1]), Mapping):
        loc = loc[:-1]
    return loc


def _repair(
    data: Any, errors: list[Any], removed: list[tuple[str | int, ...]], renamed: dict[str, str]
) -> bool:
    """Take out of ``data`` what the field errors are about, so that the rest can be checked.

    An unknown field that is a close misspelling of an absent field is read as that field
    (``salinece`` as ``salience``), other unknown fields are dropped; an invalid optional
    field is dropped (its default is used); an invalid required field drops the innermost
    mapping entry that holds it (``positions.T``, ``sources.s1``). False when an error
    cannot be repaired this way (a list item's required field, the file's top level).
    """
    kinds: dict[tuple[str | int, ...], set[str]] = {}
    for err in errors:
        kinds.setdefault(_error_loc(err, data), set()).add(err["type"])
    # unknown fields first: a misspelt field read as the real one also answers its "missing"
    for loc in sorted(kinds, key=lambda k: kinds[k] != {"extra_forbidden"}):
        if not loc:
            return False
        parent = _input_at(data, loc[:-1])
        key = loc[-1]
        if kinds[loc] == {"missing"} and isinstance(parent, dict) and key in parent:
            continue  # supplied by a misspelling read as this field
        if not isinstance(parent, dict) or (key not in parent and "missing" not in kinds[loc]):
            return False
        model = _model_at(loc[:-1])
        if kinds[loc] == {"extra_forbidden"}:
            fields = [f for f in (model.model_fields if model else {}) if f not in parent]
            close = get_close_matches(str(key), fields, n=1)
            if close:
                parent[close[0]] = parent.pop(key)
                renamed[format_path((*loc[:-1], close[0]))] = str(key)
            else:
                del parent[key]
            continue
        field = model.model_fields.get(str(key)) if model is not None else None
        if field is not None and not field.is_required() and key in parent:
            del parent[key]
            removed.append(loc)
            continue
        for i in range(len(loc), 0, -1):  # the innermost entry of a schema mapping
            holder = _input_at(data, loc[: i - 1])
            mapping = isinstance(holder, dict) and _key_type_at(loc[: i - 1]) is not None
            if mapping and loc[i - 1] in holder:
                del holder[loc[i - 1]]
                removed.append(loc[:i])
                break
        else:
            return False
    return True


def _semantics_despite(errors: list[Any], data: Any, text: str) -> list[Problem]:
    """The cross-field problems of the parts that did validate, so that one run reports
    every problem it can find: the field errors are repaired on a copy (:func:`_repair`)
    and the copy validated again. A problem at, under or above a dropped place is left
    out (it may only be a consequence of the repair), as is one naming a dropped key and,
    after a drop in the war section (whose parts refer to each other), any war problem;
    one read through a misspelt field says so."""
    copy = json.loads(text)
    removed: list[tuple[str | int, ...]] = []
    renamed: dict[str, str] = {}
    for _ in range(_REPAIR_ROUNDS):
        if not _repair(copy, errors, removed, renamed):
            return []
        try:
            sc = Scenario.model_validate_json(json.dumps(copy, ensure_ascii=False), strict=True)
        except ValidationError as exc:
            errors = exc.errors()
            continue
        except ScenarioError as exc:
            return _unrelated(list(exc.problems), removed, renamed)
        return _unrelated(_date_problems(sc.model_dump(mode="python"), copy, ()), removed, renamed)
    return []


def _related(path: str, other: str) -> bool:
    """One path is the other, lies under it or above it."""
    a, b = sorted((path, other), key=len)
    return a == b or not a or b.startswith((f"{a}.", f"{a}["))


def _unrelated(
    problems: list[Problem], removed: list[tuple[str | int, ...]], renamed: Mapping[str, str]
) -> list[Problem]:
    dropped_keys = {str(loc[-1]) for loc in removed}
    in_war = any(loc[:1] == ("war",) for loc in removed)
    out = []
    for p in problems:
        if any(_related(p.path, format_path(loc)) for loc in removed):
            continue
        if in_war and _related(p.path, "war"):  # the war section's parts refer to each other
            continue
        if isinstance(p.value, str) and p.value in dropped_keys:
            continue
        read_as = [f"{old!r} as {path.rsplit('.', 1)[-1]!r}" for path, old in renamed.items()
                   if _related(p.path, path)]  # fmt: skip
        if read_as:
            p = Problem(p.path, f"{p.message} (reading {', '.join(read_as)})", p.value)
        out.append(p)
    return out


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def _date_problems(dumped: Any, given: Any, loc: tuple[str | int, ...]) -> list[Problem]:
    """Every date the scenario holds must have been written YYYY-MM-DD.

    pydantic's strict mode still reads a text of digits (``"1724544000"``) as a Unix
    timestamp; this walk over the validated scenario catches that for every date field,
    present or future, where the file gave anything but an ISO date (or an importer a date).
    """
    if isinstance(dumped, date):
        if isinstance(given, date) or (isinstance(given, str) and _ISO_DATE.match(given)):
            return []
        return [Problem(format_path(loc), _MESSAGES["date_parsing"], given)]
    out: list[Problem] = []
    if isinstance(dumped, Mapping) and isinstance(given, Mapping):
        for key, value in given.items():
            if key in dumped:
                out += _date_problems(dumped[key], value, (*loc, key))
    elif isinstance(dumped, list | tuple) and isinstance(given, list | tuple):
        for i, (a, b) in enumerate(zip(dumped, given, strict=False)):
            out += _date_problems(a, b, (*loc, i))
    return out


def _key_problems(data: Any, loc: tuple[str | int, ...]) -> list[Problem]:
    """Numeric keys are allowed only where the schema's mapping has numeric keys."""
    key_type = _key_type_at(loc)
    if key_type is None or key_type in (float, int):
        return []
    mapping = _input_at(data, loc)
    bad = [k for k in mapping if not isinstance(k, str)] if isinstance(mapping, Mapping) else []
    return [Problem(format_path((*loc, str(k))), "a key must be text", k) for k in bad[:1]]


def _key_type_at(loc: tuple[str | int, ...]) -> Any:
    """The key type of the schema mapping at ``loc`` (``None`` if it is not a known mapping)."""
    current: Any = Scenario
    for part in loc:
        current = _unwrap_full(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        elif typing.get_origin(current) in (tuple, list) and isinstance(part, int):
            current = typing.get_args(current)[0]
        else:
            return None
    current = _unwrap_full(current)
    if typing.get_origin(current) is dict:
        return _unwrap_full(typing.get_args(current)[0])
    return None


def _unwrap_full(tp: Any) -> Any:
    """``tp`` without ``Annotated`` and ``Optional`` wrappers."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def loads(text: str, fmt: str = "yaml", file: str | None = None) -> Scenario:
    """Parse and validate a scenario from YAML or JSON text."""
    return scenario_from_data(read_data(text, fmt, file), file)


def _format_of(path: Path) -> str:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ScenarioError.single(
            "", "unknown file type: use .yaml, .yml or .json", path.suffix, file=str(path)
        )
    return fmt


def load(path: str | Path) -> Scenario:
    """Read a scenario file (``.yaml``, ``.yml`` or ``.json``)."""
    p = Path(path)
    fmt = _format_of(p)
    return loads(read_file_text(p), fmt, file=str(p))


def _clean(obj: Any) -> Any:
    """Plain, readable data: lists not tuples, 7 not 7.0."""
    if isinstance(obj, Mapping):
        return {_clean(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and obj.is_integer() and abs(obj) < 1e15:
        return int(obj)
    return obj


def _plain(obj: Any) -> Any:
    """Lists not tuples, and every number as it is (text, numbers and flags of free-form
    parts: attributes, the game section)."""
    if isinstance(obj, Mapping):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, leaving out fields at their defaults.

    Numbers of the schema's number fields are written ``7``, not ``7.0`` (they read back as
    the same float); the free-form parts (``attributes``, ``game``) keep their numbers' types,
    so that an attribute ``1.0`` stays a float and a save is lossless."""
    data = scenario.model_dump(mode="python", exclude_defaults=True)
    cleaned: dict[str, Any] = _clean(data)
    for free in ("attributes", "game"):
        if free in data:
            cleaned[free] = _plain(data[free])
    for section in ("issues", "actors"):
        for item, raw in zip(cleaned.get(section, []), data.get(section, ()), strict=True):
            if "attributes" in raw:
                item["attributes"] = _plain(raw["attributes"])
    return cleaned


def dumps(scenario: Scenario, fmt: str = "yaml") -> str:
    """The scenario as YAML or JSON text."""
    data = to_data(scenario)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = None
    y.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    y.width = 100
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def _json_default(obj: Any) -> Any:
    if isinstance(obj, date):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)


def dump(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario file; the suffix chooses YAML or JSON."""
    p = Path(path)
    write_text(p, dumps(scenario, _format_of(p)))


def load_uncertainty(path: str | Path) -> Uncertainty:
    """An uncertainty section from a file of its own (with or without the top key)."""
    from accord.scenario.uncertainty import Uncertainty

    p = Path(path)
    fmt = _format_of(p)
    text = read_file_text(p)
    data = read_data(text, fmt, str(p))
    if isinstance(data, Mapping) and set(data) == {"uncertainty"}:
        data = data["uncertainty"]
    if not isinstance(data, Mapping):
        got = "an empty file" if data is None else type(data).__name__
        raise ScenarioError.single("uncertainty", f"must hold a mapping, not {got}", file=str(p))
    try:
        return Uncertainty.model_validate(data)
    except ValidationError as exc:
        problems = [
            dataclasses.replace(prob, path=f"uncertainty.{prob.path}")
            for e in exc.errors()
            if (prob := _problem_from_pydantic(e, data, root=Uncertainty))
        ]
        raise ScenarioError(problems, file=str(p)) from None
