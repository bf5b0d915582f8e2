"""``accord game``: solve, convert and draw extensive-form games.

``accord game solve [FILE|SCENARIO]`` reads a ``.efg``, ``.nfg`` or YAML game, or a
scenario (file or bundled id; default the flagship) with a ``game:`` section, and solves it
with ``--method spe|qre|lcp|lp`` (default: ``spe`` for perfect information, ``lcp`` for two
players otherwise). ``accord game convert A B`` converts between the formats by suffix.
Parsing and printing only: the numbers come from :mod:`accord.games`.
"""

from __future__ import annotations

import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from accord.cli.common import guarded, lets, load_scenario, out, refuse_lets, what_if
from accord.errors import ModelError, ScenarioError

if TYPE_CHECKING:
    from accord.games.result import GameResult
    from accord.games.tree import Game
    from accord.scenario.schema import Scenario

game_app = typer.Typer(
    help="Escalation games: extensive-form trees (.efg, .nfg, YAML, a scenario's game: "
    "section), subgame-perfect, logit-QRE and Nash solutions, tree drawings.",
    no_args_is_help=True,
)


class Method(StrEnum):
    spe = "spe"
    qre = "qre"
    lcp = "lcp"
    lp = "lp"


def load_game(ref: str | None) -> Game:
    """A game from a file (.efg, .nfg, .yaml) or a bundled scenario id with a game section."""
    return game_and_scenario(ref)[0]


def game_and_scenario(ref: str | None) -> tuple[Game, Scenario | None]:
    """:func:`load_game`, and the scenario the game came from (``None`` for a game file)."""
    from accord import scenarios
    from accord.games.io import read_game
    from accord.games.scenario import scenario_game

    p = Path(ref) if ref is not None else None
    if p is not None and (p.exists() or p.suffix or "/" in str(ref)):
        if _is_scenario_file(p):  # a scenario file with a game: section, read as a scenario
            sc = load_scenario(str(p))
            return scenario_game(sc), sc
        refuse_lets(f"the game file {p}")
        return read_game(p), None
    if ref is None or ref in scenarios.ids():
        sc = load_scenario(ref)
        return scenario_game(sc), sc
    raise ScenarioError.single(
        "", f"neither a game file nor a bundled scenario ({', '.join(scenarios.ids())})", ref
    )


def _is_scenario_file(p: Path) -> bool:
    """A YAML or JSON file holding a scenario (with a ``game:`` section), not a standalone
    game (``players``, ``root``); ``False`` where it cannot be read (read_game says why)."""
    from accord.scenario.io import read_data

    if p.suffix.lower() not in (".yaml", ".yml", ".json") or not p.is_file():
        return False
    try:
        text = p.read_text(encoding="utf-8")
        data = read_data(text, "json" if p.suffix.lower() == ".json" else "yaml", file=str(p))
    except (OSError, UnicodeDecodeError, ScenarioError):
        return False
    return isinstance(data, dict) and "game" in data and not {"root", "players"} <= set(data)


def _lambdas(items: list[str]) -> list[float]:
    out_: list[float] = []
    for item in items:
        for part in item.split(","):
            try:
                v = float(part)
            except ValueError:
                raise ModelError(
                    "must be a number >= 0 or inf", path="--lambda", value=part
                ) from None
            if math.isnan(v) or v < 0:
                raise ModelError("must be a number >= 0 or inf", path="--lambda", value=part)
            out_.append(v)
    return out_


def _solve(
    game: Game, method: Method | None, lambdas: list[float], all_spe: bool
) -> list[GameResult]:
    from accord import games

    if method is None:
        method = Method.spe if game.is_perfect_information else Method.lcp
    if method is not Method.qre and lambdas:
        raise ModelError("--lambda goes with --method qre", path="--lambda", value=lambdas)
    if method is Method.spe:
        return [games.spe_solve(game, all_equilibria=all_spe)]
    if method is Method.qre:
        return [games.qre_solve(game, lam) for lam in (lambdas or [1.0])]
    if method is Method.lcp:
        return [games.lcp_solve(game)]
    return [games.lp_solve(game)]


