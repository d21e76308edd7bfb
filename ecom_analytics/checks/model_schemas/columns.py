"""The base and field shorthands shared by the dbt model schemas, so each rule is written once."""

from __future__ import annotations

from typing import Any

import pandera.polars as pa

from ecom_analytics import vocabulary

# dbt's staging coalesces an untracked device or channel to this value.
UNKNOWN = "unknown"
DEVICE_VALUES = [*vocabulary.DEVICES, UNKNOWN]
CHANNEL_VALUES = [*vocabulary.CHANNELS, UNKNOWN]
MONEY = {"precision": 18, "scale": 2}


class ModelSchema(pa.DataFrameModel):
    """Base of the dbt model schemas. Not strict: a model may carry columns its schema does
    not name (the checks read only the named ones)."""

    class Config:
        strict = False


def key(description: str, **kwargs: Any) -> Any:
    """A column that identifies the row on its own: never null, never repeated."""
    return pa.Field(unique=True, description=description, **kwargs)


def required(description: str, **kwargs: Any) -> Any:
    """A column that is never null."""
    return pa.Field(description=description, **kwargs)


def optional(description: str, **kwargs: Any) -> Any:
    """A column that may be null."""
    return pa.Field(nullable=True, description=description, **kwargs)


def count(description: str, ge: int = 0, **kwargs: Any) -> Any:
    """A count, never null and never below `ge` (0 unless stated)."""
    return pa.Field(ge=ge, description=description, **kwargs)


def money(description: str, nullable: bool = False) -> Any:
    """A DECIMAL(18,2) amount, never negative."""
    return pa.Field(ge=0, nullable=nullable, dtype_kwargs=MONEY, description=description)


def net_money(description: str) -> Any:
    """A DECIMAL(18,2) amount that may be negative (a day's refunds can exceed its sales)."""
    return pa.Field(dtype_kwargs=MONEY, description=description)


def rate(description: str, nullable: bool = False) -> Any:
    """A fraction between 0 and 1."""
    return pa.Field(ge=0, le=1, nullable=nullable, description=description)


def device(description: str = "desktop, mobile, tablet or 'unknown'.") -> Any:
    return pa.Field(isin=DEVICE_VALUES, description=description)


def channel(description: str = "A traffic channel or 'unknown'.") -> Any:
    return pa.Field(isin=CHANNEL_VALUES, description=description)
