"""What the package-deal readers share: safe XML parsing (no DTDs, no entities) and file
reading from the scenario importers, and located errors from the computation layer."""

from __future__ import annotations

from accord.errors import AccordError, ModelError, Problem
from accord.scenario.importers._common import parse_xml, read_text

__all__ = ["parse_xml", "problem_at", "read_text"]


def problem_at(path: str, exc: AccordError) -> Problem:
    """A computation-layer error (an invalid issue, say) as a problem at a file path."""
    if isinstance(exc, ModelError):
        return Problem(path, exc.problem.message, exc.problem.value)
    return Problem(path, str(exc))
