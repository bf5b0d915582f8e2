"""The ensemble explorer (accord.analysis.explore) and the Ensemble tab's callbacks
(accord.app.ensemble), against pandas over the Parquet parts read by pyarrow (not DuckDB)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from accord.analysis import explore as ex
from accord.analysis.sensitivity import event_of_store, event_probability
from accord.analysis.store import Store, StoreError
from accord.analysis.sweep import Design, sweep
from accord.analysis.targets import available_targets, per_draw, register_target
from accord.app import ensemble as en
from accord.errors import ModelError
from accord.scenario.schema import Scenario
from sweep_helpers import minimal_uncertain

POS = "actors[UKR].positions.T.position"
CAP = "actors[RUS].capability"


def _gappy(sc: Scenario, rng: np.random.Generator) -> dict[str, float]:
    """flat = 1; y = UKR's position; gap = y, or NaN where y > 93 (draws the model cannot compute)."""
    y = float(sc.actor("UKR").positions["T"].position)
    return {"flat": 1.0, "y": y, "gap": y if y <= 93 else math.nan}


if "test.gappy" not in available_targets():
    register_target("test.gappy", "a position, and the same with holes", per_draw(_gappy))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    out = tmp_path_factory.mktemp("explore") / "s"
    sc = minimal_uncertain()
    return sweep(sc, [("test.gappy", {})], Design("mc", 400, 11), out, executor="sequential").store


@pytest.fixture(scope="module")
def frame(store: Store) -> pd.DataFrame:
    """Every row, read with pyarrow and pandas only (the oracle)."""
    df: pd.DataFrame = pq.read_table(store.parts_dir).to_pandas()
    return df.sort_values("draw").reset_index(drop=True)


def _out(store: Store, name: str) -> str:
    assert name in store.outputs, store.outputs
    return name


