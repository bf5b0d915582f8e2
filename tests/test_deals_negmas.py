"""accord.deals against NegMAS 0.16's recorded outputs (scripts/crosscheck_negmas.py).

NegMAS is never imported: its frontiers and Nash/KS packages on 24 seeded random spaces are
read from tests/data/deals/negmas_crosscheck.json. NegMAS's conventions are reproduced
explicitly: its frontier keeps outcomes with ``u >= reserved``; its disagreement point is
the reserved value or, when that is below it, the utility's minimum; its KS ideal is each
utility's maximum over the whole space and its criterion the spread of the ratios.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.deals import (
    DiscreteIssue,
    LinearAdditive,
    OutcomeSpace,
    TableValue,
    kalai_smorodinsky,
    nash,
    pareto_frontier,
    utility_matrix,
)

FIXTURE = json.loads(
    (Path(__file__).parent / "data" / "deals" / "negmas_crosscheck.json").read_text()
)
CASES = FIXTURE["cases"]


def build(case: dict[str, Any]) -> Any:
    issues = tuple(
        DiscreteIssue(f"i{i}", tuple(f"v{k}" for k in range(s)))
        for i, s in enumerate(case["sizes"])
    )
    space = OutcomeSpace(issues)
    utilities = [
        LinearAdditive(
            f"p{a}",
            {f"i{i}": w for i, w in enumerate(case["weights"][a])},
            {
                f"i{i}": TableValue({f"v{k}": v for k, v in enumerate(col)})
                for i, col in enumerate(case["tables"][a])
            },
            reservation=case["reserved"][a],
        )
        for a in range(len(case["tables"]))
    ]
    return utility_matrix(space, utilities)


def test_fixture_has_at_least_twenty_spaces() -> None:
    assert len(CASES) >= 20 and FIXTURE["negmas_version"] == "0.16.0"


@pytest.mark.parametrize("case", CASES, ids=[f"seed{c['seed']}" for c in CASES])
def test_same_frontier_nash_and_ks_as_negmas(case: dict[str, Any]) -> None:
    m = build(case)
    u, r = m.values, m.reservation
    f = pareto_frontier(u)
    rational = f[np.all(u[:, f] >= r[:, None], axis=0)]
    assert sorted(m.outcomes[rational].tolist()) == case["negmas"]["frontier"]
    d = np.maximum(r, u.min(axis=1))
    s = nash(u, d, frontier=rational)
    assert s.agreement and int(m.outcomes[s.column]) in case["negmas"]["nash"]
    k = kalai_smorodinsky(u, d, rule="equal_ratios", ideal=u.max(axis=1), frontier=rational)
    assert k.agreement and int(m.outcomes[k.column]) in case["negmas"]["ks"]


ANAC_DIR = os.environ.get("ACCORD_ANAC_DIR")


@pytest.mark.skipif(ANAC_DIR is None, reason="set ACCORD_ANAC_DIR to GENIUS 10.4's templates")
def test_anac_domains_against_negmas() -> None:
    """ANAC domains are GPL-3.0 and not shipped: read them from ACCORD_ANAC_DIR."""
    rows = FIXTURE["anac"]
    assert len(rows) >= 20
    for row in rows:
        _check_anac(row)


def _check_anac(row: dict[str, Any]) -> None:
    from accord.deals.io import read_genius
    from accord.deals.io.genius import profile_paths

    assert ANAC_DIR is not None
    folder = Path(ANAC_DIR) / row["domain"]
    domain, _ = profile_paths(folder)
    problem = read_genius(domain, [folder / p for p in row["profiles"]])
    m = utility_matrix(problem.space, problem.utilities)
    u, r = m.values, m.reservation
    f = pareto_frontier(u)
    f = f[np.all(u[:, f] >= r[:, None], axis=0)]
    col = {int(o): c for c, o in enumerate(m.outcomes)}

    def utils(outcomes: list[int]) -> set[tuple[float, ...]]:
        return {tuple(u[:, col[o]].tolist()) for o in outcomes}

    ours = sorted(m.outcomes[f].tolist())
    # accord keeps every package of an exactly tied utility vector, NegMAS one of them
    assert utils(ours) == utils(row["frontier_negmas_packages"]), row["domain"]
    assert set(row["frontier_negmas_packages"]) <= set(ours)
    d = np.maximum(r, u.min(axis=1))
    s = nash(u, d, frontier=f)
    k = kalai_smorodinsky(u, d, rule="equal_ratios", ideal=u.max(axis=1), frontier=f)
    for sol, key in ((s, "nash"), (k, "ks")):
        theirs = row[f"{key}_negmas"]
        if sol.column is None:
            # the one convention that differs: NegMAS accepts a package where some party
            # gains nothing over the disagreement point; accord requires every party to gain
            assert all(np.any(u[:, col[o]] <= d) for o in theirs), row["domain"]
        else:
            assert utils([int(m.outcomes[sol.column])]) <= utils(theirs), row["domain"]
