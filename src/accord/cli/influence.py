"""``accord run --influence``: print who moved whom (:mod:`accord.analysis.influence`)."""

from __future__ import annotations

from rich.table import Table

from accord.analysis.influence import ActorMove, Influence, Link, rounds_text
from accord.cli.common import out
from accord.scenario.schema import Scenario

__all__ = ["print_influence"]

_RANGES_SHOWN = 4
_LINKS_SHOWN = 3
_KIND_SHOWN = {"adopt": "bargain", "exchange": "trade"}


def _signed(x: float, digits: int = 2) -> str:
    text = f"{x:+.{digits}f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def _rounds(link: Link) -> str:
    text = rounds_text(link.rounds)
    parts = text.split(", ")
    if len(parts) > _RANGES_SHOWN:
        text = ", ".join(parts[:_RANGES_SHOWN]) + ", ..."
    return ("round " if len(link.rounds) == 1 else "rounds ") + text


def _back_and_forth(link: Link) -> str:
    return f" ({link.distance:.2f} back and forth)"


def _moved_by(a: ActorMove) -> str:
    parts = [
        f"{link.by} ({_KIND_SHOWN.get(link.kind, link.kind)}) {_signed(link.shift)}"
        + (_back_and_forth(link) if link.distance - abs(link.shift) > 5e-3 else "")
        + f" in {link.events} move{'s' if link.events != 1 else ''}, {_rounds(link)}"
        for link in a.moved_by[:_LINKS_SHOWN]
    ]
    rest = a.moved_by[_LINKS_SHOWN:]
    if rest:
        shift = sum(link.shift for link in rest)
        parts.append(f"{len(rest)} more {_signed(shift)}")
    if a.unattributed:
        parts.append(f"no event {_signed(a.unattributed)}")
    return "; ".join(parts)


def print_influence(inf: Influence, sc: Scenario, rounds: dict[str, int]) -> None:
    """One table per model and issue where anyone moved: each actor that moved, from where
    to where, its path length and who moved it (credited shift, moves, rounds)."""
    if not inf.models:
        out.print("who moved whom: no model here has rounds (static models move no one)")
        return
    for model in inf.models:
        for issue in sc.issues:
            rows = [a for a in inf.actors if a.model == model and a.issue == issue.id]
            moved = [a for a in rows if a.distance > 0]
            still = [a.actor for a in rows if a.distance == 0]
            scale = f"{issue.scale.min:g}-{issue.scale.max:g}"
            head = f"{model} on {issue.id} ({issue.name}, scale {scale})"
            if not moved:
                out.print(f"{head}: nobody moved in {rounds[model]} rounds")
                continue
            last = max(t for a in moved for link in a.moved_by for t in link.rounds[-1:])
            t = Table(
                title=f"{head}: who moved whom over {rounds[model]} rounds"
                + (f" (the last move in round {last})" if last < rounds[model] else ""),
                title_justify="left",
            )
            for col, just in (
                ("actor", "left"),
                ("start", "right"),
                ("end", "right"),
                ("moved", "right"),
                ("distance", "right"),
                ("moved by (credited shift, moves, rounds)", "left"),
            ):
                t.add_column(col, justify=just)  # type: ignore[arg-type]
            for a in sorted(moved, key=lambda a: -a.distance):
                t.add_row(
                    a.actor,
                    f"{a.start:.2f}",
                    f"{a.end:.2f}",
                    _signed(a.moved),
                    f"{a.distance:.2f}",
                    _moved_by(a),
                )
            out.print(t)
            if still:
                out.print("  held their positions: " + ", ".join(still))
