from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.report.save import new_figure, save_figure


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".html"])
def test_save_figure_formats(tmp_path: Path, suffix: str) -> None:
    fig = new_figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])
    out = save_figure(fig, tmp_path / f"f{suffix}", title="t")
    data = out.read_bytes()
    assert len(data) > 500
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    if suffix == ".html":
        assert b"<svg" in data and data.startswith(b"<!DOCTYPE html>")


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(AccordError, match="unknown plot format"):
        save_figure(new_figure(), tmp_path / "f.gif")
