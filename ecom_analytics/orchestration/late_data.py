"""Late and out-of-order days: what a rebuilt window changes in the days after it.

Landing and re-running days in any order must end in the marts of one clean in-order build
(SPEC §4). Two kinds of later partition depend on earlier days:

- **Ingestion.** A day's judgement reads the days before it: an event id seen on an earlier
  day makes this day's copy a `duplicate_event_id`, and the catalogue as of the day decides
  `unknown_product`. When an earlier window is rebuilt, a later day whose stored judgement no
  longer holds is re-ingested in full (raw, validated, quarantine and every model of that day).
  The set is read from the warehouse, so only those days are touched.
- **Models.** WAU/MAU and stickiness read D-29..D; new users, `is_new_user`,
  `is_first_order` and `days_since_first_seen` read the first occurrence over all earlier
  days. `DEPENDENT_MODELS` are built on over every later built day by the dbt build of the
  run that changed the earlier days (`later_days_end`, assets/dbt.py): one build, no run of
  their own, and not the whole graph over the later days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import dagster as dg

from ecom_analytics import tables
from ecom_analytics.orchestration.resources import Warehouse
from ecom_analytics.vocabulary import Reason

# Models whose day D reads earlier days, rebuilt over the later days in the same build when
# an earlier day changes. The plain tables that read earlier days too (int_user_journey,
# fct_cohort_retention, dim_date) are not among them: every pipeline run rebuilds them from
# all history, the run that changed the earlier day included, and their later partitions
# read only their own day, so nothing marks those stale. Rebuilding them again here took
# about 2 s of a late day at 10 M events. dbt_project/macros/partition_window.sql gives
# these models (named in the environment) the longer window.
DEPENDENT_MODELS = (
    ("marts", "fct_daily_engagement"),
    ("marts", "fct_sessions"),
    ("marts", "fct_orders"),
)
DEPENDENT_KEYS = tuple(dg.AssetKey(list(key)) for key in DEPENDENT_MODELS)
# Its partitions are the days the marts were built for.
BUILT_DAYS_KEY = dg.AssetKey(["marts", "fct_daily_engagement"])
# WAU/MAU of day D read D-29..D.
TRAILING_DAYS = 29
# How far back the first-occurrence reads are declared to Dagster. They read every earlier
# day, but Dagster 1.13 computes staleness only through dependencies of fewer than 100
# partitions (SKIP_PARTITION_DATA_VERSION_DEPENDENCY_THRESHOLD): 98 days back plus the day
# itself is the widest reach the UI still marks. The rebuild does not rely on it.
FIRST_OCCURRENCE_REACH_DAYS = 98

# (child, parent) edges whose day D reads days before D of the parent, with how many days
# back: declared as partition mappings on the dbt assets, so that in the UI a day re-run
# without these models (a subset picked in the UI, or a dbt step that failed part-way) marks
# the later partitions that read it stale until a run rebuilds them.
# int_user_journey is rebuilt from all history; its partition D stands for "as of a run that
# covered D", so a child's day reading first-seen days depends on its earlier partitions.
READS_EARLIER_DAYS = {
    ("fct_daily_engagement", "int_user_daily_activity"): TRAILING_DAYS,
    ("fct_daily_engagement", "int_user_journey"): FIRST_OCCURRENCE_REACH_DAYS,
    ("fct_sessions", "int_user_journey"): FIRST_OCCURRENCE_REACH_DAYS,
    ("fct_orders", "int_user_journey"): FIRST_OCCURRENCE_REACH_DAYS,
}


def last_built_day(instance: dg.DagsterInstance) -> date | None:
    """The last day the marts were built for (a partition of fct_daily_engagement)."""
    days = instance.get_materialized_partitions(BUILT_DAYS_KEY)
    return max((date.fromisoformat(day) for day in days), default=None)


def later_days_end(instance: dg.DagsterInstance, end: date) -> date | None:
    """For a run whose window ends before `end` (exclusive) inside built history, the day
    after the last built day: its DEPENDENT_MODELS are built on to there, in the same build,
    so the later days that read the window are never left stale. None when nothing after
    the window is built (an in-order run), so the window stays as it is."""
    last = last_built_day(instance)
    if last is None or last < end:
        return None
    return last + timedelta(days=1)


def partition_mapping(child: str, parent: str) -> dg.TimeWindowPartitionMapping | None:
    """Day D of `child` reads days D-n..D of `parent` (READS_EARLIER_DAYS), or None for a
    same-day read. Days before the first partition simply do not exist yet."""
    days_back = READS_EARLIER_DAYS.get((child, parent))
    if days_back is None:
        return None
    return dg.TimeWindowPartitionMapping(
        start_offset=-days_back, allow_nonexistent_upstream_partitions=True
    )


_EVENT_ID_ELSEWHERE = """
    -- Valid events of a later day whose id was read on an earlier day of the rebuilt range:
    -- the earlier copy wins, so these are duplicates now. Every day of the range is before
    -- every later day, so matching the id is enough: a plain semi-join (0.1 s at 10 M events,
    -- where comparing the days as well took 0.5-0.6 s).
    select distinct later.partition_date
    from {events} as later
    where later.partition_date > $end and later.partition_date <= $last
      and later.event_id in (
        select event_id from {events}
        where partition_date >= $start and partition_date <= $end
        union all
        select record_key from {quarantine}
        where source = 'events' and record_key is not null
          and partition_date >= $start and partition_date <= $end
      )
