"""A real materialization while the dashboard serves in its own process: both succeed, and
the dashboard shows the published data afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

from ecom_analytics_tests.dbt.landing import materialize_landing_zone


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"dashboard did not answer at {url}")


def test_dashboard_keeps_serving_while_a_run_writes_and_then_shows_its_data(tmp_path):
    snapshot = tmp_path / "data" / "dashboard.duckdb"  # where the run will publish
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    dashboard = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ecom_analytics.cli",
            "dashboard",
            "--port",
            str(port),
            "--db",
            str(snapshot),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    statuses: list[int] = []
    stop = threading.Event()

    def browse() -> None:
        while not stop.is_set():
            for path in ("/", "/funnel", "/_dash-layout"):
                try:
                    statuses.append(_get(url + path)[0])
                except OSError:
                    statuses.append(0)
            time.sleep(0.2)

    try:
        _wait_until_up(url)
        assert "No data published yet" in _get(url + "/_dash-layout")[1]
        browser = threading.Thread(target=browse, daemon=True)
        browser.start()
        materialize_landing_zone(tmp_path)  # asserts the run succeeded
        stop.set()
        browser.join(timeout=30)
        layout = _get(url + "/_dash-layout")[1]
    finally:
        stop.set()
        dashboard.terminate()
        try:
            dashboard.wait(timeout=20)
        except subprocess.TimeoutExpired:
            # Shutting down is not what this test is about: under heavy disk load the
            # process can sit in uninterruptible I/O past any grace period.
            dashboard.kill()
            dashboard.wait()

    assert statuses, "the dashboard was never asked anything during the run"
    assert set(statuses) == {200}
    assert "Data 1 Jan" in layout and "published" in layout
