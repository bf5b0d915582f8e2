"""The Russia-Ukraine series, its one calibration, accord diff and accord timeline."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.analysis.settle import run_settle
from accord.analysis.timeline import timeline
from accord.cli import app
from accord.errors import ScenarioError
from accord.scenario.diff import diff, numbers
from accord.scenario.io import load
from accord.scenario.provenance import unsourced
from accord.scenario.series import calibration_mismatches, load_series

runner = CliRunner()
DATA = Path(__file__).parent / "data" / "diff"
SERIES = load_series("russia-ukraine")
FLAGSHIPS = {"ukraine-2023-03", "ukraine-2024-08"}
NEW = [sc for sc in SERIES.scenarios if sc.id not in FLAGSHIPS]


def test_series_has_six_new_dates_in_order() -> None:
    assert len(NEW) >= 6
    dates = [sc.as_of for sc in SERIES.scenarios]
    assert all(d is not None for d in dates)
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


@pytest.mark.parametrize("sid", [sc.id for sc in SERIES.scenarios])
def test_every_date_validates_strictly(sid: str) -> None:
    res = runner.invoke(app, ["validate", "--strict", sid])
    assert res.exit_code == 0, res.output
    assert unsourced(scenarios.load(sid)) == []


@pytest.mark.parametrize("sc", NEW, ids=lambda sc: sc.id)
def test_no_source_postdates_the_as_of_date(sc: object) -> None:
    from accord.scenario.schema import Scenario

    assert isinstance(sc, Scenario) and sc.as_of is not None
    for key, src in sc.sources.items():
        assert src.proxy is None, key  # no later source stands in as a proxy either
        if src.date is not None:
            assert src.date <= sc.as_of, (key, src.date)
    used = {k for n in numbers(sc).values() for k in n.source}
    assert used <= set(sc.sources)


def test_flagships_declare_every_later_source_as_a_proxy() -> None:
    for sid in FLAGSHIPS:
        sc = scenarios.load(sid)
        assert sc.as_of is not None
        for key, src in sc.sources.items():
            if src.date is not None and src.date > sc.as_of:
                assert src.proxy, (sid, key)


@pytest.mark.parametrize("sc", NEW, ids=lambda sc: sc.id)
def test_status_quo_is_the_front_line_through_the_t_mapping(sc: object) -> None:
    from accord.scenario.schema import Scenario

    assert isinstance(sc, Scenario)
    t = next(i for i in sc.issues if i.id == "T")
    assert t.status_quo is not None and t.status_quo.note is not None
    held = float(re.search(r"H = ([\d,]+) km²", t.status_quo.note).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert 90_000 < held < 135_787
    assert t.status_quo.value == pytest.approx(100 * (1 - held / 135_787), abs=0.05)
    assert t.status_quo.source  # the km² figure has its dated source (or the arithmetic's)


def test_calibration_is_equal_across_the_series() -> None:
    assert len(SERIES.spec.calibration.parameters) >= 20
    assert calibration_mismatches(SERIES) == []


def test_calibration_check_catches_a_changed_parameter(tmp_path: Path) -> None:
    text = scenarios.path("ukraine-2025-08").read_text(encoding="utf-8")
    changed = text.replace("  delta:\n    value: 0.98", "  delta:\n    value: 0.97", 1)
    assert changed != text
    (tmp_path / "late.yaml").write_text(changed, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        "id: two\nscenarios: [ukraine-2024-08, late.yaml]\n"
        "calibration:\n  parameters:\n    - {path: war.delta}\n"
        "    - {path: 'war.beliefs.UKR.alpha + war.beliefs.UKR.beta'}\n",
        encoding="utf-8",
    )
    bad = calibration_mismatches(load_series(tmp_path / "s.yaml"))
    assert [p for p, _ in bad] == ["war.delta"]
    assert bad[0][1] == {"ukraine-2024-08": 0.98, "ukraine-2025-08": 0.97}


def test_series_errors_name_file_path_and_value(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("id: x\nscenarios: [ukraine-2024-08, ukraine-2023-03]\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"scenarios\[1\].*increasing as_of"):
        load_series(f)
    res = runner.invoke(app, ["timeline", str(f), "--runs", "10"])
    assert res.exit_code == 2 and "s.yaml" in res.output and "Traceback" not in res.output
    f.write_text(
        "id: x\nscenarios: [ukraine-2023-03]\ncalibration:\n  parameters: [{path: war.nope}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"war\.nope"):
        load_series(f)
    assert runner.invoke(app, ["timeline", "no-such-series"]).exit_code == 2


# -- diff ---------------------------------------------------------------------------------


def test_diff_lists_exactly_the_changed_numbers_of_the_fixture_pair() -> None:
    res = diff(load(DATA / "a.yaml"), load(DATA / "b.yaml"))
    got = {(c.path, c.kind, c.old, c.new) for c in res.changes}
    assert got == {
        ("actors[A].capability", "changed", 60, 65),
        ("actors[A].positions.X.position", "changed", 10, 20),
        ("actors[B].positions.X.salience", "changed", 80, 85),
        ("actors[C].positions.X.position", "added", None, 50),
        ("actors[C].positions.X.salience", "added", None, 20),
        ("actors[C].positions.Y.position", "removed", 50, None),
        ("actors[C].positions.Y.salience", "removed", 30, None),
        ("issues[X].status_quo", "changed", 40, 35),
    }
    sq = next(c for c in res.changes if c.path == "issues[X].status_quo")
    assert (sq.old_source, sq.new_source) == (("s1",), ("s2",))
    assert diff(load(DATA / "a.yaml"), load(DATA / "a.yaml")).changes == ()


def test_diff_cli_json_and_csv() -> None:
    res = runner.invoke(app, ["diff", str(DATA / "a.yaml"), str(DATA / "b.yaml"), "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert len(payload["changes"]) == 8
    pos = next(c for c in payload["changes"] if c["path"] == "actors[A].positions.X.position")
    assert "New statement" in pos["new_cited"] and "2024-06-01" in pos["new_cited"]
    csv = runner.invoke(app, ["diff", str(DATA / "a.yaml"), str(DATA / "b.yaml"), "--csv"])
    assert csv.exit_code == 0 and len(csv.output.strip().splitlines()) == 9
    assert runner.invoke(app, ["diff", str(DATA / "a.yaml"), "nope.yaml"]).exit_code == 2


def test_diff_of_adjacent_dates_moves_facts_not_calibration() -> None:
    a, b = scenarios.load("ukraine-2024-08"), scenarios.load("ukraine-2024-11")
    changes = {c.path: c for c in diff(a, b).changes}
    assert (changes["issues[T].status_quo"].old, changes["issues[T].status_quo"].new) == (
        20.4,
        19.1,
    )
    assert changes["war.parcels.KURSK.area"].new == 800
    assert changes["issues[T].status_quo"].new_source == ("afp_oct2024", "ukraine_area")
    calibrated = {p.path for p in SERIES.spec.calibration.parameters}
    assert not calibrated & set(changes)


# -- timeline -----------------------------------------------------------------------------


def test_timeline_runs_on_the_bundled_series() -> None:
    res = runner.invoke(app, ["timeline", "russia-ukraine", "--runs", "300", "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    dates = payload["dates"]
    assert [d["scenario"] for d in dates] == [sc.id for sc in SERIES.scenarios]
    for d, sc in zip(dates, SERIES.scenarios, strict=True):
        curve = d["p_settled_by_month"]
        assert len(curve) == payload["months"] + 1
        assert all(x <= y for x, y in itertools.pairwise(curve))
        assert curve[6] == d["p_settled_6"] and curve[12] == d["p_settled_12"]
        t = next(i for i in sc.issues if i.id == "T")
        assert t.status_quo is not None and d["status_quo"] == pytest.approx(t.status_quo.value)
        has_parcel = sc.war is not None and bool(sc.war.parcels)
        assert (d["p_swap"] is not None) == has_parcel
        assert d["main_obstacle"] is not None
        assert len(d["models_war_issue"]) >= 5
    assert dates[0]["changes_from_previous"] == 0
    assert all(d["changes_from_previous"] > 0 for d in dates[1:])


def test_timeline_point_is_accord_settle_with_the_same_seed() -> None:
    sub = load_series("russia-ukraine")
    one = type(sub)(sub.spec, sub.scenarios[-2:], sub.file)
    res = timeline(one, runs=400, seed=3, models=False)
    settle_res, _ = run_settle(one.scenarios[-1], runs=400, seed=3)
    p, _ = settle_res.p_settled_by()
    assert res.points[-1].p_settled == tuple(float(v) for v in p)
    assert res.points[-1].p_escalation == settle_res.p_escalation()[0]
    assert len(res.points[-1].changes) == len(diff(*one.scenarios).changes)
    again = timeline(one, runs=400, seed=3, models=False)
    assert again.to_dict() == res.to_dict()


def test_timeline_plot_and_table(tmp_path: Path) -> None:
    out = tmp_path / "tl.png"
    res = runner.invoke(
        app, ["timeline", "russia-ukraine", "--runs", "200", "--no-models", "--plot", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 10_000
    assert "2025-08-15" in res.output and "numbers changed" in res.output
    assert runner.invoke(app, ["timeline", "russia-ukraine", "--plot", "x.bmp"]).exit_code == 2
