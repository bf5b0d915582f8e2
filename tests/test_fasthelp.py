"""``accord --help`` drawn by :mod:`accord.fasthelp` equals typer's own, byte for byte.

Against the fixture captured before the fast path existed (COLUMNS=80, not a terminal), and
against typer's rich formatter at every width from 40 to 200 (and wider), plain, in colour
and with NO_COLOR, on a real pseudo-terminal too; the listing it draws from is current; it
declines (typer draws the help) for what it does not model. Also: accord's start-up
deferrals inside typer (:mod:`accord.cli.lazy`) change no help or error output.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord import fasthelp
from accord._help_listing import LISTING
from accord.cli import app
from accord.fasthelp import _CONSOLE_ENV

DATA = Path(__file__).parent / "data"

HELP = DATA / "help"
# Runs ARGS as the `accord` console script would (the program name is the script's name).
_AS_ACCORD = "import sys; sys.argv[0] = 'accord'; from {module} import main; main()"


def _accord(
    args: list[str], *, via: str = "accord.__main__", **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in _CONSOLE_ENV}
    environ.pop("COLUMNS", None)
    environ.update(env)
    code = _AS_ACCORD.format(module=via)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=environ,
    )


def test_help_matches_the_fixture_captured_before_the_fast_path() -> None:
    # The fixture is typer's own rendering (COLUMNS=80, not a terminal, NO_COLOR), captured
    # before accord.fasthelp existed; both paths must still print exactly it.
    fixture = (HELP / "accord-help-80.txt").read_text(encoding="utf-8")
    fast = _accord(["--help"], COLUMNS="80", NO_COLOR="1")
    typer_path = _accord(["--help"], via="accord.cli", COLUMNS="80", NO_COLOR="1")
    assert fast.returncode == typer_path.returncode == 0
    assert fast.stdout == fixture
    assert typer_path.stdout == fixture
    assert fast.stderr == typer_path.stderr == ""


@pytest.mark.parametrize("group", ["war", "game"])
def test_group_help_matches_its_fixture(group: str) -> None:
    fixture = (HELP / f"accord-{group}-help-80.txt").read_text(encoding="utf-8")
    assert _accord([group, "--help"], COLUMNS="80", NO_COLOR="1").stdout == fixture


def test_the_listing_is_current() -> None:
    # If this fails, the top-level help changed (cli/__init__.py or cli/lazy.py): regenerate
    # the listing with `python -m accord.fasthelp` (until then typer prints the help).
    assert fasthelp.listing_from_app() == LISTING, "run: python -m accord.fasthelp"


def _typer_help(width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    result = CliRunner().invoke(app, ["--help"], prog_name="accord")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_fast_help_equals_typers_at_every_width(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*_CONSOLE_ENV, "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    drawn = 0
    for width in [*range(20, 201), 250, 400, 1000]:
        mine = fasthelp.render(LISTING, width)
        if mine is None:
            assert width < 40  # declined only where the panels' layout gets complicated
            continue
        assert mine == _typer_help(width, monkeypatch), f"width {width}"
        drawn += 1
    assert drawn >= 165


def test_fast_help_wraps_and_folds_as_rich_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # A listing with long words, runs of spaces and line breaks, against rich itself.
    from rich.console import Console
    from rich.text import Text

    samples = [
        "Forecast every issue of a scenario with one or more models.",
        "a  b   c    dd  " * 5,
        "supercalifragilisticexpialidocious-and-then-some words after it",
        "first line\nsecond, longer line that wraps\n\nafter a blank",
        "  leading spaces and trailing   ",
    ]
    for text in samples:
        for width in (1, 3, 7, 10, 16, 33, 80):
            console = Console(width=width, file=io.StringIO(), color_system=None)
            console.print(Text(text), end="")
            rich_lines = console.file.getvalue().split("\n")  # type: ignore[attr-defined]
            mine = fasthelp.wrap(text, width)
            assert [x.rstrip() for x in mine] == [x.rstrip() for x in rich_lines], (text, width)
            assert all(len(x) <= width for x in mine)


class _Stream(io.StringIO):
    def __init__(self, tty: bool = False, encoding: str = "utf-8") -> None:
        super().__init__()
        self._tty, self._encoding = tty, encoding

    def isatty(self) -> bool:
        return self._tty

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


@pytest.mark.parametrize(
    ("argv", "environ", "stream", "why"),
    [
        (["accord", "--help"], {"TERM": "dumb"}, _Stream(tty=True), "a dumb terminal"),
        (["accord", "--help"], {"FORCE_COLOR": "1"}, _Stream(), "colour forced"),
        (["accord", "--help"], {"TTY_COMPATIBLE": "1"}, _Stream(), "a terminal declared"),
        (["accord", "--help"], {"TERMINAL_WIDTH": "90"}, _Stream(), "typer's width"),
        (["accord", "--help"], {}, _Stream(encoding="latin-1"), "ASCII boxes"),
        (["accord", "--help"], {"COLUMNS": "30"}, _Stream(), "too narrow"),
        (["python -m accord", "--help"], {}, _Stream(), "another program name"),
        (["accord", "--help", "--version"], {}, _Stream(), "other arguments"),
        (["accord", "war", "--help"], {}, _Stream(), "a sub-command"),
    ],
)
def test_fast_help_declines(
    argv: list[str], environ: dict[str, str], stream: _Stream, why: str
) -> None:
    assert not fasthelp.print_help(argv, environ, stream), why
    assert stream.getvalue() == ""


def test_fast_help_on_a_terminal_is_in_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _Stream(tty=True)
    assert fasthelp.print_help(["accord", "--help"], {"COLUMNS": "80"}, stream)
    assert stream.getvalue() == fasthelp.render(LISTING, 80, 1)
    assert "\x1b[1;36m-\x1b[0m\x1b[1;36m-version\x1b[0m" in stream.getvalue()
    stream = _Stream(tty=True)
    assert fasthelp.print_help(["accord", "--help"], {"COLUMNS": "80", "NO_COLOR": "1"}, stream)
    assert stream.getvalue() == fasthelp.render(LISTING, 80, 2)
    assert "\x1b[1m-\x1b[0m" in stream.getvalue() and "36m" not in stream.getvalue()
    monkeypatch.setitem(LISTING, "paint", None)  # a listing without colour: typer draws it
    assert not fasthelp.print_help(["accord", "--help"], {"COLUMNS": "80"}, _Stream(tty=True))


@pytest.mark.parametrize("colour", [1, 2])
def test_fast_colour_help_equals_typers_at_every_width(
    colour: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer import rich_utils

    for name in (*_CONSOLE_ENV, "NO_COLOR", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(rich_utils, "FORCE_TERMINAL", True)  # as on a terminal
    if colour == 2:
        monkeypatch.setenv("NO_COLOR", "1")
    for term, width in [("xterm", w) for w in range(40, 161)] + [
        ("xterm-256color", 80),
        ("xterm-256color", 57),
        ("xterm-kitty", 123),
        ("xterm", 400),
    ]:
        monkeypatch.setenv("TERM", term)
        expected = _typer_help(width, monkeypatch)
        assert "\x1b[" in expected
        assert fasthelp.render(LISTING, width, colour) == expected, (term, width)
    monkeypatch.setenv("COLORTERM", "truecolor")
    assert fasthelp.render(LISTING, 99, colour) == _typer_help(99, monkeypatch)


def _on_a_terminal(module: str, **env: str) -> bytes:
    """Bytes ``accord --help`` writes to a pseudo-terminal (``module``: who runs it)."""
    import pty

    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in (*_CONSOLE_ENV, "NO_COLOR")}
    environ.update({"TERM": "xterm-256color", **env})
    code = (
        "import sys; sys.argv[0] = 'accord'\n"
        f"from {module} import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('typer', 'rich') if m in sys.modules))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--help"], stdout=follower, stderr=follower, env=environ
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks)


@pytest.mark.parametrize("env", [{"COLUMNS": "83"}, {"COLUMNS": "61", "NO_COLOR": "1"}])
def test_fast_help_on_a_real_terminal_equals_typers(env: dict[str, str]) -> None:
    fast = _on_a_terminal("accord.__main__", **env)
    typer_path = _on_a_terminal("accord.cli", **env)
    *text, fast_modules = fast.rstrip(b"\r\n").split(b"\r\n")
    *typer_text, typer_modules = typer_path.rstrip(b"\r\n").split(b"\r\n")
    assert fast_modules == b"[]"  # the fast path drew it...
    assert typer_modules == b"['rich', 'typer']"
    assert text == typer_text  # ...byte for byte as typer does
    assert b"\x1b[2m\xe2\x95\xad\xe2\x94\x80\x1b[0m" in fast  # the dim rounded corner


def test_fast_help_declines_a_stale_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = _Stream()
    assert fasthelp.print_help(["accord", "--help"], {"COLUMNS": "80"}, stream)
    assert stream.getvalue() == (HELP / "accord-help-80.txt").read_text(encoding="utf-8")
    monkeypatch.setitem(LISTING, "digest", "__init__.py:1:00000000")
    assert not fasthelp.print_help(["accord", "--help"], {"COLUMNS": "80"}, _Stream())
    monkeypatch.undo()
    monkeypatch.setitem(LISTING, "versions", {"typer": "0.0.1", "rich": "15.0.0"})
    assert not fasthelp.print_help(["accord", "--help"], {"COLUMNS": "80"}, _Stream())


# Every sub-command's help and some usage errors, rendered by typer in one process.
_RENDER_ALL = """
import json, sys
if {eager!r}:
    import rich.markdown, rich.traceback  # typer.rich_utils then imports them as usual
