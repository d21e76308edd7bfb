"""Reusable layout pieces: navbar, filter bar, page header, KPI cards, chart cards, tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from app import downloads, formatting
from app.data import SnapshotInfo
from app.filters import CHANNEL_OPTIONS, DEVICE_OPTIONS
from app.metrics import Kpi

GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": "hover", "responsive": True}
PIPELINE_COMMANDS = ("make demo", "ecom-analytics materialize --start YYYY-MM-DD --end YYYY-MM-DD")


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def navbar(info: SnapshotInfo | None) -> dbc.Navbar:
    pages = sorted(dash.page_registry.values(), key=lambda page: page.get("order", 99))
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in pages
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [html.Span("ecom", className="brand-mark"), " analytics"],
                    href=dash.get_relative_path("/"),
                ),
                dbc.Nav(links, className="me-auto", navbar=True),
                html.Span(as_of_text(info), id="shell-as-of", className="as-of small"),
            ],
            fluid=True,
        ),
        color="white",
        dark=False,
        className="border-bottom shadow-sm py-2",
    )


def as_of_text(info: SnapshotInfo | None) -> str:
    if info is None:
        return "No data published yet"
    published = f" · published {info.published_at:%-d %b %Y %H:%M} UTC" if info.published_at else ""
    return f"Data {formatting.day_range(info.first_date, info.last_date)}{published}"


def _dropdown(element: str, placeholder: str, options: Sequence[str]) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=f"filters-{element}",
        options=[{"label": _label(option), "value": option} for option in options],
        value=[],
        multi=True,
        placeholder=placeholder,
    )


def filter_bar(info: SnapshotInfo | None, categories: Sequence[str]) -> html.Div:
    """Filters shared by every page; they live in the shell, so they survive navigation, and
    in the page address (url_state.py), so a copied address reopens the same view."""
    start, end = info.default_range if info else (None, None)
    date_picker = dcc.DatePickerRange(
        id="filters-date",
        start_date=start,
        end_date=end,
        min_date_allowed=info.first_date if info else None,
        max_date_allowed=info.last_date if info else None,
        display_format="D MMM YYYY",
        first_day_of_week=1,
        minimum_nights=0,
    )

    def field(label: str, control, width: int, element: str) -> dbc.Col:
        return dbc.Col(
            [dbc.Label(label, className="filter-label"), control],
            md=width,
            id=f"filters-{element}-field",
        )

    return html.Div(
        dbc.Container(
            dbc.Row(
                [
                    field("Dates (UTC)", date_picker, 4, "date"),
                    field(
                        "Device", _dropdown("device", "All devices", DEVICE_OPTIONS), 2, "device"
                    ),
                    field(
                        "Channel",
                        _dropdown("channel", "All channels", CHANNEL_OPTIONS),
                        3,
                        "channel",
                    ),
                    field(
                        "Category",
                        _dropdown("category", "All categories", categories),
                        3,
                        "category",
                    ),
                ],
                className="g-3 align-items-end",
            ),
            fluid=True,
        ),
        className="filter-bar",
        hidden=info is None,
    )


def page_header(title: str, description: str, note: str | None = None) -> html.Div:
    """Title, one-line description and, where some filters do not apply, a muted note."""
    children = [html.H1(title, className="page-title"), html.P(description, className="lead-sm")]
    if note:
        children.append(
            html.P([html.Span("i", className="note-icon"), note], className="filter-note")
        )
    return html.Div(children, className="page-header")


def kpi_card(kpi: Kpi, page: str = "overview") -> dbc.Card:
    change = kpi.change
    tone = "neutral" if change is None or change == 0 else "up" if change > 0 else "down"
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(kpi.label, className="kpi-label"),
                html.Div(kpi.display_value, className="kpi-value"),
                html.Div(
                    [
                        html.Span(kpi.display_change, className=f"kpi-change {tone}"),
                        html.Span(" vs previous period", className="text-muted"),
                    ],
                    className="kpi-footer",
                ),
            ]
        ),
        id=f"{page}-kpi-{kpi.key.replace('_', '-')}",
        className="kpi-card h-100",
    )


def kpi_row(kpis: Sequence[Kpi], page: str = "overview") -> list:
    return [dbc.Col(kpi_card(kpi, page), className="col") for kpi in kpis]


def error_message(message: str) -> dbc.Alert:
    return dbc.Alert(message, color="warning", className="card-error small mb-0")


def graph_card(
    title: str,
    graph_id: str,
    *,
    subtitle: str | None = None,
    controls=None,
    footer=None,
    height: int = 320,
) -> dbc.Card:
    """A card around one graph; the graph fills `height` pixels and the card's width."""
    header = [html.Div([html.H2(title, className="card-title-sm")], className="flex-grow-1")]
    if subtitle:
        header[0].children.append(html.Div(subtitle, className="card-subtitle-sm"))
    if controls is not None:
        header.append(html.Div(controls, className="card-controls"))
    header.append(downloads.button(graph_id))
    graph = dcc.Graph(id=graph_id, config=GRAPH_CONFIG, style={"height": f"{height}px"})
    body = [dcc.Loading(graph, delay_show=400)]
    if footer is not None:
        body.append(footer)
    return dbc.Card(
        [
            dbc.CardHeader(header, className="d-flex align-items-start gap-2"),
            dbc.CardBody(body),
        ],
        className="chart-card h-100",
    )


