"""The synthetic landing-zone generator: layout, realism, determinism and its fault ledger.

Landing files are read back here with plain `json` and polars, and bad records are judged by
a small classifier written from SPEC §2-§3, independently of the generator's own code.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import ecom_analytics
from ecom_analytics.cli.generate import add_generate_parser
from ecom_analytics.synthetic.faults import EVENT_FAULTS, faults_for
from ecom_analytics.synthetic.generator import daily_targets, generate
from ecom_analytics.synthetic.sessions import separate_sessions
from ecom_analytics.vocabulary import (
    CHANNELS,
    DEVICES,
    EVENT_TYPES,
    LOYALTY_TIERS,
    PRICED_EVENT_TYPES,
    PRODUCT_EVENT_TYPES,
)

PACKAGE_ROOT = str(Path(ecom_analytics.__file__).resolve().parents[1])
START = date(2024, 3, 8)  # a Friday: the run covers a weekday and a weekend
EVENTS_PER_DAY = 12_000
EVENT_FIELDS = (
    *("event_id", "event_timestamp", "event_type", "user_id", "session_id", "product_id"),
    *("quantity", "unit_price", "order_id", "device", "channel", "country", "page_url"),
    "search_query",
)
ALIASES = {"timestamp": "event_timestamp", "price": "unit_price", "traffic_source": "channel"}


# Reading the landing zone back --------------------------------------------------------------


def landing_files(root: Path, source: str):
    """(day, path) in the order a pipeline reads them: day, then file name."""
    for folder in sorted((root / "raw" / source).iterdir()):
        day = date.fromisoformat(folder.name.removeprefix("date="))
        for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
            yield day, path


def read_lines(path: Path) -> list[str]:
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return data.decode().splitlines()


def read_records(root: Path, source: str) -> list[tuple[date, object]]:
    """Every record as (day, dict), or (day, the raw text) when it is not valid JSON."""
    records = []
    for day, path in landing_files(root, source):
        if path.suffix == ".parquet":
            records += [(day, row) for row in pl.read_parquet(path).to_dicts()]
            continue
        for line in read_lines(path):
            try:
                records.append((day, json.loads(line)))
            except json.JSONDecodeError:
                records.append((day, line))
    return records


def normalize(record: dict) -> dict:
    """Resolve the accepted aliases and fields nested in `properties` (SPEC §2.1)."""
    out = {k: v for k, v in record.items() if v is not None}
    for alias, name in ALIASES.items():
        if alias in out and name not in out:
            out[name] = out.pop(alias)
    for key, value in (out.get("properties") or {}).items():
        if key in EVENT_FIELDS and key not in out and value is not None:
            out[key] = value
    return out


def timestamp(value) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    parsed = datetime.fromisoformat(value)
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def catalogue_by_day(root: Path) -> dict[date, dict[str, Decimal]]:
    """Each day's catalogue as of that day: product id -> list price of its latest record."""
    by_day = defaultdict(list)
    for day, record in read_records(root, "products"):
        if record.get("product_id") and Decimal(str(record["list_price"])) > 0:
            by_day[day].append(record)
    prices: dict[str, Decimal] = {}
    result = {}
    for day in sorted(by_day):
        for record in sorted(by_day[day], key=lambda r: timestamp(r["updated_at"])):
            prices[record["product_id"]] = Decimal(str(record["list_price"]))
        result[day] = dict(prices)
    return result


# An independent reading of SPEC §3 -------------------------------------------------------


def event_reasons(record, day: date, catalogue: set[str], seen: set[str]) -> set[str]:
    if isinstance(record, str):
        return {"malformed_record"}
    e = normalize(record)
    reasons = {f"missing_required_field:{f}" for f in EVENT_FIELDS[:4] if f not in e}
    etype = e.get("event_type")
    if etype is not None and etype not in EVENT_TYPES:
        reasons.add("unknown_event_type")
    required = []
    if etype in PRODUCT_EVENT_TYPES:
        required.append("product_id")
    if etype in PRICED_EVENT_TYPES:
        required += ["quantity", "unit_price"]
    if etype == "purchase":
        required.append("order_id")
    reasons |= {f"missing_required_field:{f}" for f in required if f not in e}
    if "quantity" in e:
        if not isinstance(e["quantity"], int) or isinstance(e["quantity"], bool):
            reasons.add("invalid_type:quantity")
        elif e["quantity"] < 1:
            reasons.add("invalid_value:quantity")
    if "unit_price" in e:
        if not isinstance(e["unit_price"], int | float | Decimal):
            reasons.add("invalid_type:unit_price")
        elif Decimal(str(e["unit_price"])) <= 0:
            reasons.add("invalid_value:unit_price")
    for field, accepted in (("device", DEVICES), ("channel", CHANNELS)):
        if field in e and e[field] not in accepted:
            reasons.add(f"invalid_value:{field}")
    if "event_timestamp" in e:
        ts = timestamp(e["event_timestamp"])
        if ts.date() != day:
            reasons.add("timestamp_outside_partition")
        if ts > datetime.now(UTC):
            reasons.add("future_timestamp")
    if "product_id" in e and e["product_id"] not in catalogue:
        reasons.add("unknown_product")
    if "event_id" in e:
        if e["event_id"] in seen:
            reasons.add("duplicate_event_id")
        seen.add(e["event_id"])
    return reasons


