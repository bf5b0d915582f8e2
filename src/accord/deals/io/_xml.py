"""Safe XML parsing for the importers: no DTDs, no entities."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from accord.errors import AccordError, ModelError, Problem, ScenarioError

__all__ = ["parse_xml", "problem_at", "read_text"]


def problem_at(path: str, exc: AccordError) -> Problem:
    """A computation-layer error (an invalid issue, say) as a problem at a file path."""
    if isinstance(exc, ModelError):
        return Problem(path, exc.problem.message, exc.problem.value)
    return Problem(path, str(exc))


_UNSAFE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=str(p)) from None
    except IsADirectoryError:
        raise ScenarioError.single("", "is a folder, not a file", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError.single("", f"cannot read the file: {exc}", file=str(p)) from None


def parse_xml(text: str, file: str) -> ET.Element:
    """The root element; refuses document type declarations and entity definitions
    (which could expand without bound or read other files) and malformed XML."""
    m = _UNSAFE.search(text)
    if m:
        raise ScenarioError.single(
            "", "DTDs and entity declarations are refused", m.group(0), file=file
        )
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ScenarioError.single("", f"not well-formed XML: {exc}", file=file) from None
