"""Issue linkage: when negotiating issues together beats negotiating them one by one.

Two parties, two issues, linear-additive utilities with opposed preferences on each
issue: a trade (one party yields on the issue it cares less about, relatively, in return
for the other) makes both better off iff their salience ratios differ,
``s_A,X / s_A,Y != s_B,X / s_B,Y`` (the logrolling condition: Tollison & Willett 1979;
Sebenius 1983; Stokman & Van Oosten 1994 build the exchange model on it). Party A then
gets its way on the issue where its ratio is higher. :func:`trade_condition` states it; the
war layer's M5 (:func:`accord.war.linkage.linkage_gain`, ``best_trade``) is the same
condition for continuous moves between two sides' ideals, and the tests check the two agree.

For any utilities and any number of issues, :func:`linkage` compares, for every pair of
issues and for all issues at once (derived here):

* *separately*: each issue bargained alone, the other issues held at the ``reference``
  package (the status quo), with the reference's utilities as the disagreement point; an
  issue with no package better for everyone stays at its reference value;
* *jointly*: the same solution over the issues' product, with the *separate* outcome as the
  disagreement point (so the joint deal is the best trade on top of issue-by-issue deals).

A pair *gains from linkage* when the joint solution exists, i.e. some package of the two
issues is strictly better for every party than bargaining them apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from accord.deals.solutions import Solution, solve
from accord.deals.space import OutcomeSpace
from accord.deals.utility import Utility
from accord.errors import ModelError

__all__ = ["Linkage", "LinkedPair", "linkage", "trade_condition"]

FloatArray = NDArray[np.float64]


def trade_condition(salience: ArrayLike) -> dict[str, Any]:
    """For ``salience (2 parties, 2 issues)``: whether a trade gains, and who gets which
    issue (``"A gets X, B gets Y"`` when ``s_AX/s_AY > s_BX/s_BY``)."""
    s = np.asarray(salience, dtype=float)
    if s.shape != (2, 2) or np.any(s < 0) or not np.all(np.isfinite(s)):
        raise ModelError("needs non-negative saliences (2 parties, 2 issues)", value=s.tolist())
    # compare s_AX·s_BY with s_BX·s_AY, avoiding division by zero
    left, right = s[0, 0] * s[1, 1], s[1, 0] * s[0, 1]
    if left == right:
        return {"gain": False, "A": None, "B": None, "ratios": (left, right)}
    a_gets = 0 if left > right else 1
    return {"gain": True, "A": a_gets, "B": 1 - a_gets, "ratios": (left, right)}


@dataclass(frozen=True)
class LinkedPair:
    issues: tuple[str, ...]
    separate: dict[str, Any]
    joint: dict[str, Any] | None
    separate_utilities: tuple[float, ...]
    joint_utilities: tuple[float, ...] | None

    @property
    def gains(self) -> bool:
        return self.joint is not None


@dataclass(frozen=True)
class Linkage:
    """Pairwise and all-issue linkage results (``solution`` picked each deal)."""

    solution: str
    parties: tuple[str, ...]
    reference: dict[str, Any]
    pairs: tuple[LinkedPair, ...]
    separate: dict[str, Any]
    separate_utilities: tuple[float, ...]
    joint: Solution
    joint_package: dict[str, Any] | None = field(default=None)

    def to_frame(self) -> pd.DataFrame:
        """One row per issue pair: the separate and joint packages and each party's gain."""
        rows = []
        for p in self.pairs:
            row: dict[str, Any] = {
                "issues": "+".join(p.issues),
                "gains_from_linkage": p.gains,
                "separate": ", ".join(f"{k}={p.separate[k]}" for k in p.issues),
                "joint": ""
                if p.joint is None
                else ", ".join(f"{k}={p.joint[k]}" for k in p.issues),
            }
            for a, name in enumerate(self.parties):
                ju = p.joint_utilities
                row[f"gain {name}"] = 0.0 if ju is None else ju[a] - p.separate_utilities[a]
            rows.append(row)
        return pd.DataFrame(rows)


