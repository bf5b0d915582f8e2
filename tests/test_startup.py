"""Start-up structure (issue 15): a command imports only what it needs.

No timings here (benchmarks/bench_startup.py measures them): these tests check which
modules a fresh interpreter has imported after ``import accord.cli``, ``accord --help``
and ``accord run <a040> -m smp``, and that the lazily registered commands list exactly
the help they show when loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from accord.cli import app
from accord.cli.lazy import LazyGroup
from accord.fasthelp import _CONSOLE_ENV
from accord.scenario import importers
from accord.scenario.io import dumps

DATA = Path(__file__).parent / "data"

# Libraries no start-up path should pay for unless the command uses them.
HEAVY = (
    "pandas",
    "scipy",
    "matplotlib",
    "plotly",
    "dash",
    "duckdb",
    "dask",
    "distributed",
    "pyarrow",
    "SALib",
    "lifelines",
    "joblib",
)

# Runs the CLI in a fresh interpreter, then prints which heavy top-level packages it imported.
_PROBE = """
import json, sys
heavy = {heavy!r}
argv = {argv!r}
if argv is None:
    import accord.cli
else:
    from accord.cli import main
    sys.argv = ["accord", *argv]
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if code:
        raise SystemExit(f"exit {{code}}")
sys.stdout = sys.__stdout__
print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
"""


def _imported(argv: list[str] | None) -> list[str]:
    code = _PROBE.format(heavy=HEAVY, argv=argv)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_importing_the_cli_imports_no_heavy_library() -> None:
    assert _imported(None) == []


def test_help_imports_no_heavy_library() -> None:
    assert _imported(["--help"]) == []


def test_smp_run_on_a_ktab_file_imports_no_heavy_library(tmp_path: Path) -> None:
    (sc,) = importers.read("ktab", DATA / "ktab" / "dummyData-a040.csv")
    path = tmp_path / "a040.yaml"
    path.write_text(dumps(sc), encoding="utf-8")
    assert _imported(["run", str(path), "-m", "smp"]) == []


def test_every_command_module_imports_no_heavy_library() -> None:
    # accord war|game|settle|... --help loads only the command's module: it must not pull
    # in pandas or SciPy at import time (they belong inside the functions that use them).
    group = typer.main.get_command(app)
    modules = sorted({target.split(":")[0] for target, _, _ in type(group).registry.values()})
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
    assert "accord.cli.game" in modules


def test_the_probe_sees_a_heavy_import(tmp_path: Path) -> None:
    # The probe itself works: a command that needs pandas (CSVs written from frames) shows it.
    argv = ["run", "ec-emissions-1994", "-m", "median", "--out", str(tmp_path)]
    assert "pandas" in _imported(argv)


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(app, args, terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_help_lists_every_command_with_its_own_help() -> None:
    listed = _help(["--help"])  # from the registered lines, nothing imported
    group = typer.main.get_command(app)
    assert isinstance(group, LazyGroup)
    ctx = group.make_context("accord", ["--help"], resilient_parsing=True)
    names = group.list_commands(ctx)
    for name in names:
        cmd = group.get_command(ctx, name)  # imports and converts the real command
        assert cmd is not None and cmd.name == name
        assert f" {name} " in listed
    for name in type(group).registry:
        assert name in names
    assert {"run", "war", "game", "settle", "sweep", "results", "backtest"} <= set(names)
    # With every command loaded, the listing is built from each command's own help.
    assert _help(["--help"]) == listed


@pytest.mark.parametrize("name", ["war", "game", "settle"])
def test_a_lazy_command_shows_its_full_help(name: str) -> None:
    text = _help([name, "--help"])
    assert f"Usage: accord {name}" in text
    assert "--help" in text


def test_version_fast_path_prints_what_the_cli_prints() -> None:
    code = (
        "import sys; sys.argv = ['accord', '--version']\n"
        "from accord.__main__ import main\n"
        "main()\n"
        "print(sorted(m for m in ('typer', 'rich', 'numpy', 'pydantic') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    version, imported = done.stdout.splitlines()
    assert imported == "[]"
    assert version + "\n" == _help(["--version"])


def test_fast_help_imports_neither_typer_nor_rich() -> None:
    code = (
        "import sys; sys.argv = ['accord', '--help']\n"
        "from accord.__main__ import main\n"
        "main()\n"
        "print(sorted(m for m in ('typer', 'click', 'rich', 'numpy', 'pydantic') if m in sys.modules))"
    )
    environ = {k: v for k, v in os.environ.items() if k not in _CONSOLE_ENV}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=environ
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert "Commands" in done.stdout


@pytest.mark.parametrize(
    "args", [["run", "--help"], ["war", "fight", "--help"], ["game", "--help"]]
)
def test_a_sub_command_help_imports_neither_pydantic_nor_numpy(args: list[str]) -> None:
    # typer would build a pydantic TypeAdapter for the group's absent --help flag; accord's
    # command modules keep NumPy and the scenario schema inside their functions.
    code = (
        f"import sys; sys.argv = ['accord', *{args!r}]\n"
        "from accord.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pydantic', 'numpy', 'markdown_it', 'pygments') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
