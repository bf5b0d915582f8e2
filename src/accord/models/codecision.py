"""Co-decision (conciliation) model: Parliament and Council pivot split the difference.

Under co-decision the Parliament is a co-legislator: nothing passes that it does not
prefer to the reference point :math:`q`, and the final text is bargained in conciliation
between the Parliament and the Council's pivotal member, with the Commission's agenda
power gone (Tsebelis & Garrett 2000; Crombez 2001; Steunenberg & Selck 2006). In one
dimension:

.. math:: x^* = \\operatorname{proj}_{A \\cap V_{EP}}\\big(\\beta x_{EP} + (1-\\beta) p\\big),
          \\qquad p = \\operatorname{proj}_{[u, l]}(x_{EP}),

with :math:`[u, l]` the Council's quota core (the pivots), :math:`p` the Council pivot
nearest the Parliament, :math:`\\beta` the Parliament's bargaining weight (``weight``,
default 1/2: an even split, the symmetric Nash bargain of two players with quadratic
loss and a remote disagreement point), :math:`A` the rule's acceptable set and
:math:`V_{EP}` the Parliament's winset of :math:`q` (derived here as the combination of
the cited models). Without a Parliament position on an issue the model is the
Council-pivot model there.

References
----------
* Tsebelis, G. & Garrett, G. (2000). Legislative politics in the European Union.
  *European Union Politics* 1(1):9-36.
* Crombez, C. (2001). The co-decision procedure in the European Union. *Legislative
  Studies Quarterly* 26(1):101-127.
* Steunenberg, B. & Selck, T. J. (2006). Testing procedural models of EU legislative
  decision-making. In Thomson et al. (eds.), *The European Union Decides*, CUP, 54-85.
"""

from __future__ import annotations

from pydantic import Field

from accord.models.base import Options
from accord.models.procedural import Council, ProceduralModel, project
from accord.models.rules import Acceptable
from accord.scenario.schema import Scenario

__all__ = ["Codecision", "CodecisionOptions"]


class CodecisionOptions(Options):
    parliament: str = "ep"
    weight: float = Field(0.5, ge=0, le=1, description="the Parliament's bargaining weight")


class Codecision(ProceduralModel):
    name = "codecision"
    summary = "co-decision: conciliation between the Parliament and the Council pivot"
    references = ("Tsebelis & Garrett 2000", "Crombez 2001", "Steunenberg & Selck 2006")
    options_type = CodecisionOptions
    options: CodecisionOptions
    needs = ("parliament",)

    def outcome(
        self, scenario: Scenario, k: int, acc: Acceptable, voters: Council
    ) -> tuple[float, str]:
        ep = self.options.parliament
        stance = (
            scenario.actor(ep).positions.get(scenario.issue_ids[k])
            if ep in scenario.actor_ids
            else None
        )
        lo, hi = acc.lo, acc.hi
        if stance is None:
            target = voters.median
            note = f"no Parliament ({ep!r}) position: the Council pivot model"
        else:
            x_ep = stance.position
            if acc.reference is not None:
                reach = abs(acc.reference - x_ep)
                lo, hi = max(lo, x_ep - reach), min(hi, x_ep + reach)
            pivot = project(x_ep, *voters.core())
            target = self.options.weight * x_ep + (1 - self.options.weight) * pivot
            note = ""
        if acc.empty:
            return target, note
        if lo > hi:
            return acc.reference if acc.reference is not None else target, (
                "the Parliament and the Council accept nothing in common: the status quo stands"
            )
        return project(target, lo, hi), note
