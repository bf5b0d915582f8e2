"""A scenario's ``war.domestic`` block -> the settlement engine's two-level hook (M10).

Rules (*derived here*; docs/settle.md, "Who decides"):

* A faction's **premium** on the war issue is how much more of the line than its
  belligerent's position it demands, in pie units, scaled by its salience on the war
  issue over the belligerent's: ``(s_fT/s_iT)·(x_f - x_i)`` for side A and
  ``(s_fT/s_iT)·(x_i - x_f)`` for side B, ``x = (T - min)/width``. A faction without a
  position or salience on an issue takes its belligerent's.
* A faction that feels a share ``m_f`` of its belligerent's cost of war ``c_i`` values
  fighting on at ``(1 - m_f)·c_i`` more (a hawk that bears little of the cost demands more).
* On every other package issue its ideal is its position there and its weight its
  salience there over its salience on the war issue (M5's linkage utility, as for the
  belligerents).
* Faction weights are relative: normalised to sum 1 within each belligerent.
* The ratification threshold κ defaults to :data:`DEFAULT_THRESHOLD` (a weighted majority).
* A leader's expectation is turned into its own share of the line (``x`` for side A,
  ``1 - x`` for side B); ``removal`` defaults to 1, ``cover`` to 0.

:func:`summary` and :func:`lines` read the engine's trace for ``accord settle`` and
``accord war winset``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from accord.errors import ModelError
from accord.scenario.schema import Scenario
from accord.war.leader import aims_posterior
from accord.war.settle import SettleInputs, SettleResult
from accord.war.twolevel import AIMS_OFFER_BELOW, Domestic, Faction, Survival, WarAims

__all__ = ["DEFAULT_THRESHOLD", "domestic_inputs", "lines", "summary", "winset_table"]

DEFAULT_THRESHOLD = 0.5
"""κ where a scenario gives none: a weighted majority of the belligerent's factions."""


def _origin(x: Any) -> str:
    if x.source:
        return f"{', '.join(x.source)}{' (judgement)' if x.judgement else ''}"
    return "judgement" if x.judgement else "unsourced"


