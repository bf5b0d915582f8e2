"""GENIUS XML and GeniusWeb JSON: hand-checked reads, round trips, malformed files."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.cli import app
from accord.deals import (
    HyperRectangles,
    IntegerIssue,
    OutcomeSpace,
    Rectangle,
    analyse,
    from_scenario,
    utility_matrix,
)
from accord.deals.actors import DealProblem
from accord.deals.io import read_genius, read_geniusweb, write_genius
from accord.deals.io.genius import profile_paths

DATA = Path(__file__).parent / "data"
TOY = DATA / "genius" / "toy"


def toy() -> DealProblem:
    domain, profiles = profile_paths(TOY)
    return read_genius(domain, profiles)


def test_genius_toy_read_by_hand() -> None:
    p = toy()
    assert p.parties == ("toy-east", "toy-west")
    assert p.space.names == ("guarantee", "troops", "fund")
    assert p.space.shape == (3, 5, 11)  # fund [0, 1] at a tenth of its range
    m = utility_matrix(p.space, p.utilities)
    j = p.space.flat_of({"guarantee": "bilateral aid", "troops": 1, "fund": 0.3})
    east = 0.5 * 6 / 10 + 0.3 * (1 - 0.25) + 0.2 * (1 - 0.3)  # evaluations / their max
    west = 0.2 * 40 / 80 + 0.2 * 0.25 + 0.6 * 0.3
    assert m.values[:, j] == pytest.approx([east, west])
    assert m.reservation.tolist() == [0.2, 0.1]
    assert p.notes == ("toy-west: discount factor 0.9 recorded, not applied",)


def test_genius_round_trip_keeps_every_utility(tmp_path: Path) -> None:
    for problem in (toy(), from_scenario(scenarios.load("ukraine-2023-03"), points="labels")):
        paths = write_genius(problem, tmp_path / problem.source)
        again = read_genius(paths[0], paths[1:])
        a = utility_matrix(problem.space, problem.utilities)
        b = utility_matrix(again.space, again.utilities)
        assert again.space.shape == problem.space.shape
        assert again.parties == problem.parties
        np.testing.assert_allclose(a.values, b.values, rtol=0, atol=1e-12)
        np.testing.assert_allclose(a.reservation, b.reservation, rtol=0, atol=1e-15)
        # and the second write is byte-identical to the first
        paths2 = write_genius(again, tmp_path / f"{problem.source}-2")
        assert [p.read_text() for p in paths2] == [p.read_text() for p in paths]


def test_genius_hyper_rectangles(tmp_path: Path) -> None:
    domain, profiles = profile_paths(DATA / "genius" / "rect")
    p = read_genius(domain, profiles)
    m = utility_matrix(p.space, p.utilities)
    at = lambda i1, i2: m.values[:, p.space.flat_of({"i1": i1, "i2": i2})]  # noqa: E731
    assert at(3, 0) == pytest.approx([1.0, 0.0])  # both rectangles of a: (6 + 4) / 10
    assert at(2, 2) == pytest.approx([0.6, 1.0])
    assert at(0, 3) == pytest.approx([0.0, 1.5])  # b: (8 + 4) / 8
    r = analyse(p)
    assert r.package("nash") == {"i1": 2, "i2": 2}
    paths = write_genius(p, tmp_path)
    again = read_genius(paths[0], paths[1:])
    np.testing.assert_allclose(utility_matrix(again.space, again.utilities).values, m.values)


def test_hyper_rectangles_export_needs_genius_shapes(tmp_path: Path) -> None:
    space = OutcomeSpace((IntegerIssue("x", 0, 2),))
    u = HyperRectangles("h", (Rectangle({"x": (0, 1)}, 1.0),))
    paths = write_genius(DealProblem(space, (u,), "one"), tmp_path)
    assert "<INCLUDES" in paths[1].read_text()


def test_geniusweb_read_by_hand() -> None:
    p = read_geniusweb(sorted((DATA / "geniusweb" / "supply").glob("*.json")))
    assert p.parties == ("buyer", "seller") and p.source == "supply"
    m = utility_matrix(p.space, p.utilities)
    j = p.space.flat_of({"price": "mid", "days": 2})
    assert m.values[:, j] == pytest.approx([0.6 * 0.6 + 0.4 * 0.75, 0.7 * 0.5 + 0.3 * 0.4])
    assert m.reservation == pytest.approx([0.6 * 0.6 + 0.4 * 0.5, 0.0])


def test_cli_on_a_genius_folder() -> None:
    result = CliRunner().invoke(app, ["deals", str(TOY), "--json"])
    assert result.exit_code == 0, result.output
    import json

    payload = json.loads(result.stdout)["result"]
    assert payload["parties"] == ["toy-east", "toy-west"]
    assert payload["outcomes"] == 165
    assert payload["solutions"]["nash"]["agreement"]


DOMAIN = (TOY / "toy-domain.xml").read_text()
EAST = (TOY / "toy-east.xml").read_text()

# (name, file edited, (old, new), exact message after "error: <file>: ")
MALFORMED = [
    (
        "doctype",
        "toy-domain.xml",
        ('<?xml version="1.0" encoding="utf-8"?>', '<!DOCTYPE x [<!ENTITY a "b">]>'),
        "DTDs and entity declarations are refused (got '<!DOCTYPE')",
    ),
    (
        "entity",
        "toy-east.xml",
        ('<?xml version="1.0" encoding="utf-8"?>', '<!ENTITY a SYSTEM "file:///etc/passwd">'),
        "DTDs and entity declarations are refused (got '<!ENTITY')",
    ),
    (
        "not_xml",
        "toy-domain.xml",
        ("</negotiation_template>", ""),
        "not well-formed XML: no element found: line 17, column 0",
    ),
    (
        "wrong_root",
        "toy-domain.xml",
        ("negotiation_template", "template"),
        "template: expected <utility_space> or <negotiation_template> (got 'template')",
    ),
    (
        "bad_bound",
        "toy-domain.xml",
        ('upperbound="4"/>', 'upperbound="four"/>'),
        "negotiation_template/utility_space/objective/issue[2]@upperbound: must be a number (got 'four')",
    ),
    (
        "inverted_bounds",
        "toy-domain.xml",
        ('lowerbound="0" upperbound="4"/>', 'lowerbound="5" upperbound="4"/>'),
        "negotiation_template/utility_space/objective/issue[2]: upper bound below lower bound (got (5, 4))",
    ),
    (
        "unknown_type",
        "toy-domain.xml",
        ('etype="real" type="real" vtype="real"', 'etype="complex"'),
        "negotiation_template/utility_space/objective/issue[3]@etype: unknown issue type (discrete, integer, real) (got 'complex')",
    ),
    (
        "duplicate_item",
        "toy-domain.xml",
        ('value="bilateral aid"/>', 'value="none"/>'),
        "negotiation_template/utility_space/objective/issue[1]: values must differ (got ('none', 'none', 'reassurance force'))",
    ),
    (
        "negative_evaluation",
        "toy-east.xml",
        ('evaluation="6"', 'evaluation="-6"'),
        "utility_space/objective/issue[1]/item[2]@evaluation: an evaluation cannot be negative (got '-6')",
    ),
    (
        "unknown_value",
        "toy-east.xml",
        ('value="bilateral aid" evaluation="6"', 'value="aid" evaluation="6"'),
        "utility_space/objective/issue[1]/item[2]@value: not a value of issue 'guarantee' (got 'aid')",
    ),
    (
        "weight_index",
        "toy-east.xml",
        ('<weight index="3" value="0.2"/>', '<weight index="7" value="0.2"/>'),
        "utility_space/objective/weight[3]@index: no domain issue has this index (got '7')",
    ),
    (
        "nan_weight",
        "toy-east.xml",
        ('<weight index="3" value="0.2"/>', '<weight index="3" value="nan"/>'),
        "utility_space/objective/weight[3]@value: must be a finite number (got 'nan')",
    ),
    (
        "evaluator",
        "toy-east.xml",
        ('ftype="linear" offset="1.0"', 'ftype="exponential" offset="1.0"'),
        "utility_space/objective/issue[2]/evaluator@ftype: only linear evaluators are supported (got 'exponential')",
    ),
    (
        "reservation",
        "toy-east.xml",
        ('<reservation value="0.2"/>', '<reservation val="0.2"/>'),
        "utility_space/reservation@value: missing attribute",
    ),
]


@pytest.mark.parametrize(
    ("name", "file", "edit", "message"), MALFORMED, ids=[c[0] for c in MALFORMED]
)
def test_malformed_genius_files(
    tmp_path: Path, name: str, file: str, edit: tuple[str, str], message: str
) -> None:
    folder = tmp_path / name
    shutil.copytree(TOY, folder)
    path = folder / file
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    result = CliRunner().invoke(app, ["deals", str(folder)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {path}: {message}"
    assert "Traceback" not in result.output and result.stdout == ""


GW_MALFORMED = [
    (
        "not_a_number",
        ('"mid": 0.6', '"mid": "lots"'),
        "LinearAdditiveUtilitySpace.issueUtilities.price.discreteutils.valueUtilities.mid: "
        "must be a number (got 'lots')",
    ),
    (
        "not_json",
        ('"name": "buyer",', '"name": "buyer"'),
        "not valid JSON: Expecting ',' delimiter: line 3 column 3 (char 53)",
    ),
    (
        "wrong_root",
        ('{"LinearAdditiveUtilitySpace": {', '{"DiscountedUtilitySpace": {'),
        "expected a LinearAdditiveUtilitySpace object (got ['DiscountedUtilitySpace'])",
    ),
    (
        "negative_weight",
        ('"issueWeights": {"price": 0.6', '"issueWeights": {"price": -0.6'),
        "LinearAdditiveUtilitySpace.issueWeights.price: a weight cannot be negative (got -0.6)",
    ),
    (
        "unknown_issue",
        ('"issueWeights": {"price": 0.6', '"issueWeights": {"cost": 0.6'),
        "LinearAdditiveUtilitySpace.issueWeights.cost: not an issue of the domain (got 'cost')",
    ),
    (
        "missing_value",
        ('"low": 1.0, "mid": 0.6, ', '"low": 1.0, '),
        "LinearAdditiveUtilitySpace.issueUtilities.price.discreteutils.valueUtilities: "
        "no utility for these values (got ['mid'])",
    ),
    (
        "bad_range",
        ('"range": {"low": 1, "high": 5, "step": 1}', '"range": {"low": 5, "high": 1, "step": 1}'),
        "LinearAdditiveUtilitySpace.domain.issuesValues.days.range: upper bound below lower "
        "bound (got (5, 1))",
    ),
    (
        "bad_bid",
        ('"price": "mid", "days": 3', '"price": "mid", "days": 9'),
        "LinearAdditiveUtilitySpace.reservationBid.issuevalues.days: not a value of the issue "
        "(got 9)",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "message"), GW_MALFORMED, ids=[c[0] for c in GW_MALFORMED]
)
def test_malformed_geniusweb(
    tmp_path: Path, name: str, edit: tuple[str, str], message: str
) -> None:
    folder = tmp_path / name
    shutil.copytree(DATA / "geniusweb" / "supply", folder)
    path = folder / "supply1.json"
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]))
    result = CliRunner().invoke(app, ["deals", str(folder)])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"error: {path}: {message}"
    assert "Traceback" not in result.output and result.stdout == ""


def test_ktab_xml_importer_refuses_dtds_too(tmp_path: Path) -> None:
    path = tmp_path / "evil.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY x "y">]>\n<Scenario/>\n')
    result = CliRunner().invoke(app, ["import", str(path), "--from", "ktab-xml"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {path}: DTDs and entity declarations are refused (got '<!DOCTYPE')"
    )
