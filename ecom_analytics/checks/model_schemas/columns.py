"""What a dbt model's Pandera check adds to its yml, and how the two become one schema.

A model's columns, their types and descriptions are dbt's (the `data_type` and `description`
of each column in the model's yml, read from the manifest). What yml cannot say is declared
here, once per model, as a `ModelRules` subclass: which columns the check reads and whether
they may be null, their ranges and accepted values, the keys, and rules across columns.
`model_schema` joins the two into the Pandera schema the check validates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import pandera.polars as pa
import polars as pl

from ecom_analytics import vocabulary

# dbt's staging coalesces an untracked device or channel to this value.
UNKNOWN = "unknown"
DEVICE_VALUES = [*vocabulary.DEVICES, UNKNOWN]
CHANNEL_VALUES = [*vocabulary.CHANNELS, UNKNOWN]

# The yml `data_type` spellings (as the manifest renders them for the engine in use) and the
# polars type a column of that type is read back as.
_POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "varchar": pl.String(),
    "text": pl.String(),
    "bigint": pl.Int64(),
    "integer": pl.Int32(),
    "int": pl.Int32(),
    "double": pl.Float64(),
    "double precision": pl.Float64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    "timestamp": pl.Datetime("us"),
}
_DECIMAL = re.compile(r"(?:decimal|numeric)\((\d+),\s*(\d+)\)")
_ARRAY = re.compile(r"(?:array<(\w+)>|(\w+)\[\])")


def polars_type(data_type: str) -> pl.DataType:
    """The polars type of a column dbt declares as `data_type`; ValueError when unknown."""
    spelled = data_type.strip().lower()
    if spelled in _POLARS_TYPES:
        return _POLARS_TYPES[spelled]
    if decimal := _DECIMAL.fullmatch(spelled):
        return pl.Decimal(int(decimal[1]), int(decimal[2]))
    if array := _ARRAY.fullmatch(spelled):
        return pl.List(polars_type(array[1] or array[2]))
    raise ValueError(f"no polars type for dbt data_type {data_type!r}")


@dataclass(frozen=True)
class Rule:
    """What the check asserts of one column beyond its dbt type."""

    nullable: bool = False
    unique: bool = False
    checks: tuple[pa.Check, ...] = ()


def _bounded(nullable: bool = False, unique: bool = False, **bounds: Any) -> Rule:
    builders: dict[str, Callable[[Any], pa.Check]] = {
        "ge": pa.Check.ge,
        "le": pa.Check.le,
        "isin": pa.Check.isin,
        "str_matches": pa.Check.str_matches,
    }
    checks = tuple(builders[name](value) for name, value in bounds.items() if value is not None)
    return Rule(nullable=nullable, unique=unique, checks=checks)


def key() -> Rule:
    """A column that identifies the row on its own: never null, never repeated."""
    return Rule(unique=True)


def required(**bounds: Any) -> Rule:
    """A column that is never null (within `ge`/`le`/`isin`/`str_matches` when given)."""
    return _bounded(**bounds)


def optional(**bounds: Any) -> Rule:
    """A column that may be null (its values within the bounds given)."""
    return _bounded(nullable=True, **bounds)


def count(ge: int = 0, le: int | None = None) -> Rule:
    """A count, never null and never below `ge` (0 unless stated)."""
    return _bounded(ge=ge, le=le)


def money(nullable: bool = False) -> Rule:
    """An amount, never negative."""
    return _bounded(nullable=nullable, ge=0)


def net_money() -> Rule:
    """An amount that may be negative (a day's refunds can exceed its sales)."""
    return Rule()


def rate(nullable: bool = False) -> Rule:
    """A fraction between 0 and 1."""
    return _bounded(nullable=nullable, ge=0, le=1)


def device() -> Rule:
    return required(isin=DEVICE_VALUES)


def channel() -> Rule:
    return required(isin=CHANNEL_VALUES)


@dataclass(frozen=True)
class FrameCheck:
    """A rule across the columns of each row: `expression` is true on every valid row."""

    name: str
    description: str
    expression: Callable[[], pl.Expr]

    def as_check(self) -> pa.Check:
        expression = self.expression
        return pa.Check(
            lambda data: data.lazyframe.select(expression()),
            name=self.name,
            description=self.description,
        )


def frame_check(description: str) -> Callable[[Callable[[], pl.Expr]], FrameCheck]:
    """Declare a rule across columns in a ModelRules body; the function's name names it."""

    def declare(expression: Callable[[], pl.Expr]) -> FrameCheck:
        return FrameCheck(expression.__name__, description, expression)

    return declare


class ModelRules:
    """Base of the per-model declarations. Class attributes that are `Rule`s name the columns
    the check reads, in order; `FrameCheck`s are rules across columns; `unique` is a key of
    several columns. A mart that reshapes an intermediate model inherits the columns they
    share from one base, and may tighten a rule by naming the column again."""

    unique: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _declared(cls) -> dict[str, Any]:
        # Bases first, so a subclass's rule replaces its base's in the base's position.
        declared: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            declared.update(vars(klass))
        return declared

    @classmethod
    def columns(cls) -> dict[str, Rule]:
        return {name: value for name, value in cls._declared().items() if isinstance(value, Rule)}

    @classmethod
    def frame_checks(cls) -> list[FrameCheck]:
        return [value for value in cls._declared().values() if isinstance(value, FrameCheck)]


def column_problems(rules: type[ModelRules], data_types: dict[str, str | None]) -> list[str]:
    """Where the rules name a column dbt's yml does not declare, or declares without a type."""
    problems = []
    for name in rules.columns():
        if name not in data_types:
            problems.append(f"{rules.__name__} names {name}, which dbt's yml does not declare")
        elif not data_types[name]:
            problems.append(f"{name} has no data_type in dbt's yml")
    return problems


def model_schema(
    name: str,
    rules: type[ModelRules],
    data_types: dict[str, str | None],
    descriptions: dict[str, str],
    tested_keys: frozenset[frozenset[str]] = frozenset(),
    tested_columns: frozenset[tuple[str, str]] = frozenset(),
) -> pa.DataFrameSchema:
    """The Pandera schema of a model: the rules' columns with dbt's types and descriptions.
    Not strict: the model carries columns the check does not read.

    Each rule is judged once: what a blocking dbt test of the model already judges over the
    run's window is left to that test: a key it judges unique (`tested_keys`), a column it
    judges not null or within its accepted values (`tested_columns`, (test, column) pairs).
    Uniqueness is the costly rule (stg_events: 0.25 s of the 0.3 s to validate a million
    rows), and Pandera would judge it only within each chunk of days it reads; a column
    left with its type alone need not be read row by row (`row_columns`).
    """
    problems = column_problems(rules, data_types)
    if problems:
        raise ValueError(f"{name}: " + "; ".join(problems))
    columns = {
        column: pa.Column(
            polars_type(data_types[column] or ""),
            checks=[
                check
                for check in rule.checks
                if not (check.name == "isin" and ("accepted_values", column) in tested_columns)
            ],
            nullable=rule.nullable or ("not_null", column) in tested_columns,
            unique=rule.unique and frozenset([column]) not in tested_keys,
            description=descriptions.get(column) or None,
            name=column,
        )
        for column, rule in rules.columns().items()
    }
    return pa.DataFrameSchema(
        columns,
        checks=[check.as_check() for check in rules.frame_checks()],
        unique=(
            list(rules.unique)
            if rules.unique and frozenset(rules.unique) not in tested_keys
            else None
        ),
        strict=False,
        name=name,
    )


def row_columns(schema: pa.DataFrameSchema, rules: type[ModelRules]) -> list[str]:
    """The columns of `schema` whose rows something judges: a column that is not nullable,
    unique or checked, one of a frame-level key, or one a rule across columns reads. The
    others are judged by their type alone, which the relation's columns show without a row.
    """
    across = {
        name for check in rules.frame_checks() for name in check.expression().meta.root_names()
    }
    key = set(schema.unique or [])
    return [
        name
        for name, column in schema.columns.items()
        if not column.nullable or column.unique or column.checks or name in across | key
    ]
