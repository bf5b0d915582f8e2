"""``accord report``: a :class:`~accord.analysis.brief.Brief` as one self-contained HTML
file (Plotly's JavaScript inlined; no external request of any kind: no fonts, no CDN, no
MathJax). The key numbers are also embedded as JSON (``<script id="accord-numbers">``) so
that a reader's tool (and the tests) can compare them with ``accord settle --json``."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import plotly.io as pio
from plotly.offline import get_plotlyjs

from accord.analysis.brief import TORNADO_SHOWN, Brief, game_json
from accord.report.views import forecasts_view, frontier_view, influence_view, settle_view

__all__ = ["SECTIONS", "render_html"]

SECTIONS = (
    ("summary", "Summary"),
    ("scenario", "The scenario"),
    ("sources", "Sources"),
    ("forecasts", "Forecasts per issue"),
    ("backtest", "How the models score on real outcomes (DEU III)"),
    ("settle", "Settlement forecast"),
    ("baserate", "Reference-class base rates"),
    ("escalation", "Escalation and partners"),
    ("game", "Escalation game"),
    ("sensitivity", "Which judgements drive P(settled)"),
    ("ensemble", "Sweep results (ensemble)"),
    ("deals", "Package deals"),
    ("influence", "Who moved whom"),
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1200px;
margin:0 auto;padding:1em 2em;color:#222;line-height:1.45}
h1{margin-bottom:0}.sub{color:#666;margin-top:.2em}
h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;font-size:.88em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left}th{background:#f4f4f4}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.mark{color:#777;font-size:.85em}.judg{color:#a60}
.headline{font-size:1.15em;background:#f3f7fb;border-left:4px solid #1f77b4;padding:.6em 1em}
nav a{margin-right:1em}details{margin:.5em 0}.scroll{max-height:420px;overflow:auto}
"""


def _e(x: Any) -> str:
    return html.escape(str(x))


def _n(x: Any, fmt: str = ".3g") -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return _e(x)
    return "n/a" if not math.isfinite(v) else format(v, fmt)


def _table(header: list[str], rows: list[list[Any]], num: set[int] | None = None) -> str:
    num = num or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{_n(c)}</td>' if j in num else f"<td>{c}</td>" for j, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fig(fig: Any, div_id: str) -> str:
    return str(
        pio.to_html(
            fig,
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            div_id=div_id,
            config={"displaylogo": False},
        )
    )


def _mark(text: str) -> str:
    cls = "mark judg" if text == "judgement" else "mark"
    return f'<span class="{cls}">{_e(text)}</span>'


