"""PNG screenshots of every page, taken in headless Chromium against a locally served app."""

from __future__ import annotations

import time
from pathlib import Path

import dash

from app.app import create_app
from app.browser import headless_chromium
from app.serve import serving

# True once the page has rendered (a page header, or the no-data notice), no callback is
# pending and every graph holds the figure its callback sent: traces or an explaining note.
PAGE_READY_JS = """
const content = document.querySelector("#_pages_content .page-header, #no-data");
if (!content || document.querySelector("[data-dash-is-loading]")) return false;
return [...document.querySelectorAll(".dash-graph")].every((container) => {
    const graph = container.querySelector(".js-plotly-plot");
    return graph && graph._fullLayout && ((graph.data || []).length > 0
        || ((graph.layout || {}).annotations || []).length > 0);
});
"""


def wait_until_ready(driver, timeout: float = 20.0) -> None:
    """Wait for `PAGE_READY_JS` to hold; TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not driver.execute_script(PAGE_READY_JS):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{driver.current_url} did not finish rendering")
        time.sleep(0.1)


def page_file_name(page: dict) -> str:
    return page["module"].rsplit(".", 1)[-1].replace("_", "-") + ".png"


def write_screenshots(out_dir: Path, db_path: Path | None = None, width: int = 1440) -> list[Path]:
    """One full-page PNG per page in `out_dir`; returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(db_path)
    pages = sorted(dash.page_registry.values(), key=lambda page: page.get("order", 99))
    written = []
    with serving(app) as url, headless_chromium(width, 900) as driver:
        for page in pages:
            driver.set_window_size(width, 900)
            driver.get(url + page["path"])
            wait_until_ready(driver)
            # The window is taller than the page it shows by the browser's own frame.
            height, frame = driver.execute_script(
                "return [document.documentElement.scrollHeight,"
                " window.outerHeight - window.innerHeight];"
            )
            driver.set_window_size(width, height + frame)
            # Responsive graphs redraw at the new size.
            time.sleep(0.5)
            wait_until_ready(driver)
            # Headless Chromium reports no hover, so Plotly would show every toolbar.
            driver.execute_script(
                "document.querySelectorAll('.modebar-container')"
                ".forEach((bar) => { bar.style.display = 'none'; });"
            )
            target = out_dir / page_file_name(page)
            driver.save_screenshot(str(target))
            written.append(target)
    return written