def master_reasons(source: str, record) -> set[str]:
    key = "product_id" if source == "products" else "user_id"
    reasons = set() if record.get(key) else {f"missing_required_field:{key}"}
    if source == "products" and Decimal(str(record["list_price"])) <= 0:
        reasons.add("invalid_value:list_price")
    if source == "users" and record["loyalty_tier"] not in LOYALTY_TIERS:
        reasons.add("invalid_value:loyalty_tier")
    return reasons


def judge(root: Path) -> dict[str, list[set[str]]]:
    """Reasons per record, per source, in landing order."""
    catalogue = {day: set(products) for day, products in catalogue_by_day(root).items()}
    seen: set[str] = set()
    judged = {
        "events": [
            event_reasons(r, day, catalogue[day], seen) for day, r in read_records(root, "events")
        ]
    }
    for source in ("products", "users"):
        judged[source] = [master_reasons(source, r) for _, r in read_records(root, source)]
    return judged


# Fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    root = tmp_path_factory.mktemp("clean")
    summary = generate(root, START, 3, EVENTS_PER_DAY, seed=11, events_per_file=5_000)
    events = [(day, normalize(r)) for day, r in read_records(root, "events")]
    return root, summary, events


@pytest.fixture(scope="module")
def sessions(clean):
    """Events grouped into sessions: by session_id, else by a user's 30-minute gaps."""
    _, _, events = clean
    by_user_day = defaultdict(list)
    for day, e in events:
        by_user_day[(day, e["user_id"])].append(e)
    groups = []
    for user_events in by_user_day.values():
        user_events.sort(key=lambda e: timestamp(e["event_timestamp"]))
        current, last = [], None
        for e in user_events:
            ts = timestamp(e["event_timestamp"])
            if last is not None and ts - last > timedelta(minutes=30):
                groups.append(current)
                current = []
            current.append(e)
            last = ts
        groups.append(current)
    return groups


# Layout and volumes -------------------------------------------------------------------------


def test_generate_writes_one_folder_per_source_and_day_and_splits_big_days(clean):
    root, summary, _ = clean
    for source in ("events", "products", "users"):
        days = sorted(p.name for p in (root / "raw" / source).iterdir())
        assert days == [f"date={START + timedelta(i)}" for i in range(3)]
    first_day = root / "raw" / "events" / f"date={START}"
    names = sorted(p.name for p in first_day.iterdir())
    assert names == ["events-000.jsonl", "events-001.jsonl", "events-002.jsonl"]
    assert all(path.exists() for path in summary.files)
    assert len(summary.files) == len(set(summary.files)) == 3 * 3 + 3 * 2


def test_daily_volume_follows_the_weekday_curve_and_sums_to_the_requested_total(clean):
    _, summary, events = clean
    friday, saturday, sunday = (summary.events_per_day[START + timedelta(i)] for i in range(3))
    assert friday + saturday + sunday == 3 * EVENTS_PER_DAY == len(events)
    assert friday < saturday < sunday
    assert daily_targets(START, 1, 1234) == [1234]


def test_event_ids_are_unique_across_days(clean):
    _, _, events = clean
    ids = [e["event_id"] for _, e in events]
    assert len(ids) == len(set(ids))


def test_every_event_timestamp_lies_inside_its_folders_utc_day(clean):
    _, _, events = clean
    assert all(timestamp(e["event_timestamp"]).date() == day for day, e in events)


