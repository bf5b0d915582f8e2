"""Malformed ``war:`` sections: one exact message naming the path and value, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.scenario import loads
from accord.scenario.provenance import unsourced
from texts import MINIMAL, assert_refused

GOOD = (
    MINIMAL
    + """\
  - id: CHN
    name: China
    capability: 70
    positions:
      T: {position: 35, salience: 40, source: s1}
war:
  belligerents: [UKR, RUS]
  issue: T
  p: {value: 0.2, source: s1}
  costs:
    UKR: {value: 0.2, judgement: true}
    RUS: {value: 0.12, judgement: true}
  delta: {value: 0.98, judgement: true}
  screening:
    p_strong: {value: 0.1, judgement: true}
    p_weak: {value: 0.3, judgement: true}
  beliefs:
    UKR: {alpha: {value: 5, judgement: true}, beta: {value: 5, judgement: true}}
    RUS: {alpha: {value: 3, judgement: true}, beta: {value: 7, judgement: true}}
  front: {states: 20, theta: {value: 0.4, judgement: true}}
  commitment:
    shift: {value: 0.15, judgement: true}
    gamma_A: {value: 0.15, judgement: true}
    gamma_B: {value: 0.1, judgement: true}
    d_A: {value: 0.02, judgement: true}
    d_B: {value: 0.01, judgement: true}
  brinkmanship:
    a: {value: 1, judgement: true}
    b: {value: 2, judgement: true}
    partners:
      CHN: {trade_share: {value: 0.338, source: s1}, curtail: {value: 0.5, judgement: true}}
  parcels:
    KURSK:
      owner: RUS
      holder: UKR
      area: {value: 1000, source: s1}
      value: {UKR: {value: 0.02, judgement: true}, RUS: {value: 0.03, judgement: true}}
    OCC:
      owner: UKR
      holder: RUS
      area: {value: 1000, judgement: true}
      value: {UKR: {value: 0.0074, judgement: true}, RUS: {value: 0.01, judgement: true}}
  swap:
    chip: KURSK
    recapture: {value: 0.12, judgement: true}
    cost: {value: 0.002, judgement: true}
    pressure: {value: 1.0e-6, judgement: true}
    reputation: {value: 0.5, judgement: true}
    months: 24
  mediators:
    CHN:
      toward: RUS
      bias: {value: 0.6, source: s1}
      leverage: {RUS: {value: 0.03, judgement: true}}
      decay: {value: 0.98, judgement: true}
  agreement:
    guarantees: {value: 0.5, source: s1}
    dmz: {value: 0, judgement: true}
    peacekeepers: {value: 0, judgement: true}
