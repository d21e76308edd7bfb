"""PostgreSQL: the warehouse on a shared server (`ECOM_POSTGRES_HOST`, `_PORT`, `_USER`,
`_PASSWORD`, `_DB`; see settings.postgres_connection).

Rows move in and out in bulk: COPY (CSV) into tables, typed polars frames out of queries, so
the checks and the dashboard snapshot see the same column types as on DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import polars as pl
import psycopg
from psycopg import sql as pgsql

from ecom_analytics import settings
from ecom_analytics.engines.base import Params, Warehouse, run_resources, select_list

_NAMED_PARAM = re.compile(r"\$([A-Za-z_]\w*)")

# Result column types by PostgreSQL type OID, so an empty result is typed too.
_TYPES_BY_OID: dict[int, pl.DataType] = {
    16: pl.Boolean(),
    19: pl.String(),
    20: pl.Int64(),
    21: pl.Int16(),
    23: pl.Int32(),
    25: pl.String(),
    700: pl.Float32(),
    701: pl.Float64(),
    1009: pl.List(pl.String()),
    1015: pl.List(pl.String()),
    1042: pl.String(),
    1043: pl.String(),
    1082: pl.Date(),
    1114: pl.Datetime("us"),
    1184: pl.Datetime("us", "UTC"),
}
_NUMERIC_OID = 1700

# Column types for frames handed to `query` as tables.
_SQL_TYPES = {
    pl.String: "text",
    pl.Int64: "bigint",
    pl.Int32: "integer",
    pl.Int16: "smallint",
    pl.Float64: "double precision",
    pl.Boolean: "boolean",
    pl.Date: "date",
    pl.Datetime: "timestamp",
    pl.Decimal: "numeric",
}


def to_pyformat(sql: str, params: Params) -> str:
    """`?` or `$name` placeholders as psycopg's `%s` / `%(name)s`; literal `%` escaped."""
    sql = sql.replace("%", "%%")
    if isinstance(params, dict):
        return _NAMED_PARAM.sub(r"%(\1)s", sql)
    return sql.replace("?", "%s")


def _dtype(column: psycopg.Column) -> pl.DataType | None:
    if column.type_code == _NUMERIC_OID:
        # numeric(p, s) is exact; an unconstrained numeric (e.g. a sum of bigints) is not
        # bounded, so it is read as a double.
        if column.precision:
            return pl.Decimal(column.precision, column.scale or 0)
        return pl.Float64()
    return _TYPES_BY_OID.get(column.type_code)


def frame_from_cursor(cursor: psycopg.Cursor) -> pl.DataFrame:
    """The cursor's result as a polars frame whose columns carry the result's types."""
    columns = cursor.description or []
    schema = {column.name: _dtype(column) for column in columns}
    return pl.DataFrame(cursor.fetchall(), schema=schema, orient="row", strict=False)


def _array_literal(values: pl.Expr) -> pl.Expr:
    # A text[] in COPY's text form: {"a","b"}, each element quoted and escaped.
    quoted = values.list.eval(
        pl.lit('"')
        + pl.element()
        .str.replace_all("\\", "\\\\", literal=True)
        .str.replace_all('"', '\\"', literal=True)
        + pl.lit('"')
    )
    return pl.lit("{") + quoted.list.join(",") + pl.lit("}")


def copy_frame(cursor: psycopg.Cursor, schema: str, table: str, frame: pl.DataFrame) -> None:
    """Append `frame` to `schema.table` with COPY, matching columns by name."""
    if frame.is_empty():
        return
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    frame = frame.with_columns(_array_literal(pl.col(name)).alias(name) for name in lists)
    statement = pgsql.SQL("copy {} ({}) from stdin (format csv, null '\\N')").format(
        pgsql.Identifier(schema, table), pgsql.SQL(", ").join(map(pgsql.Identifier, frame.columns))
    )
    data = frame.write_csv(None, include_header=False, null_value="\\N", quote_style="non_numeric")
    with cursor.copy(statement) as copy:
        copy.write(data)


