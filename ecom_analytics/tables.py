"""The warehouse contract for the Python-built tables: schema, table names and column types.

dbt's sources (`dbt_project/models/staging/_staging__sources.yml`) describe the same tables;
a test keeps the two in step. The marts are dbt's: their contract (grain, columns, tests) is
the yml of `dbt_project/models/marts/`, and `docs/data_dictionary.md` describes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RAW_SCHEMA = "raw"
VALIDATED_SCHEMA = "validated"
QUALITY_SCHEMA = "quality"
MARTS_SCHEMA = "marts"
QUARANTINE_TABLE = "quarantine"

# Every Python-built table is partitioned on this DATE column (the landing folder's day).
PARTITION_COLUMN = "partition_date"

# Lineage columns carried by every row read from a landing file.
LINEAGE_COLUMNS: dict[str, str] = {
    "partition_date": "DATE",
    "source_file": "VARCHAR",
    "source_line": "BIGINT",
}


# DuckDB's compression for the landed JSON text (`raw_record`). DuckDB's own choice for such
# long, varied strings is slow to write; zstd loaded raw.events in about half the time into
# a third of the space, and scans it as fast. Other engines store text their own way.
RAW_TEXT_COMPRESSION = {"raw_record": "zstd"}


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: dict[str, str]
    # DuckDB storage only: column → compression method (`USING COMPRESSION`).
    duckdb_compression: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> list[str]:
        return [self.schema, self.name]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"


def _raw(name: str) -> Table:
    # Raw tables keep each record exactly as landed (JSON text), so nothing is lost before
    # validation; `read_error` marks lines or files that could not be parsed at all.
    return Table(
        RAW_SCHEMA,
        name,
        {**LINEAGE_COLUMNS, "raw_record": "VARCHAR", "read_error": "VARCHAR"},
        duckdb_compression=RAW_TEXT_COMPRESSION,
    )


RAW_EVENTS = _raw("events")
RAW_PRODUCTS = _raw("products")
RAW_USERS = _raw("users")

VALIDATED_EVENTS = Table(
    VALIDATED_SCHEMA,
    "events",
    {
        "event_id": "VARCHAR",
        "event_timestamp": "TIMESTAMP",
        "event_type": "VARCHAR",
        "user_id": "VARCHAR",
        "session_id": "VARCHAR",
        "product_id": "VARCHAR",
        "quantity": "INTEGER",
        "unit_price": "DECIMAL(18,2)",
        "order_id": "VARCHAR",
        "device": "VARCHAR",
        "channel": "VARCHAR",
        "country": "VARCHAR",
        "page_url": "VARCHAR",
        "search_query": "VARCHAR",
        "properties": "VARCHAR",
        **LINEAGE_COLUMNS,
    },
)

VALIDATED_PRODUCTS = Table(
    VALIDATED_SCHEMA,
    "products",
    {
        "product_id": "VARCHAR",
        "sku": "VARCHAR",
        "product_name": "VARCHAR",
        "category": "VARCHAR",
        "subcategory": "VARCHAR",
        "brand": "VARCHAR",
        "list_price": "DECIMAL(18,2)",
        "is_active": "BOOLEAN",
        "updated_at": "TIMESTAMP",
        **LINEAGE_COLUMNS,
    },
)

VALIDATED_USERS = Table(
    VALIDATED_SCHEMA,
    "users",
    {
        "user_id": "VARCHAR",
        "email": "VARCHAR",
        "signup_at": "TIMESTAMP",
        "country": "VARCHAR",
        "city": "VARCHAR",
        "acquisition_channel": "VARCHAR",
        "loyalty_tier": "VARCHAR",
        "updated_at": "TIMESTAMP",
        **LINEAGE_COLUMNS,
    },
)

QUARANTINE = Table(
    QUALITY_SCHEMA,
    QUARANTINE_TABLE,
    {
        "source": "VARCHAR",
        **LINEAGE_COLUMNS,
        "raw_record": "VARCHAR",
        "reasons": "VARCHAR[]",
        # The record's key (event_id, product_id or user_id) when it could be read.
        "record_key": "VARCHAR",
        # What went wrong beyond the reason codes, e.g. the error of an unreadable file.
        "detail": "VARCHAR",
    },
    duckdb_compression=RAW_TEXT_COMPRESSION,
)


def has_reason(reason: str, column: str = "reasons") -> str:
    """SQL true when the quarantine `reasons` list holds `reason` (a Reason code, not user
    input), in a form DuckDB, PostgreSQL and Spark all read (their position is 1-based; not
    found is 0 or null)."""
    return f"array_position({column}, '{reason}') > 0"


RAW_TABLES = {"events": RAW_EVENTS, "products": RAW_PRODUCTS, "users": RAW_USERS}
VALIDATED_TABLES = {
    "events": VALIDATED_EVENTS,
    "products": VALIDATED_PRODUCTS,
    "users": VALIDATED_USERS,
}