"""
)

CASES = [
    ("p_above_one", ("p: {value: 0.2", "p: {value: 1.4"), "war.p: must be in [0, 1] (got 1.4)"),
    (
        "negative_cost",
        ("RUS: {value: 0.12", "RUS: {value: -0.12"),
        "war.costs.RUS: must be in [0, inf] (got -0.12)",
    ),
    (
        "unknown_belligerent",
        ("belligerents: [UKR, RUS]", "belligerents: [UKR, BLR]"),
        "war.belligerents[1]: unknown actor id (got 'BLR')",
    ),
    (
        "cost_for_a_third_party",
        (
            "    RUS: {value: 0.12, judgement: true}\n",
            "    RUS: {value: 0.12, judgement: true}\n    USA: {value: 0.1, judgement: true}\n",
        ),
        "war.costs.USA: not one of the belligerents (got 'USA')",
    ),
    (
        "missing_cost",
        ("    RUS: {value: 0.12, judgement: true}\n", ""),
        "war.costs: missing an entry for belligerent RUS",
    ),
    ("unknown_issue", ("  issue: T", "  issue: X"), "war.issue: unknown issue id (got 'X')"),
    (
        "delta_one",
        ("delta: {value: 0.98", "delta: {value: 1.0"),
        "war.delta: must be in (0, 1) (got 1.0)",
    ),
    (
        "weak_below_strong",
        ("p_weak: {value: 0.3", "p_weak: {value: 0.05"),
        "war.screening.p_weak: must be >= p_strong (0.1) (got 0.05)",
    ),
    (
        "zero_alpha",
        ("alpha: {value: 5,", "alpha: {value: 0,"),
        "war.beliefs.UKR.alpha: must be in (0, inf] (got 0.0)",
    ),
    (
        "text_theta",
        ("theta: {value: 0.4, judgement: true}", "theta: high"),
        "war.front.theta: must be a number (got 'high')",
    ),
    (
        "zero_states",
        ("states: 20", "states: 0"),
        "war.front.states: must be an integer >= 1 (got 0)",
    ),
    (
        "b_not_above_a",
        ("b: {value: 2", "b: {value: 0.5"),
        "war.brinkmanship.b: must exceed a (1) (got 0.5)",
    ),
    (
        "shares_above_one",
        ("trade_share: {value: 0.338", "trade_share: {value: 1.338"),
        "war.brinkmanship.partners.CHN.trade_share: must be in [0, 1] (got 1.338)",
    ),
    (
        "unknown_source",
        ("p: {value: 0.2, source: s1}", "p: {value: 0.2, source: s9}"),
        "war.p.source: unknown source key (got 's9')",
    ),
    (
        "misspelt_field",
        ("  delta: {value", "  delat: {value"),
        "war.delat: unknown field (did you mean 'delta'?)",
    ),
    (
        "shares_sum_above_one",
        (
            "    partners:\n",
            "    partners:\n      IND: {trade_share: {value: 0.7, judgement: true}, curtail: {value: 0.3, judgement: true}}\n",
        ),
        "war.brinkmanship.partners: trade shares sum above 1 (got 1.038)",
    ),
    ("missing_p", ("  p: {value: 0.2, source: s1}\n", ""), "war.p: required field is missing"),
    # M5 parcels and the swap
    (
        "parcel_owner_not_belligerent",
        ("      owner: RUS\n      holder: UKR", "      owner: CHN\n      holder: UKR"),
        "war.parcels.KURSK.owner: not one of the belligerents (got 'CHN')",
    ),
    (
        "parcel_negative_area",
        ("area: {value: 1000, source: s1}", "area: {value: -5, source: s1}"),
        "war.parcels.KURSK.area: must be in [0, inf] (got -5.0)",
    ),
    (
        "parcel_value_missing_side",
        (
            "value: {UKR: {value: 0.02, judgement: true}, RUS: {value: 0.03, judgement: true}}",
            "value: {UKR: {value: 0.02, judgement: true}}",
        ),
        "war.parcels.KURSK.value: missing an entry for belligerent RUS",
    ),
    (
        "parcel_value_text",
        ("UKR: {value: 0.0074, judgement: true}", "UKR: much"),
        "war.parcels.OCC.value.UKR: must be a number (got 'much')",
    ),
    (
        "swap_unknown_chip",
        ("chip: KURSK", "chip: CRIMEA"),
        "war.swap.chip: unknown parcel (got 'CRIMEA')",
    ),
    (
        "swap_chip_not_held_by_the_other_side",
        ("      owner: RUS\n      holder: UKR", "      owner: RUS\n      holder: RUS"),
        "war.swap.chip: must be held by the belligerent that does not own it (got 'KURSK')",
    ),
    (
        "swap_nothing_to_swap_for",
        ("      owner: UKR\n      holder: RUS", "      owner: UKR\n      holder: UKR"),
        "war.swap.chip: no parcel of UKR's land held by RUS to swap it for (got 'KURSK')",
    ),
    (
        "swap_hazard_above_one",
        ("recapture: {value: 0.12", "recapture: {value: 1.2"),
        "war.swap.recapture: must be in [0, 1] (got 1.2)",
    ),
    (
        "swap_negative_reputation",
        ("reputation: {value: 0.5", "reputation: {value: -0.5"),
        "war.swap.reputation: must be in [0, inf] (got -0.5)",
    ),
    (
        "swap_missing_pressure",
        ("    pressure: {value: 1.0e-6, judgement: true}\n", ""),
        "war.swap.pressure: required field is missing",
    ),
    (
        "swap_negative_months",
        ("months: 24", "months: -1"),
        "war.swap.months: must be an integer >= 0 (got -1)",
    ),
    # M6 mediators
    (
        "mediator_unknown_actor",
        ("  mediators:\n    CHN:", "  mediators:\n    XXX:"),
        "war.mediators.XXX: unknown actor id (got 'XXX')",
    ),
    (
        "mediator_is_a_belligerent",
        ("  mediators:\n    CHN:", "  mediators:\n    RUS:"),
        "war.mediators.RUS: a belligerent cannot mediate (got 'RUS')",
    ),
    (
        "mediator_toward_a_third_party",
        ("toward: RUS", "toward: CHN"),
        "war.mediators.CHN.toward: not one of the belligerents (got 'CHN')",
    ),
    (
        "mediator_bias_above_one",
        ("bias: {value: 0.6", "bias: {value: 1.6"),
        "war.mediators.CHN.bias: must be in [0, 1] (got 1.6)",
    ),
    (
        "mediator_leverage_on_a_third_party",
        ("leverage: {RUS: {value: 0.03", "leverage: {CHN: {value: 0.03"),
        "war.mediators.CHN.leverage.CHN: not one of the belligerents (got 'CHN')",
    ),
    (
        "mediator_negative_leverage",
        ("leverage: {RUS: {value: 0.03", "leverage: {RUS: {value: -0.03"),
        "war.mediators.CHN.leverage.RUS: must be in [0, inf] (got -0.03)",
    ),
    (
        "mediator_decay_above_one",
        ("decay: {value: 0.98", "decay: {value: 1.02"),
        "war.mediators.CHN.decay: must be in [0, 1] (got 1.02)",
    ),
    (
        "mediator_misspelt_field",
        ("      toward: RUS", "      towards: RUS"),
        "war.mediators.CHN.towards: unknown field (did you mean 'toward'?)",
    ),
    (
        "mediator_unknown_source",
        ("bias: {value: 0.6, source: s1}", "bias: {value: 0.6, source: s7}"),
        "war.mediators.CHN.bias.source: unknown source key (got 's7')",
    ),
    # M9 agreement features
    (
        "agreement_feature_above_one",
        ("dmz: {value: 0,", "dmz: {value: 2,"),
        "war.agreement.dmz: must be in [0, 1] (got 2.0)",
    ),
    (
        "agreement_unknown_feature",
        ("    peacekeepers: {value: 0", "    peacekeeper: {value: 0"),
        "war.agreement.peacekeeper: unknown field (did you mean 'peacekeepers'?)",
    ),
]


@pytest.mark.parametrize(("name", "edit", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_war_section(
    tmp_path: Path, name: str, edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in GOOD
    assert_refused(tmp_path, GOOD.replace(old, new, 1), name, message)


def test_the_good_war_section_is_good() -> None:
    sc = loads(GOOD)
    assert sc.war is not None and sc.war.p.value == 0.2
    assert [u for u in unsourced(sc) if u.startswith("war")] == []


def test_unsourced_war_numbers_are_listed() -> None:
    sc = loads(GOOD.replace("delta: {value: 0.98, judgement: true}", "delta: 0.98"))
    assert [u for u in unsourced(sc) if u.startswith("war")] == ["war.delta"]


def test_scenarios_without_a_war_section_still_load() -> None:
    sc = loads(GOOD[: GOOD.index("war:")])
    assert sc.war is None


def test_round_trip_keeps_the_war_section() -> None:
    from accord.scenario import dumps

    sc = loads(GOOD)
    again = loads(dumps(sc))
    assert again.war == sc.war


def test_the_new_war_fields_load_and_are_sourced() -> None:
    sc = loads(GOOD)
    w = sc.war
    assert w is not None and w.swap is not None and w.swap.chip == "KURSK"
    assert w.parcels["OCC"].value["RUS"].value == 0.01 and w.mediators["CHN"].toward == "RUS"
    unsourced_ = loads(GOOD.replace("recapture: {value: 0.12, judgement: true}", "recapture: 0.12"))
    assert [u for u in unsourced(unsourced_) if u.startswith("war")] == ["war.swap.recapture"]


def test_restrict_drops_mediators_whose_actor_goes() -> None:
    sc = loads(GOOD)
    no_china = sc.model_copy(update={"actors": sc.actors[:2]}).restrict(["T"])
    assert no_china.war is not None and no_china.war.mediators == {}
    assert sc.restrict(["T"]).war == sc.war


def test_restrict_keeps_the_war_section_only_with_its_issue() -> None:
    from accord import scenarios

    sc = scenarios.load("ukraine-2024-08")
    kept = sc.restrict(["T", "N"]).war
    assert kept is not None and sc.war is not None
    drop = {"settle": None, "domestic": None}
    assert kept.model_copy(update=drop) == sc.war.model_copy(update=drop)
    assert kept.domestic is not None  # M10: faction stances follow the restriction
    assert set(kept.domestic.factions["RUS_TECH"].positions) == {"T"}
    assert kept.settle is not None and set(kept.settle.war_levels) == {"N"}
    assert sc.restrict(["N", "G"]).war is None
