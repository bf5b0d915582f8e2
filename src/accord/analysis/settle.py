"""A scenario's war section and actor table -> the inputs of the settlement engine.

:func:`settle_inputs` turns a scenario into :class:`accord.war.settle.SettleInputs` and a
list of :class:`Derived` numbers: every input the engine gets, its value, the rule that
produced it and that rule's inputs (so that a user sees, for example, why an outside
power's pressure on a belligerent is what it is). Overrides (``--param name=value``)
replace any of them by name. :func:`run_settle` runs the engine; :func:`vary` runs it once
per value of a parameter with the same seed (common random numbers); :func:`crosscheck`
compares the war section with the actor table.

**Shared parameters** (:data:`SHARED`) are not facts of any war: the engine's front
resolution, the uncertainty spreads, the bargaining rule's mediator terms, the escalation
effects. They are set once here, documented with their reasoning, and are the same for
every scenario; ``--param`` overrides them for a sweep.

Rules (docs/settle.md derives each):

* *Side A* is the first belligerent, *side B* the second; the pie is A's share of the war
  issue, ``x = (T - min)/width``.
* *Front*: ``front_states`` steps over the war issue's scale, ``battles_per_month``
  battles per month with the war section's true odds ``front.theta``; the start is the
  war issue's status quo.
* *Bargaining power* ``weight_A = cap_A/(cap_A + cap_B)`` from the belligerents'
  capabilities on the war issue (Nash 1950 weights as relative power).
* *Package space*: every issue on which both belligerents take a position, except the war
  issue and ``settle.exclude``; its options are the issue scale's labelled points plus its
  war-time level (status quo, or ``settle.war_levels``). A side's weight on an issue is
  its salience there over its salience on the war issue (M5's linkage utility).
* *Vetoes*: non-belligerent actors in an issue's ``decision_rule.veto`` with a position on
  it accept an option no farther from their position than the war-time level.
* *Guarantees*: the guarantee issue's level ``G`` maps to the M4 strength ``g = G/width``
  (30 = bilateral "Israel model" aid → 0.3, 60 = reassurance force → 0.6, 100 = Article
  5 → 1); a guarantee also raises side B's cost of renewed war by ``tripwire·g``.
* *Commitment* (M4): side A's feared shift is ``commitment.shift``; side B's expected
  post-settlement gain is ``q_B0 - (1 - p)``.
* *Escalation* (M7): the side is B; ``money_per_pie = spending_B·cost_horizon/c_B`` (the
  money value of one pie unit: B's rest-of-war cost in pie units is its outlay over the
  cost horizon); partners' trade shares and curtailment probabilities from
  ``brinkmanship.partners``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ModelError
from accord.scenario.schema import Scenario, Sourced
from accord.war.linkage import Parcel
from accord.war.mediation import mediator_credibility
from accord.war.settle import (
    Commitment,
    Durability,
    Escalation,
    HeldParcel,
    Mediator,
    PackageIssue,
    SettleInputs,
    SettleResult,
    settle,
)

__all__ = [
    "ESCALATION_MODES",
    "GAME_LAMBDA",
    "SHARED",
    "Derived",
    "crosscheck",
    "escalation_game",
    "headline_lines",
    "parse_params",
    "run_settle",
    "settle_inputs",
    "vary",
]


SHARED: dict[str, tuple[float, str]] = {
    "front_states": (
        200.0,
        "front steps over the war issue's scale (0.5 points of a 0-100 scale per step): fine "
        "enough that a month moves the line by about one point, as the 2024 front did "
        "(39-363 km² a month of 135,787, design note §3)",
    ),
    "battles_per_month": (
        4.0,
        "battles per month: the engagements whose results both sides observe; with "
        "front_states it sets how fast beliefs learn (about 100 battles in 24 months)",
    ),
    "spread": (
        0.3,
        "log-scale standard deviation of the per-run draws of judgement numbers (costs, "
        "commitment shifts and gammas, reputational costs): about ±30%",
    ),
    "theta_spread": (
        0.3,
        "logit-scale standard deviation of the per-run true battle odds",
    ),
    "tripwire": (
        0.02,
        "extra per-month cost of renewed war to side B at full guarantee (g = 1), as large "
        "as the per-month costs d in the flagships' commitment sections",
    ),
    "cost_horizon": (
        24.0,
        "months of outlay that make up a side's rest-of-war cost (money per pie unit)",
    ),
    "theta_shift": (
        0.05,
        "shift of the battle odds toward the side that escalates",
    ),
    "escalation_cost_other": (
        0.05,
        "added war cost (pie units) to the side escalated against",
    ),
    "gain_spread": (
        1.0,
        "log-scale standard deviation of the run's escalation gain around the scenario's",
    ),
    "mediator_info": (
        0.5,
        "share of the way a credible mediator's advice moves a side's war value toward the "
        "value at the true odds (Kydd 2003: the informed mediator)",
    ),
    "mediator_influence": (
        0.2,
        "how far a mediator's bias moves the Nash weight: weight_A + influence·bias/2",
    ),
    "leverage_scale": (
        0.5,
        "pie units of leverage per unit of trade share x the mediator's salience on the "
        "ceasefire issue (Beardsley 2008: leverage from economic dependence)",
    ),
    "leverage_decay": (
        0.95,
        "monthly decay λ of a mediator's leverage, L_t = L0·λ^t (Beardsley 2008)",
    ),
    "mediator_enforcement": (
        1.0,
        "pie units of the other side's feared post-settlement shift offset per pie unit of "
        "a mediator's leverage on a side (Favretto 2009: a biased power can restrain its "
        "client)",
    ),
    "chip_decay": (
        0.0,
        "1: value a held parcel at M5's expected area area·(1 - h)^t, as accord war swap "
        "does; 0: whole until it is retaken (the hazard read per run)",
    ),
    "mediator_fear": (
        5.0,
        "ζ: a mediator's leverage grows by ζ x its protégé's loss of expected share",
    ),
}
"""Shared parameters: name -> (value, why). Same for every scenario; ``--param`` sweeps."""


@dataclass(frozen=True)
class Derived:
    """One engine input: its value, the rule or field it comes from, and that rule's inputs."""

    name: str
    value: Any
    origin: str
    inputs: str = ""


