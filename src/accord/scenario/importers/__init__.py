"""Importers and exporters for the file formats of other bargaining tools.

=========  ==============================================  =========================
format     files                                           scenarios per file
=========  ==============================================  =========================
``ktab``   KTAB SMP CSV (and XML, read only)               one, all dimensions one space
``ktab-xml`` KTAB SMP XML (read only; ``ktab`` on a .xml)  one, all dimensions one space
``decide`` decide-exchange-model ``#A/#P/#M/#D`` rows      one
``bdm``    actor, capability, position, salience CSV       one, one issue
``deu``    DEU III wide CSV                                one per EU issue
=========  ==============================================  =========================
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.errors import ScenarioError
from accord.scenario.importers import bdm, decide, deu, ktab, ktab_xml
from accord.scenario.schema import Scenario

__all__ = ["FORMATS", "ONE_ISSUE", "bdm", "decide", "deu", "export", "ktab", "ktab_xml", "read"]

FORMATS = ("ktab", "decide", "bdm", "deu", "ktab-xml")


def read(fmt: str, path: str | Path, **options: Any) -> list[Scenario]:
    """Read a file of the given format into a list of scenarios."""
    if fmt == "ktab-xml" or (fmt == "ktab" and Path(path).suffix.lower() == ".xml"):
        return [ktab_xml.read(path, **options)]
    if fmt == "ktab":
        return [ktab.read(path)]
    if fmt == "decide":
        return [decide.read(path)]
    if fmt == "bdm":
        return [bdm.read(path, **options)]
    if fmt == "deu":
        return deu.read(path, **options)
    raise ScenarioError.single("--from", f"unknown format; use one of {', '.join(FORMATS)}", fmt)


#: The formats whose file (bdm) or row (deu) holds one issue.
ONE_ISSUE = ("bdm", "deu")


def _on_issues(scenarios: list[Scenario], issues: list[str], fmt: str) -> list[Scenario]:
    """Each scenario on the chosen issues (``--issue``); one issue where the format holds one."""
    if issues:
        out = []
        for sc in scenarios:
            unknown = [i for i in issues if i not in sc.issue_ids]
            if unknown:
                raise ScenarioError.single(
                    "--issue", f"no such issue in {sc.id} ({', '.join(sc.issue_ids)})", unknown[0]
                )
            out.append(sc.restrict(issues))
        scenarios = out
    if fmt in ONE_ISSUE:
        for sc in scenarios:
            if len(sc.issues) != 1:
                raise ScenarioError.single(
                    "--issue",
                    f"the {fmt} format holds one issue; {sc.id} has {len(sc.issues)}: choose one "
                    f"with --issue ({', '.join(sc.issue_ids)})",
                )
    return scenarios


def export(
    fmt: str,
    scenarios: list[Scenario],
    path: str | Path,
    notes: list[str] | None = None,
    issues: list[str] | None = None,
) -> None:
    """Write scenarios in the given format (what had to be adapted is appended to ``notes``).

    ``issues`` restricts every scenario to those issues first (:meth:`Scenario.restrict`);
    the bdm and deu formats need exactly one issue per scenario.
    """
    if fmt in FORMATS:
        scenarios = _on_issues(scenarios, list(issues or []), fmt)
    if fmt == "deu":
        deu.write(scenarios, path)
        return
    if fmt == "ktab-xml":
        raise ScenarioError.single("--to", "KTAB XML is read only; --to ktab writes KTAB CSV", fmt)
    if len(scenarios) != 1:
        raise ScenarioError.single("", f"the {fmt} format holds one scenario", len(scenarios))
    if fmt == "ktab":
        ktab.write(scenarios[0], path, notes=notes)
        return
    writer = {"decide": decide.write, "bdm": bdm.write}.get(fmt)
    if writer is None:
        raise ScenarioError.single("--to", f"unknown format; use one of {', '.join(FORMATS)}", fmt)
    writer(scenarios[0], path)
