"""Sub-commands that import their module only when they run.

``accord --help`` lists every command, but running ``accord run`` should not pay for
importing the war, game, sweep or dashboard commands (and through them SciPy, pandas,
Plotly...). :func:`lazy_command` and :func:`lazy_group` register a command by
``"module:attribute"`` with the first paragraph of its help. The group lists that line and
imports the module, converting the command exactly as an eager ``app.command()`` or
``app.add_typer()`` would, only when the command itself is called (``accord war ...``,
``accord war --help``). ``tests/test_startup.py`` checks that every listed line equals the
command's own help and that ``import accord.cli`` pulls in no heavy library.

:func:`defer_rich_extras` does the same for typer's help formatter: ``typer.rich_utils``
imports ``rich.markdown`` (markdown-it) and ``rich.traceback`` (Pygments) at its top, about
40 % of what any ``--help`` or usage error costs, though accord uses neither (its help is
rich markup, not Markdown, and pretty exceptions are off). They are imported on first use.
:func:`defer_typer_adapters`: typer builds a parameter's pydantic ``TypeAdapter`` (importing
pydantic, ~50 ms) before it looks at the value, even when the value is absent and the
adapter goes unused (every group's own ``--help`` flag on every sub-command call); it is
now built when a value needs it.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Sequence
from typing import Any, ClassVar

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

__all__ = [
    "LazyGroup",
    "defer_rich_extras",
    "defer_typer_adapters",
    "lazy_command",
    "lazy_group",
    "load",
]


class _Listed(TyperCommand):
    """A command not imported yet: its name and one-paragraph help, enough for a listing."""

    def __init__(self, name: str, target: str, help: str, group: bool) -> None:
        super().__init__(name=name, help=help)
        self.target = target
        self.group = group


class LazyGroup(TyperGroup):
    """A typer group whose lazily registered commands load on first use.

    The registry is per :class:`typer.Typer` app: ``typer.Typer(cls=LazyGroup.new())``.
    """

    registry: ClassVar[dict[str, tuple[str, str, bool]]] = {}
    loaded: ClassVar[dict[str, _click.Command]] = {}

    @classmethod
    def new(cls) -> type[LazyGroup]:
        """A subclass with its own (empty) registry, for one app."""
        return type("LazyGroup", (cls,), {"registry": {}, "loaded": {}})

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        listed = {
            name: self.loaded.get(name) or _Listed(name, target, help_, group)
            for name, (target, help_, group) in self.registry.items()
            if name not in self.commands
        }
        # typer lists commands, then groups, each in the order registered: keep that order
        eager = dict(self.commands)
        self.commands.clear()
        for want_group in (False, True):
            for source in (eager, listed):
                for name, cmd in source.items():
                    is_group = (
                        cmd.group if isinstance(cmd, _Listed) else isinstance(cmd, TyperGroup)
                    )
                    if is_group is want_group:
                        self.commands[name] = cmd
        self._listing = False

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        cmd = self.commands.get(cmd_name)
        if isinstance(cmd, _Listed) and not self._listing:
            cmd = self.commands[cmd_name] = self.loaded[cmd_name] = load(
                cmd_name, cmd.target, self.rich_markup_mode
            )
        return cmd

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing = True  # list the commands from their registered help, import nothing
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def load(name: str, target: str, rich_markup_mode: Any = None) -> _click.Command:
    """The click command for ``target`` (``"module:attribute"``), named ``name``.

    A :class:`typer.Typer` attribute becomes a group as with ``app.add_typer(obj, name=name)``,
    a function a command as with ``app.command(name)(obj)``.
    """
    module, attribute = target.split(":")
    obj = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer(rich_markup_mode=rich_markup_mode)
    if isinstance(obj, typer.Typer):
        holder.add_typer(obj, name=name)
    else:
        holder.command(name)(obj)
    return typer.main.get_group(holder).commands[name]


def lazy_command(app: typer.Typer, name: str, target: str, help: str) -> None:
    """Register the function ``target`` (``"module:attribute"``) as the command ``name``.

    As ``app.command(name)(function)``, imported on first use; ``help`` is the first
    paragraph of the command's own help, as ``accord --help`` lists it.
    """
    _registry(app)[name] = (target, help, False)


def lazy_group(app: typer.Typer, name: str, target: str, help: str) -> None:
    """Register the :class:`typer.Typer` ``target`` as the group ``name`` of ``app``.

    As ``app.add_typer(sub_app, name=name)``, imported on first use.
    """
    _registry(app)[name] = (target, help, True)


def _registry(app: typer.Typer) -> dict[str, tuple[str, str, bool]]:
    group = app.info.cls
    if not (isinstance(group, type) and issubclass(group, LazyGroup)):
        raise TypeError("lazy commands need an app made with typer.Typer(cls=LazyGroup.new())")
    return group.registry


# typer.rich_utils imports these names at its top but uses them only to render Markdown help
# (rich_markup_mode="markdown") and pretty tracebacks: accord uses neither.
_DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}


class _Deferred:
    """Stands for ``module.name`` and imports it on first call or attribute access."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)

    def _target(self) -> Any:
        module, name = self._where
        return getattr(importlib.import_module(module), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._target(), attr)


