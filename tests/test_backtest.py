"""DEU III back-test against the reference values computed on the same data (spatial-models.md §5.2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.analysis.backtest import (
    Baseline,
    ModelPredictor,
    Tuned,
    assign_folds,
    backtest,
    baselines,
    default_predictors,
)
from accord.cli import app
from accord.datasets import deu


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return backtest(deu.cases(), default_predictors(["compromise", "median"]), resamples=500)


def test_353_issues_scored(result) -> None:  # type: ignore[no-untyped-def]
    assert len(deu.cases()) == 353
    assert result.summary.loc["compromise", "n"] == 353
    assert result.summary.loc["status-quo", "n"] == 253


@pytest.mark.parametrize(
    ("predictor", "mae", "tol"),
    [
        ("compromise", 23.10, 0.05),  # Nice votes, Commission and Parliament 29
        ("median-of-positions", 28.59, 0.005),
        ("commission", 37.56, 0.005),
        ("parliament", 33.45, 0.005),
        ("status-quo", 51.11, 0.005),  # on the 253 issues with a reference point
        ("constant-50", 28.02, 0.005),
    ],
)
def test_reference_mean_absolute_errors(result, predictor: str, mae: float, tol: float) -> None:  # type: ignore[no-untyped-def]
    assert result.summary.loc[predictor, "mae"] == pytest.approx(mae, abs=tol)


def test_compromise_median_absolute_error(result) -> None:  # type: ignore[no-untyped-def]
    assert result.summary.loc["compromise", "median_ae"] == pytest.approx(18.56, abs=0.005)


def test_breakdowns_partition_the_issues(result) -> None:  # type: ignore[no-untyped-def]
    row = result.summary.loc["compromise"]
    assert (row["n_COD"], row["n_CNS"]) == (205, 148)
    assert (row["n_QMV"], row["n_unanimity"]) == (281, 72)
    weighted = (row["n_COD"] * row["mae_COD"] + row["n_CNS"] * row["mae_CNS"]) / 353
    assert weighted == pytest.approx(row["mae"])


def test_bootstrap_intervals_bracket_the_estimates(result) -> None:  # type: ignore[no-untyped-def]
    s = result.summary
    assert (s["mae_lo"] < s["mae"]).all() and (s["mae"] < s["mae_hi"]).all()
    assert (s["median_ae_lo"] <= s["median_ae"]).all() and (
        s["median_ae"] <= s["median_ae_hi"]
    ).all()


def test_folds_are_fixed_and_keep_proposals_together() -> None:
    cases = deu.cases()
    a, b = assign_folds(cases, 5, 2021), assign_folds(cases, 5, 2021)
    np.testing.assert_array_equal(a, b)
    by_proposal: dict[str, set[int]] = {}
    for c, f in zip(cases, a, strict=True):
        by_proposal.setdefault(c.proposal, set()).add(int(f))
    assert all(len(v) == 1 for v in by_proposal.values())
    assert set(a.tolist()) == set(range(5))


def test_tuned_predicts_out_of_fold_only() -> None:
    """A candidate that knows the answer on fold 0 only must never be chosen for fold 0."""
    cases = deu.cases()
    folds = assign_folds(cases, 5, 2021)
    fold_of = {c.id: int(f) for c, f in zip(cases, folds, strict=True)}
    oracle0 = Baseline(
        "oracle-on-fold-0",
        "",
        lambda c: (c.outcome if fold_of[c.id] == 0 else 100.0 - c.outcome, ""),
    )
    decent = Baseline("fifty", "", lambda c: (50.0, ""))
    tuned = Tuned("t", "", [oracle0, decent])
    values, notes = tuned.predict(cases, folds)
    assert tuned.choices[0] == "fifty"  # fold 0 is predicted by what was best elsewhere
    assert np.all(values[folds == 0] == 50.0)
    assert notes[int(np.flatnonzero(folds == 0)[0])].startswith("fold 0: fifty")


def test_failures_count_at_their_worst() -> None:
    cases = deu.cases()[:20]
    never = Baseline("never", "", lambda c: (np.nan, "cannot"))
    res = backtest(cases, [never], resamples=100)
    worst = [max(c.outcome, 100 - c.outcome) for c in cases]
    assert res.summary.loc["never", "failed"] == 20
    assert res.summary.loc["never", "mae"] == pytest.approx(np.mean(worst))
    assert set(res.predictions["note"]) == {"cannot"}


def test_every_registered_model_runs_on_every_issue() -> None:
    res = backtest(deu.cases(), [ModelPredictor("eum", {"rounds": 20}, name="eum")], resamples=100)
    assert res.summary.loc["eum", "n"] == 353
    assert res.summary.loc["eum", "failed"] == 0


def test_markdown_table(result) -> None:  # type: ignore[no-untyped-def]
    md = result.to_markdown()
    lines = md.strip().splitlines()
    assert lines[0].startswith("| predictor | N | failed | MAE [95% CI]")
    assert lines[2].startswith("| `compromise` | 353 | 0 | 23.10 [")
    assert "(CV)" in md
    assert len(lines) == 2 + len(result.summary)


def test_baseline_names_are_unique() -> None:
    names = [b.name for b in baselines()]
    assert len(names) == len(set(names))


def test_cli_writes_files_and_readme_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("x\n<!-- backtest-deu:start -->\nold\n<!-- backtest-deu:end -->\ny\n")
    out = tmp_path / "bt"
    res = CliRunner().invoke(
        app,
        [
            "backtest",
            "deu",
            "-m",
            "compromise",
            "--resamples",
            "100",
            "--out",
            str(out),
            "--readme",
            str(readme),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "compromise+cv-capability: chosen per fold: compromise[" in res.stdout
    text = readme.read_text()
    assert "old" not in text and "| `compromise` | 353 | 0 | 23.10" in text and text.endswith("y\n")
    for name in ("deu.md", "deu-predictions.csv", "deu-summary.csv", "deu-errors.png"):
        assert (out / name).stat().st_size > 100
