"""Escalation games: extensive-form trees with chance and information sets, and their solvers.

* :mod:`~accord.games.tree` -- the :class:`Game` model and its checks;
  :mod:`~accord.games.efg` and :mod:`~accord.games.yamlgame` -- Gambit ``.efg``/``.nfg``
  and accord's YAML (formulas over named numbers); :mod:`~accord.games.io` -- files.
* :func:`spe_solve` (backward induction with chance, ties, all pure SPE),
  :func:`qre_solve` / :func:`qre_limit` (agent logit QRE, exact recursion, batched over λ and
  payoff draws), :func:`lcp_solve` (2-player sequence-form LCP, Lemke), :func:`lp_solve`
  (2-player zero-sum LP); :func:`regret` checks any behaviour profile.
* :mod:`~accord.games.scenario` -- a scenario's ``game:`` section over its war numbers;
  :mod:`~accord.games.escalation` -- the flagship escalation step for the settlement engine;
  :mod:`~accord.games.gambit` -- the optional pygambit adapter.
"""

from accord.games.nash import is_constant_sum, lcp_solve, lp_solve
from accord.games.perfect import qre_limit, qre_solve, spe_solve
from accord.games.result import GameResult, reach_probabilities
from accord.games.seqform import best_response, regret, sequence_form
from accord.games.tree import CHANCE, Game, Node, chance, decision, make_game, terminal

__all__ = [
    "CHANCE",
    "Game",
    "GameResult",
    "Node",
    "best_response",
    "chance",
    "decision",
    "is_constant_sum",
    "lcp_solve",
    "lp_solve",
    "make_game",
    "qre_limit",
    "qre_solve",
    "reach_probabilities",
    "regret",
    "sequence_form",
    "spe_solve",
    "terminal",
]