def test_find_stores_one_folder_and_bad_paths(store: Store, tmp_path: Path) -> None:
    assert ex.find_stores([store.path]) == [store.path]
    assert ex.find_stores([store.path.parent, store.path]) == [store.path]  # no duplicates
    second = tmp_path / "more" / "deep" / "b"
    sweep(
        minimal_uncertain(), [("test.gappy", {})], Design("mc", 5, 1), second, executor="sequential"
    )
    both = ex.find_stores([store.path, tmp_path / "more"])  # a folder is searched at any depth
    assert both == [store.path, second]
    assert [o["value"] for o in en.store_options(both)] == ["0", "1"]
    assert en.manifest_rows(both, "1")[1] == ("scenario", "t")
    assert dict(en.manifest_rows(both, "1"))["draws"] == "5"
    with pytest.raises(StoreError, match="no such directory"):
        ex.find_stores([tmp_path / "nowhere"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(StoreError, match="holds no sweep results store"):
        ex.find_stores([tmp_path / "empty"])


def test_summary_is_the_manifest(store: Store) -> None:
    s = ex.summary(store)
    m = store.manifest
    assert (s["scenario"], s["draws"], s["seed"], s["design"]) == ("t", 400, 11, "mc")
    assert s["sha256"] == m["scenario"]["sha256"]
    assert s["numbers"] == 2 and s["targets"] == "test.gappy"
    assert ex.columns(store) == [*store.outputs, POS, CAP]


def test_view_values_equal_pandas(store: Store, frame: pd.DataFrame) -> None:
    y, gap = _out(store, "y"), _out(store, "gap")
    lo, hi = 88.0, 96.5
    v = ex.view_values(store, y, [ex.Range(CAP, None, 85.0), ex.Range(y, lo, hi)])
    keep = (frame[CAP] <= 85.0) & (frame[y] >= lo) & (frame[y] <= hi)
    np.testing.assert_array_equal(v.all, frame[y].to_numpy())
    np.testing.assert_array_equal(v.filtered, frame.loc[keep, y].to_numpy())
    assert (v.n_all, v.n_filtered) == (400, int(keep.sum()))
    assert 0 < v.n_filtered < 400
    # NaN never passes a range, and only finite values are kept for the histogram
    g = ex.view_values(store, gap, [ex.Range(gap, -1e9, None)])
    finite = frame[gap].notna()
    assert 0 < int((~finite).sum()) < 400
    assert g.n_filtered == int(finite.sum()) == g.filtered.size == g.all.size
    lo_hi = ex.column_range(store, gap)
    assert lo_hi == (frame[gap].min(), frame[gap].max())
    assert ex.column_ranges(store, [y, gap])[gap] == lo_hi


def test_event_in_view_equals_counts_and_the_cli_where(store: Store, frame: pd.DataFrame) -> None:
    y, gap = _out(store, "y"), _out(store, "gap")
    ev = ex.Event(y, ">", 92.0)
    every, view = ex.event_in_view(store, ev, [ex.Range(CAP, 80.0, None)])
    k = int((frame[y] > 92.0).sum())
    inside = frame[CAP] >= 80.0
    kf = int(((frame[y] > 92.0) & inside).sum())
    assert (every.hits, every.n) == (k, 400)
    assert view is not None and (view.hits, view.n) == (kf, int(inside.sum()))
    ref = event_probability(kf, int(inside.sum()))
    assert (view.p, view.low, view.high) == (ref.p, ref.low, ref.high)
    cli = event_of_store(store, f'"{y}" > 92')  # the raw-SQL path of accord discover
    assert (cli.hits, cli.low, cli.high) == (every.hits, every.low, every.high)
    # DuckDB orders NaN above every number: the explorer's event never counts a NaN
    nan_ev, _ = ex.event_in_view(store, ex.Event(gap, ">", -1e9))
    assert nan_ev.hits == int(frame[gap].notna().sum())
    assert ex.event_in_view(store, ev, [ex.Range(CAP, 1e6, None)])[1] is None


def test_discover_boxes_hold_their_coverage_and_density(store: Store, frame: pd.DataFrame) -> None:
    y = _out(store, "y")
    res, x = ex.discover(store, ex.Event(y, ">", 92.0), boxes=1, threshold=0.9)
    box = res.boxes[0]
    assert box.restricted == (POS,)  # the event is a condition on that number alone
    assert list(x.columns) == [POS, CAP]
    inside = np.all(
        [(frame[d] >= box.lower[d]) & (frame[d] <= box.upper[d]) for d in x.columns], axis=0
    )
    hit = (frame[y] > 92.0).to_numpy()
    assert box.coverage == pytest.approx(hit[inside].sum() / hit.sum())
    assert box.density == pytest.approx(hit[inside].mean())
    assert box.density >= 0.9 and box.coverage > 0.8
    assert box.lower[POS] == pytest.approx(92.0, abs=1.0)
    # filtered: PRIM over the draws in view only
    sub, _ = ex.discover(store, ex.Event(y, ">", 92.0), [ex.Range(CAP, None, 85.0)], boxes=1)
    assert sub.n == int((frame[CAP] <= 85.0).sum())


def test_nothing_typed_reaches_sql(store: Store) -> None:
    y = _out(store, "y")
    evil = 'y" FROM results; SELECT 1 --'
    with pytest.raises(ModelError, match="not a column of this sweep"):
        ex.view_values(store, evil)
    with pytest.raises(ModelError, match="not a column"):
        ex.event_in_view(store, ex.Event("draw", "<", 3))  # real column, not whitelisted
    with pytest.raises(ModelError, match="unknown comparison"):
        ex.event_in_view(store, ex.Event(y, "= 1 OR", 3))
    with pytest.raises(ModelError, match="must be a number"):
        ex.view_values(store, y, [ex.Range(y, "1 OR 1=1", None)])  # type: ignore[arg-type]
    with pytest.raises(ModelError, match="finite"):
        ex.view_values(store, y, [ex.Range(y, math.inf, None)])
    with pytest.raises(ModelError, match="the range is empty"):
        ex.view_values(store, y, [ex.Range(y, 5.0, 1.0)])


def test_parse_event() -> None:
    assert ex.parse_event(" settle_p_by_12 >= 0.5") == ex.Event("settle_p_by_12", ">=", 0.5)
    assert ex.parse_event("a<-3") == ex.Event("a", "<", -3.0)
    for bad in ("a == 3", "< 3", "a < x"):
        with pytest.raises(ModelError):
            ex.parse_event(bad)


# -- the Ensemble tab's callbacks as plain functions ----------------------------------------


def test_tab_callbacks(store: Store, frame: pd.DataFrame) -> None:
    stores = [store.path]
    y = _out(store, "y")
    assert en.store_options(stores) == [{"label": "s: t, test.gappy (400 draws)", "value": "0"}]
    rows = dict(en.manifest_rows(stores, "0"))
    assert (rows["scenario"], rows["draws"], rows["seed"], rows["design"]) == (
        "t", "400", "11", "mc",
    )  # fmt: skip
    assert en.column_options(stores, "0") == (store.outputs, ex.columns(store), y)
    assert store.outputs[0] == "flat"  # the first output does not vary: skipped
    assert en.filter_defaults(stores, "0", y) == (frame[y].min(), frame[y].max())
    fig, text, nums = en.histogram_panel(stores, "0", y, y, None, 90)
    keep = frame[y] <= 90
    assert nums == {"n_all": 400, "n_filtered": int(keep.sum()), "finite": int(keep.sum())}
    assert text.startswith(f"{int(keep.sum())} of 400 draws in view")
    all_bars, view_bars = fig.data
    assert sum(all_bars.y) == 400 and sum(view_bars.y) == int(keep.sum())
    _, unfiltered, n0 = en.histogram_panel(stores, "0", y, y, None, None)
    assert n0["n_filtered"] == 400 and "no filter" in unfiltered
    lines, boxes, bfig, traj = en.event_panel(stores, "0", y, None, 97, y, ">", 92)
    res, _ = ex.discover(store, ex.Event(y, ">", 92.0), [ex.Range(y, None, 97.0)], boxes=2)
    assert [b["coverage"] for b in boxes] == [round(b.coverage, 4) for b in res.boxes]
    assert POS in boxes[0]["limits"]
    assert lines[0].startswith("P(") and "| filtered" in lines[1]
    assert bfig is not None and len(bfig.data) == len(res.boxes)
    assert list(traj.data[0].x) == res.trajectories[0]["coverage"].tolist()
    none, no_boxes, _, _ = en.event_panel(stores, "0", None, None, None, y, ">", 1e6)
    assert no_boxes == [] and "never happens" in none[-1]


def test_tab_refuses_what_the_server_was_not_given(store: Store) -> None:
    for key in ("1", "-1", "../etc", str(store.path), None, "00"):
        with pytest.raises(ModelError, match="no such results store"):
            en.open_store([store.path], key)
    with pytest.raises(ModelError, match="event"):
        en.event_panel([store.path], "0", None, None, None, None, "<", 1)
    with pytest.raises(ModelError, match="must be a number"):
        en.event_panel([store.path], "0", None, None, None, _out(store, "y"), "<", "x")


def test_app_has_an_ensemble_tab_only_with_stores(store: Store) -> None:
    from accord.app import create_app

    def ids(app: object) -> set[str]:
        found: set[str] = set()

        def walk(c: object) -> None:
            cid = getattr(c, "id", None)
            if isinstance(cid, str):
                found.add(cid)
            kids = getattr(c, "children", None)
            for k in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(k)

        walk(app.layout)  # type: ignore[attr-defined]
        return found

    assert "tabs" not in ids(create_app())
    with_tab = ids(create_app(stores=[store.path]))
    assert {"tabs", "page-ensemble", "ens-hist", "ens-count"} <= with_tab


def test_output_quantiles_equal_numpy(store: Store, frame: pd.DataFrame) -> None:
    table = ex.output_quantiles(store, qs=(0.05, 0.25, 0.5, 0.95))
    assert list(table.index) == store.outputs
    assert list(table.columns) == ["n", "mean", "sd", "q05", "q25", "q50", "q95"]
    for name in store.outputs:
        v = frame[name].dropna().to_numpy()
        row = table.loc[name]
        assert row["n"] == v.size
        assert row["mean"] == pytest.approx(v.mean())
        assert row["sd"] == pytest.approx(v.std(ddof=1), abs=1e-12)
        want = np.quantile(v, [0.05, 0.25, 0.5, 0.95])  # linear, as DuckDB's quantile_cont
        np.testing.assert_allclose(row[["q05", "q25", "q50", "q95"]], want)
    assert table.loc["gap", "n"] < 400  # the NaN draws are not counted
