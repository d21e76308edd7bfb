"""`ecom-analytics import`: arguments, exit codes and the per-day summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecom_analytics.cli.import_files import main

RETAIL = """\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
536366,22633,HAND WARMER UNION JACK,6,2010-12-02 08:28:00,1.85,17850.0,United Kingdom
"""


def test_cli_import_prints_a_summary_per_day(tmp_path: Path, capsys: pytest.CaptureFixture):
    source = tmp_path / "retail.csv"
    source.write_text(RETAIL)
    assert main(["import", "--format", "online-retail", str(source), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Imported 2 rows from 1 online-retail file(s)" in out
    assert [line.split()[:2] for line in out.splitlines()[2:]] == [
        ["2010-12-01", "1"],
        ["2010-12-02", "1"],
        ["total", "2"],
    ]


def test_cli_import_lands_in_the_data_dir_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    source = tmp_path / "retail.csv"
    source.write_text(RETAIL)
    monkeypatch.setenv("ECOM_DATA_DIR", str(tmp_path / "data"))
    assert main(["import", "--format", "online-retail", str(tmp_path)]) == 0
    assert (tmp_path / "data/raw/events/date=2010-12-01/online-retail-retail.jsonl").is_file()


def test_cli_import_exits_2_on_a_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture):
    code = main(["import", "--format", "rees46", str(tmp_path / "nope.csv"), "--out", "x"])
    assert code == 2
    assert "nope.csv: no such file or folder" in capsys.readouterr().err


def test_cli_import_exits_2_on_an_unknown_format(tmp_path: Path):
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "--format", "shopify", str(tmp_path)])
    assert exit_info.value.code == 2
