"""The settlement engine's fast paths give the numbers of the straightforward computations
they replace, bit for bit: on random tables, and through the whole engine on random
parameter draws of both flagships (the reference computations are written here or are
the modules' own general functions: a sort per run for the ratified bound, one φ table
per run searched stacked, every package, every belief row, power_shift with its checks)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import accord.war.settle as engine
import accord.war.twolevel as twolevel
from accord import scenarios
from accord.analysis.settle import settle_inputs
from accord.analysis.uncertainty import Sampler
from accord.war.commitment import power_shift
from accord.war.settle import SettleInputs, SettleResult, settle
from accord.war.twolevel import (
    LeaderTable,
    SideTable,
    Survival,
    end_risks,
    faction_bounds,
    leader_bound,
    leader_phi,
    ratified_bound,
)

F = np.ndarray


def _table(rng: np.random.Generator, n_f: int, n_k: int) -> SideTable:
    gains = rng.uniform(-0.4, 0.4, (n_f, n_k))
    premium = rng.uniform(-0.2, 0.2, n_f)
    if n_f >= 3:
        gains[2], premium[2] = gains[1], premium[1]  # twins: equal ends in every run
    if n_f >= 4:  # a near tie on some packages: c differs by less than the rounding bound
        premium[3] = premium[0]
        gains[3] = gains[0]
        gains[3, ::3] = np.nextafter(gains[0, ::3], np.inf)
    w0 = rng.dirichlet(np.ones(n_f))
    return SideTable(tuple(f"f{i}" for i in range(n_f)), gains, premium, w0, np.zeros((n_f, 3)))


def _ends(tab: SideTable, v: F, side: int) -> F:
    vf = (v[:, None] + tab.premium[None, :])[:, :, None]
    out: F = vf - tab.gains[None, :, :] if side == 0 else 1.0 + tab.gains[None, :, :] - vf
    return out


@pytest.mark.parametrize("n_f", [1, 2, 3, 4, 5])
def test_faction_bounds_equal_a_sort_per_run(n_f: int) -> None:
    rng = np.random.default_rng(n_f)
    tab = _table(rng, n_f, 48)
    if n_f >= 4:  # the near ties are found and left to the sort
        assert (tab.gap <= 1e-15).any() and np.isfinite(tab.gap).any()
    for trial in range(6):
        runs = 40
        v = rng.uniform(-0.5, 1.5, runs)
        w = rng.dirichlet(np.ones(n_f), runs)
        if trial == 0 and n_f >= 2:  # cumulative weights exactly at kappa
            w = np.tile(np.r_[0.25, 0.25, np.full(n_f - 2, 0.5 / max(n_f - 2, 1))][:n_f], (runs, 1))
        cols = None if trial % 2 else np.sort(rng.choice(48, 17, replace=False))
        for kappa in (0.3, 0.5, 0.75, 1.0):
            for side in (0, 1):
                want = ratified_bound(_ends(tab, v, side), w, kappa, side)
                got = faction_bounds(tab, v, w, kappa, side, cols)
                np.testing.assert_array_equal(got, want if cols is None else want[:, cols])


def _stacked(row: F, need: F, off: F) -> Any:
    """The general path's search: every run's copy of the table stacked by its offset."""
    runs, grid = need.shape[0], row.shape[0]
    flat = (np.broadcast_to(row, (runs, grid)) + off).ravel()
    pos = np.searchsorted(flat, (need + off).ravel(), side="left").reshape(need.shape)
    return pos - np.arange(runs)[:, None] * grid


def test_one_shared_table_is_found_where_the_stacked_search_finds_it() -> None:
    rng = np.random.default_rng(3)
    lead = Survival(1, office=0.3, regime="mixed", r_max=0.6, cover=0.3)
    row = leader_phi(np.array([0.9]), lead)[0]
    runs = 4000  # large offsets: their rounding merges a query with the node just below it
    nodes = rng.integers(0, row.size, (runs, 30))
    need = row[nodes] + rng.choice([-1, 0, 1], (runs, 30)) * rng.uniform(0, 1e-12, (runs, 30))
    need[:, :3] = rng.uniform(row[0] - 0.1, row[-1] + 0.1, (runs, 3))
    off = np.arange(runs, dtype=float)[:, None] * 2.5
    got = twolevel._stacked_position(row, need, off)
    np.testing.assert_array_equal(got, _stacked(row, need, off))
    assert (got != np.searchsorted(row, need)).any()  # the rounding did move some


@pytest.mark.parametrize("regime", ["democracy", "autocracy", "mixed"])
def test_leader_bound_on_a_shared_table_equals_one_table_per_run(regime: str) -> None:
    rng = np.random.default_rng(len(regime))
    lead = Survival(0, office=0.4, regime=regime, r_max=0.8, cover=0.2)
    runs, n_k = 300, 60
    ref = np.full(runs, 0.85)
    v = rng.uniform(-0.2, 1.2, runs)
    g = rng.uniform(-0.5, 0.5, n_k)
    rw = rng.uniform(0.0, 0.5, runs)
    shared = leader_phi(ref[:1], lead)
    per_run = leader_phi(ref, lead)
    want = leader_bound(v, g, ref, rw, lead, phi=per_run)
    np.testing.assert_array_equal(leader_bound(v, g, ref, rw, lead, phi=shared), want)
    np.testing.assert_array_equal(leader_bound(v, g, ref, rw, lead), want)
    cols = np.sort(rng.choice(n_k, 21, replace=False))
    for phi in (shared, per_run):
        got = leader_bound(v, g, ref, rw, lead, phi=phi, cols=cols)
        np.testing.assert_array_equal(got, want[:, cols])


def test_belief_rows_at_the_months_ends_are_the_full_tables_rows() -> None:
    nodes, _ = engine._nodes(engine._NODES)
    wbar = engine.discounted_line(nodes, 60, 0.98**0.25)
    full = engine._belief_table(3.2, 5.1, wbar, 25, 48, True)
    ends = engine._belief_table(3.2, 5.1, wbar, 25, 48, True, 4)
    np.testing.assert_array_equal(ends[::4], full[::4])
    assert np.isnan(np.delete(ends, np.s_[::4], axis=0)).all()


# -- the whole engine against its reference computation -------------------------------------


def _reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the straightforward computations in place of every fast path of the engine."""

    def sort_per_run(tab: SideTable, v: F, w: F, kappa: float, side: int, cols: Any = None) -> F:
        out = ratified_bound(_ends(tab, v, side), w, kappa, side)
        return out if cols is None else out[:, cols]

    def one_table_per_run(ref: F, lead: Survival, best: float, worst: float) -> LeaderTable:
        r = np.asarray(ref, dtype=float)
        return LeaderTable(leader_phi(r, lead), *end_risks(r, best, worst, lead))

    full_bounds = twolevel.month_bounds

    def every_package(*args: Any) -> Any:
        *head, cols = args
        fac, both, extras = full_bounds(*head)
        if cols is None:
            return fac, both, extras
        cut = {k: tuple(a[:, cols] for a in extras[k]) for k in ("state", "factions", "leader")}
        return (
            (fac[0][:, cols], fac[1][:, cols]),
            (both[0][:, cols], both[1][:, cols]),
            {
                **extras,
                **cut,
            },
        )

    belief = engine._belief_table

    def every_row(*args: Any) -> F:
        out: F = belief(*args[:6])
        return out

    def checked(p: F, q: F, delta: float, d: F) -> tuple[F, F]:
        r = power_shift(p, q, delta, d)
        return np.asarray(r.lhs), np.asarray(r.rhs)

    monkeypatch.setattr(twolevel, "faction_bounds", sort_per_run)
    monkeypatch.setattr(engine, "leader_table", one_table_per_run)
    monkeypatch.setattr(engine, "month_bounds", every_package)
    monkeypatch.setattr(engine, "_belief_table", every_row)
    monkeypatch.setattr(engine, "shift_terms", checked)


