"""Funnel: sessions through product view, cart, checkout and purchase, by device and channel."""

from __future__ import annotations

import dash
from dash import Output, callback, html

from app import components, data, figures, formatting, metrics
from app.inputs import DATES, SEGMENTS, needs_data, resolve, safely

dash.register_page(
    __name__, path="/funnel", name="Funnel", title="Funnel · ecom analytics", order=2
)

STEP_COLUMNS = {
    "step": "Step",
    "sessions": "Sessions",
    "step_conversion": "From previous step",
    "drop_off": "Drop-off",
    "share_of_sessions": "Of all sessions",
}
STEP_FORMATS = {
    "sessions": formatting.count,
    "step_conversion": formatting.percent,
    "drop_off": formatting.percent,
    "share_of_sessions": formatting.percent,
}


@needs_data
def layout(**_query):
    return html.Div(
        [
            components.page_header(
                "Funnel",
                "Sessions that viewed a product, then also added to cart, began checkout and "
                "purchased. Conversion rate = purchase sessions / sessions.",
            ),
            components.side_by_side(
                components.graph_card("Session funnel", "funnel-steps-chart"),
                components.content_card(
                    "Conversion and drop-off per step",
                    "funnel-steps-table",
                    subtitle="Drop-off = 1 − step / previous step",
                ),
            ),
            components.side_by_side(
                components.graph_card("Conversion by device", "funnel-by-device", height=280),
                components.graph_card("Conversion by channel", "funnel-by-channel", height=280),
                class_name="g-3 mt-1",
            ),
        ]
    )


def update_funnel(start, end, devices, channels):
    def steps():
        f = resolve(start, end, devices, channels)
        return metrics.funnel_steps(data.funnel_totals(f), data.FUNNEL_STEPS)

    def by(dimension):
        f = resolve(start, end, devices, channels)
        return figures.conversion_bars(
            metrics.conversion_by(data.funnel_by(f, dimension), dimension), dimension
        )

    return (
        safely(lambda: figures.funnel(steps()), figures.empty),
        safely(
            lambda: components.table(steps(), STEP_COLUMNS, STEP_FORMATS),
            components.error_message,
        ),
        safely(lambda: by("device"), figures.empty),
        safely(lambda: by("channel"), figures.empty),
    )


callback(
    Output("funnel-steps-chart", "figure"),
    Output("funnel-steps-table", "children"),
    Output("funnel-by-device", "figure"),
    Output("funnel-by-channel", "figure"),
    *DATES,
    *SEGMENTS,
)(update_funnel)
