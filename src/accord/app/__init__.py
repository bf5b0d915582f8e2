"""``accord app``: the Dash dashboard. Layout and wiring only; every callback body is a plain
function in :mod:`accord.app.callbacks` and every figure comes from :mod:`accord.report.views`.

Pick a bundled scenario or upload YAML/JSON (safe loading, a size limit), edit positions,
saliences and capabilities in the table (the CLI's validation messages), choose models, move
the war scenario's levers; the forecasts and the settlement figure follow. With
``--results`` an Ensemble tab explores sweep results stores (:mod:`accord.app.ensemble`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import dash
from dash import ALL, Input, Output, State, dcc, html

from accord import models as registry
from accord import scenarios
from accord.app import callbacks as cb
from accord.app.explorer import ensemble_page, wire_ensemble
from accord.errors import AccordError

__all__ = ["create_app"]

_BLANK = {"layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 40}}


def _error(exc: AccordError) -> list[Any]:
    return [html.Div(line, className="error-line") for line in str(exc).splitlines()]


def _table() -> Any:
    with warnings.catch_warnings():  # DataTable is deprecated in Dash 4 but still shipped
        warnings.simplefilter("ignore", DeprecationWarning)
        from dash import dash_table

        return dash_table.DataTable(  # type: ignore[attr-defined]
            id="stances",
            columns=[
                {"name": c, "id": c, "editable": c in cb.EDITABLE, "type": "any"}
                for c in ("actor", "issue", "position", "salience", "capability", "mark")
            ],
            data=[],
            editable=True,
            page_size=12,
            style_cell={"fontFamily": "system-ui", "fontSize": 13, "padding": "2px 6px"},
            style_header={"fontWeight": "bold"},
        )


def create_app(max_upload: int = cb.DEFAULT_MAX_UPLOAD, stores: Sequence[Path] = ()) -> dash.Dash:
    """The Dash app (its Flask server refuses requests over 4x the upload limit); with
    results ``stores`` (see :func:`accord.analysis.explore.find_stores`) an Ensemble tab."""
    app = dash.Dash(__name__, title="accord", serve_locally=True)
    app.server.config["MAX_CONTENT_LENGTH"] = 4 * max_upload + 65_536
    names = list(registry.available())
    first = cb.bundled(scenarios.DEFAULT)
    scenario_page = html.Div(
        id="page-scenario",
        children=[
            dcc.Store(id="scenario", data=first),
            html.Div(
                style={"display": "flex", "gap": "1.5em", "alignItems": "center"},
                children=[
                    dcc.Dropdown(
                        id="pick",
                        options=[{"label": s, "value": s} for s in scenarios.ids()],
                        value=scenarios.DEFAULT,
                        clearable=False,
                        style={"width": "260px"},
                    ),
                    dcc.Upload(
                        id="upload",
                        children=html.Div(
                            f"drop or click to upload YAML/JSON (max {max_upload:,} bytes)"
                        ),
                        style={"border": "1px dashed #888", "padding": "8px 14px"},
                        multiple=False,
                    ),
                    html.Span(id="scenario-id", style={"fontWeight": "bold"}),
                ],
            ),
            html.Div(id="errors", style={"color": "#b00", "margin": "0.5em 0"}),
            html.Details(
                open=False,
                children=[html.Summary("positions, saliences, capabilities (editable)"), _table()],
            ),
            html.H3("settlement forecast (accord settle)"),
            html.Div(id="levers"),
            html.Div(id="settle-number", style={"fontSize": "1.1em", "margin": "0.5em 0"}),
            dcc.Graph(id="settle-figure"),
            html.H3("models"),
            dcc.Checklist(
                id="models",
                options=[{"label": n, "value": n} for n in names],
                value=["compromise", "median", "eum"],
                inline=True,
            ),
            dcc.Graph(id="forecast-figure"),
        ],
    )
    pages: list[Any] = [scenario_page]
    if stores:
        pages = [
            dcc.Tabs(
                id="tabs",
                value="scenario",
                children=[
                    dcc.Tab(label="Scenario", value="scenario", id="tab-scenario"),
                    dcc.Tab(label="Ensemble", value="ensemble", id="tab-ensemble"),
                ],
            ),
            scenario_page,
            ensemble_page(list(stores)),
        ]
    app.layout = html.Div(
        style={"fontFamily": "system-ui", "maxWidth": "1250px", "margin": "0 auto"},
        children=[html.H2("accord: scenario, forecasts and the war's levers"), *pages],
    )

    @app.callback(
        Output("scenario", "data"),
        Output("errors", "children"),
        Input("pick", "value"),
        Input("upload", "contents"),
        Input("stances", "data_timestamp"),
        State("upload", "filename"),
        State("stances", "data"),
        State("scenario", "data"),
        prevent_initial_call=True,
    )
    def _load(
        pick: str,
        contents: str | None,
        _ts: Any,
        filename: str | None,
        rows: list[dict[str, Any]],
        current: str,
    ) -> tuple[Any, Any]:
        trig = dash.ctx.triggered_id
        try:
            if trig == "upload":
                return cb.upload(contents, filename, max_upload), []
            if trig == "stances":
                return cb.apply_rows(current, rows), []
            return cb.bundled(pick), []
        except AccordError as exc:
            return dash.no_update, _error(exc)

    @app.callback(
        Output("stances", "data"),
        Output("levers", "children"),
        Output("scenario-id", "children"),
        Input("scenario", "data"),
    )
    def _show(text: str) -> tuple[Any, Any, Any]:
        rows = cb.table_rows(text)
        sliders = [
            html.Div(
                id=cb.lever_dom_id(lv.key),
                style={"display": "inline-block", "width": "48%", "margin": "0 1%"},
                children=[
                    html.Label(lv.label, style={"fontSize": 13}),
                    dcc.Slider(
                        lv.lo,
                        lv.hi,
                        lv.step,
                        value=lv.value,
                        id={"type": "lever", "key": lv.key},
                        marks=None,
                        tooltip={"placement": "bottom", "always_visible": False},
                        updatemode="mouseup",
                    ),
                ],
            )
            for lv in cb.lever_list(text)
        ]
        sid = cb._scenario(text).id
        return rows, sliders, f"scenario: {sid}"

    @app.callback(
        Output("settle-figure", "figure"),
        Output("settle-number", "children"),
        Input({"type": "lever", "key": ALL}, "value"),
        State({"type": "lever", "key": ALL}, "id"),
        State("scenario", "data"),
    )
    def _settle(values: list[float], ids: list[dict[str, str]], text: str) -> tuple[Any, Any]:
        try:
            fig, line, _ = cb.settle_panel(
                text, {i["key"]: float(v) for i, v in zip(ids, values, strict=True)}
            )
        except AccordError as exc:
            return _BLANK, str(exc)
        return fig, line

    @app.callback(
        Output("forecast-figure", "figure"),
        Input("models", "value"),
        Input("scenario", "data"),
    )
    def _forecast(chosen: list[str], text: str) -> Any:
        try:
            return cb.forecast(text, chosen or [])
        except AccordError:
            return _BLANK

    if stores:
        wire_ensemble(app, list(stores))
    return app
