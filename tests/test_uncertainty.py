"""The uncertainty section: paths, distributions, bounds, groups; every draw a valid scenario."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from accord import scenarios
from accord.analysis.sweep import Design, design_matrix
from accord.analysis.uncertainty import Sampler, draw_rng
from accord.errors import ScenarioError
from accord.scenario.io import load_uncertainty, loads
from accord.scenario.uncertainty import Uncertainty
from texts import MINIMAL


def spec(**parameters: object) -> Uncertainty:
    return Uncertainty.model_validate({"defaults": False, "parameters": parameters})


@pytest.fixture(scope="module")
def flagship():  # type: ignore[no-untyped-def]
    return scenarios.load("ukraine-2024-08")


def test_defaults_cover_every_judgement_mark(flagship) -> None:  # type: ignore[no-untyped-def]
    s = Sampler(flagship)
    marked = [
        f"actors[{a.id}].positions.{i}.{f}"
        for a in flagship.actors
        for i, st in a.positions.items()
        if st.judgement
        for f in ("position", "salience")
    ]
    assert set(marked) <= set(s.names)
    p = {q.path: q for q in s.params}
    # ±15 points on a judgement-coded position, reject (truncation) by default
    pos = p[marked[0]]
    assert pos.dist.plusminus == 15 and pos.bounds == "reject"
    assert p["war.delta"].dist.plusminus == pytest.approx(0.01)
    assert p["war.p"].dist.plusminus == pytest.approx(0.25 * flagship.war.p.value)
    sourced = [
        f"actors[{a.id}].positions.{i}.position"
        for a in flagship.actors
        for i, st in a.positions.items()
        if not st.judgement
    ]
    assert sourced and not set(sourced) & set(s.names)


def test_draws_are_valid_scenarios_within_range(flagship) -> None:  # type: ignore[no-untyped-def]
    s = Sampler(flagship)
    drawn = s.draws(3, range(300))
    x = np.array([d[1] for d in drawn])
    for j, prm in enumerate(s.params):
        assert all(prm.info.inside(v) for v in x[:, j]), prm.path
    sc = drawn[0][0]
    assert sc.uncertainty is None and sc.id == flagship.id
    # the draw really is in the scenario: the first number read back
    first = s.params[0]
    assert (
        sc.actor("RUS").capability.value == pytest.approx(x[0, 0])
        if first.path == ("actors[RUS].capability")
        else True
    )
    assert sum(d[2] for d in drawn) == 0  # reject never clips


def test_clip_is_counted_and_reject_truncates() -> None:
    sc = loads(MINIMAL)
    path = "actors[UKR].positions.T.salience"  # 95 on 0-100
    clip = Sampler(sc, spec(**{path: {"dist": "normal", "sd": 10, "bounds": "clip"}}))
    drawn = clip.draws(1, range(2000))
    x = np.array([d[1][0] for d in drawn])
    clipped = np.array([d[2] for d in drawn])
    assert x.max() == 100 and (x <= 100).all()
    assert clipped.sum() == np.count_nonzero(x == 100)
    # P(N(95, 10) > 100) = 0.3085: the clipped share
    assert clipped.mean() == pytest.approx(stats.norm.sf(0.5), abs=0.03)
    rej = Sampler(sc, spec(**{path: {"dist": "normal", "sd": 10, "bounds": "reject"}}))
    y = np.array([d[1][0] for d in rej.draws(1, range(2000))])
    assert (y < 100).all() and sum(d[2] for d in rej.draws(1, range(50))) == 0
    # the law of redrawing until inside: N(95, 10) truncated to [0, 100]
    ref = stats.truncnorm(-9.5, 0.5, 95, 10)
    assert stats.kstest(y, ref.cdf).pvalue > 0.01


def test_out_of_range_without_bounds_is_an_error() -> None:
    sc = loads(MINIMAL)
    with pytest.raises(ScenarioError) as e:
        Sampler(sc, spec(**{"actors[UKR].positions.T.salience": {"dist": "normal", "sd": 10}}))
    assert str(e.value) == (
        "uncertainty.parameters.actors[UKR].positions.T.salience: the distribution reaches "
        "outside the valid range [0, 100]; say bounds: clip or bounds: reject (got '[-inf, inf]')"
    )


def test_index_paths_and_errors() -> None:
    sc = loads(MINIMAL)
    s = Sampler(sc, spec(**{"actors[1].capability": {"dist": "uniform", "relative": 0.1}}))
    assert s.names == ["actors[UKR].capability"]
    with pytest.raises(ScenarioError, match=r"actors\[XX\]\.capability: not a number of this"):
        Sampler(sc, spec(**{"actors[XX].capability": {"dist": "uniform", "relative": 0.1}}))
    with pytest.raises(ScenarioError, match="mode 5 outside"):
        Sampler(
            sc,
            spec(
                **{"issues[T].status_quo": {"dist": "triangular", "low": 10, "high": 30, "mode": 5}}
            ),
        )


def test_rules_across_numbers_redraw_in_mc_and_fail_in_a_design(flagship) -> None:  # type: ignore[no-untyped-def]
    # p_weak >= p_strong is a rule of the war section: overlapping ranges break it
    u = spec(**{
        "war.screening.p_weak": {"dist": "uniform", "low": 0.1, "high": 0.3},
        "war.screening.p_strong": {"dist": "uniform", "low": 0.1, "high": 0.3},
    })  # fmt: skip
    s = Sampler(flagship, u)
    drawn = s.draws(5, range(200))
    redraws = [d[3] for d in drawn]
    assert sum(r > 0 for r in redraws) > 50  # about half the first tries break the rule
    for sc, *_ in drawn:
        assert sc.war.screening.p_weak.value >= sc.war.screening.p_strong.value
    rows = design_matrix(s.names, Design("sobol", 8, 0))
    assert rows is not None

    def all_rows() -> None:
        for i, row in enumerate(rows):
            s.design_draw(row, i)

    with pytest.raises(ScenarioError, match="breaks a rule of the scenario"):
        all_rows()


def test_correlated_group() -> None:
    sc = loads(MINIMAL)
    u = Uncertainty.model_validate(
        {
            "defaults": False,
            "parameters": {
                "actors[RUS].capability": {"dist": "uniform", "low": 50, "high": 100},
                "actors[UKR].capability": {"dist": "triangular", "low": 20, "high": 80},
            },
            "groups": [
                {"paths": ["actors[RUS].capability", "actors[UKR].capability"], "correlation": 0.8}
            ],
        }
    )
    x = np.array([d[1] for d in Sampler(sc, u).draws(0, range(3000))])
    rho = stats.spearmanr(x[:, 0], x[:, 1]).statistic
    # Spearman of a Gaussian copula with r = 0.8: (6/pi) asin(r/2) = 0.786
    assert rho == pytest.approx(6 / np.pi * np.arcsin(0.4), abs=0.03)
    assert x[:, 0].min() >= 50 and x[:, 1].max() <= 80


def test_each_draw_has_its_own_generator(flagship) -> None:  # type: ignore[no-untyped-def]
    s = Sampler(flagship)
    whole = s.draws(9, range(20))
    part = s.draws(9, [13, 14])
    np.testing.assert_array_equal(whole[13][1], part[0][1])
    # the generator of draw 13 is SeedSequence(9, spawn_key=(13, 0)): spawn's 14th child
    child = np.random.SeedSequence(9).spawn(14)[13].spawn(1)[0]
    assert draw_rng(9, 13).random() == np.random.default_rng(child).random()


def test_uncertainty_file_errors(tmp_path: Path) -> None:
    f = tmp_path / "u.yaml"
    f.write_text("uncertainty:\n  parameters:\n    war.p: {dist: gamma}\n  extra: 1\n")
    with pytest.raises(ScenarioError) as e:
        load_uncertainty(f)
    lines = str(e.value).splitlines()
    assert (
        f"{f}: uncertainty.parameters['war.p']: unknown dist; one of 'uniform', 'triangular', 'normal', 'truncnormal', 'beta', 'discrete' (got 'gamma')"
        in lines
    )
    assert f"{f}: uncertainty.extra: unknown field" in lines


def test_discrete_and_beta() -> None:
    sc = loads(MINIMAL)
    u = spec(**{
        "issues[T].status_quo": {"dist": "discrete", "values": [10, 20, 140], "weights": [1, 3, 1], "bounds": "reject"},
        "actors[RUS].positions.T.salience": {"dist": "beta", "alpha": 2, "beta": 5, "low": 0, "high": 100},
    })  # fmt: skip
    x = np.array([d[1] for d in Sampler(sc, u).draws(2, range(4000))])
    assert set(np.unique(x[:, 0])) == {10.0, 20.0}
    assert np.mean(x[:, 0] == 20) == pytest.approx(0.75, abs=0.03)
    assert x[:, 1].mean() == pytest.approx(100 * 2 / 7, abs=1.0)


def test_flagship_round_trips_with_its_judgement_marked_zeros(flagship) -> None:  # type: ignore[no-untyped-def]
    # issue_capability 0 with a judgement mark used to lose its value when dumped
    from accord.scenario.io import dumps

    assert loads(dumps(flagship)) == flagship


def test_fast_build_equals_full_validation(flagship) -> None:  # type: ignore[no-untyped-def]
    s = Sampler(flagship)
    rng = np.random.default_rng(4)
    x, _ = s.values(np.stack([s.unit(rng) for _ in range(25)]))
    valid = 0
    for row in x:
        fast, ref = s.build(row), s.build_validated(row)
        assert isinstance(fast, list) == isinstance(ref, list)  # the same rules broken
        if isinstance(fast, list) or isinstance(ref, list):
            assert [p.path for p in fast] == [p.path for p in ref]  # type: ignore[union-attr]
            continue
        valid += 1
        assert fast.model_dump() == ref.model_dump()
        np.testing.assert_array_equal(fast.arrays().weight, ref.arrays().weight)
    assert valid >= 15
    assert flagship.arrays().weight[0, 0] != s.build(x[0]).arrays().weight[0, 0]  # type: ignore[union-attr]


def test_readme_headline_block_is_current() -> None:
    # the README's flagship table (``make uncertainty``) must describe the bundled
    # scenarios as they are: their count of drawn numbers and the forecasts as filed
    import re

    from accord import scenarios
    from accord.analysis.targets import make_target

    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- uncertainty:start -->")[1].split("<!-- uncertainty:end -->")[0]
    targets = [("compromise", {"decision_rules": False}), ("median", {"decision_rules": False})]
    targets += [("war.range", {}), ("war.screen", {}), ("war.commit", {})]
    for sid in ("ukraine-2023-03", "ukraine-2024-08"):
        part = block.split(f"**{sid}**")[1].split("**ukraine-")[0]
        k = int(re.search(r"(\d+) judgement-marked numbers", part).group(1))  # type: ignore[union-attr]
        sc = scenarios.load(sid)
        stale = f"README's {sid} uncertainty table is stale: run `make uncertainty`"
        assert k == Sampler(sc).k, stale
        base: dict[str, float] = {}
        for name, opts in targets:
            out = make_target(name, sc, opts)([sc], [np.random.default_rng(0)])
            base |= {key: float(v[0]) for key, v in out.items()}
        rows = re.findall(r"^\| `(\w+)`: [^|]+\| ([^|]+) \|", part, flags=re.M)
        assert len(rows) == 5
        for name, filed in rows:
            assert f"{base[name]:.3g}" == filed.strip(), f"{stale} ({name} as filed)"
