"""Reading and writing game files: ``.efg``, ``.nfg`` and accord's YAML (``.yaml``/``.yml``).

The only module of :mod:`accord.games` that touches files; parsing and formatting are in
:mod:`accord.games.efg` and :mod:`accord.games.yamlgame`, the solvers never read files. A
YAML file is a standalone game (top-level ``players`` and ``root``) or a scenario with a
``game:`` section (see :mod:`accord.games.scenario`). Errors name the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from accord.errors import ScenarioError
from accord.games.efg import dumps_efg, dumps_nfg, loads_efg, loads_nfg
from accord.games.tree import Game
from accord.games.yamlgame import GameTemplate, game_to_data, template_from_data

__all__ = ["SUFFIXES", "dumps_yaml", "read_game", "read_template", "write_game"]

SUFFIXES = (".efg", ".nfg", ".yaml", ".yml")


def _suffix(path: Path) -> str:
    s = path.suffix.lower()
    if s not in SUFFIXES:
        raise ScenarioError.single(
            "", f"unknown game format {s or '(none)'!r}; use {', '.join(SUFFIXES)}", file=str(path)
        )
    return s


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError.single("", f"cannot read the file: {exc}", file=str(path)) from None


def read_template(path: str | Path) -> GameTemplate:
    """A YAML game file (standalone, or a scenario's ``game:`` section) as a template."""
    from accord.games.scenario import scenario_template
    from accord.scenario.io import read_data, scenario_from_data

    p = Path(path)
    text = _text(p)
    data: Any = read_data(text, "yaml", file=str(p))
    if isinstance(data, dict) and "root" in data and "players" in data:
        return template_from_data(data, file=str(p))
    if isinstance(data, dict) and "game" in data:
        return scenario_template(scenario_from_data(data, file=str(p)), file=str(p))
    raise ScenarioError.single(
        "", "neither a game (players, root) nor a scenario with a game: section", file=str(p)
    )


def read_game(path: str | Path) -> Game:
    """Read a game file; the suffix chooses the format."""
    p = Path(path)
    s = _suffix(p)
    if s == ".efg":
        return loads_efg(_text(p), file=str(p))
    if s == ".nfg":
        return loads_nfg(_text(p), file=str(p))
    try:
        return read_template(p).game()
    except ScenarioError as exc:
        raise exc if exc.file else exc.with_file(str(p)) from None


def dumps_yaml(game: Game) -> str:
    """A game as accord's YAML text."""
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = None
    y.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    y.width = 100
    buf = io.StringIO()
    y.dump(game_to_data(game), buf)
    return buf.getvalue()


def write_game(game: Game, path: str | Path) -> Path:
    """Write a game; the suffix chooses the format (.nfg writes the strategic form)."""
    p = Path(path)
    s = _suffix(p)
    text = {".efg": dumps_efg, ".nfg": dumps_nfg}.get(s, dumps_yaml)(game)
    p.write_text(text, encoding="utf-8")
    return p
