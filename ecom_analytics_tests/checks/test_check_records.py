"""Each check is one record: its spec and its results come from it, and the per-day rules of
the stored ingestion checks judge the counts they are given."""

from dataclasses import dataclass
from datetime import date

import dagster as dg
import polars as pl

from ecom_analytics.checks import ingestion, metric_anomalies
from ecom_analytics.checks.spec import CheckRecord, Outcome, by_key
from ecom_analytics.checks.stored_counts import (
    StoredWindow,
    quarantine_rate_is_acceptable,
    reconciles,
)

RECORDS = (*ingestion.CHECKS, *metric_anomalies.CHECKS)


@dataclass(frozen=True)
class TableIsFresh(CheckRecord):
    asset_key: dg.AssetKey
    check_name: str
    description: str
    blocking = False


def counts(*rows: tuple[date, int, int, int]) -> pl.DataFrame:
    """Counts of events per day: (day, read, valid, quarantined), nothing unreadable."""
    return pl.DataFrame(
        [("events", day, read, valid, quarantined, 0) for day, read, valid, quarantined in rows],
        schema=["source", "partition_date", "read", "valid", "quarantined", "unreadable"],
        orient="row",
    )


def window(frame: pl.DataFrame) -> StoredWindow:
    return StoredWindow(None, date(2024, 1, 1), date(2024, 1, 3), frame, 0.01, 0.05)


def test_every_check_key_is_declared_once():
    assert len(by_key(RECORDS)) == len(RECORDS)


def test_each_spec_is_derived_from_its_record():
    for record in RECORDS:
        spec = record.spec
        assert (spec.key, spec.description, spec.blocking) == (
            record.key,
            record.description,
            record.blocking,
        )


def test_schema_checks_block_and_per_day_rules_do_not():
    blocking = {check.check_name for check in ingestion.CHECKS if check.blocking}
    assert blocking == {
        check.check_name for check in ingestion.CHECKS if isinstance(check, ingestion.FrameCheck)
    }
    assert all(not check.spec.blocking for check in metric_anomalies.CHECKS)


def test_a_record_stamps_its_results_with_its_own_key():
    check = TableIsFresh(dg.AssetKey(["marts", "t"]), "t_is_fresh", "t was built today.")
    outcome = Outcome(passed=False, metadata={"age_days": 2}, severity=dg.AssetCheckSeverity.WARN)

    result = check.result(outcome)
    evaluation = check.evaluation(outcome, partition="2024-01-01")

    assert (result.asset_key, result.check_name, result.passed) == (
        check.asset_key,
        "t_is_fresh",
        False,
    )
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert (evaluation.check_name, evaluation.partition, evaluation.blocking) == (
        "t_is_fresh",
        "2024-01-01",
        False,
    )


def test_reconciliation_names_the_days_that_do_not_add_up():
    outcome = reconciles(
        "events", window(counts((date(2024, 1, 1), 4, 3, 1), (date(2024, 1, 2), 4, 2, 1)))
    )

    assert not outcome.passed
    assert outcome.metadata["unbalanced_days"] == ["2024-01-02"]
    assert outcome.metadata["rows_read"] == 8


def test_quarantine_rate_warns_above_the_warn_rate_and_fails_above_the_fail_rate():
    # 2% is above the 1% warn rate only; 10% is above the 5% fail rate.
    warned = quarantine_rate_is_acceptable("events", window(counts((date(2024, 1, 1), 100, 98, 2))))
    failed = quarantine_rate_is_acceptable(
        "events", window(counts((date(2024, 1, 1), 100, 98, 2), (date(2024, 1, 2), 100, 90, 10)))
    )

    assert (warned.passed, warned.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert warned.metadata["days_above_warn"] == ["2024-01-01"]
    assert (failed.passed, failed.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert failed.metadata["days_above_fail"] == ["2024-01-02"]
