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


def test_restrict_keeps_the_war_section_only_with_its_issue() -> None:
    from accord import scenarios

    sc = scenarios.load("ukraine-2024-08")
    kept = sc.restrict(["T", "N"]).war
    assert kept is not None and sc.war is not None
    assert kept.model_copy(update={"settle": None}) == sc.war.model_copy(update={"settle": None})
    assert kept.settle is not None and set(kept.settle.war_levels) == {"N"}
    assert sc.restrict(["N", "G"]).war is None
