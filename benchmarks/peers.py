"""Peer implementations run side by side with accord: setting them up, finding them, timing.

The peers live outside the repository, in ``$ACCORD_PEERS_DIR`` (default
``~/.cache/accord-peers``); none of their code is part of accord or imported by it.

* ``decide``: decide-exchange-model 2025.3.1 (Stokman's exchange model, the reference for
  ``accord.models.exchange``) from PyPI, in a venv of its own on Python 3.13 (its wheel
  requires ``==3.13.*``). The interpreter is ``$ACCORD_PYTHON313``, a ``python3.13`` on the
  PATH, a pyenv 3.13, or one that uv installs (``pip install uv`` then ``uv python install
  3.13``, which needs uv's interpreter downloads to be reachable).
* ``ktab``: KTAB's ``smpc`` (the Spatial Model of Politics, the reference for
  ``accord.models.smp``) built from its sources (``$ACCORD_KTAB_SOURCE``, a git URL or a
  local clone; default KAPSARC's repository, at the commit the bundled KTAB inputs come
  from) as a CMake Release build (``-O3 -DNDEBUG``, ``nice make -j1``), with Debian's Qt 5,
  TinyXML2, SQLite and easylogging++ (installed with ``apt-get`` when missing and run as
  root).
* ``bdm``: jmckib's Python replication of Scholz et al.'s code for Bueno de Mesquita's
  expected-utility model (the reference for ``accord.models.eum``'s ``scholz_code``
  preset; ``$ACCORD_BDM_SOURCE``, a git URL or local clone), run with Python 2.7 as
  written (``$ACCORD_PYTHON2``, a ``python2.7`` on the PATH or a pyenv 2.7).

Usage: ``python benchmarks/peers.py setup [decide|ktab|bdm ...]`` (all by default) and
``python benchmarks/peers.py status``. The benchmark scripts call :func:`find` and fall back
to the figures recorded in ``data/peer_timings.json`` (with their date, build and load)
when a peer is not set up. ``bench_peers.py --record`` rewrites that file.
"""

from __future__ import annotations

import glob
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RECORDED = HERE / "data" / "peer_timings.json"
DECIDE_VERSION = "2025.3.1"
KTAB_SOURCE = "https://github.com/KAPSARC/KTAB.git"
KTAB_COMMIT = "3b5b063"  # the snapshot benchmarks/data/ktab/ comes from
BDM_SOURCE = "https://github.com/jmckib/bdm-scholz-expected-utility-model.git"
BDM_COMMIT = "55f63e9"
KTAB_APT = ("cmake", "g++", "make", "qtbase5-dev", "libqt5sql5-sqlite", "libtinyxml2-dev")
KTAB_APT_MORE = ("libsqlite3-dev", "libeasyloggingpp-dev")
NAMES = ("decide", "ktab", "bdm")


def root() -> Path:
    """Where the peers live (outside the repository)."""
    env = os.environ.get("ACCORD_PEERS_DIR")
    return Path(env) if env else Path.home() / ".cache" / "accord-peers"


# -- finding ---------------------------------------------------------------------------


def find(name: str) -> dict[str, Any] | None:
    """A set-up peer's paths and build (``None`` when it is not set up)."""
    info = root() / name / "peer.json"
    if not info.is_file():
        return None
    found: dict[str, Any] = json.loads(info.read_text())
    exe = Path(found["executable"])
    return found if exe.is_file() and os.access(exe, os.X_OK) else None


