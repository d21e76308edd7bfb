"""Data quality: what validation quarantined and why, check results and materializations."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, dcc, html

from app import anomaly_flags, components, data_quality, figures, formatting
from app.dagster_links import asset_checks_url
from app.inputs import DATES, needs_data, resolve, safely

dash.register_page(
    __name__,
    path="/data-quality",
    name="Data quality",
    title="Data quality · ecom analytics",
    order=6,
)

TOTAL_COLUMNS = {
    "source": "Source",
    "rows_read": "Rows read",
    "rows_valid": "Valid",
    "rows_quarantined": "Quarantined",
    "quarantine_rate": "Quarantine rate",
}
TOTAL_FORMATS = {
    "rows_read": lambda v: f"{v:,.0f}",
    "rows_valid": lambda v: f"{v:,.0f}",
    "rows_quarantined": lambda v: f"{v:,.0f}",
    "quarantine_rate": lambda v: formatting.percent(v, 2),
}
CHECK_COLUMNS = {
    "status": "Result",
    "asset_key": "Asset",
    "check_name": "Check",
    "partition_key": "Partition",
    "severity": "Severity",
    "evaluated_at": "Evaluated (UTC)",
}
STATUS_COLORS = {"Passed": "success", "Warning": "warning", "Failed": "danger"}
CHECK_FORMATS = {
    "status": lambda status: dbc.Badge(status, color=STATUS_COLORS[status], className="fw-normal"),
    # Each result links to its asset's checks in the Dagster UI.
    "asset_key": lambda key: html.A(key, href=asset_checks_url(key), target="_blank"),
}
STATUS_FILTERS = {"all": "All", "Failed": "Failed", "Warning": "Warnings", "Passed": "Passed"}
ANOMALY_COLUMNS = {
    "day": "Day",
    "metric": "Metric",
    "value": "Value",
    "usual": "Usual band",
}
MATERIALIZATION_COLUMNS = {
    "asset_key": "Asset",
    "partition_key": "Last partition",
    "materialized_at": "Materialized (UTC)",
}


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Data quality",
                "Every record read is either valid or quarantined with its reasons. Checks and "
                "materializations are as of the snapshot's publication.",
                note="The date range applies to partition days; device and channel filters do "
                "not apply here.",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.graph_card(
                            "Quarantined records by reason",
                            "data-quality-by-reason",
                            subtitle="A record with two reasons counts under both",
                        ),
                        lg=7,
                    ),
                    dbc.Col(components.content_card("Rows by source", "data-quality-totals"), lg=5),
                ],
                className="g-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.content_card(
                            "Latest check results",
                            "data-quality-checks",
                            subtitle="Each asset links to its checks in the Dagster UI",
                            controls=_check_filters(),
                        ),
                        lg=7,
                    ),
                    dbc.Col(
                        components.content_card(
                            "Last materializations", "data-quality-materializations"
                        ),
                        lg=5,
                    ),
                ],
                className="g-3 mt-1",
            ),
            dbc.Row(
                dbc.Col(
                    components.content_card(
                        "Metric anomalies",
                        "data-quality-anomalies",
                        subtitle="Days a daily metric left its usual band (median ± k·MAD of "
                        "the 28 days before, same weekday weighted up); warnings, never blocking",
                    )
                ),
                className="g-3 mt-1",
            ),
        ]
    )


def _check_filters() -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                dcc.Input(
                    id="data-quality-check-filter",
                    type="search",
                    placeholder="Filter by asset or check name",
                    debounce=False,
                    className="form-control form-control-sm",
                ),
                md=7,
            ),
            dbc.Col(components.segmented("data-quality-check-status", STATUS_FILTERS, "all")),
        ],
        className="g-2",
    )


def totals_with_rate(totals: pd.DataFrame) -> pd.DataFrame:
    """Per-source rows plus an "All sources" line and the quarantine rate of each."""
    if totals.empty:
        return totals
    everything = totals[["rows_read", "rows_valid", "rows_quarantined"]].sum()
    frame = pd.concat(
        [totals, pd.DataFrame([{"source": "All sources", **everything.to_dict()}])],
        ignore_index=True,
    )
    frame["quarantine_rate"] = frame["rows_quarantined"] / frame["rows_read"].where(
        frame["rows_read"] > 0
    )
    return frame


def filter_checks(checks: pd.DataFrame, text: str | None, status: str | None) -> pd.DataFrame:
    """Checks whose asset or name contains `text` (any case) and whose result is `status`."""
    checks = checks.assign(
        status=[
            "Passed" if passed else "Warning" if severity == "WARN" else "Failed"
            for passed, severity in zip(checks["passed"], checks["severity"], strict=True)
        ]
    )
    if text:
        needle = text.strip().lower()
        names = checks["asset_key"].str.lower() + " " + checks["check_name"].str.lower()
        checks = checks[names.str.contains(needle, regex=False)]
    if status and status != "all":
        checks = checks[checks["status"] == status]
    return checks


def _checks_table(text: str | None = None, status: str | None = None) -> html.Div:
    every = data_quality.check_results()
    if every.empty:
        return html.P(
            "No asset checks had been evaluated when this snapshot was published.",
            className="text-muted small mb-0",
        )
    checks = filter_checks(every, text, status)
    failing = int((~every["passed"].astype(bool)).sum())
    summary = f"{len(every) - failing} of {len(every)} passed"
    if len(checks) < len(every):
        summary += f" · showing {len(checks)}"
    return html.Div(
        [
            html.P(summary, className="small text-muted mb-2", id="data-quality-check-summary"),
            # Scrolls inside its card: a full graph has well over a hundred checks.
            html.Div(
                components.table(
                    checks, CHECK_COLUMNS, CHECK_FORMATS, table_id="data-quality-check-table"
                ),
                className="scroll-table",
            ),
        ]
    )


def _anomalies_table(start, end) -> dbc.Table | html.P:
    fired = anomaly_flags.fired(resolve(start, end))
    if fired.empty:
        return html.P(
            "No metric left its usual band on these days.", className="text-muted small mb-0"
        )
    fired = fired.assign(
        metric=fired["metric"].map(anomaly_flags.label),
        value=fired["value"].map(lambda v: f"{v:,.4g}"),
        usual=[
            f"{lo:,.4g} – {hi:,.4g}"
            for lo, hi in zip(fired["lower_bound"], fired["upper_bound"], strict=True)
        ],
    )
    return components.table(
        fired,
        ANOMALY_COLUMNS,
        {"day": lambda day: f"{day:%Y-%m-%d}"},
        table_id="data-quality-anomaly-table",
    )


def update_data_quality(start, end):
    return (
        safely(
            lambda: figures.quarantine_by_reason(
                data_quality.quarantine_by_reason(resolve(start, end))
            ),
            figures.empty,
        ),
        safely(
            lambda: components.table(
                totals_with_rate(data_quality.quality_totals(resolve(start, end))),
                TOTAL_COLUMNS,
                TOTAL_FORMATS,
                table_id="data-quality-totals-table",
            ),
            components.error_message,
        ),
        safely(
            lambda: components.table(
                data_quality.materializations(),
                MATERIALIZATION_COLUMNS,
                table_id="data-quality-materializations-table",
            ),
            components.error_message,
        ),
        safely(lambda: _anomalies_table(start, end), components.error_message),
    )


callback(
    Output("data-quality-by-reason", "figure"),
    Output("data-quality-totals", "children"),
    Output("data-quality-materializations", "children"),
    Output("data-quality-anomalies", "children"),
    *DATES,
)(update_data_quality)


def update_check_table(text, status):
    return safely(lambda: _checks_table(text, status), components.error_message)


callback(
    Output("data-quality-checks", "children"),
    Input("data-quality-check-filter", "value"),
    Input("data-quality-check-status", "value"),
)(update_check_table)
