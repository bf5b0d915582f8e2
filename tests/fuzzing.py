"""accord's own fuzzer: seeded generative fuzz of everything that reads user input.

Categories (each case is generated from ``(category, seed)`` alone, so any failure is
reproducible from its seed):

``yaml``, ``json``
    Scenario files mutated as text (flipped and inserted characters, hostile scalars,
    cut lines, alias bombs, deep nesting, YAML tags) and as data (a value replaced by a
    hostile one of another type, a key dropped or added), then loaded.
``war``
    The flagship scenario's ``war:`` section mutated as data, then ``accord validate`` and
    one ``accord war`` verb on it.
``ktab``, ``ktab-xml``, ``decide``, ``bdm``, ``deu``
    Importer files (the test data and accord's own exports) mutated as text, then read.
``roundtrip``
    Random valid scenarios (ids with spaces, slashes and markup, capabilities from 1e-300
    to 1e300) exported to every format and read back by accord's own importer.
``cli``
    Random command lines of every command with hostile option values and paths.

A case fails if it raises anything but accord's own errors, exits with a code other than
0 or 2 (1 only for ``validate --strict``), prints a traceback, writes a file outside the
folder or file the command was given, takes longer than the time limit or more memory
than the memory limit (a hang or a blow-up), or validates a value that the schema holds
as something of another type (a silent coercion: ``"20"`` read as 20, ``true`` as 1).

``python tests/fuzzing.py --cases 100000`` (``make fuzz``) runs the long fuzz in worker
processes with a time and an address-space limit per case and writes a JSON report with
the cases per category, the time, the peak memory and, for every distinct failure
signature, the smallest reproducer found (shrunk line by line). ``tests/test_fuzz.py``
runs a short, fixed-seed fuzz in ``make test``.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).parent
DATA = HERE / "data"
PACKAGE = HERE.parent / "src" / "accord"

CATEGORIES = (
    "yaml",
    "json",
    "war",
    "ktab",
    "ktab-xml",
    "decide",
    "bdm",
    "deu",
    "roundtrip",
    "cli",
)
# Share of the cases of each category in a run (the CLI cases are the slow ones).
WEIGHTS = {
    "yaml": 14,
    "json": 12,
    "war": 7,
    "ktab": 10,
    "ktab-xml": 9,
    "decide": 10,
    "bdm": 10,
    "deu": 9,
    "roundtrip": 14,
    "cli": 5,
}

HOSTILE_SCALARS: list[Any] = [
    "20", "true", "no", "yes", "", " x", "[/b]", "[red]x[/red]", "a\nb", "\x1b[31m", "\t",
    "../../x", "/etc/passwd", "2024-02-30", "1724544000", "nan", "1e999", "é", "\u2028",
    True, False, None, 0, 1, -1, 2.5, -0.0, 1e308, -1e308, 1e-320, 10**50, 3_000_000_000,
    float("nan"), float("inf"), -float("inf"), 1724544000, [], {}, [1, 2], {"value": "x"},
    "x" * 300, "x" * 200_001,
]  # fmt: skip
HOSTILE_TEXT = [
    "true", "no", "~", "null", "''", '"\\e[31m"', "[/b]", "../../x", "2024-02-30",
    "2024-08-25T10:00:00", "1724544000", "1" * 5000, "1e999", "-1e308", ".nan", ".inf",
    "0x1F", "0o17", "1_000", "2.5", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]",
    "!!python/object/apply:os.system [echo]", "&a x", "*a", "*nope", "{", "[", "]", "}",
    "'", '"', ":", "- ", "? ", "|", ">", "%YAML 1.1", "---", "...", "\t", "\x00", "\x07",
    "\ufeff", "\u2028", "é", "𝄞", "[" * 200 + "]" * 200, "{a: " * 100 + "1" + "}" * 100,
    "x" * 140_000,
]  # fmt: skip
CSV_CELLS = [
    "", " ", "nan", "inf", "-inf", "1e999", "-1", "0", "2.5", "1" * 5000, "x" * 140_000,
    '"', '"a""b"', "'", ",", ";", "\t", "\x00", "[/b]", "../../x", "1e308", "-1e308",
    "1e-320", "101", "100", "0x10", "1_0", "é",
]  # fmt: skip


# ---------------------------------------------------------------------------- seeds


def _yaml_load(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def _yaml_dump(data: Any) -> str:
    y = YAML(typ="safe", pure=True)
    y.default_flow_style = None
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def _minimal() -> str:
    sys.path.insert(0, str(HERE))
    from texts import MINIMAL

    return str(MINIMAL)


def _seed_texts() -> list[str]:
    texts = [_minimal()]
    for name in ("iran-2013", "ec-emissions-1994"):
        texts.append((PACKAGE / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))
    return texts


def _war_seed() -> dict[str, Any]:
    """The flagship's war section on a two-actor, one-issue scenario (small: fast cases)."""
    data = _yaml_load((PACKAGE / "scenarios" / "ukraine-2024-08.yaml").read_text("utf-8"))
    data = json.loads(json.dumps(data, default=str))  # plain JSON-like data
    war = data["war"]
    keep = set(war["belligerents"])
    data["issues"] = [i for i in data["issues"] if i["id"] == war["issue"]]
    data["actors"] = [
        {**a, "positions": {war["issue"]: a["positions"][war["issue"]]}, "issue_capability": {}}
        for a in data["actors"]
        if a["id"] in keep
    ]
    data.pop("spaces", None)
    return _without_notes(data)


