"""KPI arithmetic, funnel steps and heatmap matrices, worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from app import data, metrics
from app.filters import Filters


def _totals(revenue, orders, sessions, purchase_sessions, average_dau):
    return pd.DataFrame(
        [
            {
                "revenue": revenue,
                "orders": orders,
                "sessions": sessions,
                "purchase_sessions": purchase_sessions,
                "average_dau": average_dau,
            }
        ]
    )


def test_kpis_compare_each_value_with_the_previous_period():
    current = _totals(240.0, 3, 44, 3, 20.0)
    previous = _totals(150.0, 2, 40, 2, 18.0)
    kpis = {kpi.key: kpi for kpi in metrics.kpis(current, previous)}

    assert kpis["revenue"].change == pytest.approx(0.6)  # 240 / 150 - 1
    assert kpis["orders"].change == pytest.approx(0.5)
    assert kpis["aov"].value == 80.0 and kpis["aov"].previous == 75.0
    assert kpis["aov"].change == pytest.approx(1 / 15)  # 80 / 75 - 1
    assert kpis["conversion_rate"].value == pytest.approx(3 / 44)
    # Rates change in percentage points: 6.82% - 5.00%.
    assert kpis["conversion_rate"].change == pytest.approx(3 / 44 - 0.05)
    assert kpis["dau"].change == pytest.approx(1 / 9)  # 20 / 18 - 1

    assert [kpis[k].display_value for k in kpis] == ["$240.00", "3", "$80.00", "6.8%", "20"]
    assert [kpis[k].display_change for k in kpis] == [
        "+60.0%",
        "+50.0%",
        "+6.7%",
        "+1.8 pp",
        "+11.1%",
    ]


def test_kpis_without_a_previous_base_show_no_change():
    kpis = {
        k.key: k for k in metrics.kpis(_totals(390.0, 5, 84, 5, 19.0), _totals(0, 0, 0, 0, None))
    }
    assert kpis["revenue"].change is None and kpis["revenue"].display_change == "—"
    assert kpis["aov"].previous is None
    assert kpis["conversion_rate"].previous is None
    assert kpis["dau"].previous is None


def test_funnel_steps_give_conversion_and_drop_off_against_the_previous_step():
    totals = pd.DataFrame([{"s": 84, "pv": 33, "atc": 15, "co": 8, "p": 5}])
    labels = {"s": "Sessions", "pv": "Viewed", "atc": "Cart", "co": "Checkout", "p": "Purchased"}
    steps = metrics.funnel_steps(totals, labels)

    assert steps["step"].tolist() == list(labels.values())
    assert pd.isna(steps["step_conversion"][0]) and pd.isna(steps["drop_off"][0])
    assert steps["step_conversion"][1:].round(4).tolist() == [0.3929, 0.4545, 0.5333, 0.625]
    assert steps["drop_off"][1:].round(4).tolist() == [0.6071, 0.5455, 0.4667, 0.375]
    assert steps["share_of_sessions"].iloc[-1] == pytest.approx(5 / 84)


def test_funnel_steps_after_an_empty_step_have_no_conversion():
    steps = metrics.funnel_steps(
        pd.DataFrame([{"a": 10, "b": 0, "c": 0}]), dict.fromkeys("abc", "")
    )
    assert steps["step_conversion"][1] == 0.0
    assert pd.isna(steps["step_conversion"][2])


def test_conversion_by_device_on_the_fixture(reading):
    by_device = metrics.conversion_by(
        data.funnel_by(Filters(date(2024, 3, 1), date(2024, 3, 4)), "device"), "device"
    )
    assert by_device.set_index("device")["conversion_rate"].to_dict() == {
        "tablet": 0.25,
        "desktop": 0.1,
        "mobile": 0.04,
        "unknown": 0.0,
    }


def test_retention_matrix_puts_weeks_since_first_seen_in_columns(reading):
    matrix = metrics.retention_matrix(data.retention(Filters(date(2024, 3, 1), date(2024, 3, 4))))
    assert matrix.shape == (2, 2)
    assert matrix.iloc[0].tolist() == [1.0, 0.25]
    assert matrix.iloc[1, 0] == 1.0 and pd.isna(matrix.iloc[1, 1])


def test_hour_weekday_matrix_is_a_full_week_of_hours():
    cells = pd.DataFrame({"day_of_week": [5, 1], "activity_hour": [10, 23], "value": [40, 7]})
    grid = metrics.hour_weekday_matrix(cells)
    assert grid.shape == (7, 24)
    assert grid.loc["Fri", 10] == 40 and grid.loc["Mon", 23] == 7
    assert grid.values.sum() == 47
