"""deploy/dagster.postgres.yaml is the project's dagster.yaml plus PostgreSQL storage."""

import yaml

from ecom_analytics import settings
from ecom_analytics.orchestration.instance import INSTANCE_CONFIG, writer_pool_limit

POSTGRES_CONFIG = settings.PROJECT_ROOT / "deploy" / "dagster.postgres.yaml"


def test_the_postgres_instance_config_only_adds_storage_to_the_projects() -> None:
    project = yaml.safe_load(INSTANCE_CONFIG.read_text())
    postgres = yaml.safe_load(POSTGRES_CONFIG.read_text())

    storage = postgres.pop("storage")
    assert postgres == project
    assert writer_pool_limit(postgres) == 1
    # Every connection field comes from the environment, never from the file.
    fields = storage["postgres"]["postgres_db"]
    assert {name: value for name, value in fields.items() if name != "scheme"} == {
        "hostname": {"env": "DAGSTER_PG_HOST"},
        "port": {"env": "DAGSTER_PG_PORT"},
        "username": {"env": "DAGSTER_PG_USER"},
        "password": {"env": "DAGSTER_PG_PASSWORD"},
        "db_name": {"env": "DAGSTER_PG_DB"},
    }
