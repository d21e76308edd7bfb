"""Revenue gross, refunded and net on the dashboard (see `warehouse.py` for the numbers)."""

from __future__ import annotations

from datetime import date

import pytest

from app import data_revenue, figures_revenue
from app.filters import Filters

ALL_DAYS = Filters(date(2024, 3, 1), date(2024, 3, 4))


def _rows(frame):
    return [
        (row.day.date(), row.gross_revenue, row.refunded_revenue, row.net_revenue)
        for row in frame.itertuples()
    ]


def test_net_revenue_daily_subtracts_refunds_on_their_own_day(reading):
    # Gross: o1 100 | o2 50 | o3 80 | o4 120 + o5 40. Refunds: r1 30 on 2 Mar; r2 20 + r3 10
    # on 4 Mar. Net: 100 | 50 - 30 = 20 | 80 | 160 - 30 = 130.
    assert _rows(data_revenue.net_revenue_daily(ALL_DAYS)) == [
        (date(2024, 3, 1), 100.0, 0.0, 100.0),
        (date(2024, 3, 2), 50.0, 30.0, 20.0),
        (date(2024, 3, 3), 80.0, 0.0, 80.0),
        (date(2024, 3, 4), 160.0, 30.0, 130.0),
    ]


def test_net_revenue_daily_gives_refunds_the_device_and_channel_of_their_order(reading):
    desktop = Filters(date(2024, 3, 1), date(2024, 3, 4), devices=("desktop",))
    # Desktop orders: o1 100 (1 Mar), o3 80 (3 Mar). Refunds of desktop orders: r1 30 (o1).
    # r2's order o9 is not in the warehouse: no device, so it drops out under the filter.
    assert _rows(data_revenue.net_revenue_daily(desktop)) == [
        (date(2024, 3, 1), 100.0, 0.0, 100.0),
        (date(2024, 3, 2), 0.0, 30.0, -30.0),
        (date(2024, 3, 3), 80.0, 0.0, 80.0),
        (date(2024, 3, 4), 0.0, 0.0, 0.0),
    ]
    email = Filters(date(2024, 3, 4), date(2024, 3, 4), channels=("email",))
    # 4 Mar, email: o4 120 gross; r3 10 refunded (o4); net 110.
    assert _rows(data_revenue.net_revenue_daily(email)) == [(date(2024, 3, 4), 120.0, 10.0, 110.0)]


def test_refund_rate_by_category(reading):
    frame = data_revenue.refund_rate_by_category(ALL_DAYS)
    # Apparel: 20 of 80 = 25%. Footwear: 30 + 10 = 40 of 100 + 50 + 120 + 40 = 310.
    assert frame["category"].tolist() == ["Apparel", "Footwear"]
    assert frame["refunded_revenue"].tolist() == [20.0, 40.0]
    assert frame["refund_rate"].tolist() == pytest.approx([0.25, 40 / 310])
    only_footwear = Filters(date(2024, 3, 1), date(2024, 3, 4), categories=("Footwear",))
    assert data_revenue.refund_rate_by_category(only_footwear)["category"].tolist() == ["Footwear"]


def test_revenue_figures_show_gross_refunded_and_net(reading):
    daily = data_revenue.net_revenue_daily(ALL_DAYS)
    figure = figures_revenue.net_revenue_trend(daily)
    assert [trace.name for trace in figure.data] == ["Gross", "Refunded", "Net"]
    assert list(figure.data[1].y) == [0.0, -30.0, 0.0, -30.0]
    # 390 gross, 60 refunded, 330 net.
    assert figures_revenue.revenue_totals(daily) == "Gross $390.00 · refunded $60.00 · net $330.00"
