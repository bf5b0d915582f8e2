"""``accord deals``: package deals on a scenario or a GENIUS/GeniusWeb domain.

Parsing and printing only: the numbers come from :mod:`accord.deals`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.common import err, guarded, lets, load_scenario, out, refuse_lets, what_if
from accord.errors import ModelError, ScenarioError


class SolutionName(StrEnum):
    nash = "nash"
    ks = "ks"
    egalitarian = "egalitarian"
    utilitarian = "utilitarian"


def _split(items: list[str] | None) -> list[str]:
    out_: list[str] = []
    for item in items or []:
        out_ += [p.strip() for p in item.split(",") if p.strip()]
    return out_


def _numbers(text: str, what: str) -> list[float]:
    try:
        values = [float(x) for x in text.split(",")]
    except ValueError:
        raise ModelError("expected comma-separated numbers", path=what, value=text) from None
    if not all(v == v and abs(v) != float("inf") for v in values):
        raise ModelError("numbers must be finite", path=what, value=text)
    return values


def _load_problem(ref: str | None, parties: list[str], points: str) -> tuple[Any, Any]:
    """The negotiation problem, and the scenario it came from (``None`` for GENIUS)."""
    from accord.deals import from_scenario
    from accord.deals.io import read_genius, read_geniusweb
    from accord.deals.io.genius import profile_paths

    p = Path(ref) if ref is not None else None
    if p is not None and (p.is_dir() or p.suffix.lower() == ".xml"):
        folder = p if p.is_dir() else p.parent
        jsons = sorted(folder.glob("*.json")) if p.is_dir() else []
        if jsons and not list(folder.glob("*.xml")):
            problem = read_geniusweb(jsons)
        else:
            domain, profiles = profile_paths(folder)
            if p.suffix.lower() == ".xml" and p != domain:
                raise ScenarioError.single("", "not the domain file of its folder", file=str(p))
            problem = read_genius(domain, profiles)
    elif p is not None and p.suffix.lower() == ".json" and _is_geniusweb(p):
        problem = read_geniusweb(sorted(p.parent.glob("*.json")))
    else:
        sc = load_scenario(ref)
        return from_scenario(sc, parties or None, points=points), sc
    refuse_lets(f"the negotiation problem {p}")
    if parties:
        unknown = [x for x in parties if x not in problem.parties]
        if unknown:
            raise ModelError(
                f"no such party ({', '.join(problem.parties)})", path="--parties", value=unknown
            )
        keep = tuple(u for u in problem.utilities if u.name in parties)
        problem = type(problem)(problem.space, keep, problem.source, None, problem.notes)
    return problem, None


def _is_geniusweb(p: Path) -> bool:
    try:
        return "LinearAdditiveUtilitySpace" in p.read_text(encoding="utf-8-sig")[:200]
    except OSError:
        return False


def _f(x: float) -> str:
    return f"{x:.3f}"


@lets
def deals(
    source: Annotated[
        str | None,
        typer.Argument(
            help="Scenario file or bundled id (default: ukraine-2024-08), a GENIUS folder or "
            "domain .xml, or a GeniusWeb folder or profile .json."
        ),
    ] = None,
    parties: Annotated[
        list[str] | None,
        typer.Option(
            "--parties", help="Parties (actor ids or profile names), comma-separated or repeated."
        ),
    ] = None,
    solution: Annotated[
        list[SolutionName] | None,
        typer.Option("--solution", help="Bargaining solution; repeat for several (default all)."),
    ] = None,
    disagreement: Annotated[
        str | None,
        typer.Option(
            "--disagreement",
            help="Disagreement point, one number per party, comma-separated "
            "(default: reservation values).",
        ),
    ] = None,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Bargaining weights for Nash (makes it weighted Nash)."),
    ] = None,
    points: Annotated[
        str, typer.Option(help="Scenario issue values: positions (default) or labels.")
    ] = "positions",
    linkage: Annotated[
        bool, typer.Option("--linkage", help="Also print which issue pairs gain from linkage.")
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Write the frontier figure: .png, .svg, .pdf or .html."),
    ] = None,
) -> None:
    """Package deals: the Pareto frontier, Nash, Kalai–Smorodinsky, egalitarian and
    utilitarian solutions, and the zone of possible agreement."""
    guarded(_deals)(source, parties, solution, disagreement, weights, points, linkage, json_, plot)


def _deals(
    source: str | None,
    parties: list[str] | None,
    solution: list[SolutionName] | None,
    disagreement: str | None,
    weights: str | None,
    points: str,
    linkage: bool,
    json_: bool,
    plot: Path | None,
) -> None:
    from accord.deals import analyse
    from accord.deals import linkage as link

    if plot is not None:
        from accord.report.save import figure_format

        figure_format(plot)
    names = _split(parties)
    problem, sc = _load_problem(source, names, points)
    n = len(problem.parties)
    if n < 2:
        raise ModelError("a package deal needs at least two parties", path="--parties")
    d = _numbers(disagreement, "--disagreement") if disagreement is not None else None
    w = _numbers(weights, "--weights") if weights is not None else None
    for what, vals in (("--disagreement", d), ("--weights", w)):
        if vals is not None and len(vals) != n:
            raise ModelError(
                f"needs {n} numbers, one per party ({', '.join(problem.parties)})",
                path=what,
                value=",".join(f"{v:g}" for v in vals),
            )
    from accord.deals.additive import applies

    size = problem.space.cardinality
    if size > 200_000 and (n >= 5 or (n == 4 and not applies(problem.space, problem.utilities))):
        err.print(
            f"note: {n} parties on {size:,} packages: the frontier can take minutes"
            + ("; --points labels uses fewer packages" if problem.reference is not None else "")
        )
    chosen = (
        [s.value for s in solution] if solution else ["nash", "ks", "egalitarian", "utilitarian"]
    )
    result = analyse(problem, solutions=chosen, disagreement=d, weights=w)
    links = None
    if linkage:
        if problem.reference is None:
            raise ModelError("linkage needs a reference package (a scenario)", path="--linkage")
        links = link(problem.space, problem.utilities, problem.reference, weights=w)
    if json_:
        from accord.analysis import output

        payload = result.to_dict()
        payload["linkage"] = None if links is None else links.to_frame().to_dict(orient="records")
        asked = {
            "source": source, "parties": names, "solution": chosen, "disagreement": d,
            "weights": w, "points": points, "linkage": linkage,
        }  # fmt: skip
        payload = output.envelope("deals", payload, scenario=sc, options=asked, what_if=what_if())
        sys.stdout.write(output.dumps(payload))
    else:
        _print(result, links)
    if plot is not None:
        from accord.report.deals import frontier_figure
        from accord.report.save import save_figure

        save_figure(frontier_figure(result), plot, title=f"{problem.source}: package deals")
        err.print(f"wrote {plot}")


def _print(result: Any, links: Any) -> None:
    problem = result.problem
    m = result.matrix
    out.print(
        f"{problem.source}: {len(problem.space.issues)} issues, {m.values.shape[1]:,} packages, "
        f"{len(result.parties)} parties; Pareto frontier {result.frontier.size} packages"
    )
    z = result.zone
    out.print(
        f"zone of possible agreement: {z.acceptable.size:,} packages every party weakly prefers "
        f"to disagreement, {z.better.size:,} strictly"
    )
    t = Table(title="packages chosen", title_justify="left")
    t.add_column("solution")
    for issue in problem.space.issues:
        t.add_column(issue.name, justify="right")
    t.add_column("ties", justify="right")
    for name, sol in result.solutions.items():
        pkg = result.package(name)
        if pkg is None:
            t.add_row(name, *["-"] * len(problem.space.issues), "0")
            continue
        cells = [f"{v:g}" if isinstance(v, float) else str(v) for v in pkg.values()]
        t.add_row(name, *cells, str(len(sol.ties)))
    out.print(t)
    t = Table(
        title=f"utilities (disagreement point: {result.disagreement_source})", title_justify="left"
    )
    t.add_column("party")
    for col in ("reservation", "disagreement", *result.solutions):
        t.add_column(col, justify="right")
    for a, p in enumerate(result.parties):
        sols = [
            "-" if s.utilities is None else _f(s.utilities[a]) for s in result.solutions.values()
        ]
        t.add_row(p, _f(m.reservation[a]), _f(result.disagreement[a]), *sols)
    out.print(t)
    for name, sol in result.solutions.items():
        if not sol.agreement:
            out.print(f"{name}: {sol.note}")
    if links is not None:
        t = Table(
            title=f"linkage ({links.solution}, from the separate deals)", title_justify="left"
        )
        frame = links.to_frame()
        for col in frame.columns:
            t.add_column(str(col))
        for row in frame.itertuples(index=False):
            t.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
        out.print(t)
    for note in problem.notes:
        out.print(f"note: {note}")
