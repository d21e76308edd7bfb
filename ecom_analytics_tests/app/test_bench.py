"""The callback benchmark covers every page callback (its numbers are not asserted)."""

from __future__ import annotations

from app import data
from app.app import create_app
from app.bench import measure_callbacks, page_callbacks


def test_measure_callbacks_returns_p50_and_p95_for_every_page_callback(snapshot):
    results = measure_callbacks(snapshot, repeats=3)
    assert set(results) == {
        "behaviour.update_behaviour",
        "cohorts.update_cohorts",
        "data_quality.update_data_quality",
        "data_quality.update_check_table",
        "engagement.update_engagement",
        "funnel.update_funnel",
        "overview.update_net_revenue",
        "overview.update_overview",
        "products.update_products",
        "shell.read_address",
        "products.update_refund_rate",
    }
    for timing in results.values():
        assert 0 < timing["p50_ms"] <= timing["p95_ms"]
        assert timing["repeats"] == 3
    data.configure(None)


def test_every_server_callback_of_the_app_is_a_page_callback(snapshot):
    app = create_app(snapshot)
    ours = [
        entry["callback"].__wrapped__
        for entry in app.callback_map.values()
        if entry.get("callback") and not entry["callback"].__wrapped__.__module__.startswith("dash")
    ]
    # A server callback outside the pages would escape the benchmark.
    assert len(ours) == len(page_callbacks(app)) == 11
    data.configure(None)
