from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.datasets import deu as deu_dataset
from accord.errors import ScenarioError
from accord.scenario import importers
from accord.scenario.importers import bdm, decide, deu, ktab

DATA = Path(__file__).parent / "data"
DEU_PATH = deu_dataset.PATH


def test_ktab_csv_reads_dimensions_as_one_space() -> None:
    sc = ktab.read(DATA / "ktab/dummyData_3Dim.csv")
    assert sc.title == "DummyData_3Dim" and sc.salience_scale == 100
    assert sc.issue_ids == ("dim1", "dim2", "dim3")
    assert sc.spaces[0].issues == sc.issue_ids
    assert len(sc.actors) == 7
    a = sc.arrays()
    assert a.capability[0, 0] == 102.543
    np.testing.assert_allclose(a.position[2], [82.45, 90.89, 0.07])
    np.testing.assert_allclose(a.salience[2], [0.4847, 0.1355, 0.3462])
    single = ktab.read(DATA / "ktab/dummyData-a040.csv")
    assert single.issue_ids == ("xyz",) and len(single.actors) == 40


@pytest.mark.parametrize("name", ["dummyData_3Dim.csv", "dummyData-a040.csv", "dummyData_6Dim.csv"])
def test_ktab_round_trip(tmp_path: Path, name: str) -> None:
    sc = ktab.read(DATA / "ktab" / name)
    ktab.write(sc, tmp_path / name)
    again = ktab.read(tmp_path / name)
    assert again == sc


def test_decide_sample_data() -> None:
    sc = decide.read(DATA / "decide/sample_data.txt")
    assert len(sc.actors) == 10 and len(sc.issues) == 6 and sc.salience_scale == 1
    hoogte = sc.issue("tol-hoogte")
    assert (hoogte.scale.min, hoogte.scale.max) == (0.5, 7.0)
    # power is per actor and issue in decide: here it is constant per actor
    gl = sc.actor("GL")
    assert gl.capability.value == 0.6 and gl.issue_capability == {}
    assert sc.actor("Wcentr").positions["extra-investering"].position == 100.0


@pytest.mark.parametrize("name", ["sample_data.txt", "cop21.csv", "copenhagen.csv"])
def test_decide_round_trip(tmp_path: Path, name: str) -> None:
    sc = decide.read(DATA / "decide" / name)
    decide.write(sc, tmp_path / name)
    again = decide.read(tmp_path / name)
    assert again.model_dump(exclude={"id", "title"}) == sc.model_dump(exclude={"id", "title"})


def test_cop21_has_fifteen_actors_and_thirteen_issues() -> None:
    sc = decide.read(DATA / "decide/cop21.csv")
    assert len(sc.actors) == 15 and len(sc.issues) == 13
    assert "amb2100" in sc.issue_ids


def test_decide_errors_name_the_line() -> None:
    with pytest.raises(ScenarioError) as info:
        decide.read(DATA / "decide/copenhagen_with_errors.csv")
    assert str(info.value).endswith(
        "copenhagen_with_errors.csv: line 87, power: must lie in [0, 1] (got -0.247)"
    )


def test_bdm_csv(tmp_path: Path) -> None:
    notes: list[str] = []
    sc = bdm.read(DATA / "bdm/ec-emissions.csv", notes=notes)
    assert sc.salience_scale == 1 and "saliences read as 0-1" in notes[0]
    assert (sc.issues[0].scale.min, sc.issues[0].scale.max) == (4.0, 10.0)
    assert sc.actor("Denmark").positions["issue"].salience == 1.0
    bdm.write(sc, tmp_path / "ec-emissions.csv")
    assert bdm.read(tmp_path / "ec-emissions.csv") == sc
    explicit = bdm.read(DATA / "bdm/ec-emissions.csv", salience_scale=100)
    assert explicit.salience_scale == 100


def test_bdm_columns_found_by_name(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("Position,Actor,Salience,Capability\n4,NL,0.8,0.08\n10,FR,0.6,0.16\n")
    sc = bdm.read(p)
    assert (
        sc.actor("NL").positions["issue"].position == 4 and sc.actor("FR").capability.value == 0.16
    )


def test_deu_reads_every_issue_with_outcome_and_reference_point() -> None:
    scs = deu.read(DEU_PATH)
    assert len(scs) == 364
    with_outcome = [s for s in scs if s.issues[0].outcome is not None]
    assert len(with_outcome) == 353
    assert sum(s.issues[0].status_quo is not None for s in with_outcome) == 253
    first = scs[0]
    assert first.id == "d00032i1" and first.issues[0].attributes["proc"] == "COD"
    assert first.actor("de").capability.value == 29 and first.actor("com").capability.value == 29
    assert (
        first.issues[0].decision_rule is not None
        and first.issues[0].decision_rule.rule == "qualified_majority"
    )
    assert first.actor("com").attributes["gdp"] == 4.1
    gdp = deu.read(DEU_PATH, capability="gdp")[0]
    assert gdp.actor("de").capability.value == 4.1


def test_deu_missing_salience_kept_with_a_note() -> None:
    notes = [
        st.note
        for s in deu.read(DEU_PATH)
        for a in s.actors
        for st in a.positions.values()
        if st.note
    ]
    assert len(notes) == 54 and set(notes) == {"salience missing in DEU III; 0 used"}


def test_deu_round_trip(tmp_path: Path) -> None:
    scs = deu.read(DEU_PATH)
    deu.write(scs, tmp_path / "deu.csv")
    assert deu.read(tmp_path / "deu.csv") == scs


def test_export_dispatch_and_errors(tmp_path: Path) -> None:
    sc = ktab.read(DATA / "ktab/dummyData_3Dim.csv")
    importers.export("decide", [sc], tmp_path / "d.txt")
    back = decide.read(tmp_path / "d.txt")
    np.testing.assert_allclose(back.arrays().position, sc.arrays().position)
    with pytest.raises(ScenarioError, match="holds one issue"):
        bdm.write(sc, tmp_path / "b.csv")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "x,y,2,1,\nActor,Description,Power,P,S,\na,d,abc,1,1,\nb,d,1,1,1,\n",
            "line 3, Power: must be a number (got 'abc')",
        ),
        ("x,y,1,1,\nActor,Description,Power,P,S,\na,d,1,1,\n", "line 3: expected 5 values (got 4)"),
        (
            "x,y,1,2,\nActor,Description,Power,P1,S1,P2,S2,\na,d,1,1,60,1,60,\n",
            "line 3: KTAB saliences of one actor must sum to at most 100 (got 120.0)",
        ),
        (
            "x,y,1,1,\nActor,Description,Power,P,S,\na,d,1,140,10,\n",
            "actors[0].positions.p.position: outside the scale of issue p [0, 100] (got 140.0)",
        ),
        (
            "x,y\nActor,Description,Power,P,S,\n",
            "line 1: expected: name, description, number of actors, number of dimensions (got 'x,y')",
        ),
    ],
)
def test_ktab_bad_files(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(ScenarioError) as info:
        ktab.read(p)
    assert str(info.value) == f"{p}: {message}"
