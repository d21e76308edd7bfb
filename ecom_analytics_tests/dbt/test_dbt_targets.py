"""The target folders of dbt commands: the newest kept, the older removed, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from ecom_analytics.assets.dbt_targets import prune_invocation_targets


def folder(target: Path, name: str, modified: float) -> Path:
    path = target / name
    (path / "compiled").mkdir(parents=True)
    (path / "dbt.log").write_text("log\n")
    os.utime(path, (modified, modified))
    return path


def test_the_newest_are_kept_with_the_current_one(tmp_path: Path) -> None:
    target = tmp_path / "target"
    oldest = folder(target, "dbt_models-1b0e4ae-aaaaaaa", 1_000)
    older = folder(target, "0f1e2d3", 2_000)  # a command outside a step
    newer = folder(target, "dbt_models-925ed9a-bbbbbbb", 3_000)
    # The command just run, its folder older than `newer` (a clock that went back).
    current = folder(target, "dbt_models-d446235-ccccccc", 2_500)
    (target / "manifest.json").write_text("{}")
    (target / "partial_parse.msgpack").write_bytes(b"\x00")
    keep_me = folder(target, "compiled", 0)  # not an invocation's name

    removed = prune_invocation_targets(current, keep=2)

    assert sorted(removed) == sorted([oldest, older])
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [current.name, newer.name, "manifest.json", "partial_parse.msgpack", keep_me.name]
    )


def test_fewer_folders_than_kept_removes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "target"
    first = folder(target, "abcdef0", 1_000)
    current = folder(target, "dbt_models-1234567-7654321", 2_000)

    assert prune_invocation_targets(current, keep=2) == []
    assert first.exists() and current.exists()


def test_keeping_one_keeps_only_the_current(tmp_path: Path) -> None:
    target = tmp_path / "target"
    newer = folder(target, "dbt_models-1234567-aaaaaaa", 9_000)
    current = folder(target, "dbt_models-1234567-bbbbbbb", 1_000)

    assert prune_invocation_targets(current, keep=1) == [newer]
    assert [p.name for p in target.iterdir()] == [current.name]
