"""What pages share: the no-data notice in place of a layout until there is data, and for
their callbacks the filter bar's inputs, turning them into `Filters`, and turning a failed
query into a short message instead of a traceback."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from dash import Input

from app import components, data
from app.filters import Filters, parse_filters
from app.snapshot import NoDataError

log = logging.getLogger(__name__)
T = TypeVar("T")

DATES = [Input("filters-date", "start_date"), Input("filters-date", "end_date")]
SEGMENTS = [Input("filters-device", "value"), Input("filters-channel", "value")]
CATEGORY = [Input("filters-category", "value")]

NO_DATA_MESSAGE = "No data yet — run the pipeline, then reload."


def needs_data(layout: Callable[..., T]) -> Callable[..., T]:
    """A page's `layout` that, while the snapshot is missing or holds no data, shows the
    no-data notice naming where the dashboard looks for it instead."""

    @functools.wraps(layout)
    def layout_or_notice(**query):
        if data.snapshot_info() is None:
            return components.no_data(str(data.reader().path))
        return layout(**query)

    return layout_or_notice


def resolve(
    start: str | None,
    end: str | None,
    devices: Iterable[str] | None = None,
    channels: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
) -> Filters:
    """Filters from the filter bar; missing dates mean the default range of the snapshot."""
    info = data.snapshot_info()
    if info is None:
        raise NoDataError("no snapshot")
    return parse_filters(start, end, devices, channels, categories, fallback=info.default_range)


def short_message(error: Exception) -> str:
    if isinstance(error, NoDataError):
        return NO_DATA_MESSAGE
    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    text = first_line if len(first_line) <= 140 else first_line[:137] + "…"
    return f"Could not load this: {text}"


def safely(build: Callable[[], T], on_error: Callable[[str], T]) -> T:
    """`build()`, or `on_error(message)` when it raises: one card fails, not the page."""
    try:
        return build()
    except Exception as error:
        if not isinstance(error, NoDataError):
            log.exception("dashboard query failed")
        return on_error(short_message(error))
