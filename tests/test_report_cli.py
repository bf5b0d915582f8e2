"""accord report and accord app on the command line (no browser)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

runner = CliRunner()


def test_report_without_a_war_has_no_war_sections(tmp_path: Path) -> None:
    out = tmp_path / "iran.html"
    r = runner.invoke(app, ["report", "iran-2013", "-o", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    for present in ("summary", "scenario", "sources", "forecasts", "backtest", "influence"):
        assert f'<section id="{present}">' in page
    for absent in ("settle", "baserate", "escalation", "game", "sensitivity", "deals"):
        assert f'<section id="{absent}">' not in page
    # self-contained: no external script, stylesheet, image or font
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "@import" not in page


def _game_page(scenario: str) -> tuple[str, dict[str, object]]:
    """The briefing of a scenario with only its game computed (fast), and its numbers."""
    import json

    from accord import scenarios
    from accord.analysis.brief import Brief, escalation_game
    from accord.report.html import render_html

    sc = scenarios.load(scenario)
    b = Brief(sc, 0, 1, 1, [], [], [], [], [], [], game=escalation_game(sc))
    page = render_html(b)
    m = re.search(r'<script type="application/json" id="accord-numbers">(.*?)</script>', page)
    assert m is not None
    return page, json.loads(m.group(1))


def test_report_game_section_equals_game_solve() -> None:
    import json

    from accord.analysis.settle import GAME_LAMBDA

    page, numbers = _game_page("ukraine-2024-08")
    assert '<section id="game">' in page
    assert '<div id="fig-game"><svg' in page  # the tree, inline
    assert _game_page("ukraine-2024-08")[0] == page  # no timestamp in the SVG: same bytes
    game = numbers["game"]
    assert isinstance(game, dict)
    for method, extra in (("spe", []), ("qre", ["--method", "qre", "--lambda", str(GAME_LAMBDA)])):
        r = runner.invoke(app, ["game", "solve", "ukraine-2024-08", "--json", *extra])
        assert r.exit_code == 0, r.output
        (ref,) = json.loads(r.stdout)["result"]["solutions"]
        got = game[method]
        assert list(got["value"].values()) == ref["value"]
        root = {b["action"]: b["probability"] for b in ref["behaviour"] if b["node"] == 0}
        assert got["root"] == root
        assert got["path"] == [p["action"] for p in ref["path"]]
        for action, p in root.items():  # the table shows the same numbers
            cell = f'data-method="{method}" data-action="{action}">{p:.4f}</span>'
            assert cell in page, cell
    assert game["spe"]["root"]["counteroffensive"] == 1.0
    assert 0 < game["qre"]["root"]["nuclear_signal"] < 1  # QRE puts weight off the SPE path


def test_report_without_a_game_has_no_game_section() -> None:
    page, numbers = _game_page("ukraine-2023-03")
    assert '<section id="game">' not in page
    assert numbers["game"] == {}


def test_report_and_app_bad_options(tmp_path: Path) -> None:
    r = runner.invoke(app, ["report", "-o", str(tmp_path / "brief.txt")])
    assert r.exit_code == 2
    assert "--output" in r.output
    r = runner.invoke(app, ["report", "-o", str(tmp_path / "b.html"), "--runs", "0"])
    assert r.exit_code == 2
    assert "--runs" in r.output
    r = runner.invoke(
        app, ["report", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "b.html")]
    )
    assert r.exit_code == 2
    assert "missing.yaml" in r.output
    r = runner.invoke(app, ["app", "--port", "0"])
    assert r.exit_code == 2
    assert "--port" in r.output
    r = runner.invoke(app, ["app", "--max-upload", "0"])
    assert r.exit_code == 2


def test_app_binds_loopback_and_warns_for_other_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.app

    calls: list[dict[str, object]] = []

    class Fake:
        def run(self, **kw: object) -> None:
            calls.append(kw)

    given: list[object] = []

    def fake(max_upload: int, stores: object = ()) -> Fake:
        given.append(stores)
        return Fake()

    monkeypatch.setattr(accord.app, "create_app", fake)
    r = runner.invoke(app, ["app"])
    assert r.exit_code == 0, r.output
    assert calls[-1]["host"] == "127.0.0.1"
    assert calls[-1]["port"] == 8050
    assert "warning" not in r.output
    r = runner.invoke(app, ["app", "--host", "0.0.0.0", "--port", "9000"])
    assert r.exit_code == 0, r.output
    assert calls[-1]["host"] == "0.0.0.0"
    assert "warning" in r.output
    assert "no authentication" in r.output
    assert given[-1] == []
    r = runner.invoke(app, ["app", "--results", "nowhere"])
    assert r.exit_code == 2 and "error: nowhere: no such directory" in r.output


def test_report_tornado_equals_a_sweep_of_settle(tmp_path: Path) -> None:
    """The section's tornado is the tornado of the rows ``accord sweep --settle`` stores."""
    import numpy as np

    from accord import scenarios
    from accord.analysis.brief import Brief, settle_tornado
    from accord.analysis.sensitivity import tornado
    from accord.analysis.store import Store
    from accord.report.html import render_html

    sc = scenarios.load("ukraine-2024-08")
    got = settle_tornado(sc, draws=20, runs=20, seed=7)
    out = tmp_path / "sweep"
    r = runner.invoke(
        app,
        ["sweep", "ukraine-2024-08", "--settle", "--runs", "20", "--draws", "20", "--seed", "7",
         "--executor", "sequential", "--out", str(out)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    store = Store.open(out)
    y = store.columns(["settle_p_by_12"])["settle_p_by_12"].to_numpy()
    want = tornado(store.columns(store.inputs), y)
    assert list(got["table"].index) == list(want.index)
    np.testing.assert_allclose(got["table"].to_numpy(), want.to_numpy())
    assert got["mean"] == float(np.mean(y))
    assert got["draws"] == 20 and got["seed"] == 7 and got["numbers"] == len(store.inputs)
    assert 0 < got["noise"] < 1
    b = Brief(sc, 7, 1, 1, [], [], [], [], [], [], tornado=got)
    page = render_html(b)
    assert '<section id="sensitivity">' in page and '<div id="fig-tornado"><svg' in page
    assert "<b id='tornado-draws'>20</b>" in page and "<b id='tornado-seed'>7</b>" in page
    top = want.index[0]
    assert f"<td>{top}</td>" in page
    # the narrative names the top drivers with the swings of the store's own tornado
    from accord.analysis.brief import narrative

    (line,) = [x for x in narrative(b) if "moves most with" in x]
    first = want.iloc[0]
    assert (
        f"moves most with {top} (swing {first['swing']:.2f}: {first['low']:.2f} in its lowest "
        f"decile, {first['high']:.2f} in its highest)"
    ) in line
    for name in want.index[1:3]:
        assert f"{name} ({want.loc[name, 'swing']:.2f})" in line
    above = int((want["swing"].head(3) > got["noise"]).sum())
    assert f"{above} of these 3 exceed the noise level of {got['noise']:.2f}" in line
    assert "Over 20 seeded draws" in line
    assert settle_tornado(scenarios.load("iran-2013")) == {}


def test_narrative_tells_the_game_from_game_solve() -> None:
    """The summary's game sentences carry the numbers of ``accord game solve --json``."""
    import json

    from accord import scenarios
    from accord.analysis.brief import Brief, escalation_game, narrative
    from accord.analysis.settle import GAME_LAMBDA

    sc = scenarios.load("ukraine-2024-08")
    b = Brief(sc, 0, 1, 1, [], [], [], [], [], [], game=escalation_game(sc))
    lines = [x for x in narrative(b) if "escalation game" in x or "QRE" in x]
    assert len(lines) == 2
    for line, extra in zip(
        lines, ([], ["--method", "qre", "--lambda", str(GAME_LAMBDA)]), strict=True
    ):
        r = runner.invoke(app, ["game", "solve", "ukraine-2024-08", "--json", *extra])
        (ref,) = json.loads(r.stdout)["result"]["solutions"]
        assert " → ".join(p["action"] for p in ref["path"]) in line
        for player, v in zip(ref["players"], ref["value"], strict=True):
            assert f"{player} {v:.3g}" in line, (player, line)
    root = sorted(
        ((b_["probability"], b_["action"]) for b_ in ref["behaviour"] if b_["node"] == 0),
        reverse=True,
    )
    assert f"opens with {root[0][1]} with probability {root[0][0]:.2f}" in lines[1]
    assert f"({root[1][1]} {root[1][0]:.2f})" in lines[1]
    assert f"at λ = {GAME_LAMBDA:g}" in lines[1]


def test_report_results_section_equals_the_sweep_cli(tmp_path: Path) -> None:
    """``accord report --results DIR --event E``: the store's manifest, P(event) equal to
    the raw-SQL path of ``accord discover``, and its boxes' coverage and density."""
    import json

    from accord.analysis.sensitivity import event_of_store
    from accord.analysis.store import Store
    from accord.scenario.io import dumps
    from sweep_helpers import minimal_uncertain

    sc_file = tmp_path / "t.yaml"
    sc_file.write_text(dumps(minimal_uncertain(), "yaml"), encoding="utf-8")
    out = tmp_path / "stores" / "t-cm"
    r = runner.invoke(
        app,
        ["sweep", str(sc_file), "-m", "compromise", "-m", "median", "--draws", "120",
         "--seed", "2", "--executor", "sequential", "--out", str(out)],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    store = Store.open(out)
    col = next(c for c in store.outputs if c.startswith("compromise_"))
    cut = float(store.query(f'SELECT median("{col}") AS m FROM results')["m"].iloc[0])
    html = tmp_path / "b.html"
    for bad, message in (
        ("nope < 1", "error: --event: not a column of any results store given (got 'nope')"),
        (f"{col} == 1", "error: --event: an event is COLUMN OP NUMBER"),
        (f"{col} < x", "error: --event: must be a number (got 'x')"),
    ):
        r = runner.invoke(
            app, ["report", str(sc_file), "-o", str(html), "--results", str(out), "--event", bad]
        )
        assert r.exit_code == 2 and r.output.startswith(message), r.output
    r = runner.invoke(
        app,
        ["report", str(sc_file), "-o", str(html), "--results", str(out.parent),
         "--event", f"{col} < {cut!r}"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    page = html.read_text(encoding="utf-8")
    assert '<section id="ensemble">' in page and 'id="fig-ensemble-0"' in page
    m = re.search(r'<script type="application/json" id="accord-numbers">(.*?)</script>', page)
    assert m is not None
    ens = json.loads(m.group(1))["ensembles"]
    assert len(ens) == 1 and ens[0]["same_scenario"] is True
    s = ens[0]["summary"]
    assert (s["scenario"], s["draws"], s["seed"]) == ("t", 120, 2)
    ref = event_of_store(store, f'"{col}" < {cut!r}')
    assert (ens[0]["event"]["hits"], ens[0]["event"]["n"]) == (ref.hits, 120)
    assert (ens[0]["event"]["low"], ens[0]["event"]["high"]) == (ref.low, ref.high)
    cli = runner.invoke(app, ["discover", str(out), "--where", f'"{col}" < {cut!r}'])
    assert cli.exit_code == 0, cli.output
    shown = re.findall(r"box \d+: coverage ([0-9.]+), density ([0-9.]+)", cli.output)
    assert shown and len(shown) == len(ens[0]["boxes"])
    for (cov, dens), box in zip(shown, ens[0]["boxes"], strict=True):
        assert f"{box['coverage']:.3f}" == cov and f"{box['density']:.3f}" == dens
    assert (
        f"{ref.p:.3f} [95% interval {ref.low:.3f}, {ref.high:.3f}]"
        in page.split('<section id="summary">')[1].split("</section>")[0]
    )  # the narrative states it too


def test_report_results_bad_options(tmp_path: Path) -> None:
    html = str(tmp_path / "b.html")
    r = runner.invoke(app, ["report", "iran-2013", "-o", html, "--event", "x < 1"])
    assert r.exit_code == 2 and "--event needs --results DIR" in r.output
    r = runner.invoke(app, ["report", "iran-2013", "-o", html, "--results", str(tmp_path)])
    assert r.exit_code == 2 and "holds no sweep results store" in r.output
