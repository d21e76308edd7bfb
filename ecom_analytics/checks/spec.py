"""One record per asset check: what Dagster is told about it and what it is told back.

Every check of the code location is declared once, as a record that names its asset, its
name and description, whether it blocks and how it is partitioned. Its `AssetCheckSpec`
and the results of its evaluation are derived from that record, so a check's name is
written in one place and a result always lands on the check that was declared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import dagster as dg


@dataclass(frozen=True)
class Outcome:
    """What one evaluation found: passed or not, how badly, and the figures that show it."""

    passed: bool
    metadata: Mapping[str, Any] = field(default_factory=dict)
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR


class CheckRecord:
    """Base of the check records. A subclass (usually a frozen dataclass) supplies
    `asset_key`, `check_name` and `description`, as fields or as properties, and sets
    `blocking` or `partitions_def` when the defaults below do not hold."""

    asset_key: dg.AssetKey
    check_name: str
    description: str
    # Blocking: a failed check stops the assets downstream in the same run.
    blocking: bool = True
    # None: one result per run; otherwise one evaluation per partition.
    partitions_def: dg.PartitionsDefinition | None = None

    @property
    def key(self) -> dg.AssetCheckKey:
        return dg.AssetCheckKey(self.asset_key, self.check_name)

    @property
    def spec(self) -> dg.AssetCheckSpec:
        return dg.AssetCheckSpec(
            name=self.check_name,
            asset=self.asset_key,
            description=self.description,
            blocking=self.blocking,
            partitions_def=self.partitions_def,
        )

    def result(self, outcome: Outcome) -> dg.AssetCheckResult:
        """The outcome as this check's result for the run (or its partition window)."""
        return dg.AssetCheckResult(**self._stamped(outcome))

    def evaluation(
        self, outcome: Outcome, *, partition: str, description: str | None = None
    ) -> dg.AssetCheckEvaluation:
        """The outcome as this check's evaluation of one partition."""
        return dg.AssetCheckEvaluation(
            **self._stamped(outcome),
            blocking=self.blocking,
            partition=partition,
            description=description,
        )

    def _stamped(self, outcome: Outcome) -> dict[str, Any]:
        return {
            "asset_key": self.asset_key,
            "check_name": self.check_name,
            "passed": outcome.passed,
            "severity": outcome.severity,
            "metadata": dict(outcome.metadata),
        }


Record = TypeVar("Record", bound=CheckRecord)


def by_key(records: Iterable[Record]) -> dict[dg.AssetCheckKey, Record]:
    """The records by check key: what a subsettable multi-asset check looks its selection up in."""
    return {record.key: record for record in records}