def _without_notes(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_notes(v) for k, v in data.items() if k not in ("note", "description")}
    if isinstance(data, list):
        return [_without_notes(v) for v in data]
    return data


def _importer_seeds() -> dict[str, list[str]]:
    from accord import scenarios
    from accord.scenario import importers

    seeds: dict[str, list[str]] = {"ktab": [], "ktab-xml": [], "decide": [], "bdm": [], "deu": []}
    for p in sorted((DATA / "ktab").glob("*.csv")):
        seeds["ktab"].append(p.read_text(encoding="utf-8"))
    for p in sorted((DATA / "ktab").glob("*.xml")):
        seeds["ktab-xml"].append(p.read_text(encoding="utf-8"))
    for p in [*sorted((DATA / "decide").glob("*.csv")), DATA / "decide" / "sample_data.txt"]:
        seeds["decide"].append(p.read_text(encoding="utf-8"))
    seeds["bdm"].append((DATA / "bdm" / "ec-emissions.csv").read_text(encoding="utf-8"))
    deu = (PACKAGE / "datasets" / "data" / "deu3.csv").read_text(encoding="utf-8")
    seeds["deu"].append("\n".join(deu.splitlines()[:8]) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        sc = scenarios.load("iran-2013")
        for fmt in ("ktab", "decide", "bdm"):
            out = Path(tmp) / f"x.{fmt}"
            one = sc.restrict([sc.issue_ids[0]]) if fmt == "bdm" else sc
            importers.export(fmt, [one], out)
            seeds[fmt].append(out.read_text(encoding="utf-8"))
    return seeds


@dataclass
class Seeds:
    texts: list[str]
    data: list[Any]
    war: dict[str, Any]
    files: dict[str, list[str]]

    @classmethod
    def build(cls) -> Seeds:
        texts = _seed_texts()
        return cls(
            texts=texts,
            data=[json.loads(json.dumps(_yaml_load(t), default=str)) for t in texts],
            war=_war_seed(),
            files=_importer_seeds(),
        )


# ------------------------------------------------------------------------ mutations


def _mutate_text(text: str, rng: random.Random, pool: list[str]) -> str:
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        op = rng.randrange(8)
        k = rng.randrange(len(lines))
        if op == 0 and text:  # replace one character
            i = rng.randrange(len(text))
            text = (
                text[:i]
                + rng.choice(["\x00", "\x1b", "'", '"', ":", "[", "{", "#", "\t"])
                + text[i + 1 :]
            )
        elif op == 1:  # insert a hostile snippet
            i = rng.randrange(len(text) + 1)
            text = text[:i] + rng.choice(pool) + text[i:]
        elif op == 2:  # drop a line
            del lines[k]
            text = "".join(lines)
        elif op == 3:  # duplicate a line
            lines.insert(k, lines[k])
            text = "".join(lines)
        elif op == 4:  # cut the file
            text = text[: rng.randrange(len(text) + 1)]
        elif op == 5:  # replace the value after a ':' or a cell
            line = lines[k]
            for sep in (": ", ",", "\t", ">"):
                if sep in line:
                    head = line.split(sep, 1)[0]
                    end = "\n" if line.endswith("\n") else ""
                    lines[k] = head + sep + rng.choice(pool) + end
                    break
            text = "".join(lines)
        elif op == 6:  # replace a number
            import re

            nums = list(re.finditer(r"-?\d+(\.\d+)?", text))
            if nums:
                m = rng.choice(nums)
                text = text[: m.start()] + rng.choice(pool) + text[m.end() :]
        else:  # swap two lines
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
            text = "".join(lines)
    return text


def _paths(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield loc
    if isinstance(data, Mapping):
        for k, v in data.items():
            yield from _paths(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*loc, i))


def _get(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


def _mutate_data(data: Any, rng: random.Random, under: tuple[Any, ...] = ()) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p[: len(under)] == under and len(p) > len(under)]
        if not paths:
            return data
        loc = rng.choice(paths)
        parent = _get(data, loc[:-1])
        key = loc[-1]
        op = rng.randrange(6)
        if op <= 2:  # a hostile value of another type
            parent[key] = copy.deepcopy(rng.choice(HOSTILE_SCALARS))
        elif op == 3 and isinstance(parent, dict):
            del parent[key]
        elif op == 4 and isinstance(parent, dict):
            parent[rng.choice(["extra", "x\ny", "[/b]", "valu", 7, "../../x"])] = rng.choice(
                HOSTILE_SCALARS
            )
        else:  # a big or deep value
            parent[key] = rng.choice(
                [
                    10 ** rng.randint(10, 60),
                    rng.choice([1e300, -1e300, 5e-324]) * rng.random(),
                    _deep(rng.randint(50, 120)),
                    [0.5] * rng.randint(100, 3000),
                    rng.randint(-(10**12), 10**12),
                ]
            )
    return data


def _deep(depth: int) -> Any:
    out: Any = 1
    for _ in range(depth):
        out = [out]
    return out


ALIAS_BOMB = (
    "id: t\ntitle: bomb\nsalience_scale: 100\nissues: []\nactors: []\n"
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
)


# ------------------------------------------------------------------------ the cases


@dataclass
class Case:
    category: str
    seed: int
    kind: str  # "text" (payload is a file's text), "argv" or "scenario"
    payload: Any
    fmt: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    def size(self) -> int:
        return len(self.payload) if isinstance(self.payload, str) else len(repr(self.payload))


def generate(category: str, seed: int, seeds: Seeds) -> Case:
    rng = random.Random(f"{category}:{seed}")
    if category in ("yaml", "json"):
        fmt = category
        if rng.random() < 0.5:
            k = rng.randrange(len(seeds.texts))
            text = seeds.texts[k] if fmt == "yaml" else json.dumps(seeds.data[k], indent=1)
            if rng.random() < 0.05:
                text = ALIAS_BOMB if fmt == "yaml" else "[" * 100_000 + "]" * 100_000
            return Case(category, seed, "text", _mutate_text(text, rng, HOSTILE_TEXT), fmt)
        data = _mutate_data(rng.choice(seeds.data), rng)
        # JSON is YAML 1.2 (flow style): the YAML parser reads it, no slow YAML dump needed
        text = json.dumps(data, indent=None if fmt == "yaml" else 1)
        return Case(category, seed, "text", text, fmt)
    if category == "war":
        data = _mutate_data(seeds.war, rng, under=("war",))
        verb = rng.choice(["range", "screen", "fight", "commit", "brink", "validate", "show"])
        return Case(category, seed, "text", json.dumps(data, indent=1), "json", {"verb": verb})
    if category in seeds.files:
        text = _mutate_text(rng.choice(seeds.files[category]), rng, CSV_CELLS + HOSTILE_TEXT[:20])
        options: dict[str, Any] = {}
        if category == "deu":
            options["capability"] = rng.choice(["nice", "gdp", "equal"])
        if category == "bdm":
            options["salience_scale"] = rng.choice([None, 1, 100])
        return Case(category, seed, "text", text, category, options)
    if category == "roundtrip":
        return Case(category, seed, "scenario", _random_scenario(rng))
    if category == "cli":
        return Case(category, seed, "argv", _random_argv(rng))
    raise ValueError(category)


_IDS = ["a", "B", "a b", "x/y", "../../up", "[/b]", "é", "id-1", "R,S", "q'uote", "t\tab", "A" * 60]


def _random_scenario(rng: random.Random) -> dict[str, Any]:
    n, m = rng.randint(1, 5), rng.randint(1, 4)
    deu = rng.random() < 0.25
    if deu:
        from accord.scenario.importers.deu import ACTORS

        actor_ids = rng.sample(sorted(ACTORS), n)
        m = 1
        issue_ids = ["x"]
    else:
        actor_ids = list(dict.fromkeys(rng.choice(_IDS) + str(i) for i in range(n)))
        issue_ids = [rng.choice(_IDS) + f"i{k}" for k in range(m)]
    scale100 = rng.choice([1, 100])
    lo = rng.choice([0.0, -50.0, 1e-3, -1e12])
    hi = lo + rng.choice([1.0, 100.0, 7.5, 1e12])
    magnitude = 10.0 ** rng.randint(-300, 300)
    actors = []
    for i, aid in enumerate(actor_ids):
        actors.append(
            {
                "id": aid,
                "name": rng.choice(["N", "n\tame", "[/b]", "o'k", aid]),
                "capability": rng.random() * magnitude,
                "positions": {
                    iid: {
                        "position": lo + rng.random() * (hi - lo),
                        "salience": rng.random() * scale100,
                    }
                    for iid in issue_ids
                    if i == 0 or rng.random() < 0.9
                },
                "attributes": {"gdp": rng.random() * 4} if deu and rng.random() < 0.7 else {},
            }
        )
    return {
        "id": rng.choice(_IDS) + "-sc",
        "title": rng.choice(["T", "a, b", "x\ny"]),
        "salience_scale": scale100,
        "issues": [{"id": iid, "name": iid, "scale": {"min": lo, "max": hi}} for iid in issue_ids],
        "actors": actors,
    }


_FILE_ARGS = [
    "iran-2013", "ukraine-2024-08", "MINIMAL", "WAR", "missing.yaml", "notes.txt", "../../x.yaml",
    "[/b].yaml", "a\nb.yaml", "x" * 300 + ".yaml", "/dev/null", "/dev/full", "/", "", "-",
    "dir",
]  # fmt: skip
_VALUES = [
    "0", "1", "-1", "2.5", "1e999", "nan", "inf", "true", "1" * 5000, "1000000000000",
    "abc", "", "[/b]", "0.5", "20", "3000000000", "-0",
]  # fmt: skip
_OUT_ARGS = ["out", "/dev/full", "existing.txt", "[/b]", "../escape", "x" * 300, "", "dir"]


def _random_argv(rng: random.Random) -> list[str]:
    def f() -> str:
        return rng.choice(_FILE_ARGS)

    def v() -> str:
        return rng.choice(_VALUES)

    cmd = rng.randrange(9)
    if cmd == 0:
        return ["validate", f(), *(["--strict"] if rng.random() < 0.3 else [])]
    if cmd == 1:
        return ["show", f()]
    if cmd == 2:
        argv = ["run", rng.choice(["MINIMAL", "WAR", "iran-2013", f()])]
        small = argv[1] in ("MINIMAL", "WAR")
        models = ["compromise", "median", "eum", "smp", "exchange", "nope"]
        for _ in range(rng.randint(1, 2)):
            argv += ["-m", rng.choice(models if small else ["compromise", "median", "nope"])]
        for _ in range(rng.randint(0, 3)):
            opt = rng.randrange(6)
            if opt == 0:
                argv += ["--rounds", rng.choice(["0", "1", "5", "-1", "abc", "1" * 50])]
            elif opt == 1:
                argv += ["--set", rng.choice(["eum.q", "median.tie", "smp.rounds", "q", "eum"])
                         + "=" + rng.choice([*_VALUES, '"0.5"', "null", "[1]", "{}"])]  # fmt: skip
            elif opt == 2:
                argv += ["--seed", v()]
            elif opt == 3:
                argv += [rng.choice(["--json", "--csv", "--events"])]
            else:
                argv += ["--out", rng.choice(_OUT_ARGS)]
        return argv
    if cmd in (3, 4):
        verb = rng.choice(["range", "screen", "fight", "commit", "brink"])
        argv = ["war", verb, rng.choice(["WAR", "ukraine-2024-08", "MINIMAL", f()])]
        flags = {
            "range": ["--p", "--c-u", "--c-r", "--rho-u", "--feasible", "--side-payment"],
            "screen": ["--p", "--c-u", "--c-bar", "--mu", "--p-w", "--p-s"],
            "fight": [
                "--states",
                "--start",
                "--theta",
                "--runs",
                "--max-battles",
                "--seed",
                "--weight",
                "--alpha-u",
            ],
            "commit": ["--p", "--q-u0", "--delta", "--d-u", "--gamma-u", "--rho-bar"],
            "brink": ["--pi-bar", "--a", "--b", "--v", "--phi-d", "--y"],
        }[verb]
        for _ in range(rng.randint(0, 3)):
            argv += [rng.choice(flags), v()]
        if verb == "fight" and "--runs" not in argv:
            argv += ["--runs", "200"]
        if rng.random() < 0.05 and verb in ("range", "fight", "commit"):
            argv += [
                "--plot",
                rng.choice(["x.png", "x.gif", "/dev/full", "dir/x.svg", "[/b].html"]),
            ]
        return argv
    if cmd == 5:
        fmt = rng.choice(["ktab", "decide", "bdm", "deu", "ktab-xml", "nope"])
        argv = ["import", rng.choice(["KTAB", "DECIDE", "BDM", "DEU", "XML", f()]), "--from", fmt]
        if rng.random() < 0.7:
            argv += ["-o", rng.choice([*_OUT_ARGS, "x.yaml", "x.json", "x.txt"])]
        if fmt == "deu" and rng.random() < 0.5:
            argv += ["--capability", rng.choice(["nice", "gdp", "equal", "x"])]
        if fmt == "bdm" and rng.random() < 0.5:
            argv += ["--salience-scale", v()]
        return argv
    if cmd == 6:
        fmt = rng.choice(["ktab", "decide", "bdm", "deu", "ktab-xml"])
        return ["export", rng.choice(["MINIMAL", "iran-2013", f()]), "--to", fmt, "-o",
                rng.choice(["x.csv", "/dev/full", "dir", "[/b].csv", "", "a/b/c.csv"])]  # fmt: skip
    if cmd == 7:
        return [rng.choice(["models", "scenarios", "schema", "--version", "nope", "--help"])]
    return ["backtest", "deu", "--folds", v(), "--resamples", v(), "--readme", "missing.md",
            "-m", "nope"]  # fmt: skip


# ------------------------------------------------------------------------ the oracle


class Failure(Exception):
    """A case broke accord's promise; ``signature`` groups failures of one root cause."""

    def __init__(self, signature: str, detail: str) -> None:
        super().__init__(signature)
        self.signature = signature
        self.detail = detail


def _where(tb: Any) -> str:
    frames = traceback.extract_tb(tb)
    ours = [f for f in frames if "accord" in f.filename and "fuzzing" not in f.filename]
    f = (ours or frames or [None])[-1]
    if f is None:
        return "?"
    return f"{Path(f.filename).name}:{f.lineno}"


def _crash(category: str, exc: BaseException) -> Failure:
    detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-3000:]
    return Failure(f"{category}: {type(exc).__name__} at {_where(exc.__traceback__)}", detail)


