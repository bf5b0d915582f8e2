"""Correlates of War inter-state wars, v4.0 (Sarkees & Wayman 2010), 1823-2003.

The shipped file is peacesciencer's form of the COW inter-state war data: ordered state
pairs per war-year (``warnum``, ``ccode1``, ``ccode2``, ``year``), each state's side, whether
it initiated, its outcome (1 winner, 2 loser, 3 compromise/tied, 4 transformed into another
type of war, 5 ongoing, 6 stalemate, 7 continues below war level, 8 changed sides) and
its battle deaths (-9 unknown). Only years are kept in this form: war durations are known
to the calendar year, not the month.

* :func:`participants`: one row per state in a war (332), with its side, initiator flag,
  outcome (the first listed where peacesciencer lists several, as for states that changed
  sides) and battle deaths.
* :func:`wars`: one row per war (95): first and last year, ``duration_years`` (calendar
  years in which it was fought), bounds in months (``months_low`` = 12 × (years − 2),
  at least 0; ``months_high`` = 12 × years), ``censored`` (none: every war in v4.0 ended),
  participants per side, battle deaths (sum of the known ones), ``decade``, and the
  ending: ``victory_initiator`` / ``victory_target`` (the side of the winners is the side
  of the initiators, or not), ``compromise``, ``stalemate``, ``transformed``,
  ``below_war`` (the first of these that any participant has).

Cite: Sarkees, M. R. & Wayman, F. (2010). *Resort to War: A Data Guide to Inter-State,
Extra-State, Intra-State, and Non-State Wars, 1816-2007*. CQ Press; the Correlates of War
Project; and Miller, S. V. (2022), peacesciencer, *Conflict Management and Peace Science*
39(6), for the converted form. COW data are free for academic use with citation.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

__all__ = [
    "CITATION",
    "COUNTS",
    "LICENCE",
    "OUTCOMES",
    "PATH",
    "dyad_years",
    "participants",
    "wars",
]

PATH = Path(str(resources.files("accord.datasets") / "data" / "cow_war_inter_v4.csv"))
CITATION: Final = (
    "Sarkees, M. R. & Wayman, F. (2010). Resort to War: A Data Guide to Inter-State, "
    "Extra-State, Intra-State, and Non-State Wars, 1816-2007. CQ Press; Correlates of War "
    "Project, Inter-State War Data v4.0; converted by the peacesciencer R package (Miller 2022)"
)
LICENCE: Final = "free for academic use with citation (Correlates of War Project)"
OUTCOMES: Final = {
    1: "winner",
    2: "loser",
    3: "compromise",
    4: "transformed",
    5: "ongoing",
    6: "stalemate",
    7: "below_war",
    8: "changed_sides",
}
#: The documentation's counts (rows, wars, years) and those derived here (participants).
COUNTS: Final = {
    "rows": 1932,
    "wars": 95,
    "first_year": 1823,
    "last_year": 2003,
    "participants": 332,
}
_WAR_ENDINGS: Final = ("compromise", "stalemate", "transformed", "below_war")


@cache
def dyad_years() -> pd.DataFrame:
    """The shipped rows as published: ordered state pairs per war-year."""
    return pd.read_csv(PATH)


@cache
def participants() -> pd.DataFrame:
    """One row per state in a war: side, initiator, outcome, battle deaths, years."""
    d = dyad_years()
    cols = ["warnum", "ccode", "side", "initiator", "outcome_code", "battle_deaths", "year"]
    one = d[["warnum", "ccode1", "sidea1", "initiator1", "outcome1", "batdeath1", "year"]]
    two = d[["warnum", "ccode2", "sidea2", "initiator2", "outcome2", "batdeath2", "year"]]
    long = pd.concat([one.set_axis(cols, axis=1), two.set_axis(cols, axis=1)], ignore_index=True)
    g = long.sort_values(["warnum", "ccode", "year"], kind="stable").groupby(["warnum", "ccode"])
    out = g.agg(
        side=("side", "first"),
        initiator=("initiator", "max"),
        outcome_code=("outcome_code", "first"),
        outcomes=("outcome_code", lambda s: len(set(s.dropna()))),
        battle_deaths=("battle_deaths", "first"),
        first_year=("year", "min"),
        last_year=("year", "max"),
    ).reset_index()
    out["initiator"] = out["initiator"].astype(bool)
    out["outcome_code"] = out["outcome_code"].astype(int)
    out["outcome"] = out["outcome_code"].map(OUTCOMES)
    out["battle_deaths"] = out["battle_deaths"].where(out["battle_deaths"] >= 0)
    return out


def _ending(p: pd.DataFrame) -> str:
    won = p.loc[p["outcome"] == "winner", "side"]
    if len(won):
        initiators = set(p.loc[p["initiator"], "side"])
        return "victory_initiator" if won.iloc[0] in initiators else "victory_target"
    present = set(p["outcome"])
    return next((e for e in _WAR_ENDINGS if e in present), "other")


@cache
def wars() -> pd.DataFrame:
    """One row per inter-state war (95), in war-number order."""
    p = participants()
    rows = []
    for _, g in p.groupby("warnum"):
        first, last = int(g["first_year"].min()), int(g["last_year"].max())
        years = last - first + 1
        deaths = g["battle_deaths"]
        rows.append(
            {
                "warnum": int(g["warnum"].iloc[0]),
                "start_year": first,
                "end_year": last,
                "duration_years": years,
                "months_low": 12 * max(years - 2, 0),
                "months_high": 12 * years,
                "censored": False,
                "participants": len(g),
                "side1": int((g["side"] == 1).sum()),
                "side2": int((g["side"] == 2).sum()),
                "battle_deaths": float(deaths.sum()) if deaths.notna().any() else np.nan,
                "outcome": _ending(g),
                "decade": first // 10 * 10,
            }
        )
    return pd.DataFrame(rows)
