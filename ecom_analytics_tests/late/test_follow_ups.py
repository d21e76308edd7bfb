"""Which runs follow a run inside built history, and the window its dbt build is given."""

from __future__ import annotations

from datetime import date

import pytest

from ecom_analytics.assets.dbt_env import (
    LATER_DAYS_END_ENV,
    LATER_DAYS_MODELS_ENV,
    WINDOW_END_ENV,
    dbt_window_env,
)
from ecom_analytics.orchestration.jobs import PIPELINE_JOB
from ecom_analytics.orchestration.late_data import LaterDays
from ecom_analytics.orchestration.late_runs import LATE_DEPENDENTS_JOB, follow_ups

D = date(2024, 1, 5)


def day(n: int) -> date:
    return date(2024, 1, 5 + n)


def test_a_whole_pipeline_run_is_followed_only_by_the_days_to_ingest_again():
    # Built through D+9; D re-run; D+3, D+4 and D+7 judged again: two stretches, in order.
    plan = LaterDays(start=D, end=D, last=day(9), reingest={day(7): ["x"], day(3): ["x"]})
    plan.reingest[day(4)] = ["y"]
    assert follow_ups(plan) == [
        (PIPELINE_JOB, day(3), day(4)),
        (PIPELINE_JOB, day(7), day(7)),
    ]
    # Nothing to ingest again: the run's own dbt build rebuilt the dependents.
    assert follow_ups(LaterDays(start=D, end=D, last=day(9))) == []


def test_a_run_that_left_the_dependents_out_is_followed_by_their_run_over_its_days_too():
    plan = LaterDays(start=D, end=day(1), last=day(9), reingest={day(3): ["x"]})
    assert follow_ups(plan, dependents_built=False) == [
        (PIPELINE_JOB, day(3), day(3)),
        (LATE_DEPENDENTS_JOB, D, day(9)),
    ]


def test_nothing_follows_a_run_that_reaches_the_last_built_day():
    assert follow_ups(LaterDays(start=D, end=day(2), last=day(2)), dependents_built=False) == []
    assert follow_ups(LaterDays(start=D, end=D, last=None)) == []


def test_the_dependents_window_runs_on_to_the_later_end_only_when_given():
    env = dbt_window_env(D, day(1), later_end=day(10))
    assert env[WINDOW_END_ENV] == "2024-01-06"
    assert env[LATER_DAYS_END_ENV] == "2024-01-15"
    assert env[LATER_DAYS_MODELS_ENV] == "fct_daily_engagement,fct_sessions,fct_orders"
    # Without later days both are empty, so a window set before never carries over.
    plain = dbt_window_env(D, day(1))
    assert plain[LATER_DAYS_END_ENV] == plain[LATER_DAYS_MODELS_ENV] == ""
    with pytest.raises(ValueError, match="not after"):
        dbt_window_env(D, day(1), later_end=day(1))
