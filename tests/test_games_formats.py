"""Game files: .efg/.nfg/YAML round-trips on Gambit's catalog games, and a table of
malformed trees and files with their exact messages (exit code 2, no traceback)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.games import spe_solve
from accord.games.efg import dumps_efg, dumps_nfg, loads_efg, loads_nfg, strategic_form
from accord.games.io import dumps_yaml, read_game, write_game
from accord.games.yamlgame import game_to_data, template_from_data

DATA = Path(__file__).parent / "data" / "games"
EFG = sorted(p.name for p in DATA.glob("*.efg"))
NFG = sorted(p.name for p in DATA.glob("*.nfg"))


@pytest.mark.parametrize("name", EFG)
def test_efg_round_trip(name, tmp_path):
    game = read_game(DATA / name)
    again = loads_efg(dumps_efg(game))
    assert again == game
    # and through accord's YAML
    assert template_from_data(game_to_data(game)).game() == game
    path = write_game(game, tmp_path / "g.yaml")
    assert read_game(path) == game


def test_efg_reader_folds_nonterminal_outcomes():
    """Gambit's incremental outcomes: 2smp pays 'Match' after stage 1 and again at the end."""
    g = read_game(DATA / "two_stage_matching_pennies.efg")
    # H,H then H,H: two matches -> (2, -2)
    assert g.payoff_array[0].tolist() == [2.0, -2.0]
    assert len(g.nodes) == 31 and len(g.infosets) == 10


def test_efg_reads_rationals_and_comments():
    g = read_game(DATA / "myerson1991_fig2_1.efg")
    assert g.players == ("Fred", "Alice")
    assert g.nodes[0].probs == (0.5, 0.5)
    assert g.infosets[(1, "1")] == (2, 7)  # Alice cannot see the card


@pytest.mark.parametrize("name", NFG)
def test_nfg_round_trip(name):
    game = read_game(DATA / name)
    names, table = strategic_form(game)
    again = loads_nfg(dumps_nfg(game))
    names2, table2 = strategic_form(again)
    np.testing.assert_array_equal(table, table2)
    assert len(names) == len(names2) == 2


def test_nfg_payoff_order_player_one_fastest():
    g = read_game(DATA / "coord2.nfg")  # 3 2 0 0 0 0 2 2
    _, table = strategic_form(g)
    assert table[0, 0].tolist() == [3, 2]
    assert table[1, 0].tolist() == [0, 0]
    assert table[1, 1].tolist() == [2, 2]
    g2 = read_game(DATA / "2x2.nfg")  # outcomes 1 2 3 4: (2,0) (0,1) (0,1) (1,0)
    _, t2 = strategic_form(g2)
    assert t2[1, 0].tolist() == [0, 1] and t2[1, 1].tolist() == [1, 0]


def test_strategic_form_of_a_tree_with_chance():
    g = read_game(DATA / "myerson1991_fig2_1.efg")
    names, table = strategic_form(g)
    assert names[0] == ["Raise/Raise", "Raise/Fold", "Fold/Raise", "Fold/Fold"]
    # Raise/Raise against Meet: 1/2 * 2 + 1/2 * -2 = 0
    assert table[0, 0].tolist() == [0.0, 0.0]


def test_yaml_formulas_and_anchors(tmp_path):
    text = """
title: formulas
players: [A, B]
parameters:
  cost: {value: 2, judgement: true}
  p: 0.25
root:
  player: A
  moves:
    go: &lottery
      player: chance
      payoffs: {A: -cost, B: 0}
      probs: {win: p, lose: 1 - p}
      moves:
        win: {payoffs: [10, 'max(1, 3)']}
        lose: {payoffs: [0, 0]}
    stay: {payoffs: [0.5 * cost ** 2, 1]}
"""
    (tmp_path / "g.yaml").write_text(text)
    g = read_game(tmp_path / "g.yaml")
    assert g.payoff_array.tolist() == [[8.0, 3.0], [-2.0, 0.0], [2.0, 1.0]]
    assert spe_solve(g).value.tolist() == [2.0, 1.0]
    assert "stay" in dumps_yaml(g)


