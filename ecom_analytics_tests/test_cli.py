"""The command line: bad arguments exit 2 with one line on stderr, before any work starts."""

from datetime import UTC, datetime, timedelta

import pytest

from ecom_analytics.cli import main
from ecom_analytics.orchestration.partitions import daily_partitions

FIRST = daily_partitions.get_first_partition_key()


def one_line_error(capsys: pytest.CaptureFixture) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_materialize_start_after_end_exits_2(workspace, capsys):
    assert main(["materialize", "--start", "2024-01-03", "--end", "2024-01-02"]) == 2
    line = one_line_error(capsys)
    assert line.startswith("ecom-analytics materialize: error:")
    assert "2024-01-03 is after --end 2024-01-02" in line
    # It failed before preparing anything: no Dagster home was set up.
    assert not (workspace.dagster_home / "dagster.yaml").exists()


def test_materialize_days_before_the_first_partition_exit_2(workspace, capsys):
    day_before = (datetime.fromisoformat(FIRST) - timedelta(days=1)).date().isoformat()
    assert main(["materialize", "--start", day_before, "--end", FIRST]) == 2
    assert "outside the daily partitions" in one_line_error(capsys)
    assert not (workspace.dagster_home / "dagster.yaml").exists()


def test_materialize_today_is_not_a_partition_yet_and_exits_2(workspace, capsys):
    today = datetime.now(UTC).date().isoformat()
    assert main(["materialize", "--start", today, "--end", today]) == 2
    assert "the last complete UTC day" in one_line_error(capsys)


@pytest.mark.parametrize(
    "argv",
    [
        ["materialize", "--start", "yesterday", "--end", "2024-01-02"],
        ["materialize", "--start", "2024-01-01", "--end", "2024-02-30"],
        ["materialize", "--start", "2024-01-01"],
    ],
)
def test_materialize_bad_arguments_exit_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    line = one_line_error(capsys)
    assert line.startswith("ecom-analytics materialize: error:")


def test_not_a_date_names_the_argument_and_the_value(capsys):
    with pytest.raises(SystemExit):
        main(["materialize", "--start", "2024-13-01", "--end", "2024-01-02"])
    assert "argument --start: not a date (YYYY-MM-DD): '2024-13-01'" in one_line_error(capsys)
