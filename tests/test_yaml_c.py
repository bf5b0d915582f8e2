"""YAML through libyaml (ruamel's C parser) gives exactly what the pure parser gives (issue 15).

:func:`accord.scenario.io.read_data` parses YAML with ruamel's C parser first and falls
back to the pure-Python parser, whose messages accord has always printed, for anything
the C path does not accept cleanly. The property that makes that no behaviour change:
whenever the C path returns data, the pure parser returns equal data (same keys in the
same order, same types: int vs float, text vs number). Checked on every YAML file the
project ships, on constructs where YAML versions and parsers are known to differ, and on
random edits of real scenario files (which mostly make errors: the C path must then step
aside, so that the error is the pure parser's).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.scenario import io
from accord.scenario.io import _NO_C, _read_yaml_c, _yaml, read_data

ROOT = Path(__file__).parent.parent
FILES = sorted(
    p
    for folder in (ROOT / "src" / "accord", ROOT / "tests" / "data", ROOT / "docs")
    for p in [*folder.rglob("*.yaml"), *folder.rglob("*.yml")]
)
A040 = ROOT / "tests" / "data" / "ktab" / "dummyData-a040.csv"


def _typed(data: Any) -> Any:
    """Data with every scalar's type made visible, and key order kept (1 != 1.0 here)."""
    if isinstance(data, dict):
        return [("map", [(_typed(k), _typed(v)) for k, v in data.items()])]
    if isinstance(data, list):
        return [("seq", [_typed(v) for v in data])]
    return (type(data).__name__, data)


def _pure(text: str) -> Any:
    try:
        return _typed(_yaml(pure=True).load(text))
    except Exception as exc:
        return ("error", type(exc).__name__)


def _same_or_steps_aside(text: str) -> None:
    fast = _read_yaml_c(text, None)
    if fast is not _NO_C:
        assert _typed(fast) == _pure(text)


def test_the_c_parser_is_installed() -> None:
    assert io.CParser is not None  # a dependency (ruamel.yaml.clib): the fast path is real


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_yaml_file_parses_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = _read_yaml_c(text, None)
    pure = _pure(text)
    if pure[0] != "error" and not io._C_UNSAFE.search(text):
        assert fast is not _NO_C, "the C path stepped aside on a valid file"
    if fast is not _NO_C:
        assert _typed(fast) == pure
    crlf = text.replace("\n", "\r\n")  # a file saved on Windows
    _same_or_steps_aside(crlf)
    if fast is not _NO_C:
        assert _read_yaml_c(crlf, None) is not _NO_C


