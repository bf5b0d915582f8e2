"""UCDP and COW loaders: counts equal the datasets' documentation; tidy episodes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from accord.datasets import cow, ucdp


def test_ucdp_counts_equal_the_documentation() -> None:
    cy = ucdp.conflict_years()
    assert len(cy) == ucdp.COUNTS["rows"] == 2752
    assert cy["conflict_id"].nunique() == ucdp.COUNTS["conflicts"] == 303
    assert cy["c_epid"].nunique() == ucdp.COUNTS["episode_ids"] == 614
    inter = cy[cy["type_of_conflict"] == 2]
    assert len(inter) == ucdp.COUNTS["interstate_rows"] == 147
    assert inter["conflict_id"].nunique() == ucdp.COUNTS["interstate_conflicts"] == 52
    assert (cy["c_epterm"] == 1).sum() == ucdp.COUNTS["coded_endings"] == 507
    assert cy["year"].min() == 1946 and cy["year"].max() == 2024
    # the codebook's outcome codes, as counted in the file
    assert cy["c_outcome"].value_counts().to_dict() == {5: 209, 3: 107, 2: 67, 1: 60, 4: 44, 6: 20}


def test_ucdp_episodes_are_tidy_and_add_up() -> None:
    e = ucdp.episodes()
    assert len(e) == ucdp.COUNTS["episodes"] == 619
    assert e["episode_id"].is_unique
    assert (e["type"] == "interstate").sum() == ucdp.COUNTS["interstate_episodes"] == 76
    assert (e["outcome"] == "uncoded").sum() == ucdp.COUNTS["uncoded_endings"] == 51
    assert e["censored"].sum() == ucdp.COUNTS["ongoing"] == 61
    assert (e["censored"] == (e["outcome"] == "ongoing")).all()
    assert (e["censored"] != e["ended"]).all()
    coded = e[~e["outcome"].isin(["ongoing", "uncoded"])]
    assert len(coded) == 507
    assert (
        coded["outcome_code"] == coded["outcome"].map({v: k for k, v in ucdp.OUTCOMES.items()})
    ).all()
    assert (e["duration_months"] > 0).all()
    ended = e[e["ended"]]
    days = (ended["end"] - ended["start"]).dt.days.clip(lower=1)
    np.testing.assert_allclose(ended["duration_months"], days / (365.25 / 12))
    running = e[e["censored"]]
    assert running["end"].isna().all()
    np.testing.assert_allclose(
        running["duration_months"],
        (pd.Timestamp("2024-12-31") - running["start"]).dt.days.clip(lower=1) / (365.25 / 12),
    )
    assert (e["decade"] == e["start"].dt.year // 10 * 10).all()
    for col, allowed in (
        ("type", ucdp.TYPES),
        ("incompatibility", ucdp.INCOMPATIBILITIES),
        ("intensity", ucdp.INTENSITIES),
    ):
        assert set(e[col]) <= set(allowed.values())


def test_the_russia_ukraine_war_is_an_ongoing_interstate_war() -> None:
    e = ucdp.episodes()
    row = e[e["episode_id"] == "1324301"].iloc[0]
    assert row["start"] == pd.Timestamp("2022-02-24")
    assert row["type"] == "interstate" and row["intensity"] == "war"
    assert row["incompatibility"] == "both" and row["censored"]


def test_cow_counts_equal_the_documentation() -> None:
    d = cow.dyad_years()
    assert len(d) == cow.COUNTS["rows"] == 1932
    w = cow.wars()
    assert len(w) == cow.COUNTS["wars"] == 95
    assert w["start_year"].min() == 1823 and w["end_year"].max() == 2003
    p = cow.participants()
    pairs = pd.concat(
        [
            d[["warnum", "ccode1"]].set_axis(["w", "c"], axis=1),
            d[["warnum", "ccode2"]].set_axis(["w", "c"], axis=1),
        ]
    ).drop_duplicates()
    assert len(p) == len(pairs) == cow.COUNTS["participants"] == 332
    assert w["participants"].sum() == len(p)
    assert ((w["side1"] > 0) & (w["side2"] > 0)).all()
    assert (w["duration_years"] == w["end_year"] - w["start_year"] + 1).all()
    assert not w["censored"].any()
    assert set(w["outcome"]) <= {
        "victory_initiator",
        "victory_target",
        "compromise",
        "stalemate",
        "transformed",
        "below_war",
    }


def test_cow_known_wars() -> None:
    w = cow.wars().set_index("warnum")
    # the Gulf War (COW 211): Iraq initiated against Kuwait, the coalition won, 1990-1991
    gulf = w.loc[211]
    assert (gulf["start_year"], gulf["end_year"], gulf["outcome"]) == (1990, 1991, "victory_target")
    # the Second World War (COW 139): 1939-1945, 25 states, the most battle deaths
    ww2 = w.loc[139]
    assert (ww2["start_year"], ww2["end_year"], ww2["participants"]) == (1939, 1945, 25)
    assert w["battle_deaths"].idxmax() == 139
