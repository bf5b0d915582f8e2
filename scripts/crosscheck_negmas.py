"""Record NegMAS's Pareto frontiers and Nash/Kalai–Smorodinsky packages as test fixtures.

NegMAS is AGPL-3.0: it is never a dependency of accord and is never imported by accord or
its tests. Run this script in a scratch virtual environment outside the repository:

    python3 -m venv /tmp/negmas-venv
    /tmp/negmas-venv/bin/pip install negmas          # 0.16.0 when recorded
    /tmp/negmas-venv/bin/pip install -e .            # only for the ANAC section
    /tmp/negmas-venv/bin/python scripts/crosscheck_negmas.py [--anac DIR]

Part 1 (the fixture ``tests/data/deals/negmas_crosscheck.json``, read by
``tests/test_deals_negmas.py``): seeded random linear-additive spaces (2-3 parties, 2-4
discrete issues of 3-9 values, per-value random tables so preferences are opposed, random
reservation values). Each entry stores the tables, weights and reservation values, and what
NegMAS 0.16 returned: ``pareto_frontier`` (rational outcomes, as flat indices in C order),
``nash_points`` and ``ks_points`` on it (every tied package).

Part 2 (``--anac DIR``, a folder of GENIUS domain folders such as GENIUS 10.4's
``templates`` directory; GPL-3.0 files, read in place, never copied): loads each domain
(all its profiles when there are at most three; the ``_util<k>`` set and every pair of
profiles when there are four to six) with accord's reader, gives NegMAS the same
normalised tables, and records NegMAS's frontier and Nash/KS packages with accord's
comparison under ``anac``; ``tests/test_deals_negmas.py`` recomputes accord's side when
``ACCORD_ANAC_DIR`` points at the same folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from negmas import make_issue, make_os
from negmas.preferences import LinearAdditiveUtilityFunction
from negmas.preferences.ops import ks_points, nash_points, pareto_frontier
from negmas.preferences.value_fun import TableFun

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "deals" / "negmas_crosscheck.json"
SEEDS = range(24)


def negmas_solve(issue_values, tables, weights, reserved):
    """tables[a][i][k]: party a's value of value k of issue i (values are labels)."""
    issues = [make_issue(values=list(vals), name=f"i{i}") for i, vals in enumerate(issue_values)]
    os_ = make_os(issues)
    ufuns = []
    for a in range(len(tables)):
        values = {
            f"i{i}": TableFun(dict(zip(issue_values[i], map(float, tables[a][i]), strict=True)))
            for i in range(len(issue_values))
        }
        w = {f"i{i}": float(weights[a][i]) for i in range(len(issue_values))}
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=values, weights=w, outcome_space=os_, reserved_value=float(reserved[a])
            )
        )
    outcomes = list(os_.enumerate())
    shape = [len(v) for v in issue_values]
    index = {
        o: int(np.ravel_multi_index([issue_values[i].index(o[i]) for i in range(len(o))], shape))
        for o in outcomes
    }
    t0 = time.perf_counter()
    futils, fidx = pareto_frontier(ufuns, outcomes=outcomes)
    frontier = sorted(index[outcomes[j]] for j in fidx)
    nash = sorted(
        index[outcomes[fidx[k]]] for _, k in nash_points(ufuns, futils, outcome_space=os_)
    )
    ks = sorted(index[outcomes[fidx[k]]] for _, k in ks_points(ufuns, futils, outcome_space=os_))
    return frontier, nash, ks, time.perf_counter() - t0


def random_spaces() -> list[dict]:
    cases = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        n = int(rng.integers(2, 4))
        sizes = [int(x) for x in rng.integers(3, 10, size=int(rng.integers(2, 5)))]
        issue_values = [[f"v{k}" for k in range(s)] for s in sizes]
        tables = [[np.round(rng.random(s), 3).tolist() for s in sizes] for _ in range(n)]
        weights = [np.round(rng.dirichlet(np.ones(len(sizes))), 4).tolist() for _ in range(n)]
        reserved = np.round(rng.uniform(0, 0.35, size=n), 3).tolist()
        frontier, nash, ks, secs = negmas_solve(issue_values, tables, weights, reserved)
        cases.append(
            {
                "seed": seed,
                "sizes": sizes,
                "tables": tables,
                "weights": weights,
                "reserved": reserved,
                "negmas": {"frontier": frontier, "nash": nash, "ks": ks, "seconds": secs},
            }
        )
        print(
            f"seed {seed}: {n} parties, sizes {sizes}, frontier {len(frontier)},"
            f" nash {nash}, ks {ks}"
        )
    return cases


