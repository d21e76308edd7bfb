"""`app.figures`: DataFrame in, figure out, with the numbers where the reader looks for them."""

from __future__ import annotations

from datetime import date

import pandas as pd

from app import (
    data,
    data_behaviour,
    data_products,
    data_quality,
    figure_style,
    figures,
    figures_products,
    metrics,
)
from app.filters import Filters

ALL_DAYS = Filters(date(2024, 3, 1), date(2024, 3, 4))


def _annotation(figure) -> str:
    return figure.layout.annotations[0].text


def test_sales_trend_draws_revenue_bars_and_an_orders_line(reading):
    figure = figures.sales_trend(data.daily_sales(ALL_DAYS))
    bars, line = figure.data
    assert (bars.type, line.type) == ("bar", "scatter")
    assert list(bars.y) == [100.0, 50.0, 80.0, 160.0]
    assert list(line.y) == [1, 1, 1, 2]
    assert line.yaxis == "y2"


def test_funnel_labels_each_step_with_conversion_from_the_one_before(reading):
    steps = metrics.funnel_steps(data.funnel_totals(ALL_DAYS), data.FUNNEL_STEPS)
    (trace,) = figures.funnel(steps).data
    assert list(trace.x) == [84, 33, 15, 8, 5]
    assert list(trace.text) == ["84", "33 · 39.3%", "15 · 45.5%", "8 · 53.3%", "5 · 62.5%"]


def test_retention_heatmap_shows_each_cohort_week_as_a_row(reading):
    matrix = metrics.retention_matrix(data.retention(ALL_DAYS))
    (trace,) = figures.retention_heatmap(matrix).data
    assert list(trace.y) == ["26 Feb 2024", "4 Mar 2024"]
    assert list(trace.x) == ["W0", "W1"]
    assert trace.text[0] == ["100%", "25%"]
    assert trace.z[0][1] == 0.25


def test_activity_heatmap_is_weekday_by_hour(reading):
    grid = metrics.hour_weekday_matrix(data_behaviour.activity_by_hour(ALL_DAYS, "events"))
    (trace,) = figures.activity_heatmap(grid, "Events").data
    assert list(trace.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(trace.x) == 24
    assert trace.z[4][10] == 40  # Friday 10:00


def test_top_products_put_the_best_on_top(reading):
    products = data_products.top_products(ALL_DAYS, "revenue")
    (trace,) = figures_products.top_products(products, "revenue", "Revenue").data
    assert list(trace.y) == ["Rain Jacket", "Wool Socks", "Trail Shoe"]  # plotted bottom-up
    assert list(trace.text) == ["$80.00", "$90.00", "$220.00"]


def test_quarantine_chart_has_one_series_per_reason(reading):
    figure = figures.quarantine_by_reason(data_quality.quarantine_by_reason(ALL_DAYS))
    assert sorted(trace.name for trace in figure.data) == [
        "duplicate_event_id",
        "invalid_value:device",
        "missing_required_field:user_id",
        "unknown_product",
    ]
    assert figure.layout.barmode == "stack"


def test_distribution_and_conversion_bars_carry_their_counts(reading):
    (durations,) = figures.distribution(data_behaviour.session_durations(ALL_DAYS), "Sessions").data
    assert list(durations.y) == [2, 1, 1, 1, 1, 0, 1, 1]
    by_channel = metrics.conversion_by(data.funnel_by(ALL_DAYS, "channel"), "channel")
    (bars,) = figures.conversion_bars(by_channel, "channel").data
    assert dict(zip(bars.x, bars.text, strict=True))["organic_search"] == "25.0%"


def test_every_figure_says_so_when_there_is_nothing_to_draw():
    empty = pd.DataFrame()
    no_days = pd.DataFrame({"day": [], "revenue": [], "orders": []})
    for figure in (
        figures.sales_trend(no_days),
        figures.engagement_lines(empty),
        figures.stickiness_line(empty),
        figures_products.category_revenue(empty),
        figures_products.view_to_purchase(empty),
        figures.retention_heatmap(empty),
        figures.conversion_bars(empty, "device"),
    ):
        assert not figure.data
        assert _annotation(figure) == figure_style.NO_DATA
    assert _annotation(figures.quarantine_by_reason(empty)) == "Nothing quarantined in this period"
