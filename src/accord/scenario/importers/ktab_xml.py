"""KTAB Spatial Model of Politics XML files (KAPSARC, MIT licence), read only.

Format (``examples/smp/doc/smpExample.xml``, schema ``smpSchema.xsd``)::

    <Scenario>
      <name>..</name> <desc>..</desc> <prngSeed>..</prngSeed>
      <ModelParameters> <VictoryProbModel>Linear</VictoryProbModel> ... </ModelParameters>
      <Dimensions> <dName>..</dName> ... </Dimensions>
      <Actors>
        <Actor> <name/> <description/> <capability/>
                <Position> <dCoord/> ... </Position> <Salience> <dSal/> ... </Salience>
        </Actor> ...
      </Actors>
      <IdealAdjustment> <iaPair> <adjustingIdeal/> <referencePos/> <adjust/> </iaPair> ...
    </Scenario>

As with the CSV format, positions and saliences are on 0-100, saliences of one actor sum
to at most 100, and all dimensions form one policy space (``ktab``). The optional model
parameters are kept as scenario attributes (``ktab_<Parameter>``) and
:func:`smp_options` turns them into options of accord's ``smp`` model; the optional ideal
adjustments are kept as actor attributes ``ktab_ideal_adjust:<reference actor>``.

Both XML samples KTAB ships are defective: ``smpExample.xml`` has an empty ``<dCoord>``
for Alice (reported here as an error naming the file, the element path and the value)
and ``dummyData_3Dim.xml`` has no ``<IdealAdjustment>`` (which KTAB's reader requires;
here it is optional and the file loads).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.importers._common import parse_xml, read_text, slug
from accord.scenario.io import scenario_from_data
from accord.scenario.schema import Scenario

__all__ = ["PARAMETERS", "read", "smp_options"]

_SALIENCE_TOTAL_TOLERANCE = 1e-6

# KTAB enum names (smp.h, kmodel.h) -> accord smp option values
PARAMETERS: dict[str, tuple[str, dict[str, str]]] = {
    "VictoryProbModel": (
        "victory_prob",
        {
            "Linear": "linear",
            "Square": "square",
            "Quartic": "quartic",
            "Octic": "octic",
            "Binary": "binary",
        },
    ),
    "PCEModel": (
        "pce",
        {
            "ConditionalPCM": "conditional",
            "Conditional": "conditional",
            "MarkovIncentive": "markov_incentive",
            "MarkovIPCM": "markov_incentive",
            "MarkovUniform": "markov_uniform",
            "MarkovUPCM": "markov_uniform",
        },
    ),
    "StateTransitions": (
        "transitions",
        {
            "Deterministic": "deterministic",
            "DeterminsticSTM": "deterministic",
            "Stochastic": "stochastic",
            "StochasticSTM": "stochastic",
        },
    ),
    "VotingRule": (
        "voting_rule",
        {
            "Prop": "prop",
            "Proportional": "prop",
            "Binary": "binary",
            "PropBin": "prop_bin",
            "PropCbc": "prop_cbc",
            "Cubic": "cubic",
            "ASymProsp": "asym_prosp",
        },
    ),
    "BigRAdjust": (
        "big_r_adjust",
        {
            "FullRA": "full",
            "Full": "full",
            "TwoThirds": "two_thirds",
            "TwoThirdsRA": "two_thirds",
            "Half": "half",
            "HalfRA": "half",
            "OneThird": "one_third",
            "OneThirdRA": "one_third",
            "No": "none",
            "None": "none",
            "NoRA": "none",
        },
    ),
    "BigRRange": ("big_r_range", {"Min": "min", "Mid": "mid", "Max": "max"}),
    "ThirdPartyCommit": (
        "third_party_commit",
        {"NoCommit": "no_commit", "SemiCommit": "semi_commit", "FullCommit": "full_commit"},
    ),
    "InterVecBrgn": ("interpolation", {"S1P1": "s1p1", "S2P2": "s2p2", "S2PMax": "s2pmax"}),
    "BargnModel": (
        "bargain_model",
        {
            "InitOnlyInterp": "init_only",
            "InitRcvrInterp": "init_rcvr",
            "PWCompInterp": "power_weighted",
        },
    ),
}


def _text(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    return (el.text or "").strip()


def read(path: str | Path, notes: list[str] | None = None) -> Scenario:
    """Read a KTAB SMP XML file into a scenario (salience_scale 100)."""
    file = str(path)
    root = parse_xml(read_text(path), file)
    if root.tag != "Scenario":
        raise ScenarioError.single(
            root.tag, "the root element of a KTAB XML file is <Scenario>", root.tag, file=file
        )
    problems: list[Problem] = []

    def required(parent: ET.Element, tag: str, where: str) -> ET.Element | None:
        el = parent.find(tag)
        if el is None:
            problems.append(Problem(f"{where}/{tag}", "missing element"))
        return el

    def number(
        el: ET.Element | None, where: str, minimum: float | None = None, who: str = ""
    ) -> float:
        raw = _text(el)
        if raw is None:
            return math.nan
        try:
            value = float(raw)
        except ValueError:
            what = "empty" if raw == "" else "not a number"
            of = f" ({who})" if who else ""
            problems.append(Problem(where, f"{what}{of}; a number is needed", raw))
            return math.nan
        if not math.isfinite(value):
            problems.append(Problem(where, "must be a finite number", raw))
            return math.nan
        if minimum is not None and value < minimum:
            problems.append(Problem(where, f"must be at least {minimum:g}", raw))
        return value

    name = _text(required(root, "name", "Scenario")) or "ktab"
    desc = _text(root.find("desc")) or ""
    attributes: dict[str, Any] = {"source_format": "ktab-xml"}
    seed = _text(root.find("prngSeed"))
    if seed:
        attributes["ktab_prng_seed"] = seed
    params = root.find("ModelParameters")
    if params is not None:
        for child in params:
            value = _text(child) or ""
            known = PARAMETERS.get(child.tag)
            where = f"Scenario/ModelParameters/{child.tag}"
            if known is None:
                problems.append(Problem(where, "unknown KTAB model parameter", child.tag))
            elif value not in known[1]:
                problems.append(
                    Problem(where, f"use one of {', '.join(sorted(set(known[1])))}", value)
                )
            else:
                attributes[f"ktab_{child.tag}"] = value

    dims_el = root.find("Dimensions")  # optional in smpSchema.xsd
    if dims_el is not None:
        dim_names = [_text(d) or "" for d in dims_el.findall("dName")]
        if not dim_names:
            problems.append(Problem("Scenario/Dimensions", "needs at least one <dName>"))
    else:
        first = root.find("Actors/Actor/Position")
        count = len(first.findall("dCoord")) if first is not None else 0
        dim_names = [f"dim{k + 1}" for k in range(count)]
    for k, dn in enumerate(dim_names):
        if not dn:
            problems.append(Problem(f"Scenario/Dimensions/dName[{k + 1}]", "empty name", dn))
    ids = [slug(dn) if dn else f"dim{k + 1}" for k, dn in enumerate(dim_names)]
    if len(set(ids)) != len(ids):
        problems.append(Problem("Scenario/Dimensions", "dimension names must differ", dim_names))

    actors_el = required(root, "Actors", "Scenario")
    actors: list[dict[str, Any]] = []
    names: list[str] = []
    for a, actor in enumerate(actors_el.findall("Actor") if actors_el is not None else []):
        here = f"Scenario/Actors/Actor[{a + 1}]"
        aname = _text(required(actor, "name", here)) or ""
        if not aname:
            problems.append(Problem(f"{here}/name", "empty name", aname))
        names.append(aname)
        cap = number(required(actor, "capability", here), f"{here}/capability", 0.0)
        pos_el = required(actor, "Position", here)
        sal_el = required(actor, "Salience", here)
        coords = pos_el.findall("dCoord") if pos_el is not None else []
        sals = sal_el.findall("dSal") if sal_el is not None else []
        for tag, items, parent in (("dCoord", coords, pos_el), ("dSal", sals, sal_el)):
            if parent is not None and len(items) != len(dim_names):
                problems.append(
                    Problem(
                        f"{here}/{parent.tag}",
                        f"has {len(items)} <{tag}>; there are {len(dim_names)} dimensions",
                    )
                )
        positions: dict[str, dict[str, float]] = {}
        total = 0.0
        for k, iid in enumerate(ids):
            if k >= len(coords) or k >= len(sals):
                break
            who = f"{aname}'s position on {dim_names[k] or iid}"
            x = number(coords[k], f"{here}/Position/dCoord[{k + 1}]", who=who)
            who = f"{aname}'s salience on {dim_names[k] or iid}"
            s = number(sals[k], f"{here}/Salience/dSal[{k + 1}]", 0.0, who=who)
            positions[iid] = {"position": x, "salience": s}
            total += s if math.isfinite(s) else 0.0
        if total > 100 + _SALIENCE_TOTAL_TOLERANCE:
            problems.append(
                Problem(f"{here}/Salience", "KTAB saliences of one actor sum to at most 100", total)
            )
        actors.append(
            {
                "id": aname,
                "name": aname,
                "description": _text(actor.find("description")) or "",
                "capability": cap,
                "positions": positions,
                "attributes": {},
            }
        )

    adjust = root.find("IdealAdjustment")
    if adjust is None:
        if notes is not None:
            notes.append("no <IdealAdjustment>: ideals follow positions (KTAB's CSV behaviour)")
    else:
        for p, pair in enumerate(adjust.findall("iaPair")):
            here = f"Scenario/IdealAdjustment/iaPair[{p + 1}]"
            adjusting = _text(required(pair, "adjustingIdeal", here))
            ref = _text(required(pair, "referencePos", here))
            rate = number(required(pair, "adjust", here), f"{here}/adjust", 0.0)
            if math.isfinite(rate) and rate > 1:
                problems.append(Problem(f"{here}/adjust", "must be at most 1", rate))
            for tag, named in (("adjustingIdeal", adjusting), ("referencePos", ref)):
                if named is not None and named not in names:
                    problems.append(Problem(f"{here}/{tag}", "no actor of that name", named))
            if adjusting in names and ref in names and math.isfinite(rate):
                actors[names.index(adjusting)]["attributes"][f"ktab_ideal_adjust:{ref}"] = rate
        if notes is not None and adjust.findall("iaPair"):
            notes.append(
                "<IdealAdjustment> kept as actor attributes; accord's smp, like KTAB's CSV "
                "runs, lets ideals follow positions"
            )
    if problems:
        raise ScenarioError(problems, file=file)
    if notes is not None and params is not None:
        flags = " ".join(
            f"--set smp.{option}={value}" for option, value in _options_from(attributes).items()
        )
        notes.append(f"the file's model parameters, for accord run --model smp: {flags}")
    data = {
        "id": slug(name),
        "title": name,
        "description": desc,
        "salience_scale": 100,
        "issues": [{"id": iid, "name": dn} for iid, dn in zip(ids, dim_names, strict=True)],
        "actors": actors,
        "spaces": [{"id": "ktab", "name": name, "issues": ids}],
        "attributes": attributes,
    }
    return scenario_from_data(data, file=file)


def smp_options(scenario: Scenario) -> dict[str, str]:
    """Options for accord's ``smp`` model from the KTAB model parameters a file carried."""
    return _options_from(scenario.attributes)


def _options_from(attributes: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ktab_name, (option, values) in PARAMETERS.items():
        value = attributes.get(f"ktab_{ktab_name}")
        if isinstance(value, str) and value in values:
            out[option] = values[value]
    return out
