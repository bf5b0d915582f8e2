"""Browser tests in headless Debian Chromium (Playwright for Python, ``executable_path``;
never ``playwright install``): the dashboard served by ``accord app`` on a free loopback
port, and the offline briefing written by ``accord report``. ``make test`` installs
Chromium from Debian when /usr/bin/chromium is missing. Screenshots go to ``artifacts/``
(git-ignored)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from accord import scenarios
from accord.app import callbacks as cb

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
UPLOAD_LIMIT = 20_000
LINE = re.compile(r"median settled line on \w+ = ([-0-9.]+)")
# the shared machine runs ~8 helpers' jobs on 2 cores: the first render of the flagship
# (settle, seven models, the Ensemble tab's queries) can take well over Playwright's 5 s
sync_api.expect.set_options(timeout=30_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(p: subprocess.Popen[bytes]) -> None:
    """Stop the server by its own process group (started with start_new_session)."""
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding one small results store: compromise and median over 300 draws."""
    from accord.analysis.sweep import Design, sweep

    folder = tmp_path_factory.mktemp("stores")
    sc = scenarios.load("ukraine-2023-03")
    targets = [("compromise", {}), ("median", {})]
    sweep(sc, targets, Design("mc", 300, 4), folder / "cm-300", executor="sequential")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, stores: Path) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    cmd = [sys.executable, "-c", "from accord.cli import main; main()", "app"]
    cmd += ["--port", str(port), "--max-upload", str(UPLOAD_LIMIT), "--results", str(stores)]
    with log.open("wb") as fh:
        p = subprocess.Popen(cmd, start_new_session=True, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    t0 = time.monotonic()
    try:
        while True:
            if p.poll() is not None:
                raise RuntimeError(f"accord app exited {p.returncode}: {log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.monotonic() - t0 > 60:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        _stop(p)
    with pytest.raises(ProcessLookupError):  # the server's whole group is gone
        os.killpg(p.pid, 0)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), "install Debian's chromium (make test does it)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _line(page: Any) -> float:
    m = LINE.search(page.inner_text("#settle-number"))
    assert m, page.inner_text("#settle-number")
    return float(m.group(1))


def _median_trace(page: Any) -> list[float]:
    """The settlement figure's median line as drawn (Plotly's decoded full data)."""
    return list(
        page.evaluate(
            "() => Array.from(document.querySelector('#settle-figure .js-plotly-plot')"
            "._fullData.find(t => t.name === 'median line').y)"
        )
    )


def _upload(page: Any, name: str, text: str) -> None:
    page.set_input_files(
        "#upload input[type=file]",
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode()}],
    )


