from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from accord.errors import ScenarioError
from accord.scenario import dumps, loads, scenario_from_data, to_data

BASE = """
id: t
title: T
as_of: 2024-08-25
salience_scale: 100
sources:
  s1: {citation: c, date: 2024-06-14}
issues:
  - id: T
    name: Territory
    scale: {labels: {0: none, 100: all}}
    status_quo: {value: 20, source: s1}
    quantity: {name: held, unit: km2, at_min: 1000, at_max: 0}
  - id: N
    name: Alliance
actors:
  - id: "NO"
    name: Norway
    capability: 85
    issue_capability: {T: 40}
    positions:
      T: {position: 0, salience: 100, source: s1}
      N: {position: 50, salience: 50, judgement: true}
  - id: UA
    name: Ukraine
    capability: {value: 50, judgement: true, note: x}
    positions:
      T: {position: 95, salience: 95}
"""


def test_arrays_follow_file_order_and_overrides() -> None:
    sc = loads(BASE)
    a = sc.arrays()
    assert a.actor_ids == ("NO", "UA") and a.issue_ids == ("T", "N")
    np.testing.assert_array_equal(a.position, [[0, 50], [95, np.nan]])
    np.testing.assert_allclose(a.salience, [[1.0, 0.5], [0.95, 0.0]])
    np.testing.assert_array_equal(a.capability, [[40, 85], [50, 50]])
    np.testing.assert_array_equal(a.present, [[True, True], [True, False]])
    np.testing.assert_array_equal(a.status_quo, [20, np.nan])
    np.testing.assert_allclose(a.weight, [[40, 42.5], [47.5, 0]])


def test_yaml_12_keeps_norway_a_string() -> None:
    sc = loads(BASE.replace('id: "NO"', "id: NO"))
    assert sc.actors[0].id == "NO"


def test_round_trip_yaml_and_json() -> None:
    sc = loads(BASE)
    assert loads(dumps(sc)) == sc
    assert loads(dumps(sc, "json"), "json") == sc
    assert scenario_from_data(to_data(sc)) == sc


def test_bare_number_and_provenance_forms() -> None:
    sc = loads(BASE)
    assert sc.actors[0].capability.value == 85 and not sc.actors[0].capability.has_provenance
    assert sc.actors[1].capability.judgement and sc.actors[1].capability.note == "x"
    assert to_data(sc)["actors"][0]["capability"] == 85


def test_quantity_mapping_both_ways() -> None:
    issue = loads(BASE).issue("T")
    assert issue.to_quantity(0) == 1000 and issue.to_quantity(100) == 0
    assert issue.to_quantity(25) == pytest.approx(750)
    assert issue.from_quantity(750) == pytest.approx(25)


def test_restrict_drops_issues_and_actors_without_stances() -> None:
    sc = loads(BASE).restrict(["N"])
    assert sc.issue_ids == ("N",) and sc.actor_ids == ("NO",)
    assert sc.actors[0].issue_capability == {}


def test_as_of_is_a_date() -> None:
    assert loads(BASE).as_of == date(2024, 8, 25)


def test_several_problems_reported_at_once() -> None:
    bad = BASE.replace("salience: 95}", "salience: 140}").replace("position: 50,", "position: 150,")
    with pytest.raises(ScenarioError) as info:
        loads(bad, file="x.yaml")
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert all(line.startswith("x.yaml: actors[") for line in lines)


def test_proxy_allows_a_later_source() -> None:
    later = BASE.replace("date: 2024-06-14}", "date: 2025-01-01, proxy: direction only}")
    assert loads(later).sources["s1"].proxy == "direction only"