"""

_DUPLICATE_WITHOUT_ORIGINAL = """
    -- Quarantined duplicates of a later day with no earlier copy left: valid now.
    select distinct dup.partition_date
    from {quarantine} as dup
    where dup.source = 'events' and {duplicate}
      and dup.partition_date > $end and dup.partition_date <= $last
      and not exists (
        select 1 from {events} as copy
        where copy.event_id = dup.record_key
          and (copy.partition_date < dup.partition_date
               or (copy.partition_date = dup.partition_date
                   and (copy.source_file, copy.source_line) < (dup.source_file, dup.source_line)))
      )
      and not exists (
        select 1 from {quarantine} as copy
        where copy.source = 'events' and copy.record_key = dup.record_key
          and (copy.partition_date < dup.partition_date
               or (copy.partition_date = dup.partition_date
                   and (copy.source_file, copy.source_line) < (dup.source_file, dup.source_line)))
      )
"""

_UNKNOWN_PRODUCT_NOW_KNOWN = """
    -- Events of a later day quarantined as unknown_product whose product is in the
    -- catalogue as of that day now.
    select distinct q.partition_date
    from {quarantine} as q
    where q.source = 'events' and {unknown}
      and q.partition_date > $end and q.partition_date <= $last
      and exists (
        select 1 from {products} as p
        where p.partition_date <= q.partition_date
          and p.product_id = coalesce({record_product_id}, {record_properties_product_id})
      )
"""

_PRODUCT_NO_LONGER_KNOWN = """
    -- Valid events of a later day whose product is not in the catalogue as of that day any
    -- more (a rebuilt day lost a product record).
    select distinct e.partition_date
    from {events} as e
    where e.partition_date > $end and e.partition_date <= $last
      and e.product_id is not null
      and not exists (
        select 1 from {products} as p
        where p.product_id = e.product_id and p.partition_date <= e.partition_date
      )
"""

_CAUSES = {
    "an event id is now first seen on an earlier day (duplicate_event_id)": _EVENT_ID_ELSEWHERE,
    "a duplicate_event_id lost its earlier copy": _DUPLICATE_WITHOUT_ORIGINAL,
    "an unknown_product is now in the catalogue": _UNKNOWN_PRODUCT_NOW_KNOWN,
    "a product left the catalogue": _PRODUCT_NO_LONGER_KNOWN,
}


@dataclass
class LaterDays:
    """What rebuilding start..end changes after it, up to the last materialized day."""

    start: date
    end: date
    last: date | None
    # Later days to ingest again, each with the reasons.
    reingest: dict[date, list[str]] = field(default_factory=dict)

    @property
    def dependents(self) -> tuple[date, date] | None:
        """The later days whose dependent models are rebuilt (first, last), if any."""
        if self.last is None or self.last <= self.end:
            return None
        return self.end + timedelta(days=1), self.last

    def lines(self) -> list[str]:
        """What is rebuilt and why, for the terminal and the run log."""
        if self.dependents is None:
            return []
        lines = [
            f"{day}: ingested again: {'; '.join(causes)}"
            for day, causes in sorted(self.reingest.items())
        ]
        first, last = self.dependents
        trailing_end = min(last, self.end + timedelta(days=TRAILING_DAYS))
        models = ", ".join(name for _, name in DEPENDENT_MODELS)
        lines.append(
            f"{first}..{last}: rebuilt {models}: they read {self.start}..{self.end} "
            f"(WAU/MAU through {trailing_end}; new users, first orders and first-seen days "
            "through the last materialized day)"
        )
        return lines


def later_days(warehouse: Warehouse, start: date, end: date, last: date | None) -> LaterDays:
    """The later days that rebuilding start..end makes stale, up to `last` (inclusive)."""
    # One open warehouse for its five reads (an embedded engine opens the file once).
    with warehouse.held_open():
        return _later_days(warehouse, LaterDays(start=start, end=end, last=last))


def _later_days(warehouse: Warehouse, plan: LaterDays) -> LaterDays:
    if plan.dependents is None or not warehouse.has_table(
        tables.VALIDATED_EVENTS.schema, tables.VALIDATED_EVENTS.name
    ):
        return plan
    names = {
        "events": tables.VALIDATED_EVENTS.qualified,
        "products": tables.VALIDATED_PRODUCTS.qualified,
        "quarantine": tables.QUARANTINE.qualified,
        "duplicate": tables.has_reason(Reason.DUPLICATE_EVENT_ID, "dup.reasons"),
        "unknown": tables.has_reason(Reason.UNKNOWN_PRODUCT, "q.reasons"),
        # The raw record may not be JSON at all: each engine's extraction gives null then.
        "record_product_id": warehouse.json_string("q.raw_record", "product_id"),
        "record_properties_product_id": warehouse.json_string(
            "q.raw_record", "properties", "product_id"
        ),
    }
    values = {"start": plan.start, "end": plan.end, "last": plan.last}
    for cause, template in _CAUSES.items():
        sql = template.format(**names)
        params = {name: value for name, value in values.items() if f"${name}" in sql}
        days = warehouse.query(sql, params)["partition_date"].to_list()
        for day in days:
            plan.reingest.setdefault(day, []).append(cause)
    return plan
