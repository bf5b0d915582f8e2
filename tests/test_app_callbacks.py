"""The dashboard's callbacks as plain functions (no browser, no server)."""

from __future__ import annotations

import base64
import json

import pytest

from accord import scenarios
from accord.analysis.levers import settle_with
from accord.app import callbacks as cb
from accord.errors import ScenarioError
from accord.scenario.io import dumps, loads


def _url(text: str) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(text.encode()).decode()


@pytest.fixture(scope="module")
def flagship() -> str:
    return cb.bundled(scenarios.DEFAULT)


def test_bundled_round_trips(flagship: str) -> None:
    assert loads(flagship, "json") == scenarios.load(scenarios.DEFAULT)


def test_upload_valid_yaml_equals_the_file() -> None:
    sc = scenarios.load("iran-2013")
    got = cb.upload(_url(dumps(sc, "yaml")), "iran.yaml")
    assert loads(got, "json") == sc


def test_upload_malformed_names_file_path_and_value() -> None:
    data = json.loads(dumps(scenarios.load("iran-2013"), "json"))
    data["actors"][1]["positions"][next(iter(data["actors"][1]["positions"]))]["salience"] = -5
    with pytest.raises(ScenarioError) as exc:
        cb.upload(_url(json.dumps(data)), "bad.json")
    text = str(exc.value)
    assert "bad.json" in text
    assert "actors[1].positions." in text
    assert "salience" in text
    assert "-5" in text


def test_upload_refuses_python_tags_and_oversize() -> None:
    evil = "!!python/object/apply:os.system ['echo hi']\n"
    with pytest.raises(ScenarioError):
        cb.upload(_url(evil), "evil.yaml")
    big = "x" * 5000
    with pytest.raises(ScenarioError, match="refused"):
        cb.upload(_url(big), "big.yaml", limit=1000)
    with pytest.raises(ScenarioError, match="unknown file type"):
        cb.upload(_url("{}"), "s.pickle")


def test_table_edit_is_validated_like_a_file(flagship: str) -> None:
    rows = cb.table_rows(flagship)
    assert {r["actor"] for r in rows} >= {"UKR", "RUS"}
    edited = [dict(r) for r in rows]
    edited[0]["salience"] = 40
    new = loads(cb.apply_rows(flagship, edited), "json")
    first = rows[0]
    assert new.actor(first["actor"]).positions[first["issue"]].salience == 40
    edited[0]["salience"] = -1
    with pytest.raises(ScenarioError) as exc:
        cb.apply_rows(flagship, edited)
    assert f"positions.{first['issue']}.salience" in str(exc.value)
    edited[0]["salience"] = "lots"
    with pytest.raises(ScenarioError, match="lots"):
        cb.apply_rows(flagship, edited)


def test_levers_of_the_flagship(flagship: str) -> None:
    keys = {lv.key for lv in cb.lever_list(flagship)}
    assert {"area.KURSK", "h.KURSK", "psi_B", "tripwire"} <= keys
    assert any(k.startswith("phi.") for k in keys)
    assert any(k.startswith("leverage_B.") for k in keys)
    assert cb.lever_dom_id("area.KURSK") == "lever-area-KURSK"
    assert cb.lever_list(cb.bundled("iran-2013")) == []


def test_settle_panel_numbers_are_the_engines(flagship: str) -> None:
    _, line, nums = cb.settle_panel(flagship, {}, runs=500)
    res = settle_with(scenarios.load(scenarios.DEFAULT), {}, runs=500)
    p, _ = res.p_settled_by()
    assert nums["p12"] == pytest.approx(float(p[12]))
    assert f"{nums['p12']:.3f}" in line
    # the held parcel's area moves the settled line (M5's chip value)
    _, _, small = cb.settle_panel(flagship, {"area.KURSK": 0.0}, runs=500)
    assert small["median_line"] != nums["median_line"]
    # a recapture hazard of zero keeps the chip: more of the line for its holder
    _, _, kept = cb.settle_panel(flagship, {"h.KURSK": 0.0}, runs=500)
    assert kept["median_line"] != nums["median_line"]


def test_settle_panel_without_a_war_is_an_error() -> None:
    from accord.errors import AccordError

    with pytest.raises(AccordError, match="no war section"):
        cb.settle_panel(cb.bundled("iran-2013"), {})


def test_forecast_skips_models_that_cannot_run(flagship: str) -> None:
    fig = cb.forecast(flagship, ["compromise", "agenda_setter"])
    assert [t.name for t in fig.data] == ["compromise"]
