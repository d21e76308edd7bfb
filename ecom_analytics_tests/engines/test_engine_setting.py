"""`ECOM_WAREHOUSE` picks the engine for the whole code location and the dbt target."""

import pytest

from ecom_analytics import engines, settings
from ecom_analytics.engines.duckdb_engine import DuckDBWarehouse
from ecom_analytics.project import dbt_profile_env


def test_the_warehouse_engine_defaults_to_duckdb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.ENGINE_ENV, raising=False)
    assert settings.warehouse_engine() == "duckdb"
    assert isinstance(engines.current_warehouse(), DuckDBWarehouse)


def test_an_unknown_engine_is_refused_with_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.ENGINE_ENV, "oracle")
    with pytest.raises(ValueError, match="duckdb, postgres, spark"):
        settings.warehouse_engine()


def test_dbt_is_given_the_engine_as_its_target(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv(settings.ENGINE_ENV, "DuckDB")
    monkeypatch.setenv(settings.WAREHOUSE_ENV, str(tmp_path / "w.duckdb"))
    env = dbt_profile_env()
    assert env[settings.ENGINE_ENV] == "duckdb"
    assert env[settings.WAREHOUSE_ENV] == str(tmp_path / "w.duckdb")


def test_a_path_stands_for_a_duckdb_warehouse(tmp_path) -> None:
    warehouse = engines.as_warehouse(tmp_path / "w.duckdb")
    assert isinstance(warehouse, DuckDBWarehouse)
    assert engines.as_warehouse(warehouse) is warehouse
