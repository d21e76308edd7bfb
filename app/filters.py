"""The filters every page shares, parsed from the filter bar and checked against whitelists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ecom_analytics.vocabulary import CHANNELS, DEVICES

# Marts say 'unknown' where an event carried no device or channel.
UNKNOWN = "unknown"
DEVICE_OPTIONS = (*DEVICES, UNKNOWN)
CHANNEL_OPTIONS = (*CHANNELS, UNKNOWN)

# The default window: the last this-many days of data available.
DEFAULT_DAYS = 30


class UnknownIdentifierError(ValueError):
    """A value that is not on the whitelist of columns, metrics or dimension values."""


def check_allowed(value: str, allowed: Iterable[str], what: str) -> str:
    """`value` itself when it is one of `allowed`; otherwise `UnknownIdentifierError`."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise UnknownIdentifierError(f"unknown {what} {value!r}; expected one of {allowed}")
    return value


@dataclass(frozen=True)
class Filters:
    """A closed date range [start, end] and optional device, channel and category lists.

    An empty list means "all". Hashable, so it can key a cache.
    """

    start: date
    end: date
    devices: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        for device in self.devices:
            check_allowed(device, DEVICE_OPTIONS, "device")
        for channel in self.channels:
            check_allowed(channel, CHANNEL_OPTIONS, "channel")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The same filters over the period of the same length just before this one."""
        length = timedelta(days=self.days)
        return Filters(
            self.start - length,
            self.end - length,
            self.devices,
            self.channels,
            self.categories,
        )


def default_range(first: date, last: date) -> tuple[date, date]:
    """The last `DEFAULT_DAYS` days of data, or all of it when there is less."""
    return max(first, last - timedelta(days=DEFAULT_DAYS - 1)), last


def _as_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    # The date picker may send a full ISO timestamp.
    return date.fromisoformat(value[:10])


def _as_tuple(values: Iterable[str] | str | None) -> tuple[str, ...]:
    if not values:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(sorted(set(values)))


def parse_filters(
    start: str | date | None,
    end: str | date | None,
    devices: Iterable[str] | None = None,
    channels: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    *,
    fallback: tuple[date, date],
) -> Filters:
    """Filters from the filter bar's values; a missing date falls back to `fallback`."""
    first = _as_date(start) if start else fallback[0]
    last = _as_date(end) if end else fallback[1]
    first, last = min(first, last), max(first, last)
    return Filters(first, last, _as_tuple(devices), _as_tuple(channels), _as_tuple(categories))