def side_by_side(left, right, class_name: str = "g-3") -> dbc.Row:
    """Two cards in a row, each half its width on large screens, one above the other below."""
    return dbc.Row([dbc.Col(left, lg=6), dbc.Col(right, lg=6)], className=class_name)


def content_card(title: str, body_id: str, subtitle: str | None = None, controls=None) -> dbc.Card:
    """A card around a table (or other content) rendered into `body_id`, with its CSV."""
    header = [html.H2(title, className="card-title-sm")]
    if subtitle:
        header.append(html.Div(subtitle, className="card-subtitle-sm"))
    body = [html.Div(id=body_id)]
    if controls is not None:
        body.insert(0, html.Div(controls, className="card-filters mb-2"))
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Div(header, className="flex-grow-1"), downloads.button(body_id)],
                className="d-flex align-items-start gap-2",
            ),
            dbc.CardBody(body),
        ],
        className="chart-card h-100",
    )


def segmented(element_id: str, options: Mapping[str, str], value: str) -> dbc.RadioItems:
    """A small button group that picks one of `options` (value -> label)."""
    return dbc.RadioItems(
        id=element_id,
        options=[{"label": label, "value": key} for key, label in options.items()],
        value=value,
        inline=True,
        className="btn-group btn-group-sm",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-primary",
        labelCheckedClassName="active",
    )


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    formats: Mapping[str, Callable[[Any], Any]] | None = None,
    *,
    table_id: str | None = None,
) -> dbc.Table | html.P:
    """A compact table of `columns` (column -> heading), values formatted per column."""
    if frame.empty:
        return html.P("Nothing to show for these filters.", className="text-muted small mb-0")
    formats = formats or {}
    numeric = {c for c in columns if pd.api.types.is_numeric_dtype(frame[c])}
    head = html.Thead(
        html.Tr(
            [html.Th(h, className="text-end" if c in numeric else "") for c, h in columns.items()]
        )
    )
    rows = [
        html.Tr(
            [
                html.Td(
                    formats.get(column, _plain)(record[column]),
                    className="text-end" if column in numeric else "",
                )
                for column in columns
            ]
        )
        for record in frame.to_dict("records")
    ]
    kwargs = {"id": table_id} if table_id else {}
    return dbc.Table(
        [head, html.Tbody(rows)], size="sm", hover=True, className="mb-0 data-table", **kwargs
    )


def _plain(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return formatting.MISSING
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def no_data(path: str) -> dbc.Container:
    """What every page shows until the pipeline has published a snapshot."""
    return dbc.Container(
        dbc.Card(
            dbc.CardBody(
                [
                    html.H1("No data yet", className="display-6 mb-3"),
                    html.P(
                        "The dashboard reads the marts the pipeline publishes after each run, "
                        "and none have been published yet. Run the pipeline:"
                    ),
                    html.Ul([html.Li(html.Code(command)) for command in PIPELINE_COMMANDS]),
                    html.P("then reload this page.", className="mb-2"),
                    html.P(["Looking for the snapshot at ", html.Code(path)], className="small"),
                ]
            ),
            className="no-data mx-auto",
        ),
        id="no-data",
        className="py-5",
    )