def _origin(x: Sourced | None, field: str) -> str:
    if x is None:
        return "missing"
    text = field
    if x.source:
        text += " [" + ", ".join(x.source) + "]"
    return text + (" (judgement)" if x.judgement else "")


def _need(x: Sourced | None, field: str) -> float:
    if x is None:
        raise ModelError(
            "accord settle needs this value: add it to the war section or give --param",
            path=field,
        )
    return float(x.value)


def parse_params(items: Sequence[str]) -> dict[str, float]:
    """``NAME=VALUE`` strings -> overrides; the value must be a number."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ModelError("expected NAME=VALUE", path="--param", value=item)
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ModelError("must be a number", path=f"--param {name}", value=value) from None
    return out


def settle_inputs(
    sc: Scenario,
    overrides: Mapping[str, float] | None = None,
    mediators: Sequence[str] = (),
    domestic: bool = True,
    aims: bool = False,
) -> tuple[SettleInputs, list[Derived]]:
    """The engine's inputs from a scenario, and every derived number with its inputs.

    ``overrides`` replaces any input by the name it has in the derived list (e.g.
    ``cost_B``, ``theta``, ``psi_B``, ``tau.CHN``, ``phi.CHN``, ``gain``, or a shared
    parameter); an unknown name is an error listing the known ones. ``aims``: screen
    the leaders' declared war aims in the engine (M10 with M2; off by default).
    """
    over = dict(overrides or {})
    w = sc.war
    if w is None:
        raise ModelError("the scenario has no war section: accord settle needs one", path="war")
    a_id, b_id = w.belligerents
    derived: list[Derived] = []
    used: set[str] = set()

    def param(name: str, value: float, origin: str, inputs: str = "") -> float:
        if name in over:
            used.add(name)
            derived.append(Derived(name, over[name], "--param", f"was {value:g} from {origin}"))
            return float(over[name])
        derived.append(Derived(name, value, origin, inputs))
        return value

    shared = {k: param(k, v, "shared default", why) for k, (v, why) in SHARED.items()}

    # the war issue and the front
    issue = sc.issue(w.issue)
    lo, width = issue.scale.min, issue.scale.width
    if issue.status_quo is None:
        raise ModelError(
            "the war issue needs a status quo (the front line now)",
            path=f"issues.{w.issue}.status_quo",
        )
    sq = float(issue.status_quo.value)
    n_states = int(shared["front_states"])
    if n_states < 1 or n_states != shared["front_states"]:
        raise ModelError("must be a whole number >= 1", path="front_states", value=n_states)
    k_b = int(shared["battles_per_month"])
    if k_b < 1 or k_b != shared["battles_per_month"]:
        raise ModelError("must be a whole number >= 1", path="battles_per_month", value=k_b)
    t0, t1 = 0.0, 1.0
    if w.front is not None:
        t0 = (w.front.territory_at_0 - lo) / width
        t1 = (w.front.territory_at_max - lo) / width
    start = round(n_states * ((sq - lo) / width - t0) / (t1 - t0))
    start = min(max(start, 0), n_states)
    derived.append(
        Derived(
            "start",
            start,
            f"status quo of {w.issue}",
            f"{w.issue} {sq:g} -> state {start} of {n_states}",
        )
    )
    theta_src = w.front.theta if w.front is not None else None
    theta = param(
        "theta", _need(theta_src, "war.front.theta"), _origin(theta_src, "war.front.theta")
    )
    beliefs = []
    for side, who in (("A", a_id), ("B", b_id)):
        bel = w.beliefs.get(who)
        if bel is None:
            raise ModelError(
                f"accord settle needs {who}'s belief about the battle odds",
                path=f"war.beliefs.{who}",
            )
        al = param(
            f"alpha_{side}", float(bel.alpha.value), _origin(bel.alpha, f"war.beliefs.{who}.alpha")
        )
        be = param(
            f"beta_{side}", float(bel.beta.value), _origin(bel.beta, f"war.beliefs.{who}.beta")
        )
        beliefs.append((al, be))
    cost_a = param(
        "cost_A",
        _need(w.costs.get(a_id), f"war.costs.{a_id}"),
        _origin(w.costs.get(a_id), f"war.costs.{a_id}"),
    )
    cost_b = param(
        "cost_B",
        _need(w.costs.get(b_id), f"war.costs.{b_id}"),
        _origin(w.costs.get(b_id), f"war.costs.{b_id}"),
    )
    delta = param("delta", _need(w.delta, "war.delta"), _origin(w.delta, "war.delta"))
    p = float(w.p.value)

    # bargaining power from capabilities on the war issue
    cap = []
    for who in (a_id, b_id):
        act = sc.actor(who)
        cap_i = act.issue_capability.get(w.issue, act.capability)
        cap.append(float(cap_i.value))
    weight = param(
        "weight_A",
        cap[0] / (cap[0] + cap[1]) if sum(cap) > 0 else 0.5,
        "rule: cap_A/(cap_A + cap_B) on the war issue",
        f"{a_id} {cap[0]:g}, {b_id} {cap[1]:g}",
    )

    # the package space
    st = w.settle
    excluded = set(st.exclude) if st is not None else set()
    g_issue = st.guarantee_issue if st is not None and st.guarantee_issue else None
    if g_issue is None and "G" in sc.issue_ids:
        g_issue = "G"
    a_act, b_act = sc.actor(a_id), sc.actor(b_id)
    issues: list[PackageIssue] = []
    for iss in sc.issues:
        iid = iss.id
        if iid == w.issue or iid in excluded:
            continue
        sa, sb = a_act.positions.get(iid), b_act.positions.get(iid)
        if sa is None or sb is None:
            continue
        sal_a = a_act.positions.get(w.issue)
        sal_b = b_act.positions.get(w.issue)
        if sal_a is None or sal_b is None or sal_a.salience <= 0 or sal_b.salience <= 0:
            raise ModelError(
                "both belligerents need a positive salience on the war issue",
                path=f"actors.{a_id}.positions.{w.issue}",
            )
        if iss.status_quo is not None:
            level = float(iss.status_quo.value)
            level_from = f"status quo of {iid}"
        elif st is not None and iid in st.war_levels:
            level = float(st.war_levels[iid].value)
            level_from = _origin(st.war_levels[iid], f"war.settle.war_levels.{iid}")
        else:
            raise ModelError(
                f"issue {iid} is in the package space but has no status quo: give its "
                f"war-time level in war.settle.war_levels.{iid} (or exclude it)",
                path=f"war.settle.war_levels.{iid}",
            )
        level = param(f"war_level.{iid}", level, level_from)
        opts = sorted({*(float(v) for v in iss.scale.labels), level})
        opts = [v for v in opts if iss.scale.min <= v <= iss.scale.max]
        wa = float(sa.salience) / float(sal_a.salience)
        wb = float(sb.salience) / float(sal_b.salience)
        derived.append(
            Derived(
                f"issue.{iid}",
                f"options {', '.join(f'{v:g}' for v in opts)}; war-time {level:g}",
                "rule: the scale's labelled points and the war-time level",
                f"{a_id} ideal {sa.position:g} weight {wa:.2f}, {b_id} ideal {sb.position:g} "
                f"weight {wb:.2f} (salience over salience on {w.issue})",
            )
        )
        reds: list[tuple[float, float]] = [(-np.inf, np.inf), (-np.inf, np.inf)]
        if st is not None:
            for side_i, who in enumerate((a_id, b_id)):
                rl = st.red_lines.get(who, {}).get(iid)
                if rl is not None:
                    reds[side_i] = (
                        float(rl.at_least.value) if rl.at_least is not None else -np.inf,
                        float(rl.at_most.value) if rl.at_most is not None else np.inf,
                    )
                    derived.append(
                        Derived(
                            f"red_line.{who}.{iid}",
                            reds[side_i],
                            f"war.settle.red_lines.{who}.{iid}",
                        )
                    )
        vetoes = []
        if iss.decision_rule is not None:
            for vid in iss.decision_rule.veto:
                if vid in w.belligerents or vid not in sc.actor_ids:
                    continue
                pos = sc.actor(vid).positions.get(iid)
                if pos is not None:
                    vetoes.append((vid, float(pos.position)))
                    derived.append(
                        Derived(
                            f"veto.{vid}.{iid}",
                            float(pos.position),
                            f"issues.{iid}.decision_rule.veto",
                            f"{vid} accepts {iid} within {abs(level - pos.position):g} of its "
                            f"position {pos.position:g}",
                        )
                    )
        is_g = iid == g_issue
        issues.append(
            PackageIssue(
                id=iid,
                levels=tuple(opts),
                war_level=level,
                ideal=(float(sa.position), float(sb.position)),
                weight=(wa, wb),
                width=float(iss.scale.width),
                red_lines=(reds[0], reds[1]),
                vetoes=tuple(vetoes),
                guarantee=is_g,
                g_of_level=tuple((v - iss.scale.min) / iss.scale.width for v in opts)
                if is_g
                else (),
            )
        )
    if g_issue is not None:
        derived.append(
            Derived(
                "guarantee",
                g_issue,
                "rule: g = (G - min)/width on the guarantee issue",
                "30 -> 0.3 (bilateral aid), 60 -> 0.6 (reassurance force), 100 -> 1 (Article 5)",
            )
        )

    # commitment (M4)
    com = None
    c = w.commitment
    if c is not None:
        shift_a = param("shift_A", float(c.shift.value), _origin(c.shift, "war.commitment.shift"))
        q_b0 = float(c.q_B0.value) if c.q_B0 is not None else 1 - p
        shift_b = param(
            "shift_B",
            q_b0 - (1 - p),
            "rule: q_B0 - (1 - p)",
            f"q_B0 {q_b0:g} ({_origin(c.q_B0, 'war.commitment.q_B0') if c.q_B0 else '1 - p'})"
            f", p {p:g}",
        )
        com = Commitment(
            shift=(shift_a, shift_b),
            gamma=(
                param(
                    "gamma_A", float(c.gamma_A.value), _origin(c.gamma_A, "war.commitment.gamma_A")
                ),
                param(
                    "gamma_B", float(c.gamma_B.value), _origin(c.gamma_B, "war.commitment.gamma_B")
                ),
            ),
            d=(
                param("d_A", float(c.d_A.value), _origin(c.d_A, "war.commitment.d_A")),
                param("d_B", float(c.d_B.value), _origin(c.d_B, "war.commitment.d_B")),
            ),
            tripwire=shared["tripwire"],
        )

    # escalation (M7): side B and its partners
    esc = None
    br = w.brinkmanship
    if br is not None and br.gain is not None and br.trade_total is not None:
        spend = st.spending.get(b_id) if st is not None else None
        spending = param(
            "spending_B",
            _need(spend, f"war.settle.spending.{b_id}"),
            _origin(spend, f"war.settle.spending.{b_id}"),
        )
        mpp = param(
            "money_per_pie",
            spending * shared["cost_horizon"] / cost_b if cost_b > 0 else float("inf"),
            "rule: spending_B x cost_horizon / cost_B",
            f"{spending:g} x {shared['cost_horizon']:g} / {cost_b:g}",
        )
        names = tuple(br.partners)

        def per_partner(symbol: str, field: str) -> tuple[float, ...]:
            return tuple(
                param(
                    f"{symbol}.{k}",
                    float(getattr(v, field).value),
                    _origin(getattr(v, field), f"war.brinkmanship.partners.{k}.{field}"),
                )
                for k, v in br.partners.items()
            )

        tau = per_partner("tau", "trade_share")
        phi = per_partner("phi", "curtail")
        esc = Escalation(
            side=1,
            gain=param("gain", float(br.gain.value), _origin(br.gain, "war.brinkmanship.gain")),
            r_use=param(
                "r_use",
                _need(br.r_use, "war.brinkmanship.r_use"),
                _origin(br.r_use, "war.brinkmanship.r_use"),
            ),
            D=param(
                "D_use",
                _need(br.D_use, "war.brinkmanship.D_use"),
                _origin(br.D_use, "war.brinkmanship.D_use"),
            ),
            Y=param(
                "Y",
                float(br.trade_total.value),
                _origin(br.trade_total, "war.brinkmanship.trade_total"),
            ),
            partners=names,
            tau=tau,
            phi=phi,
            money_per_pie=mpp,
            theta_shift=shared["theta_shift"],
            cost_self=0.0,
            cost_other=shared["escalation_cost_other"],
            spread=shared["gain_spread"],
        )
        e_loss = esc.Y * float(np.dot(tau, phi))
        derived.append(
            Derived(
                "E",
                e_loss,
                "rule: Y·Σ τ_j φ_j (M7)",
                ", ".join(f"{k} {t:g}x{f:g}" for k, t, f in zip(names, tau, phi, strict=True)),
            )
        )

    psi = (
        param("psi_A", 0.0, "default (no reputational cost given)"),
        param("psi_B", 0.0, "default (no reputational cost given)"),
    )
    meds = []
    listed = list(w.mediators)
    for mid in mediators:
        if mid not in sc.actor_ids or mid in w.belligerents:
            raise ModelError(
                "a mediator must be a scenario actor other than the belligerents",
                path="--mediator",
                value=mid,
            )
        if mid not in listed:
            listed.append(mid)
    for mid in listed:
        rule_b = mediator_bias(sc, mid)
        m_sc = w.mediators.get(mid)
        if m_sc is not None:  # the scenario's own bias and leverage
            sign = 1.0 if m_sc.toward == a_id else -1.0 if m_sc.toward == b_id else 0.0
            field = f"war.mediators.{mid}"
            bias = param(
                f"bias.{mid}",
                sign * float(m_sc.bias.value),
                _origin(m_sc.bias, f"{field}.bias") + f" toward {m_sc.toward}",
                f"the actor-table rule gives {float(rule_b.value):+.2f} ({rule_b.inputs})",
            )
            levs = []
            for side, who in (("A", a_id), ("B", b_id)):
                lv = m_sc.leverage.get(who)
                levs.append(
                    param(
                        f"leverage_{side}.{mid}",
                        float(lv.value) if lv is not None else 0.0,
                        _origin(lv, f"{field}.leverage.{who}") if lv is not None else "none given",
                    )
                )
            lev_a, lev_b = levs
            decay = param(
                f"decay.{mid}",
                float(m_sc.decay.value) if m_sc.decay is not None else shared["leverage_decay"],
                _origin(m_sc.decay, f"{field}.decay")
                if m_sc.decay is not None
                else "shared leverage_decay",
            )
        else:  # an actor named with --mediator: the actor-table rules
            bias = param(rule_b.name, float(rule_b.value), rule_b.origin, rule_b.inputs)
            l_d = mediator_leverage(sc, mid, shared["leverage_scale"])
            lev_b = param(l_d.name, float(l_d.value), l_d.origin, l_d.inputs)
            lev_a = param(f"leverage_A.{mid}", 0.0, "default (no trade dependence of side A given)")
            decay = param(f"decay.{mid}", shared["leverage_decay"], "shared leverage_decay")
        if not -1.0 <= bias <= 1.0:
            raise ModelError("must be in [-1, 1]", path=f"bias.{mid}", value=bias)
        # Kydd (2003) via M6: advising side i to concede from the risky demand (its war
        # share plus the other side's cost) to the safe one (its war share)
        cred = []
        for b_i, share, c_other in ((max(bias, 0.0), p, cost_b), (max(-bias, 0.0), 1 - p, cost_a)):
            r = mediator_credibility(b_i, share, share + max(c_other, 1e-9), share)
            cred.append(bool(r.credible))
        credible = (cred[0], cred[1])
        derived.append(
            Derived(
                f"credible.{mid}",
                f"{a_id}: {credible[0]}, {b_id}: {credible[1]}",
                "rule: M6 mediator_credibility (Kydd 2003) with the bias toward each side, "
                "safe demand = its war share, risky = plus the other side's cost",
                f"bias {bias:+.2f}; p {p:g}; costs {cost_a:g}, {cost_b:g}",
            )
        )
        meds.append(
            Mediator(
                id=mid,
                bias=bias,
                leverage=(lev_a, lev_b),
                decay=decay,
                credible=credible,
                info=shared["mediator_info"],
                fear=shared["mediator_fear"],
                influence=shared["mediator_influence"],
            )
        )

    # held parcels (M5): the swap section's chip, swappable for the other parcels
    parcels: list[HeldParcel] = []
    sw = w.swap
    if sw is not None and sw.chip in w.parcels:
        side_of = {a_id: "A", b_id: "B"}

        def linkage_parcel(name: str) -> Parcel:
            pc = w.parcels[name]
            vals = {who: float(v.value) for who, v in pc.value.items()}
            return Parcel(
                name,
                side_of[pc.owner],
                side_of[pc.holder],
                float(pc.area.value),
                value_A=vals.get(a_id, 0.0),
                value_B=vals.get(b_id, 0.0),
            )

        chip = w.parcels[sw.chip]
        cands = tuple(
            linkage_parcel(k)
            for k, pc in w.parcels.items()
            if pc.owner == chip.holder and pc.holder == chip.owner
        )
        q = issue.quantity
        pie_area = abs(q.at_min - q.at_max) if q else 0.0
        parcels.append(
            HeldParcel(
                linkage_parcel(sw.chip),
                hazard=param(
                    f"h.{sw.chip}",
                    float(sw.recapture.value),
                    _origin(sw.recapture, "war.swap.recapture"),
                ),
                attack_cost=param(
                    "swap_cost", float(sw.cost.value), _origin(sw.cost, "war.swap.cost")
                ),
                alpha=param(
                    "alpha", float(sw.pressure.value), _origin(sw.pressure, "war.swap.pressure")
                ),
                psi=param(
                    "psi_swap",
                    float(sw.reputation.value),
                    _origin(sw.reputation, "war.swap.reputation"),
                ),
                candidates=cands,
                pie_area=pie_area,
            )
        )
        derived.append(
            Derived(
                f"chip.{sw.chip}",
                f"{chip.owner}'s land held by {chip.holder}, {float(chip.area.value):g} km²",
                f"war.parcels.{sw.chip}",
                "swap candidates: " + (", ".join(c.name for c in cands) or "any land"),
            )
        )
    line_reds = [(0.0, 1.0), (0.0, 1.0)]
    if st is not None:
        for side_i, who in enumerate((a_id, b_id)):
            rl = st.red_lines.get(who, {}).get(w.issue)
            if rl is None:
                continue
            lo_r = (float(rl.at_least.value) - lo) / width if rl.at_least is not None else 0.0
            hi_r = (float(rl.at_most.value) - lo) / width if rl.at_most is not None else 1.0
            line_reds[side_i] = (lo_r, hi_r)
            derived.append(
                Derived(
                    f"red_line.{who}.{w.issue}",
                    (lo + width * lo_r, lo + width * hi_r),
                    f"war.settle.red_lines.{who}.{w.issue}",
                    "the line it can sign (war issue scale)",
                )
            )
    ag = w.agreement
    dur = Durability(
        dmz=param(
            "dmz",
            float(ag.dmz.value) if ag is not None and ag.dmz is not None else 0.0,
            _origin(ag.dmz, "war.agreement.dmz") if ag is not None and ag.dmz else "none given",
        ),
    )
    inp = SettleInputs(
        sides=(a_id, b_id),
        states=n_states,
        start=start,
        theta=theta,
        beliefs=(beliefs[0], beliefs[1]),
        cost=(cost_a, cost_b),
        delta=delta,
        battles_per_month=k_b,
        territory=(t0, t1),
        weight_A=weight,
        issues=tuple(issues),
        mediators=tuple(meds),
        parcels=tuple(parcels),
        psi=psi,
        line_red_lines=(line_reds[0], line_reds[1]),
        chip_decay=bool(shared["chip_decay"]),
        commitment=com,
        escalation=esc,
        durability=dur,
        enforcement=shared["mediator_enforcement"],
        spread=shared["spread"],
        theta_spread=shared["theta_spread"],
        war_issue=w.issue,
        meta={"scale": (lo, width), "status_quo": sq, "scenario": sc.id},
    )
    if domestic:  # M10: factions and leaders' survival (accord.analysis.domestic)
        from accord.analysis.domestic import domestic_inputs

        dom, rows, dom_used = domestic_inputs(sc, inp, over, aims)
        used |= dom_used
        if dom is not None:
            inp = inp.with_(domestic=dom)
            derived.extend(Derived(*row) for row in rows)
    unknown = set(over) - used
    if unknown:
        known = sorted(
            d.name
            for d in derived
            if not d.name.startswith(
                ("issue.", "veto.", "red_line.", "faction.", "survival.", "threshold.", "aims.")
            )
        )
        if inp.domestic is not None:  # M10's overridable numbers
            for lead in inp.domestic.survival:
                who = inp.sides[lead.side]
                known += [f"office.{who}", f"removal.{who}", f"cover.{who}"]
            for k in (0, 1):
                if inp.domestic.of_side(k):
                    known.append(f"threshold.{inp.sides[k]}")
            if inp.domestic.aims:
                known.append("aims_offer_below")
        raise ModelError(
            f"unknown parameter; known: {', '.join(known)}",
            path="--param",
            value=sorted(unknown)[0],
        )
    return inp, derived


GAME_LAMBDA = 0.05
"""λ of the agent logit QRE when ``escalation="game"`` (per $bn-equivalent, the unit of the
flagships' games): a $20bn edge makes an action e ≈ 2.7 times likelier than the other, so
near-ties stay mixed while a $100bn+ difference is all but decided (the issue-17 note's
λ; the SPE is the λ → ∞ limit, ``escalation="game-spe"``)."""

ESCALATION_MODES = ("threshold", "game", "game-spe")


def escalation_game(sc: Scenario, inp: SettleInputs, mode: str = "game") -> SettleInputs:
    """The inputs with side B's escalation decided by the scenario's ``game:`` section.

    ``mode`` is ``threshold`` (M7's rule, unchanged), ``game`` (agent logit QRE at
    :data:`GAME_LAMBDA`) or ``game-spe`` (subgame-perfect). The engine calls the game once,
    batched over its runs' gains (``war.brinkmanship.gain`` per run); the other M7 numbers
    (``r_use``, ``D_use``, ``Y``, each partner's ``tau``/``phi``, overrides included) are
    passed to the game at their war-section paths, so a ``--param phi.CHN=...`` sweep moves
    the game too. A run's P(escalation) is the game's P(nuclear use), at the root or after
    a signal (actions ``nuclear_use`` and ``use``).
    """
    if mode not in ESCALATION_MODES:
        raise ModelError(
            f"must be one of {', '.join(ESCALATION_MODES)}", path="--escalation", value=mode
        )
    esc = inp.escalation
    if mode == "threshold":
        return inp
    if esc is None:
        raise ModelError(
            "the game escalation needs the war section's brinkmanship numbers",
            path="war.brinkmanship",
        )
    if sc.game is None:
        raise ModelError("escalation=game needs the scenario's game: section", path="game")
    from accord.games.escalation import escalation_step

    fixed: dict[str, float] = {
        "war.brinkmanship.r_use": esc.r_use,
        "war.brinkmanship.D_use": esc.D,
        "war.brinkmanship.trade_total": esc.Y,
    }
    for k, t, f in zip(esc.partners, esc.tau, esc.phi, strict=True):
        fixed[f"war.brinkmanship.partners.{k}.trade_share"] = t
        fixed[f"war.brinkmanship.partners.{k}.curtail"] = f
    step = escalation_step(sc, method="qre", lam=GAME_LAMBDA, draws=fixed)
    first = step.result.game
    who = first.nodes[0].player
    if who is None or first.players[who] != inp.sides[esc.side]:
        raise ModelError(
            f"the game's first mover must be the escalating side {inp.sides[esc.side]}",
            path="game.root.player",
            value=first.players[who] if who is not None else "chance",
        )
    method: Any = "spe" if mode == "game-spe" else "qre"

    def decide(gains: NDArray[np.float64]) -> NDArray[np.float64]:
        res = escalation_step(
            sc, method=method, lam=GAME_LAMBDA, draws={**fixed, "war.brinkmanship.gain": gains}
        )
        p = res.action_probability("nuclear_use") + res.action_probability("use")
        return np.asarray(p, dtype=float)

    return replace(inp, escalation=replace(esc, decide=decide))


def run_settle(
    sc: Scenario,
    overrides: Mapping[str, float] | None = None,
    *,
    mediators: Sequence[str] = (),
    months: int = 24,
    runs: int = 10_000,
    seed: int = 0,
    domestic: bool = True,
    escalation: str = "threshold",
    aims: bool = False,
    trace: bool = True,
) -> tuple[SettleResult, list[Derived]]:
    """Derive the inputs and run the engine (``domestic=False``: without M10's hook;
    ``escalation``: see :func:`escalation_game`; ``trace``: see :func:`settle`)."""
    inp, derived = settle_inputs(sc, overrides, mediators, domestic, aims)
    inp = escalation_game(sc, inp, escalation)
    return settle(inp, months=months, runs=runs, seed=seed, trace=trace), derived


def vary(
    sc: Scenario,
    name: str,
    values: Sequence[float],
    overrides: Mapping[str, float] | None = None,
    *,
    mediators: Sequence[str] = (),
    months: int = 24,
    runs: int = 10_000,
    seed: int = 0,
    domestic: bool = True,
    escalation: str = "threshold",
    aims: bool = False,
) -> list[tuple[float, SettleResult]]:
    """One run of the engine per value of ``name``, all with the same seed (common random
    numbers: every value meets the same battles, recaptures, partner draws)."""
    out = []
    for v in values:
        res, _ = run_settle(
            sc,
            {**dict(overrides or {}), name: v},
            mediators=mediators,
            months=months,
            runs=runs,
            seed=seed,
            domestic=domestic,
            escalation=escalation,
            aims=aims,
        )
        out.append((float(v), res))
    return out


def headline_lines(res: SettleResult, scale: tuple[float, float] | None = None) -> list[str]:
    """The settle headline as a few lines of text (what ``accord run`` prints)."""
    inp = res.inputs
    lo, width = scale or inp.meta.get("scale", (0.0, 100.0))
    a, b = inp.sides
    p, se = res.p_settled_by()
    parts = []
    for m in (6, 12, 24):
        if m <= res.months:
            parts.append(f"{m} mo {p[m]:.0%} ± {se[m]:.1%}")
    med = res.median_month()
    lines = [
        f"P(negotiated settlement) by month: {', '.join(parts)}; median "
        + (f"month {med:g}" if math.isfinite(med) else f"beyond {res.months} months"),
    ]
    settled = res.outcome == 0
    if settled.any():
        q = np.quantile(res.terms[settled, 0], [0.1, 0.5, 0.9]) * width + lo
        lines.append(
            f"settled line {inp.war_issue} 10/50/90%: {q[0]:.1f} / {q[1]:.1f} / {q[2]:.1f} "
            f"(front now {inp.meta.get('status_quo', float('nan')):g})"
        )
    po = res.p_outcome()
    lines.append(
        f"by month {res.months}: settled {po['settled']:.0%}, {a} won {po['a_won']:.0%}, "
        f"{b} won {po['b_won']:.0%}, still fighting {po['fighting']:.0%}"
    )
    share = res.blocked_share()
    last = min(res.months, share.shape[0] - 1)
    if res.at_war[last] > 0:
        from accord.war.settle import OBSTACLES

        top = np.argsort(-share[last])[:2]
        lines.append(
            f"month {last}, why no deal: "
            + ", ".join(f"{OBSTACLES[j]} {share[last, j]:.0%}" for j in top if share[last, j] > 0)
        )
    if inp.escalation is not None:
        lines.append(
            f"P(escalation by {b}) {res.p_escalation()[0]:.1%}, P(partner repositioning) "
            f"{res.p_repositioning():.1%}"
        )
    if res.domestic is not None:
        from accord.analysis import domestic

        lines.extend(domestic.lines(res))
    return lines


def crosscheck(sc: Scenario) -> list[str]:
    """Where the war section and the actor table disagree (warnings, not errors)."""
    w = sc.war
    if w is None:
        return []
    out: list[str] = []
    a_id, b_id = w.belligerents
    issue = sc.issue(w.issue) if w.issue in sc.issue_ids else None
    if issue is None:
        return out
    lo, width = issue.scale.min, issue.scale.width
    p = float(w.p.value)
    ca = w.costs.get(a_id)
    cb = w.costs.get(b_id)
    if ca is not None and cb is not None:
        low = lo + width * (p - float(ca.value))
        high = lo + width * (p + float(cb.value))
        for who, bound, name in ((a_id, low, "low"), (b_id, high, "high")):
            st = sc.actor(who).positions.get(w.issue) if who in sc.actor_ids else None
            if st is None:
                continue
            # a belligerent with salience near the maximum at its own extreme position
            # would not accept a bound far from it
            gap = abs(bound - st.position) / width
            sal = st.salience / (100.0 if sc.salience_scale == 100 else 1.0)
            if sal >= 0.9 and gap > 0.5:
                out.append(
                    f"war bargaining range {name} bound {w.issue} {bound:.1f} is "
                    f"{gap * width:.0f} points from {who}'s position {st.position:g} at "
                    f"salience {st.salience:g}: the actor table says {who} would hardly "
                    "accept it"
                )
    if issue.status_quo is not None and ca is not None and cb is not None:
        sq = float(issue.status_quo.value)
        exp_line = lo + width * p
        if abs(sq - exp_line) > 0.25 * width:
            out.append(
                f"war.p {p:g} puts the expected outcome of fighting at {w.issue} "
                f"{exp_line:.1f}, far from the front {sq:g}"
            )
    c = w.commitment
    if c is not None and c.q_B0 is not None:
        q_a0 = p - float(c.shift.value)
        q_b0 = float(c.q_B0.value)
        if abs(q_a0 + q_b0 - 1) > 0.05:
            out.append(
                f"war.commitment: {a_id} expects a post-settlement win probability of "
                f"{q_a0:.2f} (p - shift) and {b_id} {q_b0:.2f} (q_B0): they sum to "
                f"{q_a0 + q_b0:.2f}, not 1, so the two sides see different shifts"
            )
    if c is not None and w.delta is not None:
        dl = float(w.delta.value)
        for who, d_i in ((a_id, c.d_A), (b_id, c.d_B)):
            cost = w.costs.get(who)
            if cost is None:
                continue
            implied = float(cost.value) / (1 - dl)
            if abs(float(d_i.value) - implied) > 0.5 * implied:
                out.append(
                    f"war.commitment.d for {who} is {float(d_i.value):g} per period, while "
                    f"war.costs.{who} {float(cost.value):g} under delta {dl:g} implies "
                    f"c/(1 - delta) = {implied:.3g} in M4's per-period units: M4 sees a "
                    "far cheaper war than the war values do"
                )
    for who in (a_id, b_id):
        if who in sc.actor_ids and w.issue not in sc.actor(who).positions:
            out.append(f"{who} is a belligerent but takes no position on {w.issue}")
    return out


def mediator_bias(sc: Scenario, actor_id: str) -> Derived:
    """A third party's bias from its positions: +1 at side A's positions, -1 at side B's.

    Rule: the mean over the issues where it and both belligerents take positions of
    ``(|x_j - x_B| - |x_j - x_A|)/|x_A - x_B|``, weighted by its salience times the
    belligerents' distance there (issues that divide them little say little).
    """
    w = sc.war
    if w is None:
        raise ModelError("the scenario has no war section", path="war")
    a_id, b_id = w.belligerents
    j, a, b = sc.actor(actor_id), sc.actor(a_id), sc.actor(b_id)
    num = den = 0.0
    parts = []
    for iid, st in j.positions.items():
        sa, sb = a.positions.get(iid), b.positions.get(iid)
        if sa is None or sb is None or sa.position == sb.position:
            continue
        lean = (abs(st.position - sb.position) - abs(st.position - sa.position)) / abs(
            sa.position - sb.position
        )
        wt = st.salience * abs(sa.position - sb.position) / sc.issue(iid).scale.width
        num += wt * lean
        den += wt
        parts.append(f"{iid} {lean:+.2f}")
    bias = num / den if den > 0 else 0.0
    return Derived(
        f"bias.{actor_id}",
        bias,
        "rule: (|x_j - x_B| - |x_j - x_A|)/|x_A - x_B|, weighted by salience x |x_A - x_B|",
        ", ".join(parts),
    )


def mediator_leverage(sc: Scenario, actor_id: str, scale: float) -> Derived:
    """A third party's leverage on side B from B's trade dependence on it.

    Rule: ``leverage_scale x τ_j x s_j(ceasefire)``: its share of B's external trade
    (``brinkmanship.partners``) times its salience on the ceasefire issue (its wish for
    talks), on 0-1. Zero where the scenario gives no trade share.
    """
    w = sc.war
    br = w.brinkmanship if w is not None else None
    partner = br.partners.get(actor_id) if br is not None else None
    tau = float(partner.trade_share.value) if partner is not None else 0.0
    sal = 0.0
    c_issue = "C" if "C" in sc.issue_ids else None
    if c_issue is not None:
        st = sc.actor(actor_id).positions.get(c_issue)
        if st is not None:
            sal = st.salience / (100.0 if sc.salience_scale == 100 else 1.0)
    return Derived(
        f"leverage_B.{actor_id}",
        scale * tau * sal,
        "rule: leverage_scale x trade share x salience on the ceasefire issue",
        f"{scale:g} x {tau:g} x {sal:g}",
    )
