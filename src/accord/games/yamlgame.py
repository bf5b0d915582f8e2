"""accord's YAML game format: a nested tree whose numbers may be formulas of named numbers.

A game is a mapping (standalone file, or a scenario's ``game:`` section)::

    title: Entry deterrence
    players: [Entrant, Incumbent]
    parameters:                      # optional named numbers (bare or Sourced mappings)
      fight_cost: {value: 2, judgement: true, note: ...}
    root:
      player: Entrant                # a decision node
      moves:
        out: {payoffs: [0, 4]}       # a terminal node: one payoff per player (list or mapping)
        in:
          player: Incumbent
          infoset: inc               # optional; nodes sharing a name form one information set
          moves:
            fight: {payoffs: {Entrant: -1, Incumbent: 1 - fight_cost}}
            accommodate: {payoffs: [1, 2]}

A chance node is ``{player: chance, probs: {action: p, ...}, moves: {action: node, ...}}``.
Any node may carry ``payoffs`` (Gambit's incremental outcomes: a terminal payoff is the sum
of those on its path), so a repeated subtree can be written once with a YAML anchor
(``&name``) and reused (``*name``); an alias copies the subtree's ``infoset`` names too,
so name sets only where the copies are meant to be indistinguishable. Numbers are numbers
or formulas (``+ - * / **``, parentheses, ``min``/``max``) over the parameters and, in a
scenario, the scenario's war numbers by field path (``war.brinkmanship.partners.CHN.curtail``);
a parameter may itself be a formula over the war numbers and the parameters before it
(a derived number: its provenance is that of its inputs). Formulas are evaluated
with NumPy, so arrays of draws give a batch of payoffs and probabilities in one pass
(:meth:`GameTemplate.arrays`). Errors name the field path (``game.root.moves.in.probs``).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import Problem, ScenarioError
from accord.games.tree import CHANCE, PROB_TOL, Game, Node, make_game_from_nodes, sub

__all__ = ["Expr", "GameTemplate", "game_to_data", "template_from_data"]

Expr = float | str
Env = Mapping[str, Any]
_KEYS = {"player", "infoset", "label", "outcome", "payoffs", "probs", "moves"}
_MAX_PROBLEMS = 20
_FUNCS: dict[str, Any] = {"min": np.minimum, "max": np.maximum}


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _check_expr(text: str, names: frozenset[str], where: str) -> list[Problem]:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return [Problem(where, "not a number or a formula", text)]
    out: list[Problem] = []
    for node_ in ast.walk(tree):
        if isinstance(node_, ast.Name | ast.Attribute):
            name = _dotted(node_)
            if isinstance(node_, ast.Attribute) and name is None:
                out.append(Problem(where, "only numbers, names and + - * / ** are allowed", text))
            continue
        ok = isinstance(
            node_,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Constant
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.Pow
            | ast.USub
            | ast.UAdd
            | ast.Load
            | ast.Call,
        )
        if isinstance(node_, ast.Constant) and not isinstance(node_.value, int | float):
            ok = False
        if isinstance(node_, ast.Call) and not (
            isinstance(node_.func, ast.Name) and node_.func.id in _FUNCS and not node_.keywords
        ):
            ok = False
        if not ok:
            out.append(Problem(where, "only numbers, names and + - * / ** are allowed", text))
            return out
    for node_ in ast.walk(tree):
        if isinstance(node_, ast.Call):
            continue
        if isinstance(node_, ast.Name | ast.Attribute):
            name = _dotted(node_)
            parent_is_attr = False
            if name is not None and name not in names and name not in _FUNCS:
                # report only the longest dotted name, not its prefixes
                parent_is_attr = any(
                    isinstance(p, ast.Attribute) and p.value is node_ for p in ast.walk(tree)
                )
                if not parent_is_attr:
                    out.append(Problem(where, f"unknown name {name!r} in formula", text))
    return out


def _evaluate(text: str, env: Env) -> Any:
    tree = ast.parse(text, mode="eval")

    def ev(n: ast.expr) -> Any:
        if isinstance(n, ast.Constant):
            return float(n.value)  # type: ignore[arg-type]
        if isinstance(n, ast.Name | ast.Attribute):
            return env[_dotted(n) or ""]
        if isinstance(n, ast.UnaryOp):
            v = ev(n.operand)
            return -v if isinstance(n.op, ast.USub) else v
        if isinstance(n, ast.BinOp):
            a, b = ev(n.left), ev(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            if isinstance(n.op, ast.Mult):
                return a * b
            if isinstance(n.op, ast.Div):
                return np.divide(a, b)
            return np.power(a, b)
        assert isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        return _FUNCS[n.func.id](*(ev(x) for x in n.args))

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return ev(tree.body)


def _value(expr: Expr, env: Env) -> Any:
    return float(expr) if not isinstance(expr, str) else _evaluate(expr, env)


@dataclass(frozen=True)
class GameTemplate:
    """A parsed YAML game: the tree, and the formulas of its payoffs and probabilities.

    ``payoff_terms[t][p]`` are the (incremental) terms summed into terminal ``t``'s payoff
    of player ``p``; ``prob_exprs[c]`` is chance move ``c`` (Game.chance_moves order);
    ``parameters`` are the file's named numbers (value and whether they carry a source or a
    judgement mark), ``numbers`` the outside numbers (a scenario's war section) at their
    values; ``where`` locates each terminal and chance move for messages.
    """

    skeleton: Game
    payoff_terms: tuple[tuple[tuple[Expr, ...], ...], ...]
    prob_exprs: tuple[Expr, ...]
    payoff_where: tuple[str, ...]
    prob_where: tuple[str, ...]
    parameters: Mapping[str, tuple[Expr, bool]]
    numbers: Mapping[str, float] = field(default_factory=dict)

    def env(self, numbers: Env | None = None) -> dict[str, Any]:
        """Names -> values: the outside numbers, then the parameters in file order (a
        formula parameter sees the values before it), ``numbers`` overriding either."""
        given = dict(numbers or {})
        out: dict[str, Any] = dict(self.numbers)
        out.update({k: v for k, v in given.items() if k not in self.parameters})
        for k, (v, _) in self.parameters.items():
            out[k] = given[k] if k in given else _value(v, out)
        return out

    def arrays(self, numbers: Env | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Payoffs (..., terminals, players) and chance probabilities (..., chance moves).

        ``numbers`` maps names to scalars or arrays of draws (broadcast together); the
        leading axes of the results are the broadcast shape. Probabilities are checked
        (each in [0, 1], each chance node's summing to 1), naming the first bad draw.
        """
        env = self.env(numbers)
        vals = [
            [sum((_value(e, env) for e in terms), 0.0) for terms in t] for t in self.payoff_terms
        ]
        probs = [_value(e, env) for e in self.prob_exprs]
        flat = [np.asarray(x, dtype=float) for row in vals for x in row] + [
            np.asarray(p, dtype=float) for p in probs
        ]
        shape = np.broadcast_shapes(*(x.shape for x in flat)) if flat else ()
        n_t, n_p = len(self.payoff_terms), len(self.skeleton.players)
        pay = np.empty((*shape, n_t, n_p))
        for t, row in enumerate(vals):
            for p, x in enumerate(row):
                pay[..., t, p] = x
        pr = np.empty((*shape, len(probs)))
        for c, x in enumerate(probs):
            pr[..., c] = x
        self._check(pay, pr)
        return pay, pr

    def _check(self, pay: NDArray[np.float64], pr: NDArray[np.float64]) -> None:
        problems: list[Problem] = []
        if not np.isfinite(pay).all():
            t = int(
                np.argwhere(~np.isfinite(pay).reshape(-1, *pay.shape[-2:]).any(axis=(0, 2)))[0, 0]
            )
            problems.append(Problem(self.payoff_where[t], "payoff is not a finite number"))
        flat = pr.reshape(-1, pr.shape[-1]) if pr.size else pr.reshape(0, 0)
        for c in range(pr.shape[-1]):
            col = flat[:, c]
            bad = ~(np.isfinite(col) & (col >= 0) & (col <= 1))
            if bad.any():
                problems.append(
                    Problem(
                        self.prob_where[c], "must be a probability in [0, 1]", float(col[bad][0])
                    )
                )
        if not problems:
            start = 0
            for i, n in enumerate(self.skeleton.nodes):
                if n.kind != "chance":
                    continue
                k = len(n.actions)
                total = flat[:, start : start + k].sum(axis=1)
                off = np.abs(total - 1) > PROB_TOL
                if off.any():
                    where = sub(self.skeleton.nodes[i].where, "probs")
                    problems.append(
                        Problem(where, "must sum to 1", round(float(total[off][0]), 12))
                    )
                start += k
        if problems:
            raise ScenarioError(problems)

    def game(self, numbers: Env | None = None) -> Game:
        """The game at scalar values of the numbers."""
        pay, pr = self.arrays(numbers)
        if pay.ndim != 2:
            raise ScenarioError.single("", "numbers must be scalars to build one game", pay.shape)
        return self.skeleton.with_values(pay, pr)


def _problem(where: str, message: str, value: Any = ...) -> ScenarioError:
    return ScenarioError(
        [Problem(where, message) if value is ... else Problem(where, message, value)]
    )


def _parameters(
    data: Any, where: str, names: frozenset[str]
) -> tuple[dict[str, tuple[Expr, bool]], list[Problem]]:
    out: dict[str, tuple[Expr, bool]] = {}
    problems: list[Problem] = []
    if data is None:
        return out, problems
    if not isinstance(data, Mapping):
        return out, [Problem(where, "must be a mapping of names to numbers", data)]
    for name, v in data.items():
        at = f"{where}.{name}"
        if not isinstance(name, str) or not name.isidentifier():
            problems.append(Problem(at, "a parameter name must be an identifier", name))
            continue
        if isinstance(v, Mapping):
            extra = set(v) - {"value", "source", "judgement", "note"}
            if extra:
                problems.append(Problem(f"{at}.{sorted(extra)[0]}", "unknown field"))
                continue
            prov = bool(v.get("source")) or bool(v.get("judgement"))
            v = v.get("value")
        else:
            prov = False
        if isinstance(v, str):  # a derived number: a formula over what is known so far
            found = _check_expr(v, names | frozenset(out), f"{at}.value")
            problems.extend(found)
            if not found:
                out[name] = (v, True)
            continue
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            problems.append(Problem(at, "must be a finite number or a formula", v))
            continue
        out[name] = (float(v), prov)
    return out, problems


def template_from_data(
    data: Any, *, where: str = "", names: frozenset[str] = frozenset(), file: str | None = None
) -> GameTemplate:
    """Parse a game mapping; ``names`` are the outside numbers formulas may use."""

    def at(*parts: str) -> str:
        return ".".join(p for p in (where, *parts) if p)

    try:
        return _template(data, at, names)
    except ScenarioError as exc:
        raise exc.with_file(file) if file else exc from None


def _template(data: Any, at: Any, names: frozenset[str]) -> GameTemplate:
    if not isinstance(data, Mapping):
        raise _problem(at(), "a game must be a mapping with players and root", data)
    extra = set(data) - {"title", "players", "parameters", "root", "note"}
    if extra:
        raise _problem(at(sorted(extra)[0]), "unknown field")
    players = data.get("players")
    if not isinstance(players, list) or not players or not all(isinstance(p, str) for p in players):
        raise _problem(at("players"), "must be a list of player names", players)
    if "root" not in data:
        raise _problem(at("root"), "missing: the root node")
    params, problems = _parameters(data.get("parameters"), at("parameters"), names)
    known = names | frozenset(params)
    index = {p: i for i, p in enumerate(players)}
    nodes: list[Node] = []
    payoff_terms: list[tuple[tuple[Expr, ...], ...]] = []
    payoff_where: list[str] = []
    prob_exprs: list[Expr] = []
    prob_where: list[str] = []
    auto = [0] * len(players)

    def expr(v: Any, where: str) -> Expr:
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            problems.append(Problem(where, "must be a number or a formula", v))
            return 0.0
        if isinstance(v, str):
            found = _check_expr(v, known, where)
            problems.extend(found)
            return 0.0 if found else v
        if not math.isfinite(v):
            problems.append(Problem(where, "must be a finite number", v))
            return 0.0
        return float(v)

    def payoffs(v: Any, where: str) -> list[Expr]:
        if isinstance(v, list):
            if len(v) != len(players):
                problems.append(
                    Problem(
                        where,
                        f"needs one payoff per player ({len(players)}: {', '.join(players)})",
                        v,
                    )
                )
                return [0.0] * len(players)
            return [expr(x, f"{where}[{k}]") for k, x in enumerate(v)]
        if isinstance(v, Mapping):
            for k in v:
                if k not in index:
                    problems.append(Problem(f"{where}.{k}", "unknown player", k))
            missing = [p for p in players if p not in v]
            if missing:
                problems.append(Problem(where, f"missing payoffs for {', '.join(missing)}"))
            return [expr(v[p], f"{where}.{p}") if p in v else 0.0 for p in players]
        problems.append(Problem(where, "must be a list or a mapping of payoffs", v))
        return [0.0] * len(players)

    def visit(spec: Any, where: str, acc: list[list[Expr]], depth: int) -> None:
        i = len(nodes)
        nodes.append(Node("terminal"))
        if depth > 500:
            raise _problem(where, "the tree is deeper than 500 levels (a recursive alias?)")
        if not isinstance(spec, Mapping):
            problems.append(Problem(where, "a node must be a mapping", spec))
            return
        unknown = [k for k in spec if k not in _KEYS]
        if unknown:
            problems.extend(
                Problem(f"{where}.{k}", f"unknown field (a node has {', '.join(sorted(_KEYS))})")
                for k in unknown
            )
            return
        label = str(spec.get("label", ""))
        here = [list(a) for a in acc]
        if "payoffs" in spec:
            for p, e in enumerate(payoffs(spec["payoffs"], f"{where}.payoffs")):
                here[p].append(e)
        moves = spec.get("moves")
        if moves is None:
            if "player" in spec or "probs" in spec:
                problems.append(Problem(f"{where}.moves", "a decision or chance node needs moves"))
            if "payoffs" not in spec:
                problems.append(
                    Problem(f"{where}.payoffs", "missing: a terminal node needs payoffs")
                )
            payoff_terms.append(tuple(tuple(a) for a in here))
            payoff_where.append(f"{where}.payoffs")
            nodes[i] = Node(
                "terminal",
                payoffs=(0.0,) * len(players),
                label=label,
                outcome=str(spec.get("outcome", "")),
                where=where,
            )
            return
        if not isinstance(moves, Mapping) or not moves:
            problems.append(
                Problem(f"{where}.moves", "must be a non-empty mapping of action: node", moves)
            )
            return
        actions = tuple(str(a) for a in moves)
        player = spec.get("player")
        kids: list[int] = []
        if player == CHANCE:
            probs = spec.get("probs")
            if not isinstance(probs, Mapping):
                problems.append(
                    Problem(f"{where}.probs", "a chance node needs probs: {action: p}", probs)
                )
                probs = {}
            for a in probs:
                if str(a) not in actions:
                    problems.append(Problem(f"{where}.probs.{a}", "not one of the node's moves", a))
            for a in actions:
                if a not in probs:
                    problems.append(Problem(f"{where}.probs.{a}", "missing: a probability"))
                prob_exprs.append(expr(probs.get(a, 0.0), f"{where}.probs.{a}"))
                prob_where.append(f"{where}.probs.{a}")
            for a, child in moves.items():
                kids.append(len(nodes))
                visit(child, f"{where}.moves.{a}", here, depth + 1)
            nodes[i] = Node(
                "chance",
                -1,
                str(spec.get("infoset", "") or ""),
                actions,
                tuple(kids),
                (0.5,) * 0 + tuple(1.0 / len(actions) for _ in actions),
                label=label,
                where=where,
            )
            return
        if "probs" in spec:
            problems.append(Problem(f"{where}.probs", "only chance nodes have probabilities"))
        if player not in index:
            problems.append(
                Problem(
                    f"{where}.player",
                    f"unknown player (players: {', '.join(players)}, chance)",
                    player,
                )
            )
            p = 0
        else:
            p = index[player]
        name = spec.get("infoset")
        if name is None:
            auto[p] += 1
            name = f"_{auto[p]}"
        for a, child in moves.items():
            kids.append(len(nodes))
            visit(child, f"{where}.moves.{a}", here, depth + 1)
        nodes[i] = Node("decision", p, str(name), actions, tuple(kids), label=label, where=where)

    visit(data["root"], at("root"), [[] for _ in players], 0)
    if len(problems) > _MAX_PROBLEMS:
        more = len(problems) - _MAX_PROBLEMS
        problems[_MAX_PROBLEMS:] = [Problem(at(), f"... and {more} more problems")]
    if problems:
        raise ScenarioError(problems)
    skeleton = make_game_from_nodes(players, nodes, str(data.get("title", "")))
    return GameTemplate(
        skeleton,
        tuple(payoff_terms),
        tuple(prob_exprs),
        tuple(payoff_where),
        tuple(prob_where),
        params,
    )


def _plain(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else float(x)


def game_to_data(game: Game) -> dict[str, Any]:
    """A game as YAML-ready data (numbers, no formulas)."""

    def node(i: int) -> dict[str, Any]:
        n = game.nodes[i]
        out: dict[str, Any] = {}
        if n.label:
            out["label"] = n.label
        if n.kind == "terminal":
            if n.outcome:
                out["outcome"] = n.outcome
            out["payoffs"] = [_plain(x) for x in n.payoffs]
            return out
        if n.kind == "chance":
            out["player"] = CHANCE
            if n.infoset:
                out["infoset"] = n.infoset
            out["probs"] = {a: _plain(p) for a, p in zip(n.actions, n.probs, strict=True)}
        else:
            out["player"] = game.players[n.player]
            if not n.infoset.startswith("_"):
                out["infoset"] = n.infoset
        out["moves"] = {a: node(c) for a, c in zip(n.actions, n.children, strict=True)}
        return out

    data: dict[str, Any] = {}
    if game.title:
        data["title"] = game.title
    data["players"] = list(game.players)
    data["root"] = node(0)
    return data
