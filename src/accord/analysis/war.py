"""War models on a scenario: read the ``war:`` section, apply overrides, run the model.

This is the glue between the scenario (data layer) and :mod:`accord.war` (pure models):
each ``*_inputs`` function turns a scenario's war section into the keyword arguments of a
model, overrides (e.g. from the command line) replace single values, and a missing value
is an error naming the parameter. ``window_curves`` evaluates each side's no-war condition
over guarantee strengths for the commitment-window plot.

The pie is side A's share of the war issue (:func:`war_issue`): the ``war:`` section's
issue, or a scenario's only issue where it has no war section (with several issues and no
war section the pie stays in pie units, 0-100).

Side A is the scenario's first belligerent, side B its second (:data:`accord.war` speaks
only of A and B); :func:`sides` gives their actor ids, :func:`parcels` turns the scenario's
parcels into :class:`accord.war.Parcel` (owner and holder as ``"A"``/``"B"``), and
:func:`swap_table`, :func:`mediation_table` and :func:`hazard_curves` run M5, M6 and M9 on a
scenario for ``accord war swap|mediate|durability``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from accord import war
from accord.errors import ModelError
from accord.scenario.schema import Scenario, Sourced
from accord.scenario.war import War
from accord.war._common import WarResult

__all__ = [
    "bias_sweep",
    "brink_inputs",
    "commit_inputs",
    "durability_inputs",
    "fight_inputs",
    "hazard_curves",
    "mediate_inputs",
    "mediation_table",
    "merge",
    "origin",
    "overview",
    "parcels",
    "pie_label",
    "provenance",
    "range_inputs",
    "range_sweep",
    "screen_inputs",
    "sides",
    "swap_chip",
    "swap_inputs",
    "swap_table",
    "territory_of",
    "war_issue",
    "window_curves",
]

Inputs = dict[str, Any]


def _v(x: Any) -> float | None:
    return None if x is None else float(x.value)


def _costs(w: War) -> tuple[float | None, float | None]:
    u, r = w.belligerents
    return _v(w.costs.get(u)), _v(w.costs.get(r))


def range_inputs(sc: Scenario) -> Inputs:
    """M1: p, c_A, c_B."""
    w = sc.war
    if w is None:
        return {"p": None, "c_A": None, "c_B": None}
    cu, cr = _costs(w)
    return {"p": _v(w.p), "c_A": cu, "c_B": cr}


def screen_inputs(sc: Scenario) -> Inputs:
    """M2: p, c_A, c_bar (continuous type); p_w, p_s, mu (two types; c_A = c_A, c_B = c_B)."""
    out = range_inputs(sc)
    s = sc.war.screening if sc.war is not None else None
    out.update(
        c_bar=_v(s.c_bar) if s else None,
        p_w=_v(s.p_weak) if s else None,
        p_s=_v(s.p_strong) if s else None,
        mu=_v(s.mu) if s else None,
    )
    return out


def _start(sc: Scenario, w: War, n: int) -> int | None:
    if w.issue not in sc.issue_ids or w.front is None:
        return None
    issue = sc.issue(w.issue)
    if issue.status_quo is None:
        return None
    lo, hi = w.front.territory_at_0, w.front.territory_at_max
    return round(n * (issue.status_quo.value - lo) / (hi - lo))


def fight_inputs(sc: Scenario) -> Inputs:
    """M3: front, true odds, beliefs and costs; the start is the issue's status quo."""
    out: Inputs = {
        "N": 20, "start": None, "theta": None, "alpha_A": None, "beta_A": None,
        "alpha_B": None, "beta_B": None, "c_A": None, "c_B": None, "max_battles": 200,
        "territory": (0.0, 100.0),
    }  # fmt: skip
    w = sc.war
    if w is None:
        issue = war_issue(sc)
        if issue is not None:  # the front spans the pie's issue, as territory_of maps it
            scale = sc.issue(issue).scale
            out["territory"] = (float(scale.min), float(scale.max))
        return out
    out["c_A"], out["c_B"] = _costs(w)
    u, r = w.belligerents
    if u in w.beliefs:
        out["alpha_A"], out["beta_A"] = _v(w.beliefs[u].alpha), _v(w.beliefs[u].beta)
    if r in w.beliefs:
        out["alpha_B"], out["beta_B"] = _v(w.beliefs[r].alpha), _v(w.beliefs[r].beta)
    if w.front is not None:
        f = w.front
        out.update(
            N=f.states,
            theta=_v(f.theta),
            max_battles=f.max_battles,
            territory=(f.territory_at_0, f.territory_at_max),
            start=_start(sc, w, f.states),
        )
    return out