def anac(root: Path) -> list[dict]:
    import itertools
    import re

    from accord.deals.io import read_genius
    from accord.deals.io.genius import profile_paths

    out = []
    for folder in sorted(p for p in root.rglob("*") if p.is_dir()):
        try:
            domain, profiles = profile_paths(folder)
        except Exception:
            continue
        groups = [profiles] if len(profiles) <= 3 else []
        base = [p for p in profiles if re.search(r"_util\d+$", p.stem)]
        if len(profiles) > 3 and 2 <= len(base) <= 3:
            groups.append(base)  # ANAC 2015 style: <name>_util1, _util2, ...
        if len(profiles) > 3 and len(profiles) <= 6:
            groups += [list(g) for g in itertools.combinations(profiles, 2)]
        for group in groups:
            try:
                problem = read_genius(domain, group)
            except Exception as exc:
                print(f"skip {folder.name} {[p.name for p in group]}: {exc}".splitlines()[0])
                continue
            row = _compare(problem, folder.relative_to(root), group)
            if row is not None:
                out.append(row)
    return out


def _compare(problem, name, group):
    from accord.deals import kalai_smorodinsky, nash, utility_matrix
    from accord.deals import pareto_frontier as our_frontier
    from accord.deals.space import DiscreteIssue
    from accord.deals.utility import LinearAdditive

    space = problem.space
    if not all(isinstance(i, DiscreteIssue) for i in space.issues):
        return None
    if not all(isinstance(u, LinearAdditive) for u in problem.utilities):
        return None
    if space.cardinality > 60_000 or len(problem.utilities) < 2:
        return None
    values = [list(map(str, i.labels)) for i in space.issues]
    tables, weights = [], []
    for u in problem.utilities:
        cols = u.columns(space)  # w_i * v_i
        w = [float(u.weights.get(i.name, 0.0)) for i in space.issues]
        tables.append([(c / wi if wi else c * 0).tolist() for c, wi in zip(cols, w, strict=True)])
        weights.append(w)
    reserved = [float(u.reservation) for u in problem.utilities]
    frontier, nash_n, ks_n, secs = negmas_solve(values, tables, weights, reserved)
    m = utility_matrix(space, problem.utilities)
    # NegMAS's disagreement point: the reserved value, or the utility's minimum when the
    # reserved value lies below it (ops.nash_points / ks_points `ranges`)
    d = np.maximum(m.reservation, m.values.min(axis=1))
    f = our_frontier(m.values)
    f = f[np.all(m.values[:, f] >= m.reservation[:, None], axis=0)]
    ours_nash = nash(m.values, d, frontier=f)
    ours_ks = kalai_smorodinsky(
        m.values, d, rule="equal_ratios", ideal=m.values.max(axis=1), frontier=f
    )
    col = {int(o): c for c, o in enumerate(m.outcomes)}

    def utils(outcomes):
        return {tuple(m.values[:, col[o]].tolist()) for o in outcomes}

    ours_f = sorted(m.outcomes[f].tolist())
    row = {
        "domain": str(name),
        "profiles": [p.name for p in group],
        "parties": len(problem.utilities),
        "outcomes": space.cardinality,
        "frontier_negmas": len(frontier),
        "frontier_accord": len(ours_f),
        "frontier_negmas_packages": frontier,
        # accord keeps every package of an exactly tied utility vector, NegMAS one of them:
        # compare the frontiers as sets of utility vectors, and NegMAS's packages as a subset
        "frontier_same": utils(ours_f) == utils(frontier) and set(frontier) <= set(ours_f),
        "nash_accord": None if ours_nash.column is None else int(m.outcomes[ours_nash.column]),
        "nash_negmas": nash_n,
        "ks_accord": None if ours_ks.column is None else int(m.outcomes[ours_ks.column]),
        "ks_negmas": ks_n,
        "negmas_seconds": secs,
    }
    for key in ("nash", "ks"):
        ours, theirs = row[f"{key}_accord"], row[f"{key}_negmas"]
        row[f"{key}_same"] = (ours is None and not theirs) or (
            ours is not None and utils([ours]) <= utils(theirs)
        )
    print(
        {
            k: row[k]
            for k in ("domain", "profiles", "outcomes", "frontier_same", "nash_same", "ks_same")
        }
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--anac", type=Path, help="folder of GENIUS domain folders")
    args = parser.parse_args()
    import negmas

    payload = {
        "negmas_version": negmas.__version__,
        "python": sys.version.split()[0],
        "cases": random_spaces(),
    }
    if args.anac is not None:
        payload["anac"] = anac(args.anac)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
