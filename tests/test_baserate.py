"""Reference-class base rates: Kaplan-Meier by hand, AFT fits against scipy and lifelines,
Aalen-Johansen by hand, the as-of discipline, and the command line."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from accord import scenarios
from accord.analysis import survival
from accord.analysis.baserate import ReferenceClass, base_rate, base_rate_for, cut_at
from accord.cli import app
from accord.datasets import ucdp
from accord.errors import ModelError

# A tiny table: six durations, four endings, two censored.
T = np.array([2.0, 3.0, 3.0, 5.0, 7.0, 8.0])
E = np.array([True, True, False, True, False, True])


def test_kaplan_meier_equals_a_hand_computation() -> None:
    m = survival.km(T, E)
    # S(2) = 5/6; S(3) = 5/6 * 4/5; S(5) = S(3) * 2/3; 7 is censored; S(8) = 0
    expected = {1.0: 1.0, 2.0: 5 / 6, 3.0: 4 / 6, 4.0: 4 / 6, 5.0: 4 / 9, 7.5: 4 / 9, 8.0: 0.0}
    np.testing.assert_allclose(m.survival(np.array(list(expected))), list(expected.values()))
    # P(T <= 3 + 3 | T > 3) = 1 - S(6) / S(3) = 1/3
    np.testing.assert_allclose(m.p_end(np.array([3.0]), 3.0), [1 / 3])


def test_conditional_kaplan_meier_and_its_greenwood_interval_by_hand() -> None:
    n, p, lo, hi = survival.km_conditional(T, E, 3.0, [3.0])
    assert n == 3  # 5, 7, 8 ran longer than 3
    np.testing.assert_allclose(p, [1 / 3])  # the same number as 1 - S(6)/S(3)
    # log(-log) Greenwood: var = sum d/(n(n-d)) = 1/(3*2); se of log(-log S) = sqrt(var)/|log S|
    s = 2 / 3
    se = math.sqrt(1 / 6) / abs(math.log(s))
    s_lo, s_hi = s ** math.exp(1.959964 * se), s ** math.exp(-1.959964 * se)
    np.testing.assert_allclose(lo, [1 - s_hi], rtol=1e-5)
    np.testing.assert_allclose(hi, [1 - s_lo], rtol=1e-5)


def test_no_ending_in_the_window_gives_the_exact_binomial_upper_bound() -> None:
    n, p, lo, hi = survival.km_conditional(T, E, 5.0, [1.0])  # 7 and 8 at risk, none ends by 6
    assert n == 2 and p[0] == 0.0 and lo[0] == 0.0
    np.testing.assert_allclose(hi, [1 - 0.025 ** (1 / 2)])


def test_aalen_johansen_equals_a_hand_computation() -> None:
    t = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    # causes in CAUSES order: 1 agreement, 2 ceasefire; 0 censored
    c = np.array([1, 2, 1, 0, 2])
    cif = survival.cumulative_incidence(t, c, 0.0, 3.5)
    # F1 = 1/5 + (4/5)(2/4)(1/3)... : S(0)=1, S(1)=4/5, S(2)=3/5; F1 = 1/5 + (3/5)/3 = 0.4
    np.testing.assert_allclose(cif.loc["agreement", "p"], 0.4)
    np.testing.assert_allclose(cif.loc["ceasefire", "p"], (4 / 5) / 4)
    assert cif.loc["victory_a", "p"] == 0.0


def test_cumulative_incidences_add_up_to_kaplan_meier() -> None:
    e = ucdp.episodes()
    t = e["duration_months"].to_numpy()
    ended = e["ended"].to_numpy()
    causes = survival.cause_codes(e["outcome"])
    for d in (0.0, 30.0):
        cif = survival.cumulative_incidence(t, causes, d, 12.0)
        _, p, _, _ = survival.km_conditional(t, ended, d, [12.0])
        np.testing.assert_allclose(cif["p"].sum(), p[0], atol=1e-5)


@pytest.mark.parametrize(
    ("kind", "dist"), [("weibull", stats.weibull_min), ("loglogistic", stats.fisk)]
)
def test_intercept_only_aft_equals_scipys_censored_maximum_likelihood(
    kind: str, dist: object
) -> None:
    e = ucdp.episodes()
    e = e[e["type"] == "interstate"]
    t = e["duration_months"].to_numpy()
    ended = e["ended"].to_numpy()
    m = survival.aft(kind, pd.DataFrame(index=range(len(t))), t, ended)  # type: ignore[arg-type]
    shape, _, scale = dist.fit(  # type: ignore[attr-defined]
        stats.CensoredData(uncensored=t[ended], right=t[~ended]), floc=0
    )
    params = m.params.to_numpy()
    np.testing.assert_allclose(np.exp(params[0]), scale, rtol=1e-4)
    np.testing.assert_allclose(np.exp(params[1]), shape, rtol=1e-4)


@pytest.mark.parametrize("kind", ["weibull", "loglogistic"])
def test_aft_with_covariates_equals_lifelines_own(kind: str) -> None:
    from lifelines import LogLogisticAFTFitter, WeibullAFTFitter

    e = ucdp.episodes()
    x = survival.design(e)
    t = e["duration_months"].to_numpy()
    ended = e["ended"].to_numpy()
    m = survival.aft(kind, x, t, ended)  # type: ignore[arg-type]
    frame = x.reset_index(drop=True).assign(T=t, E=ended.astype(int))
    own = (WeibullAFTFitter if kind == "weibull" else LogLogisticAFTFitter)()
    own.fit(frame, duration_col="T", event_col="E")
    pd.testing.assert_series_equal(m.params, own.params_, check_names=False)
    d = np.full(len(x), 30.0)
    direct = own.predict_survival_function(
        frame[list(x.columns)], times=[12.0], conditional_after=d
    )
    np.testing.assert_allclose(m.p_end(x, d, 12.0), 1 - direct.to_numpy()[0])
    # the closed form used for the parameter-uncertainty intervals is lifelines' S(t | x)
    np.testing.assert_allclose(
        m.survival_closed_form(x, np.full(len(x), 17.0))[0],
        own.predict_survival_function(frame[list(x.columns)], times=[17.0]).to_numpy()[0],
    )


def test_interstate_wars_end_sooner_in_the_covariate_model() -> None:
    e = ucdp.episodes()
    m = survival.aft(
        "weibull", survival.design(e), e["duration_months"].to_numpy(), e["ended"].to_numpy()
    )
    assert m.params[("lambda_", "interstate")] < 0  # shorter
    assert m.params[("rho_", "Intercept")] < 0  # rho < 1: the hazard of ending falls with time


def test_cut_at_uses_nothing_after_the_date() -> None:
    when = dt.date(1999, 12, 31)
    e = cut_at(ucdp.episodes(), when)
    assert (e["start"] <= pd.Timestamp(when)).all()
    assert (e.loc[e["ended"], "end"] <= pd.Timestamp(when)).all()
    ends = e["start"] + pd.to_timedelta(e["duration_months"] * 365.25 / 12, unit="D")
    assert (ends <= pd.Timestamp(when) + pd.Timedelta(days=1)).all()


def test_base_rate_for_a_flagship_scenario() -> None:
    sc = scenarios.load("ukraine-2024-08")
    assert sc.reference_class is not None
    r = base_rate_for(sc)
    np.testing.assert_allclose(
        r.duration_months, (sc.as_of - dt.date(2022, 2, 24)).days / (365.25 / 12)
    )
    members = r.reference_class.select()
    assert len(members) == r.n
    assert (members["start"] < pd.Timestamp("2022-02-24")).all()  # never its own reference
    assert set(members["type"]) == {"interstate"}
    assert set(members["incompatibility"]) <= {"territory", "both"}
    assert r.n_at_risk < 10 and r.warnings  # few interstate wars last 2.5 years
    frame = r.to_frame()
    assert list(frame.index) == [6.0, 12.0, 24.0]
    for kind in ("weibull", "loglogistic"):
        assert (frame[f"{kind}_lo"] <= frame[kind]).all() and (
            frame[kind] <= frame[f"{kind}_hi"]
        ).all()
        assert frame[kind].is_monotonic_increasing
    json.dumps(r.to_dict())
    head = r.headline(12.0)
    assert head.estimate == "weibull-aft"  # too few in the class: the AFT rate stands in
    assert (head.p, head.lo, head.hi) == tuple(
        frame.loc[12.0, ["weibull", "weibull_lo", "weibull_hi"]]
    )
    assert head.text.startswith("base rate: P(end within 12 months | lasted 30) = ")
    assert base_rate_for(sc).to_frame().equals(frame)  # seeded: the same numbers again
    # the same class by hand
    same = base_rate(
        ReferenceClass(
            "interstate",
            "territory",
            "war",
            started_before=dt.date(2022, 2, 24),
            observed_until=sc.as_of,
        ),
        r.duration_months,
    )
    pd.testing.assert_frame_equal(same.to_frame(), frame)


def test_base_rate_of_all_episodes_at_the_start() -> None:
    r = base_rate(ReferenceClass(started_before=dt.date(2000, 1, 1)), 0.0)
    e = ucdp.episodes()
    e = e[e["start"] < pd.Timestamp("2000-01-01")]
    assert r.n == len(e) == r.n_at_risk
    # no episode that began before 2000 is censored within 12 months: KM is the plain share
    short = e[e["duration_months"] <= 12]
    assert short["ended"].all()
    np.testing.assert_allclose(r.p_end(12.0), len(short) / len(e))
    assert r.headline(12.0).estimate == "kaplan-meier" and r.headline(12.0).p == r.p_end(12.0)
    assert r.mix["episodes"].sum() == e["ended"].sum()


def test_bad_reference_classes_are_refused() -> None:
    with pytest.raises(ModelError, match="type"):
        ReferenceClass(type="civil")
    with pytest.raises(ModelError, match="duration_months"):
        base_rate(ReferenceClass(), -1.0)
    with pytest.raises(ModelError, match="no UCDP episode"):
        base_rate(ReferenceClass("interstate", started_before=dt.date(1940, 1, 1)))
    with pytest.raises(ModelError, match="declares no reference_class"):
        base_rate_for(scenarios.load("ec-emissions-1994"))


def test_cli_baserate_json_and_table() -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "baserate",
            "--type",
            "interstate",
            "--incompatibility",
            "territory",
            "--duration-months",
            "12",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)["result"]
    assert payload["n_at_risk"] < payload["n"]
    assert [row["horizon"] for row in payload["p_end"]] == [6.0, 12.0, 24.0]
    assert payload["cow_check"]["wars"] == 95
    res = runner.invoke(app, ["baserate", "--scenario", "ukraine-2023-03"])
    assert res.exit_code == 0, res.output
    assert "began before 2022-02-24, as known on 2023-03-22" in res.stdout
    assert "P(ends within h months | lasted 12.8)" in res.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["baserate", "--type", "civil"],
        ["baserate", "--duration-months", "-1"],
        ["baserate", "--intensity", "huge"],
        ["baserate", "--scenario", "ec-emissions-1994"],
        ["baserate", "--plot", "x.gif"],
    ],
)
def test_cli_baserate_bad_input_exits_2(args: list[str]) -> None:
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2
    assert "Traceback" not in res.output
