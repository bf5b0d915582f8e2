"""Malformed scenario files: each gets one exact message and exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import scenarios
from accord.cli import app
from texts import MINIMAL, assert_refused

GOOD = MINIMAL

# (name, edit of GOOD, exact message after "<file>: ")
CASES = [
    (
        "salience_above_scale",
        ("salience: 95}", "salience: 140}"),
        "actors[1].positions.T.salience: above salience_scale 100 (got 140.0)",
    ),
    (
        "negative_salience",
        ("salience: 95}", "salience: -5}"),
        "actors[1].positions.T.salience: must be >= 0 (got -5)",
    ),
    (
        "position_outside_scale",
        ("position: 95,", "position: 195,"),
        "actors[1].positions.T.position: outside the scale of issue T [0, 100] (got 195.0)",
    ),
    (
        "nan_capability",
        ("capability: 85", "capability: .nan"),
        "actors[0].capability: must be a finite number (got nan)",
    ),
    (
        "negative_capability",
        ("capability: 85", "capability: -3"),
        "actors[0].capability: must be >= 0 (got -3.0)",
    ),
    (
        "text_capability",
        ("capability: 85", "capability: high"),
        "actors[0].capability: must be a number (got 'high')",
    ),
    (
        "unknown_issue",
        ("      T: {position: 95", "      X: {position: 95"),
        "actors[1].positions.X: unknown issue id (got 'X')",
    ),
    ("duplicate_actor", ("id: UKR", "id: RUS"), "actors[1].id: duplicate actor id (got 'RUS')"),
    (
        "duplicate_issue",
        ("actors:\n", "  - id: T\n    name: Again\nactors:\n"),
        "issues[1].id: duplicate issue id (got 'T')",
    ),
    (
        "unknown_source",
        ("source: s1}", "source: s9}"),
        "actors[0].positions.T.source: unknown source key (got 's9')",
    ),
    (
        "source_after_as_of",
        ("date: 2024-06-14}", "date: 2025-02-12}"),
        "sources.s1.date: source is dated after the scenario's as-of date 2024-08-25; remove it or "
        "say in `proxy` why it stands in for what was known then (got '2025-02-12')",
    ),
    (
        "misspelt_field",
        ("    positions:\n      T: {position: 95", "    postions:\n      T: {position: 95"),
        "actors[1].postions: unknown field (did you mean 'positions'?)",
    ),
    (
        "missing_capability",
        ("    capability: 50\n", ""),
        "actors[1].capability: required field is missing",
    ),
    (
        "missing_salience_scale",
        ("salience_scale: 100\n", ""),
        "salience_scale: required field is missing",
    ),
    (
        "bad_salience_scale",
        ("salience_scale: 100", "salience_scale: 10"),
        "salience_scale: must be 1 (saliences on 0-1) or 100 (saliences on 0-100) (got 10)",
    ),
    ("numeric_id", ("id: UKR", "id: 7"), "actors[1].id: must be text (got 7)"),
    (
        "no_actors",
        ("actors:\n", "actors: []\nx_actors:\n"),
        "x_actors: unknown field (did you mean 'actors'?)\n"
        "actors: a scenario needs at least one actor",  # one pass: both problems
    ),
    (
        "empty_actor_list",
        (GOOD[GOOD.index("actors:") :], "actors: []\n"),
        "actors: a scenario needs at least one actor",
    ),
    (
        "status_quo_outside",
        ("status_quo: 20", "status_quo: 120"),
        "issues[0].status_quo: outside the scale [0, 100] (got 120.0)",
    ),
    (
        "inverted_scale",
        ("    status_quo: 20\n", "    scale: {min: 100, max: 0}\n"),
        "issues[0].scale: scale.min must be below scale.max (got '100..0')",
    ),
    (
        "duplicate_key",
        ("  - id: UKR\n", "  - id: UKR\n    id: UKR\n"),
        "line 18, column 5: invalid YAML: duplicate key",
    ),
    (
        "yaml_syntax",
        ("title: T", "title: [T"),
        "line 3, column 6: invalid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "bad_date",
        ("as_of: 2024-08-25", "as_of: last summer"),
        "as_of: must be a date (YYYY-MM-DD) (got 'last summer')",
    ),
    (
        "not_a_mapping",
        (GOOD, "- just\n- a list\n"),
        "a scenario file must hold a mapping, not list",
    ),
    ("empty_file", (GOOD, ""), "a scenario file must hold a mapping, not an empty file"),
    (
        "veto_unknown",
        ("    status_quo: 20\n", "    decision_rule: {rule: unanimity, veto: [CHN]}\n"),
        "issues[0].decision_rule.veto[0]: unknown actor id (got 'CHN')",
    ),
]


# the uncertainty: section (issue 14)
_LAST = "      T: {position: 95, salience: 95}\n"
CASES += [
    (
        "uncertainty_unknown_path",
        (
            _LAST,
            _LAST
            + "uncertainty:\n  parameters:\n    actors[XX].capability: {dist: uniform, relative: 0.1}\n",
        ),
        "uncertainty.parameters.actors[XX].capability: not a number of this scenario (got 'actors[XX].capability')",
    ),
    (
        "uncertainty_unknown_dist",
        (_LAST, _LAST + "uncertainty:\n  parameters:\n    issues[T].status_quo: {dist: gamma}\n"),
        "uncertainty.parameters['issues[T].status_quo']: unknown dist; one of 'uniform', 'triangular', 'normal', 'truncnormal', 'beta', 'discrete' (got 'gamma')",
    ),
    (
        "uncertainty_without_bounds",
        (
            _LAST,
            _LAST
            + "uncertainty:\n  parameters:\n    issues[T].status_quo: {dist: uniform, plusminus: 30}\n",
        ),
        "uncertainty.parameters.issues[T].status_quo: the distribution reaches outside the valid range [0, 100]; say bounds: clip or bounds: reject (got '[-10, 50]')",
    ),
]


@pytest.mark.parametrize(("name", "edit", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_file(tmp_path: Path, name: str, edit: tuple[str, str], message: str) -> None:
    old, new = edit
    assert old in GOOD
    assert_refused(tmp_path, GOOD.replace(old, new, 1), name, message)


def test_there_are_at_least_fifteen_cases() -> None:
    assert len(CASES) >= 15


def test_the_good_file_is_good(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "missing.yaml"], "error: missing.yaml: no such file"),
        (
            ["validate", "notes.txt"],
            "error: notes.txt: unknown file type: use .yaml, .yml or .json (got '.txt')",
        ),
        (
            ["run", "no-such-scenario"],
            "error: neither a file nor a bundled scenario "
            f"({', '.join(scenarios.ids())}) (got 'no-such-scenario')",
        ),
        (
            ["run", "iran-2013", "-m", "nope"],
            "error: model: unknown model; available: compromise, median, eum, smp, exchange, "
            "council_pivot, agenda_setter, codecision, costly_compromise (got 'nope')",
        ),
        (
            ["run", "iran-2013", "-m", "eum", "--set", "eum.q=2"],
            "error: options.eum.q: Input should be less than or equal to 1 (got 2)",
        ),
        (
            ["run", "iran-2013", "-m", "eum", "--set", "eum.qq=1"],
            "error: options.eum.qq: unknown option; eum takes: decision_rules, preset, rounds, q, "
            "t, improvement, "
            "probability_denominator, capitulation, offer_choice, vote_risk, perception, "
            "no_challenge_term, median, position_range, forecast, cycle_tolerance (got 1)",
        ),
        (
            ["run", "iran-2013", "--set", "q=1"],
            "error: --set: expected MODEL.OPTION=VALUE (got 'q=1')",
        ),
        (
            ["run", "iran-2013", "-m", "smp", "--set", "smp.pce=markov"],
            "error: options.smp.pce: Input should be 'conditional', 'markov_uniform' or "
            "'markov_incentive' (got 'markov')",
        ),
        (["report", "iran-2013", "--results", "nowhere"], "error: nowhere: no such directory"),
        (
            ["report", "iran-2013", "--event", "x == 1"],
            "error: --event: --event needs --results DIR (got 'x == 1')",
        ),
        (["app", "--results", "nowhere"], "error: nowhere: no such directory"),
    ],
)
def test_bad_command_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == message


@pytest.mark.parametrize(
    "args",
    [
        ["run", "iran-2013", "-m", "smp"],
        ["settle", "ukraine-2024-08"],
        ["report", "iran-2013", "-o", "r.html"],
        ["sweep", "iran-2013", "-m", "compromise", "--draws", "4", "--out", "s"],
        ["war", "fight", "ukraine-2024-08"],
        ["war", "winset", "ukraine-2024-08"],
        ["timeline", "russia-ukraine"],
    ],
)
def test_a_negative_seed_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [*args, "--seed", "-1"])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--seed'" in result.output
    assert "internal error" not in result.output
    assert not list(tmp_path.iterdir())
