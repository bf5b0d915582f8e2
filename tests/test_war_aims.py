"""War aims as a private type screened inside the settlement engine (M10 with M2)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
import pytest

from accord import scenarios
from accord.analysis.domestic import summary
from accord.analysis.settle import settle_inputs
from accord.war.leader import aims_posterior
from accord.war.settle import SettleInputs, SettleResult, settle
from accord.war.twolevel import WarAims

RUNS, MONTHS = 400, 12


@lru_cache(maxsize=1)
def _base() -> SettleInputs:
    inp, _ = settle_inputs(scenarios.load("ukraine-2024-08"), aims=True)
    assert inp.domestic is not None and inp.domestic.aims
    return inp


def _with(prior: float, eps: float, offer_below: float = 0.5, **kw: float) -> SettleInputs:
    inp = _base()
    assert inp.domestic is not None
    aims = tuple(replace(a, prior=prior, mistake=eps, **kw) for a in inp.domestic.aims)
    return inp.with_(domestic=replace(inp.domestic, aims=aims, offer_below=offer_below))


def _same(a: SettleResult, b: SettleResult) -> None:
    np.testing.assert_array_equal(a.outcome, b.outcome)
    np.testing.assert_array_equal(a.month, b.month)
    np.testing.assert_array_equal(a.terms, b.terms)
    np.testing.assert_array_equal(a.line, b.line)
    np.testing.assert_array_equal(a.blocked, b.blocked)


def test_aims_are_off_by_default_and_declared_on_request() -> None:
    inp, _ = settle_inputs(scenarios.load("ukraine-2024-08"))
    assert inp.domestic is not None and inp.domestic.aims == ()
    a = _base().domestic
    assert a is not None
    # the flagship's unlimited-aims ideal is the leader's expectation on the line
    lead = a.leader(a.aims[0].side)
    assert lead is not None and lead.expectation is not None
    exp = lead.expectation if a.aims[0].side == 0 else 1.0 - lead.expectation
    assert a.aims[0].ideal == pytest.approx(exp)


def test_prior_zero_equals_the_engine_without_aims_run_for_run() -> None:
    inp = _base()
    assert inp.domestic is not None
    no_aims = inp.with_(domestic=replace(inp.domestic, aims=()))
    ref = settle(no_aims, months=MONTHS, runs=RUNS, seed=3)
    for eps in (0.0, 0.1, 0.5):
        res = settle(_with(0.0, eps), months=MONTHS, runs=RUNS, seed=3)
        _same(res, ref)
        assert res.domestic is not None
        assert not res.domestic["aims"]["aims_blocked"].any()
        np.testing.assert_array_equal(res.domestic["aims"]["mu_path"], 0.0)
    assert ref.outcome.tolist().count(0) > 0  # the comparison covers settled runs


@pytest.mark.parametrize("offer_below", [0.5, 1.0])
def test_prior_one_eps_zero_no_deal_the_unlimited_type_rejects(offer_below: float) -> None:
    inp = _with(1.0, 0.0, offer_below)
    assert inp.domestic is not None
    a = inp.domestic.aims[0]
    res = settle(inp, months=MONTHS, runs=RUNS, seed=3)
    assert res.domestic is not None
    am = res.domestic["aims"]
    assert am["unlimited"][:, a.side].all()
    settled = res.outcome == 0
    x = res.terms[settled, 0]
    assert (x >= a.ideal - 1e-9).all() if a.side == 0 else (x <= a.ideal + 1e-9).all()
    np.testing.assert_array_equal(am["mu_path"][:, a.side], 1.0)
    free = settle(_with(0.0, 0.0), months=MONTHS, runs=RUNS, seed=3)
    assert (free.outcome == 0).sum() > settled.sum()  # the screening does block deals
    if offer_below == 1.0:  # offers made and rejected
        assert am["aims_blocked"].any() and not am["held_out"].any()
    else:  # mu = 1 > mu*: the opponent never offers
        assert not am["aims_blocked"].any() and am["held_out"].any()


@pytest.mark.parametrize(("prior", "eps"), [(0.3, 0.2), (0.5, 0.1), (0.7, 0.0)])
def test_a_rejection_moves_the_posterior_by_the_closed_form(prior: float, eps: float) -> None:
    inp = _with(prior, eps, offer_below=1.0)
    assert inp.domestic is not None
    side = inp.domestic.aims[0].side
    res = settle(inp, months=MONTHS, runs=RUNS, seed=5)
    assert res.domestic is not None
    am = res.domestic["aims"]
    n = am["rejections"][:, side]
    assert (n == 1).any()
    post = prior / (prior + (1 - prior) * eps)
    assert post == pytest.approx(float(aims_posterior(prior, eps).posterior))
    # each run's posterior is the closed form iterated once per rejection
    expect = np.full(RUNS, prior)
    for _ in range(int(n.max())):
        nxt = expect / (expect + (1 - expect) * eps)
        expect = np.where(n > 0, nxt, expect)
        n = n - 1
    np.testing.assert_allclose(am["mu"][:, side], expect, rtol=0, atol=1e-12)
    one = am["rejections"][:, side] == 1
    np.testing.assert_allclose(am["mu"][one, side], post, rtol=0, atol=1e-12)
    # only unlimited leaders reject (the limited type accepts its win-set)
    assert am["unlimited"][am["rejections"][:, side] > 0, side].all()
    np.testing.assert_allclose(am["mu_path"][-1, side], am["mu"][:, side].mean(), atol=1e-12)


def test_summary_and_determinism() -> None:
    inp = _with(0.5, 0.1)
    a = settle(inp, months=MONTHS, runs=RUNS, seed=11)
    b = settle(inp, months=MONTHS, runs=RUNS, seed=11)
    _same(a, b)
    assert a.domestic is not None and b.domestic is not None
    for k in ("mu_path", "unlimited", "aims_blocked", "held_out"):
        np.testing.assert_array_equal(a.domestic["aims"][k], b.domestic["aims"][k])
    s = summary(a)["aims"]
    assert 0 < s["p_unlimited_blocked"] <= s["p_unlimited_drawn"][next(iter(s["posterior_path"]))]
    path = next(iter(s["posterior_path"].values()))
    assert len(path) == MONTHS + 1 and path[0] >= 0.5
    assert np.all(np.diff(path) >= -1e-12)  # rejections only raise it; escalation keeps it


def test_bad_aims_numbers_are_refused() -> None:
    inp = _base()
    assert inp.domestic is not None
    bad = replace(inp.domestic, aims=(WarAims(1, 1.5, 0.1, 0.0),))
    with pytest.raises(Exception, match="must be in"):
        settle(inp.with_(domestic=bad), months=1, runs=10, seed=0)


def test_bad_offer_cutoff_names_the_parameter() -> None:
    from accord.errors import ModelError

    sc = scenarios.load("ukraine-2024-08")
    with pytest.raises(ModelError, match="aims_offer_below") as e:
        settle_inputs(sc, {"aims_offer_below": 2.0}, aims=True)
    assert "2.0" in str(e.value)
    settle_inputs(sc, {"aims_offer_below": 0.9}, aims=True)  # a valid cutoff is read
    with pytest.raises(ModelError, match="unknown parameter"):
        settle_inputs(sc, {"aims_offer_below": 0.9})  # without --aims it is not an input
