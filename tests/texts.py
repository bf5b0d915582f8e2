"""What the bad-input tests share.

``MINIMAL`` is the smallest valid file, one edit away from each malformed case;
``assert_refused`` checks the one-line error and exit code 2.
"""

from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app

MINIMAL = """\
id: t
title: T
as_of: 2024-08-25
salience_scale: 100
sources:
  s1: {citation: c, date: 2024-06-14}
issues:
  - id: T
    name: Territory
    status_quo: 20
actors:
  - id: RUS
    name: Russia
    capability: 85
    positions:
      T: {position: 0, salience: 100, source: s1}
  - id: UKR
    name: Ukraine
    capability: 50
    positions:
      T: {position: 95, salience: 95}
"""


def assert_refused(tmp_path: Path, text: str, name: str, message: str) -> None:
    """``accord validate`` on ``text`` exits 2 with exactly ``message`` and no traceback
    (several problems: one line of ``message`` each)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    expected = "\n".join(f"error: {path}: {line}" for line in message.split("\n"))
    assert result.stderr.strip() == expected
    assert "Traceback" not in result.output + result.stderr
    assert result.stdout == ""