def _sections(b: Brief) -> dict[str, str]:
    sc = b.scenario
    s: dict[str, str] = {}
    s["summary"] = (
        '<div class="headline">'
        + "".join(f"<p>{_e(line)}</p>" for line in b.narrative)
        + "</div><p class='mark'>Generated from the results below by fixed rules; "
        "nothing here is written by hand for this scenario.</p>"
    )
    rows = [
        [
            _e(r["actor"]),
            _e(r["issue"]),
            f"{_n(r['capability'])} {_mark(r['capability_mark'])}",
            _n(r["position"]),
            _n(r["salience"]),
            _mark(r["mark"]),
        ]
        for r in b.stances
    ]
    s["scenario"] = (
        f"<p>{_e(sc.description)}</p>"
        f"<p>As of <b id='as-of'>{_e(sc.as_of.isoformat() if sc.as_of else 'undated')}</b>; "
        f"{len(sc.actors)} actors, {len(sc.issues)} issues.</p>"
        + _table(
            ["issue", "name", "scale", "status quo"],
            [
                [
                    _e(i.id),
                    _e(i.name),
                    f"{i.scale.min:g}-{i.scale.max:g}",
                    _n(i.status_quo.value) if i.status_quo is not None else "",
                ]
                for i in sc.issues
            ],
        )
        + '<div class="scroll">'
        + _table(["actor", "issue", "capability", "position", "salience", "provenance"], rows)
        + "</div>"
    )
    src_rows = [
        [
            f"[{_e(k)}]",
            _e(v.citation),
            f'<a href="{_e(v.url)}">{_e(v.url)}</a>' if v.url else "",
            _e(v.date.isoformat() if v.date else ""),
        ]
        for k, v in sc.sources.items()
    ]
    s["sources"] = _table(["key", "citation", "link", "date"], src_rows)
    fc_rows = [
        [_e(iid)] + [_n(r.forecast[k]) for r in b.results] for k, iid in enumerate(sc.issue_ids)
    ]
    s["forecasts"] = (
        _fig(forecasts_view(b.results), "fig-forecasts")
        + _table(
            ["issue", *[r.model for r in b.results]],
            fc_rows,
            num=set(range(1, len(b.results) + 1)),
        )
        + (f"<p class='mark'>Not run here: {_e('; '.join(b.skipped))}</p>" if b.skipped else "")
        + "<p class='mark'>The multi-actor models are deterministic given the scenario; "
        "intervals come with the war layer's Monte Carlo below.</p>"
    )
    s["backtest"] = (
        "<p>Mean absolute error on 353 EU legislative issues with known outcomes (0-100 "
        "scales; 95% bootstrap interval), from <code>accord backtest deu</code>.</p>"
        + _table(
            ["predictor", "n", "MAE", "MAE 95%", "hit rate", "coverage", "CRPS"],
            [
                [
                    _e(r["predictor"]),
                    r["n"],
                    _n(r["mae"]),
                    f"{_n(r['mae_lo'])}-{_n(r['mae_hi'])}",
                    _n(r["hit_rate"], ".2f"),
                    _n(r["coverage"], ".2f"),
                    _n(r["crps"]),
                ]
                for r in b.backtest
            ],
            num={1, 2, 4, 5, 6},
        )
    )
    if b.settle is not None:
        j = b.settle_json
        p = j["p_settled_by_month"]
        se = j["se"]
        marks = [m for m in (6, 12, 24) if m < len(p)]
        s["settle"] = (
            _table(
                ["within", "P(settled)", "95% MC interval"],
                [
                    [
                        f"{m} months",
                        f'<span class="p-settled" data-month="{m}" data-value="{p[m]!r}">'
                        f"{p[m]:.3f}</span>",
                        f"{max(p[m] - 1.96 * se[m], 0):.3f}-{min(p[m] + 1.96 * se[m], 1):.3f}",
                    ]
                    for m in marks
                ],
            )
            + _table(
                ["outcome", "share of runs"],
                [[_e(k), f"{v:.3f}"] for k, v in j["p_outcome"].items()],
            )
            + _table(
                ["issue", "10%", "median", "90%"],
                [[_e(k), *[_n(x) for x in q]] for k, q in j["terms_10_50_90"].items()],
                num={1, 2, 3},
            )
            + _fig(settle_view(b.settle, title=sc.id), "fig-settle")
            + f"<details><summary>the engine's {len(b.settle_inputs)} inputs, each with its "
            "origin (scenario field and source, rule, or shared default)</summary>"
            "<div class='scroll'>"
            + _table(
                ["input", "value", "origin", "from"],
                [[_e(d.name), _e(d.value), _e(d.origin), _e(d.inputs)] for d in b.settle_inputs],
            )
            + "</div></details>"
        )
        if b.base_rates:
            s["baserate"] = _table(
                ["horizon", "base rate", "interval", "settle: P(war over)", "reference class"],
                [
                    [
                        f"{r['horizon']} months",
                        f"{r['p']:.2f}",
                        f"{r['lo']:.2f}-{r['hi']:.2f}",
                        f"{r['settle']:.2f}",
                        _e(r["text"]),
                    ]
                    for r in b.base_rates
                ],
            )
        inp = b.settle.inputs
        partners = []
        if inp.escalation is not None:
            esc = inp.escalation
            partners = [
                [_e(n), _n(t), _n(f)]
                for n, t, f in zip(esc.partners, esc.tau, esc.phi, strict=False)
            ]
        s["escalation"] = (
            f"<p>P(escalation) {j['p_escalation']:.3f}; P(a partner repositions) "
            f"{j['p_repositioning']:.3f}; P(land swap) {j['p_swap']:.3f}; P(relapse within "
            f"12/24 months of a settlement) {_n(j['p_relapse_12_24'][0], '.3f')} / "
            f"{_n(j['p_relapse_12_24'][1], '.3f')}.</p>"
            + (
                _table(["partner", "trade share τ", "curtailment probability φ"], partners, {1, 2})
                if partners
                else ""
            )
        )
    if b.game:
        s["game"] = _game(b)
    if b.tornado:
        s["sensitivity"] = _tornado(b.tornado)
    if b.ensembles:
        s["ensemble"] = "".join(_ensemble(e, i) for i, e in enumerate(b.ensembles))
    if b.deals is not None:
        d = b.deals
        sol_rows = [[_e(n.replace("_", " ")), _e(_package(d.package(n)))] for n in d.solutions]
        s["deals"] = _fig(frontier_view(d), "fig-deals") + _table(["solution", "package"], sol_rows)
    if b.edges:
        ev = b.events[:300]
        s["influence"] = (
            _fig(influence_view(b.edges[:40]), "fig-influence")
            + _table(
                ["moved by", "actor moved", "kind", "moves", "distance (scale widths)"],
                [[_e(a), _e(c), _e(k), n, f"{d:.2f}"] for a, c, k, n, d in b.edges[:25]],
                {3, 4},
            )
            + f"<details><summary>event log ({len(b.events):,} events; first {len(ev)})"
            "</summary><div class='scroll'>"
            + _table(
                ["model", "round", "issue", "event"],
                [[_e(e["model"]), e["round"], _e(e["issue"]), _e(e["text"])] for e in ev],
            )
            + "</div></details>"
        )
    return s


