"""The generator's known mix of bad records comes out of the pipeline as exactly that mix."""

from collections import Counter
from datetime import date

import dagster as dg
import duckdb
import pytest

from ecom_analytics.assets.ingestion import ingest_landing_files, landing_files
from ecom_analytics.orchestration.resources import build_resources
from ecom_analytics.synthetic.generator import generate


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_quarantine_reasons_match_what_the_generator_injected(workspace, fmt):
    summary = generate(
        workspace.data_dir, date(2024, 1, 1), 3, 2_000, seed=3, bad_rate=0.05, fmt=fmt
    )

    with dg.instance_for_test() as instance:
        dg.materialize(
            [*landing_files, ingest_landing_files],
            resources=build_resources(),
            instance=instance,
            tags={
                "dagster/asset_partition_range_start": "2024-01-01",
                "dagster/asset_partition_range_end": "2024-01-03",
            },
            raise_on_error=False,  # 5% bad rows trip the quarantine-rate check, as they should
        )

    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        quarantined = con.execute(
            "select source, unnest(reasons) from quality.quarantine"
        ).fetchall()
        per_source = dict(
            con.execute("select source, count(*) from quality.quarantine group by all").fetchall()
        )
    found: dict[str, Counter] = {}
    for source, reason in quarantined:
        found.setdefault(source, Counter())[reason] += 1
    expected = {s: c for s, c in summary.injected_by_source.items() if c}
    assert {s: dict(c) for s, c in found.items()} == expected
    assert per_source == {s: n for s, n in summary.bad_records.items() if n}