def test_accepted_aliases_and_offsets_appear_but_stay_a_small_share(clean):
    root, _, _ = clean
    raw = [r for _, r in read_records(root, "events")]
    priced = [r for r in raw if r["event_type"] in PRICED_EVENT_TYPES]
    shares = [
        sum("timestamp" in r for r in raw) / len(raw),
        sum("traffic_source" in r for r in raw) / len(raw),
        sum("price" in r for r in priced) / len(priced),
    ]
    assert all(0.002 < share < 0.03 for share in shares), shares
    nested = sum("product_id" in (r.get("properties") or {}) for r in raw)
    with_offset = sum(not r.get("event_timestamp", "Z").endswith("Z") for r in raw)
    assert 0 < nested < 0.02 * len(raw)
    assert 0.01 < with_offset / len(raw) < 0.08


# Realism ------------------------------------------------------------------------------------


def test_session_conversion_is_believable(sessions):
    converted = sum(any(e["event_type"] == "purchase" for e in s) for s in sessions)
    assert 0.01 <= converted / len(sessions) <= 0.06


def test_funnel_steps_narrow_from_views_to_purchases(sessions):
    def reached(event_type):
        return sum(any(e["event_type"] == event_type for e in s) for s in sessions)

    steps = [reached(t) for t in ("product_view", "add_to_cart", "begin_checkout", "purchase")]
    assert steps == sorted(steps, reverse=True) and steps[-1] > 0
    assert reached("remove_from_cart") > 0
    bounces = sum(len(s) == 1 for s in sessions) / len(sessions)
    assert 0.15 < bounces < 0.6


def test_sessions_without_session_id_exist_and_stand_apart_by_a_30_minute_gap(sessions):
    without = [s for s in sessions if all("session_id" not in e for e in s)]
    assert 0.1 < len(without) / len(sessions) < 0.3
    for s in sessions:
        ids = {e.get("session_id") for e in s}
        # A gap-based session never mixes two tracked sessions, or tracked and untracked events.
        assert len(ids) == 1, ids


def test_orders_can_hold_several_products_bought_at_once(clean):
    _, _, events = clean
    orders = defaultdict(list)
    for _, e in events:
        if e["event_type"] == "purchase":
            orders[e["order_id"]].append(e)
    lines = Counter(len(v) for v in orders.values())
    assert lines[1] > 0 and sum(n for size, n in lines.items() if size >= 2) > 0
    for order in orders.values():
        assert len({(e["user_id"], timestamp(e["event_timestamp"])) for e in order}) == 1
        assert all(isinstance(e["quantity"], int) and e["quantity"] >= 1 for e in order)


def test_events_reference_products_of_that_days_catalogue_at_that_days_price(clean):
    root, _, events = clean
    catalogue = catalogue_by_day(root)
    priced = 0
    for day, e in events:
        if "product_id" in e:
            assert e["product_id"] in catalogue[day]
        if "unit_price" in e:
            assert Decimal(str(e["unit_price"])) == catalogue[day][e["product_id"]]
            priced += 1
    assert priced > 0


def test_later_days_carry_only_catalogue_changes_including_new_products(clean):
    root, summary, _ = clean
    products = read_records(root, "products")
    first, second = (
        [r["product_id"] for day, r in products if day == START + timedelta(i)] for i in range(2)
    )
    assert len(first) > 1_000
    assert 0 < len(second) < 0.1 * len(first)
    assert set(second) - set(first)  # new products appear
    assert summary.products_per_day[START] == len(first)


def test_a_users_record_lands_on_or_before_the_day_of_their_first_event(clean):
    root, _, events = clean
    landed: dict[str, date] = {}
    signups = {}
    for day, r in read_records(root, "users"):
        landed.setdefault(r["user_id"], day)
        assert r["loyalty_tier"] in LOYALTY_TIERS
        signups[r["user_id"]] = r["signup_at"]
    first_event: dict[str, date] = {}
    for day, e in events:
        first_event.setdefault(e["user_id"], day)
        if e["event_type"] == "signup":
            assert timestamp(signups[e["user_id"]]) == timestamp(e["event_timestamp"])
    assert all(landed[user] <= day for user, day in first_event.items())
    assert sum(day > START for day in landed.values()) > 0  # sign-ups after day one


def test_evening_hours_are_busier_than_the_small_hours_of_europe(clean):
    _, _, events = clean
    by_hour = Counter(timestamp(e["event_timestamp"]).hour for _, e in events)
    assert by_hour[19] > 2 * by_hour[5]


def test_separate_sessions_pushes_a_users_overlapping_sessions_past_the_gap():
    user = np.array([1, 1, 2, 1])
    start = np.array([0, 10, 5, 100_000])
    duration = np.array([50, 50, 50, 10])
    shifted = separate_sessions(user, start, duration, min_gap_ms=1_000)
    # User 1: second session waits for the first to end plus the gap; the third was clear.
    assert shifted.tolist() == [0, 1_050, 5, 100_000]