class _RichUtilsLoader(importlib.abc.Loader):
    """Executes ``typer.rich_utils`` with placeholders for the deferred modules.

    The placeholders (empty classes, enough for its annotations) live in ``sys.modules`` only
    while the module body runs; then its names point at :class:`_Deferred` stand-ins, and a
    later ``import rich.markdown`` anywhere imports the real module. If typer ever needs more
    than those names at import, the module is executed again normally.
    """

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        placeholders: dict[str, tuple[str, type]] = {}
        for name, attribute in _DEFERRED.items():
            if name not in sys.modules:
                stand_in = types.ModuleType(name)
                cls = type(attribute, (), {})
                setattr(stand_in, attribute, cls)
                sys.modules[name] = stand_in
                placeholders[name] = (attribute, cls)
        try:
            self.loader.exec_module(module)
        except ImportError:
            for name in placeholders:
                del sys.modules[name]
            self.loader.exec_module(module)
            return
        for name in placeholders:
            del sys.modules[name]
        for name, (attribute, cls) in placeholders.items():
            if getattr(module, attribute, None) is cls:
                setattr(module, attribute, _Deferred(name, attribute))

    def __getattr__(self, attr: str) -> Any:  # get_source, get_filename... as the real one
        return getattr(self.loader, attr)


class _RichUtilsFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _RichUtilsLoader(spec.loader)
        return spec


def defer_rich_extras() -> None:
    """Import ``rich.markdown`` and ``rich.traceback`` for typer's help only when used.

    A no-op once ``typer.rich_utils`` is imported. Output is unchanged:
    ``tests/test_fasthelp.py`` compares every command's help and usage errors, plain and in
    colour, with and without it.
    """
    if "typer.rich_utils" in sys.modules:
        return
    if not any(isinstance(finder, _RichUtilsFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _RichUtilsFinder())


class _LazyRuntimeParam:
    """A typer runtime parameter built on first use.

    :meth:`coerce` is typer's own ``RuntimeParam.coerce``, which returns an absent value
    (``None``, or ``()`` for a multiple one) without calling ``_coerce_value``: only a value
    builds the real runtime parameter (for most annotations a pydantic ``TypeAdapter``).
    """

    def __init__(self, descriptor: Any) -> None:
        self.descriptor = descriptor
        self.real: Any = None

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self.real is None:
            from typer._coercion import build_runtime_param

            self.real = build_runtime_param(self.descriptor)
        return self.real._coerce_value(value, param=param, ctx=ctx)

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        from typer._coercion import RuntimeParam

        return RuntimeParam.coerce(self, value, param=param, ctx=ctx)  # type: ignore[arg-type]


def _get_runtime_param(self: Any) -> Any:
    if self._runtime_param is None:
        self._runtime_param = _LazyRuntimeParam(self.type_descriptor)
    return self._runtime_param


TYPER_GET_RUNTIME_PARAM: Any = None  # typer's own, kept (tests compare with it)


def defer_typer_adapters() -> None:
    """Let typer build a parameter's runtime coercion only for a value that needs it.

    Applied only if typer's structure is the one this relies on: one ``coerce`` for every
    runtime parameter class (none overrides it) and ``get_runtime_param`` used by
    ``process_value`` alone. Output is unchanged: ``tests/test_fasthelp.py`` compares help
    and usage errors with typer's own method.
    """
    global TYPER_GET_RUNTIME_PARAM
    from typer import _coercion, core

    if TYPER_GET_RUNTIME_PARAM is not None:
        return
    base = getattr(_coercion, "RuntimeParam", None)
    param = getattr(core, "_TyperParameter", None)
    if base is None or param is None or not hasattr(param, "get_runtime_param"):
        return
    if any("coerce" in vars(cls) for cls in base.__subclasses__()):
        return
    TYPER_GET_RUNTIME_PARAM = param.get_runtime_param
    param.get_runtime_param = _get_runtime_param


defer_rich_extras()
defer_typer_adapters()
