"""Council-pivot model: the Council's median voter, as far as the pivots let it go.

Without an agenda setter, a Council deciding by a quota :math:`\\theta` (QMV: 255 of 345
Nice votes and a majority of members; unanimity) under an open amendment rule ends where
its weighted median voter :math:`m` wants, unless the pivotal members block the move
from the reference point :math:`q`. In one dimension (Krehbiel 1998, ch. 2, "pivotal
politics"; Tsebelis 2002 for veto players; Steunenberg & Selck 2006 for the Council):

.. math:: x^* = \\operatorname{proj}_{A}(m), \\qquad
          A = W_\\theta(q) \\cap \\bigcap_{\\text{veto } v} V_v ,

the point of the acceptable set nearest the median. With :math:`q` left of the
gridlock interval :math:`[u, l]` (the pivots), :math:`W_\\theta(q) = [q, 2u - q]`, so
:math:`x^* = m` if :math:`m \\le 2u - q`, :math:`x^* = 2u - q` otherwise, and
:math:`x^* = q` for :math:`q \\in [u, l]` (Krehbiel's gridlock); symmetrically on the
right. :math:`A` is :func:`accord.models.rules.acceptable_set` (veto players, red
lines). The median weighs each voter by its votes (the rule's ``votes``; default:
capability), not by salience.

References
----------
* Krehbiel, K. (1998). *Pivotal Politics: A Theory of U.S. Lawmaking*. U. Chicago Press.
* Tsebelis, G. (2002). *Veto Players*. Princeton UP.
* Steunenberg, B. & Selck, T. J. (2006). Testing procedural models of EU legislative
  decision-making. In Thomson, Stokman, Achen & König (eds.), *The European Union
  Decides*, CUP, 54-85.
"""

from __future__ import annotations

from accord.models.base import Options
from accord.models.procedural import Council, ProceduralModel, project
from accord.models.rules import Acceptable
from accord.scenario.schema import Scenario

__all__ = ["CouncilPivot", "CouncilPivotOptions"]


class CouncilPivotOptions(Options):
    pass


class CouncilPivot(ProceduralModel):
    name = "council_pivot"
    summary = "Council-pivot model: the weighted median voter, bounded by the quota pivots"
    references = ("Krehbiel 1998", "Tsebelis 2002", "Steunenberg & Selck 2006")
    options_type = CouncilPivotOptions
    options: CouncilPivotOptions

    def outcome(
        self, scenario: Scenario, k: int, acc: Acceptable, voters: Council
    ) -> tuple[float, str]:
        m = voters.median
        if acc.empty:
            return m, ""
        x = project(m, acc.lo, acc.hi)
        note = "" if x == m else f"median voter {m:g} beyond the pivots: bound to {x:g}"
        return x, note