# Determinism --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "parquet"])
def test_the_same_arguments_give_byte_identical_files(tmp_path, fmt):
    runs = [
        generate(tmp_path / name, START, 2, 3_000, seed=5, bad_rate=0.03, fmt=fmt)
        for name in ("a", "b")
    ]
    first, second = ([p.relative_to(s.data_dir) for p in s.files] for s in runs)
    assert first == second
    for rel in first:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    other = generate(tmp_path / "c", START, 2, 3_000, seed=6, bad_rate=0.03, fmt=fmt)
    assert (tmp_path / "c" / first[0]).read_bytes() != (tmp_path / "a" / first[0]).read_bytes()
    assert other.events_per_day == runs[0].events_per_day


def test_files_do_not_depend_on_the_interpreters_string_hashing(tmp_path):
    script = (
        "import sys; from datetime import date; from pathlib import Path; "
        "from ecom_analytics.synthetic.generator import generate; "
        "generate(Path(sys.argv[1]), date(2024, 3, 8), 2, 2_000, seed=5, bad_rate=0.03)"
    )
    for name, hash_seed in (("a", "1"), ("b", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": PACKAGE_ROOT}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], env=env, check=True)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.jsonl"))
    assert len(files) == 6
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_regenerating_into_the_same_folder_replaces_the_earlier_files(tmp_path):
    generate(tmp_path, START, 1, 3_000, events_per_file=1_000)
    summary = generate(tmp_path, START, 1, 3_000)
    assert sorted((tmp_path / "raw" / "events").rglob("events-*")) == [summary.files[0]]


# Bad records --------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["jsonl.gz", "parquet"])
def with_bad_records(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"bad-{request.param}")
    return root, generate(root, START, 2, EVENTS_PER_DAY, seed=3, bad_rate=0.05, fmt=request.param)


def test_injected_bad_records_match_an_independent_reading_of_the_rules(with_bad_records):
    root, summary = with_bad_records
    judged = judge(root)
    for source, reasons in judged.items():
        codes = Counter(code for r in reasons for code in r)
        assert codes == Counter(summary.injected_by_source[source]), source
        assert sum(bool(r) for r in reasons) == summary.bad_records[source], source
    # Each bad event carries one reason, except a future timestamp, which is also outside.
    multi = [r for r in judged["events"] if len(r) > 1]
    assert all(r == {"future_timestamp", "timestamp_outside_partition"} for r in multi)
    total = sum((Counter(c) for c in summary.injected_by_source.values()), Counter())
    assert total == Counter(summary.injected)


def test_bad_events_come_at_the_requested_rate_and_mix(with_bad_records):
    _, summary = with_bad_records
    bad = summary.bad_records["events"]
    assert abs(bad - 0.05 * summary.total_events) <= 0.002 * summary.total_events
    weights = {f.kind: f.weight for f in faults_for(summary.fmt)}
    injected = summary.injected_by_source["events"]
    for kind, weight in weights.items():
        expected = bad * weight / sum(weights.values())
        # future_timestamp records also count as outside the partition.
        extra = injected["future_timestamp"] if kind == "timestamp_outside_partition" else 0
        assert 0.8 * expected <= injected[kind] - extra <= 1.2 * expected, kind
    assert summary.bad_records["products"] > 0 and summary.bad_records["users"] > 0


def test_parquet_skips_faults_a_typed_file_cannot_hold():
    kinds = {f.kind for f in faults_for("parquet")}
    assert "malformed_record" not in kinds
    assert not any(k.startswith("invalid_type:") for k in kinds)
    assert {f.kind for f in faults_for("jsonl")} == {f.kind for f in EVENT_FAULTS}


# Command line -------------------------------------------------------------------------------


def test_generate_command_writes_files_and_prints_a_summary(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser(prog="ecom-analytics")
    add_generate_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["generate", "--start", "2024-03-08", "--days", "2", "--events-per-day", "500",
         "--bad-rate", "0.02", "--format", "parquet", "--data-dir", str(tmp_path)]
    )  # fmt: skip
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "1,000" in out and "duplicate_event_id" in out
    assert len(list((tmp_path / "raw").rglob("*.parquet"))) == 6


def test_generate_command_rejects_a_bad_rate_above_one_half(capsys):
    import argparse

    parser = argparse.ArgumentParser(prog="ecom-analytics")
    add_generate_parser(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["generate", "--start", "2024-03-08", "--days", "1",
                           "--events-per-day", "10", "--bad-rate", "0.9"])  # fmt: skip
