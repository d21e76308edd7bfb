"""The dashboard keeps serving while another process holds the warehouse for writing, and
the next publication goes through once the writer is done."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import urllib.request
from datetime import date

import duckdb
import pytest

from app import data
from app.app import create_app
from app.filters import Filters
from app.serve import serving
from ecom_analytics.assets.dashboard import publish_snapshot
from ecom_analytics_tests.app.conftest import AS_OF_META
from ecom_analytics_tests.app.warehouse import build_warehouse

# Stands in for a Dagster run: holds a read-write connection, writes an order, and keeps the
# file locked until told to finish.
WRITER = textwrap.dedent(
    """
    import sys
    import duckdb

    con = duckdb.connect(sys.argv[1])
    con.execute(
        "insert into marts.fct_orders (order_id, order_date, revenue, device, channel)"
        " values ('o6', '2024-03-04', 10.00, 'desktop', 'direct')"
    )
    print("holding the warehouse", flush=True)
    sys.stdin.readline()
    con.close()
    """
)


def test_dashboard_serves_while_a_writer_holds_the_warehouse(tmp_path):
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    snapshot = publish_snapshot(warehouse, tmp_path / "dashboard.duckdb", as_of_meta=AS_OF_META)
    app = create_app(snapshot)
    all_days = Filters(date(2024, 3, 1), date(2024, 3, 4))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "holding the warehouse"
        # The lock is real: nobody else may even read the warehouse now.
        with pytest.raises(duckdb.IOException):
            duckdb.connect(str(warehouse), read_only=True)

        with serving(app) as url:
            for path in ("/", "/funnel", "/data-quality", "/_dash-layout"):
                with urllib.request.urlopen(url + path, timeout=10) as response:
                    assert response.status == 200
        assert data.kpi_totals(all_days)["revenue"][0] == 390.0

        writer.stdin.write("done\n")
        writer.stdin.flush()
        assert writer.wait(timeout=30) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()

    publish_snapshot(warehouse, snapshot, as_of_meta=AS_OF_META)
    assert data.kpi_totals(all_days)["revenue"][0] == 400.0
    data.configure(None)
