"""Runs that carry a rebuilt window into the later days it affects (SPEC §4, late data).

A pipeline run over start..end inside history that is already built rebuilds the models
that read earlier days over every later built day itself, in its own dbt build
(assets/dbt.py). What it cannot do in that build is judge the later days' ingestion again
(ecom_analytics.orchestration.late_data): after it succeeds, each later span of days whose
ingestion judgement changed runs the whole pipeline again, in order. A run that left the
dependent models out (a subset picked in the UI) is followed by the run of the dependent
models alone (`late_dependents` job) over its days and every later day up to the last
materialized one.
`ecom-analytics materialize` does this itself, right after its run; `late_data_sensor` does it
for runs launched elsewhere (the landing sensor's run for a late file, the UI).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from ecom_analytics import engines, settings
from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.late_data import (
    DEPENDENT_KEYS,
    DEPENDENT_MODELS,
    LaterDays,
    last_built_day,
    later_days,
)

LATE_DEPENDENTS_JOB = "late_dependents"
# Set on runs this module requests, so their own follow-ups are told apart in the UI.
LATE_TAG = "ecom/late_rebuild_of"
# Set on runs whose later days their launcher rebuilds itself (`materialize`): the sensor
# leaves them alone.
FOLLOWED_UP_TAG = "ecom/later_days_rebuilt_by"

# The dashboard snapshot: the last asset of a pipeline run and of the dependents' run.
SNAPSHOT_KEY = dg.AssetKey(["app", "dashboard"])

late_dependents = dg.define_asset_job(
    name=LATE_DEPENDENTS_JOB,
    selection=dg.AssetSelection.assets(*DEPENDENT_MODELS) | dg.AssetSelection.assets(SNAPSHOT_KEY),
    description=(
        "The models whose day reads earlier days (WAU/MAU, new users, first orders, first "
        "seen), rebuilt over later days after a run that changed an earlier day left them "
        "out (a whole pipeline run rebuilds them itself); then the dashboard snapshot. "
        "Launched by `late_data_sensor`, or by hand."
    ),
)


def range_tags(first: date, last: date) -> dict[str, str]:
    return {
        ASSET_PARTITION_RANGE_START_TAG: first.isoformat(),
        ASSET_PARTITION_RANGE_END_TAG: last.isoformat(),
    }


def plan_later_days(instance: dg.DagsterInstance, start: date, end: date) -> LaterDays:
    warehouse = engines.current_warehouse()
    return later_days(warehouse, start, end, last_built_day(instance))


def run_window(run: dg.DagsterRun) -> tuple[date, date] | None:
    """The days a run covered: its partition or its single-run range."""
    tags = run.tags
    if ASSET_PARTITION_RANGE_START_TAG in tags and ASSET_PARTITION_RANGE_END_TAG in tags:
        return (
            date.fromisoformat(tags[ASSET_PARTITION_RANGE_START_TAG]),
            date.fromisoformat(tags[ASSET_PARTITION_RANGE_END_TAG]),
        )
    if "dagster/partition" in tags:
        day = date.fromisoformat(tags["dagster/partition"])
        return day, day
    return None


def follow_ups(plan: LaterDays, dependents_built: bool = True) -> list[tuple[str, date, date]]:
    """The runs a plan needs, in order, as (job name, first day, last day): each span of
    days to ingest again through the whole pipeline. A pipeline run rebuilds the dependent
    models over every later built day itself (assets/dbt.py), so the dependents' own run
    follows only a run that left them out (`dependents_built` false: a subset from the UI)."""
    if plan.dependents is None:
        return []
    runs = [(PIPELINE_JOB, first, last) for first, last in contiguous(sorted(plan.reingest))]
    if dependents_built:
        return runs
    # The run left the dependents out over its own days too.
    return [*runs, (LATE_DEPENDENTS_JOB, plan.start, plan.dependents[1])]


def built_the_dependents(run: dg.DagsterRun) -> bool:
    """Whether `run` built every dependent model (a whole-pipeline run does)."""
    selection = run.asset_selection
    # No selection (None, or empty from an in-process run) is the whole job.
    return not selection or all(key in selection for key in DEPENDENT_KEYS)


def follow_up_requests(
    plan: LaterDays, cause: str, dependents_built: bool = True
) -> list[dg.RunRequest]:
    """Run requests for the plan's follow-ups (the sensor launches these)."""
    return [
        dg.RunRequest(
            run_key=f"{cause}:{first}..{last}"
            if job_name == PIPELINE_JOB
            else f"{cause}:dependents",
            job_name=job_name,
            tags={**range_tags(first, last), LATE_TAG: cause},
        )
        for job_name, first, last in follow_ups(plan, dependents_built)
    ]


