"""GENIUS XML domains and utility profiles (GENIUS 10.4, the ANAC 2010-2019 format).

A *domain* file holds ``<utility_space>`` (optionally inside ``<negotiation_template>``)
with an ``<objective>`` whose ``<issue>`` children are

* discrete: ``<issue index name etype="discrete">`` with ``<item index value/>`` children;
* integer: ``etype="integer" lowerbound upperbound``;
* real: ``etype="real"`` with ``<range lowerbound upperbound/>``, read at a resolution of
  a tenth of the range unless ``real_resolution`` says otherwise.

A *profile* repeats the issues with their evaluations and gives ``<weight index value/>``
per issue, ``<reservation value/>`` and ``<discount_factor value/>``. Utility is
linear-additive with each discrete issue's evaluations divided by their maximum,
``U = Σ_i w_i · eval_i(v) / max eval_i`` (GENIUS ``EvaluatorDiscrete``); integer and real
issues have ``<evaluator ftype="linear">`` with ``slope``/``offset`` (or ``parameter1``/
``parameter0``): ``eval = offset + slope · x``. Non-linear profiles
(``<utility maxutility><ufun type="PlainUfun"><hyperRectangle utility>`` with
``<INCLUDES index min max/>``) become :class:`~accord.deals.utility.HyperRectangles`,
``U = Σ utility · 1[inside] / maxutility``. The discount factor is recorded in the notes,
not applied (time does not enter the package analysis).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.deals.actors import DealProblem
from accord.deals.io._xml import parse_xml, problem_at, read_text
from accord.deals.space import ContinuousIssue, DiscreteIssue, IntegerIssue, Issue, OutcomeSpace
from accord.deals.utility import (
    HyperRectangles,
    LinearAdditive,
    LinearValue,
    Rectangle,
    TableValue,
    Utility,
    ValueFunction,
)
from accord.errors import AccordError, Problem, ScenarioError

__all__ = ["read_domain", "read_genius", "read_profile", "write_genius"]


class _Ctx:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, value: Any = None, has_value: bool = True) -> None:
        if has_value:
            self.problems.append(Problem(path, message, value))
        else:
            self.problems.append(Problem(path, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise ScenarioError(self.problems, file=self.file)

    def number(self, el: ET.Element, attr: str, path: str, integer: bool = False) -> float:
        raw = el.get(attr)
        where = f"{path}@{attr}"
        if raw is None:
            self.add(where, "missing attribute", has_value=False)
            return math.nan
        try:
            x = float(raw)
        except ValueError:
            self.add(where, "must be a number", raw)
            return math.nan
        if not math.isfinite(x):
            self.add(where, "must be a finite number", raw)
            return math.nan
        if integer and x != int(x):
            self.add(where, "must be an integer", raw)
            return math.nan
        return x


def _space_root(root: ET.Element, ctx: _Ctx) -> tuple[ET.Element, str] | None:
    if root.tag == "utility_space":
        us, path = root, "utility_space"
    elif root.tag == "negotiation_template" and root.find("utility_space") is not None:
        us, path = root.find("utility_space"), "negotiation_template/utility_space"  # type: ignore[assignment]
    else:
        ctx.add(root.tag, "expected <utility_space> or <negotiation_template>", root.tag)
        return None
    obj = us.find("objective")
    return (obj, f"{path}/objective") if obj is not None else (us, path)


def _open(path: str | Path) -> tuple[_Ctx, ET.Element, ET.Element, str]:
    """The parsed file: problem collector, root, the element holding the issues, its path."""
    ctx = _Ctx(str(path))
    root = parse_xml(read_text(path), str(path))
    found = _space_root(root, ctx)
    ctx.raise_if_any()
    assert found is not None
    return ctx, root, found[0], found[1]


def _kind(el: ET.Element) -> str:
    for attr in ("etype", "type", "vtype"):
        v = el.get(attr)
        if v:
            return v
    return "discrete"


def read_domain(
    path: str | Path, *, real_resolution: float | None = None
) -> tuple[OutcomeSpace, dict[str, str]]:
    """The outcome space of a GENIUS domain file, and GENIUS issue index -> issue name."""
    file = str(path)
    ctx, _, obj, base = _open(path)
    issues: list[Issue] = []
    index: dict[str, str] = {}
    for k, el in enumerate(obj.findall("issue")):
        where = f"{base}/issue[{k + 1}]"
        name = el.get("name")
        if not name:
            ctx.add(f"{where}@name", "missing issue name", has_value=False)
            continue
        kind = _kind(el)
        if el.get("index") is not None:
            index[el.get("index", "")] = name
        try:
            if kind == "discrete":
                items = el.findall("item")
                values = [it.get("value") for it in items]
                for j, v in enumerate(values):
                    if v is None:
                        ctx.add(
                            f"{where}/item[{j + 1}]@value", "missing attribute", has_value=False
                        )
                if not items:
                    ctx.add(where, "a discrete issue needs <item> values", name)
                    continue
                if None in values:
                    continue
                issues.append(DiscreteIssue(name, tuple(str(v) for v in values)))
            elif kind == "integer":
                lo = ctx.number(el, "lowerbound", where, integer=True)
                hi = ctx.number(el, "upperbound", where, integer=True)
                if math.isfinite(lo) and math.isfinite(hi):
                    issues.append(IntegerIssue(name, int(lo), int(hi)))
            elif kind == "real":
                rng = el.find("range")
                src, rpath = (rng, f"{where}/range") if rng is not None else (el, where)
                lo = ctx.number(src, "lowerbound", rpath)
                hi = ctx.number(src, "upperbound", rpath)
                if math.isfinite(lo) and math.isfinite(hi):
                    res = real_resolution if real_resolution is not None else (hi - lo) / 10 or 1.0
                    issues.append(ContinuousIssue(name, lo, hi, res))
            else:
                ctx.add(f"{where}@etype", "unknown issue type (discrete, integer, real)", kind)
        except AccordError as exc:
            ctx.problems.append(problem_at(where, exc))
    if not issues and not ctx.problems:
        ctx.add(base, "the domain has no <issue>", has_value=False)
    ctx.raise_if_any()
    try:
        return OutcomeSpace(tuple(issues)), index
    except AccordError as exc:
        raise ScenarioError([problem_at(base, exc)], file=file) from None


def read_profile(
    path: str | Path, space: OutcomeSpace, index: dict[str, str], name: str | None = None
) -> tuple[Utility, list[str]]:
    """One party's utility from a GENIUS profile on ``space``; notes on what was read."""
    file = str(path)
    ctx, root, obj, base = _open(path)
    us = root if root.tag == "utility_space" else root.find("utility_space")
    assert us is not None
    party = name or Path(path).stem
    notes: list[str] = []
    reservation = 0.0
    res_el = us.find("reservation")
    if res_el is not None:
        reservation = ctx.number(res_el, "value", f"{base.rsplit('/', 1)[0]}/reservation")
    disc = us.find("discount_factor")
    if disc is not None:
        df = ctx.number(disc, "value", f"{base.rsplit('/', 1)[0]}/discount_factor")
        if math.isfinite(df) and df not in (0.0, 1.0):
            notes.append(f"{party}: discount factor {df:g} recorded, not applied")
    weights: dict[str, float] = {}
    for k, el in enumerate(obj.findall("weight")):
        where = f"{base}/weight[{k + 1}]"
        idx = el.get("index")
        if idx not in index:
            ctx.add(f"{where}@index", "no domain issue has this index", idx)
            continue
        w = ctx.number(el, "value", where)
        if math.isfinite(w) and w < 0:
            ctx.add(f"{where}@value", "a weight cannot be negative", el.get("value"))
        weights[index[idx]] = w
    values: dict[str, ValueFunction] = {}
    for k, el in enumerate(obj.findall("issue")):
        where = f"{base}/issue[{k + 1}]"
        iname = el.get("name") or index.get(el.get("index", ""), "")
        if iname not in space.names:
            ctx.add(f"{where}@name", "not an issue of the domain", iname)
            continue
        issue = space.issues[space.position(iname)]
        items = el.findall("item")
        evaluator = el.find("evaluator")
        if isinstance(issue, DiscreteIssue):
            table: dict[str, float] = {}
            for j, it in enumerate(items):
                ipath = f"{where}/item[{j + 1}]"
                v = it.get("value")
                if v is None or v not in issue.labels:
                    ctx.add(f"{ipath}@value", f"not a value of issue {iname!r}", v)
                    continue
                e = ctx.number(it, "evaluation", ipath)
                if math.isfinite(e) and e < 0:
                    ctx.add(
                        f"{ipath}@evaluation",
                        "an evaluation cannot be negative",
                        it.get("evaluation"),
                    )
                table[v] = e
            missing = [v for v in issue.labels if v not in table]
            if missing and not ctx.problems:
                ctx.add(where, "no evaluation for these values", missing)
                continue
            top = max(table.values(), default=0.0)
            if math.isfinite(top) and top <= 0 and not ctx.problems:
                ctx.add(where, "every evaluation is 0: nothing to normalise by", iname)
                continue
            if table and math.isfinite(top) and top > 0:
                values[iname] = TableValue({k2: v2 / top for k2, v2 in table.items()})
        else:
            if evaluator is None:
                continue  # an issue listed without evaluations (non-linear profiles)
            ftype = evaluator.get("ftype")
            epath = f"{where}/evaluator"
            if ftype != "linear":
                ctx.add(f"{epath}@ftype", "only linear evaluators are supported", ftype)
                continue
            s_attr = "slope" if evaluator.get("slope") is not None else "parameter1"
            o_attr = "offset" if evaluator.get("offset") is not None else "parameter0"
            slope = ctx.number(evaluator, s_attr, epath)
            offset = ctx.number(evaluator, o_attr, epath) if evaluator.get(o_attr) else 0.0
            values[iname] = LinearValue(slope, offset)
    rects: list[Rectangle] = []
    max_u: float | None = None
    for u_el in obj.findall("utility") + obj.findall("utility_function"):
        upath = f"{base}/{u_el.tag}"
        if u_el.get("maxutility") is not None:
            max_u = ctx.number(u_el, "maxutility", upath)
        for f, ufun in enumerate(u_el.findall("ufun")):
            fpath = f"{upath}/ufun[{f + 1}]"
            if (
                ufun.get("type", "PlainUfun") != "PlainUfun"
                or ufun.get("aggregation", "sum") != "sum"
            ):
                ctx.add(fpath, "only PlainUfun with sum aggregation is supported", ufun.get("type"))
                continue
            uw = float(ufun.get("weight", "1"))
            for r, rect in enumerate(ufun.findall("hyperRectangle")):
                rpath = f"{fpath}/hyperRectangle[{r + 1}]"
                attr = "utility" if rect.get("utility") is not None else "utility_function"
                util = ctx.number(rect, attr, rpath)
                bounds: dict[str, tuple[float, float]] = {}
                if rect.findall("EXCLUDES"):
                    ctx.add(rpath, "EXCLUDES bounds are not supported", has_value=False)
                for b, inc in enumerate(rect.findall("INCLUDES")):
                    bpath = f"{rpath}/INCLUDES[{b + 1}]"
                    idx = inc.get("index")
                    if idx not in index:
                        ctx.add(f"{bpath}@index", "no domain issue has this index", idx)
                        continue
                    bounds[index[idx]] = (
                        ctx.number(inc, "min", bpath),
                        ctx.number(inc, "max", bpath),
                    )
                rects.append(Rectangle(bounds, util * uw))
    ctx.raise_if_any()
    if rects and (weights or values):
        raise ScenarioError.single(
            base, "profiles mixing weights and hyper-rectangles are not supported", file=file
        )
    if rects:
        if max_u is None or max_u <= 0:
            max_u = sum(r.utility for r in rects if r.utility > 0) or 1.0
            notes.append(f"{party}: no positive maxutility; utilities divided by {max_u:g}")
        return HyperRectangles(party, tuple(rects), max_u, reservation), notes
    no_values = [n for n, w in weights.items() if w and n not in values]
    if no_values:
        raise ScenarioError.single(
            f"{base}/issue", "weighted issues without evaluations", no_values, file=file
        )
    unweighted = [n for n in values if n not in weights]
    if unweighted:
        raise ScenarioError.single(
            f"{base}/weight", "issues without a weight", unweighted, file=file
        )
    if not values:
        raise ScenarioError.single(base, "the profile has no issue evaluations", file=file)
    return LinearAdditive(party, weights, values, reservation), notes


