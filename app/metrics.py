"""Pure metric arithmetic on query results: KPIs against the previous period, funnel steps,
and the matrices behind the heatmaps (SPEC §5 definitions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from app import formatting

Kind = Literal["money", "count", "rate"]

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or pd.isna(numerator) or pd.isna(denominator):
        return None
    return float(numerator) / float(denominator) if denominator else None


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    kind: Kind
    value: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        """Percentage points for rates, relative change otherwise; None without a base."""
        if self.value is None or self.previous is None:
            return None
        if self.kind == "rate":
            return self.value - self.previous
        return _ratio(self.value - self.previous, self.previous)

    @property
    def display_value(self) -> str:
        formats = {"money": formatting.money, "count": formatting.count}
        return formats.get(self.kind, formatting.percent)(self.value)

    @property
    def display_change(self) -> str:
        if self.kind == "rate":
            return formatting.point_change(self.change)
        return formatting.relative_change(self.change)


def _totals_row(totals: pd.DataFrame) -> Mapping[str, float | None]:
    row = totals.iloc[0].to_dict() if not totals.empty else {}
    return {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}


def kpis(current: pd.DataFrame, previous: pd.DataFrame) -> list[Kpi]:
    """The overview KPIs from two `data.kpi_totals` rows (this period and the one before)."""
    now, before = _totals_row(current), _totals_row(previous)

    def values(row: Mapping[str, float | None]) -> dict[str, float | None]:
        return {
            "revenue": row.get("revenue"),
            "orders": row.get("orders"),
            "aov": _ratio(row.get("revenue"), row.get("orders")),
            "conversion_rate": _ratio(row.get("purchase_sessions"), row.get("sessions")),
            "dau": row.get("average_dau"),
        }

    labels: dict[str, tuple[str, Kind]] = {
        "revenue": ("Revenue", "money"),
        "orders": ("Orders", "count"),
        "aov": ("Average order value", "money"),
        "conversion_rate": ("Conversion rate", "rate"),
        "dau": ("Daily active users (avg.)", "count"),
    }
    current_values, previous_values = values(now), values(before)
    return [
        Kpi(key, label, kind, current_values[key], previous_values[key])
        for key, (label, kind) in labels.items()
    ]


def funnel_steps(totals: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """One row per step: sessions, share of all sessions, conversion from and drop-off
    against the previous step (SPEC §5: drop-off = 1 - step / previous)."""
    row = _totals_row(totals)
    steps = [(label, row.get(column) or 0.0) for column, label in labels.items()]
    frame = pd.DataFrame(steps, columns=["step", "sessions"])
    first = frame["sessions"].iloc[0] if len(frame) else 0
    previous = frame["sessions"].shift(1)
    frame["share_of_sessions"] = frame["sessions"] / first if first else float("nan")
    frame["step_conversion"] = frame["sessions"] / previous.where(previous > 0)
    frame["drop_off"] = 1 - frame["step_conversion"]
    return frame


def conversion_by(frame: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Sessions, purchase sessions and conversion rate per value of `dimension`."""
    out = frame[[dimension, "sessions", "purchase_sessions"]].copy()
    out["conversion_rate"] = out["purchase_sessions"] / out["sessions"].where(out["sessions"] > 0)
    return out.sort_values(["conversion_rate", dimension], ascending=[False, True])


def retention_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Retention rate with one row per cohort week and one column per week since."""
    if frame.empty:
        return pd.DataFrame()
    matrix = frame.pivot_table(
        index="cohort_week",
        columns="weeks_since_first_seen",
        values="retention_rate",
        aggfunc="first",
    )
    return matrix.sort_index().sort_index(axis=1)


def hour_weekday_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """A 7 x 24 grid (Monday first, hours 0-23), zero where nothing happened."""
    grid = pd.DataFrame(0.0, index=range(1, 8), columns=range(24))
    for row in frame.itertuples(index=False):
        grid.at[int(row.day_of_week), int(row.activity_hour)] = float(row.value)
    grid.index = list(WEEKDAYS)
    return grid
