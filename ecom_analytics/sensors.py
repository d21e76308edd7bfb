"""A sensor that runs a day's partition when new or changed files land in its folders."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from ecom_analytics import settings
from ecom_analytics.ingestion import landing
from ecom_analytics.jobs import pipeline
from ecom_analytics.partitions import daily_partitions
from ecom_analytics.vocabulary import SOURCES


def landing_fingerprints(root: Path) -> dict[str, str]:
    """For each landed day, a digest of its files' names, sizes and modification times."""
    listing: dict[str, list[str]] = {}
    for source in SOURCES:
        for day in landing.landed_days(source, root):
            for path in landing.day_files(source, day, root):
                stat = path.stat()
                entry = f"{source}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
                listing.setdefault(day.isoformat(), []).append(entry)
    return {
        day: hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()[:16]
        for day, entries in listing.items()
    }


def changed_days(current: dict[str, str], seen: dict[str, str], valid_keys: set[str]) -> list[str]:
    """Days whose files differ from what was seen last time, limited to existing partitions."""
    return sorted(
        day for day, digest in current.items() if seen.get(day) != digest and day in valid_keys
    )


@dg.sensor(
    job=pipeline,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Watches $ECOM_DATA_DIR/raw/<source>/date=YYYY-MM-DD/ and requests a run of that day's "
        "partition when its files appear or change. The run key is the day plus a digest of "
        "its files, so the same files never run twice."
    ),
)
def landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    current = landing_fingerprints(settings.landing_dir())
    seen = json.loads(context.cursor) if context.cursor else {}
    valid = set(daily_partitions.get_partition_keys())
    days = changed_days(current, seen, valid)
    requests = [dg.RunRequest(run_key=f"{day}:{current[day]}", partition_key=day) for day in days]
    skipped = sorted(set(current) - valid)
    if skipped:
        context.log.info(f"ignoring days outside the partitions: {', '.join(skipped[:5])}")
    # Days not yet a partition (today's folder) stay unseen, so they run once they become one.
    seen.update({day: current[day] for day in days})
    return dg.SensorResult(run_requests=requests, cursor=json.dumps(seen))
