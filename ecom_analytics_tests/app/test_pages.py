"""Page callbacks called directly: what each card shows for given filters, and how a page
behaves without data or when a query fails."""

from __future__ import annotations

import importlib

import pytest
from dash import html

from app import data
from app.app import create_app

PAGES = ("overview", "engagement", "funnel", "products", "cohorts", "behaviour", "data_quality")


@pytest.fixture
def pages(reading):
    create_app(reading)
    return {name: importlib.import_module(f"app.pages.{name}") for name in PAGES}


def _text(component) -> str:
    """All the text inside a Dash component tree."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return "".join(_text(child) for child in component)
    children = getattr(component, "children", None)
    return "" if children is None else _text(children)


def _find(component, element_id):
    if getattr(component, "id", None) == element_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str):
            found = _find(child, element_id)
            if found is not None:
                return found
    return None


def _all(component, kind) -> list:
    """Every component of type `kind` inside a Dash component tree, in order."""
    found = [component] if isinstance(component, kind) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _all(child, kind)
    return found


def test_overview_kpis_compare_with_the_previous_period(pages):
    kpis, period, trend = pages["overview"].update_overview("2024-03-03", "2024-03-04", [], [])
    cards = html.Div(kpis)
    assert _text(_find(cards, "overview-kpi-revenue")) == (
        "Revenue$240.00+60.0% vs previous period"
    )
    assert _text(_find(cards, "overview-kpi-aov")).startswith("Average order value$80.00+6.7%")
    assert "6.8%+1.8 pp" in _text(_find(cards, "overview-kpi-conversion-rate"))
    assert "20+11.1%" in _text(_find(cards, "overview-kpi-dau"))
    assert _text(period) == "3 Mar – 4 Mar 2024 (2 days) compared with 1 Mar – 2 Mar 2024"
    assert list(trend.data[0].y) == [80.0, 160.0]


def test_overview_follows_the_device_filter(pages):
    kpis, _, _ = pages["overview"].update_overview("2024-03-03", "2024-03-04", ["mobile"], [])
    revenue = _text(_find(html.Div(kpis), "overview-kpi-revenue"))
    assert revenue == "Revenue$120.00+140.0% vs previous period"  # o4 against o2 ($50)


def test_every_page_callback_fills_its_outputs_for_the_default_filters(pages):
    calls = {
        "engagement": lambda m: m.update_engagement(None, None),
        "funnel": lambda m: m.update_funnel(None, None, None, None),
        "products": lambda m: m.update_products(None, None, None, "revenue"),
        "cohorts": lambda m: m.update_cohorts(None, None),
        "behaviour": lambda m: m.update_behaviour(None, None, None, None, "events"),
        "data_quality": lambda m: (
            *m.update_data_quality(None, None),
            m.update_check_table(None, "all"),
        ),
    }
    for name, call in calls.items():
        for output in call(pages[name]):
            if hasattr(output, "data"):  # a figure
                assert output.data, f"{name} drew an empty figure"
            else:
                assert "Could not load" not in _text(output), name


def test_data_quality_tables_show_hand_computed_totals(pages):
    page = pages["data_quality"]
    _, totals, materializations, anomalies = page.update_data_quality(None, None)
    assert "events3303246" in _text(totals)
    assert "All sources3433376" in _text(totals)
    assert "1 of 2 passed" in _text(page.update_check_table(None, "all"))
    assert "marts/fct_orders2024-03-042024-03-05 02:15" in _text(materializations)
    # The fixture's one fired anomaly; the orders verdict of the same day did not fire.
    assert _text(anomalies) == "DayMetricValueUsual band2024-03-03DAU1819.5 – 24.5"


def test_the_check_table_filters_by_name_and_result_and_links_to_dagster(pages):
    page = pages["data_quality"]
    # Two checks: fct_orders_ids_are_unique passed, quarantine_rate_is_low warned.
    warned = _text(page.update_check_table(None, "Warning"))
    assert "quarantine_rate_is_low" in warned and "fct_orders_ids_are_unique" not in warned
    assert "1 of 2 passed · showing 1" in warned
    by_name = page.update_check_table("ORDERS", "all")
    assert "fct_orders_ids_are_unique" in _text(by_name)
    assert "quarantine_rate_is_low" not in _text(by_name)
    links = [a.href for a in _all(by_name, html.A)]
    assert links == ["http://127.0.0.1:3000/assets/marts/fct_orders?view=checks"]


def test_a_failing_query_becomes_a_short_message_on_its_card(pages, monkeypatch):
    def broken(_filters):
        raise RuntimeError("Catalog Error: Table with name fct_funnel does not exist!")

    monkeypatch.setattr(data, "funnel_totals", broken)
    chart, table, by_device, _ = pages["funnel"].update_funnel(None, None, None, None)
    assert "Could not load this: Catalog Error" in chart.layout.annotations[0].text
    assert "Could not load this: Catalog Error" in _text(table)
    assert by_device.data  # the other cards still draw


def test_without_a_snapshot_every_page_shows_no_data_yet(pages, tmp_path):
    data.configure(tmp_path / "absent.duckdb")
    for name in PAGES:
        layout = pages[name].layout()
        assert layout.id == "no-data"
        assert "No data yet" in _text(layout)
        assert "make demo" in _text(layout)
    kpis, _, trend = pages["overview"].update_overview(None, None, None, None)
    assert "No data yet" in _text(kpis)
    assert "No data yet" in trend.layout.annotations[0].text


def test_the_shell_renders_without_data(tmp_path):
    app = create_app(tmp_path / "absent.duckdb")
    response = app.server.test_client().get("/_dash-layout")
    assert response.status_code == 200
    assert b"No data published yet" in response.data


def test_anomalies_are_flagged_on_the_days_they_fire_in_overview_and_engagement(pages):
    # The fixture's DAU anomaly on 3 Mar: shaded on both trend charts, flagged above the day.
    _, _, trend = pages["overview"].update_overview(None, None, None, None)
    active, _ = pages["engagement"].update_engagement(None, None)
    for figure in (trend, active):
        flags = [a for a in figure.layout.annotations if a.text.startswith("⚑")]
        assert [(str(a.x)[:10], a.text) for a in flags] == [("2024-03-03", "⚑")]
        assert "DAU 18 (usual 19.5–24.5)" in flags[0].hovertext
        assert len(figure.layout.shapes) == 1
