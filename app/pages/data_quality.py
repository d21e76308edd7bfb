"""Data quality: what validation quarantined and why, check results and materializations."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Output, callback, html

from app import components, data, figures, formatting
from app.inputs import DATES, resolve, safely

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
    "status": lambda status: dbc.Badge(status, color=STATUS_COLORS[status], className="fw-normal")
}
MATERIALIZATION_COLUMNS = {
    "asset_key": "Asset",
    "partition_key": "Last partition",
    "materialized_at": "Materialized (UTC)",
}


def layout(**_query):
    if data.snapshot_info() is None:
        return components.no_data(str(data.reader().path))
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
                            "Latest check results", "data-quality-checks", subtitle=""
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
        ]
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


def _checks_table() -> html.Div:
    checks = data.check_results()
    if checks.empty:
        return html.P(
            "No asset checks had been evaluated when this snapshot was published.",
            className="text-muted small mb-0",
        )
    checks["status"] = [
        "Passed" if passed else "Warning" if severity == "WARN" else "Failed"
        for passed, severity in zip(checks["passed"], checks["severity"], strict=True)
    ]
    failing = int((~checks["passed"].astype(bool)).sum())
    summary = f"{len(checks) - failing} of {len(checks)} passed"
    return html.Div(
        [
            html.P(summary, className="small text-muted mb-2", id="data-quality-check-summary"),
            components.table(
                checks, CHECK_COLUMNS, CHECK_FORMATS, table_id="data-quality-check-table"
            ),
        ]
    )


def update_data_quality(start, end):
    return (
        safely(
            lambda: figures.quarantine_by_reason(data.quarantine_by_reason(resolve(start, end))),
            figures.empty,
        ),
        safely(
            lambda: components.table(
                totals_with_rate(data.quality_totals(resolve(start, end))),
                TOTAL_COLUMNS,
                TOTAL_FORMATS,
                table_id="data-quality-totals-table",
            ),
            components.error_message,
        ),
        safely(_checks_table, components.error_message),
        safely(
            lambda: components.table(
                data.materializations(),
                MATERIALIZATION_COLUMNS,
                table_id="data-quality-materializations-table",
            ),
            components.error_message,
        ),
    )


callback(
    Output("data-quality-by-reason", "figure"),
    Output("data-quality-totals", "children"),
    Output("data-quality-checks", "children"),
    Output("data-quality-materializations", "children"),
    *DATES,
)(update_data_quality)