def _run(tmp_path: Path, name: str, text: str, *extra: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["game", "solve", str(path), *extra])
    return path, result


CASES = [
    (
        "probs_sum.yaml",
        "players: [A]\nroot:\n  player: chance\n  probs: {x: 0.5, y: 0.4}\n  moves: {x: {payoffs: [1]}, y: {payoffs: [0]}}\n",
        ["root.probs: must sum to 1 (got 0.9)"],
    ),
    (
        "prob_range.yaml",
        "players: [A]\nroot:\n  player: chance\n  probs: {x: 1.2, y: -0.2}\n  moves: {x: {payoffs: [1]}, y: {payoffs: [0]}}\n",
        [
            "root.probs.x: must be a probability in [0, 1] (got 1.2)",
            "root.probs.y: must be a probability in [0, 1] (got -0.2)",
        ],
    ),
    (
        "unknown_player.yaml",
        "players: [A, B]\nroot:\n  player: C\n  moves: {x: {payoffs: [1, 0]}}\n",
        ["root.player: unknown player (players: A, B, chance) (got 'C')"],
    ),
    (
        "payoff_count.yaml",
        "players: [A, B]\nroot:\n  player: A\n  moves: {x: {payoffs: [1]}}\n",
        ["root.moves.x.payoffs: needs one payoff per player (2: A, B) (got [1])"],
    ),
    (
        "infoset_actions.yaml",
        "players: [A, B]\nroot:\n  player: A\n  moves:\n    l: {player: B, infoset: h, moves: {u: {payoffs: [1, 0]}, d: {payoffs: [0, 1]}}}\n    r: {player: B, infoset: h, moves: {up: {payoffs: [1, 0]}, d: {payoffs: [0, 1]}}}\n",
        [
            "root.moves.r.moves: information set 'h' of B has actions ['u', 'd'] at root.moves.l (got ['up', 'd'])"
        ],
    ),
    (
        "unknown_name.yaml",
        "players: [A]\nroot:\n  player: A\n  moves: {x: {payoffs: [gain * 2]}, y: {payoffs: [0]}}\n",
        ["root.moves.x.payoffs[0]: unknown name 'gain' in formula (got 'gain * 2')"],
    ),
    (
        "bad_formula.yaml",
        "players: [A]\nroot:\n  player: A\n  moves: {x: {payoffs: ['__import__(\"os\")']}, y: {payoffs: [0]}}\n",
        [
            "root.moves.x.payoffs[0]: only numbers, names and + - * / ** are allowed (got '__import__(\"os\")')"
        ],
    ),
    (
        "no_payoffs.yaml",
        "players: [A]\nroot:\n  player: A\n  moves: {x: {label: end}, y: {payoffs: [0]}}\n",
        ["root.moves.x.payoffs: missing: a terminal node needs payoffs"],
    ),
    (
        "text_payoff.yaml",
        "players: [A]\nroot:\n  player: A\n  moves: {x: {payoffs: [true]}, y: {payoffs: [0]}}\n",
        ["root.moves.x.payoffs[0]: must be a number or a formula (got True)"],
    ),
    (
        "unknown_field.yaml",
        "players: [A]\nroot:\n  player: A\n  actions: {x: {payoffs: [1]}}\n",
        [
            "root.actions: unknown field (a node has infoset, label, moves, outcome, payoffs, player, probs)"
        ],
    ),
    (
        "absent.yaml",
        "players: [A]\nroot:\n  player: A\n  infoset: h\n  moves: {x: {player: A, infoset: h, moves: {x: {payoffs: [1]}}}}\n",
        [
            "root.moves.x: information set 'h' of A contains this node and its ancestor root (absent-mindedness is not supported)"
        ],
    ),
    (
        "bad_magic.efg",
        'EFX 2 R "t" { "1" }\n',
        ["line 1: not an .efg file: expected 'EFG' (got 'EFX')"],
    ),
    (
        "bad_prob.efg",
        'EFG 2 R "t" { "1" }\nc "" 1 "" { "a" 1/2 "b" 2/3 } 0\nt "" 1 "o" { 1 }\nt "" 2 "o2" { 0 }\n',
        ["line 2 (probs): must sum to 1 (got 1.166666666667)"],
    ),
    (
        "bad_player.efg",
        'EFG 2 R "t" { "1" "2" }\np "" 3 1 "" { "a" } 0\nt "" 1 "o" { 1, 2 }\n',
        ["line 2: player number must be 1..2 (got 3)"],
    ),
    (
        "short_payoffs.efg",
        'EFG 2 R "t" { "1" "2" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 }\nt "" 2 "o" { 1, 2 }\n',
        ["line 3: outcome 1 needs 2 payoffs, found 1"],
    ),
    (
        "truncated.efg",
        'EFG 2 R "t" { "1" "2" }\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1, 2 }\n',
        ["line 3: expected a node ('c', 'p' or 't'), found the end of the file"],
    ),
    (
        "undeclared.efg",
        'EFG 2 R "t" { "1" }\np "" 1 1 0\n',
        ["line 2: information set 1 of player 1 used before it is declared (got 1)"],
    ),
    (
        "word_prob.efg",
        'EFG 2 R "t" { "1" }\nc "" 1 "" { "a" half "b" 1/2 } 0\nt "" 1 "o" { 1 }\nt "" 2 "o2" { 0 }\n',
        ["line 2: expected a probability (got 'half')"],
    ),
    (
        "nfg_count.nfg",
        'NFG 1 R "t" { "1" "2" } { 2 2 }\n\n1 2 3 4 5 6 7\n',
        ["line 3: expected a payoff (8 expected), found the end of the file"],
    ),
    (
        "no_recall.efg",
        'EFG 2 R "t" { "1" "2" }\np "" 1 1 "" { "a" "b" } 0\np "" 1 2 "" { "x" "y" } 0\nt "" 1 "o" { 1, 0 }\nt "" 2 "o2" { 0, 1 }\np "" 1 2 "" { "x" "y" } 0\nt "" 3 "o3" { 0, 0 }\nt "" 4 "o4" { 2, 2 }\n',
        [
            "line 6: no perfect recall: information set '2' of '1' holds nodes with different histories of its own moves ([1:a] at line 3, [1:b] here)"
        ],
    ),
]


