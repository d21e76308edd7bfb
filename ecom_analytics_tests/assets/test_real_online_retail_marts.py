"""UCI Online Retail on default settings: import, materialize through Dagster, and the marts
agree with sums worked out from the CSV here with the csv module, not with product code.

What the source lines mean (SPEC §2.3, docs/data_dictionary.md): an invoice line is a sale
(at price 0, a free item), a `C` credit-note line a refund of its units, and a negative line
on an ordinary invoice a stock write-off that no customer made. A line without a customer
belongs to the anonymous customer of its invoice.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from ecom_analytics_tests.conftest import REAL_DATA_DIR

BY_DAY = REAL_DATA_DIR / "uci_online_retail" / "by-day"
# The first week of December 2010: 2010-12-03 holds most of the month's stock write-offs
# (28 of 2,202 lines), the days before and after ordinary sales and credit notes.
FIRST, LAST = "2010-12-01", "2010-12-07"

pytestmark = pytest.mark.skipif(not BY_DAY.is_dir(), reason=f"real data not present at {BY_DAY}")


@dataclass
class Day:
    gross: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    refunds: int = 0
    customers: set[str] = field(default_factory=set)
    orders: set[str] = field(default_factory=set)

    @property
    def net(self) -> Decimal:
        return self.gross - self.refunded


def expected_days(paths: list[Path]) -> dict[date, Day]:
    days: dict[date, Day] = defaultdict(Day)
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for line in csv.DictReader(handle):
                invoice = line["InvoiceNo"]
                quantity, price = int(line["Quantity"]), Decimal(line["UnitPrice"])
                credit_note = invoice.startswith("C")
                if not credit_note and quantity < 0:
                    continue  # a stock write-off: no customer, no revenue
                day = days[date.fromisoformat(line["InvoiceDate"][:10])]
                customer = line["CustomerID"].removesuffix(".0") or f"anon-{invoice}"
                day.customers.add(customer)
                if credit_note:
                    day.refunds += 1
                    day.refunded += -quantity * price
                else:
                    day.orders.add(invoice)
                    day.gross += quantity * price
    return dict(days)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from ecom_analytics.cli import main; raise SystemExit(main())",
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("uci")
    sources = sorted(p for p in BY_DAY.glob("*.csv") if FIRST <= p.stem <= LAST)
    # Default settings: only the partitions' start moves back to the data's first day.
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ECOM_")},
        "ECOM_DATA_DIR": str(root / "data"),
        "ECOM_START_DATE": FIRST,
        "DAGSTER_HOME": str(root / "dagster_home"),
    }
    imported = _cli("import", "--format", "online-retail", *map(str, sources), env=env)
    assert imported.returncode == 0, imported.stderr
    run = _cli("materialize", "--start", FIRST, "--end", LAST, env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    return root / "data", sources


@pytest.fixture(scope="module")
def expected(warehouse) -> dict[date, Day]:
    _, sources = warehouse
    return expected_days(sources)


def _rows(warehouse, query: str, database: str = "warehouse.duckdb") -> list[tuple]:
    data_dir, _ = warehouse
    with duckdb.connect(str(data_dir / database), read_only=True) as con:
        return con.execute(query).fetchall()


def test_revenue_gross_refunded_and_net_per_day_match_the_csv(warehouse, expected):
    marts = _rows(
        warehouse,
        "select activity_date, revenue, refunded_revenue, net_revenue, refunds, orders"
        " from marts.fct_daily_engagement order by activity_date",
    )
    assert marts == [
        (d, e.gross, e.refunded, e.net, e.refunds, len(e.orders))
        for d, e in sorted(expected.items())
    ]
    assert sum(e.refunded for e in expected.values()) > 0


def test_distinct_customers_per_day_match_the_csv(warehouse, expected):
    marts = _rows(
        warehouse,
        "select activity_date, daily_active_users from marts.fct_daily_engagement"
        " order by activity_date",
    )
    assert marts == [(d, len(e.customers)) for d, e in sorted(expected.items())]


def test_credit_notes_name_themselves_and_no_order_in_the_warehouse(warehouse, expected):
    credit_lines = sum(e.refunds for e in expected.values())
    rows = _rows(
        warehouse,
        "select count(*), count(*) filter (where order_id like 'C%'),"
        " count(*) filter (where order_found) from marts.fct_refunds",
    )
    assert rows == [(credit_lines, credit_lines, 0)]


def test_stock_write_offs_are_quarantined_with_their_reason(warehouse):
    _, sources = warehouse
    write_offs = 0
    for path in sources:
        with path.open(newline="", encoding="utf-8") as handle:
            write_offs += sum(
                not line["InvoiceNo"].startswith("C") and int(line["Quantity"]) < 0
                for line in csv.DictReader(handle)
            )
    rows = _rows(
        warehouse,
        "select count(*), count(*) filter (where list_contains(reasons, 'unknown_event_type'))"
        " from quality.quarantine",
    )
    assert rows == [(write_offs, write_offs)]


def test_the_dashboard_snapshot_shows_net_revenue(warehouse, expected):
    rows = _rows(
        warehouse, "select sum(net_revenue) from marts.fct_daily_engagement", "dashboard.duckdb"
    )
    assert rows == [(sum(e.net for e in expected.values()),)]