TRICKY = [
    # YAML 1.2 core schema vs 1.1: booleans, nulls, octal, sexagesimal, underscores
    "a: [yes, no, on, off, y, n, NO, True, FALSE, ~, null, Null, NULL, '']",
    "a: [0o17, 017, 0x1F, 1_000, 1:20, 190:20:30, +1, -0, 0b101]",
    "a: [1.0, 1e3, 1.5e3, .5, -.inf, .NaN, 1., 6.8523015e+5, 685.230_15e+03, 0.]",
    "a: [2024-08-01, 2024-08-01T10:00:00Z, '2024-08-01']",
    "a: !!str 3\nb: !!float 3\nc: !!int '7'\nd: !!null ''\ne: !!bool true",
    "base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  y: 3\nlist: [*b, *b]",
    "a: &x 1\nb: &x 2\nc: *x",  # a re-defined anchor: the later one counts
    "a: 1\na: 2",  # duplicate keys: both refuse
    "{a: 1, a: 2}",
    "a: {b: 1}\nc: [1, {d: [2, 3]}]\ne: {\"f\":1, 'g': 2}",
    "t: |\n  line 1\n  line 2\n\nk: |+\n  kept\n\n\ns: >-\n  folded\n  text\nu: >\n  a\n\n  b\n",
    "q: \"tab\\there \\u00e9 \\x41 \\/ \\N \\_ \\L \\P \\e \\0 \\a\"\nr: 'it''s'",
    "a: 'multi\n  line'\nb: \"multi\n  line \\\n  joined\"",
    "plain: text with: colon and # not a comment\n# comment\nx: 1 # comment",
    "? [a, b]\n: c",  # a complex key: both refuse (a list is not a key)
    "1: one\n2.5: two\n-3: three\n~: none\ntrue: yes",
    "a: Україна — Росія, 中文, emoji \U0001f600, é",
    "- a\n- - b\n  - c\n- {d: e}\n-\n- ''",
    "a:\n- 1\n- 2\nb:\n  - 3",
    "a: [1, 2,]\nb: {c: 1,}",
    "---\na: 1\n...\n",
    "---\na: 1\n---\nb: 2\n",  # two documents: both refuse
    "a: 1\n  b: 2",
    "a: [1, 2",
    "a: 'unterminated",
    "!!binary aGVsbG8=",
    "a: !!set {x, y}",
    "a: !local x",
    "a: 123456789012345678901234567890",
    "a: " + "9" * 5000,
    "",
    "# only a comment",
    "x",
    "[1, 2]",
    "a: b: c",
    "- a\nb: c",
    "a: *undefined",
    "a: [&x 1, *x]",
    "&a a: &b b\n*a : *b",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_constructs_parse_the_same_or_go_to_the_pure_parser(text: str) -> None:
    _same_or_steps_aside(text)
    _same_or_steps_aside(text.replace("\n", "\r\n"))


def test_errors_are_the_pure_parsers() -> None:
    """A refusal, a parse error and a duplicate key: the C path steps aside each time."""
    for text in ("a: 1\na: 2", "a: [1, 2", "!!binary aGVsbG8=", "a: 1\n  b: 2"):
        assert _read_yaml_c(text, None) is _NO_C


def test_directives_tabs_and_odd_characters_go_to_the_pure_parser() -> None:
    for text in ("%YAML 1.1\n---\na: yes", "a:\t1", "a: b\x85c", "a: b\u2028c", "a: \ufeffb"):
        assert _read_yaml_c(text, None) is _NO_C


def test_nesting_at_the_limit_parses_the_same_and_beyond_it_steps_aside() -> None:
    at_limit = "[" * 64 + "]" * 64
    assert _read_yaml_c(at_limit, None) is not _NO_C
    _same_or_steps_aside(at_limit)
    assert _read_yaml_c("[" * 65 + "]" * 65, None) is _NO_C
    block = "".join("  " * i + "-\n" for i in range(70))
    assert _read_yaml_c(block, None) is _NO_C


@pytest.mark.parametrize(
    "text",
    ["[" * 200_000 + "]" * 200_000, "- " * 200_000 + "x\n", "a: " + "{b: " * 100_000 + "1"],
    ids=["flow", "compact", "flow-map"],
)
def test_a_hostile_nesting_is_refused_without_crashing(text: str, tmp_path: Path) -> None:
    """libyaml's composer recurses in C: 10^5 levels would overflow the C stack. The
    depth is read from its (iterative) event stream first; in a fresh process, so that a
    crash fails this test instead of the test run."""
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    code = (
        "import sys\nfrom accord.errors import ScenarioError\nfrom accord.scenario.io import load\n"
        f"try:\n    load({str(path)!r})\nexcept ScenarioError as exc:\n    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert "nested too deeply" in done.stdout


_SCENARIOS = [p for p in FILES if "scenarios" in p.parts]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_SCENARIOS),
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 12),
            st.sampled_from([*" \n-:?#&*!|>'\"[]{},%@`0123456789.eE+_xyz~", "  ", "\n  "]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_random_edits_of_real_files_parse_the_same_or_go_to_the_pure_parser(
    path: Path, edits: list[tuple[float, int, str]]
) -> None:
    text = path.read_text(encoding="utf-8")[:6000]
    for where, drop, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + drop :]
    _same_or_steps_aside(text)


def test_read_data_takes_the_c_path_for_a_scenario_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.scenario.importers import ktab

    text = io.dumps(ktab.read(A040))
    calls: list[bool] = []
    real = io._yaml

    def spy(pure: bool = True) -> Any:
        calls.append(pure)
        return real(pure)

    monkeypatch.setattr(io, "_yaml", spy)
    assert read_data(text, "yaml") == real(True).load(text)
    assert calls == [False]  # no pure parse on the happy path
