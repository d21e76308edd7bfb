"""The metric anomaly checks as Dagster asset checks: one per metric, judged per day.

A run over a window judges every day of it; each day gets its own evaluation (partition =
the day), so the UI's partition view shows on which days a metric left its band.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dagster as dg

from ecom_analytics import engines, settings
from ecom_analytics.checks.anomalies import (
    HISTORY_DAYS,
    METRICS,
    Judgement,
    Metric,
    judge,
    metric_series_sql,
    series_from_frame,
)
from ecom_analytics.checks.spec import CheckRecord, Outcome, by_key
from ecom_analytics.orchestration.late_data import DEPENDENT_KEYS, later_days_end
from ecom_analytics.orchestration.partitions import daily_partitions, window_dates
from ecom_analytics.orchestration.resources import Warehouse
from ecom_analytics.tables import MARTS_SCHEMA


@dataclass(frozen=True)
class MetricCheck(CheckRecord):
    """The anomaly check of one metric: judged per day (one evaluation per partition), warns
    and never blocks."""

    metric: Metric
    blocking = False
    partitions_def = daily_partitions

    @property
    def asset_key(self) -> dg.AssetKey:
        return dg.AssetKey([MARTS_SCHEMA, self.metric.table])

    @property
    def check_name(self) -> str:
        return f"{self.metric.name}_is_within_its_usual_band"

    @property
    def description(self) -> str:
        metric = self.metric
        return (
            f"{metric.name} of day D ({metric.expression} over {MARTS_SCHEMA}.{metric.table}) "
            f"lies inside the robust band of the {HISTORY_DAYS} days before it (weighted "
            "median ± k·MAD, same weekday weighted up). Grain: one evaluation per day. "
            "Purpose: show a broken tracker or a sales spike the day it lands; warns, never "
            "blocks."
        )

    def verdict(self, judgement: Judgement) -> dg.AssetCheckEvaluation:
        """One day's judgement as the evaluation of that day's partition: WARN when it fired."""
        outcome = Outcome(
            passed=not judgement.fired,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                **judgement.metadata(),
                "judged": judgement.lower is not None and judgement.value is not None,
            },
        )
        return self.evaluation(
            outcome,
            partition=judgement.day.isoformat(),
            description=(
                f"{self.metric.name} on {judgement.day}: {judgement.value} outside "
                f"[{judgement.lower:.4g}, {judgement.upper:.4g}]"
                if judgement.fired
                else None
            ),
        )


CHECKS = tuple(MetricCheck(metric) for metric in METRICS)
_CHECKS_BY_KEY = by_key(CHECKS)


def judge_window(
    warehouse: Warehouse, metrics: tuple[Metric, ...], start: date, end: date
) -> list[Judgement]:
    """Every metric on every day of [start, end), each against its own trailing history."""
    judgements = []
    # One open warehouse for a query per metric (an embedded engine opens the file once).
    with warehouse.held_open():
        for metric in metrics:
            frame = warehouse.query(
                metric_series_sql(metric),
                {"start": start - timedelta(days=HISTORY_DAYS), "end": end},
            )
            series = series_from_frame(frame) if not frame.is_empty() else {}
            judgements += [judge(metric.name, series, day) for day in window_dates(start, end)]
    return judgements


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@dg.multi_asset_check(
    specs=[check.spec for check in CHECKS],
    can_subset=True,
    pool=settings.DUCKDB_WRITER_POOL,
)
def daily_metrics_are_within_their_usual_bands(
    context: dg.AssetCheckExecutionContext,
) -> Iterator[dg.AssetCheckEvaluation | dg.Output]:
    """Metric anomaly checks of the daily marts (SPEC §4).

    Source: marts.fct_daily_engagement and marts.fct_funnel, the window and the 28 days
    before it; inside built history, fct_daily_engagement's later days too (the dbt step
    rebuilt them). Grain: one evaluation per metric and day. Purpose: warn, never block, when a
    metric leaves its robust band, with the band and the value as metadata.
    """
    window = context.partition_time_window
    start, end = _as_date(window.start), _as_date(window.end)
    selected = [_CHECKS_BY_KEY[key] for key in context.selected_asset_check_keys]
    by_metric = {check.metric.name: check for check in selected}
    # The marts the dbt step built on over later days are judged over those days too.
    later_end = later_days_end(context.instance, end)
    spans: dict[date, list[Metric]] = {}
    for check in selected:
        rebuilt_later = later_end is not None and check.asset_key in DEPENDENT_KEYS
        spans.setdefault(later_end if rebuilt_later else end, []).append(check.metric)
    warehouse = engines.current_warehouse()
    for span_end, metrics in spans.items():
        for judgement in judge_window(warehouse, tuple(metrics), start, span_end):
            yield by_metric[judgement.metric].verdict(judgement)
    # Each day has its evaluation above; the step's own outputs only say the checks ran.
    for key in context.selected_asset_check_keys:
        output = daily_metrics_are_within_their_usual_bands.get_output_name_for_asset_check_key(key)
        yield dg.Output(None, output_name=output)


anomaly_check_defs = [daily_metrics_are_within_their_usual_bands]


def snapshot_rows(source: Warehouse | str) -> list[dict]:
    """Every judged metric and day of the marts, as rows for the dashboard's
    `meta.anomalies` (the same verdicts as the checks, over every day the marts hold).
    `source` is a warehouse resource, or the path of a DuckDB warehouse."""
    warehouse = engines.as_warehouse(source)
    table = METRICS[0].table
    with warehouse.held_open():
        if not warehouse.has_table(MARTS_SCHEMA, table):
            return []
        days = warehouse.query(
            f"select min(activity_date) as first, max(activity_date) as last "
            f"from {MARTS_SCHEMA}.{table}"
        )
        first, last = days.row(0)
        if first is None:
            return []
        return judged_rows(warehouse, first, last + timedelta(days=1))


def judged_rows(warehouse: Warehouse, start: date, end: date) -> list[dict]:
    """Every judged metric and day of [start, end) as rows (value, band, fired)."""
    return [
        {
            "metric": j.metric,
            "day": j.day,
            "value": j.value,
            "lower_bound": j.lower,
            "upper_bound": j.upper,
            "fired": j.fired,
        }
        for j in judge_window(warehouse, METRICS, start, end)
        if j.lower is not None
    ]