def read_genius(
    domain: str | Path,
    profiles: Sequence[str | Path],
    *,
    names: Sequence[str] | None = None,
    real_resolution: float | None = None,
) -> DealProblem:
    """A domain and its profiles (one party each, named after the profile files)."""
    if not profiles:
        raise ScenarioError.single("", "needs at least one profile", file=str(domain))
    space, index = read_domain(domain, real_resolution=real_resolution)
    utilities = []
    notes: list[str] = []
    for k, p in enumerate(profiles):
        u, n = read_profile(p, space, index, None if names is None else names[k])
        utilities.append(u)
        notes += n
    party_names = [u.name for u in utilities]
    if len(set(party_names)) != len(party_names):
        raise ScenarioError.single(
            "", "two profiles have the same name", party_names, file=str(domain)
        )
    return DealProblem(space, tuple(utilities), Path(domain).stem, None, tuple(notes))


def profile_paths(folder: str | Path) -> tuple[Path, list[Path]]:
    """In a GENIUS folder: the domain file (the one without evaluations) and the profiles."""
    folder = Path(folder)
    files = sorted(p for p in folder.glob("*.xml"))
    domains: list[Path] = []
    profiles: list[Path] = []
    for p in files:
        text = read_text(p)
        (
            profiles
            if ("evaluation=" in text or "<weight" in text or "hyperRectangle" in text)
            else domains
        ).append(p)
    if len(domains) != 1:
        raise ScenarioError.single(
            "",
            f"a GENIUS folder needs exactly one domain file, found {len(domains)}",
            [d.name for d in domains],
            file=str(folder),
        )
    if not profiles:
        raise ScenarioError.single("", "no profile files", file=str(folder))
    return domains[0], profiles


