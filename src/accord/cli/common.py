"""Shared pieces of the command line: consoles, error handling, scenario and option parsing.

Every command is wrapped in :func:`guarded`: accord's own errors and every I/O failure
become one line per problem on standard error and exit code 2; anything else is a bug and
becomes one line with exit code 1 and a request to report it. Nothing prints a traceback
and nothing interprets rich markup in user text (both consoles have markup off). Files a
command writes go through :class:`OutputFolder`, which keeps them inside the folder the
user named.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from accord.errors import AccordError, ModelError, ScenarioError, one_line, show_value

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario

__all__ = [
    "OutputFolder",
    "apply_what_ifs",
    "err",
    "guarded",
    "lets",
    "load_scenario",
    "out",
    "parse_sets",
    "refuse_lets",
    "safe_file_name",
    "what_if",
]

REPORT = "a bug in accord: please report it with the command and its input files"


def _console(stderr: bool = False) -> Console:
    probe = Console(stderr=stderr)
    width = None if probe.is_terminal else 120
    return Console(stderr=stderr, highlight=False, soft_wrap=True, width=width, markup=False)


out = _console()
err = _console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def _error(line: str) -> None:
    err.print(Text.assemble(("error:", "red"), " ", one_line(line)))


def _os_message(exc: OSError) -> str:
    where = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or str(exc)
    return f"{show_value(str(where), 200)}: {reason}" if where else reason


def guarded(fn: F) -> F:
    """Turn accord's errors and I/O failures into a message and exit code 2.

    Numerical warnings (NumPy overflow, invalid values) are collected and printed once
    each as a ``note:`` line instead of raw warnings; any other exception is reported in
    one line with exit code 1, as an internal error.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", RuntimeWarning)
                try:
                    return fn(*args, **kwargs)
                finally:
                    seen = dict.fromkeys(
                        str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)
                    )
                    for message in seen:
                        err.print(f"note: numerical warning: {one_line(message, 200)}")
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):  # typer's own
            raise
        except ScenarioError as exc:
            for line in str(exc).splitlines():
                _error(line)
            raise typer.Exit(2) from None
        except AccordError as exc:
            _error(str(exc))
            raise typer.Exit(2) from None
        except OSError as exc:
            _error(_os_message(exc))
            raise typer.Exit(2) from None
        except MemoryError:
            _error("out of memory: lower the sizes asked for (runs, rounds, actors, issues)")
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            _error(f"internal error ({REPORT}): {type(exc).__name__}: {show_value(str(exc))}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(text: str, limit: int = 100) -> str:
    """``text`` as one file name: no folders, no hidden files, nothing a shell reads specially.

    Every run of characters other than letters, digits, ``.``, ``_`` and ``-`` becomes
    ``-``; leading dots and dashes go (so ``../../x`` becomes ``x``); at most ``limit``
    characters; ``unnamed`` if nothing is left.
    """
    name = _UNSAFE.sub("-", text).lstrip(".-")
    name = re.sub(r"\.{2,}", ".", name)[:limit].rstrip(".-")
    return name or "unnamed"


class OutputFolder:
    """The folder a command writes into; every file stays inside it, none overwrites another.

    Names are made safe with :func:`safe_file_name`; a name already used in this run gets
    ``-2``, ``-3``... before its suffix, and :attr:`renamed` lists what was renamed, so the
    command can say so. Failures are one-line :class:`AccordError` naming the option.
    """

    def __init__(self, folder: Path, option: str) -> None:
        self.folder = folder
        self.option = option
        self.renamed: list[tuple[str, str, str]] = []
        self.written: list[Path] = []
        self._taken: set[str] = set()
        shown = show_value(str(folder), 200)
        if folder.exists() and not folder.is_dir():
            raise AccordError(f"{option}: {shown} is a file, not a folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AccordError(
                f"{option}: cannot create the folder {shown}: {exc.strerror or exc}"
            ) from None
        self._root = folder.resolve()

    def path(self, name: str) -> Path:
        """A path in the folder for ``name`` (made safe and unique within this run)."""
        safe = safe_file_name(name)
        stem, dot, suffix = safe.rpartition(".")
        if not dot or not stem:
            stem, suffix = safe, ""
        candidate, n = safe, 1
        while candidate.lower() in self._taken:
            n += 1
            candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
        self._taken.add(candidate.lower())
        if candidate != name:
            why = "a file of that name was already written" if n > 1 else "a safe file name"
            self.renamed.append((name, candidate, why))
        p = self.folder / candidate
        if p.resolve().parent != self._root:  # cannot happen after safe_file_name; kept as a guard
            raise AccordError(f"{self.option}: refusing to write outside {self.folder}: {name!r}")
        return p

    def write(self, name: str, write: Callable[[Path], Any]) -> Path:
        """Call ``write(path)`` for ``name``; an OSError becomes a one-line error."""
        p = self.path(name)
        try:
            write(p)
        except OSError as exc:
            raise AccordError(
                f"cannot write {show_value(str(p), 200)}: {exc.strerror or exc}"
            ) from None
        self.written.append(p)
        return p

    def write_text(self, name: str, text: str) -> Path:
        return self.write(name, lambda p: p.write_text(text, encoding="utf-8"))

    def report_renames(self) -> None:
        """Say which names were changed to stay in the folder or to avoid an overwrite."""
        for old, new, why in self.renamed:
            err.print(f"note: {show_value(old)} written as {new} ({why})")


def load_scenario(ref: str | None, *, what_if: bool = True) -> Scenario:
    """A scenario from a file path, or a bundled scenario by id (default: the flagship).

    The command's ``--let PATH=VALUE`` what-ifs (see :func:`lets`) are applied and echoed
    on standard error as changes from the file, unless ``what_if`` is false (``accord
    diff``'s first scenario, so that the diff shows them).
    """
    sc = _load_file(ref)
    if not what_if:
        return sc
    from accord import scenarios

    return apply_what_ifs(sc, ref or scenarios.DEFAULT)


def apply_what_ifs(sc: Scenario, file: str | None, *, label: str | None = None) -> Scenario:
    """``sc`` with the command's ``--let`` what-ifs applied (checked as the file ``file`` is),
    each echoed on standard error and recorded for :func:`what_if`; ``label`` (a series
    member's id) prefixes the echo and is recorded as the change's ``scenario``."""
    items = _LETS.get()
    if not items:
        return sc
    from accord.scenario.whatif import apply_lets

    sc, changes = apply_lets(sc, items, file=file)
    for change in changes:
        line = change.describe()
        err.print(line if label is None else line.replace("what-if: ", f"what-if: {label}: ", 1))
        record = change.to_dict()
        _APPLIED.get().append(record if label is None else {"scenario": label, **record})
    return sc


def _load_file(ref: str | None) -> Scenario:
    from accord import scenarios
    from accord.scenario.io import load

    if ref is None:
        return scenarios.load(scenarios.DEFAULT)
    p = Path(ref)
    try:
        exists = p.exists()
    except (OSError, ValueError):
        exists = False  # a name too long or with a NUL byte: load() reports it
    if exists or p.suffix or "/" in ref:
        return load(p)
    if ref in scenarios.ids():
        return scenarios.load(ref)
    raise ScenarioError.single(
        "", f"neither a file nor a bundled scenario ({', '.join(scenarios.ids())})", ref
    )


_LETS: ContextVar[tuple[str, ...]] = ContextVar("accord_lets", default=())
_APPLIED: ContextVar[list[dict[str, Any]]] = ContextVar("accord_what_if")

LetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--let",
        metavar="PATH=VALUE",
        help="What-if: set a scenario number for this run, e.g. "
        "--let actors[CHN].issue_capability.T=30 (repeatable; checked like the file).",
    ),
]


