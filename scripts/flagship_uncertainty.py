"""Headline forecasts of both flagship scenarios under default judgement uncertainty.

For ``ukraine-2023-03`` and ``ukraine-2024-08``: a Sobol sweep (Saltelli design, base N,
every judgement-marked number drawn from its default range: ±15 points on positions and
saliences, ±25 % on capabilities and war numbers, ±0.01 on the monthly discount factor)
of compromise, median and the war layer's range, screening and commitment models. Writes
the distribution of the headline outputs, the five numbers with the largest Sobol total
order index for each, figures to ``docs/uncertainty/`` and the table between the
``uncertainty`` markers of README.md (``make uncertainty``).

Every row of a Saltelli design is a draw of the inputs' joint law (independent numbers),
so the quantiles below are over all ``N (k + 2)`` rows.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import numpy as np

from accord import scenarios
from accord.analysis.sensitivity import event_of_store, sobol_of_store
from accord.analysis.store import StoreError
from accord.analysis.sweep import Design, sweep
from accord.report.save import save_figure
from accord.report.sweep import ensemble_figure, indices_figure

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "uncertainty"
HEADLINE = {
    "compromise_T": "compromise forecast of T (territory, 0-100; rules off)",
    "median_T": "median-voter forecast of T (rules off)",
    "range_midpoint": "midpoint of the bargaining range (pie share)",
    "screen_p_war": "P(war) of the risk-return offer",
    "commit_nonempty": "a guarantee both sides accept exists (share of draws)",
}
SOBOL = ("compromise_T", "median_T", "range_midpoint", "commit_nonempty")
# the bargaining forecasts before the decision rule binds them (under the flagships' veto
# and unanimity rules the territory forecast stays at the status quo in every draw)
TARGETS = [("compromise", {"decision_rules": False}), ("median", {"decision_rules": False})]
TARGETS += [("war.range", {}), ("war.screen", {})]
TARGETS += [("war.commit", {})]


def run(sid: str, n: int, out: Path) -> str:
    sc = scenarios.load(sid)
    design = Design("sobol", n, 2026)
    resume = (out / "manifest.json").exists()  # a finished or killed run of the same sweep
    try:
        res = sweep(sc, TARGETS, design, out, workers=2, resume=resume)
    except StoreError:  # a stored sweep of something else: start afresh
        shutil.rmtree(out)
        resume = False
        res = sweep(sc, TARGETS, design, out, workers=2)
    store = res.store
    seconds = store.manifest.get("seconds", res.seconds) if resume else res.seconds
    store.touch(seconds=seconds)
    k = len(store.inputs)
    lines = [
        f"**{sid}** (as of {sc.as_of}): {k} judgement-marked numbers, Sobol base N = {n}, "
        f"{res.rows:,} runs ({seconds:.0f} s on 2 processes of a shared machine).",
        "",
        "| output | as filed | mean | 5% | 50% | 95% |",
        "|---|---|---|---|---|---|",
    ]
    base = _base(sc)
    df = store.columns(list(HEADLINE))
    for name, what in HEADLINE.items():
        v = df[name].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        q = np.quantile(v, [0.05, 0.5, 0.95])
        lines.append(
            f"| `{name}`: {what} | {base[name]:.3g} | {v.mean():.3g} | "
            + " | ".join(f"{x:.3g}" for x in q)
            + " |"
        )
    ev = event_of_store(store, "commit_nonempty = 1")
    lines += ["", f"{ev.describe()}.", ""]
    lines += [
        "Five numbers with the largest Sobol total-order index (95 % bootstrap interval):",
        "",
    ]
    lines += ["| output | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
    for name in SOBOL:
        si = sobol_of_store(store, name).head(5)
        cells = [
            f"`{i}` {r.ST:.2f} [{r.ST_low:.2f}, {r.ST_high:.2f}]" if r.ST >= 0.005 else "(≈ 0)"
            for i, r in si.iterrows()
        ]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
        fig = indices_figure(sobol_of_store(store, name).head(12), "sobol", title=f"{sid}: {name}")
        save_figure(fig, DOCS / f"{sid}-{name}-sobol.png")
    fig = ensemble_figure({k_: df[k_].to_numpy() for k_ in HEADLINE}, base=base, title=sid)
    save_figure(fig, DOCS / f"{sid}-ensemble.png")
    return "\n".join(lines)


def _base(sc: object) -> dict[str, float]:
    """The outputs on the scenario as filed (no draw)."""
    from accord.analysis.targets import make_target

    out: dict[str, float] = {}
    rng = np.random.default_rng(0)
    for name, opts in TARGETS:
        for key, v in make_target(name, sc, opts)([sc], [rng]).items():  # type: ignore[arg-type]
            out[key] = float(v[0])
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/accord-flagship-sweeps")
    DOCS.mkdir(parents=True, exist_ok=True)
    parts = [run(sid, n, work / sid) for sid in ("ukraine-2023-03", "ukraine-2024-08")]
    text = "\n\n".join(parts)
    (DOCS / "flagships.md").write_text(text + "\n", encoding="utf-8")
    readme = ROOT / "README.md"
    body = readme.read_text(encoding="utf-8")
    block = f"<!-- uncertainty:start -->\n{text}\n<!-- uncertainty:end -->"
    body, count = re.subn(
        r"<!-- uncertainty:start -->.*?<!-- uncertainty:end -->", lambda _: block, body, flags=re.S
    )
    if count:
        readme.write_text(body, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