def render_html(b: Brief) -> str:
    """The whole briefing as one HTML string."""
    sc = b.scenario
    body = _sections(b)
    present = [(k, t) for k, t in SECTIONS if k in body]
    nav = "".join(f'<a href="#{k}">{_e(t)}</a>' for k, t in present)
    parts = "".join(f'<section id="{k}"><h2>{_e(t)}</h2>{body[k]}</section>' for k, t in present)
    numbers = {
        "scenario": sc.id,
        "seed": b.seed,
        "runs": b.runs,
        "months": b.months,
        "sections": [k for k, _ in present],
        "forecasts": {r.model: [_num(v) for v in r.forecast] for r in b.results},
        "settle": b.settle_json,
        "base_rate": b.base_rates,
        "game": game_json(b.game),
        "sensitivity": {k: v for k, v in b.tornado.items() if k != "table"}
        | (
            {"tornado": b.tornado["table"].head(TORNADO_SHOWN).reset_index().to_dict("records")}
            if b.tornado
            else {}
        ),
        "ensembles": [_ensemble_json(e) for e in b.ensembles],
    }
    data = json.dumps(_finite(numbers), default=_num, allow_nan=False).replace("</", "<\\/")
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(sc.title)}: accord briefing</title><style>{_CSS}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{_e(sc.title)}</h1><p class='sub'>accord briefing for <code>{_e(sc.id)}</code>"
        f", seed {b.seed}, {b.runs:,} settlement runs over {b.months} months</p>"
        f"<nav>{nav}</nav>{parts}"
        f'<script type="application/json" id="accord-numbers">{data}</script>'
        "</body></html>"
    )


def _svg(fig: Any) -> str:
    """A matplotlib figure as inline SVG (no external reference)."""
    import io

    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "accord"}):  # same input, same bytes:
        fig.savefig(buf, format="svg", metadata={"Date": None})  # no random ids, no date
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _game(b: Brief) -> str:
    """The game tree with the SPE path, and the first mover's choice probabilities."""
    from accord.errors import AccordError
    from accord.report.games import tree_figure

    spe = b.game[0]
    summary = game_json(b.game)
    first = next(iter(summary.values()))
    try:
        figure = '<div id="fig-game">' + _svg(tree_figure(spe.game, spe)) + "</div>"
    except AccordError as exc:  # matplotlib not installed
        figure = f"<p class='mark'>{_e(exc)}</p>"
    heads = [
        f"{m.upper()}"
        + (f" (λ = {_n(v['parameters']['lam'])})" if "lam" in v["parameters"] else "")
        for m, v in summary.items()
    ]
    rows = [
        [_e(a)]
        + [
            f'<span class="game-p" data-method="{_e(m)}" data-action="{_e(a)}">'
            f"{_n(v['root'][a], '.4f')}</span>"
            for m, v in summary.items()
        ]
        for a in first["root"]
    ]
    values = [
        [_e(p)] + [_n(v["value"][p], ".4g") for v in summary.values()] for p in spe.game.players
    ]
    paths = "; ".join(
        f"{m.upper()}: {' → '.join(_e(a) for a in v['path'])}" for m, v in summary.items()
    )
    return (
        f"<p>{_e(spe.game.title)}: {len(spe.game.nodes)} nodes, players "
        f"{_e(', '.join(spe.game.players))}. Red branches are the subgame-perfect "
        f"equilibrium's play (thicker with its reach probability). Modal path: {paths}. "
        "QRE is agent logit quantal response at the λ the settlement engine uses.</p>"
        + figure
        + f"<p>First mover: <b>{_e(first['first_mover'])}</b>; its choice probabilities.</p>"
        + _table(["action", *heads], rows)
        + _table(["player", *[f"value ({h})" for h in heads]], values)
    )


