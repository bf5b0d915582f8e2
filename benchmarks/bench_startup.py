"""Start-up time of the ``accord`` command, whole process (issue 15).

Goals on the development machine (2 cores): ``accord --help`` <= 0.1 s, ``accord run
a040.yaml -m smp`` (KTAB's dummyData-a040 imported as YAML) <= 0.2 s; every ``accord
COMMAND --help`` is timed too (cached bytecode only). ``accord --help`` is drawn by
:mod:`accord.fasthelp` without typer or rich; "typer's --help" is the same help drawn by
typer (what a stale listing or an unusual console falls back to). With
``ACCORD_BENCH_AGAINST=DIR`` (a checkout or ``git archive REF src`` extract of an older
accord) the help commands are also timed against DIR/src side by side (``PYTHONPATH``).

Each command runs in a fresh process; the table gives the best wall time and the best CPU
time (user + system) of ``REPEAT`` runs, with the load average, since the machine is
shared and wall time under load is mostly waiting for a core. Two bytecode settings:
``cached`` is a normal install (``.pyc`` files written once and reused: a temporary
``PYTHONPYCACHEPREFIX``), ``as-is`` the caller's environment (the development machine sets
``PYTHONDONTWRITEBYTECODE=1``, so an editable install recompiles accord's own modules on
every start).

Floors: ``python -c pass`` (the interpreter), ``import typer.rich_utils`` (what typer's
rich help formatter imports at its top), ``import typer.main, rich.table`` (what any
sub-command's ``--help`` needs at least), the libraries any scenario run
imports (NumPy with its random module, pydantic, typer, rich, ruamel.yaml), and those plus
accord's scenario layer (its pydantic models built). Then ``-X importtime`` for
``import accord.cli``, ``--help`` and the SMP run: each module's self time (the least over
several runs), summed by top-level package, and accord's own slowest modules.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPEAT = int(os.environ.get("ACCORD_BENCH_REPEAT", "10"))
DATA = Path(__file__).parent / "data" / "ktab"
GOALS = {"accord --help": 0.1, "accord run a040 -m smp": 0.2}


def accord_cmd() -> list[str]:
    script = Path(sys.executable).with_name("accord")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from accord.cli import main; main()"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Best wall and best CPU (user + system) seconds of REPEAT runs, after one warm-up."""
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    wall, cpu = float("inf"), float("inf")
    for _ in range(REPEAT):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        wall, cpu = min(wall, elapsed), min(cpu, used)
    return wall, cpu


