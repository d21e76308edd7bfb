"""The dashboard in a real headless Chromium on the fixture snapshot: every page draws its
figures, KPIs show the hand-computed values, filters update figures, survive navigation and
travel in a copied address, CSV downloads hold the data shown, and the browser console stays
free of errors."""

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
    # Filters live in the address: one without a query starts from the defaults.
    browser.get(site + "/")
    return browser


def _open(driver, url):
    driver.get(url)
    wait_until_ready(driver)
    driver.console.extend(driver.get_log("browser"))


def _text(driver, selector) -> str:
    # A card re-rendered between finding it and reading it (the loading state, a second
    # callback settling) is found again rather than read stale.
    return WebDriverWait(driver, 5, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: d.find_element(By.CSS_SELECTOR, selector).text
    )


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


def test_a_copied_address_reopens_the_same_filters(page, site):
    browser = page
    _open(browser, site + "/")
    _choose(browser, "filters-device", "mobile")
    _wait_for_text(browser, "#overview-kpi-revenue .kpi-value", "$170.00")
    browser.find_element(By.LINK_TEXT, "Funnel").click()
    # The page link drops the query; the address gets it back at once.
    WebDriverWait(browser, 10).until(
        lambda d: "/funnel?" in d.current_url and "device=mobile" in d.current_url
    )
    copied = browser.current_url
    assert "start=2024-03-01" in copied and "end=2024-03-04" in copied

    # A different browser, with nothing stored: the address alone sets the filters.
    with headless_chromium(1280, 900) as other:
        other.console = []
        _open(other, copied)
        _wait_for_text(other, "#filters-device-value", "Mobile")
        WebDriverWait(other, 10).until(
            lambda d: (_first_trace(d, "funnel-by-device", "x") or [None]) == ["mobile"]
        )
        other.find_element(By.LINK_TEXT, "Overview").click()
        # o2 $50 + o4 $120 on mobile, as in the browser the address was copied from.
        _wait_for_text(other, "#overview-kpi-revenue .kpi-value", "$170.00")
        assert "device=mobile" in other.current_url


def _download_csv(driver, target, folder):
    """Click the CSV button of the card around `target`; the rows of the file it saves."""
    import csv
    import time

    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    button = next(
        b
        for b in driver.find_elements(By.CSS_SELECTOR, "button.csv-button")
        if f'"target":"{target}"' in b.get_attribute("id")
    )
    button.click()
    path = folder / f"{target}.csv"
    WebDriverWait(driver, 10).until(lambda _d: path.exists() and path.stat().st_size > 0)
    time.sleep(0.2)  # let the browser finish writing the small file
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_a_charts_csv_download_holds_exactly_the_charts_data(page, site, tmp_path):
    browser = page
    _open(browser, site + "/")
    WebDriverWait(browser, 10).until(lambda d: _first_trace(d, "overview-trend", "y"))
    drawn = browser.execute_script(
        "const g = document.querySelector('#overview-trend .js-plotly-plot');"
        "return g._fullData.map((t) => [t.name, Array.from(t.x), Array.from(t.y)]);"
    )
    rows = _download_csv(browser, "overview-trend", tmp_path)

    assert rows[0] == ["series", "x", "y"]
    expected = [[name, x, y] for name, xs, ys in drawn for x, y in zip(xs, ys, strict=True)]
    assert [[r[0], r[1], float(r[2])] for r in rows[1:]] == expected
    # Revenue of 1-4 Mar adds up to the KPI card's $390 (hand-computed in the fixture).
    assert sum(float(r[2]) for r in rows[1:] if r[0] == "Revenue") == 390


def test_a_tables_csv_download_holds_its_rows_as_shown(page, site, tmp_path):
    browser = page
    _open(browser, site + "/data-quality")
    shown = browser.execute_script(
        "return [...document.querySelectorAll('#data-quality-totals tr')].map((tr) =>"
        " [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim()));"
    )
    rows = _download_csv(browser, "data-quality-totals", tmp_path)
    assert rows == shown
    assert rows[0] == ["Source", "Rows read", "Valid", "Quarantined", "Quarantine rate"]


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
