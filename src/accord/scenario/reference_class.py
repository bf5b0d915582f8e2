"""The ``reference_class:`` block of a scenario: which past wars this one is like.

Optional. It declares the war's reference class in UCDP's terms and the date the war (the
current episode) began, so that :func:`accord.analysis.baserate.base_rate_for` can give the
base rate of such wars ending, as known on the scenario's as-of date, beside any
forecast::

    reference_class:
      type: interstate            # extrasystemic | interstate | intrastate | internationalised
      incompatibility: territory  # territory | government | both (territory and government)
      intensity: war              # minor (25-999 battle deaths a year) | war (1,000 or more)
      region: Europe              # optional: Europe | Middle East | Asia | Africa | Americas
      start: 2022-02-24
      source: [smo2022]
      judgement: true
      note: "..."

Every field but ``start`` may be left out (any value counts). Like a number, the block
carries source keys, a judgement mark and a note; :func:`reference_class_problems` checks
the keys and that the war began on or before the as-of date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from accord.errors import Problem, format_path
from accord.scenario.schema import SourceKeys, _Frozen

if TYPE_CHECKING:
    from accord.scenario.schema import Scenario

__all__ = ["ReferenceClassSpec", "reference_class_problems", "reference_class_unsourced"]


class ReferenceClassSpec(_Frozen):
    """A scenario's reference class: the kind of war, in UCDP's categories, and its start."""

    type: Literal["extrasystemic", "interstate", "intrastate", "internationalised"] | None = None
    incompatibility: Literal["territory", "government", "both"] | None = None
    intensity: Literal["minor", "war"] | None = Field(
        default=None, description="Intensity in the war's first year."
    )
    region: Literal["Europe", "Middle East", "Asia", "Africa", "Americas"] | None = None
    start: dt.date = Field(description="The day the war (its current episode) began.")
    source: SourceKeys = ()
    judgement: bool = False
    note: str | None = None

    @property
    def has_provenance(self) -> bool:
        return bool(self.source) or self.judgement


def reference_class_problems(sc: Scenario) -> list[Problem]:
    """Unknown source keys, and a start after the as-of date."""
    rc = sc.reference_class
    if rc is None:
        return []
    out = [
        Problem(format_path(("reference_class", "source")), "unknown source key", key)
        for key in rc.source
        if key not in sc.sources
    ]
    if sc.as_of is not None and rc.start > sc.as_of:
        out.append(
            Problem(
                format_path(("reference_class", "start")),
                f"after the scenario's as-of date {sc.as_of.isoformat()}",
                rc.start.isoformat(),
            )
        )
    return out


def reference_class_unsourced(sc: Scenario) -> list[str]:
    """``["reference_class"]`` if the block has neither a source nor a judgement mark."""
    rc = sc.reference_class
    return ["reference_class"] if rc is not None and not rc.has_provenance else []
