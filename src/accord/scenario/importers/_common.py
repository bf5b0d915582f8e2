"""Helpers shared by the importers: number parsing with located errors, formatting, ids."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from accord.errors import Problem, ScenarioError

__all__ = ["fmt_num", "parse_num", "parse_xml", "read_text", "slug"]

_UNSAFE_XML = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_text(path: str | Path) -> str:
    """The file's text (UTF-8, a byte-order mark dropped), or a located error."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError.single("", "no such file", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError.single("", f"cannot read the file: {exc}", file=str(p)) from None


def parse_xml(text: str, file: str) -> ET.Element:
    """The root element; refuses document type declarations and entity definitions
    (which could expand without bound or read other files) and malformed XML."""
    m = _UNSAFE_XML.search(text)
    if m:
        raise ScenarioError.single(
            "", "DTDs and entity declarations are refused", m.group(0), file=file
        )
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ScenarioError.single("", f"not well-formed XML: {exc}", file=file) from None


def parse_num(text: str, where: str, problems: list[Problem]) -> float:
    """A finite float from a cell, or NaN with a problem recorded at ``where``."""
    try:
        value = float(text.strip())
    except ValueError:
        problems.append(Problem(where, "must be a number", text))
        return math.nan
    if not math.isfinite(value):
        problems.append(Problem(where, "must be a finite number", text))
        return math.nan
    return value


def fmt_num(value: float) -> str:
    """Shortest text that reads back as the same float; integers without '.0'."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def slug(text: str) -> str:
    """A file-name-safe id from free text."""
    out = re.sub(r"[^A-Za-z0-9]+", "-", text.strip()).strip("-").lower()
    return out or "scenario"