def _fmt(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def write_genius(problem: DealProblem, folder: str | Path) -> list[Path]:
    """``<domain>.xml`` plus one ``<party>.xml`` per linear-additive or hyper-rectangle
    utility. Value functions on discrete issues are written as tables (evaluations scaled
    so the best value is 1, the weight carrying the scale); numeric issues need linear
    value functions."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    space = problem.space
    name = problem.source or "domain"
    dom = ET.Element("negotiation_template")
    us = ET.SubElement(dom, "utility_space", number_of_issues=str(len(space.issues)))
    obj = ET.SubElement(
        us, "objective", index="0", etype="objective", type="objective", description="", name=name
    )

    def issue_el(parent: ET.Element, k: int, issue: Issue) -> ET.Element:
        attrs = {"index": str(k + 1), "name": issue.name}
        kind = {"discrete": "discrete", "integer": "integer", "continuous": "real"}[issue.kind]
        attrs.update(etype=kind, type=kind, vtype=kind)
        if isinstance(issue, IntegerIssue):
            attrs.update(lowerbound=str(issue.low), upperbound=str(issue.high))
        el = ET.SubElement(parent, "issue", attrs)
        if isinstance(issue, ContinuousIssue):
            ET.SubElement(el, "range", lowerbound=_fmt(issue.low), upperbound=_fmt(issue.high))
        return el

    for k, issue in enumerate(space.issues):
        el = issue_el(obj, k, issue)
        if isinstance(issue, DiscreteIssue):
            for j, v in enumerate(issue.labels):
                ET.SubElement(el, "item", index=str(j + 1), value=str(v))
    paths = [folder / f"{name}.xml"]
    _write(dom, paths[0])
    for u in problem.utilities:
        root = ET.Element(
            "utility_space", type="linear" if isinstance(u, LinearAdditive) else "nonlinear"
        )
        pobj = ET.SubElement(
            root,
            "objective",
            index="0",
            etype="objective",
            type="objective",
            description="",
            name=name,
        )
        if isinstance(u, LinearAdditive):
            if u.constant:
                raise AccordError(f"{u.name}: GENIUS profiles have no constant term")
            for k, issue in enumerate(space.issues):
                fn = u.values.get(issue.name)
                w = float(u.weights.get(issue.name, 0.0))
                el = issue_el(pobj, k, issue)
                if isinstance(issue, DiscreteIssue):
                    col = (
                        fn.column(issue.values, issue.numeric(), issue.name)
                        if fn is not None
                        else [1.0] * issue.size
                    )
                    top = max(col)
                    if top <= 0 or min(col) < 0:
                        raise AccordError(
                            f"{u.name}.{issue.name}: GENIUS needs non-negative evaluations"
                            " with a positive best"
                        )
                    for j, v in enumerate(issue.labels):
                        ET.SubElement(
                            el,
                            "item",
                            index=str(j + 1),
                            value=str(v),
                            evaluation=repr(float(col[j] / top)),
                        )
                    w *= top
                else:
                    if not isinstance(fn, LinearValue) and fn is not None:
                        raise AccordError(
                            f"{u.name}.{issue.name}: GENIUS numeric issues take linear"
                            " value functions only"
                        )
                    lv = fn if isinstance(fn, LinearValue) else LinearValue(0.0, 0.0)
                    ET.SubElement(
                        el,
                        "evaluator",
                        ftype="linear",
                        slope=repr(float(lv.slope)),
                        offset=repr(float(lv.intercept)),
                    )
                ET.SubElement(pobj, "weight", index=str(k + 1), value=repr(float(w)))
        elif isinstance(u, HyperRectangles):
            for k, issue in enumerate(space.issues):
                issue_el(pobj, k, issue)
            ue = ET.SubElement(pobj, "utility", maxutility=repr(float(u.max_utility)))
            uf = ET.SubElement(ue, "ufun", type="PlainUfun", weight="1", aggregation="sum")
            for r in u.rectangles:
                hr = ET.SubElement(uf, "hyperRectangle", utility=repr(float(r.utility)))
                for iname, (lo, hi) in r.bounds.items():
                    ET.SubElement(
                        hr,
                        "INCLUDES",
                        index=str(space.position(iname) + 1),
                        min=_fmt(lo),
                        max=_fmt(hi),
                    )
        else:
            raise AccordError(
                f"{u.name}: only linear-additive and hyper-rectangle utilities export to GENIUS"
            )
        ET.SubElement(root, "discount_factor", value="1.0")
        ET.SubElement(root, "reservation", value=repr(float(u.reservation)))
        p = folder / f"{u.name}.xml"
        _write(root, p)
        paths.append(p)
    return paths


def _write(root: ET.Element, path: Path) -> None:
    ET.indent(root)
    path.write_text(
        ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n", encoding="utf-8"
    )