from typer.testing import CliRunner
from accord.cli import app
if {eager!r}:  # and typer builds every runtime parameter up front, as it does
    import typer.core
    from accord.cli import lazy
    typer.core._TyperParameter.get_runtime_param = lazy.TYPER_GET_RUNTIME_PARAM
runs = {runs!r}
out = {{}}
for args in runs:
    r = CliRunner().invoke(app, args, prog_name="accord")
    out[" ".join(args)] = [r.exit_code, r.stdout, r.stderr]
out["deferred"] = sorted(m for m in ("markdown_it", "pygments") if m in sys.modules)
from typer import rich_utils
md = rich_utils.Markdown("*x*")  # the deferred name still builds the real thing
out["markdown"] = type(md).__module__ + "." + type(md).__name__
print(json.dumps(out))
"""
_HELP_RUNS = [
    ["--help"],
    ["run", "--help"],
    ["war", "--help"],
    ["war", "fight", "--help"],
    ["game", "--help"],
    ["game", "solve", "--help"],
    ["settle", "--help"],
    ["sweep", "--help"],
    ["results", "query", "--help"],
    ["wat"],
    ["run", "--bogus"],
    ["war", "fight", "--runs", "x"],
    ["war", "fight", "--runs", "-3"],
    ["scenarios"],
    ["models"],
    ["war", "range", "--p", "0.4", "--json"],
]


@pytest.mark.parametrize("colour", [False, True])
def test_deferring_rich_extras_and_adapters_changes_no_output(colour: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k not in _CONSOLE_ENV}
    env["COLUMNS"] = "90"
    if colour:
        env["FORCE_COLOR"] = "1"
    found = []
    for eager in (False, True):
        code = _RENDER_ALL.format(eager=eager, runs=_HELP_RUNS)
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, env=env
        )
        assert done.returncode == 0, done.stderr
        found.append(json.loads(done.stdout))
    deferred, eager_ = found
    assert deferred.pop("deferred") == []  # markdown_it and pygments were never needed...
    assert deferred["markdown"] == "rich.markdown.Markdown"  # ...until Markdown was asked for
    eager_.pop("deferred")
    assert deferred == eager_
    assert ("\x1b[" in deferred["--help"][1]) is colour
    assert deferred["wat"][0] == 2 and "No such command" in deferred["wat"][2]


def test_fast_help_into_a_closed_pipe_exits_1_quietly() -> None:
    # As click does on EPIPE (`accord --help | head -0`): exit 1, no traceback.
    code = (
        "import os, sys\n"
        "r, w = os.pipe(); os.close(r)\n"
        "out = os.fdopen(w, 'w')\n"
        "from accord.fasthelp import print_help\n"
        "print_help(['accord', '--help'], {'COLUMNS': '80'}, out)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (1, "")
