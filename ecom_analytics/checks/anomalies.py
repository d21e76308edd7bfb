"""Metric anomaly checks (SPEC §4): each daily metric against a robust band from its past.

Day D's value is compared with the trailing `HISTORY_DAYS` days before it. The centre is a
weighted median of that history in which days of D's weekday weigh `SAME_WEEKDAY_WEIGHT`
times as much as the others (weekly seasonality: Mondays look like Mondays). The spread is
the median absolute deviation of the whole history from its plain median, scaled to a
standard deviation (×1.4826): every day counts there, so four same-weekday values cannot
make it collapse, and a single spike in the history moves neither. The band is
centre ± `BAND_K`·spread, never narrower than ± `MIN_RELATIVE_WIDTH` of the centre, so a
flat history does not flag noise.

The checks warn and never block: an unusual day may be a real sales spike. A day with less
than `MIN_HISTORY_DAYS` of history is not judged (it passes, and says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

HISTORY_DAYS = 28
MIN_HISTORY_DAYS = 14
# The four same weekdays of 28 days weigh 4 × 7 = 28 against the other 24: when they agree,
# they set the centre; the other days still count when they do not.
SAME_WEEKDAY_WEIGHT = 7.0
BAND_K = 3.0
MIN_RELATIVE_WIDTH = 0.05
# MAD × this estimates the standard deviation of normally distributed values.
MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True)
class Metric:
    """A daily metric: its name, the mart it is read from and the SQL aggregate per day."""

    name: str
    table: str
    date_column: str
    expression: str


# The metrics watched, in one place. Revenue is gross until the marts carry net revenue.
METRICS: tuple[Metric, ...] = (
    Metric(
        "daily_active_users", "fct_daily_engagement", "activity_date", "sum(daily_active_users)"
    ),
    Metric("sessions", "fct_daily_engagement", "activity_date", "sum(sessions)"),
    Metric("orders", "fct_daily_engagement", "activity_date", "sum(orders)"),
    Metric("net_revenue", "fct_daily_engagement", "activity_date", "sum(net_revenue)"),
    Metric(
        "conversion_rate",
        "fct_funnel",
        "activity_date",
        "sum(purchase_sessions) / nullif(sum(sessions), 0)",
    ),
)


@dataclass(frozen=True)
class Judgement:
    """One metric on one day: its value, the band it was held against and the verdict."""

    metric: str
    day: date
    value: float | None
    lower: float | None
    upper: float | None
    centre: float | None
    history_days: int

    @property
    def fired(self) -> bool:
        if self.value is None or self.lower is None or self.upper is None:
            return False
        return not self.lower <= self.value <= self.upper

    def metadata(self) -> dict[str, float | int | str | None]:
        return {
            "value": self.value,
            "lower_bound": self.lower,
            "upper_bound": self.upper,
            "expected": self.centre,
            "history_days": self.history_days,
        }


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value at which the cumulative weight reaches half the total."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2.0)])


def band(history: dict[date, float], day: date) -> tuple[float, float, float, int] | None:
    """(lower, upper, centre, days used) for `day` from `history` (values by date), or None
    when fewer than MIN_HISTORY_DAYS of the trailing HISTORY_DAYS have a value."""
    past = [
        (d, v)
        for d, v in history.items()
        if day - timedelta(days=HISTORY_DAYS) <= d < day and v is not None
    ]
    if len(past) < MIN_HISTORY_DAYS:
        return None
    values = np.array([v for _, v in past], dtype=float)
    weights = np.array(
        [SAME_WEEKDAY_WEIGHT if d.weekday() == day.weekday() else 1.0 for d, _ in past]
    )
    centre = weighted_median(values, weights)
    spread = MAD_TO_SIGMA * float(np.median(np.abs(values - np.median(values))))
    half_width = max(BAND_K * spread, MIN_RELATIVE_WIDTH * abs(centre))
    return centre - half_width, centre + half_width, centre, len(past)


def judge(metric: str, series: dict[date, float], day: date) -> Judgement:
    """Judge `series[day]` against the band from the days before it."""
    bounds = band(series, day)
    value = series.get(day)
    if bounds is None:
        return Judgement(metric, day, value, None, None, None, 0)
    lower, upper, centre, used = bounds
    return Judgement(metric, day, value, lower, upper, centre, used)


def metric_series_sql(metric: Metric, schema: str = "marts") -> str:
    """Per-day values of `metric` between $start and $end (half-open). Names come from
    METRICS, never from user input."""
    return (
        f'select "{metric.date_column}" as day, {metric.expression} as value '
        f'from "{schema}"."{metric.table}" '
        f'where "{metric.date_column}" >= $start and "{metric.date_column}" < $end '
        "group by 1 order by 1"
    )


def series_from_frame(frame: pl.DataFrame) -> dict[date, float]:
    """A `day, value` frame as a dict (null values kept out: they are not history)."""
    # Cast here rather than in SQL: engines name a double differently.
    values = frame.select("day", pl.col("value").cast(pl.Float64))
    return {d: v for d, v in values.rows() if v is not None}
