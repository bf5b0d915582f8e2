"""KTAB SMP XML files, including the defects of the two samples KTAB ships."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import models
from accord.cli import app
from accord.errors import ScenarioError
from accord.scenario import importers
from accord.scenario.importers import ktab, ktab_xml

DATA = Path(__file__).parent / "data" / "ktab"
EXAMPLE = DATA / "smpExample.xml"


def _fixed_example(tmp_path: Path) -> Path:
    """smpExample.xml with Alice's empty first coordinate filled in."""
    text = EXAMPLE.read_text(encoding="utf-8-sig")
    fixed = text.replace("<dCoord></dCoord>", "<dCoord>45.0</dCoord>", 1)
    assert fixed != text
    p = tmp_path / "smpExample-fixed.xml"
    p.write_text(fixed, encoding="utf-8")
    return p


def test_dummy_3dim_xml_equals_the_csv() -> None:
    """KTAB's reader rejects this file (no <IdealAdjustment>); it is optional here."""
    xml = ktab_xml.read(DATA / "dummyData_3Dim.xml")
    csv = ktab.read(DATA / "dummyData_3Dim.csv")
    ax, ac = xml.arrays(), csv.arrays()
    np.testing.assert_allclose(ax.position, ac.position)
    np.testing.assert_allclose(ax.salience, ac.salience)
    np.testing.assert_allclose(ax.capability, ac.capability)
    assert xml.actor_ids == csv.actor_ids
    assert [s.issues for s in xml.spaces] == [xml.issue_ids]
    assert xml.attributes["ktab_prng_seed"] == "03707583219545544125"
    run = models.run("smp", xml)
    assert run.rounds + 1 == 11


def test_empty_coordinate_is_an_error_naming_file_path_and_value() -> None:
    with pytest.raises(ScenarioError) as err:
        ktab_xml.read(EXAMPLE)
    problems = err.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert p.path == "Scenario/Actors/Actor[1]/Position/dCoord[1]"
    assert p.value == ""
    assert "Alice" in p.message and "empty" in p.message
    assert err.value.file == str(EXAMPLE)


def test_model_parameters_and_ideal_adjustment_are_kept(tmp_path: Path) -> None:
    sc = ktab_xml.read(_fixed_example(tmp_path))
    assert len(sc.actors) == 5 and sc.issue_ids == ("firstdim", "seconddim", "yadn")
    assert ktab_xml.smp_options(sc) == {
        "victory_prob": "linear",
        "pce": "markov_incentive",
        "transitions": "stochastic",
        "voting_rule": "prop_cbc",
        "big_r_adjust": "one_third",
        "big_r_range": "mid",
        "third_party_commit": "semi_commit",
        "interpolation": "s2p2",
        "bargain_model": "init_only",
    }
    assert sc.actor("Bob").attributes == {
        "ktab_ideal_adjust:Bob": 0.75,
        "ktab_ideal_adjust:Alice": 0.07,
    }
    a = models.run("smp", sc, rng=11, **ktab_xml.smp_options(sc))
    b = models.run("smp", sc, rng=11, **ktab_xml.smp_options(sc))
    assert np.isfinite(a.forecast).all()
    assert a.trajectory is not None and b.trajectory is not None
    np.testing.assert_array_equal(a.trajectory, b.trajectory)


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (("<Scenario ", "<Scenari "), "", "not well-formed"),
        (("<VotingRule>PropCbc", "<VotingRule>Majority"), "ModelParameters/VotingRule", "use"),
        (("<capability>93.2", "<capability>-3"), "Actor[2]/capability", "at least 0"),
        (("<dCoord>15.9</dCoord>", ""), "Actor[2]/Position", "has 2 <dCoord>"),
        (("<dSal>25.2</dSal>", "<dSal>95.2</dSal>"), "Actor[2]/Salience", "at most 100"),
        (("<referencePos>David", "<referencePos>Zoe"), "iaPair[5]/referencePos", "no actor"),
        (("<adjust>0.57", "<adjust>1.57"), "iaPair[6]/adjust", "at most 1"),
    ],
)
def test_bad_xml_files(tmp_path: Path, edit: tuple[str, str], path: str, message: str) -> None:
    text = _fixed_example(tmp_path).read_text(encoding="utf-8")
    assert edit[0] in text
    bad = tmp_path / "bad.xml"
    bad.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        ktab_xml.read(bad)
    assert any(path in p.path and message in p.message for p in err.value.problems), [
        (p.path, p.message) for p in err.value.problems
    ]
    assert err.value.file == str(bad)


def test_import_reads_xml_by_format_or_suffix() -> None:
    by_name = importers.read("ktab-xml", DATA / "dummyData_3Dim.xml")
    by_suffix = importers.read("ktab", DATA / "dummyData_3Dim.xml")
    assert by_name[0] == by_suffix[0]


def test_cli_import_reports_the_sample_defect_and_exits_2() -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(EXAMPLE), "--from", "ktab-xml"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output
    assert "Actor[1]/Position/dCoord[1]" in res.output
    assert "smpExample.xml" in res.output
    ok = runner.invoke(app, ["import", str(DATA / "dummyData_3Dim.xml"), "--from", "ktab"])
    assert ok.exit_code == 0, ok.output
    assert "SActor-06" in ok.output