def test_app_default_slider_upload(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server)
    expect = sync_api.expect
    # 1. the default scenario renders: its id, the levers, the settlement figure and number
    expect(page.locator("#scenario-id")).to_have_text(f"scenario: {scenarios.DEFAULT}")
    expect(page.locator("#settle-number")).to_contain_text("P(settled within 12 months)")
    expect(page.locator("#settle-figure .main-svg").first).to_be_visible()
    flagship = cb.bundled(scenarios.DEFAULT)
    _, _, want = cb.settle_panel(flagship, {})
    assert _line(page) == pytest.approx(want["median_line"], abs=0.005)
    page.screenshot(path=str(ARTIFACTS / "1-default.png"), full_page=True)

    # 2. the held parcel's slider to 0 km²: the figure's number moves, to the engine's value
    before = page.inner_text("#settle-number")
    drawn = _median_trace(page)
    page.locator("#lever-area-KURSK [role=slider]").focus()
    t0 = time.perf_counter()
    page.keyboard.press("Home")
    page.wait_for_function(
        "b => document.querySelector('#settle-number').innerText !== b", arg=before
    )
    latency = time.perf_counter() - t0
    fig, _, moved = cb.settle_panel(flagship, {"area.KURSK": 0.0})
    assert moved["median_line"] != want["median_line"]
    assert _line(page) == pytest.approx(moved["median_line"], abs=0.005)
    # the figure itself is redrawn: its median line is the engine's for area 0
    page.wait_for_function(
        "d => JSON.stringify(Array.from(document.querySelector('#settle-figure "
        ".js-plotly-plot')._fullData.find(t => t.name === 'median line').y)) !== d",
        arg=json.dumps(drawn),
    )
    engine = next(t for t in fig.data if t.name == "median line")
    assert _median_trace(page) == pytest.approx(list(engine.y))
    assert _median_trace(page) != pytest.approx(drawn)
    (ARTIFACTS / "timings.json").write_text(
        json.dumps(
            {
                "slider_to_number_seconds": latency,
                "settle_panel_seconds": moved["seconds"],
                "runs": cb.SETTLE_RUNS,
                "load_average": os.getloadavg(),
            },
            indent=1,
        )
    )
    page.screenshot(path=str(ARTIFACTS / "2-slider.png"), full_page=True)

    # 2b. a bad cell in the table: the CLI's message, the scenario unchanged
    page.click("summary")
    page.locator('#stances td[data-dash-column="salience"]').first.click()
    page.keyboard.type("-7")
    page.keyboard.press("Enter")
    expect(page.locator("#errors")).to_contain_text("table: actors[0].positions.T.salience")
    expect(page.locator("#errors")).to_contain_text("-7")
    page.screenshot(path=str(ARTIFACTS / "2b-table-edit.png"), full_page=True)
    page.click("summary")

    # 3. a malformed upload: the error line names file, path and value; the app keeps working
    data = json.loads(cb.bundled("iran-2013"))
    data["actors"][0]["capability"] = -3
    _upload(page, "broken.json", json.dumps(data))
    err = page.locator("#errors .error-line").first
    expect(err).to_contain_text("broken.json")
    expect(err).to_contain_text("actors[0].capability")
    expect(err).to_contain_text("-3")
    expect(page.locator("#scenario-id")).to_have_text(f"scenario: {scenarios.DEFAULT}")
    page.screenshot(path=str(ARTIFACTS / "3-malformed.png"), full_page=True)

    # 4. an oversized upload is refused; then a good upload loads
    _upload(page, "huge.yaml", "# pad\n" * (UPLOAD_LIMIT // 6 + 10))
    expect(page.locator("#errors")).to_contain_text("refused")
    expect(page.locator("#errors")).to_contain_text("huge.yaml")
    page.screenshot(path=str(ARTIFACTS / "4-oversized.png"), full_page=True)
    _upload(page, "iran.json", cb.bundled("iran-2013"))
    expect(page.locator("#scenario-id")).to_have_text("scenario: iran-2013")
    expect(page.locator("#errors")).to_have_text("")
    expect(page.locator("#settle-number")).to_contain_text("no war section")
    page.screenshot(path=str(ARTIFACTS / "5-recovered.png"), full_page=True)
    assert not [e for e in errors if "favicon" not in e], errors
    page.close()
    shots = ("1-default", "2-slider", "2b-table-edit", "3-malformed", "4-oversized", "5-recovered")
    for shot in shots:
        assert (ARTIFACTS / f"{shot}.png").stat().st_size > 10_000, shot


def test_app_ensemble_tab(server: str, browser: Any, stores: Path) -> None:
    from accord.app import ensemble as en

    page = browser.new_page(viewport={"width": 1300, "height": 1100})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server)
    expect = sync_api.expect
    expect(page.locator("#scenario-id")).to_have_text(f"scenario: {scenarios.DEFAULT}")
    page.get_by_text("Ensemble", exact=True).click()
    expect(page.locator("#page-ensemble")).to_be_visible()
    expect(page.locator("#page-scenario")).to_be_hidden()
    # the manifest: scenario, targets, draws, seed
    manifest = page.locator("#ens-manifest")
    expect(manifest).to_contain_text("ukraine-2023-03")
    expect(manifest).to_contain_text("compromise, median")
    rows = dict(en.manifest_rows([stores / "cm-300"], "0"))
    for label in ("draws", "seed", "design"):
        expect(manifest.locator(f"tr:has(th:text-is('{label}')) td")).to_have_text(rows[label])
    # all draws in view first (the filter's range is the first output's own range)
    count = page.locator("#ens-count")
    expect(count).to_contain_text("300 of 300 draws in view")
    output = page.locator("#ens-output").inner_text().strip()
    lo, hi = en.filter_defaults([stores / "cm-300"], "0", output)
    cut = round((lo + hi) / 2, 2)
    page.screenshot(path=str(ARTIFACTS / "6-ensemble.png"), full_page=True)
    # filtering on the output's upper end changes the histogram's count to the engine's
    _, want, nums = en.histogram_panel([stores / "cm-300"], "0", output, output, lo, cut)
    assert 0 < nums["n_filtered"] < 300
    page.fill("#ens-hi", str(cut))
    page.keyboard.press("Enter")
    expect(count).to_have_text(want)
    bars = page.evaluate(
        "() => document.querySelector('#ens-hist .js-plotly-plot').data[1].y"
        ".reduce((a, b) => a + b, 0)"
    )
    assert bars == nums["finite"]
    page.screenshot(path=str(ARTIFACTS / "7-ensemble-filtered.png"), full_page=True)
    # an event: its probability with an interval and PRIM's boxes over the draws in view
    thr = round(lo + (cut - lo) / 2, 2)
    page.fill("#ens-event-thr", str(thr))
    page.keyboard.press("Enter")
    page.click("#ens-discover")
    lines, boxes, _, _ = en.event_panel([stores / "cm-300"], "0", output, lo, cut, output, "<", thr)
    shown = page.locator("#ens-event .event-line")
    expect(shown.first).to_have_text(lines[0])
    expect(shown.nth(1)).to_have_text(lines[1])
    expect(page.locator("#ens-boxes table.boxes td").nth(1)).to_have_text(str(boxes[0]["coverage"]))
    expect(page.locator("#ens-boxes table.boxes tr").nth(1)).to_be_visible(timeout=30_000)
    expect(page.locator("#ens-boxes-figure .main-svg").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "8-ensemble-boxes.png"), full_page=True)
    assert not [e for e in errors if "favicon" not in e], errors
    page.close()