def coercions(given: Any, validated: Any, loc: str = "") -> list[str]:
    """Where the validated scenario holds a value of another kind than the file gave.

    Kinds: text, number (int or float), boolean, null. A bare number standing for
    ``{value: n}``, a single source key standing for a list of one, a date given as text
    and numeric keys of scale labels are the schema's documented sugar, not coercions.
    """
    out: list[str] = []
    if isinstance(given, Mapping):
        if not isinstance(validated, Mapping):
            if "value" in given and _kind(validated) == "number":
                rest = {k: v for k, v in given.items() if k != "value"}
                if all(v in ((), [], False, None, "") for v in rest.values()):
                    return coercions(given["value"], validated, f"{loc}.value")
            return [f"{loc}: mapping became {_kind(validated)}"]
        for key, value in given.items():
            match = _lookup(validated, key)
            if match is _ABSENT:
                if value not in ((), [], False, None):
                    out.append(f"{loc}.{key}: dropped")
                continue
            out += coercions(value, match, f"{loc}.{key}")
        return out
    if isinstance(given, list):
        if not isinstance(validated, list | tuple):
            return [f"{loc}: list became {_kind(validated)}"]
        for i, (a, b) in enumerate(zip(given, validated, strict=False)):
            out += coercions(a, b, f"{loc}[{i}]")
        return out
    kind_in, kind_out = _kind(given), _kind(validated)
    if kind_in == "text" and isinstance(validated, tuple) and validated == (given,):
        return []
    if given is None and validated in ((), []):  # `source: null`: no source keys
        return []
    if kind_in == "text" and hasattr(validated, "isoformat") and validated.isoformat() == given:
        return []
    if kind_in != kind_out:
        return [f"{loc}: {kind_in} {given!r:.40} became {kind_out} {validated!r:.40}"]
    if kind_in == "number" and not (
        float(given) == float(validated) or (math.isnan(given) and math.isnan(validated))
    ):
        return [f"{loc}: {given!r:.40} became {validated!r:.40}"]
    if kind_in in ("text", "boolean") and given != validated:
        return [f"{loc}: {given!r:.40} became {validated!r:.40}"]
    return out


