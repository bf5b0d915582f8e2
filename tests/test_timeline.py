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
    payload = json.loads(res.output)["result"]
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
    payload = json.loads(res.output)["result"]
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


def test_the_bundled_dates_are_what_the_build_script_writes() -> None:
    import importlib.util
    import io

    from ruamel.yaml import YAML

    from accord.scenario.io import loads, to_data

    path = Path(__file__).parents[1] / "scripts" / "build_ukraine_series.py"
    spec = importlib.util.spec_from_file_location("build_ukraine_series", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert {d["id"] for d in mod.DATES} == {sc.id for sc in NEW}
    for d in mod.DATES:
        buf = io.StringIO()
        YAML().dump(mod.build(d), buf)
        assert to_data(loads(buf.getvalue())) == to_data(scenarios.load(d["id"])), d["id"]


def test_with_numbers_sets_exactly_the_given_paths() -> None:
    from accord.scenario.diff import with_numbers

    a, b = load(DATA / "a.yaml"), load(DATA / "b.yaml")
    changed = [c for c in diff(a, b).changes if c.kind == "changed"]
    back = with_numbers(b, {c.path: c.old for c in changed if c.old is not None})
    nb, na = numbers(back), numbers(a)
    assert all(nb[c.path].value == na[c.path].value for c in changed)
    assert {c.kind for c in diff(a, back).changes} == {"added", "removed"}
    assert numbers(back)["issues[X].status_quo"].source == ("s2",)  # provenance kept
    with pytest.raises(ScenarioError, match="no number"):
        with_numbers(b, {"actors[A].positions.Z.position": 1.0})


def test_attribution_reverts_one_group_at_a_time() -> None:
    from accord.analysis.timeline import attribute

    a, b = scenarios.load("ukraine-2024-08"), scenarios.load("ukraine-2024-11")
    pa, pb, drivers = attribute(a, b, runs=400, seed=1)
    ra, _ = run_settle(a, runs=400, seed=1)
    assert pa == float(ra.p_settled_by()[0][12])
    res, _ = run_settle(b, runs=400, seed=1)
    assert pb == float(res.p_settled_by()[0][12])
    by = {d.group: d for d in drivers}
    assert set(by) >= {"war.front.theta", "issues[T].status_quo", "war.beliefs.UKR", "war.p"}
    assert by["war.p"].paths == ("war.commitment.q_B0", "war.p")
    assert by["actors[RUS].positions.K"].effect == 0.0  # settle reads no actor stance on K
    assert by["war.front.theta"].effect != 0.0
    assert abs(drivers[0].effect) >= abs(drivers[-1].effect)


def test_timeline_explain_on_a_two_date_series(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("id: two\nscenarios: [ukraine-2025-03, ukraine-2025-08]\n", encoding="utf-8")
    res = runner.invoke(
        app, ["timeline", str(f), "--runs", "200", "--no-models", "--explain", "2", "--json"]
    )
    assert res.exit_code == 0, res.output
    dates = json.loads(res.output)["result"]["dates"]
    assert dates[0]["drivers"] == [] and len(dates[1]["drivers"]) == 2
    assert dates[1]["drivers"][0]["group"] == "issues[T].status_quo"
