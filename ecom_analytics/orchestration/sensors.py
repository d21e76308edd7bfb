"""A sensor that runs a day's partition when new or changed files land in its folders."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from ecom_analytics import settings, tables
from ecom_analytics.ingestion import landing
from ecom_analytics.orchestration import landing_reports
from ecom_analytics.orchestration.jobs import pipeline
from ecom_analytics.orchestration.partitions import daily_partitions
from ecom_analytics.runs.recovery import recover_dead_runs
from ecom_analytics.vocabulary import SOURCES


@dataclass(frozen=True)
class LandedDay:
    digest: str  # of the day's file names, sizes and modification times
    changed_at: float  # POSIX seconds of the latest change to its folders or files


def scan_landing(root: Path) -> dict[str, LandedDay]:
    """Every day with landing files: a digest of its files and when they last changed.

    A file's inode change time counts as a change, so a file copied or moved in with its old
    modification time kept (`cp -p`, `rsync -a`, `mv`) still counts as landing now; a
    folder's own modification time covers files removed from it.
    """
    entries: dict[str, list[str]] = {}
    changed: dict[str, float] = {}
    for source in SOURCES:
        for day in landing.landed_days(source, root):
            key = day.isoformat()
            folder = landing.day_dir(source, day, root).stat()
            changed[key] = max(changed.get(key, 0.0), folder.st_mtime)
            for path in landing.day_files(source, day, root):
                stat = path.stat()
                entries.setdefault(key, []).append(
                    f"{source}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
                )
                changed[key] = max(changed[key], stat.st_mtime, stat.st_ctime)
    return {
        day: LandedDay(
            hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()[:16], changed[day]
        )
        for day, lines in entries.items()
    }


def changed_days(current: dict[str, str], seen: dict[str, str], valid_keys: set[str]) -> list[str]:
    """Days whose files differ from what was seen last time, limited to existing partitions."""
    return sorted(
        day for day, digest in current.items() if seen.get(day) != digest and day in valid_keys
    )


def last_ingestion_started_at(instance: dg.DagsterInstance, day: str) -> float | None:
    """When the run that last read `day`'s landing files started; None if none has."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(tables.RAW_EVENTS.key), asset_partitions=[day]),
        limit=1,
    ).records
    if not records:
        return None
    run = instance.get_run_record_by_id(records[0].run_id)
    return run.start_time if run and run.start_time else records[0].timestamp


@dg.sensor(
    job=pipeline,
    minimum_interval_seconds=settings.sensor_interval_seconds(),
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "Watches $ECOM_DATA_DIR/raw/<source>/date=YYYY-MM-DD/ and requests a run of that day's "
        "partition when its files appear or change after the day was last ingested. The run "
        "key is the day plus a digest of its files, so the same files never run twice."
    ),
)
def landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    root = settings.landing_dir()
    landed = scan_landing(root)
    current = {day: entry.digest for day, entry in landed.items()}
    seen = json.loads(context.cursor) if context.cursor else {}
    valid = set(daily_partitions.get_partition_keys())
    days = changed_days(current, seen, valid)
    # Files that were already there when the day was last ingested are not new: turning the
    # sensor on over a materialized landing zone (after `ecom-analytics demo`) runs nothing.
    ingested = {day: last_ingestion_started_at(context.instance, day) for day in days}
    fresh = [
        day for day in days if ingested[day] is None or landed[day].changed_at >= ingested[day]
    ]
    requests = [dg.RunRequest(run_key=f"{day}:{current[day]}", partition_key=day) for day in fresh]
    # A run whose process died holds the writer slot every later run needs, launched from
    # here or from the UI: every tick looks for such runs (a query of unfinished runs).
    recover_dead_runs(context.instance, log=context.log.warning)
    if len(fresh) < len(days):
        up_to_date = sorted(set(days) - set(fresh))
        context.log.info(f"already ingested since their files landed: {', '.join(up_to_date)}")
    skipped = sorted(set(current) - valid)
    if skipped:
        context.log.info(f"ignoring days outside the partitions: {', '.join(skipped[:5])}")
    unread = landing_reports.unread_warning(root)
    if unread:
        context.log.warning(unread)
    # Days not yet a partition (today's folder) stay unseen, so they run once they become one.
    seen.update({day: current[day] for day in days})
    return dg.SensorResult(
        run_requests=requests,
        cursor=json.dumps(seen),
        # What changed is observed (files, bytes per folder), so the landing assets show it.
        asset_events=landing_reports.folder_observations(root, days),
        skip_reason=None
        if requests
        else landing_reports.skip_reason(
            len(current), sorted(set(days) - set(fresh)), skipped, unread
        ),
    )
