"""Bundled scenarios: complete provenance, no information after the as-of date."""

from __future__ import annotations

import pytest

from accord import scenarios
from accord.scenario.provenance import unsourced

IDS = scenarios.ids()


def test_catalogue() -> None:
    from accord.scenario.series import load_series

    series = {sc.id for sc in load_series("russia-ukraine").scenarios}  # tests/test_timeline.py
    assert {"ukraine-2023-03", "ukraine-2024-08"} <= series
    assert set(IDS) == {"ec-emissions-1994", "iran-2013"} | series
    assert scenarios.DEFAULT == "ukraine-2024-08"


@pytest.mark.parametrize("sid", IDS)
def test_every_number_has_a_source_or_a_judgement_mark(sid: str) -> None:
    assert unsourced(scenarios.load(sid)) == []


@pytest.mark.parametrize("sid", IDS)
def test_no_source_after_the_as_of_date_without_a_reason(sid: str) -> None:
    sc = scenarios.load(sid)
    for key, src in sc.sources.items():
        if sc.as_of and src.date and src.date > sc.as_of:
            assert src.proxy, key


@pytest.mark.parametrize("sid", ["ukraine-2023-03", "ukraine-2024-08"])
def test_flagships_match_the_design_tables(sid: str) -> None:
    sc = scenarios.load(sid)
    assert len(sc.actors) == 8
    assert sc.actor_ids == ("RUS", "UKR", "USA", "EU", "CHN", "IND", "BRA", "TUR")
    assert sc.issue_ids[:6] == ("T", "N", "G", "S", "A", "C")
    assert len(sc.issues) == (7 if sid.endswith("08") else 6)
    t = sc.issue("T")
    assert t.quantity is not None and t.quantity.at_min == 135787
    assert t.status_quo is not None
    held = 103000 if sid.endswith("03") else 108070
    assert t.to_quantity(t.status_quo.value) == pytest.approx(held, rel=1e-3)
    # on territory only coercive power counts
    for actor in ("CHN", "IND", "BRA"):
        assert sc.actor(actor).issue_capability["T"].value == 0
    a = sc.arrays()
    assert a.present.all()


def test_kursk_cells_of_august_2024() -> None:
    sc = scenarios.load("ukraine-2024-08")
    k = {a.id: (a.positions["K"].position, a.positions["K"].salience) for a in sc.actors}
    assert k == {
        "RUS": (0, 90), "UKR": (100, 70), "USA": (50, 30), "EU": (50, 25), "CHN": (15, 30),
        "IND": (30, 15), "BRA": (15, 15), "TUR": (50, 20),
    }  # fmt: skip
