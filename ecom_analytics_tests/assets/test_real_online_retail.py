"""UCI Online Retail, imported and ingested for real: every source row is accounted for."""

import csv
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from ecom_analytics.engines.duckdb_engine import DuckDBWarehouse
from ecom_analytics.importers import import_files
from ecom_analytics.ingestion.window import ingest_window
from ecom_analytics_tests.conftest import REAL_DATA_DIR

BY_DAY = REAL_DATA_DIR / "uci_online_retail" / "by-day"
DAYS = ["2010-12-01", "2010-12-02"]


def expected_from_csv(paths):
    """Rows, and revenue of the lines the product counts as valid purchases, from the CSV:
    an invoice (not a `C` credit note), quantity of at least 1 and a price of at least 0
    with at most two decimals (SPEC §2.1; 0 is a free item and adds nothing)."""
    rows, revenue = 0, Decimal(0)
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for line in csv.DictReader(handle):
                rows += 1
                quantity, price = int(line["Quantity"]), Decimal(line["UnitPrice"])
                invoice = not line["InvoiceNo"].startswith("C")
                two_places = price == price.quantize(Decimal("0.01"))
                if invoice and quantity >= 1 and price >= 0 and two_places:
                    revenue += quantity * price
    return rows, revenue


@pytest.mark.skipif(not BY_DAY.is_dir(), reason=f"real data not present at {BY_DAY}")
def test_every_uci_row_is_valid_or_quarantined_and_revenue_matches_the_csv(workspace, tmp_path):
    sources = [BY_DAY / f"{day}.csv" for day in DAYS]
    import_files("online-retail", sources, workspace.data_dir)

    # The ingestion step's own routine (2010 lies before the default partitions' start).
    staged = ingest_window(
        DuckDBWarehouse(path=str(workspace.warehouse)),
        [date.fromisoformat(day) for day in DAYS],
        tmp_path / "staging",
    )

    rows, revenue = expected_from_csv(sources)
    valid = staged["validated.events"]
    quarantine = staged["quality.quarantine"]
    with duckdb.connect() as con:
        valid_rows, valid_revenue = con.execute(
            "select count(*), sum(case when event_type = 'purchase' then quantity * unit_price end)"
            " from read_parquet(?)",
            [[str(path) for path in valid.files]],
        ).fetchone()
        quarantined = con.execute(
            "select count(*) from read_parquet(?) where source = 'events'",
            [[str(path) for path in quarantine.files]],
        ).fetchone()[0]
    assert staged["raw.events"].rows == rows
    assert valid_rows == valid.rows
    assert valid_rows + quarantined == rows
    assert valid_revenue == revenue
