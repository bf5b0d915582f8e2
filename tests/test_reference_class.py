"""The scenario's optional ``reference_class:`` block: validation and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.cli import app
from accord.scenario.io import dumps, loads
from accord.scenario.provenance import unsourced
from texts import MINIMAL, assert_refused

BLOCK = """reference_class:
  type: interstate
  incompatibility: territory
  intensity: war
  start: 2022-02-24
  source: [s1]
issues:
"""


def with_block(block: str = BLOCK) -> str:
    return MINIMAL.replace("issues:\n", block, 1)


def test_a_declared_class_loads_and_round_trips() -> None:
    sc = loads(with_block(), "x.yaml")
    assert sc.reference_class is not None
    assert sc.reference_class.type == "interstate"
    assert loads(dumps(sc), "y.yaml") == sc
    assert "reference_class" not in unsourced(sc)


@pytest.mark.parametrize(
    ("name", "edit", "message"),
    [
        (
            "start_after_as_of",
            ("start: 2022-02-24", "start: 2025-01-01"),
            "reference_class.start: after the scenario's as-of date 2024-08-25 (got '2025-01-01')",
        ),
        (
            "unknown_source",
            ("source: [s1]", "source: [s9]"),
            "reference_class.source: unknown source key (got 's9')",
        ),
    ],
)
def test_bad_blocks_are_refused(
    tmp_path: Path, name: str, edit: tuple[str, str], message: str
) -> None:
    assert_refused(tmp_path, with_block(BLOCK.replace(*edit)), name, message)


def test_an_unknown_type_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(with_block(BLOCK.replace("type: interstate", "type: civil")), encoding="utf-8")
    res = CliRunner().invoke(app, ["validate", str(path)])
    assert res.exit_code == 2
    assert "reference_class.type" in res.stderr and "civil" in res.stderr


def test_an_unsourced_block_is_listed_by_strict_validation() -> None:
    sc = loads(with_block(BLOCK.replace("  source: [s1]\n", "")), "x.yaml")
    assert "reference_class" in unsourced(sc)


@pytest.mark.parametrize("sid", ["ukraine-2023-03", "ukraine-2024-08"])
def test_the_flagships_declare_their_class(sid: str) -> None:
    sc = scenarios.load(sid)
    rc = sc.reference_class
    assert rc is not None and rc.has_provenance
    assert (rc.type, rc.incompatibility, rc.intensity) == ("interstate", "territory", "war")
    assert rc.start.isoformat() == "2022-02-24"


def test_show_lists_the_reference_class() -> None:
    res = CliRunner().invoke(app, ["show", "ukraine-2024-08"])
    assert res.exit_code == 0
    assert (
        "reference class: type interstate, incompatibility territory, intensity war, "
        "began 2022-02-24 [smo2022, annex2022 (judgement)]" in res.stdout
    )