@pytest.mark.parametrize(("name", "text", "messages"), CASES, ids=[c[0] for c in CASES])
def test_malformed_games_exact_messages(tmp_path, name, text, messages):
    extra = ("--method", "lcp") if name == "no_recall.efg" else ()
    path, result = _run(tmp_path, name, text, *extra)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [f"error: {path}: {m}" for m in messages]
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_convert_and_refusals(tmp_path):
    src = DATA / "kuhn_poker.efg"
    out = tmp_path / "kuhn.yaml"
    r = CliRunner().invoke(app, ["game", "convert", str(src), str(out)])
    assert r.exit_code == 0, r.output
    assert read_game(out) == read_game(src)
    r = CliRunner().invoke(app, ["game", "convert", str(src), str(tmp_path / "k.txt")])
    assert r.exit_code == 2
    assert (
        r.stderr.strip()
        == f"error: {tmp_path / 'k.txt'}: unknown game format '.txt'; use .efg, .nfg, .yaml, .yml"
    )
    r = CliRunner().invoke(app, ["game", "solve", str(tmp_path / "missing.efg")])
    assert r.exit_code == 2
    assert r.stderr.strip() == f"error: {tmp_path / 'missing.efg'}: no such file"
    r = CliRunner().invoke(app, ["game", "solve", str(src), "--method", "spe"])
    assert r.exit_code == 2
    assert "spe needs perfect information; information set 'J' of Player 1 has 2 nodes" in r.stderr
    r = CliRunner().invoke(
        app, ["game", "solve", str(DATA / "myerson1991_fig4_2.efg"), "--method", "lp"]
    )
    assert r.exit_code == 2 and "lp needs a constant-sum game" in r.stderr
    r = CliRunner().invoke(app, ["game", "solve", "--method", "qre", "--lambda", "-1"])
    assert r.exit_code == 2
    assert r.stderr.strip() == "error: --lambda: must be a number >= 0 or inf (got '-1')"