def commit_inputs(sc: Scenario) -> Inputs:
    """M4: p, q_A0 = p - shift, q_B0 (default 1 - p), gammas, delta, per-period costs, rho."""
    out: Inputs = dict.fromkeys(
        ("p", "q_A0", "q_B0", "gamma_A", "gamma_B", "delta", "d_A", "d_B"), None
    )
    out.update(rho_A=0.0, rho_B=0.0, rho_bar=1.0)
    w = sc.war
    if w is None:
        return out
    p = _v(w.p)
    out.update(p=p, delta=_v(w.delta))
    c = w.commitment
    if c is not None:
        out.update(
            q_A0=None if p is None else max(0.0, p - c.shift.value),
            q_B0=_v(c.q_B0) if c.q_B0 is not None else (None if p is None else 1 - p),
            gamma_A=_v(c.gamma_A),
            gamma_B=_v(c.gamma_B),
            d_A=_v(c.d_A),
            d_B=_v(c.d_B),
        )
        for name in ("rho_A", "rho_B", "rho_bar"):
            if getattr(c, name) is not None:
                out[name] = _v(getattr(c, name))
    return out


def brink_inputs(sc: Scenario) -> Inputs:
    """M7: the power-risk trade-off and the escalation decision with partners."""
    names = ("pi_bar", "a", "r_bar", "b", "V", "D", "phi_D", "gain", "r_use", "D_use", "Y")
    out: Inputs = dict.fromkeys(names, None)
    out.update(phi_D=0.0, partners={})
    b = sc.war.brinkmanship if sc.war is not None else None
    if b is None:
        return out
    for name in names[:-1]:
        if getattr(b, name) is not None:
            out[name] = _v(getattr(b, name))
    out["Y"] = _v(b.trade_total)
    out["partners"] = {
        k: (float(p.trade_share.value), float(p.curtail.value)) for k, p in b.partners.items()
    }
    return out


def origin(x: Sourced | None) -> str | None:
    """Where a scenario number comes from: ``"scenario [K1, K2] (judgement)"``."""
    return _origin(x)


def _origin(x: Sourced | None) -> str | None:
    if x is None:
        return None
    text = "scenario"
    if x.source:
        text += " [" + ", ".join(x.source) + "]"
    return text + (" (judgement)" if x.judgement else "")