def domestic_inputs(
    sc: Scenario,
    inp: SettleInputs,
    overrides: dict[str, float] | None = None,
    aims: bool = False,
) -> tuple[Domestic | None, list[tuple[str, Any, str, str]], set[str]]:
    """The hook, its derived numbers as (name, value, origin, inputs) rows, and the names
    of ``overrides`` it used (``threshold.ID``, ``office.ID``, ``removal.ID``,
    ``cover.ID``, ``aims_offer_below``); ``None`` without a domestic block (or one with
    neither factions nor survival). ``aims``: screen the declared war aims in the engine
    (an unlimited leader's ideal is its survival expectation, else its end of the line)."""
    over = dict(overrides or {})
    used: set[str] = set()

    def pick(name: str, value: float) -> float:
        if name in over:
            used.add(name)
            return float(over[name])
        return value

    w = sc.war
    d = w.domestic if w is not None else None
    if w is None or d is None or not (d.factions or d.survival):
        return None, [], used
    a_id, b_id = inp.sides
    ids = (a_id, b_id)
    issue = sc.issue(w.issue)
    lo, width = issue.scale.min, issue.scale.width
    scale = float(getattr(sc, "salience_scale", 1) or 1)
    rows: list[tuple[str, Any, str, str]] = []
    factions = []
    for fid, f in d.factions.items():
        side = ids.index(f.member_of)
        own = sc.actor(f.member_of)
        st_t = own.positions[w.issue]
        pos_t = float(f.positions[w.issue].value) if w.issue in f.positions else st_t.position
        s_it = float(st_t.salience) / scale
        s_ft = float(f.saliences[w.issue].value) if w.issue in f.saliences else s_it
        x_f, x_i = (pos_t - lo) / width, (float(st_t.position) - lo) / width
        ratio = s_ft / s_it if s_it > 0 else 0.0
        m_f = float(f.cost_share.value) if f.cost_share is not None else 1.0
        premium = ratio * ((x_f - x_i) if side == 0 else (x_i - x_f)) + (1.0 - m_f) * inp.cost[side]
        ideal, sal = [], []
        for iss in inp.issues:
            st = own.positions.get(iss.id)
            ideal.append(
                float(f.positions[iss.id].value) if iss.id in f.positions else iss.ideal[side]
            )
            s_own = float(st.salience) / scale if st is not None else 0.0
            s_fk = float(f.saliences[iss.id].value) if iss.id in f.saliences else s_own
            sal.append(s_fk / s_ft if s_ft > 0 else 0.0)
        pressure = tuple(
            float(f.pressure[k].value) if k in f.pressure else 0.0
            for k in ("held_land", "front_loss", "sanctions")
        )
        factions.append(
            Faction(
                fid,
                side,
                float(f.weight.value),
                premium=premium,
                ideal=tuple(ideal),
                salience=tuple(sal),
                pressure=(pressure[0], pressure[1], pressure[2]),
            )
        )
        rows.append(
            (
                f"faction.{fid}",
                f"weight {float(f.weight.value):g}, premium {premium:+.3f}",
                f"war.domestic.factions.{fid} ({_origin(f.weight)})",
                f"member of {f.member_of}; {w.issue} {pos_t:g} vs {st_t.position:g}, "
                f"salience ratio {ratio:.2f}, cost share {m_f:g}; pressure {pressure}",
            )
        )
    kappa = []
    for who in ids:
        k = d.ratification.get(who)
        kappa.append(
            pick(f"threshold.{who}", float(k.value) if k is not None else DEFAULT_THRESHOLD)
        )
        if any(f.member_of == who for f in d.factions.values()):
            rows.append(
                (
                    f"threshold.{who}",
                    kappa[-1],
                    f"war.domestic.ratification.{who}" if k is not None else "shared default",
                    "weighted share of its factions that must accept",
                )
            )
    leaders = []
    for who, s in d.survival.items():
        side = ids.index(who)
        exp = None
        if s.expectation is not None:
            x = (float(s.expectation.value) - lo) / width
            exp = x if side == 0 else 1.0 - x
        lead = Survival(
            side,
            office=pick(f"office.{who}", float(s.office.value)),
            regime=s.regime,
            r_max=pick(f"removal.{who}", float(s.removal.value) if s.removal else 1.0),
            cover=pick(f"cover.{who}", float(s.cover.value) if s.cover else 0.0),
            protector=s.protector,
            expectation=exp,
        )
        leaders.append(lead)
        rows.append(
            (
                f"survival.{who}",
                f"office {lead.office:g}, {lead.regime}, r_max {lead.r_max:g}, "
                f"cover {lead.cover:g}" + (f" by {lead.protector}" if lead.protector else ""),
                f"war.domestic.survival.{who} ({_origin(s.office)})",
                "expectation "
                + ("its month-0 expected share" if exp is None else f"{exp:.3f} of the line"),
            )
        )
    totals = [sum(f.weight for f in factions if f.side == k) for k in (0, 1)]
    factions = [replace(f, weight=f.weight / totals[f.side]) for f in factions]
    war_aims = []
    for who, am in d.aims.items() if aims else ():
        side = ids.index(who)
        lead_k = next((x for x in leaders if x.side == side), None)
        goal = lead_k.expectation if lead_k is not None else None
        if goal is None:
            goal = 1.0 if side == 0 else 0.0
        elif side == 1:
            goal = 1.0 - goal  # the expectation is B's own share; the line is A's
        eps = float(am.mistake.value) if am.mistake is not None else 0.0
        war_aims.append(WarAims(side, float(am.prior_unlimited.value), eps, goal))
        rows.append(
            (
                f"aims.{who}",
                f"prior unlimited {war_aims[-1].prior:g}, mistake {eps:g}",
                f"war.domestic.aims.{who} ({_origin(am.prior_unlimited)})",
                f"unlimited type accepts only the line at {goal:.3f} or better",
            )
        )
    offer_below = pick("aims_offer_below", AIMS_OFFER_BELOW) if war_aims else AIMS_OFFER_BELOW
    if not 0.0 <= offer_below <= 1.0:
        raise ModelError("must be in [0, 1]", path="--param aims_offer_below", value=offer_below)
    dom = Domestic(
        factions=tuple(factions),
        threshold=(kappa[0], kappa[1]),
        survival=tuple(leaders),
        aims=tuple(war_aims),
        offer_below=offer_below,
    )
    return dom, rows, used


