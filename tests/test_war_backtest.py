"""The war-termination back-test: landmarks, scores, and the committed table and figures."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord.analysis.war_backtest import (
    PREDICTORS,
    landmarks,
    predict,
    reliability,
    score,
    temporal_split,
)
from accord.datasets import ucdp

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "backtest"


def test_landmarks_on_a_tiny_table() -> None:
    e = pd.DataFrame(
        {
            "episode_id": ["a", "b", "c"],
            "duration_months": [5.0, 30.0, 20.0],
            "ended": [True, True, False],
        }
    )
    lm = landmarks(e)
    got = {(r.episode_id, r.d): r.y for r in lm.itertuples()}
    # a: ends at 5 (within the first year); b: running at 0 and 12, ends at 30 (in the
    # third window); c: censored at 20, so its second window's outcome is unknown
    assert set(got) == {("a", 0.0), ("b", 0.0), ("b", 12.0), ("b", 24.0), ("c", 0.0), ("c", 12.0)}
    assert got[("a", 0.0)] == 1.0 and got[("b", 0.0)] == 0.0 and got[("b", 12.0)] == 0.0
    assert got[("b", 24.0)] == 1.0 and got[("c", 0.0)] == 0.0 and np.isnan(got[("c", 12.0)])
    np.testing.assert_allclose(lm.loc[lm["episode_id"] == "b", "residual"], [30.0, 18.0, 6.0])


@pytest.fixture(scope="module")
def temporal() -> pd.DataFrame:
    return predict(*temporal_split(ucdp.episodes()))


def test_the_temporal_split_uses_nothing_after_1999(temporal: pd.DataFrame) -> None:
    train, test = temporal_split(ucdp.episodes())
    assert train["start"].max() < pd.Timestamp("2000-01-01")
    stop = train["start"] + pd.to_timedelta(train["duration_months"] * 365.25 / 12, unit="D")
    assert stop.max() <= pd.Timestamp("2000-01-01")
    assert test["start"].min() >= pd.Timestamp("2000-01-01")
    assert test["start"].max() < pd.Timestamp("2024-01-01")
    assert set(temporal["predictor"]) == set(PREDICTORS)
    const = temporal[temporal["predictor"] == "constant"]["p"]
    assert const.nunique() == 1


def test_scores_equal_direct_computations(temporal: pd.DataFrame) -> None:
    s = score(temporal, resamples=100, seed=1)
    for name in PREDICTORS:
        f = temporal[(temporal["predictor"] == name) & temporal["y"].notna()]
        p = np.clip(f["p"].to_numpy(), 1e-4, 1 - 1e-4)
        y = f["y"].to_numpy()
        row = s.loc[name]
        np.testing.assert_allclose(row["brier"], np.mean((p - y) ** 2))
        np.testing.assert_allclose(
            row["log_loss"], -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        )
        assert row["brier_lo"] <= row["brier"] <= row["brier_hi"]
        assert row["windows"] == len(f)
    assert s.loc["constant", "c_index"] == 0.5
    assert s.loc["constant", "brier_vs_constant"] == 0.0


def test_the_committed_table_is_what_the_code_computes(temporal: pd.DataFrame) -> None:
    """docs/backtest/wars-summary.csv and the README table come from `make backtest`."""
    committed = pd.read_csv(DOCS / "wars-summary.csv").set_index(["design", "predictor"])
    s = score(temporal, resamples=100, seed=1)
    for name in PREDICTORS:
        for col in (
            "windows",
            "episodes",
            "observed_rate",
            "mean_forecast",
            "brier",
            "log_loss",
            "ibs",
            "c_index",
            "brier_vs_constant",
            "brier_vs_km",
        ):
            np.testing.assert_allclose(
                committed.loc[("temporal", name), col],
                s.loc[name, col],
                rtol=1e-9,
                err_msg=f"{name} {col}",
            )
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(
        r"<!-- backtest-wars:start -->\n(.*?)<!-- backtest-wars:end -->", readme, re.S
    )
    assert block is not None
    assert block.group(1) == (DOCS / "wars.md").read_text(encoding="utf-8")
    # the verdict on the covariate model against the constant base rate is stated
    assert "the constant base rate" in block.group(1)


def test_the_calibration_figure_is_in_docs() -> None:
    png = DOCS / "wars-reliability.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (ROOT / "docs" / "backtest" / "baserate-ukraine-2024-08.png").exists()


def test_reliability_bins_count_every_known_window(temporal: pd.DataFrame) -> None:
    r = reliability(temporal)
    known = temporal["y"].notna()
    for name in PREDICTORS:
        assert (
            r.loc[r["predictor"] == name, "n"].sum()
            == (known & (temporal["predictor"] == name)).sum()
        )