def provenance(sc: Scenario) -> dict[str, str]:
    """Where each model input of the ``*_inputs`` functions comes from in the scenario.

    ``"scenario [K1, K2] (judgement)"`` for a sourced number, ``"scenario"`` for structure
    (front states, territory mapping), ``"status quo of T"`` for the front's start;
    inputs absent here are the models' defaults.
    """
    w = sc.war
    if w is None:
        return {}
    u, r = w.belligerents
    found: dict[str, Sourced | None] = {
        "p": w.p,
        "c_A": w.costs.get(u),
        "c_B": w.costs.get(r),
        "delta": w.delta,
    }
    if w.screening is not None:
        s = w.screening
        found.update(c_bar=s.c_bar, p_s=s.p_strong, p_w=s.p_weak, mu=s.mu)
    for side, who in (("U", u), ("R", r)):
        if who in w.beliefs:
            found[f"alpha_{side}"] = w.beliefs[who].alpha
            found[f"beta_{side}"] = w.beliefs[who].beta
    out = {k: o for k, v in found.items() if (o := _origin(v)) is not None}
    if w.front is not None:
        out.update(N="scenario", max_battles="scenario", territory="scenario")
        if (o := _origin(w.front.theta)) is not None:
            out["theta"] = o
        if _start(sc, w, w.front.states) is not None:
            out["start"] = f"status quo of {w.issue}"
    c = w.commitment
    if c is not None:
        shift = _origin(c.shift)
        out["q_A0"] = f"p - shift; shift from {shift}"
        out["q_B0"] = _origin(c.q_B0) or "1 - p"
        for name in ("gamma_A", "gamma_B", "d_A", "d_B", "rho_A", "rho_B", "rho_bar"):
            if (o := _origin(getattr(c, name))) is not None:
                out[name] = o
    b = w.brinkmanship
    if b is not None:
        for name in ("pi_bar", "a", "r_bar", "b", "V", "D", "phi_D", "gain", "r_use", "D_use"):
            if (o := _origin(getattr(b, name))) is not None:
                out[name] = o
        if (o := _origin(b.trade_total)) is not None:
            out["Y"] = o
        if b.partners:
            out["partners"] = (
                "scenario ["
                + ", ".join(
                    sorted(
                        {
                            k
                            for p in b.partners.values()
                            for k in (*p.trade_share.source, *p.curtail.source)
                        }
                    )
                )
                + "]"
            )
    sw = w.swap
    if sw is not None:
        for key, val in (("h", sw.recapture), ("c", sw.cost), ("alpha", sw.pressure)):
            if (o := _origin(val)) is not None:
                out[key] = o
        if (o := _origin(sw.reputation)) is not None:
            out["psi"] = o
        out["months"] = "scenario"
    ag = w.agreement
    if ag is not None:
        for name in ("guarantees", "dmz", "peacekeepers"):
            if (o := _origin(getattr(ag, name))) is not None:
                out[name] = o
    return out


def merge(inputs: Inputs, overrides: Mapping[str, Any], *, hint: str = "") -> Inputs:
    """``inputs`` with every non-None override applied; a value still missing is an error."""
    out = dict(inputs)
    out.update({k: v for k, v in overrides.items() if v is not None})
    for key, value in out.items():
        if value is None:
            flag = "--" + key.replace("_", "-").lower()
            raise ModelError(
                f"no value: give {flag} or a scenario whose war section sets it{hint}", path=key
            )
    return out


def war_issue(sc: Scenario) -> str | None:
    """The issue the pie measures: the war section's, else the scenario's only issue, else
    ``None`` (the pie in its own units)."""
    if sc.war is not None:
        return sc.war.issue
    return sc.issue_ids[0] if len(sc.issue_ids) == 1 else None


def pie_label(sc: Scenario) -> str:
    """How outputs name the pie: the war issue's id, or ``"pie"`` (0-100) without one."""
    return war_issue(sc) or "pie"


def territory_of(sc: Scenario, x: float) -> tuple[float, float | None]:
    """A pie share as a position on the war issue's scale, and as its quantity (e.g. km²);
    ``100 x`` where no issue of the scenario is the pie."""
    issue_id = war_issue(sc)
    if issue_id is None or issue_id not in sc.issue_ids:
        return 100 * x, None
    issue = sc.issue(issue_id)
    pos = issue.scale.min + x * issue.scale.width
    return pos, issue.to_quantity(pos) if issue.quantity is not None else None


def window_curves(params: Inputs, n: int = 401) -> WarResult:
    """Each side's no-war margin over guarantee strength g in [0, 1] (the window plot).

    ``margin_A(g) = rhs - lhs`` of side A's condition with ``q_A(g)``, likewise for side B
    with ``q_B(g)``; a side keeps the peace where its margin is >= 0.
    """
    g = np.linspace(0.0, 1.0, n)
    p = params["p"]
    q_a = np.clip(params["q_A0"] + params["gamma_A"] * g, 0.0, 1.0)
    q_b = np.clip(params["q_B0"] - params["gamma_B"] * g, 0.0, 1.0)
    side_a = war.power_shift(p, q_a, params["delta"], params["d_A"])
    side_b = war.power_shift(1 - p, q_b, params["delta"], params["d_B"])
    return WarResult(
        "window_curves",
        frame_keys=("g", "margin_A", "margin_B"),
        g=g,
        margin_A=-np.asarray(side_a.margin),
        margin_B=-np.asarray(side_b.margin),
    )


