"""PRIM scenario discovery: a planted box is found; the trajectory matches EMA Workbench's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from accord.analysis.prim import peel, prim
from accord.errors import ModelError

DATA = Path(__file__).parent / "data"


def planted(n: int = 4000, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 5)), columns=list("abcde"))
    box = ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()
    y = np.where(box, rng.random(n) < 0.95, rng.random(n) < 0.03)
    return x, y, box


def test_prim_finds_a_planted_box() -> None:
    x, y, box = planted()
    res = prim(x, y, threshold=0.9)
    b = res.boxes[0]
    assert set(b.restricted) == {"a", "b"}
    assert b.lower["a"] == pytest.approx(0.6, abs=0.04) and b.upper["b"] == pytest.approx(
        0.3, abs=0.04
    )
    true_cov = y[box].sum() / y.sum()
    assert b.coverage == pytest.approx(true_cov, abs=0.08)
    assert b.density >= 0.9 and b.density == pytest.approx(y[box].mean(), abs=0.05)
    traj = res.trajectories[0]
    assert traj["coverage"].iloc[0] == 1 and traj["mass"].iloc[0] == 1
    assert (np.diff(traj["mass"]) < 0).all()  # every step peels something


def test_prim_refuses_an_event_that_never_happens() -> None:
    x, _, _ = planted(100)
    with pytest.raises(ModelError, match="never happens"):
        prim(x, np.zeros(100, dtype=bool))


def test_trajectory_matches_ema_workbench() -> None:
    """EMA Workbench 3.x prim.Prim(..., obj_function=ORIGINAL, peel_alpha=0.05,
    mass_min=0.05) on the same data (scripts/crosscheck_prim_ema.py)."""
    ref = json.loads((DATA / "ema_prim.json").read_text())
    x, y, _ = planted(ref["n"], ref["seed"])
    traj, _ = peel(x, y, alpha=ref["peel_alpha"], mass_min=ref["mass_min"])
    ema = pd.DataFrame(ref["trajectory"])
    # EMA pastes after peeling: its trajectory is accord's peeling steps, then pasting steps
    k = len(traj)
    assert 40 < k <= len(ema) and ema["mass"][k] > ema["mass"][k - 1]
    # the quantile rules differ a little (EMA's sdtoolkit quantile vs numpy's linear one)
    np.testing.assert_allclose(traj["coverage"], ema["coverage"][:k], atol=0.005)
    np.testing.assert_allclose(traj["density"], ema["density"][:k], atol=0.005)
    np.testing.assert_allclose(traj["mass"], ema["mass"][:k], atol=0.001)
    np.testing.assert_array_equal(traj["restricted"], ema["restricted"][:k])
