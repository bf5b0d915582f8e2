"""Agenda-setter model: the Commission proposes what the pivotal coalition prefers.

The setter (the Commission in the EU's consultation procedure) makes a take-it-or-
leave-it proposal; the Council adopts it if the quota prefers it to the reference point
:math:`q`, and can change it only unanimously. The setter therefore proposes the point
it likes best among those the pivotal coalition accepts and that no unanimous Council
would amend (Romer & Rosenthal 1978; Tsebelis 1994; Crombez 1996):

.. math:: x^* = \\operatorname{proj}_{A \\cap U}(x_S), \\qquad U = [\\min_i x_i, \\max_i x_i],

with :math:`x_S` the setter's ideal point, :math:`A` the rule's acceptable set
(:func:`accord.models.rules.acceptable_set`: the quota's winset of :math:`q`, veto
players, red lines) and :math:`U` the Council's unanimity core (its members' Pareto
set). Under unanimity :math:`A \\subseteq U` already. Where :math:`A \\cap U` is empty,
:math:`A` alone binds. The setter is also a gatekeeper: where it prefers the reference
point to :math:`x^*` it proposes nothing and :math:`q` stands (Crombez 1996). One
dimension, symmetric single-peaked preferences.

The setter is the actor ``setter`` (default ``"com"``, DEU's Commission); a scenario
without it cannot run this model (``accord run`` skips it and says so).

References
----------
* Romer, T. & Rosenthal, H. (1978). Political resource allocation, controlled agendas,
  and the status quo. *Public Choice* 33(4):27-43.
* Tsebelis, G. (1994). The power of the European Parliament as a conditional agenda
  setter. *APSR* 88(1):128-142.
* Crombez, C. (1996). Legislative procedures in the European Community. *British
  Journal of Political Science* 26(2):199-228.
"""

from __future__ import annotations

import math

from accord.models.base import Options
from accord.models.procedural import Council, ProceduralModel, project
from accord.models.rules import Acceptable
from accord.scenario.schema import Scenario

__all__ = ["AgendaSetter", "AgendaSetterOptions"]


class AgendaSetterOptions(Options):
    setter: str = "com"


class AgendaSetter(ProceduralModel):
    name = "agenda_setter"
    summary = "agenda setter (Commission) proposes the best point the pivotal coalition accepts"
    references = ("Romer & Rosenthal 1978", "Tsebelis 1994", "Crombez 1996")
    options_type = AgendaSetterOptions
    options: AgendaSetterOptions
    needs = ("setter",)

    def outcome(
        self, scenario: Scenario, k: int, acc: Acceptable, voters: Council
    ) -> tuple[float, str]:
        setter = self.options.setter
        stance = (
            scenario.actor(setter).positions.get(scenario.issue_ids[k])
            if setter in scenario.actor_ids
            else None
        )
        if stance is None:
            return math.nan, f"the agenda setter {setter!r} has no position on this issue"
        if acc.empty:
            return stance.position, ""
        u_lo, u_hi = voters.hull()
        lo, hi = max(acc.lo, u_lo), min(acc.hi, u_hi)
        if lo > hi:
            lo, hi = acc.lo, acc.hi
        x_s = stance.position
        proposal = project(x_s, lo, hi)
        q = acc.reference
        if q is not None and abs(x_s - q) < abs(x_s - proposal) and acc.contains(q):
            return q, "the setter prefers the status quo to any proposal that passes: none made"
        return proposal, ""