def range_sweep(params: Inputs, n: int = 201) -> WarResult:
    """The bargaining range over a grid of p in [0, 1] with the given costs (the range plot)."""
    return war.bargaining_range(np.linspace(0.0, 1.0, n), params["c_A"], params["c_B"])


def overview(sc: Scenario) -> dict[str, Any]:
    """The closed-form war models on the scenario's own numbers, for a one-glance summary.

    Keys (each present only where the scenario has the inputs): ``range`` (M1: low, high
    as positions on the war issue's scale), ``status_quo`` (the issue's status quo and
    whether it lies in the range), ``offer`` (M2: the side A's risk-return offer on the
    scale and P(war)), ``window`` (M4: the side A's lowest and side B's highest
    acceptable guarantee strength, and whether a strength both accept exists), ``swap``
    (M5: chip, holder, owner, first feasible month and the same without psi; -1 = never),
    ``mediators`` (M6: name, favoured side, credible advising side A / side B to concede)
    and ``durability`` (M9: P(relapse) of the agreement on the table within the horizon,
    the horizon in months).
    """
    if sc.war is None:
        return {}
    out: dict[str, Any] = {"belligerents": sc.war.belligerents, "issue": sc.war.issue}

    def scale(x: float) -> float:
        return territory_of(sc, min(max(x, 0.0), 1.0))[0]

    try:
        params = merge(range_inputs(sc), {})
    except ModelError:
        return out
    r = war.bargaining_range(params["p"], params["c_A"], params["c_B"])
    low, high = float(r.low), float(r.high)
    out["range"] = (scale(low), scale(high))
    if sc.war.issue in sc.issue_ids:
        issue = sc.issue(sc.war.issue)
        if issue.status_quo is not None:
            sq = issue.status_quo.value
            out["status_quo"] = (sq, out["range"][0] <= sq <= out["range"][1])
    try:
        screen = merge(screen_inputs(sc), {})
        o = war.screen_continuous(screen["p"], screen["c_A"], screen["c_bar"])
        out["offer"] = (scale(float(o.x_star)), float(o.p_war))
    except ModelError:
        pass
    try:
        w = war.commitment_window(**merge(commit_inputs(sc), {}))
        out["window"] = (float(w.bound_A), float(w.bound_B), bool(w.nonempty))
    except ModelError:
        pass
    _overview_m5_m6_m9(sc, out)
    return out


def _overview_m5_m6_m9(sc: Scenario, out: dict[str, Any]) -> None:
    """The swap, mediator and durability lines of :func:`overview` (where the inputs exist)."""
    w = sc.war
    if w is None:
        return
    who = dict(zip(("A", "B"), w.belligerents, strict=True))
    try:
        res = swap_table(sc, merge(swap_inputs(sc), {}))
        chip = next(p for p in parcels(sc) if p.name == res["chip"])
        out["swap"] = (
            chip.name,
            who[chip.holder],
            who[chip.owner],
            int(res["first_feasible"]),
            int(res["without_psi"]["first_feasible"]),
        )
    except ModelError:
        pass
    try:
        rows = mediation_table(sc, merge(mediate_inputs(sc), {}))
        a, b = w.belligerents
        out["mediators"] = [
            (r["mediator"], r["toward"], r[f"credible_{a}"], r[f"credible_{b}"]) for r in rows
        ]
    except ModelError:
        pass
    if w.agreement is not None:
        params = durability_inputs(sc)
        res = war.relapse_probability(params["horizon"], **{k: params[k] for k in _HAZARD_KEYS})
        out["durability"] = (float(res.p_relapse), int(params["horizon"]))


# -- M5, M6, M9 on a scenario -------------------------------------------------------------


def sides(sc: Scenario) -> tuple[str, str]:
    """The actor ids of side A and side B (``("A", "B")`` without a war section)."""
    if sc.war is None:
        return ("A", "B")
    return sc.war.belligerents


