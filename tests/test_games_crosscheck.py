"""accord's game solvers against pygambit 16.7's recorded outputs (tests/data/games/
pygambit_*.json, written by scripts/crosscheck_pygambit.py in a scratch venv; pygambit
itself is GPL and never imported here)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from accord.games import lcp_solve, lp_solve, qre_solve, spe_solve
from accord.games.efg import loads_efg
from accord.games.tree import Game

DATA = Path(__file__).parent / "data" / "games"
QRE = json.loads((DATA / "pygambit_qre.json").read_text())
LCP = json.loads((DATA / "pygambit_lcp.json").read_text())


def _gambit_behaviour(game: Game, profile: list[dict]) -> np.ndarray:
    """Gambit's (player, infoset, action) probabilities as accord's moves array."""
    ours: dict[str, list[tuple[int, str]]] = {p: [] for p in game.players}
    for key in game.infosets:
        ours[game.players[key[0]]].append(key)
    beh = np.full(len(game.moves), np.nan)
    move_of = {m: k for k, m in enumerate(game.moves)}
    for entry in profile:
        player = entry["player"]
        number = entry["number"]  # Gambit's 0-based information set number per player
        key = ours[player][number]
        actions = game.nodes[game.infosets[key][0]].actions
        k = actions.index(entry["action"])
        for node in game.infosets[key]:
            beh[move_of[(node, k)]] = (
                float(Fraction(entry["exact"])) if "/" in entry["exact"] else entry["prob"]
            )
    assert not np.isnan(beh).any()
    return beh


def test_fixture_covers_twenty_trees():
    assert len(QRE["cases"]) >= 20
    assert QRE["pygambit"] == "16.7.0"


@pytest.mark.parametrize("case", QRE["cases"], ids=[f"seed{c['seed']}" for c in QRE["cases"]])
def test_qre_equals_pygambit_logit_solve_lambda(case):
    game = loads_efg(case["efg"])
    assert game.is_perfect_information
    ours = qre_solve(game, case["lambdas"])
    for k, prof in enumerate(case["profiles"]):
        want = _gambit_behaviour(game, prof)
        np.testing.assert_allclose(ours.behaviour[k], want, atol=1e-9, rtol=0)


@pytest.mark.parametrize(
    "case", QRE["cases"][:6], ids=[f"seed{c['seed']}" for c in QRE["cases"][:6]]
)
def test_random_trees_spe_has_no_regret(case):
    from accord.games import regret

    game = loads_efg(case["efg"])
    res = spe_solve(game)
    assert (regret(game, res.behaviour) <= 1e-9).all()


def _reached_sets(game: Game, res) -> list[int]:
    """Moves at information sets the equilibrium reaches (elsewhere behaviour is free)."""
    return [m for m, (i, _) in enumerate(game.moves) if res.reach[i] > 1e-12]


UNIQUE = {"matching_pennies.efg", "two_stage_matching_pennies.efg", "myerson1991_fig2_1.efg"}


@pytest.mark.parametrize("case", LCP["cases"], ids=[c["file"] for c in LCP["cases"]])
def test_lcp_equals_pygambit_lcp_solve(case):
    game = loads_efg((DATA / case["file"]).read_text())
    ours = lcp_solve(game)
    theirs = [_gambit_behaviour(game, eq["profile"]) for eq in case["lcp"]]
    values = [[float(Fraction(v)) for v in eq["payoffs"]] for eq in case["lcp"]]
    reached = _reached_sets(game, ours)
    match = [
        k
        for k, b in enumerate(theirs)
        if np.allclose(ours.behaviour[reached], b[reached], atol=1e-9)
    ]
    if case["file"] in UNIQUE or match:
        assert match, "Gambit's lcp_solve found another equilibrium"
        np.testing.assert_allclose(ours.value, values[match[0]], atol=1e-9)
    else:  # several equilibria: Gambit's is one, ours is another; both must be Nash
        from accord.games import regret

        for b in theirs:
            assert (regret(game, b) <= 1e-9).all()
        assert (ours.extra["regret"] <= 1e-9).all()
    if "lp" in case:
        lp = lp_solve(game)
        np.testing.assert_allclose(
            lp.value, [float(Fraction(v)) for v in case["lp"][0]["payoffs"]], atol=1e-9
        )
