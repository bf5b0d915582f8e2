"""accord side by side with the reference implementations, timed in the same run.

* Stokman's exchange model on COP21 (15 actors x 13 issues, 10 rounds) against
  decide-exchange-model 2025.3.1: whole process (decide's CLI, which also writes its
  SQLite and CSV outputs, against ``accord run``) and in process (decide's ``ModelLoop``
  with no observers against ``models.run``; input already read).
* KTAB's Spatial Model of Politics on KTAB's ``dummyData_6Dim``, ``-a040`` and ``-a080`` against
  KTAB's ``smpc`` (built -O3, run with ``--logmin`` and its SQLite log in a scratch folder):
  whole process; accord in process too, for reference. The state counts must agree.
* Bueno de Mesquita's expected-utility model (Scholz's code) on the EC emissions data
  (10 actors, 10 rounds) against jmckib's replication under Python 2.7: whole process and
  in process; the final positions must agree.

Peer and accord runs alternate, ``--repeat`` times (default 3; a080 once), and the least
wall-clock and the least CPU time of each are kept: on a shared machine the ratio of the
two from the same run is what holds. A peer that is not set up (``peers.py setup``) is
reported from ``data/peer_timings.json``, marked with the date, build and load of that
recording. ``--record`` rewrites that file with this run's figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import numpy as np

import peers
from accord import models
from accord.scenario import io
from accord.scenario.importers import bdm, decide, ktab

REPO = Path(__file__).parent.parent
COP21 = REPO / "tests" / "data" / "decide" / "cop21.csv"
KTAB_DATA = Path(__file__).parent / "data" / "ktab"
ACCORD = str(Path(sys.executable).parent / "accord")
Timer = Callable[[], tuple[float, float]]


def _json_timer(cmd: list[str]) -> Timer:
    """A peer driver that prints its own in-process seconds as JSON."""

    def run() -> tuple[float, float]:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        got = json.loads(out.strip().splitlines()[-1])
        return float(got["seconds"]), float(got["cpu"])

    return run


def _accord_cli(scenario: Path, *args: str) -> Timer:
    return lambda: peers.whole_process([ACCORD, "run", str(scenario), *args])


def _row(label: str, peer: tuple[float, float], ours: tuple[float, float]) -> dict[str, Any]:
    ratio = peer[0] / ours[0]
    print(
        f"  {label:34s} {peer[0]:8.3f} {peer[1]:8.3f} {ours[0]:9.4f} {ours[1]:9.4f} "
        f"{ratio:8.1f}x {peer[1] / ours[1]:7.1f}x"
    )
    return {
        "peer_seconds": round(peer[0], 4),
        "peer_cpu": round(peer[1], 4),
        "accord_seconds": round(ours[0], 4),
        "accord_cpu": round(ours[1], 4),
        "ratio": round(ratio, 1),
    }


def _header(title: str, build: str, repeat: int) -> str:
    load = peers.load()
    print(f"{title}: {build}; best of {repeat}, interleaved; load {load}")
    print(
        f"  {'case':34s} {'peer s':>8s} {'peer cpu':>8s} {'accord s':>9s} {'acc cpu':>9s} "
        f"{'ratio':>9s} {'cpu':>8s}"
    )
    return load


def _recorded(key: str) -> None:
    rec = peers.recorded().get(key)
    if rec is None:
        print(f"{key}: peer not set up and nothing recorded (python benchmarks/peers.py setup)")
        return
    print(
        f"{key}: peer not set up here (python benchmarks/peers.py setup); recorded "
        f"{rec['date']}, build {rec['build']}, load {rec['load']}, best of {rec['repeat']}:"
    )
    for case, r in rec["cases"].items():
        print(
            f"  {case:34s} peer {r['peer_seconds']:.3f} s, accord {r['accord_seconds']:.4f} s: "
            f"{r['ratio']:.1f}x (recorded {rec['date']}"
            + (f", best of {r['repeat']})" if "repeat" in r else ")")
        )


def bench_decide(repeat: int, tmp: Path) -> dict[str, Any] | None:
    peer = peers.find("decide")
    if peer is None:
        _recorded("decide")
        return None
    sc = decide.read(COP21)
    yaml = tmp / "cop21.yaml"
    io.dump(sc, yaml)
    out = tmp / "decide-out"
    decide_args = ["--iterations", "10", "--output-dir", str(out)]
    timers: dict[str, Timer] = {
        "peer whole": lambda: peers.whole_process(
            [peer["executable"], "-m", "decide.cli", "--input-file", str(COP21), *decide_args],
            cwd=tmp,
        ),
        "accord whole": _accord_cli(yaml, "-m", "exchange", "--rounds", "10"),
        "peer in": _json_timer([peer["executable"], peer["driver"], str(COP21), "10"]),
        "accord in": lambda: peers.in_process(lambda: models.run("exchange", sc, rounds=10)),
    }
    models.run("exchange", sc, rounds=10)  # warm up
    load = _header("exchange model vs decide", peer["build"], repeat)
    best = peers.interleaved(timers, repeat)
    cases = {
        "COP21, 10 rounds, whole process": _row(
            "COP21 10 rounds, whole process", best["peer whole"], best["accord whole"]
        ),
        "COP21, 10 rounds, in process": _row(
            "COP21 10 rounds, in process", best["peer in"], best["accord in"]
        ),
    }
    return {"build": peer["build"], "cases": cases, "load": load}


def _ktab_timer(smpc: str, conf: str, csv: Path, tmp: Path, states: list[int]) -> Timer:
    def run() -> tuple[float, float]:
        work = tmp / "ktab-run"
        work.mkdir()
        shutil.copy(conf, work)
        try:
            cmd = [smpc, "--csv", str(csv), "--logmin", "--connstr"]
            t = peers.whole_process([*cmd, f"Driver=QSQLITE;Database={work / 'ktab'}"], cwd=work)
            log = "".join(p.read_text(errors="replace") for p in work.glob("smpc-*log*.txt"))
            found = re.findall(r"There were (\d+) states", log)
            states.append(int(found[-1]) if found else -1)
        finally:
            shutil.rmtree(work)
        return t

    return run


def bench_ktab(repeat: int, tmp: Path) -> dict[str, Any] | None:
    peer = peers.find("ktab")
    if peer is None:
        _recorded("ktab")
        return None
    load = _header("SMP vs KTAB smpc", peer["build"], repeat)
    cases = {}
    inputs = (("dummyData_6Dim", repeat), ("dummyData-a040", repeat), ("dummyData-a080", 1))
    for name, reps in inputs:
        csv = KTAB_DATA / f"{name}.csv"
        sc = ktab.read(csv)
        yaml = tmp / f"{name}.yaml"
        io.dump(sc, yaml)
        ours = models.run("smp", sc)
        states: list[int] = []
        best = peers.interleaved(
            {
                "peer": _ktab_timer(peer["executable"], peer["logger_conf"], csv, tmp, states),
                "accord whole": _accord_cli(yaml, "-m", "smp"),
                "accord in": lambda s=sc: peers.in_process(lambda: models.run("smp", s)),  # type: ignore[misc]
            },
            reps,
        )
        short = name.removeprefix("dummyData").strip("-_")
        label = f"{short}, whole process"
        cases[f"{name}, whole process"] = _row(label, best["peer"], best["accord whole"])
        cases[f"{name}, accord in process"] = _row(
            f"{short}, accord in process", best["peer"], best["accord in"]
        )
        if reps != repeat:
            for case in (f"{name}, whole process", f"{name}, accord in process"):
                cases[case]["repeat"] = reps
        agree = all(s == ours.rounds + 1 for s in states)
        verdict = "agree" if agree else "DIFFER"
        print(f"    states: KTAB {states}, accord {ours.rounds + 1}: {verdict}")
    return {"build": peer["build"], "cases": cases, "load": load}


def bench_bdm(repeat: int, tmp: Path) -> dict[str, Any] | None:
    peer = peers.find("bdm")
    if peer is None:
        _recorded("bdm")
        return None
    csv = Path(peer["data"])
    sc = bdm.read(csv)
    yaml = tmp / "ec.yaml"
    io.dump(sc, yaml)
    opts: dict[str, Any] = {"rounds": 10, "q": 1.0, "preset": "scholz_code"}
    ours = models.run("eum", sc, **opts)
    assert ours.trajectory is not None
    driver = [peer["executable"], peer["driver"], str(csv), "10", "1"]
    got = json.loads(subprocess.run(driver, capture_output=True, text=True).stdout)
    diff = float(np.max(np.abs(np.array(got["positions"]) - ours.trajectory[-1, :, 0])))
    load = _header("EUM vs jmckib's replication", peer["build"], repeat)
    cli = ["-m", "eum", "--rounds", "10", "--set", "eum.q=1.0", "--set", "eum.preset=scholz_code"]
    best = peers.interleaved(
        {
            "peer whole": lambda: peers.whole_process(
                [peer["executable"], peer["script"], str(csv), "10"]
            ),
            "accord whole": _accord_cli(yaml, *cli),
            "peer in": _json_timer(driver),
            "accord in": lambda: peers.in_process(lambda: models.run("eum", sc, **opts)),
        },
        repeat,
    )
    cases = {
        "EC, 10 rounds, whole process": _row(
            "EC 10 rounds, whole process", best["peer whole"], best["accord whole"]
        ),
        "EC, 10 rounds, in process": _row(
            "EC 10 rounds, in process", best["peer in"], best["accord in"]
        ),
    }
    print(f"    final positions: largest difference {diff:.2e}")
    return {"build": peer["build"], "cases": cases, "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="rewrite data/peer_timings.json")
    parser.add_argument("peers", nargs="*", help=f"some of {', '.join(peers.NAMES)} (default all)")
    args = parser.parse_args()
    for name in args.peers:
        if name not in peers.NAMES:
            parser.error(f"unknown peer {name!r}: choose from {', '.join(peers.NAMES)}")
    benches = {"decide": bench_decide, "ktab": bench_ktab, "bdm": bench_bdm}
    results = {}
    with peers.scratch() as folder:
        for name in args.peers or peers.NAMES:
            got = benches[name](args.repeat, Path(folder))
            if got is not None:
                results[name] = got
    if args.record and results:
        data = peers.recorded()
        for name, got in results.items():
            data[name] = {
                "date": dt.datetime.now(dt.UTC).date().isoformat(),
                "build": got["build"],
                "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared",
                "load": got["load"],
                "repeat": args.repeat,
                "cases": got["cases"],
            }
        peers.RECORDED.write_text(json.dumps(data, indent=2) + "\n")
        print(f"recorded {', '.join(results)} in {peers.RECORDED.relative_to(REPO)}")


if __name__ == "__main__":
    main()