_ABSENT = object()


def _lookup(mapping: Mapping[Any, Any], key: Any) -> Any:
    if key in mapping:
        return mapping[key]
    try:
        number = float(key)
    except (TypeError, ValueError):
        return _ABSENT
    return mapping.get(number, _ABSENT)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    return type(value).__name__


class _Timeout(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def execute(case: Case, work: Path, seeds: Seeds, timeout: float = 0.0) -> None:
    """Run one case; raise :class:`Failure` if accord broke its promise."""
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        _execute(case, work, seeds)
    except _Timeout:
        raise Failure(f"{case.category}: hang (over {timeout:g} s)", "") from None
    except MemoryError as exc:
        raise Failure(f"{case.category}: memory (over the address-space limit)", str(exc)) from None
    except RecursionError as exc:
        raise _crash(case.category, exc) from None
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _execute(case: Case, work: Path, seeds: Seeds) -> None:
    from accord.errors import AccordError
    from accord.scenario import importers
    from accord.scenario.io import loads, read_data

    if case.category in ("yaml", "json"):
        try:
            sc = loads(case.payload, case.fmt, file="case")
        except AccordError:
            return
        except Exception as exc:
            raise _crash(case.category, exc) from None
        given = read_data(case.payload, case.fmt)
        found = coercions(given, sc.model_dump(mode="python"))
        if found:
            raise Failure(f"{case.category}: coercion at {_shape(found[0])}", "; ".join(found[:3]))
        return
    if case.category == "war":
        path = work / "war.json"
        path.write_text(case.payload, encoding="utf-8")
        verb = case.options["verb"]
        argv = [verb, str(path)] if verb in ("validate", "show") else ["war", verb, str(path)]
        if verb == "fight":
            argv += ["--runs", "64"]
        _cli(case, argv, work)
        try:
            sc = loads(case.payload, "json", file="case")
        except AccordError:
            return
        given = read_data(case.payload, "json")
        found = coercions(given, sc.model_dump(mode="python"))
        if found:
            raise Failure(f"war: coercion at {_shape(found[0])}", "; ".join(found[:3]))
        return
    if case.category in seeds.files:
        suffix = {"ktab-xml": ".xml", "deu": ".csv", "decide": ".csv"}.get(case.category, ".csv")
        path = work / f"in{suffix}"
        path.write_text(case.payload, encoding="utf-8", errors="surrogatepass")
        try:
            importers.read(case.category, path, **case.options)
        except AccordError:
            return
        except Exception as exc:
            raise _crash(case.category, exc) from None
        return
    if case.category == "roundtrip":
        _roundtrip(case, work)
        return
    if case.category == "cli":
        _cli(case, list(case.payload), work)
        return
    raise ValueError(case.category)


def _shape(problem: str) -> str:
    """A coercion's path without list indexes and mapping keys that vary (for grouping)."""
    import re

    head = problem.split(":", 1)[0]
    return re.sub(r"\[\d+\]", "[]", head)


def _roundtrip(case: Case, work: Path) -> None:
    from accord.errors import AccordError
    from accord.scenario import importers
    from accord.scenario.io import scenario_from_data

    try:
        sc = scenario_from_data(case.payload)
    except AccordError:
        return  # a random scenario the schema refuses (e.g. an id it does not allow)
    except Exception as exc:
        raise _crash("roundtrip", exc) from None
    for fmt in ("ktab", "decide", "bdm", "deu"):
        out = work / f"rt.{fmt}"
        one = sc
        try:
            if fmt == "bdm":
                one = sc.restrict([sc.issue_ids[0]])
            importers.export(fmt, [one], out)
        except AccordError:
            continue  # a clear refusal (e.g. KTAB needs every position, DEU its actor codes)
        except Exception as exc:
            raise _crash(f"roundtrip {fmt} export", exc) from None
        try:
            importers.read(fmt, out)
        except AccordError as exc:
            raise Failure(
                f"roundtrip: {fmt} export refused by its importer", str(exc)[:500]
            ) from None
        except Exception as exc:
            raise _crash(f"roundtrip {fmt} import", exc) from None


_COMMAND: Any = None


def _cached_command(app: Any) -> Any:
    """typer builds the click command from the app on every invoke (80 ms): build it once."""
    global _COMMAND
    if _COMMAND is None:
        from typer.main import get_command

        _COMMAND = get_command(app)
    return _COMMAND


def _cli(case: Case, argv: list[str], work: Path) -> None:
    import typer.testing
    from typer.testing import CliRunner

    from accord.cli import app

    cached = _cached_command(app)
    typer.testing._get_command = lambda _app: cached  # type: ignore[attr-defined]

    files = _materialise(work)
    argv = [files.get(a, a) for a in argv]
    before = _listing(work.parent)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(app, argv, catch_exceptions=True)
    finally:
        os.chdir(cwd)
    text = (result.stdout or "") + (result.stderr or "")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise _crash(case.category, result.exception)
    allowed = {0, 2} | ({1} if argv[:1] == ["validate"] and "--strict" in argv else set())
    if result.exit_code not in allowed:
        raise Failure(f"{case.category}: exit {result.exit_code} ({argv[0]})", text[-2000:])
    if "Traceback" in text:
        raise Failure(f"{case.category}: traceback printed ({argv[0]})", text[-2000:])
    if "internal error" in text:
        raise Failure(f"{case.category}: internal error ({argv[0]})", text[-2000:])
    targets = [Path(os.path.normpath(work / a)) for a in _targets(argv)]
    for p in _listing(work.parent) - before:
        # inside a named path, or a folder on the way to one (``--out a/b`` makes ``a``)
        if not any(p == t or t in p.parents or p in t.parents for t in targets):
            raise Failure(f"{case.category}: wrote outside the named path ({argv[0]})", str(p))


def _targets(argv: list[str]) -> list[str]:
    """Every path given to an output option (a repeated option: each of them)."""
    return [
        argv[i + 1]
        for i, flag in enumerate(argv[:-1])
        if flag in ("--out", "-o", "--output", "--plot")
    ]


def _listing(root: Path) -> set[Path]:
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        found.update(base / n for n in filenames)
        found.update(base / n for n in dirnames)
    return found


def _materialise(work: Path) -> dict[str, str]:
    """Stand-in files for the names the argv grammar uses (made once, beside the case folder;
    ``dir`` and ``existing.txt`` in every case folder)."""
    (work / "dir").mkdir(exist_ok=True)
    (work / "existing.txt").write_text("x", encoding="utf-8")
    fixed = work.parent.parent / "fixed"
    fixed.mkdir(exist_ok=True)
    marker = fixed / ".made"
    names = {
        "MINIMAL": fixed / "minimal.yaml",
        "WAR": fixed / "war-seed.json",
        "KTAB": fixed / "k.csv",
        "DECIDE": fixed / "d.csv",
        "BDM": fixed / "b.csv",
        "DEU": fixed / "deu.csv",
        "XML": fixed / "k.xml",
    }
    if not marker.exists():
        seeds = _SEEDS_CACHE or Seeds.build()
        names["MINIMAL"].write_text(_minimal(), encoding="utf-8")
        names["WAR"].write_text(json.dumps(seeds.war), encoding="utf-8")
        for key, fmt in (("KTAB", "ktab"), ("DECIDE", "decide"), ("BDM", "bdm"), ("DEU", "deu")):
            names[key].write_text(seeds.files[fmt][0], encoding="utf-8")
        names["XML"].write_text(seeds.files["ktab-xml"][0], encoding="utf-8")
        marker.write_text("", encoding="utf-8")
    return {k: str(v) for k, v in names.items()}


_SEEDS_CACHE: Seeds | None = None


# ------------------------------------------------------------------------ running


@dataclass
class Report:
    cases: dict[str, int] = field(default_factory=dict)
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    slowest: tuple[float, str] = (0.0, "")

    def add(self, case: Case, failure: Failure | None, seconds: float) -> None:
        self.cases[case.category] = self.cases.get(case.category, 0) + 1
        if seconds > self.slowest[0]:
            self.slowest = (seconds, f"{case.category}:{case.seed}")
        if failure is None:
            return
        entry = self.failures.setdefault(
            failure.signature, {"count": 0, "seed": case.seed, "category": case.category}
        )
        entry["count"] += 1
        if "size" not in entry or case.size() < entry["size"]:
            entry.update(
                seed=case.seed,
                size=case.size(),
                reproducer=case.payload if case.size() < 20_000 else f"<{case.size()} chars>",
                detail=failure.detail[-1500:],
            )


def run_cases(
    cases: Iterator[tuple[str, int]],
    seeds: Seeds,
    work: Path,
    timeout: float = 0.0,
    on_case: Callable[[Case, Failure | None, float], None] | None = None,
) -> Report:
    """Run cases in this process (the short fuzz of ``make test``, or one worker's share)."""
    import warnings

    global _SEEDS_CACHE
    _SEEDS_CACHE = seeds
    report = Report()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a raw warning that would reach the user is a failure
        _run_all(cases, seeds, work, timeout, report, on_case)
    report.seconds = time.perf_counter() - start
    report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def _run_all(
    cases: Iterator[tuple[str, int]],
    seeds: Seeds,
    work: Path,
    timeout: float,
    report: Report,
    on_case: Callable[[Case, Failure | None, float], None] | None,
) -> None:
    for category, seed in cases:
        case = generate(category, seed, seeds)
        case_dir = work / "case"
        if case_dir.exists():
            shutil.rmtree(case_dir, ignore_errors=True)
        inner = case_dir / "w"
        inner.mkdir(parents=True)
        t0 = time.perf_counter()
        failure: Failure | None = None
        try:
            execute(case, inner, seeds, timeout)
        except Failure as exc:
            failure = exc
        dt = time.perf_counter() - t0
        report.add(case, failure, dt)
        if on_case is not None:
            on_case(case, failure, dt)


def schedule(n: int, start: int = 0) -> list[tuple[str, int]]:
    """``n`` cases spread over the categories by :data:`WEIGHTS`, seeds ``start``..."""
    total = sum(WEIGHTS.values())
    out = []
    for category in CATEGORIES:
        k = max(1, round(n * WEIGHTS[category] / total))
        out += [(category, start + i) for i in range(k)]
    random.Random(start).shuffle(out)
    return out


def _worker(args: tuple[list[tuple[str, int]], float, int, str]) -> dict[str, Any]:
    cases, timeout, memory_mb, root = args
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    os.environ.setdefault("MPLBACKEND", "Agg")
    seeds = Seeds.build()
    work = Path(tempfile.mkdtemp(dir=root))
    report = run_cases(iter(cases), seeds, work, timeout)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "cases": report.cases,
        "failures": report.failures,
        "seconds": report.seconds,
        "peak_rss_mb": report.peak_rss_mb,
        "slowest": report.slowest,
    }