def _tornado(t: dict[str, Any]) -> str:
    """The tornado of settle's P(settled within 12 months) over a small seeded sweep."""
    from accord.errors import AccordError
    from accord.report.sweep import tornado_figure

    table = t["table"].head(TORNADO_SHOWN)
    try:
        figure = (
            '<div id="fig-tornado">'
            + _svg(tornado_figure(table, title="P(settled within 12 months)"))
            + "</div>"
        )
    except AccordError as exc:  # matplotlib not installed
        figure = f"<p class='mark'>{_e(exc)}</p>"
    rows = [[_e(n), r["low"], r["high"], r["swing"]] for n, r in table.iterrows()]
    return (
        f"<p>Settle's P(settled within 12 months) over <b id='tornado-draws'>{t['draws']}</b> "
        f"Monte Carlo draws (seed <b id='tornado-seed'>{t['seed']}</b>) of the scenario's "
        f"{t['numbers']} uncertain numbers under their default judgement uncertainty, "
        f"{t['runs']} courses per draw; mean {_n(t['mean'])}. Per number, the mean among the "
        "draws with that number in its lowest and in its highest decile (a given-data "
        f"tornado: no extra runs); the top {len(table)} by swing. With this few draws a swing "
        f"below about {_n(t['noise'], '.2f')} is within noise (1.96 standard errors of a "
        "difference of two decile means for a number that does not matter; among "
        f"{t['numbers']} numbers about one in twenty that do not matter exceeds it by chance); "
        f"<code>accord sweep --settle --runs {t['runs']} --draws N --seed {t['seed']}</code> "
        "and <code>accord sensitivity DIR --output settle_p_by_12 --method tornado"
        "</code> give more draws.</p>"
        + figure
        + _table(
            ["number", "mean, lowest decile", "mean, highest decile", "swing"], rows, {1, 2, 3}
        )
    )


_SUMMARY = (
    ("scenario", "scenario"), ("sha256", "scenario sha256"), ("targets", "targets"),
    ("design", "design"), ("draws", "draws"), ("seed", "seed"),
    ("numbers", "uncertain numbers"), ("parts", "parts written"), ("finished", "finished"),
)  # fmt: skip


def _ensemble(e: dict[str, Any], i: int) -> str:
    """One results store: manifest, outputs' quantiles, histogram, event and PRIM boxes."""
    from accord.report.ensemble import boxes_view, histogram_view

    s = e["summary"]
    head = f"<h3>{_e(Path(s['path']).name)}</h3>" + "".join(
        f"<p>{_e(line)}</p>" for line in e["sentences"]
    )
    manifest = _table(["field", "value"], [[_e(label), _e(s[k])] for k, label in _SUMMARY])
    q = e["quantiles"]
    quant = _table(
        ["output", "draws", "mean", "sd", "5%", "50%", "95%"],
        [[_e(n), *[r[c] for c in q.columns]] for n, r in q.iterrows()],
        num={1, 2, 3, 4, 5, 6},
    )
    hist = _fig(histogram_view(e["view"]), f"fig-ensemble-{i}") if e["view"] is not None else ""
    ev = ""
    if e["event"] is not None:
        p = e["event"]
        ev = (
            f"<p class='ens-event' data-p='{p.p!r}' data-low='{p.low!r}' data-high='{p.high!r}'>"
            f"{_e(p.describe())}</p>"
        )
    if e["prim"] is not None:
        res = e["prim"]
        ev += _table(
            ["box", "coverage", "density", "mass", "restricted numbers and limits"],
            [
                [
                    j,
                    b.coverage,
                    b.density,
                    b.mass,
                    _e(
                        "; ".join(
                            f"{d} in [{b.lower[d]:.4g}, {b.upper[d]:.4g}]" for d in b.restricted
                        )
                        or "no restriction"
                    ),
                ]
                for j, b in enumerate(res.boxes, 1)
            ],
            num={1, 2, 3},
        ) + _fig(boxes_view(res, e["x"]), f"fig-boxes-{i}")
    return head + manifest + quant + hist + ev


def _ensemble_json(e: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"summary": e["summary"], "same_scenario": e["same_scenario"]}
    if e["event"] is not None:
        p = e["event"]
        out["event"] = {"event": p.event, "hits": p.hits, "n": p.n, "p": p.p}
        out["event"] |= {"low": p.low, "high": p.high}
    if e["prim"] is not None:
        out["boxes"] = [
            {"coverage": b.coverage, "density": b.density, "mass": b.mass,
             "restricted": list(b.restricted)}
            for b in e["prim"].boxes
        ]  # fmt: skip
    return out


def _package(p: dict[str, Any] | None) -> str:
    if p is None:
        return "no agreement (nothing beats the disagreement point)"
    return ", ".join(f"{k} {_n(v)}" for k, v in p.items())


def _finite(x: Any) -> Any:
    """Numbers that are not finite become null (as in ``--json``): the block stays JSON."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_finite(v) for v in x]
    return x


def _num(x: Any) -> Any:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    return v if math.isfinite(v) else None