def parcels(sc: Scenario) -> list[war.Parcel]:
    """The scenario's parcels as :class:`accord.war.Parcel`, in file order."""
    w = sc.war
    if w is None:
        return []
    letter = dict(zip(w.belligerents, ("A", "B"), strict=True))
    a, b = w.belligerents
    return [
        war.Parcel(
            name,
            owner=letter[p.owner],
            holder=letter[p.holder],
            area=float(p.area.value),
            value_A=float(p.value[a].value),
            value_B=float(p.value[b].value),
        )
        for name, p in w.parcels.items()
    ]


def swap_inputs(sc: Scenario) -> Inputs:
    """M5: the swap parameters of the chip's owner (h, c, alpha, psi), delta and the horizon."""
    out: Inputs = {"h": None, "c": None, "alpha": None, "psi": None, "delta": None}
    out.update(eta=1.0, months=24)
    w = sc.war
    if w is None:
        return out
    out["delta"] = _v(w.delta)
    s = w.swap
    if s is not None:
        out.update(
            h=_v(s.recapture),
            c=_v(s.cost),
            alpha=_v(s.pressure),
            psi=_v(s.reputation),
            months=s.months,
        )
    return out


def swap_chip(sc: Scenario) -> str:
    """The name of the scenario's chip (``war.swap.chip``); an error if it has no swap."""
    sw = sc.war.swap if sc.war is not None else None
    if sw is None:
        raise ModelError(
            "the scenario has no land-for-land swap (no parcel held by the belligerent that "
            "does not own it)",
            path="war.swap",
        )
    return sw.chip


def swap_table(sc: Scenario, params: Inputs) -> WarResult:
    """:func:`accord.war.land_swap` for the scenario's chip (``war.swap.chip``).

    The candidates are the chip holder's own parcels held by the chip's owner. The result
    also carries ``without_psi`` (the same swap with ``psi = 0``: is the reputational cost
    what blocks it?). An error names ``war.swap`` when the scenario has no swap.
    """
    ps = {p.name: p for p in parcels(sc)}
    chip = ps[swap_chip(sc)]
    cands = [p for p in ps.values() if p.owner == chip.holder and p.holder == chip.owner]
    kw = {k: params[k] for k in ("h", "delta", "c", "psi", "alpha", "eta", "months")}
    res = war.land_swap(chip, cands, **kw)
    res["without_psi"] = war.land_swap(chip, cands, **{**kw, "psi": 0.0})
    return res


def mediate_inputs(sc: Scenario) -> Inputs:
    """M6: p, costs, the two-type offers (p_w, p_s), the signal r_L, the mediator's war cost,
    the Favretto shape and the horizon of the relapse risk."""
    from accord.war.mediation import FAVRETTO, SIGNAL, WAR_COST

    out = screen_inputs(sc)
    out.pop("c_bar")
    out.pop("mu")
    out.update(r_L=SIGNAL, war_cost=WAR_COST, horizon=60, **FAVRETTO)
    return out


def _demands(params: Inputs) -> dict[str, tuple[float, float, float]]:
    """Each side's (safe, risky, war) shares, A from the two-type offers, B mirrored.

    Side A's safe demand is ``p_s + c_B`` and its risky one ``p_w + c_B`` (M2's offers);
    side B's are ``1 - p_w + c_A`` and ``1 - p_s + c_A`` (*derived here*: the same
    screening seen from B, its odds against the strong and the weak A being 1 - p_w and
    1 - p_s); the war shares are p and 1 - p.
    """
    p, ca, cb, pw, ps = (params[k] for k in ("p", "c_A", "c_B", "p_w", "p_s"))
    return {
        "A": (ps + cb, pw + cb, p),
        "B": (1 - pw + ca, 1 - ps + ca, 1 - p),
    }