def _print(game: Game, res: GameResult) -> None:
    lam = res.parameters.get("lam")
    head = res.method + (f" at lambda = {lam:g}" if isinstance(lam, float) else "")
    values = ", ".join(f"{p} {v:.4g}" for p, v in zip(game.players, res.value, strict=True))
    out.print(f"{head}: value {values}")
    out.print("path: " + " -> ".join(f"{a}" for _, a in res.path()))
    t = Table(title="behaviour where play reaches (reach > 0.001)", title_justify="left")
    for col in ("node", "player", "infoset", "reach", "action probabilities"):
        t.add_column(col)
    by_node: dict[int, list[str]] = {}
    for m, (i, k) in enumerate(game.moves):
        by_node.setdefault(i, []).append(f"{game.nodes[i].actions[k]} {res.behaviour[m]:.4g}")
    for i, acts in by_node.items():
        if res.reach[i] > 1e-3:
            n = game.nodes[i]
            name = n.infoset if not n.infoset.startswith("_") else "-"
            t.add_row(
                n.where or str(i),
                game.players[n.player],
                name,
                f"{res.reach[i]:.3g}",
                ", ".join(acts),
            )
    out.print(t)
    for note in res.notes:
        out.print(f"note: {note}")
    if "equilibria" in res.extra:
        eqs = res.extra["equilibria"]
        out.print(f"{len(eqs)} pure subgame-perfect equilibria; root values:")
        for _, v in eqs:
            out.print(
                "  " + ", ".join(f"{p} {x:.4g}" for p, x in zip(game.players, v, strict=True))
            )


@game_app.command("solve")
@guarded
@lets
def solve(
    game_ref: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE|SCENARIO",
            help="A .efg, .nfg or .yaml game, or a scenario with a game: section "
            "(default: ukraine-2024-08).",
        ),
    ] = None,
    method: Annotated[
        Method | None, typer.Option("--method", help="spe, qre, lcp or lp (default by game).")
    ] = None,
    lam: Annotated[
        list[str] | None,
        typer.Option("--lambda", help="QRE lambda (repeat or comma-separate; inf = the limit)."),
    ] = None,
    all_spe: Annotated[bool, typer.Option("--all", help="List every pure SPE (spe).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Draw the tree: .png, .svg, .pdf or .html.")
    ] = None,
    depth: Annotated[
        int | None, typer.Option("--depth", help="Collapse the drawing past this depth.")
    ] = None,
) -> None:
    """Solve a game and print (or --json) its value, path and behaviour."""
    from accord.report.save import figure_format

    if plot is not None:
        figure_format(plot)
    game, sc = game_and_scenario(game_ref)
    try:
        results = _solve(game, method, _lambdas(lam or []), all_spe)
    except ModelError as exc:
        where = exc.problem.path
        if game_ref and (where.startswith("line ") or where.startswith("root")):
            raise ScenarioError([exc.problem], file=game_ref) from None
        raise
    if as_json:
        from accord.analysis import output

        asked = {"game": game_ref, "method": method, "lambda": lam or [], "all": all_spe}
        result = {"game": game.title, "solutions": [r.to_dict() for r in results]}
        payload = output.envelope(
            "game solve", result, scenario=sc, options=asked, what_if=what_if()
        )
        sys.stdout.write(output.dumps(payload))
    else:
        kind = "perfect information" if game.is_perfect_information else "imperfect information"
        recall = "" if game.perfect_recall else ", no perfect recall"
        out.print(
            f"{game.title or 'game'}: {len(game.players)} players ({', '.join(game.players)}), "
            f"{len(game.nodes)} nodes, {len(game.infosets)} information sets, {kind}{recall}"
        )
        for r in results:
            _print(game, r)
    if plot is not None:
        from accord.report.games import tree_figure
        from accord.report.save import save_figure

        fig = tree_figure(game, results[-1], max_depth=depth)
        save_figure(fig, plot, title=game.title or "game")
        if not as_json:
            out.print(f"wrote {plot}")


@game_app.command("convert")
@guarded
def convert(
    source: Annotated[Path, typer.Argument(help="A .efg, .nfg or .yaml game.")],
    target: Annotated[Path, typer.Argument(help="The file to write (.efg, .nfg or .yaml).")],
) -> None:
    """Convert a game between .efg, .nfg (strategic form) and accord's YAML."""
    from accord.games.io import _suffix, read_game, write_game

    _suffix(target)
    game = read_game(source)
    write_game(game, target)
    out.print(f"wrote {target} ({len(game.nodes)} nodes)")
