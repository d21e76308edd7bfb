"""Number formatting and filter parsing."""

from __future__ import annotations

from datetime import date

import pytest

from app import formatting
from app.filters import Filters, UnknownIdentifierError, default_range, parse_filters


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12_345, "$12.3k"), (1_250_000, "$1.2M"), (57.3, "$57.30"), (0, "$0.00"), (None, "—")],
)
def test_money_is_compact_above_a_thousand(value, expected):
    assert formatting.money(value) == expected


def test_counts_percentages_and_changes_read_like_a_report():
    assert formatting.count(950) == "950"
    assert formatting.count(12_340) == "12.3k"
    assert formatting.percent(0.031) == "3.1%"
    assert formatting.relative_change(-0.125) == "-12.5%"
    assert formatting.point_change(0.018) == "+1.8 pp"
    assert formatting.day_range(date(2024, 3, 1), date(2024, 3, 4)) == "1 Mar – 4 Mar 2024"
    assert formatting.day_range(date(2023, 12, 30), date(2024, 1, 2)) == "30 Dec 2023 – 2 Jan 2024"


def test_previous_period_has_the_same_length_and_ends_the_day_before():
    f = Filters(date(2024, 3, 3), date(2024, 3, 4), devices=("mobile",))
    assert f.previous() == Filters(date(2024, 3, 1), date(2024, 3, 2), devices=("mobile",))
    assert Filters(date(2024, 3, 1), date(2024, 3, 30)).previous().start == date(2024, 1, 31)


def test_default_range_is_the_last_thirty_days_of_data():
    assert default_range(date(2024, 1, 1), date(2024, 3, 31)) == (
        date(2024, 3, 2),
        date(2024, 3, 31),
    )
    assert default_range(date(2024, 3, 1), date(2024, 3, 4)) == (date(2024, 3, 1), date(2024, 3, 4))


def test_parse_filters_reads_the_filter_bar_and_falls_back_to_the_default_range():
    fallback = (date(2024, 3, 1), date(2024, 3, 4))
    assert parse_filters(None, None, None, [], fallback=fallback) == Filters(*fallback)
    parsed = parse_filters(
        "2024-03-04T00:00:00", "2024-03-02", ["tablet", "mobile"], ["email"], fallback=fallback
    )
    assert parsed == Filters(
        date(2024, 3, 2), date(2024, 3, 4), devices=("mobile", "tablet"), channels=("email",)
    )


def test_filters_reject_devices_and_channels_outside_the_vocabulary():
    with pytest.raises(UnknownIdentifierError):
        Filters(date(2024, 3, 1), date(2024, 3, 1), devices=("smart-fridge",))
    with pytest.raises(UnknownIdentifierError):
        Filters(date(2024, 3, 1), date(2024, 3, 1), channels=("carrier pigeon",))