def lets(fn: F) -> F:
    """Give a command that reads scenarios the ``--let PATH=VALUE`` option.

    The option is added to the command's signature (typer reads it from there); its values
    reach :func:`load_scenario` through a context variable for the call, so that every
    scenario the command loads gets the same what-ifs without threading them through.
    """
    sig = inspect.signature(fn, eval_str=True)
    param = inspect.Parameter("let", inspect.Parameter.KEYWORD_ONLY, default=None)
    param = param.replace(annotation=LetOption)

    @functools.wraps(fn)
    def wrapper(*args: Any, let: list[str] | None = None, **kwargs: Any) -> Any:
        token = _LETS.set(tuple(let or ()))
        applied = _APPLIED.set([])
        try:
            return fn(*args, **kwargs)
        finally:
            _LETS.reset(token)
            _APPLIED.reset(applied)

    wrapper.__signature__ = sig.replace(  # type: ignore[attr-defined]
        parameters=[*sig.parameters.values(), param]
    )
    return wrapper  # type: ignore[return-value]


def refuse_lets(what: str) -> None:
    """``--let`` sets numbers of a scenario: an error where the command read something else."""
    if _LETS.get():
        raise ModelError(f"sets numbers of a scenario; {what} is not a scenario", path="--let")


def what_if() -> list[dict[str, Any]]:
    """The what-ifs applied so far in this command (path, file value, new value), for JSON."""
    return list(_APPLIED.get([]))


def _bounded_int(text: str) -> int:
    from accord import limits

    if len(text.lstrip("-")) > limits.DIGITS.value:
        raise ModelError(limits.DIGITS.message(len(text), f"an integer of {len(text):,} digits"))
    return int(text)


def _parse_value(text: str, item: str) -> Any:
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError:
        return text
    except ModelError as exc:
        raise ModelError(exc.problem.message, path="--set", value=item) from None
    except RecursionError:
        raise ModelError("nested too deeply", path="--set", value=item) from None


def parse_sets(items: list[str], models: list[str]) -> dict[str, dict[str, Any]]:
    """``--set MODEL.OPTION=VALUE`` items as options per model, checked strictly.

    VALUE is read as JSON when it is JSON (``0.5``, ``true``, ``"text"``) and as text
    otherwise; the options are then validated without coercion, so ``eum.q=true`` is an
    error, not ``q = 1.0``.
    """
    from accord import models as registry

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
        options[model][name] = _parse_value(value, item)
    for model, opts in options.items():
        if opts:
            registry.get(model).check_options_strictly(opts)
    return options


def check_simulation_options(plot: Path | None, months: int, runs: int) -> None:
    """The checks every Monte Carlo command makes before loading anything: the figure's
    suffix, a horizon >= 0 and at least one run."""
    if plot is not None:
        from accord.report.save import figure_format

        figure_format(plot)
    if months < 0:
        raise ModelError("must be >= 0", path="--months", value=months)
    if runs < 1:
        raise ModelError("must be >= 1", path="--runs", value=runs)