def _arrays(res: SettleResult) -> dict[str, Any]:
    names = ("outcome", "month", "terms", "line", "escalated", "curtailed", "swap")
    out = {n: getattr(res, n) for n in (*names, "retaken", "relapse", "package", "surplus")}
    out |= {"blocked": res.blocked, "at_war": res.at_war, "pressure": res.pressure}
    dom = res.domestic or {}
    for k in ("blocked", "ratify_blocked", "leader_blocked", "removal"):
        out[f"domestic.{k}"] = dom[k]
    for i, w in enumerate(dom["weights"]):
        out[f"domestic.weights[{i}]"] = w
    out |= {f"bounds0.{k}": v for k, v in dom["bounds0"].items()}
    return out


def _cases(sid: str) -> list[tuple[SettleInputs, bool]]:
    sc = scenarios.load(sid)
    draws = [d[0] for d in Sampler(sc).draws(5, range(3))]
    out = [(settle_inputs(d)[0], k == 0) for k, d in enumerate([sc, *draws])]
    inp = out[0][0]
    dom = inp.domestic
    assert dom is not None  # leaders judging by the war's month-0 course (a table per run)
    own = replace(dom, survival=tuple(replace(s, expectation=None) for s in dom.survival))
    out.append((inp.with_(domestic=own), False))
    out.append((inp.with_(domestic=replace(dom, threshold=(1.0, 0.3))), False))
    return out


@pytest.mark.parametrize("sid", ["ukraine-2023-03", "ukraine-2024-08"])
def test_the_engine_equals_its_reference_computation(
    sid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = _cases(sid)
    fast = [_arrays(settle(inp, runs=400, seed=k, trace=tr)) for k, (inp, tr) in enumerate(cases)]
    _reference(monkeypatch)
    for k, (inp, tr) in enumerate(cases):
        want = _arrays(settle(inp, runs=400, seed=k, trace=tr))
        assert want.keys() == fast[k].keys()
        for name, arr in want.items():
            np.testing.assert_array_equal(fast[k][name], arr, err_msg=f"case {k}: {name}")
