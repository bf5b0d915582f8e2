"""The short fuzz of ``make test``: a fixed-seed share of ``tests/fuzzing.py`` finds nothing.

The long run (``make fuzz``, >= 1e5 cases, limits per case, a report) uses the same
generators and oracle; the oracle itself is tested here on the failures it must catch.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import fuzzing
from accord.errors import show_value

SHORT_CASES = 3000


@pytest.fixture(scope="module")
def seeds() -> fuzzing.Seeds:
    return fuzzing.Seeds.build()


def test_short_fuzz_finds_nothing(seeds: fuzzing.Seeds, tmp_path: Path) -> None:
    report = fuzzing.run_cases(iter(fuzzing.schedule(SHORT_CASES, 10_000)), seeds, tmp_path, 30)
    assert sum(report.cases.values()) >= SHORT_CASES
    assert set(report.cases) == set(fuzzing.CATEGORIES)
    details = {sig: (e["seed"], e["detail"][-400:]) for sig, e in report.failures.items()}
    assert details == {}


def test_oracle_catches_silent_coercions() -> None:
    assert fuzzing.coercions({"states": "20"}, {"states": 20}) == [
        ".states: text '20' became number 20"
    ]
    assert fuzzing.coercions({"judgement": "no"}, {"judgement": False}) == [
        ".judgement: text 'no' became boolean False"
    ]
    assert fuzzing.coercions({"salience_scale": True}, {"salience_scale": 1}) == [
        ".salience_scale: boolean True became number 1"
    ]
    assert fuzzing.coercions({"n": 2.5}, {"n": 2}) == [".n: 2.5 became 2"]
    # the schema's documented sugar is not a coercion
    assert fuzzing.coercions({"capability": 85}, {"capability": 85.0}) == []
    assert fuzzing.coercions({"source": "s1"}, {"source": ("s1",)}) == []
    assert fuzzing.coercions({"labels": {0: "a"}}, {"labels": {0.0: "a"}}) == []
    assert fuzzing.coercions({"c": {"value": 3}}, {"c": 3.0}) == []


def test_oracle_catches_crashes_and_bad_exits(seeds: fuzzing.Seeds, tmp_path: Path) -> None:
    case = fuzzing.Case("cli", 0, "argv", ["validate", "MINIMAL"])
    work = tmp_path / "case" / "w"
    work.mkdir(parents=True)
    fuzzing.execute(case, work, seeds)  # a good file passes
    case = fuzzing.Case("json", 0, "text", '{"id": "t"}', "json")
    fuzzing.execute(case, work, seeds)  # an accord error is the right answer
    bad = fuzzing.Case("cli", 0, "argv", ["nope"])
    fuzzing.execute(bad, work, seeds)  # a usage error: exit 2
    outside = fuzzing.Case("roundtrip", 0, "scenario", {"id": 1})
    fuzzing.execute(outside, work, seeds)  # refused by the schema: fine


def test_oracle_flags_a_crash(
    seeds: fuzzing.Seeds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.scenario import io

    def broken(*args: object, **kwargs: object) -> object:
        raise IndexError("list index out of range")

    monkeypatch.setattr(io, "loads", broken)
    case = fuzzing.Case("yaml", 0, "text", "id: t\n", "yaml")
    with pytest.raises(fuzzing.Failure, match=r"yaml: IndexError at test_fuzz\.py"):
        fuzzing.execute(case, tmp_path, seeds)


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=50,
    )
)
def test_show_value_is_short_and_one_line(value: object) -> None:
    text = show_value(value)
    assert len(text) <= 80
    assert "\n" not in text
    assert "\x1b" not in text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_show_value_keeps_floats_exact_when_short(x: float) -> None:
    text = show_value(x)
    assert float(text) == x or math.isnan(x)