def _shrink(entry: dict[str, Any], signature: str, seeds: Seeds, work: Path) -> None:
    """Drop lines of a text reproducer while the same signature still fails."""
    text = entry.get("reproducer")
    category = entry["category"]
    if not isinstance(text, str) or category in ("cli", "roundtrip"):
        return
    case = generate(category, entry["seed"], seeds)
    lines = text.splitlines(keepends=True)
    tries = 0
    i = 0
    while i < len(lines) and tries < 300:
        trial = lines[:i] + lines[i + 1 :]
        case.payload = "".join(trial)
        tries += 1
        try:
            execute(case, work, seeds, timeout=10)
            i += 1
        except Failure as exc:
            if exc.signature == signature:
                lines = trial
            else:
                i += 1
    entry["reproducer"] = "".join(lines)
    entry["size"] = len(entry["reproducer"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0, help="first case seed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per case")
    parser.add_argument("--memory", type=int, default=3072, help="MiB of address space per worker")
    parser.add_argument("--report", type=Path, default=Path("fuzz-report.json"))
    args = parser.parse_args(argv)

    import multiprocessing as mp

    plan = schedule(args.cases, args.seed)
    chunks = [plan[i :: args.workers * 8] for i in range(args.workers * 8)]
    root = tempfile.mkdtemp(prefix="accord-fuzz-")
    start = time.perf_counter()
    merged = Report()
    with mp.get_context("fork").Pool(args.workers, maxtasksperchild=1) as pool:
        for n, part in enumerate(
            pool.imap_unordered(_worker, [(c, args.timeout, args.memory, root) for c in chunks])
        ):
            for k, v in part["cases"].items():
                merged.cases[k] = merged.cases.get(k, 0) + v
            for sig, entry in part["failures"].items():
                if sig not in merged.failures:
                    print(f"new failure: {sig} ({entry['category']}:{entry['seed']})", flush=True)
                old = merged.failures.get(sig)
                if old is None or entry.get("size", 0) < old.get("size", 0):
                    entry["count"] += old["count"] if old else 0
                    merged.failures[sig] = entry
                else:
                    old["count"] += entry["count"]
            merged.peak_rss_mb = max(merged.peak_rss_mb, part["peak_rss_mb"])
            if part["slowest"][0] > merged.slowest[0]:
                merged.slowest = tuple(part["slowest"])  # type: ignore[assignment]
            done = sum(merged.cases.values())
            print(
                f"[{n + 1}/{len(chunks)}] {done:,} cases, {len(merged.failures)} signatures, "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
    merged.seconds = time.perf_counter() - start
    seeds = Seeds.build()
    work = Path(tempfile.mkdtemp(dir=root))
    for sig, entry in merged.failures.items():
        _shrink(entry, sig, seeds, work)
    shutil.rmtree(root, ignore_errors=True)
    report = {
        "cases": sum(merged.cases.values()),
        "cases_per_category": dict(sorted(merged.cases.items())),
        "seconds": round(merged.seconds, 1),
        "peak_rss_mb_per_worker": round(merged.peak_rss_mb, 1),
        "timeout_s": args.timeout,
        "memory_limit_mb": args.memory,
        "slowest_case": {"seconds": round(merged.slowest[0], 2), "case": merged.slowest[1]},
        "signatures": len(merged.failures),
        "failures": merged.failures,
    }
    args.report.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "failures"}, indent=2))
    for sig, entry in merged.failures.items():
        print(f"FAIL {sig}: {entry['count']} cases, seed {entry['category']}:{entry['seed']}")
    return 1 if merged.failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