def contiguous(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as (first, last) runs of consecutive days: one pipeline run each."""
    spans: list[tuple[date, date]] = []
    for day in days:
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def rebuild_later_days(
    start: date,
    end: date,
    instance: dg.DagsterInstance,
    run: Callable[[str, dict[str, str], bool], bool],
    say: Callable[[str], None] = print,
) -> list[str]:
    """After a whole-pipeline run rebuilt start..end (and the dependents over the later
    days), run what the later days still need, in order, with `run` (job name, run tags,
    whether it is the last run → success); stops at the first failure. Returns what was
    rebuilt."""
    plan = plan_later_days(instance, start, end)
    lines = plan.lines()
    for line in lines:
        say(f"later day rebuilt: {line}")
    cause = f"materialize {start}..{end}"
    runs = follow_ups(plan)
    for number, (job_name, first, last) in enumerate(runs, start=1):
        tags = {**range_tags(first, last), LATE_TAG: cause}
        if job_name == PIPELINE_JOB:
            # Its own later days are this plan's: the sensor must not follow it up again.
            tags[FOLLOWED_UP_TAG] = "materialize"
        if not run(job_name, tags, number == len(runs)):
            break
    return lines


@dg.sensor(
    jobs=[late_dependents],
    minimum_interval_seconds=settings.sensor_interval_seconds(),
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=(
        "After a successful pipeline run over days inside built history (a late file, a "
        "re-run from the UI), requests the runs that rebuild the later days it affects: days "
        "whose duplicate or catalogue judgement changed; and, when the run left them out, "
        "the models that read earlier days (WAU/MAU, new users, first orders) over every "
        "later day."
    ),
)
def late_data_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    if not context.cursor:
        # Turned on: runs from before are history, not late data to act on now.
        latest = context.instance.get_run_records(limit=1)
        start = latest[0].update_timestamp.timestamp() if latest else 0.0
        return dg.SensorResult(run_requests=[], cursor=str(start))
    since = float(context.cursor)
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(
            job_name=PIPELINE_JOB,
            statuses=[dg.DagsterRunStatus.SUCCESS],
            updated_after=datetime.fromtimestamp(since, tz=UTC),
        ),
        ascending=True,
    )
    requests, newest = [], since
    for record in records:
        newest = max(newest, record.update_timestamp.timestamp())
        window = run_window(record.dagster_run)
        if window is None or FOLLOWED_UP_TAG in record.dagster_run.tags:
            continue
        # The warehouse is read while no run writes (the sensor runs between runs); if a run
        # holds it, this raises and the cursor stays, so the next tick tries again.
        plan = plan_later_days(context.instance, *window)
        for line in plan.lines():
            context.log.info(f"after run {record.dagster_run.run_id[:8]}: {line}")
        requests += follow_up_requests(
            plan,
            cause=record.dagster_run.run_id,
            dependents_built=built_the_dependents(record.dagster_run),
        )
    if newest == since:
        return dg.SkipReason("no pipeline run finished since the last look")
    return dg.SensorResult(run_requests=requests, cursor=str(newest))