def _evaluate(
    space: OutcomeSpace, utilities: Sequence[Utility], idx: NDArray[np.int64]
) -> FloatArray:
    return np.stack([u.evaluate(space, idx) for u in utilities])


def _bargain(
    space: OutcomeSpace,
    utilities: Sequence[Utility],
    base: NDArray[np.int64],
    vary: Sequence[int],
    d: FloatArray,
    solution: str,
    weights: ArrayLike | None,
) -> tuple[NDArray[np.int64] | None, FloatArray | None]:
    """Bargain over the issues ``vary`` with the others at ``base``; the winning index row."""
    grids = np.stack(
        np.meshgrid(*[np.arange(space.issues[k].size) for k in vary], indexing="ij"), -1
    ).reshape(-1, len(vary))
    idx = np.repeat(base[None, :], grids.shape[0], axis=0)
    idx[:, list(vary)] = grids
    idx = idx[space.feasible(idx)]
    if idx.shape[0] == 0:
        return None, None
    u = _evaluate(space, utilities, idx)
    sol = solve(solution, u, d, weights=weights)
    if not sol.agreement or sol.column is None:
        return None, None
    return idx[sol.column], u[:, sol.column]


def linkage(
    space: OutcomeSpace,
    utilities: Sequence[Utility],
    reference: Mapping[str, Any],
    *,
    solution: str = "nash",
    weights: ArrayLike | None = None,
    issues: Sequence[str] | None = None,
) -> Linkage:
    """Which issues gain from being negotiated together (see the module docstring)."""
    names = tuple(u.name for u in utilities)
    ref = space.indices(np.asarray([space.flat_of(reference)]))[0]
    if not space.feasible(ref[None, :])[0]:
        raise ModelError("the reference package is forbidden by a constraint", path="reference")
    chosen = list(issues) if issues is not None else list(space.names)
    pos = [space.position(n) for n in chosen]
    d_ref = _evaluate(space, utilities, ref[None, :])[:, 0]
    separate = ref.copy()
    for k in pos:  # each issue alone from the reference
        row, _ = _bargain(space, utilities, ref, [k], d_ref, solution, weights)
        if row is not None:
            separate[k] = row[k]
    if not space.feasible(separate[None, :])[0]:
        separate = ref.copy()  # the issue-by-issue deals clash with a constraint
    d_sep = _evaluate(space, utilities, separate[None, :])[:, 0]
    pairs = []
    for k, l_ in itertools.combinations(pos, 2):
        base = separate.copy()
        row, uj = _bargain(space, utilities, base, [k, l_], d_sep, solution, weights)
        keys = (space.names[k], space.names[l_])
        sep_pkg = {space.names[j]: space.issues[j].values[int(separate[j])] for j in (k, l_)}
        joint_pkg = (
            None
            if row is None
            else {space.names[j]: space.issues[j].values[int(row[j])] for j in (k, l_)}
        )
        pairs.append(
            LinkedPair(
                keys,
                sep_pkg,
                joint_pkg,
                tuple(map(float, d_sep)),
                None if uj is None else tuple(map(float, uj)),
            )
        )
    # all chosen issues together, from the separate outcome
    row, uj = _bargain(space, utilities, separate, pos, d_sep, solution, weights)
    all_u = None if row is None else uj
    joint = Solution(
        solution=solution,
        parties=names,
        agreement=row is not None,
        column=None,
        utilities=None if all_u is None else tuple(map(float, all_u)),
        criterion=None,
        ties=(),
        candidates=0,
        parameters={"disagreement": tuple(map(float, d_sep))},
        note="" if row is not None else "no package of all issues beats bargaining them apart",
    )

    def decode(r: NDArray[np.int64]) -> dict[str, Any]:
        return {i.name: i.values[int(v)] for i, v in zip(space.issues, r, strict=True)}

    return Linkage(
        solution=solution,
        parties=names,
        reference=decode(ref),
        pairs=tuple(pairs),
        separate=decode(separate),
        separate_utilities=tuple(map(float, d_sep)),
        joint=joint,
        joint_package=None if row is None else decode(row),
    )
