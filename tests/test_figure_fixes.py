"""Fan-chart quantiles, the back-test figure's layout and the war layer's issue labels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from accord import scenarios, war
from accord.analysis.backtest import BacktestResult
from accord.analysis.war import pie_label, territory_of, war_issue
from accord.cli import app
from accord.war._common import FAN, mid_quantiles

pytest.importorskip("matplotlib")

runner = CliRunner()


# -- mid-distribution quantiles ------------------------------------------------------------


def test_mid_quantiles_without_ties_are_numpys_hazen() -> None:
    x = np.random.default_rng(1).normal(size=(101, 7))
    probs = [0.01, 0.05, 0.3, 0.5, 0.9, 0.99]
    want = np.quantile(x, probs, axis=0, method="hazen")
    np.testing.assert_allclose(mid_quantiles(x, probs), want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(mid_quantiles(x.T, probs, axis=1), want, rtol=0, atol=1e-12)


def test_mid_quantiles_with_ties_by_hand() -> None:
    # [0, 0, 0, 1]: F_mid(0) = 3/8, F_mid(1) = 7/8
    np.testing.assert_allclose(mid_quantiles([0, 0, 0, 1], [0.25, 0.5, 0.75]), [0, 0.25, 0.75])
    # [1, 2, 2, 3]: F_mid = 1/8, 4/8, 7/8
    got = mid_quantiles([1, 2, 2, 3], [0.125, 0.25, 0.5, 0.875, 0.95])
    np.testing.assert_allclose(got, [1, 1 + 1 / 3, 2, 3, 3])
    np.testing.assert_allclose(mid_quantiles([4, 4, 4], [0.05, 0.5, 0.95]), [4, 4, 4])


def _inside(q: np.ndarray, samples: np.ndarray) -> None:
    """The median within both bands everywhere; strictly inside where the samples differ."""
    q05, q25, q50, q75, q95 = q
    assert np.all((q05 <= q25) & (q25 <= q50) & (q50 <= q75) & (q75 <= q95))
    spread = samples.max(axis=0) > samples.min(axis=0)
    assert spread.sum() > 5
    assert np.all((q25[spread] < q50[spread]) & (q50[spread] < q75[spread]))


def _fight() -> war.WarResult:
    return war.fight(20, 10, 0.5, 8.0, 2.0, 2.0, 8.0, 0.05, 0.05, runs=3000, rng=2)


def test_fan_chart_median_strictly_inside_its_band() -> None:
    from accord.report.war import fan_chart

    r = _fight()
    end = min(r.paths.shape[1], int(np.max(r.time)) + 2)
    line = r.paths[:, :end].astype(float) * 5  # the 0-100 front of 20 states
    # numpy's default quantiles of integer states put the median on a band's edge
    old = np.quantile(line, FAN, axis=0)
    assert np.any((old[2] == old[1]) | (old[2] == old[3]))
    q = mid_quantiles(line, FAN)
    _inside(q, line)
    fig = fan_chart(r, sides=("X", "Y"), issue="land")
    ax = fig.axes[0]
    (median,) = [ln for ln in ax.get_lines() if ln.get_label() == "median"]
    np.testing.assert_allclose(median.get_ydata(), q[2])
    band = next(c for c in ax.collections if c.get_label() == "25-75%")
    xy = band.get_paths()[0].vertices
    t = np.asarray(median.get_xdata())
    lo = np.array([xy[xy[:, 0] == v, 1].min() for v in t])
    hi = np.array([xy[xy[:, 0] == v, 1].max() for v in t])
    differ = line.max(axis=0) > line.min(axis=0)
    assert np.all((lo[differ] < q[2][differ]) & (q[2][differ] < hi[differ]))
    assert ax.get_ylabel() == "front line on land"


def test_settle_fan_median_strictly_inside_its_band() -> None:
    from accord.analysis.settle import run_settle

    res, _ = run_settle(scenarios.load("ukraine-2024-08"), runs=400, seed=0)
    q = res.line_quantiles()
    _inside(q, res.line)
    frame = res.to_frame()
    np.testing.assert_allclose(frame["line_q50"], q[2])


# -- the back-test figure's x-axis label ------------------------------------------------


def test_backtest_figure_keeps_its_axis_label_inside() -> None:
    from accord.report.backtest import error_figure

    names = ["exchange[by proposal, decision_rules=False]", "costly_compromise+cv-cost", "eum"]
    rng = np.random.default_rng(0)
    preds = pd.DataFrame(
        {
            "predictor": np.repeat(names, 40),
            "scored_error": rng.uniform(0, 100, 40 * len(names)),
        }
    )
    summary = pd.DataFrame(
        {"mae": preds.groupby("predictor")["scored_error"].mean()}, index=pd.Index(names)
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = error_figure(BacktestResult(preds, summary, 5, 0, 10, 10.0), "DEU III")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box = fig.bbox
    for text in (fig.axes[0].xaxis.label, *fig.axes[0].get_yticklabels()):
        ext = text.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 0.5 and ext.x1 <= box.x1 + 0.5, text.get_text()
        assert ext.y0 >= box.y0 - 0.5, text.get_text()


# -- war labels: the scenario's own issue, never a hard-coded "T" ------------------------


def test_war_issue_is_the_war_sections_or_the_only_issue() -> None:
    ec = scenarios.load("ec-emissions-1994")
    assert war_issue(ec) == "year" and pie_label(ec) == "year"
    assert territory_of(ec, 0.5) == (7.0, None)  # 4 + 0.5 x 6 years
    ua = scenarios.load("ukraine-2024-08")
    assert war_issue(ua) == ua.war.issue  # type: ignore[union-attr]
    several = ua.model_copy(update={"war": None})  # seven issues, none of them the pie
    assert len(several.issues) > 1
    assert war_issue(several) is None and pie_label(several) == "pie"
    assert territory_of(several, 0.25) == (25.0, None)


def test_war_range_on_ec_names_its_issue() -> None:
    args = ["war", "range", "ec-emissions-1994", "--p", "0.5", "--c-a", "0.1", "--c-b", "0.1"]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "side A's minimum: year 6.4" in res.stdout
    assert "midpoint │ 0.500 │ year 7.0" in res.stdout
    assert " T " not in res.stdout
    assert "the pie is side A's share of issue year" in res.stdout
    data = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["result"]
    assert data["results"]["on_scale"] == {"low": pytest.approx(6.4), "high": pytest.approx(7.6)}


def test_war_fight_on_ec_names_its_issue(tmp_path: object) -> None:
    res = runner.invoke(
        app,
        ["war", "fight", "ec-emissions-1994", "--theta", "0.5", "--alpha-a", "8", "--beta-a",
         "2", "--alpha-b", "2", "--beta-b", "8", "--c-a", "0.05", "--c-b", "0.05", "--start",
         "10", "--runs", "300"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "settlement year 10/50/90%" in res.stdout
    assert "(4) now" not in res.stdout and "from state 10 (7.0) now" in res.stdout


def test_ukraine_labels_unchanged() -> None:
    res = runner.invoke(app, ["war", "range"])
    assert res.exit_code == 0
    assert "side A's minimum: T 0.0" in res.stdout
