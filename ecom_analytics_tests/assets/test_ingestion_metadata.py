"""Per-day materialization metadata of the ingestion tables in a range run."""

from datetime import date

import dagster as dg

from ecom_analytics.assets.ingestion import ingest_landing_files, landing_files
from ecom_analytics.orchestration.resources import build_resources
from ecom_analytics_tests.assets.test_ingestion_assets import LAMP, MUG, event

DAY1, DAY2, DAY3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)


def _land_three_days(workspace):
    workspace.write_jsonl("products", DAY1, "p.jsonl", [MUG])
    workspace.write_jsonl("events", DAY1, "e.jsonl", [event("a1", DAY1), event("a2", DAY1)])
    workspace.write_jsonl("products", DAY2, "p.jsonl", [LAMP])
    workspace.write_jsonl(
        "events",
        DAY2,
        "e.jsonl",
        [
            event("b1", DAY2, "product_view", product_id="p2"),  # valid
            event("a1", DAY2),  # duplicate of day 1's a1: quarantined
            event("b3", DAY2, "product_view", product_id="p3"),  # unknown product: quarantined
        ],
    )
    workspace.write_jsonl("events", DAY3, "e.jsonl", [event("c1", DAY3), "not json"])


def test_a_range_run_records_each_days_own_counts_on_its_partition(workspace, monkeypatch):
    # Day 2 quarantines 2 of 3 events: let the rate check warn, not fail, so the run succeeds.
    monkeypatch.setenv("ECOM_QUARANTINE_WARN_RATE", "0.9")
    monkeypatch.setenv("ECOM_QUARANTINE_FAIL_RATE", "0.95")
    _land_three_days(workspace)
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [*landing_files, ingest_landing_files],
            resources=build_resources(),
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": DAY1.isoformat(),
                "dagster/asset_partition_range_end": DAY3.isoformat(),
            },
        )
    by_key = {
        (m.asset_key.to_user_string(), m.partition): {k: v.value for k, v in m.metadata.items()}
        for m in (e.materialization for e in result.get_asset_materialization_events())
    }
    count = "dagster/partition_row_count"
    # raw.events: 2, 3 and 2 lines (day 3: c1 and one line that is not JSON).
    assert [by_key[("raw/events", d.isoformat())][count] for d in (DAY1, DAY2, DAY3)] == [2, 3, 2]
    # validated.events: day 1 both valid; day 2 b1 only (1 of 3, 2 quarantined, rate 2/3);
    # day 3 c1 only (1 of 2, the malformed line quarantined, rate 1/2).
    expected = {
        DAY1: (2, 2, 2, 0, 0.0),
        DAY2: (1, 3, 1, 2, 2 / 3),
        DAY3: (1, 2, 1, 1, 0.5),
    }
    for day, values in expected.items():
        meta = by_key[("validated/events", day.isoformat())]
        got = tuple(
            meta[k]
            for k in (count, "rows_read", "rows_valid", "rows_quarantined", "quarantine_rate")
        )
        assert got == values, day
    # Products: MUG on day 1, LAMP on day 2, none on day 3.
    assert [by_key[("validated/products", d.isoformat())][count] for d in (DAY1, DAY2, DAY3)] == [
        1,
        1,
        0,
    ]
    # Quarantine: 0, 2 and 1 rows, all of them events.
    quarantine = [by_key[("quality/quarantine", d.isoformat())] for d in (DAY1, DAY2, DAY3)]
    assert [q[count] for q in quarantine] == [0, 2, 1]
    assert [q["rows_quarantined_events"] for q in quarantine] == [0, 2, 1]
    assert [q["rows_quarantined_products"] for q in quarantine] == [0, 0, 0]
