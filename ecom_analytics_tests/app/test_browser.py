"""The dashboard in a real headless Chromium on the fixture snapshot: every page draws its
figures, KPIs show the hand-computed values, filters update figures and survive navigation,
and the browser console stays free of errors."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from app import data
from app.app import create_app
from app.browser import headless_chromium
from app.screenshots import wait_until_ready
from app.serve import serving

pytestmark = pytest.mark.slow

# Path -> how many graphs the page draws.
PAGES = {
    "/": 2,  # revenue and orders; gross, refunded and net revenue
    "/engagement": 2,
    "/funnel": 3,
    "/products": 4,  # with refund rate by category
    "/cohorts": 1,
    "/behaviour": 3,
    "/data-quality": 1,
}
TRACE_COUNTS_JS = """
return [...document.querySelectorAll(".js-plotly-plot")].map((graph) => (graph.data || []).length);
"""


@pytest.fixture(scope="module")
def browser():
    with headless_chromium(1280, 900) as driver:
        driver.console = []
        yield driver


@pytest.fixture(scope="module")
def site(snapshot):
    with serving(create_app(snapshot)) as url:
        yield url
    data.configure(None)


@pytest.fixture
def page(browser, site):
    """The browser on the fixture site with the filters back at their defaults."""
    # Filters persist in the tab's session storage, so one test's choice would leak into the next.
    browser.get(site + "/")
    browser.execute_script("window.sessionStorage.clear();")
    return browser


def _open(driver, url):
    driver.get(url)
    wait_until_ready(driver)
    driver.console.extend(driver.get_log("browser"))


def _text(driver, selector) -> str:
    return driver.find_element(By.CSS_SELECTOR, selector).text


def _wait_for_text(driver, selector, expected, timeout=10):
    # Elements are replaced while callbacks re-render them.
    WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: _text(d, selector) == expected
    )


def _first_trace(driver, graph_id, axis):
    """The `axis` values of a graph's first trace as drawn (None until it is drawn)."""
    # Plotly decodes the numbers it was sent into typed arrays in `_fullData`.
    return driver.execute_script(
        "const g = document.querySelector(`#${arguments[0]} .js-plotly-plot`);"
        "return g && g._fullData && g._fullData.length"
        " ? Array.from(g._fullData[0][arguments[1]]) : null;",
        graph_id,
        axis,
    )


def _choose(driver, dropdown_id, value):
    driver.find_element(By.ID, dropdown_id).click()
    option = WebDriverWait(driver, 5).until(
        lambda d: d.find_element(
            By.XPATH,
            f"//label[contains(@class, 'dash-dropdown-option')][.//input[@value='{value}']]",
        )
    )
    option.click()
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)


def test_every_page_draws_all_its_figures_with_data(page, site):
    browser = page
    for path, graphs in PAGES.items():
        _open(browser, site + path)
        traces = browser.execute_script(TRACE_COUNTS_JS)
        assert len(traces) == graphs, path
        assert all(count > 0 for count in traces), f"{path} has an empty figure: {traces}"
        assert "Could not load" not in browser.find_element(By.TAG_NAME, "body").text


def test_overview_kpis_show_the_hand_computed_values(page, site):
    browser = page
    _open(browser, site + "/")
    values = {
        key: _text(browser, f"#overview-kpi-{key} .kpi-value")
        for key in ("revenue", "orders", "aov", "conversion-rate", "dau")
    }
    # 1-4 Mar: $390 from 5 orders, 5 purchases in 84 sessions, DAU (20+16+18+22)/4.
    assert values == {
        "revenue": "$390.00",
        "orders": "5",
        "aov": "$78.00",
        "conversion-rate": "6.0%",
        "dau": "19",
    }
    assert "Data 1 Mar – 4 Mar 2024 · published 5 Mar 2024 02:30 UTC" in _text(
        browser, "#shell-as-of"
    )


def test_device_filter_updates_figures_and_is_kept_across_pages(page, site):
    browser = page
    _open(browser, site + "/")
    _choose(browser, "filters-device", "mobile")
    # o2 $50 + o4 $120; 2 purchases in 50 mobile sessions.
    _wait_for_text(browser, "#overview-kpi-revenue .kpi-value", "$170.00")
    assert _text(browser, "#overview-kpi-conversion-rate .kpi-value") == "4.0%"

    browser.find_element(By.LINK_TEXT, "Funnel").click()
    WebDriverWait(browser, 10).until(
        lambda d: (_first_trace(d, "funnel-steps-chart", "x") or [None])[0] == 50
    )
    assert _text(browser, "#filters-device-value") == "Mobile"
    assert _first_trace(browser, "funnel-by-device", "x") == ["mobile"]

    browser.refresh()
    wait_until_ready(browser)
    assert _text(browser, "#filters-device-value") == "Mobile"
    browser.console.extend(browser.get_log("browser"))


def test_picking_dates_compares_them_with_the_days_just_before(page, site):
    browser = page
    _open(browser, site + "/")
    browser.find_element(By.ID, "filters-date").click()
    for day in ("3", "4"):
        WebDriverWait(browser, 5).until(
            lambda d, day=day: d.find_element(
                By.XPATH,
                "(//table[contains(@class, 'dash-datepicker-calendar')])[1]"
                f"//td[@aria-disabled='false'][normalize-space()='{day}']",
            )
        ).click()
    # 3-4 Mar: $240 against $150 on 1-2 Mar.
    _wait_for_text(browser, "#overview-kpi-revenue .kpi-change", "+60.0%")
    assert _text(browser, "#overview-kpi-revenue .kpi-value") == "$240.00"
    assert _text(browser, "#overview-kpi-conversion-rate .kpi-change") == "+1.8 pp"
    assert _text(browser, "#overview-period").startswith("3 Mar – 4 Mar 2024 (2 days)")
    browser.console.extend(browser.get_log("browser"))


def test_the_category_filter_shows_only_on_the_products_page(page, site):
    browser = page
    _open(browser, site + "/products")
    assert browser.find_element(By.ID, "filters-category-field").is_displayed()
    _choose(browser, "filters-category", "Apparel")
    WebDriverWait(browser, 10).until(
        lambda d: _first_trace(d, "products-by-category", "y") == ["Apparel"]
    )
    _open(browser, site + "/cohorts")
    assert not browser.find_element(By.ID, "filters-category-field").is_displayed()


def test_the_browser_console_has_no_errors(browser, site):
    _open(browser, site + "/data-quality")
    severe = [entry for entry in browser.console if entry["level"] == "SEVERE"]
    assert not severe, severe


def test_without_a_snapshot_the_browser_shows_no_data_yet(browser, tmp_path):
    with serving(create_app(tmp_path / "absent.duckdb")) as url:
        _open(browser, url + "/funnel")
        assert "No data yet" in _text(browser, "#no-data")
        assert "make demo" in _text(browser, "#no-data")
        assert not browser.find_element(By.CLASS_NAME, "filter-bar").is_displayed()
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
    data.configure(None)