def _frame_table_sql(name: str, frame: pl.DataFrame) -> pgsql.Composed:
    columns = [
        pgsql.SQL("{} {}").format(
            pgsql.Identifier(column), pgsql.SQL(_SQL_TYPES.get(dtype.base_type(), "text"))
        )
        for column, dtype in frame.schema.items()
    ]
    return pgsql.SQL("create temporary table {} ({}) on commit drop").format(
        pgsql.Identifier(name), pgsql.SQL(", ").join(columns)
    )


@dataclass
class PostgresSession:
    connection: psycopg.Connection

    def query(self, sql: str, params: Params = None) -> pl.DataFrame:
        with self.connection.cursor() as cursor:
            cursor.execute(to_pyformat(sql, params), params or None)
            return frame_from_cursor(cursor)


class PostgresWarehouse(Warehouse):
    """The PostgreSQL warehouse: one database, schemas as on DuckDB (raw, validated, quality,
    staging, intermediate, marts). Reads run in short read-only transactions."""

    host: str
    port: int
    user: str
    password: str = ""
    dbname: str

    def connection_kwargs(self) -> dict[str, object]:
        kwargs = {"host": self.host, "port": self.port, "user": self.user, "dbname": self.dbname}
        return {**kwargs, "password": self.password} if self.password else kwargs

    @contextmanager
    def connect(self) -> Iterator[psycopg.Connection]:
        with psycopg.connect(**self.connection_kwargs()) as connection:
            yield connection

    @contextmanager
    def session(self) -> Iterator[PostgresSession]:
        with self.connect() as connection:
            connection.read_only = True
            yield PostgresSession(connection)

    def query(self, sql: str, params: Params = None, **frames: pl.DataFrame) -> pl.DataFrame:
        with self.connect() as connection, connection.cursor() as cursor:
            # Frames become temporary tables of this transaction, dropped at its end.
            for name, frame in frames.items():
                cursor.execute(_frame_table_sql(name, frame))
                copy_frame(cursor, "pg_temp", name, frame)
            cursor.execute(to_pyformat(sql, params), params or None)
            return frame_from_cursor(cursor)

    def has_table(self, schema: str, table: str) -> bool:
        found = self.query(
            "select count(*) as n from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        )
        return bool(found.item())

    def json_string(self, column: str, *path: str) -> str:
        # quality.try_jsonb (created with the quarantine table) gives null for text that is not
        # JSON, where a plain cast would fail the whole query.
        return f"(quality.try_jsonb({column}) #>> '{{{','.join(path)}}}')"

    def copy_schema(
        self,
        schema: str,
        target: duckdb.DuckDBPyConnection,
        tables: Collection[str],
        columns: Mapping[str, Sequence[str]] | None = None,
    ) -> list[str]:
        names = self.query(
            "select table_name from information_schema.tables"
            " where table_schema = ? order by table_name",
            [schema],
        )["table_name"].to_list()
        names = [name for name in names if name in tables]
        with self.session() as reader:
            for name in names:
                table = pgsql.Identifier(schema, name).as_string(reader.connection)
                select = f"select {select_list(name, columns)} from {table}"
                target.register("copied_table", reader.query(select).to_arrow())
                target.execute(f'create table "{schema}"."{name}" as select * from copied_table')
                target.unregister("copied_table")
        return names


class PostgresEngine:
    name = "postgres"

    def warehouse(self) -> PostgresWarehouse:
        connection = settings.postgres_connection()
        return PostgresWarehouse(
            host=connection["host"],
            port=int(connection["port"]),
            user=connection["user"],
            password=connection.get("password", ""),
            dbname=connection["dbname"],
        )

    def resources(self) -> dict[str, object]:
        from ecom_analytics.engines.postgres_io import PostgresIOManager

        warehouse = self.warehouse()
        # The IO manager replaces one partition window per transaction (COPY).
        return run_resources(PostgresIOManager(warehouse=warehouse), warehouse)

    def dbt_env(self) -> dict[str, str]:
        connection = settings.postgres_connection()
        return {
            env: connection.get(key, "") for key, (env, _default) in settings.POSTGRES_ENV.items()
        }


engine = PostgresEngine()
