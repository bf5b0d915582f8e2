"""DEU III: 364 contested EU legislative issues, 353 with the outcome actually adopted.

Each issue is one :class:`~accord.scenario.schema.Scenario` with one issue (id ``x``) whose
``outcome`` is the adopted outcome and whose ``status_quo`` is the reference point where
the data set has one. Issue metadata (procedure ``proc`` COD/CNS, Council voting rule
``counvte`` QMV/Unan, proposal ``prnr``, ...) sits in the issue's ``attributes``.

Capability (see :mod:`accord.scenario.importers.deu`): ``"nice"`` Council votes under the
Treaty of Nice with Commission and Parliament at 29, the largest member-state weight (the
convention of the DEU compromise-model studies; documented choice), ``"gdp"`` the GDP
weights of the file's second line (kept as an optional capability, not as an issue), or
``"equal"``.

Source: Arregui & Perarnaud (2021), doi:10.1080/13501763.2021.1991983, data
doi:10.34810/data53; see ``data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from accord.scenario.importers import deu as deu_format
from accord.scenario.importers.deu import Capability
from accord.scenario.schema import Scenario

__all__ = ["CAPABILITIES", "CITATION", "PATH", "Case", "cases", "load"]

PATH = Path(str(resources.files("accord.datasets") / "data" / "deu3.csv"))
CAPABILITIES: tuple[Capability, ...] = ("nice", "gdp", "equal")
CITATION = (
    "Arregui, J. & Perarnaud, C. (2021). A new dataset on legislative decision-making in the "
    "European Union: the DEU III dataset. Journal of European Public Policy. "
    "doi:10.1080/13501763.2021.1991983; data doi:10.34810/data53"
)


@cache
def load(capability: Capability = "nice") -> tuple[Scenario, ...]:
    """Every DEU III issue as a scenario (364), in file order."""
    return tuple(deu_format.read(PATH, capability=capability))


@dataclass(frozen=True)
class Case:
    """One issue with an outcome, under every capability set."""

    id: str
    proposal: str
    procedure: str
    rule: str
    outcome: float
    reference: float | None
    scenarios: dict[str, Scenario]

    def scenario(self, capability: str = "nice") -> Scenario:
        return self.scenarios[capability]


def _rule(counvte: str) -> str:
    return "unanimity" if counvte.startswith("Unan") else "QMV"


@cache
def cases() -> tuple[Case, ...]:
    """The 353 issues with an outcome, each with its scenario under every capability set."""
    variants = {cap: load(cap) for cap in CAPABILITIES}
    out = []
    for k, sc in enumerate(variants["nice"]):
        issue = sc.issues[0]
        if issue.outcome is None:
            continue
        attrs = issue.attributes
        out.append(
            Case(
                id=sc.id,
                proposal=str(attrs.get("prnr", sc.id)),
                procedure=str(attrs.get("proc", "")),
                rule=_rule(str(attrs.get("counvte", ""))),
                outcome=issue.outcome.value,
                reference=issue.status_quo.value if issue.status_quo is not None else None,
                scenarios={cap: variants[cap][k] for cap in CAPABILITIES},
            )
        )
    return tuple(out)
