"""Gambit's extensive-form (``.efg``) and strategic-form (``.nfg``) text formats.

Text in, :class:`~accord.games.tree.Game` out, and back (no file access here: see
:mod:`accord.games.io`). The grammar follows Gambit's ``doc/formats.efg.rst`` and
``doc/formats.nfg.rst``: a prologue ``EFG 2 R "title" { "P1" "P2" } ["comment"]`` and
nodes in prefix order, ``c``/``p``/``t`` lines with information-set and outcome numbers
whose descriptions may be omitted after their first appearance. Numbers may be decimals
or rationals (``1/3``); commas between payoffs are accepted (Gambit 16.3+ writes them).

Reading folds Gambit's non-terminal outcomes (incremental payoffs) into the terminal
payoffs below them, the sum Gambit defines; the game is the same, the file written back has
outcomes at terminal nodes only. A null outcome (0) at a terminal node means zero payoffs.
Errors name the line and the token found.

A ``.nfg`` game becomes a tree in which player 1 moves first and each later player moves
in one information set spanning all nodes of its level (the standard embedding); writing a
``.nfg`` enumerates the pure strategies of an extensive game (product of its actions per
information set, expected payoffs over chance), player 1's strategy varying fastest.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from accord.errors import ScenarioError
from accord.games.tree import Game, Node, make_game_from_nodes

__all__ = ["dumps_efg", "dumps_nfg", "loads_efg", "loads_nfg", "strategic_form"]

_TOKEN = re.compile(
    r'"(?P<str>(?:[^"\\]|\\.)*)"|(?P<brace>[{}])|(?P<comma>,)|(?P<word>[^\s{}",]+)', re.S
)


@dataclass(frozen=True)
class _Tok:
    kind: str  # str, brace, word
    text: str
    line: int


def _tokens(text: str, file: str | None) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    line = 1
    while True:
        m = re.compile(r"\s*").match(text, pos)
        assert m is not None
        line += text.count("\n", pos, m.end())
        pos = m.end()
        if pos >= len(text):
            return out
        m = _TOKEN.match(text, pos)
        if m is None:  # an unterminated string
            raise ScenarioError.single(f"line {line}", "unterminated string", file=file)
        if m.group("comma") is None:
            kind = m.lastgroup or "word"
            raw = m.group(kind)
            if kind == "str":
                raw = raw.replace('\\"', '"').replace("\\\\", "\\")
            out.append(_Tok(kind, raw, line))
        line += text.count("\n", pos, m.end())
        pos = m.end()


class _Reader:
    def __init__(self, text: str, file: str | None) -> None:
        self.toks = _tokens(text, file)
        self.i = 0
        self.file = file

    def fail(self, message: str, tok: _Tok | None = None) -> ScenarioError:
        tok = tok or self.peek()
        if tok is None:
            last = self.toks[-1].line if self.toks else 1
            return ScenarioError.single(
                f"line {last}", f"{message}, found the end of the file", file=self.file
            )
        shown = tok.text if tok.kind != "str" else f'"{tok.text}"'
        return ScenarioError.single(f"line {tok.line}", message, shown, file=self.file)

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self, what: str) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.fail(f"expected {what}")
        self.i += 1
        return tok

    def string(self, what: str) -> str:
        tok = self.next(what)
        if tok.kind != "str":
            raise self.fail(f"expected {what} (a quoted string)", tok)
        return tok.text

    def brace(self, which: str) -> None:
        tok = self.next(f"'{which}'")
        if tok.text != which or tok.kind != "brace":
            raise self.fail(f"expected '{which}'", tok)

    def at_close(self) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "brace" and tok.text == "}"

    def integer(self, what: str, lo: int = 0) -> int:
        tok = self.next(what)
        if tok.kind != "word" or not re.fullmatch(r"[+-]?\d+", tok.text) or int(tok.text) < lo:
            raise self.fail(f"expected {what}", tok)
        return int(tok.text)

    def number(self, what: str) -> tuple[float, _Tok]:
        tok = self.next(what)
        if tok.kind != "word":
            raise self.fail(f"expected {what}", tok)
        try:
            value = float(Fraction(tok.text))
        except (ValueError, ZeroDivisionError):
            raise self.fail(f"expected {what}", tok) from None
        return value, tok

    def strings(self, what: str) -> list[str]:
        self.brace("{")
        out: list[str] = []
        while not self.at_close():
            out.append(self.string(what))
        self.brace("}")
        return out

    def numbers(self, what: str) -> list[float]:
        self.brace("{")
        out: list[float] = []
        while not self.at_close():
            out.append(self.number(what)[0])
        self.brace("}")
        return out


# -- .efg ---------------------------------------------------------------------------


def loads_efg(text: str, file: str | None = None) -> Game:
    """Parse ``.efg`` text into a validated Game."""
    r = _Reader(text, file)
    magic = r.next("'EFG'")
    if magic.text != "EFG":
        raise r.fail("not an .efg file: expected 'EFG'", magic)
    version = r.next("the version 2")
    if version.text != "2":
        raise r.fail("unsupported .efg version (only 2 is defined)", version)
    kind = r.next("'R' or 'D'")
    if kind.text not in ("R", "D"):
        raise r.fail("expected 'R' or 'D'", kind)
    title = r.string("the game's title")
    players = r.strings("a player name")
    if not players:
        raise r.fail("a game needs at least one player")
    tok = r.peek()
    if tok is not None and tok.kind == "str":
        r.next("a comment")
    n_pl = len(players)
    outcomes: dict[int, tuple[str, tuple[float, ...]]] = {}
    dec_sets: dict[tuple[int, int], tuple[str, tuple[str, ...]]] = {}
    chance_sets: dict[int, tuple[tuple[str, ...], tuple[float, ...]]] = {}
    nodes: list[Node] = []

    def outcome(line: int) -> tuple[str, tuple[float, ...]]:
        number = r.integer("an outcome number (0 for none)")
        tok = r.peek()
        if number == 0:
            if tok is not None and tok.kind == "str":
                raise r.fail("outcome 0 must not have a name or payoffs", tok)
            return "", (0.0,) * n_pl
        if tok is not None and tok.kind == "str":
            name = r.string("the outcome's name")
            start = r.peek()
            pays = tuple(r.numbers("a payoff"))
            if len(pays) != n_pl:
                raise ScenarioError.single(
                    f"line {start.line if start else line}",
                    f"outcome {number} needs {n_pl} payoffs, found {len(pays)}",
                    file=file,
                )
            if number in outcomes and outcomes[number] != (name, pays):
                raise r.fail(f"outcome {number} redeclared differently", start)
            outcomes[number] = (name, pays)
        elif number not in outcomes:
            raise ScenarioError.single(
                f"line {line}", "outcome used before its payoffs are given", number, file=file
            )
        return outcomes[number]

    def node(acc: tuple[float, ...]) -> int:
        tok = r.next("a node ('c', 'p' or 't')")
        line = tok.line
        where = f"line {line}"
        if tok.kind != "word" or tok.text not in ("c", "p", "t"):
            raise r.fail("expected a node type 'c', 'p' or 't'", tok)
        label = r.string("the node's name")
        i = len(nodes)
        nodes.append(Node("terminal"))
        if tok.text == "t":
            oname, pays = outcome(line)
            total = tuple(a + b for a, b in zip(acc, pays, strict=True))
            nodes[i] = Node("terminal", payoffs=total, label=label, outcome=oname, where=where)
            return i
        if tok.text == "c":
            iset = r.integer("an information set number", 1)
            nxt = r.peek()
            if nxt is not None and nxt.kind == "str":
                r.string("the information set's name")
                r.brace("{")
                acts: list[str] = []
                probs: list[float] = []
                while not r.at_close():
                    acts.append(r.string("an action name"))
                    probs.append(r.number("a probability")[0])
                r.brace("}")
                decl = (tuple(acts), tuple(probs))
                if iset in chance_sets and chance_sets[iset] != decl:
                    raise ScenarioError.single(
                        where, "chance information set redeclared differently", iset, file=file
                    )
                chance_sets[iset] = decl
            elif iset not in chance_sets:
                raise ScenarioError.single(
                    where, "chance information set used before it is declared", iset, file=file
                )
            actions, probs_t = chance_sets[iset]
            pays = outcome(line)[1]
            acc2 = tuple(a + b for a, b in zip(acc, pays, strict=True))
            kids = tuple(node(acc2) for _ in actions)
            nodes[i] = Node(
                "chance", -1, str(iset), actions, kids, probs_t, label=label, where=where
            )
            return i
        player = r.integer("a player number", 1)
        if player > n_pl:
            raise ScenarioError.single(where, f"player number must be 1..{n_pl}", player, file=file)
        iset = r.integer("an information set number", 1)
        key = (player, iset)
        nxt = r.peek()
        if nxt is not None and nxt.kind == "str":
            name = r.string("the information set's name")
            acts_t = tuple(r.strings("an action name"))
            taken = {v[0] for k, v in dec_sets.items() if k[0] == player and k != key}
            if not name or name in taken or name.isdigit() or name.startswith("_"):
                name = str(iset)
            if key in dec_sets and dec_sets[key][1] != acts_t:
                raise ScenarioError.single(
                    where,
                    f"information set {iset} of player {player} redeclared with other actions",
                    list(acts_t),
                    file=file,
                )
            dec_sets.setdefault(key, (name, acts_t))
        elif key not in dec_sets:
            raise ScenarioError.single(
                where,
                f"information set {iset} of player {player} used before it is declared",
                iset,
                file=file,
            )
        actions = dec_sets[key][1]
        pays = outcome(line)[1]
        acc2 = tuple(a + b for a, b in zip(acc, pays, strict=True))
        kids = tuple(node(acc2) for _ in actions)
        nodes[i] = Node(
            "decision", player - 1, dec_sets[key][0], actions, kids, label=label, where=where
        )
        return i

    if r.peek() is None:
        raise r.fail("expected the root node")
    node((0.0,) * n_pl)
    if r.peek() is not None:
        raise r.fail("unexpected text after the last node of the tree")
    try:
        return make_game_from_nodes(players, nodes, title)
    except ScenarioError as exc:
        raise exc.with_file(file) if file else exc from None


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: float) -> str:
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def dumps_efg(game: Game) -> str:
    """The game as ``.efg`` text (one outcome per terminal node)."""
    lines = [f"EFG 2 R {_q(game.title)} {{ {' '.join(_q(p) for p in game.players)} }}", '""', ""]
    numbers: dict[tuple[int, str], int] = {}
    per_player = [0] * len(game.players)
    chance_numbers: dict[tuple[str, tuple[str, ...], tuple[float, ...]], int] = {}
    outcome = 0
    chance_count = 0
    for n in game.nodes:
        if n.kind == "terminal":
            outcome += 1
            pays = ", ".join(_num(x) for x in n.payoffs)
            lines.append(f"t {_q(n.label)} {outcome} {_q(n.outcome)} {{ {pays} }}")
        elif n.kind == "chance":
            key = (n.infoset, n.actions, n.probs)
            if n.infoset and key in chance_numbers:
                lines.append(f"c {_q(n.label)} {chance_numbers[key]} 0")
                continue
            chance_count += 1
            number = chance_count
            if n.infoset:
                chance_numbers[key] = number
            acts = " ".join(f"{_q(a)} {_num(p)}" for a, p in zip(n.actions, n.probs, strict=True))
            lines.append(f'c {_q(n.label)} {number} "" {{ {acts} }} 0')
        else:
            key2 = (n.player, n.infoset)
            if key2 in numbers:
                lines.append(f"p {_q(n.label)} {n.player + 1} {numbers[key2]} 0")
                continue
            per_player[n.player] += 1
            numbers[key2] = per_player[n.player]
            acts = " ".join(_q(a) for a in n.actions)
            name = "" if n.infoset.isdigit() or n.infoset.startswith("_") else n.infoset
            lines.append(
                f"p {_q(n.label)} {n.player + 1} {numbers[key2]} {_q(name)} {{ {acts} }} 0"
            )
    return "\n".join(lines) + "\n"


# -- .nfg ---------------------------------------------------------------------------


def loads_nfg(text: str, file: str | None = None) -> Game:
    """Parse ``.nfg`` text (payoff-list or outcome-list body) into a tree."""
    r = _Reader(text, file)
    magic = r.next("'NFG'")
    if magic.text != "NFG":
        raise r.fail("not an .nfg file: expected 'NFG'", magic)
    version = r.next("the version 1")
    if version.text != "1":
        raise r.fail("unsupported .nfg version (only 1 is defined)", version)
    kind = r.next("'R' or 'D'")
    if kind.text not in ("R", "D"):
        raise r.fail("expected 'R' or 'D'", kind)
    title = r.string("the game's title")
    players = r.strings("a player name")
    if not players:
        raise r.fail("a game needs at least one player")
    r.brace("{")
    strategies: list[list[str]] = []
    tok = r.peek()
    if tok is not None and tok.kind == "brace" and tok.text == "{":
        while not r.at_close():
            strategies.append(r.strings("a strategy name"))
    else:
        while not r.at_close():
            count = r.integer("a number of strategies", 1)
            strategies.append([str(k + 1) for k in range(count)])
    r.brace("}")
    if len(strategies) != len(players):
        raise r.fail(f"{len(players)} players but {len(strategies)} strategy lists")
    tok = r.peek()
    if tok is not None and tok.kind == "str":
        r.next("a comment")
    n_pl = len(players)
    shape = [len(s) for s in strategies]
    cells = int(np.prod(shape))
    table = np.zeros((cells, n_pl))
    tok = r.peek()
    if tok is not None and tok.kind == "brace":  # outcome list, then one outcome per cell
        outs: list[tuple[float, ...]] = [(0.0,) * n_pl]
        r.brace("{")
        while (t := r.peek()) is not None and t.kind == "brace" and t.text == "{":
            r.brace("{")
            r.string("an outcome name")
            start = r.peek()
            pays: list[float] = []
            while not r.at_close():
                pays.append(r.number("a payoff")[0])
            r.brace("}")
            if len(pays) != n_pl:
                raise ScenarioError.single(
                    f"line {start.line if start else 1}",
                    f"an outcome needs {n_pl} payoffs, found {len(pays)}",
                    file=file,
                )
            outs.append(tuple(pays))
        r.brace("}")
        for c in range(cells):
            t2 = r.peek()
            k = r.integer("an outcome number")
            if k >= len(outs):
                raise r.fail(f"outcome number must be 0..{len(outs) - 1}", t2)
            table[c] = outs[k]
    else:
        for c in range(cells):
            for p in range(n_pl):
                table[c, p] = r.number(f"a payoff ({cells * n_pl} expected)")[0]
    if r.peek() is not None:
        raise r.fail("unexpected text after the payoffs")
    return _tree_of_table(players, strategies, table, title, file)


def _tree_of_table(
    players: list[str],
    strategies: list[list[str]],
    table: np.ndarray,
    title: str,
    file: str | None,
) -> Game:
    shape = [len(s) for s in strategies]
    nodes: list[Node] = []

    def build(level: int, prof: tuple[int, ...]) -> int:
        i = len(nodes)
        nodes.append(Node("terminal"))
        if level == len(players):
            # player 1's strategy varies fastest
            idx = 0
            stride = 1
            for p, s in enumerate(prof):
                idx += s * stride
                stride *= shape[p]
            nodes[i] = Node("terminal", payoffs=tuple(float(x) for x in table[idx]))
            return i
        kids = tuple(build(level + 1, (*prof, s)) for s in range(shape[level]))
        nodes[i] = Node("decision", level, "1", tuple(strategies[level]), kids)
        return i

    build(0, ())
    try:
        return make_game_from_nodes(players, nodes, title)
    except ScenarioError as exc:
        raise exc.with_file(file) if file else exc from None


def strategic_form(game: Game) -> tuple[list[list[str]], np.ndarray]:
    """Pure strategies per player (labels ``a/b`` over its information sets in order) and
    the expected payoff table, shape (*strategy counts, players)."""
    n_pl = len(game.players)
    isets: list[list[tuple[int, str]]] = [[] for _ in range(n_pl)]
    for key in game.infosets:
        isets[key[0]].append(key)
    choices = [
        list(itertools.product(*(range(len(game.nodes[game.infosets[k][0]].actions)) for k in s)))
        for s in isets
    ]
    names = [
        [
            "/".join(game.nodes[game.infosets[k][0]].actions[a] for k, a in zip(s, ch, strict=True))
            or "-"
            for ch in choices[p]
        ]
        for p, s in enumerate(isets)
    ]
    shape = [len(c) for c in choices]
    table = np.zeros((*shape, n_pl))
    for prof in itertools.product(*(range(k) for k in shape)):
        pick: dict[tuple[int, str], int] = {}
        for p, s in enumerate(prof):
            for k, a in zip(isets[p], choices[p][s], strict=True):
                pick[k] = a
        table[prof] = _expected(game, pick)
    return names, table


def _expected(game: Game, pick: dict[tuple[int, str], int]) -> np.ndarray:
    out = np.zeros(len(game.players))
    stack: list[tuple[int, float]] = [(0, 1.0)]
    while stack:
        i, w = stack.pop()
        n = game.nodes[i]
        if n.kind == "terminal":
            out += w * np.asarray(n.payoffs)
        elif n.kind == "chance":
            stack.extend((c, w * p) for c, p in zip(n.children, n.probs, strict=True) if p > 0)
        else:
            stack.append((n.children[pick[(n.player, n.infoset)]], w))
    return out


def dumps_nfg(game: Game) -> str:
    """The game's strategic form as ``.nfg`` text (payoff-list body)."""
    names, table = strategic_form(game)
    strat = " ".join("{ " + " ".join(_q(s) for s in row) + " }" for row in names)
    head = f"NFG 1 R {_q(game.title)} {{ {' '.join(_q(p) for p in game.players)} }} {{ {strat} }}"
    n_pl = len(game.players)
    # order="F" over the strategy axes makes player 1's index vary fastest
    flat = np.moveaxis(table, -1, 0).reshape(n_pl, -1, order="F").T
    body = "\n".join(" ".join(_num(x) for x in row) for row in flat)
    return f"{head}\n\n{body}\n"
