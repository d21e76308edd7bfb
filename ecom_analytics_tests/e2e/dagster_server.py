"""A running `dagster dev` as the end-to-end tests see it: its GraphQL endpoint, the folders
it works in, and a small valid landing zone to feed it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ecom_analytics import settings
from ecom_analytics.cli import services
from ecom_analytics.ingestion import landing
from ecom_analytics.project import ensure_manifest
from ecom_analytics_tests.e2e.graphql import WORKSPACE_QUERY

STARTUP_TIMEOUT = 120  # seconds until the code location has loaded
LOG_TAIL = 4000  # characters of the server log shown when something fails

# The same days every test uses: the partitions start on the first.
TODAY = datetime.now(UTC).date()
FIRST_DAY = TODAY - timedelta(days=4)


class GraphQLError(AssertionError):
    """An answer of /graphql with errors, or an HTTP error status."""


@dataclass
class DagsterServer:
    """The running webserver, the code location it serves and the folders it works in."""

    url: str
    port: int
    data_dir: Path
    warehouse: Path
    log: Path
    location: str = ""
    repository: str = ""

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        """POST a query to /graphql as the UI does; the `data` of the answer."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as error:  # GraphQL errors come with a 4xx/5xx status
            raise GraphQLError(f"HTTP {error.code}: {error.read().decode()[:LOG_TAIL]}") from error
        if answer.get("errors"):
            raise GraphQLError(json.dumps(answer["errors"], indent=2))
        return answer["data"]

    def log_tail(self) -> str:
        """The end of the server log, for failure messages."""
        return self.log.read_text(errors="replace")[-LOG_TAIL:]

    def write_day(self, day: date, events: int) -> None:
        """Land a small, valid day: the catalogue, two users and `events` events."""
        for source, records in landing_records(day, events).items():
            folder = landing.day_dir(source, day, landing.root_of(self.data_dir))
            folder.mkdir(parents=True, exist_ok=True)
            text = "".join(json.dumps(record) + "\n" for record in records)
            # Written under a hidden name and renamed, as a well-behaved producer does.
            partial = folder / f".{source}.jsonl.partial"
            partial.write_text(text)
            partial.rename(folder / f"{source}.jsonl")


def checkout_env(data_dir: Path, home: Path, values: dict[str, str]) -> dict[str, str]:
    """The environment of a child process running this checkout on a private data dir.

    Nothing of the caller's own setup (its warehouse, snapshot, thresholds, Dagster home)
    leaks in; `values` come on top.
    """
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("ECOM_", "DAGSTER_"))}
    return {
        **inherited,
        "DAGSTER_HOME": str(home),
        "ECOM_DATA_DIR": str(data_dir),
        # This checkout's code, whatever else the environment has installed.
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(settings.PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
        **values,
    }


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """`ecom-analytics <args>` of this checkout in a child process, its output captured."""
    ensure_manifest()
    command = "from ecom_analytics.cli import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", command, *args], env=env, capture_output=True, text=True, cwd=cwd
    )


@contextmanager
def dagster_dev(env: dict[str, str], log: Path) -> Iterator[DagsterServer]:
    """`dagster dev` started with `env`, its code location loaded; stopped afterwards."""
    ensure_manifest()
    port = services.free_port()
    data_dir = Path(env["ECOM_DATA_DIR"])
    server = DagsterServer(
        url=f"http://{services.LOCALHOST}:{port}",
        port=port,
        data_dir=data_dir,
        warehouse=data_dir / settings.WAREHOUSE_FILE_NAME,
        log=log,
    )
    with server.log.open("ab") as output:
        process = services.start(
            "dagster dev", services.dagster_dev_command(port), server.url, env=env, output=output
        )
    try:
        services.wait_until_up(process, "/server_info", timeout=STARTUP_TIMEOUT)
        wait_for_location(server, process)
        yield server
    finally:
        services.stop(process)


def landing_records(day: date, events: int) -> dict[str, list[dict]]:
    """Records that pass every validation rule: one shopping session, then browsing."""
    stamp = day.isoformat()

    def at(minute: int) -> str:
        """The day's timestamp at 10:`minute`."""
        return f"{stamp}T10:{minute:02d}:00Z"

    products = [
        {
            "product_id": product_id,
            "sku": f"SKU-{product_id}",
            "product_name": name,
            "category": "home",
            "subcategory": "kitchen",
            "brand": "Acme",
            "list_price": price,
            "is_active": True,
            "updated_at": at(0),
        }
        for product_id, name, price in (("p1", "Mug", 9.5), ("p2", "Lamp", 30.0))
    ]
    users = [
        {
            "user_id": user_id,
            "email": f"{user_id}@example.com",
            "signup_at": f"{FIRST_DAY.isoformat()}T09:00:00Z",
            "country": "DE",
            "city": "Berlin",
            "acquisition_channel": "email",
            "loyalty_tier": "bronze",
            "updated_at": at(0),
        }
        for user_id in ("u1", "u2")
    ]
    common = {"device": "desktop", "channel": "email", "country": "DE"}
    purchase = {"product_id": "p1", "quantity": 2, "unit_price": 9.5}
    shopping = [
        {"event_type": "page_view", "page_url": "/"},
        {"event_type": "product_view", "product_id": "p1"},
        {"event_type": "add_to_cart", **purchase},
        {"event_type": "begin_checkout"},
        {"event_type": "purchase", "order_id": f"o-{stamp}", **purchase},
    ]
    rows = [{**event, "user_id": "u1", "session_id": f"s1-{stamp}"} for event in shopping]
    rows += [
        {"event_type": "page_view", "page_url": "/deals", "user_id": "u2", "session_id": None}
        for _ in range(events - len(rows))
    ]
    records = [
        {"event_id": f"e-{stamp}-{i}", "event_timestamp": at(i), **common, **row}
        for i, row in enumerate(rows[:events], start=1)
    ]
    return {"products": products, "users": users, "events": records}


def wait_for_location(server: DagsterServer, process: services.Service) -> None:
    """Wait until the code location has loaded; fail with its error if it does not."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if not process.running:
            raise AssertionError(f"dagster dev exited early:\n{server.log_tail()}")
        entries = server.graphql(WORKSPACE_QUERY)["workspaceOrError"].get("locationEntries", [])
        if entries and entries[0]["loadStatus"] == "LOADED":
            loaded = entries[0]["locationOrLoadError"]
            if loaded["__typename"] != "RepositoryLocation":
                raise AssertionError(f"code location failed to load: {loaded.get('message')}")
            server.location = entries[0]["name"]
            server.repository = loaded["repositories"][0]["name"]
            return
        time.sleep(1)
    raise AssertionError(f"code location not loaded in {STARTUP_TIMEOUT} s:\n{server.log_tail()}")