def mediation_table(sc: Scenario, params: Inputs) -> list[dict[str, Any]]:
    """One row per mediator: bias, P(settle | bias), credibility advising each side to
    concede (Kydd), leverage and the relapse risk of the deal it can buy (Beardsley)."""
    w = sc.war
    if w is None or not w.mediators:
        raise ModelError("the scenario's war section names no mediators", path="war.mediators")
    a_id, b_id = w.belligerents
    demands = _demands(params)
    shape = {k: params[k] for k in ("p_base", "broker", "force", "kappa")}
    rows = []
    for name, m in w.mediators.items():
        bias = float(m.bias.value)
        signed = 0.0 if m.toward is None else (bias if m.toward == a_id else -bias)
        fav = war.settlement_by_bias(signed, **shape)
        row: dict[str, Any] = {
            "mediator": name,
            "toward": m.toward,
            "bias": bias,
            "signed_bias": signed,
            "p_settle": float(fav.p_settle),
            "argmin": float(fav.argmin),
            "p_min": float(fav.p_min),
        }
        for letter, who in (("A", a_id), ("B", b_id)):
            safe, risky, share = demands[letter]
            cred = war.mediator_credibility(
                bias if m.toward == who else 0.0,
                safe,
                risky,
                share,
                r_L=params["r_L"],
                war_cost=params["war_cost"],
            )
            row[f"credible_{who}"] = bool(cred.credible)
            row[f"margin_{who}"] = float(cred.margin)
        lam = 1.0 if m.decay is None else float(m.decay.value)
        row["decay"] = lam
        for letter, who in (("A", a_id), ("B", b_id)):
            lev = float(m.leverage[who].value) if who in m.leverage else 0.0
            row[f"L0_{who}"] = lev
            if lev > 0:
                natural = war.bargaining_range(params["p"], params["c_A"], params["c_B"])
                # the deal it can buy: the far edge of the widened range on the pressed side
                x = float(natural.low) - lev if letter == "A" else float(natural.high) + lev
                rel = war.leverage_relapse(
                    x, params["p"], params["c_A"], params["c_B"], lev, lam, params["horizon"]
                )
                row[f"deal_{who}"] = x
                row[f"p_relapse_{who}"] = float(rel.p_relapse)
                row["p_relapse_natural"] = float(rel.p_relapse_natural)
        rows.append(row)
    return rows


def bias_sweep(params: Inputs, n: int = 201) -> WarResult:
    """P(settle | bias) over bias in [0, 1] (the mediation plot)."""
    shape = {k: params[k] for k in ("p_base", "broker", "force", "kappa")}
    return war.settlement_by_bias(np.linspace(0.0, 1.0, n), **shape)


def durability_inputs(sc: Scenario) -> Inputs:
    """M9: the agreement's features (0 where absent), the hazard parameters, the horizon."""
    from accord.war.durability import BASE_HAZARD, BETA, KAPPA

    out: Inputs = dict.fromkeys(("guarantees", "dmz", "peacekeepers"), 0.0)
    out.update({f"beta_{k}": v for k, v in BETA.items()})
    out.update(base_hazard=BASE_HAZARD, gap=0.0, L0=0.0, lam=1.0, kappa=KAPPA, horizon=120)
    ag = sc.war.agreement if sc.war is not None else None
    if ag is not None:
        for name in ("guarantees", "dmz", "peacekeepers"):
            if getattr(ag, name) is not None:
                out[name] = _v(getattr(ag, name))
    return out


_HAZARD_KEYS = (
    "guarantees", "dmz", "peacekeepers", "beta_guarantees", "beta_dmz", "beta_peacekeepers",
    "base_hazard", "gap", "L0", "lam", "kappa",
)  # fmt: skip


def hazard_curves(params: Inputs) -> dict[str, WarResult]:
    """M9 hazard and survival curves for the durability plot and table.

    Keys: ``agreement`` (the parameters as given), ``none`` (no features, no leverage gap),
    one per feature at full strength alone, ``all`` (every feature at full strength).
    """
    base = {k: params[k] for k in _HAZARD_KEYS}
    months = params["horizon"]
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ModelError("must be an integer >= 0 (months)", path="horizon", value=months)
    bare = {**base, "guarantees": 0.0, "dmz": 0.0, "peacekeepers": 0.0, "gap": 0.0}
    out = {
        "agreement": war.relapse_probability(months, **base),
        "none": war.relapse_probability(months, **bare),
    }
    for name in ("guarantees", "dmz", "peacekeepers"):
        out[name] = war.relapse_probability(months, **{**bare, name: 1.0})
    out["all"] = war.relapse_probability(
        months, **{**bare, "guarantees": 1.0, "dmz": 1.0, "peacekeepers": 1.0}
    )
    return out
