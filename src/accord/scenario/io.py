"""Reading and writing scenario files (YAML 1.2 or JSON).

YAML is read with ruamel.yaml's safe loader in YAML 1.2 mode, so ``NO`` stays the string
"NO" (Norway), not ``False``; duplicate keys are errors. Every error is a
:class:`~accord.errors.ScenarioError` naming the file, the field path and the value.
"""

from __future__ import annotations

import dataclasses
import io
import json
import types
import typing
from collections.abc import Mapping
from datetime import date
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from accord.errors import Problem, ScenarioError, format_path
from accord.scenario.schema import Scenario

if typing.TYPE_CHECKING:
    from accord.scenario.uncertainty import Uncertainty

__all__ = [
    "dump",
    "dumps",
    "load",
    "load_uncertainty",
    "loads",
    "read_data",
    "scenario_from_data",
    "to_data",
]

_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


def _yaml() -> YAML:
    y = YAML(typ="safe", pure=True)
    y.allow_duplicate_keys = False
    return y


def read_data(text: str, fmt: str, file: str | None = None) -> Any:
    """Parse YAML or JSON text into plain Python data."""
    if fmt == "json":
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except json.JSONDecodeError as exc:
            raise ScenarioError.single(
                f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}", file=file
            ) from None
        except _DuplicateKey as exc:
            raise ScenarioError.single("", "duplicate key in JSON", exc.key, file=file) from None
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in str(exc):
            what = "duplicate key"
        raise ScenarioError.single(where, f"invalid YAML: {what}", file=file) from None
    except YAMLError as exc:
        raise ScenarioError.single("", f"invalid YAML: {exc}", file=file) from None


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
    "string_type": "must be text",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "tuple_type": "must be a list",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_type": "must be a date (YYYY-MM-DD)",
}


_DIST_TAGS = {"uniform", "triangular", "normal", "truncnormal", "beta", "discrete"}


def _drop_tags(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Leave out the tag pydantic adds after an uncertainty parameter's path."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if i >= 2 and loc[i - 2] == "parameters" and part in _DIST_TAGS:
            continue
        out.append(part)
    return tuple(out)


def _problem_from_pydantic(
    err: Mapping[str, Any], data: Any, root: type[BaseModel] | None = None
) -> Problem:
    loc: tuple[str | int, ...] = _drop_tags(tuple(err["loc"]))
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
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind == "literal_error" and loc == ("salience_scale",):
        message = "must be 1 (saliences on 0-1) or 100 (saliences on 0-100)"
    elif kind == "union_tag_invalid":
        ctx = err["ctx"]
        return Problem(path, f"unknown dist; one of {ctx['expected_tags']}", ctx["tag"])
    elif kind == "union_tag_not_found":
        return Problem(
            path, "needs dist: uniform, triangular, normal, truncnormal, beta or discrete"
        )
    elif kind == "greater_than_equal":
        message = f"must be >= {err['ctx']['ge']:g}"
    else:
        message = _MESSAGES.get(kind, err["msg"])
    return Problem(path, message, err.get("input"))


def scenario_from_data(data: Any, file: str | None = None) -> Scenario:
    """Validate plain data (as parsed from YAML/JSON) into a :class:`Scenario`."""
    if not isinstance(data, Mapping):
        got = "an empty file" if data is None else type(data).__name__
        raise ScenarioError.single("", f"a scenario file must hold a mapping, not {got}", file=file)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(e, data) for e in exc.errors()]
        raise ScenarioError(problems, file=file) from None
    except ScenarioError as exc:
        raise exc.with_file(file) if file else exc from None


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
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError.single("", f"cannot read the file: {exc}", file=str(p)) from None
    return loads(text, fmt, file=str(p))


def _clean(obj: Any) -> Any:
    """Plain, readable data: lists not tuples, 7 not 7.0."""
    if isinstance(obj, Mapping):
        return {_clean(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and obj.is_integer() and abs(obj) < 1e15:
        return int(obj)
    return obj


def to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data, leaving out fields at their defaults."""
    data = scenario.model_dump(mode="python", exclude_defaults=True)
    cleaned: dict[str, Any] = _clean(data)
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
    p.write_text(dumps(scenario, _format_of(p)), encoding="utf-8")


def load_uncertainty(path: str | Path) -> Uncertainty:
    """An uncertainty section from a file of its own (with or without the top key)."""
    from accord.scenario.uncertainty import Uncertainty

    p = Path(path)
    fmt = _format_of(p)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError.single("", f"cannot read the file: {exc}", file=str(p)) from None
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