@pytest.fixture(scope="module")
def brief_file(tmp_path_factory: pytest.TempPathFactory, stores: Path) -> Path:
    out = tmp_path_factory.mktemp("report") / "brief.html"
    from typer.testing import CliRunner

    from accord.cli import app

    r = CliRunner().invoke(
        app,
        ["report", "-o", str(out), "--runs", "2000", "--seed", "3", "--results", str(stores),
         "--event", "compromise_N < 40"],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return out


def test_report_offline_sections_and_numbers(brief_file: Path, browser: Any) -> None:
    from typer.testing import CliRunner

    from accord.cli import app
    from accord.report.html import SECTIONS

    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(brief_file.as_uri())
    page.wait_for_selector("#fig-settle .main-svg")
    page.wait_for_timeout(300)
    assert errors == []
    assert requests == [brief_file.as_uri()], requests  # the page itself, nothing else
    for key, title in SECTIONS:  # the flagship has every section
        expect = sync_api.expect
        expect(page.locator(f"section#{key} h2")).to_have_text(title)
    for fig in ("fig-forecasts", "fig-settle", "fig-deals", "fig-influence"):
        assert page.locator(f"#{fig} .main-svg").count() >= 1, fig
    assert page.locator("#fig-game svg").count() == 1  # the game tree, inline SVG
    assert page.locator("#fig-tornado svg").count() == 1
    assert page.inner_text("#tornado-draws") == "96"
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)

    numbers = json.loads(  # strict JSON: no NaN or Infinity
        page.inner_text("#accord-numbers"), parse_constant=lambda c: pytest.fail(c)
    )
    cli = CliRunner().invoke(app, ["settle", "--json", "--runs", "2000", "--seed", "3"])
    assert cli.exit_code == 0, cli.output
    ref = json.loads(cli.stdout)["result"]
    got = numbers["settle"]
    assert got["p_settled_by_month"] == ref["p_settled_by_month"]
    assert got["terms_10_50_90"] == ref["terms_10_50_90"]
    assert got["p_escalation"] == ref["p_escalation"]
    assert len(got) == 9 and set(got) <= set(ref)  # every key number the report carries
    for key, value in got.items():
        assert value == ref[key], key
    assert numbers["base_rate"] == ref["base_rate"]
    p12 = ref["p_settled_by_month"][12]
    assert f"settle within 12 months) {p12:.2f} [" in page.inner_text("section#summary")
    for m in (6, 12, 24):
        shown = page.locator(f".p-settled[data-month='{m}']")
        assert float(shown.get_attribute("data-value") or "nan") == ref["p_settled_by_month"][m]
        assert shown.inner_text() == f"{ref['p_settled_by_month'][m]:.3f}"
    # the summary tells the game and the tornado with the numbers of their sections
    summary = page.inner_text("section#summary")
    spe = numbers["game"]["spe"]
    assert " → ".join(spe["path"]) in summary
    assert ", ".join(f"{p} {v:.3g}" for p, v in spe["value"].items()) in summary
    top = numbers["sensitivity"]["tornado"][0]
    assert f"moves most with {top['number']} (swing {top['swing']:.2f}" in summary
    ens = numbers["ensembles"][0]
    assert ens["summary"]["draws"] == 300 and ens["same_scenario"] is False
    assert f"({ens['event']['hits']} of 300 draws)" in summary
    assert page.locator("#fig-ensemble-0 .main-svg").count() >= 1
    run = CliRunner().invoke(app, ["run", "--json", "--seed", "3"])
    by_model = {r["model"]: r["forecast"] for r in json.loads(run.stdout)["result"]["models"]}
    for model, values in numbers["forecasts"].items():
        want = [f["value"] for f in by_model[model].values()]
        assert values == pytest.approx(want, nan_ok=True), model
    page.close()
