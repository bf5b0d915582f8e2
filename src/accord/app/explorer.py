"""The Ensemble tab's layout and wiring (Dash); the callback bodies are the plain functions
of :mod:`accord.app.ensemble` and the figures come from :mod:`accord.report.ensemble`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from accord.analysis.explore import OPS
from accord.app import ensemble as en
from accord.errors import AccordError

__all__ = ["ensemble_page", "wire_ensemble"]

_BLANK = {"layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 40}}
_ROW = {"display": "flex", "gap": "1em", "alignItems": "center", "margin": "0.4em 0"}
_CELL = {"border": "1px solid #ddd", "padding": "2px 8px", "fontSize": 13}


def _rows_table(rows: list[tuple[str, str]]) -> Any:
    return html.Table(
        [html.Tr([html.Th(k, style=_CELL), html.Td(v, style=_CELL)]) for k, v in rows],
        style={"borderCollapse": "collapse"},
    )


def _boxes_table(rows: list[dict[str, Any]]) -> Any:
    if not rows:
        return []
    head = list(rows[0])
    return html.Table(
        [html.Tr([html.Th(h, style=_CELL) for h in head])]
        + [html.Tr([html.Td(str(r[h]), style=_CELL) for h in head]) for r in rows],
        style={"borderCollapse": "collapse"},
        className="boxes",
    )


def _err(exc: AccordError) -> list[Any]:
    return [html.Div(line, className="error-line") for line in str(exc).splitlines()]


def _number(dom_id: str) -> Any:
    """A number box that commits on Enter or leaving it (not on every keystroke)."""
    return dcc.Input(id=dom_id, type="number", debounce=True, style={"width": "9em"})


def ensemble_page(stores: list[Path]) -> Any:
    """The tab's controls and outputs (hidden until the Ensemble tab is chosen)."""
    return html.Div(
        id="page-ensemble",
        style={"display": "none"},
        children=[
            html.Div(
                style=_ROW,
                children=[
                    html.Label("results store"),
                    dcc.Dropdown(
                        id="ens-store",
                        options=en.store_options(stores),
                        value="0",
                        clearable=False,
                        style={"width": "640px"},
                    ),
                ],
            ),
            html.Div(id="ens-errors", style={"color": "#b00", "margin": "0.5em 0"}),
            html.Details(
                open=True, children=[html.Summary("manifest"), html.Div(id="ens-manifest")]
            ),
            html.H3("filter the draws"),
            html.Div(
                style=_ROW,
                children=[
                    dcc.Dropdown(id="ens-filter-col", clearable=True, style={"width": "420px"}),
                    html.Label("from"),
                    _number("ens-lo"),
                    html.Label("to"),
                    _number("ens-hi"),
                ],
            ),
            html.H3("outcome histogram"),
            html.Div(
                style=_ROW,
                children=[
                    html.Label("output"),
                    dcc.Dropdown(id="ens-output", clearable=False, style={"width": "420px"}),
                ],
            ),
            html.Div(id="ens-count", style={"fontSize": "1.05em"}),
            dcc.Graph(id="ens-hist"),
            html.H3("an event: its probability and the boxes where it happens (PRIM)"),
            html.Div(
                style=_ROW,
                children=[
                    dcc.Dropdown(id="ens-event-col", clearable=False, style={"width": "420px"}),
                    dcc.Dropdown(
                        id="ens-event-op",
                        options=[{"label": o, "value": o} for o in OPS],
                        value="<",
                        clearable=False,
                        style={"width": "80px"},
                    ),
                    _number("ens-event-thr"),
                    html.Button("find boxes", id="ens-discover", n_clicks=0),
                ],
            ),
            dcc.Loading(
                children=[
                    html.Div(id="ens-event"),
                    html.Div(id="ens-boxes"),
                    html.Div(
                        style={"display": "flex"},
                        children=[
                            dcc.Graph(id="ens-boxes-figure", figure=_BLANK, style={"flex": 3}),
                            dcc.Graph(id="ens-trajectory", figure=_BLANK, style={"flex": 2}),
                        ],
                    ),
                ]
            ),
        ],
    )


def wire_ensemble(app: dash.Dash, stores: list[Path]) -> None:
    """The tab switch and the Ensemble tab's callbacks."""

    @app.callback(
        Output("page-scenario", "style"),
        Output("page-ensemble", "style"),
        Input("tabs", "value"),
    )
    def _tab(tab: str) -> tuple[Any, Any]:
        show, hide = {"display": "block"}, {"display": "none"}
        return (hide, show) if tab == "ensemble" else (show, hide)

    @app.callback(
        Output("ens-manifest", "children"),
        Output("ens-filter-col", "options"),
        Output("ens-filter-col", "value"),
        Output("ens-output", "options"),
        Output("ens-output", "value"),
        Output("ens-event-col", "options"),
        Output("ens-event-col", "value"),
        Output("ens-errors", "children"),
        Input("ens-store", "value"),
    )
    def _store(key: str) -> tuple[Any, ...]:
        try:
            rows = en.manifest_rows(stores, key)
            outputs, cols, first = en.column_options(stores, key)
        except AccordError as exc:
            return [], [], None, [], None, [], None, _err(exc)
        return _rows_table(rows), cols, first, outputs, first, cols, first, []

    @app.callback(
        Output("ens-lo", "value"),
        Output("ens-hi", "value"),
        Input("ens-filter-col", "value"),
        State("ens-store", "value"),
    )
    def _filter_col(column: str | None, key: str) -> tuple[Any, Any]:
        try:
            return en.filter_defaults(stores, key, column)
        except AccordError:
            return None, None

    @app.callback(
        Output("ens-event-thr", "value"),
        Input("ens-event-col", "value"),
        State("ens-store", "value"),
    )
    def _event_col(column: str | None, key: str) -> Any:
        try:
            lo, hi = en.filter_defaults(stores, key, column)
        except AccordError:
            return None
        return None if lo is None or hi is None else (lo + hi) / 2

    @app.callback(
        Output("ens-hist", "figure"),
        Output("ens-count", "children"),
        Input("ens-store", "value"),
        Input("ens-output", "value"),
        Input("ens-filter-col", "value"),
        Input("ens-lo", "value"),
        Input("ens-hi", "value"),
    )
    def _hist(key: str, output: str | None, column: str | None, lo: Any, hi: Any) -> Any:
        if not output:
            return _BLANK, ""
        try:
            fig, text, _ = en.histogram_panel(stores, key, output, column, lo, hi)
        except AccordError as exc:
            return _BLANK, str(exc)
        return fig, text

    @app.callback(
        Output("ens-event", "children"),
        Output("ens-boxes", "children"),
        Output("ens-boxes-figure", "figure"),
        Output("ens-trajectory", "figure"),
        Input("ens-discover", "n_clicks"),
        State("ens-store", "value"),
        State("ens-filter-col", "value"),
        State("ens-lo", "value"),
        State("ens-hi", "value"),
        State("ens-event-col", "value"),
        State("ens-event-op", "value"),
        State("ens-event-thr", "value"),
        prevent_initial_call=True,
    )
    def _event(
        _n: int, key: str, column: Any, lo: Any, hi: Any, ecol: Any, op: Any, thr: Any
    ) -> tuple[Any, Any, Any, Any]:
        try:
            lines, rows, fig, traj = en.event_panel(stores, key, column, lo, hi, ecol, op, thr)
        except AccordError as exc:
            return _err(exc), [], _BLANK, _BLANK
        text = [html.Div(line, className="event-line") for line in lines]
        return text, _boxes_table(rows), fig or _BLANK, traj or _BLANK
