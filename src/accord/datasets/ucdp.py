"""UCDP Conflict Termination Dataset v4-2024 (conflict level): how armed conflicts end.

One row of the shipped file is one conflict-year, 1946-2024, of an armed conflict with at
least 25 battle-related deaths in that year. UCDP groups a conflict's consecutive active
years into *episodes* (``c_epid``); an episode ends when a calendar year passes with fewer
than 25 battle deaths, and its ending is coded (``c_outcome``): 1 peace agreement,
2 ceasefire, 3 victory of side A (the government in intrastate conflicts), 4 victory of
side B, 5 low activity (fighting falls below the threshold without any of the above),
6 an actor ceases to exist (Kreutz 2010; UCDP codebook).

:func:`episodes` turns the conflict-years into one tidy row per episode:

* ``start``: the episode's start date (``start_date2`` of its first year: the date its
  fighting reached the 25-death threshold), ``start_precision`` as UCDP codes it;
* ``end``: ``c_ependdate`` of the year that ends it; ``ended`` and ``censored``;
* ``duration_months``: ``(end - start)`` in days / 30.4375, at least one day; an ongoing
  episode (still active in 2024) is right-censored at :data:`OBSERVED_UNTIL`;
* ``outcome``: ``agreement``, ``ceasefire``, ``victory_a``, ``victory_b``,
  ``low_activity``, ``actor_ceased``; ``uncoded`` (see below) or ``ongoing``;
* ``type``, ``incompatibility``, ``intensity`` as in the episode's first year (known at
  its start; ``type`` can change later, e.g. when an intrastate conflict is
  internationalised), ``max_intensity`` over its years, ``region`` (UCDP's five regions;
  several for some interstate conflicts), ``recurrence`` (not the conflict's first
  episode), ``start_year``, ``decade``, ``active_years``.

Two features of this copy, handled explicitly and counted in :data:`COUNTS`:

* 51 episodes' last active year is before 2024 yet is not coded as ending (``c_epterm`` 0,
  end date blank). Their conflict has no later row in the episode, so by UCDP's own rule the
  episode ended in that year; its ending is not coded here. They are kept as ended on
  31 December of their last active year (``end_precision`` 5, year only, as UCDP codes
  year-level end dates) with outcome ``uncoded``.
* Five episode ids go on after a year coded as ending (e.g. North Yemen: 1948, ended, and
  1962-1970 under the same id). A row that follows a year coded as ending starts a new
  episode, ``episode_id`` ``"<c_epid>.2"``.

Cite: Kreutz, J. (2010), How and when armed conflicts end: introducing the UCDP Conflict
Termination dataset, *Journal of Peace Research* 47(2): 243-250; and the UCDP Conflict
Termination Dataset codebook, version 4-2024. Licence: CC BY 4.0 (UCDP). See
``data/README.md``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

__all__ = [
    "CITATION",
    "COUNTS",
    "DAYS_PER_MONTH",
    "INCOMPATIBILITIES",
    "INTENSITIES",
    "LICENCE",
    "OBSERVED_UNTIL",
    "OUTCOMES",
    "PATH",
    "REGIONS",
    "TYPES",
    "conflict_years",
    "episodes",
]

PATH = Path(str(resources.files("accord.datasets") / "data" / "ucdp_ctd_conflict_v4_2024.csv"))
CITATION: Final = (
    "Kreutz, J. (2010). How and when armed conflicts end: Introducing the UCDP Conflict "
    "Termination dataset. Journal of Peace Research 47(2), 243-250; UCDP Conflict Termination "
    "Dataset v4-2024 (conflict level) and its codebook, Uppsala Conflict Data Program"
)
LICENCE: Final = "CC BY 4.0 (Uppsala Conflict Data Program)"
OBSERVED_UNTIL: Final = dt.date(2024, 12, 31)
DAYS_PER_MONTH: Final = 365.25 / 12

TYPES: Final = {1: "extrasystemic", 2: "interstate", 3: "intrastate", 4: "internationalised"}
INCOMPATIBILITIES: Final = {1: "territory", 2: "government", 3: "both"}
INTENSITIES: Final = {1: "minor", 2: "war"}
REGIONS: Final = {1: "Europe", 2: "Middle East", 3: "Asia", 4: "Africa", 5: "Americas"}
OUTCOMES: Final = {
    1: "agreement",
    2: "ceasefire",
    3: "victory_a",
    4: "victory_b",
    5: "low_activity",
    6: "actor_ceased",
}

#: What the dataset's documentation (its README in accord's shared data, from the file as
#: published) says, and what :func:`episodes` derives; tests check both.
COUNTS: Final = {
    "rows": 2752,
    "conflicts": 303,
    "episode_ids": 614,
    "interstate_rows": 147,
    "interstate_conflicts": 52,
    "coded_endings": 507,
    # derived here:
    "episodes": 619,
    "interstate_episodes": 76,
    "uncoded_endings": 51,
    "ongoing": 61,
}


@cache
def conflict_years() -> pd.DataFrame:
    """The shipped conflict-year rows, as published (trimmed to the fields accord uses)."""
    return pd.read_csv(PATH, dtype={"region": str, "c_ependdate": str}, keep_default_na=True)


def _regions(code: str) -> str:
    return ", ".join(REGIONS[int(c)] for c in str(code).split(","))


@cache
def episodes() -> pd.DataFrame:
    """One row per conflict episode (619), in conflict and start order; see the module doc."""
    cy = conflict_years().sort_values(["c_epid", "year"], kind="stable").reset_index(drop=True)
    ended_before = cy.groupby("c_epid")["c_epterm"].transform(
        lambda s: (s.fillna(0) == 1).shift(fill_value=False).cumsum()
    )
    cy["episode_id"] = cy["c_epid"].astype(str)
    split = ended_before > 0
    cy.loc[split, "episode_id"] = cy.loc[split, "c_epid"].astype(str) + ".2"
    rows = []
    for key, g in cy.groupby("episode_id", sort=False):
        eid = str(key)
        first, last = g.iloc[0], g.iloc[-1]
        start = pd.Timestamp(first["start_date2"])
        coded = last["c_epterm"] == 1
        ongoing = int(last["year"]) == OBSERVED_UNTIL.year and not coded
        end: pd.Timestamp | None
        if coded:
            end = pd.Timestamp(str(last["c_ependdate"]).strip())
            end_prec = float(last["c_ependprec"])
            outcome = OUTCOMES[int(last["c_outcome"])]
        elif ongoing:
            end, end_prec, outcome = None, np.nan, "ongoing"
        else:
            end, end_prec, outcome = pd.Timestamp(int(last["year"]), 12, 31), 5.0, "uncoded"
        stop = pd.Timestamp(OBSERVED_UNTIL) if end is None else end
        days = max((stop - start).days, 1)
        rows.append(
            {
                "episode_id": eid,
                "conflict_id": int(first["conflict_id"]),
                "episode_number": int(first["c_epno"]),
                "location": first["location"],
                "side_a": first["side_a"],
                "side_b": last["side_b"],
                "start": start,
                "start_precision": int(first["start_prec2"]),
                "end": pd.NaT if end is None else end,
                "end_precision": end_prec,
                "ended": not ongoing,
                "censored": ongoing,
                "duration_months": days / DAYS_PER_MONTH,
                "outcome": outcome,
                "outcome_code": int(last["c_outcome"]) if coded else 0,
                "type": TYPES[int(first["type_of_conflict"])],
                "incompatibility": INCOMPATIBILITIES[int(first["incompatibility"])],
                "intensity": INTENSITIES[int(first["intensity_level"])],
                "max_intensity": INTENSITIES[int(g["intensity_level"].max())],
                "region": _regions(first["region"]),
                "territory": first["territory_name"] if pd.notna(first["territory_name"]) else "",
                "recurrence": int(first["c_epno"]) > 1 or eid.endswith(".2"),
                "start_year": start.year,
                "decade": start.year // 10 * 10,
                "active_years": len(g),
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["start", "episode_id"], kind="stable").reset_index(drop=True)
