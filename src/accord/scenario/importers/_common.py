"""Helpers shared by the importers: number parsing with located errors, formatting, ids."""

from __future__ import annotations

import csv
import io
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from accord.errors import Problem, ScenarioError
from accord.scenario.io import read_file_text, write_text

__all__ = [
    "csv_rows",
    "fmt_num",
    "parse_count",
    "parse_num",
    "parse_xml",
    "read_text",
    "slug",
    "write_text",
]

_UNSAFE_XML = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_text(path: str | Path) -> str:
    """The file's text (UTF-8, a byte-order mark dropped, size bounded), or a located error."""
    return read_file_text(path, encoding="utf-8-sig")


def csv_rows(text: str, file: str, **options: Any) -> list[list[str]]:
    """Every row of a CSV text; a malformed row (a cell over the csv module's limit, a NUL
    byte) is a located error instead of a ``csv.Error``."""
    reader = csv.reader(io.StringIO(text), **options)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        raise ScenarioError.single(
            f"line {reader.line_num}", f"unreadable CSV: {message}", file=file
        ) from None
    return rows


def parse_count(text: str, where: str, problems: list[Problem]) -> int:
    """A whole number >= 0 from a cell (``2.5`` or ``-1`` is a problem, never truncated)."""
    value = parse_num(text, where, problems)
    if value != value:
        return 0
    if not value.is_integer() or value < 0:
        problems.append(Problem(where, "must be a whole number >= 0", text))
        return 0
    return int(value)


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
