"""Which days of a window may go on to staging: each day judged on its own (SPEC §3).

A day is held back when, for any source, a landing file was unreadable, the quarantine rate
is above the fail rate, or rows read ≠ rows valid + rows quarantined. The ingestion checks
report the same three rules on the same counts (checks/stored_counts.py); the dbt step applies
them per day, so one bad day never keeps the good days of a backfill out of the marts.
"""

from __future__ import annotations

from datetime import date, timedelta

from ecom_analytics import tables
from ecom_analytics.checks.stored_counts import StoredWindow
from ecom_analytics.orchestration.resources import Warehouse


def held_back_days(warehouse: Warehouse, start: date, end: date) -> dict[date, list[str]]:
    """Days of [start, end) that must not reach staging, each with why, in day order."""
    # One open warehouse for the eight reads (an embedded engine opens the file once).
    with warehouse.held_open():
        return _held_back_days(warehouse, start, end)


def _held_back_days(warehouse: Warehouse, start: date, end: date) -> dict[date, list[str]]:
    ingested = [*tables.RAW_TABLES.values(), *tables.VALIDATED_TABLES.values(), tables.QUARANTINE]
    if not all(warehouse.has_table(t.schema, t.name) for t in ingested):
        return {}  # nothing ingested here (dbt over hand-loaded tables): nothing to judge
    window = StoredWindow.read(warehouse, start, end)
    fail_rate = window.fail_rate
    held: dict[date, list[str]] = {}
    for source, day, read, valid, quarantined, unreadable in window.counts.select(
        "source", "partition_date", "read", "valid", "quarantined", "unreadable"
    ).rows():
        reasons = []
        if unreadable:
            reasons.append(f"{source}: {unreadable} unreadable file(s)")
        if read != valid + quarantined:
            reasons.append(f"{source}: {read} read != {valid} valid + {quarantined} quarantined")
        if read and quarantined / read > fail_rate:
            rate = quarantined / read
            reasons.append(f"{source}: {rate:.1%} quarantined (fail above {fail_rate:.0%})")
        if reasons:
            held.setdefault(day, []).extend(reasons)
    return dict(sorted(held.items()))


def good_windows(start: date, end: date, held: set[date]) -> list[tuple[date, date]]:
    """The half-open runs of consecutive days in [start, end) that are not held back."""
    windows: list[tuple[date, date]] = []
    day = start
    while day < end:
        if day in held:
            day += timedelta(days=1)
            continue
        first = day
        while day < end and day not in held:
            day += timedelta(days=1)
        windows.append((first, day))
    return windows


def describe(held: dict[date, list[str]]) -> str:
    """`2024-01-12 (events: 1 unreadable file(s)); ...` for a failure message."""
    return "; ".join(f"{day.isoformat()} ({', '.join(why)})" for day, why in held.items())