def importtime(args: list[str], env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """``python -X importtime ARGS``: module -> (self us, cumulative us), each the least of
    ``max(3, REPEAT // 2)`` runs (under load a single run's figures are noise)."""
    best: dict[str, tuple[int, int]] = {}
    for _ in range(max(3, REPEAT // 2)):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if m:
                own, cum = int(m[1]), int(m[2])
                old = best.get(m[4], (own, cum))
                best[m[4]] = (min(old[0], own), min(old[1], cum))
    return best


def breakdown(label: str, rows: dict[str, tuple[int, int]], top: int = 8) -> None:
    by_package: dict[str, int] = defaultdict(int)
    for name, (own, _) in rows.items():
        by_package[name.split(".")[0].lstrip("_")] += own
    total = sum(by_package.values())
    print(f"\n-X importtime, {label}: {total / 1000:.0f} ms in {len(rows)} modules (self times)")
    ranked = sorted(by_package.items(), key=lambda kv: -kv[1])
    shown = ", ".join(f"{name} {us / 1000:.0f}" for name, us in ranked[:top])
    print(f"  by package (ms, self): {shown}")
    ours = sorted(
        (kv for kv in rows.items() if kv[0].split(".")[0] == "accord"), key=lambda kv: -kv[1][0]
    )
    print(
        "  accord modules (ms, self: a schema module's self time includes building its models): "
        + ", ".join(f"{n} {own / 1000:.0f}" for n, (own, _) in ours[:top])
    )


def commands() -> list[str]:
    """Every top-level command and group, in the order ``accord --help`` lists them."""
    import typer.main

    from accord.cli import app

    group = typer.main.get_command(app)
    ctx = group.make_context("accord", [], resilient_parsing=True)
    return list(group.list_commands(ctx))


def side_by_side(src: Path, env: dict[str, str]) -> None:
    """The help commands, this checkout against the accord in ``src``, one after the other."""
    launcher = [
        sys.executable,
        "-c",
        "import sys; sys.argv[0] = 'accord'; from accord.__main__ import main; main()",
    ]
    older = {**env, "PYTHONPATH": str(src)}
    loads = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nside by side with {src} (cached bytecode; load average {loads})")
    print(f"{'command':40s} {'then wall':>9s} {'CPU':>6s} {'now wall':>9s} {'CPU':>6s}")
    for args in [["--help"], ["--version"], *([name, "--help"] for name in commands())]:
        then = timed([*launcher, *args], older)
        now = timed([*launcher, *args], env)
        label = "accord " + " ".join(args)
        print(f"{label:40s} {then[0]:9.3f} {then[1]:6.3f} {now[0]:9.3f} {now[1]:6.3f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    from accord.scenario.importers import ktab
    from accord.scenario.io import dumps

    scratch = Path(tempfile.mkdtemp(prefix="accord-startup-"))
    try:
        a040 = scratch / "a040.yaml"
        sc = ktab.read(DATA / "dummyData-a040.csv")
        a040.write_text(dumps(sc), encoding="utf-8")
        accord = accord_cmd()
        py = [sys.executable]
        cases = {
            "python -c pass": [*py, "-c", "pass"],
            "floor: import typer.rich_utils": [*py, "-c", "import typer.rich_utils"],
            "floor: numpy pydantic typer rich yaml": [
                *py,
                "-c",
                "import numpy.random, pydantic, typer.main, rich.table, ruamel.yaml",
            ],
            "floor: the same + accord.scenario": [
                *py,
                "-c",
                "import numpy.random, typer.main, rich.table, accord.scenario",
            ],
            "floor: import typer.main, rich.table": [
                *py,
                "-c",
                "import typer.main, rich.table",
            ],
            "accord --help": [*accord, "--help"],
            "typer's --help": [
                *py,
                "-c",
                "import sys; sys.argv[0] = 'accord'; from accord.cli import main; main()",
                "--help",
            ],
            "accord --version": [*accord, "--version"],
            "accord run a040 -m smp": [*accord, "run", str(a040), "-m", "smp"],
        }
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
        settings = {"cached": cached, "as-is": dict(os.environ)}
        print(
            f"best of {REPEAT} whole-process runs; load average "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
        )
        print(f"{'command':40s} {'bytecode':8s} {'wall s':>7s} {'CPU s':>7s} {'goal':>6s}")
        for label, cmd in cases.items():
            for setting, env in settings.items():
                if setting == "as-is" and not label.startswith("accord"):
                    continue  # floors read only installed libraries' cached bytecode
                wall, cpu = timed(cmd, env)
                goal = GOALS.get(label)
                verdict = "" if goal is None else f"{goal:.1f}{' ok' if wall <= goal else ''}"
                print(f"{label:40s} {setting:8s} {wall:7.3f} {cpu:7.3f} {verdict:>6s}")
        for name in commands():
            label = f"accord {name} --help"
            wall, cpu = timed([*accord, name, "--help"], cached)
            print(f"{label:40s} {'cached':8s} {wall:7.3f} {cpu:7.3f}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        against = os.environ.get("ACCORD_BENCH_AGAINST")
        if against:
            side_by_side(Path(against) / "src", cached)
        cli = ["-c", "from accord.cli import main; main()"]
        breakdown("import accord.cli", importtime(["-c", "import accord.cli"], cached))
        breakdown("typer's --help", importtime([*cli, "--help"], cached))
        breakdown("accord war fight --help", importtime([*cli, "war", "fight", "--help"], cached))
        breakdown(
            "accord run a040 -m smp", importtime([*cli, "run", str(a040), "-m", "smp"], cached)
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
