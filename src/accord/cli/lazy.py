"""Sub-commands that import their module only when they run.

``accord --help`` lists every command, but running ``accord run`` should not pay for
importing the war, game, sweep or dashboard commands (and through them SciPy, pandas,
Plotly...). :func:`lazy_command` and :func:`lazy_group` register a command by
``"module:attribute"`` with the first paragraph of its help. The group lists that line and
imports the module, converting the command exactly as an eager ``app.command()`` or
``app.add_typer()`` would, only when the command itself is called (``accord war ...``,
``accord war --help``). ``tests/test_startup.py`` checks that every listed line equals the
command's own help and that ``import accord.cli`` pulls in no heavy library.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

import typer
from typer import _click
from typer.core import TyperCommand, TyperGroup

__all__ = ["LazyGroup", "lazy_command", "lazy_group", "load"]


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