def _python_version(exe: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [exe, "-c", "import sys; print('%d %d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return (int(out[0]), int(out[1])) if len(out) == 2 else None


def _find_python(version: tuple[int, int], env: str) -> str | None:
    dotted = f"{version[0]}.{version[1]}"
    home = Path.home()
    candidates = [os.environ.get(env, ""), shutil.which(f"python{dotted}") or ""]
    candidates += sorted(glob.glob(str(home / f".pyenv/versions/{dotted}*/bin/python{dotted}")))
    candidates += sorted(glob.glob(f"/usr/local/bin/python{dotted}"))
    for exe in candidates:
        if exe and _python_version(exe) == version:
            return exe
    return None


def _full_version(exe: str) -> str:
    done = subprocess.run([exe, "--version"], capture_output=True, text=True)
    return (done.stdout + done.stderr).strip()  # Python 2 prints it on stderr


def _uv_python(dotted: str) -> str | None:
    """A Python that uv finds or installs (uv itself from PyPI into a helper venv)."""
    tools = root() / "uv-venv"
    uv = tools / "bin" / "uv"
    if not uv.exists():
        subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
        if subprocess.run([str(tools / "bin" / "pip"), "install", "-q", "uv"]).returncode:
            return None
    for args in (["python", "find", dotted], ["python", "install", dotted]):
        done = subprocess.run([str(uv), *args], capture_output=True, text=True)
        if done.returncode == 0 and args[1] == "install":
            find = [str(uv), "python", "find", dotted]
            done = subprocess.run(find, capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip().splitlines()[-1]
    return None


# -- setting up ------------------------------------------------------------------------


def _write_info(name: str, **info: Any) -> None:
    folder = root() / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "peer.json").write_text(json.dumps(info, indent=2) + "\n")


DECIDE_DRIVER = """\
\"\"\"Times decide's EqualGainModel in process (written by accord's benchmarks/peers.py).\"\"\"
import json, sys, time
from pathlib import Path
from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.observers.observer import Observable
from decide.model.utils import ModelLoop
data = InputDataFile.open(Path(sys.argv[1]))
t0, c0 = time.perf_counter(), time.process_time()
model = ModelFactory(data)(model_klass=equalgain.EqualGainModel, randomized_value="0")
loop = ModelLoop(model, Observable(model_ref=model, output_directory=Path(".")), 0)
for _ in range(int(sys.argv[2])):
    loop.loop()
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def setup_decide() -> None:
    python = _find_python((3, 13), "ACCORD_PYTHON313") or _uv_python("3.13")
    if python is None:
        raise SystemExit(
            "decide: no Python 3.13 found (set ACCORD_PYTHON313, put python3.13 on the PATH, "
            "or install one with pyenv or uv)"
        )
    folder = root() / "decide"
    venv = folder / "venv"
    if not (venv / "bin" / "python").exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, f"decide-exchange-model=={DECIDE_VERSION}"], check=True)
    full = _full_version(str(venv / "bin" / "python"))
    (folder / "accord_driver.py").write_text(DECIDE_DRIVER)
    _write_info(
        "decide",
        executable=str(venv / "bin" / "python"),
        driver=str(folder / "accord_driver.py"),
        build=f"decide-exchange-model {DECIDE_VERSION} (PyPI wheel), {full}",
    )
    print(f"decide: {venv}")


def _export(source: str, commit: str, dest: Path) -> None:
    """Check out ``commit`` of a git repository into ``dest``; files whose contents the
    clone lacks (large files of a partial mirror) are skipped."""
    git = dest.parent / (dest.name + ".git")
    if not git.exists():
        subprocess.run(["git", "clone", "-q", "--bare", source, str(git)], check=True)
    listing = subprocess.run(
        ["git", "--git-dir", str(git), "ls-tree", "-r", "-z", commit],
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for entry in filter(None, listing):
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind != b"blob":
            continue
        blob = subprocess.run(
            ["git", "--git-dir", str(git), "cat-file", "blob", sha.decode()], capture_output=True
        )
        if blob.returncode:
            continue
        target = dest / path.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        if mode == b"100755":
            target.chmod(0o755)


def _apt(packages: Sequence[str]) -> None:
    missing = [
        p
        for p in packages
        if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0
    ]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"ktab: install these Debian packages first: {' '.join(missing)}")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
    subprocess.run(cmd, check=True, env=env)


def _cmake_build(src: Path, *args: str, target: str = "all") -> None:
    build = src / "build"
    build.mkdir(exist_ok=True)
    subprocess.run(["cmake", "..", *args], cwd=build, check=True, stdout=subprocess.DEVNULL)
    make = ["nice", "make", "-j1", target]
    subprocess.run(make, cwd=build, check=True, stdout=subprocess.DEVNULL)


def setup_ktab() -> None:
    _apt((*KTAB_APT, *KTAB_APT_MORE))
    folder = root() / "ktab"
    src = folder / "src"
    if not (src / "KTAB").is_dir():
        _export(os.environ.get("ACCORD_KTAB_SOURCE", KTAB_SOURCE), KTAB_COMMIT, src)
    # easylogging++: Debian ships its sources; KTAB's own CMakeLists builds the static library
    prefix, elpp = folder / "prefix", folder / "easyloggingpp"
    (elpp / "src").mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "easyloggingpp" / "CMakeLists.txt", elpp)
    for f in ("easylogging++.h", "easylogging++.cc"):
        shutil.copy(Path("/usr/include") / f, elpp / "src")
    install = f"-DCMAKE_INSTALL_PREFIX={prefix}"
    _cmake_build(elpp, "-DCMAKE_BUILD_TYPE=Release", install, target="install")
    release = ["-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_CXX_FLAGS=-O3 -DNDEBUG"]
    release.append(f"-DCMAKE_PREFIX_PATH={prefix}")
    _cmake_build(src / "KTAB" / "kutils", *release)
    _cmake_build(src / "KTAB" / "kmodel", *release)
    # smpc links Qt5::Widgets, which examples/smp finds only with its GUI on: find it here
    widgets = folder / "qt-widgets.cmake"
    widgets.write_text("find_package(Qt5 REQUIRED COMPONENTS Widgets Core Sql)\n")
    smp = [*release, "-DENABLE_QT_SMPQ_GUI=false", "-DENABLE_QT_SASQ_GUI=false"]
    smp.append(f"-DCMAKE_PROJECT_smp_INCLUDE={widgets}")
    _cmake_build(src / "examples" / "smp", *smp, target="smpc")
    gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout
    _write_info(
        "ktab",
        executable=str(src / "examples" / "smp" / "smpc"),
        logger_conf=str(src / "examples" / "smp" / "smpc-logger.conf"),
        build=f"KTAB smpc @ {KTAB_COMMIT}, CMake Release -O3 -DNDEBUG, {gxx.splitlines()[0]}",
    )
    print(f"ktab: {src / 'examples' / 'smp' / 'smpc'}")


BDM_DRIVER = '''\
"""Times jmckib's BDMScholzModel in process (written by accord's benchmarks/peers.py)."""
from __future__ import print_function
import csv, json, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bdm_scholz_model as bdm
path, rounds, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path) as f:
    rows = list(csv.DictReader(f))
best, cpu, stdout = float("inf"), float("inf"), sys.stdout
for _ in range(repeat):
    sys.stdout = open(os.devnull, "w")  # the model prints its rounds
    t0, c0 = time.time(), time.clock() if hasattr(time, "clock") else time.process_time()
    model = bdm.BDMScholzModel(rows)
    model.run_model(num_rounds=rounds)
    c1 = time.clock() if hasattr(time, "clock") else time.process_time()
    best, cpu = min(best, time.time() - t0), min(cpu, c1 - c0)
    sys.stdout.close()
    sys.stdout = stdout
print(json.dumps({"seconds": best, "cpu": cpu, "positions": [a.x for a in model.actors]}))
'''


def setup_bdm() -> None:
    python = _find_python((2, 7), "ACCORD_PYTHON2")
    if python is None:
        raise SystemExit("bdm: no Python 2.7 found (set ACCORD_PYTHON2 or install one with pyenv)")
    folder = root() / "bdm"
    src = folder / "src"
    if not (src / "bdm_scholz_model.py").is_file():
        _export(os.environ.get("ACCORD_BDM_SOURCE", BDM_SOURCE), BDM_COMMIT, src)
    (src / "accord_driver.py").write_text(BDM_DRIVER)
    _write_info(
        "bdm",
        executable=python,
        script=str(src / "bdm_scholz_model.py"),
        driver=str(src / "accord_driver.py"),
        data=str(src / "ExampleActors.csv"),
        build=f"jmckib/bdm-scholz-expected-utility-model @ {BDM_COMMIT}, {_full_version(python)}",
    )
    print(f"bdm: {src}")


# -- timing ----------------------------------------------------------------------------


def load() -> str:
    """The machine's load averages (1, 5, 15 min), for the record."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def whole_process(cmd: Sequence[str], cwd: Path | None = None, **kw: Any) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(
        list(cmd), cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def in_process(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call in this process."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def interleaved(
    timers: dict[str, Callable[[], tuple[float, float]]], repeat: int
) -> dict[str, tuple[float, float]]:
    """Run every timer in turn, ``repeat`` times; the least wall and the least CPU of each."""
    best = {k: (float("inf"), float("inf")) for k in timers}
    for _ in range(repeat):
        for k, timer in timers.items():
            wall, cpu = timer()
            best[k] = (min(best[k][0], wall), min(best[k][1], cpu))
    return best


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="accord-peer-")


def recorded() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORDED.read_text())
    return data


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in ("setup", "status"):
        raise SystemExit("usage: peers.py setup [decide|ktab|bdm ...] | status")
    names = argv[1:] or list(NAMES)
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise SystemExit(f"unknown peer {unknown[0]!r}: choose from {', '.join(NAMES)}")
    if argv[0] == "status":
        for n in names:
            got = find(n)
            print(f"{n:7s} {got['build'] if got else 'not set up'}")
        return
    steps = {"decide": setup_decide, "ktab": setup_ktab, "bdm": setup_bdm}
    failed = []
    for n in names:
        try:
            steps[n]()
        except (SystemExit, subprocess.CalledProcessError, OSError) as err:
            print(f"{n}: not set up: {err}", file=sys.stderr)
            failed.append(n)
    if failed:
        print(f"peers not set up: {', '.join(failed)} (benchmarks print recorded figures)")


if __name__ == "__main__":
    main(sys.argv[1:])
