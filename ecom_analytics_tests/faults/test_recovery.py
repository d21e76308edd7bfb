"""Runs whose process is gone are marked failed and give back their writer slot."""

from __future__ import annotations

import subprocess
import sys
import time

import dagster as dg

from ecom_analytics import settings
from ecom_analytics.orchestration.instance import INSTANCE_CONFIG
from ecom_analytics.orchestration.recovery_sensor import dead_runs_sensor
from ecom_analytics.runs.recovery import (
    process_tags,
    recover_dead_runs,
    run_process_is_gone,
    writer_slot_holders,
)
from ecom_analytics.runs.run_guard import sleep_while_slot_is_taken, wait_for_writer_slot

POOL_SETTINGS = {"concurrency": {"pools": {"default_limit": 1}}}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _started_run(
    instance: dg.DagsterInstance, tags: dict[str, str], *, claim_slot: bool = True
) -> dg.DagsterRun:
    """A run recorded as STARTED and holding the writer slot, as a killed run leaves it."""
    run = instance.create_run_for_job(
        dg.GraphDefinition(name="killed", node_defs=[]).to_job(), tags=tags
    )
    instance.handle_run_event(
        run.run_id,
        dg.DagsterEvent(
            event_type_value=dg.DagsterEventType.RUN_START.value, job_name=run.job_name
        ),
    )
    if claim_slot:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(settings.DUCKDB_WRITER_POOL, 1)
        claim = storage.claim_concurrency_slot(
            settings.DUCKDB_WRITER_POOL, run.run_id, "ingest_landing_files"
        )
        assert claim.is_claimed
    return instance.get_run_by_id(run.run_id)


def test_a_run_whose_process_is_gone_is_failed_and_frees_its_slot():
    with dg.instance_for_test(overrides=POOL_SETTINGS) as instance:
        dead = _started_run(instance, process_tags(_dead_pid()))
        # This test's own process: alive.
        alive = _started_run(instance, process_tags(), claim_slot=False)

        assert run_process_is_gone(instance, dead)
        assert not run_process_is_gone(instance, alive)
        assert recover_dead_runs(instance, log=lambda _: None) == [dead.run_id]

        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
        assert writer_slot_holders(instance) == []
        info = instance.event_log_storage.get_concurrency_info(settings.DUCKDB_WRITER_POOL)
        assert dead.run_id not in info.active_run_ids


def test_a_pid_reused_by_another_process_is_not_taken_for_the_run():
    with dg.instance_for_test(overrides=POOL_SETTINGS) as instance:
        tags = {**process_tags(), "ecom_analytics/process_started": "1.00"}
        run = _started_run(instance, tags, claim_slot=False)
        assert run_process_is_gone(instance, run)


def test_a_run_waiting_on_a_slot_held_by_a_dead_run_goes_ahead():
    with dg.instance_for_test(overrides=POOL_SETTINGS) as instance:
        dead = _started_run(instance, process_tags(_dead_pid()))
        said: list[str] = []
        wait_for_writer_slot(instance, log=said.append)

        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert writer_slot_holders(instance) == []
        assert said == [f"run {dead.run_id}: its process is gone; marked failed, slots freed"]


def test_the_committed_instance_config_keeps_one_writer_and_run_monitoring():
    import yaml

    config = yaml.safe_load(INSTANCE_CONFIG.read_text())
    assert config["concurrency"]["pools"]["default_limit"] == 1
    assert config["run_monitoring"]["enabled"] is True


def test_a_step_blocked_on_a_slot_sleeps_until_its_next_claim():
    from types import SimpleNamespace

    from dagster._core.execution.plan.instance_concurrency_context import (
        InstanceConcurrencyContext,
    )

    sleep_while_slot_is_taken()
    now = time.time()
    blocked = SimpleNamespace(_pending_claims={"dbt_models"}, _pending_timeouts={"x": now + 5})
    overdue = SimpleNamespace(_pending_claims={"dbt_models"}, _pending_timeouts={"x": now - 5})

    wait = InstanceConcurrencyContext.interval_to_next_pending_claim_check
    # Next claim due in ~5 s: sleep until then (Dagster's own version returned 0: spin).
    assert 0 < wait(blocked) <= 5
    assert wait(overdue) == 0.0


def test_the_dead_runs_sensor_frees_the_slot_a_ui_run_waits_on():
    with dg.instance_for_test(overrides=POOL_SETTINGS) as instance:
        dead = _started_run(instance, process_tags(_dead_pid()))
        quiet = dead_runs_sensor(dg.build_sensor_context(instance=instance))
        assert dead.run_id in quiet.skip_message
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert writer_slot_holders(instance) == []
        again = dead_runs_sensor(dg.build_sensor_context(instance=instance))
        assert again.skip_message == "no dead runs"
