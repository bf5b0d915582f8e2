"""DEU III back-test against the reference values computed on the same data (spatial-models.md §5.2)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord import models
from accord.analysis.backtest import (
    Baseline,
    ModelPredictor,
    Predictor,
    ProposalPredictor,
    Stacked,
    Tuned,
    assign_folds,
    backtest,
    baselines,
    conformal_quantile,
    default_predictors,
    intervals,
)
from accord.analysis.scoring import bootstrap_interval
from accord.cli import app
from accord.datasets import deu
from accord.errors import ScenarioError
from accord.scenario.combine import combine


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
        ("compromise[decision_rules=False]", 23.10, 0.05),  # Nice votes, com and ep 29
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
    row = result.summary.loc["compromise[decision_rules=False]"]
    assert row["median_ae"] == pytest.approx(18.56, abs=0.005)


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
    assert lines[2].startswith("| `compromise[decision_rules=False]` | 353 | 0 | 23.10 [")
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
    assert "old" not in text and text.endswith("y\n")
    assert "| `compromise[decision_rules=False]` | 353 | 0 | 23.10" in text
    for name in ("deu.md", "deu-predictions.csv", "deu-summary.csv", "deu-errors.png"):
        assert (out / name).stat().st_size > 100


def _proposal(n: int) -> list[deu.Case]:
    """The cases of the first proposal with ``n`` issues."""
    by: dict[str, list[deu.Case]] = {}
    for c in deu.cases():
        by.setdefault(c.proposal, []).append(c)
    return next(v for v in by.values() if len(v) == n)


def test_combined_proposal_keeps_every_issue_as_it_was() -> None:
    cases = _proposal(4)
    sc = combine([c.scenario() for c in cases], id="p", issue_ids=[c.id for c in cases])
    assert sc.issue_ids == tuple(c.id for c in cases)
    together = models.run("compromise", sc).forecast
    alone = [models.run("compromise", c.scenario()).forecast[0] for c in cases]
    np.testing.assert_allclose(together, alone, rtol=1e-12)  # issue-independent: unchanged
    assert [i.outcome.value for i in sc.issues if i.outcome] == [c.outcome for c in cases]


def test_combine_refuses_actors_whose_capability_differs() -> None:
    a, b = _proposal(2)
    with pytest.raises(ScenarioError, match=r"actors\.\w+\.capability: differs between"):
        combine([a.scenario("nice"), b.scenario("gdp")], id="p", issue_ids=["i", "j"])


def test_proposal_predictor_trades_across_a_proposals_issues() -> None:
    cases = [c for n in (1, 3) for c in _proposal(n)]
    folds = np.zeros(len(cases), dtype=np.int64)
    # an issue-independent model gives the same forecasts either way
    unbound = {"decision_rules": False}  # the trades themselves, before the Council's rule
    same, _ = ProposalPredictor("compromise", unbound).predict(cases, folds)
    alone, _ = ModelPredictor("compromise", unbound).predict(cases, folds)
    np.testing.assert_allclose(same, alone, rtol=1e-12)
    # the exchange model: the single-issue proposal keeps its NBS, the others trade
    values, notes = ProposalPredictor("exchange", unbound).predict(cases, folds)
    np.testing.assert_allclose(values[0], alone[0], rtol=1e-12)
    sc = combine([c.scenario() for c in cases[1:]], id="p", issue_ids=[c.id for c in cases[1:]])
    res = models.run("exchange", sc, decision_rules=False)
    np.testing.assert_array_equal(values[1:], res.forecast)
    assert sum(res.extra["realised"]) > 0 and np.abs(values[1:] - alone[1:]).max() > 1
    assert notes[1].startswith("3 issues together")


def test_by_proposal_predictors_only_on_request() -> None:
    names = [p.name for p in default_predictors(["compromise", "exchange"])]
    assert "exchange[by proposal]" not in names
    names = [p.name for p in default_predictors(["compromise", "exchange"], by_proposal=True)]
    assert "exchange[by proposal]" in names and "compromise[by proposal]" not in names


def _stack_base() -> list[Predictor]:
    unbound = {"decision_rules": False}
    return [
        ModelPredictor("compromise", unbound),
        ModelPredictor("median", unbound),
        *[b for b in baselines() if b.domain == "all"],
    ]


def test_out_of_fold_90_percent_intervals_cover_88_to_92_percent(result) -> None:  # type: ignore[no-untyped-def]
    s = result.summary
    for name in ("compromise[decision_rules=False]", "stacked-ensemble", "median"):
        low, high = (0.88, 0.92) if name != "median" else (0.88, 0.95)  # ties of errors
        assert low <= s.loc[name, "coverage"] <= high, name
        assert 0 < s.loc[name, "crps"] < s.loc[name, "mae"], name  # a spread beats a point
    rows = result.predictions[result.predictions["predictor"] == "median"]
    inside = (rows["lower"] <= rows["outcome"]) & (rows["outcome"] <= rows["upper"])
    assert inside.mean() == pytest.approx(s.loc["median", "coverage"])


def test_paired_difference_against_the_published_compromise_model(result) -> None:  # type: ignore[no-untyped-def]
    s = result.summary
    ref = "compromise[decision_rules=False]"
    assert s.loc[ref, "dmae"] == 0 and s.loc[ref, "dmae_lo"] == 0
    for name in ("median", "constant-50", "stacked-ensemble"):
        assert s.loc[name, "dmae"] == pytest.approx(s.loc[name, "mae"] - s.loc[ref, "mae"])
        assert s.loc[name, "dmae_lo"] <= s.loc[name, "dmae"] <= s.loc[name, "dmae_hi"]
    assert s.loc["constant-50", "dmae_lo"] > 0  # the compromise model is reliably better


def test_the_ensemble_fits_its_weights_on_training_folds_only() -> None:
    cases = deu.cases()
    folds = assign_folds(cases, 5, 2021)
    stack = Stacked("s", "", _stack_base())
    values, _ = stack.predict(cases, folds)
    ids = np.array([c.id for c in cases])
    for f, (train, w) in stack.fits.items():
        assert train == frozenset(ids[folds != f].tolist())  # exactly the other folds
        assert w.min() >= 0 and w.sum() == pytest.approx(1)
    # changing the outcomes of fold 0 leaves fold 0's forecasts and intervals unchanged
    flipped = [
        dataclasses.replace(c, outcome=100 - c.outcome) if f == 0 else c
        for c, f in zip(cases, folds, strict=True)
    ]
    again, _ = Stacked("s", "", _stack_base()).predict(flipped, folds)
    np.testing.assert_allclose(again[folds == 0], values[folds == 0], atol=1e-9)
    assert np.abs(again[folds != 0] - values[folds != 0]).max() > 0.01  # the others refit
    lo, hi, _ = intervals(stack, cases, folds, values)
    lo2, hi2, _ = intervals(stack, flipped, folds, values)
    np.testing.assert_allclose(lo[folds == 0], lo2[folds == 0], atol=1e-9)
    np.testing.assert_allclose(hi[folds == 0], hi2[folds == 0], atol=1e-9)


def test_no_leak_with_permuted_outcomes_the_ensemble_does_not_beat_constant_50() -> None:
    cases = deu.cases()
    folds = assign_folds(cases, 5, 2021)
    perm = np.random.default_rng(13).permutation(len(cases))
    shuffled = [
        dataclasses.replace(c, outcome=cases[int(perm[k])].outcome) for k, c in enumerate(cases)
    ]
    y = np.array([c.outcome for c in shuffled])
    stacked, _ = Stacked("s", "", _stack_base()).predict(shuffled, folds)
    diff = np.abs(stacked - y) - np.abs(50.0 - y)
    _lo, hi = bootstrap_interval(diff, resamples=1000, seed=1)
    assert hi >= 0 and diff.mean() > -0.5  # not better than the middle of the scale
    # on the real outcomes the same ensemble is reliably better than constant 50
    real = np.array([c.outcome for c in cases])
    honest, _ = Stacked("s", "", _stack_base()).predict(cases, folds)
    _lo, hi = bootstrap_interval(np.abs(honest - real) - np.abs(50.0 - real), resamples=1000)
    assert hi < 0


def test_conformal_quantile() -> None:
    r = np.arange(1.0, 20.0)  # 19 residuals: the ceil(20 * 0.9) = 18th smallest
    assert conformal_quantile(r, 0.9) == 18.0
    assert conformal_quantile(np.array([1.0]), 0.9) == float("inf")