def summary(res: SettleResult) -> dict[str, Any]:
    """The two-level numbers of a settle run (empty without the hook)."""
    d = res.domestic
    if d is None:
        return {}
    a, b = res.inputs.sides
    at_war = np.maximum(res.at_war, 1)
    out: dict[str, Any] = {
        "p_leader_blocked": float(d["leader_blocked"].mean()),
        "p_ratification_blocked": float(d["ratify_blocked"].mean()),
        "blocked_by_month": {
            "ratification": (d["blocked"][:, 0] / at_war).tolist(),
            "leader survival": (d["blocked"][:, 1] / at_war).tolist(),
        },
        "removal_path": {},
        "weights": {},
    }
    for side, who in enumerate((a, b)):
        col = d["removal"][:, side]
        if np.isfinite(col).all():
            out["removal_path"][who] = col.tolist()
        for j, fid in enumerate(d["factions"][side]):
            out["weights"][fid] = d["weights"][side][:, j].tolist()
    if "aims" in d:  # war aims screened in the engine (--aims)
        am = d["aims"]
        out["aims"] = {
            "offer_below": am["offer_below"],
            "p_unlimited_blocked": float(am["aims_blocked"].mean()),
            "p_held_out": float(am["held_out"].mean()),
            "posterior_path": {(a, b)[k]: am["mu_path"][:, k].tolist() for k in am["sides"]},
            "p_unlimited_drawn": {
                (a, b)[k]: float(am["unlimited"][:, k].mean()) for k in am["sides"]
            },
        }
    return out


def lines(res: SettleResult) -> list[str]:
    """Text lines for ``accord settle``'s headline."""
    s = summary(res)
    if not s:
        return []
    out = [
        f"two-level (M10): the leader's survival, not the state's interest, blocked a deal in "
        f"{s['p_leader_blocked']:.0%} of runs; ratification by factions in "
        f"{s['p_ratification_blocked']:.0%}"
    ]
    for who, path in s["removal_path"].items():
        m = len(path) - 1
        picks = [t for t in (0, 6, 12, 24) if t <= m] + ([m] if m not in (0, 6, 12, 24) else [])
        out.append(
            f"{who} leader's removal risk were the war to end on the line: "
            + ", ".join(f"month {t} {path[t]:.0%}" for t in picks)
        )
    if "aims" in s:
        am = s["aims"]
        out.append(
            f"war aims (screened, offer while posterior <= {am['offer_below']:g}): the "
            f"unlimited type rejected a deal in {am['p_unlimited_blocked']:.0%} of runs; the "
            f"opponent held out in {am['p_held_out']:.0%}"
        )
        for who, path in am["posterior_path"].items():
            m = len(path) - 1
            picks = [t for t in (0, 1, 6, 12, 24) if t <= m]
            out.append(
                f"posterior that {who}'s aims are unlimited (mean over runs): "
                + ", ".join(f"month {t} {path[t]:.2f}" for t in picks)
            )
    return out


def winset_table(sc: Scenario, res: SettleResult) -> dict[str, Any]:
    """Month-0 win-sets on the war issue's line for the war-time package (every other
    issue at its war-time level), on the issue's scale, and the war-aims posteriors."""
    inp = res.inputs
    d = res.domestic
    lo, width = inp.meta["scale"]
    a, b = inp.sides
    levels = res.space["levels"]
    war_lv = np.array([iss.war_level for iss in inp.issues])
    k = int(np.argmin(np.abs(levels - war_lv[None, :]).sum(axis=1))) if levels.size else 0

    def on_scale(x: float) -> float | None:
        return float(lo + width * x) if np.isfinite(x) else None

    table: dict[str, Any] = {
        "package": dict(zip((i.id for i in inp.issues), levels[k].tolist(), strict=True))
    }
    if d is not None and d["bounds0"]:
        b0 = d["bounds0"]
        for side, who, end in ((0, a, "lo"), (1, b, "hi")):
            table[who] = {
                "side": "A" if side == 0 else "B",
                "accepts": f"{inp.war_issue} >= bound"
                if side == 0
                else f"{inp.war_issue} <= bound",
                "state": on_scale(float(b0[f"state_{end}"][k])),
                "factions": on_scale(float(b0[f"factions_{end}"][k])),
                "leader": on_scale(float(b0[f"leader_{end}"][k])),
            }
            vals = [float(b0[f"{n}_{end}"][k]) for n in ("state", "factions", "leader")]
            tight = max(vals) if side == 0 else min(vals)
            table[who]["win_set"] = on_scale(tight)
        lo_a = table[a]["win_set"]
        hi_b = table[b]["win_set"]
        table["overlap"] = (
            None
            if lo_a is None or hi_b is None
            else {"from": lo_a, "to": hi_b, "width": hi_b - lo_a}
        )
    aims = {}
    w = sc.war
    if w is not None and w.domestic is not None:
        for who, am in w.domestic.aims.items():
            mu = float(am.prior_unlimited.value)
            eps = float(am.mistake.value) if am.mistake is not None else 0.0
            post = [mu]
            for _ in range(3):
                post.append(float(aims_posterior(post[-1], eps).posterior))
            aims[who] = {"prior_unlimited": mu, "mistake": eps, "after_rejections_1_2_3": post[1:]}
    table["aims"] = aims
    return table
