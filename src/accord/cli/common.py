"""Shared pieces of the command line: consoles, error handling, scenario and option parsing."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from accord.errors import AccordError, ModelError, ScenarioError
from accord.scenario.schema import Scenario

__all__ = ["err", "guarded", "load_scenario", "out", "parse_sets"]


def _console(stderr: bool = False, markup: bool = True) -> Console:
    probe = Console(stderr=stderr)
    width = None if probe.is_terminal else 120
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width, markup=markup)


out = _console(markup=False)
err = _console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def guarded(fn: F) -> F:
    """Turn accord's errors into a message and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as exc:
            for line in str(exc).splitlines():
                err.print(f"[red]error:[/red] {escape(line)}", markup=True)
            raise typer.Exit(2) from None
        except AccordError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", markup=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def load_scenario(ref: str | None) -> Scenario:
    """A scenario from a file path, or a bundled scenario by id (default: the flagship)."""
    from accord import scenarios
    from accord.scenario.io import load

    if ref is None:
        return scenarios.load(scenarios.DEFAULT)
    p = Path(ref)
    if p.exists() or p.suffix or "/" in ref:
        return load(p)
    if ref in scenarios.ids():
        return scenarios.load(ref)
    raise ScenarioError.single(
        "", f"neither a file nor a bundled scenario ({', '.join(scenarios.ids())})", ref
    )


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_sets(items: list[str], models: list[str]) -> dict[str, dict[str, Any]]:
    options: dict[str, dict[str, Any]] = {m: {} for m in models}
    for item in items:
        key, sep, value = item.partition("=")
        model, dot, name = key.partition(".")
        if not sep or not dot or not name:
            raise ModelError("expected MODEL.OPTION=VALUE", path="--set", value=item)
        if model not in options:
            raise ModelError(
                f"model not selected with --model ({', '.join(models)})", path="--set", value=item
            )
        options[model][name] = _parse_value(value)
    return options
