"""Importers: hand-worked landing records for each public format, determinism, real UCI files."""

# The fixtures are rows in each format's published layout, which run past the line length.
# ruff: noqa: E501

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from ecom_analytics.importers import IMPORTERS, SourceError, import_files
from ecom_analytics_tests.conftest import REAL_DATA_DIR

UCI_BY_DAY = Path(os.environ.get("ECOM_UCI_BY_DAY_DIR", REAL_DATA_DIR / "uci_online_retail/by-day"))

REES46_FULL = """\
event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session
2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde
2019-10-01 00:00:01 UTC,cart,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419
2019-10-01 00:00:02 UTC,remove_from_cart,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419
2019-10-01 00:00:04 UTC,purchase,1004237,2053013555631882655,electronics.smartphone,apple,1081.98,535871217,c6bd7419
2019-10-01 00:00:05 UTC,purchase,4804056,2053013554658804075,electronics.audio.headphone,apple,160.57,535871217,c6bd7419
2019-10-01 00:00:06 UTC,view,1480613,20530135610928
2019-10-0X 00:00:07 UTC,view,1480613,2053013561092866779,computers.desktop,pulser,908.62,512742880,0d0d91c2
2019-10-02 09:15:00 UTC,view,1004237,2053013555631882655,electronics.smartphone,apple,1049.99,535871217,f1b7e2aa
2019-10-02 09:16:00 UTC,wishlist,44600062,2103807459595387724,,shiseido,35.79,1515915625353226922,9a0b
"""

REES46_SHORT = """\
event_time,event_type,product_id,price,user_id,user_session
2019-11-01 10:00:00 UTC,view,1004237,999.00,535871217,aa11
2019-11-01 10:01:00 UTC,purchase,1004237,999.00,535871217,aa11
"""

ONLINE_RETAIL = """\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom
536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom
536381,82567,"AIRLINE LOUNGE,METAL SIGN",2,2010-12-01 09:41:00,2.1,15311.0,EIRE
536500,POST,POSTAGE,1,2010-12-01 12:00:00,18.0,12583.0,Unspecified
536600,22086,PAPER CHAIN KIT
"""


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def _lines(text: str) -> list[str]:
    return text.splitlines()


def _event_id(fmt: str, text: str, line_no: int) -> str:
    """The documented id: md5 of format, source line and line number joined by U+001F."""
    key = "\x1f".join([fmt, _lines(text)[line_no - 1], str(line_no)])
    return f"{fmt}-{hashlib.md5(key.encode()).hexdigest()}"


def _records(path: Path) -> list[dict]:
    return [json.loads(line, parse_float=Decimal) for line in path.read_text().splitlines()]


def _landed(data_dir: Path, kind: str, day: str, name: str) -> list[dict]:
    return _records(data_dir / "raw" / kind / f"date={day}" / f"{name}.jsonl")


def _all_files(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def rees46_landing(tmp_path: Path) -> Path:
    source = _write(tmp_path, "2019-Oct.csv", REES46_FULL)
    import_files("rees46", [source], tmp_path / "data")
    return tmp_path / "data"


def test_importers_registry_names_both_public_formats():
    assert sorted(IMPORTERS) == ["online-retail", "rees46"]


def test_rees46_events_land_as_worked_out_by_hand(rees46_landing: Path):
    def event(n: int, **fields) -> dict:
        return {"event_id": _event_id("rees46", REES46_FULL, n), **fields}

    cart = {"product_id": "1004237", "unit_price": Decimal("1081.98")}
    order = "c6bd7419:2019-10-01"
    expected_day_1 = [
        event(
            2,
            event_timestamp="2019-10-01T00:00:00Z",
            event_type="product_view",
            user_id="541312140",
            session_id="72d76fde",
            product_id="44600062",
            unit_price=Decimal("35.79"),
            properties={"source_line": 2, "category_id": "2103807459595387724"},
        ),
        event(
            3,
            event_timestamp="2019-10-01T00:00:01Z",
            event_type="add_to_cart",
            user_id="535871217",
            session_id="c6bd7419",
            quantity=1,
            **cart,
            properties={"source_line": 3, "category_id": "2053013555631882655"},
        ),
        event(
            4,
            event_timestamp="2019-10-01T00:00:02Z",
            event_type="remove_from_cart",
            user_id="535871217",
            session_id="c6bd7419",
            quantity=1,
            **cart,
            properties={"source_line": 4, "category_id": "2053013555631882655"},
        ),
        event(
            5,
            event_timestamp="2019-10-01T00:00:04Z",
            event_type="purchase",
            user_id="535871217",
            session_id="c6bd7419",
            quantity=1,
            **cart,
            order_id=order,
            properties={"source_line": 5, "category_id": "2053013555631882655"},
        ),
        event(
            6,
            event_timestamp="2019-10-01T00:00:05Z",
            event_type="purchase",
            user_id="535871217",
            session_id="c6bd7419",
            product_id="4804056",
            quantity=1,
            unit_price=Decimal("160.57"),
            order_id=order,
            properties={"source_line": 6, "category_id": "2053013554658804075"},
        ),
        # Cut short: only the original text survives; it lands on the file's first day.
        event(
            7,
            properties={
                "source_line": 7,
                "source_row": "2019-10-01 00:00:06 UTC,view,1480613,20530135610928",
                "import_error": "expected 9 fields, found 4",
            },
        ),
        # Unreadable time: mapped as far as possible, the time kept as its source text.
        event(
            8,
            event_timestamp="2019-10-0X 00:00:07 UTC",
            event_type="product_view",
            user_id="512742880",
            session_id="0d0d91c2",
            product_id="1480613",
            unit_price=Decimal("908.62"),
            properties={
                "source_line": 8,
                "category_id": "2053013561092866779",
                "source_row": _lines(REES46_FULL)[7],
            },
        ),
    ]
    expected_day_2 = [
        event(
            9,
            event_timestamp="2019-10-02T09:15:00Z",
            event_type="product_view",
            user_id="535871217",
            session_id="f1b7e2aa",
            product_id="1004237",
            unit_price=Decimal("1049.99"),
            properties={"source_line": 9, "category_id": "2053013555631882655"},
        ),
        event(
            10,
            event_timestamp="2019-10-02T09:16:00Z",
            event_type="wishlist",
            user_id="1515915625353226922",
            session_id="9a0b",
            product_id="44600062",
            unit_price=Decimal("35.79"),
            properties={"source_line": 10, "category_id": "2103807459595387724"},
        ),
    ]
    assert _landed(rees46_landing, "events", "2019-10-01", "rees46-2019-Oct") == expected_day_1
    assert _landed(rees46_landing, "events", "2019-10-02", "rees46-2019-Oct") == expected_day_2


def test_rees46_large_integer_ids_stay_exact_strings(rees46_landing: Path):
    text = (rees46_landing / "raw/events/date=2019-10-02/rees46-2019-Oct.jsonl").read_text()
    assert '"user_id":"1515915625353226922"' in text
    assert '"category_id":"2103807459595387724"' in text
    assert "e+" not in text and "E+" not in text


def test_rees46_products_land_when_first_seen_and_when_changed(rees46_landing: Path):
    name = "rees46-2019-Oct"
    assert _landed(rees46_landing, "products", "2019-10-01", name) == [
        {
            "product_id": "1004237",
            "category": "electronics",
            "subcategory": "smartphone",
            "brand": "apple",
            "list_price": Decimal("1081.98"),
            "updated_at": "2019-10-01T00:00:01Z",
        },
        {
            "product_id": "44600062",
            "brand": "shiseido",
            "list_price": Decimal("35.79"),
            "updated_at": "2019-10-01T00:00:00Z",
        },
        {
            "product_id": "4804056",
            "category": "electronics",
            "subcategory": "audio.headphone",
            "brand": "apple",
            "list_price": Decimal("160.57"),
            "updated_at": "2019-10-01T00:00:05Z",
        },
    ]
    # 1004237 changed price; 44600062 was seen again unchanged, so it does not land again.
    assert _landed(rees46_landing, "products", "2019-10-02", name) == [
        {
            "product_id": "1004237",
            "category": "electronics",
            "subcategory": "smartphone",
            "brand": "apple",
            "list_price": Decimal("1049.99"),
            "updated_at": "2019-10-02T09:15:00Z",
        },
    ]


def test_rees46_users_land_on_the_day_first_seen(rees46_landing: Path):
    name = "rees46-2019-Oct"
    assert _landed(rees46_landing, "users", "2019-10-01", name) == [
        {"user_id": "535871217", "updated_at": "2019-10-01T00:00:01Z"},
        {"user_id": "541312140", "updated_at": "2019-10-01T00:00:00Z"},
    ]
    assert _landed(rees46_landing, "users", "2019-10-02", name) == [
        {"user_id": "1515915625353226922", "updated_at": "2019-10-02T09:16:00Z"},
    ]


def test_rees46_short_layout_maps_without_category_or_brand(tmp_path: Path):
    source = _write(tmp_path, "2019-Nov.csv", REES46_SHORT)
    summary = import_files("rees46", [source], tmp_path / "data")
    name = "rees46-2019-Nov"
    assert _landed(tmp_path / "data", "events", "2019-11-01", name) == [
        {
            "event_id": _event_id("rees46", REES46_SHORT, 2),
            "event_timestamp": "2019-11-01T10:00:00Z",
            "event_type": "product_view",
            "user_id": "535871217",
            "session_id": "aa11",
            "product_id": "1004237",
            "unit_price": Decimal("999.00"),
            "properties": {"source_line": 2},
        },
        {
            "event_id": _event_id("rees46", REES46_SHORT, 3),
            "event_timestamp": "2019-11-01T10:01:00Z",
            "event_type": "purchase",
            "user_id": "535871217",
            "session_id": "aa11",
            "product_id": "1004237",
            "quantity": 1,
            "unit_price": Decimal("999.00"),
            "order_id": "aa11:2019-11-01",
            "properties": {"source_line": 3},
        },
    ]
    assert _landed(tmp_path / "data", "products", "2019-11-01", name) == [
        {
            "product_id": "1004237",
            "list_price": Decimal("999.00"),
            "updated_at": "2019-11-01T10:00:00Z",
        },
    ]
    assert summary.rows_read == 2


def test_rees46_short_layout_keeps_attributes_known_from_a_full_layout(tmp_path: Path):
    sources = [
        _write(tmp_path, "2019-Oct.csv", REES46_FULL),
        _write(tmp_path, "2019-Nov.csv", REES46_SHORT),
    ]
    import_files("rees46", sources, tmp_path / "data")
    assert _landed(tmp_path / "data", "products", "2019-11-01", "rees46-2019-Nov") == [
        {
            "product_id": "1004237",
            "category": "electronics",
            "subcategory": "smartphone",
            "brand": "apple",
            "list_price": Decimal("999.00"),
            "updated_at": "2019-11-01T10:00:00Z",
        },
    ]
    # The user was first seen in October, so November lands no user record.
    assert not (tmp_path / "data/raw/users/date=2019-11-01").exists()


def test_import_twice_gives_identical_bytes(tmp_path: Path):
    source = _write(tmp_path, "2019-Oct.csv", REES46_FULL)
    import_files("rees46", [source], tmp_path / "a")
    import_files("rees46", [source], tmp_path / "b")
    first = _all_files(tmp_path / "a")
    assert first == _all_files(tmp_path / "b")
    import_files("rees46", [source], tmp_path / "a")
    assert _all_files(tmp_path / "a") == first


def test_reimport_replaces_what_the_source_landed_before(tmp_path: Path):
    source = _write(tmp_path, "2019-Oct.csv", REES46_FULL)
    import_files("rees46", [source], tmp_path / "data")
    _write(tmp_path, "2019-Oct.csv", REES46_SHORT)
    import_files("rees46", [source], tmp_path / "data")
    landed = sorted(_all_files(tmp_path / "data"))
    assert landed == [
        "raw/events/date=2019-11-01/rees46-2019-Oct.jsonl",
        "raw/products/date=2019-11-01/rees46-2019-Oct.jsonl",
        "raw/users/date=2019-11-01/rees46-2019-Oct.jsonl",
    ]


def test_import_files_refuses_a_header_of_another_format(tmp_path: Path):
    source = _write(tmp_path, "retail.csv", ONLINE_RETAIL)
    with pytest.raises(SourceError, match="is not rees46"):
        import_files("rees46", [source], tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_online_retail_lines_land_as_worked_out_by_hand(tmp_path: Path):
    source = _write(tmp_path, "2010-12-01.csv", ONLINE_RETAIL)
    summary = import_files("online-retail", [source], tmp_path / "data")

    def line(
        n: int,
        invoice: str,
        user: str,
        stock: str,
        quantity: int,
        price: str,
        at: str,
        country: str | None = "GB",
        event_type: str = "purchase",
        **properties,
    ) -> dict:
        record = {
            "event_id": _event_id("online-retail", ONLINE_RETAIL, n),
            "event_timestamp": f"2010-12-01T{at}Z",
            "event_type": event_type,
            "user_id": user,
            "session_id": invoice,
            "product_id": stock,
            "quantity": quantity,
            "unit_price": Decimal(price),
            "order_id": invoice,
            "country": country,
            "properties": {"source_line": n, **properties},
        }
        return {k: v for k, v in record.items() if v is not None}

    assert _landed(tmp_path / "data", "events", "2010-12-01", "online-retail-2010-12-01") == [
        line(2, "536365", "17850", "85123A", 6, "2.55", "08:26:00"),
        line(3, "536365", "17850", "71053", 6, "3.39", "08:26:00"),
        # A credit-note line is a refund of the units it takes back (-1 -> 1), naming the
        # credit note as its order.
        line(4, "C536379", "14527", "D", 1, "27.5", "09:41:00", event_type="refund"),
        # No customer: the invoice's anonymous user. A zero price is a free item.
        line(5, "536414", "anon-536414", "22139", 56, "0.0", "11:52:00"),
        line(6, "536381", "15311", "82567", 2, "2.1", "09:41:00", country="IE"),
        line(
            7,
            "536500",
            "12583",
            "POST",
            1,
            "18.0",
            "12:00:00",
            country=None,
            country_name="Unspecified",
        ),
        {
            "event_id": _event_id("online-retail", ONLINE_RETAIL, 8),
            "properties": {
                "source_line": 8,
                "source_row": "536600,22086,PAPER CHAIN KIT",
                "import_error": "expected 8 fields, found 3",
            },
        },
    ]
    assert _landed(tmp_path / "data", "products", "2010-12-01", "online-retail-2010-12-01") == [
        # Seen only at a zero price: it lands so the catalogue knows it, without a price.
        {"product_id": "22139", "sku": "22139", "updated_at": "2010-12-01T11:52:00Z"},
        {
            "product_id": "71053",
            "sku": "71053",
            "product_name": "WHITE METAL LANTERN",
            "list_price": Decimal("3.39"),
            "updated_at": "2010-12-01T08:26:00Z",
        },
        {
            "product_id": "82567",
            "sku": "82567",
            "product_name": "AIRLINE LOUNGE,METAL SIGN",
            "list_price": Decimal("2.1"),
            "updated_at": "2010-12-01T09:41:00Z",
        },
        {
            "product_id": "85123A",
            "sku": "85123A",
            "product_name": "WHITE HANGING HEART T-LIGHT HOLDER",
            "list_price": Decimal("2.55"),
            "updated_at": "2010-12-01T08:26:00Z",
        },
        {
            "product_id": "D",
            "sku": "D",
            "product_name": "Discount",
            "list_price": Decimal("27.5"),
            "updated_at": "2010-12-01T09:41:00Z",
        },
        {
            "product_id": "POST",
            "sku": "POST",
            "product_name": "POSTAGE",
            "list_price": Decimal("18.0"),
            "updated_at": "2010-12-01T12:00:00Z",
        },
    ]
    assert _landed(tmp_path / "data", "users", "2010-12-01", "online-retail-2010-12-01") == [
        {"user_id": "12583", "updated_at": "2010-12-01T12:00:00Z"},
        {"user_id": "14527", "country": "GB", "updated_at": "2010-12-01T09:41:00Z"},
        {"user_id": "15311", "country": "IE", "updated_at": "2010-12-01T09:41:00Z"},
        {"user_id": "17850", "country": "GB", "updated_at": "2010-12-01T08:26:00Z"},
        {"user_id": "anon-536414", "country": "GB", "updated_at": "2010-12-01T11:52:00Z"},
    ]
    day = summary.days[min(summary.days)]
    assert (summary.rows_read, day.events, day.unmapped, day.products, day.users) == (
        7,
        7,
        1,
        6,
        5,
    )


def test_online_retail_negative_lines_become_refunds_or_stock_adjustments(tmp_path: Path):
    text = """\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
C536391,22556,PLASTERS IN TIN CIRCUS PARADE,-12,2010-12-01 10:24:00,1.65,17548.0,United Kingdom
C536392,22557,PLASTERS IN TIN VINTAGE PAISLEY,3,2010-12-01 10:25:00,1.65,,United Kingdom
536414,22139,,-56,2010-12-01 11:52:00,0.0,,United Kingdom
536415,22140,,7,2010-12-01 11:53:00,0.0,,United Kingdom
"""
    source = _write(tmp_path, "2010-12-01.csv", text)
    import_files("online-retail", [source], tmp_path / "data")
    events = _landed(tmp_path / "data", "events", "2010-12-01", "online-retail-2010-12-01")
    mapped = [
        (e["event_type"], e["user_id"], e["order_id"], e["quantity"], e["unit_price"])
        for e in events
    ]
    assert mapped == [
        # A credit note returns 12 units of its own order.
        ("refund", "17548", "C536391", 12, Decimal("1.65")),
        # A credit note with a positive quantity flips to -3, which validation rejects;
        # without a customer it belongs to the credit note's anonymous user.
        ("refund", "anon-C536392", "C536392", -3, Decimal("1.65")),
        # A negative line on an ordinary invoice: a stock write-off, not a customer event.
        ("stock_adjustment", "anon-536414", "536414", -56, Decimal("0.0")),
        # A positive line at price 0: a free item, an ordinary purchase.
        ("purchase", "anon-536415", "536415", 7, Decimal("0.0")),
    ]


def test_sources_may_be_gzipped_with_bom_crlf_and_blank_lines(tmp_path: Path):
    crlf = "\ufeff" + REES46_SHORT.replace("\n", "\r\n\r\n")
    source = tmp_path / "2019-Nov.csv.gz"
    source.write_bytes(gzip.compress(crlf.encode("utf-8")))
    summary = import_files("rees46", [source], tmp_path / "gz")
    plain = _write(tmp_path, "2019-Nov.csv", REES46_SHORT)
    import_files("rees46", [plain], tmp_path / "plain")
    assert (summary.rows_read, summary.blank_lines) == (2, 3)
    gz_events = _landed(tmp_path / "gz", "events", "2019-11-01", "rees46-2019-Nov")
    plain_events = _landed(tmp_path / "plain", "events", "2019-11-01", "rees46-2019-Nov")
    # Blank lines still count in line numbers, so only the ids and source lines differ.
    assert [e["properties"]["source_line"] for e in gz_events] == [3, 5]
    strip = [{k: v for k, v in e.items() if k not in ("event_id", "properties")} for e in gz_events]
    assert strip == [
        {k: v for k, v in e.items() if k not in ("event_id", "properties")} for e in plain_events
    ]


def test_a_quote_inside_a_field_lands_that_row_unmapped_and_the_rest_mapped(tmp_path: Path):
    header = ONLINE_RETAIL.splitlines()[0]
    odd = '536365,85123A,ab"c,d"e,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom'
    good = "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom"
    source = _write(tmp_path, "odd.csv", f"{header}\n{odd}\n{good}\n")
    import_files("online-retail", [source], tmp_path / "data")
    mapped, unmapped = _landed(tmp_path / "data", "events", "2010-12-01", "online-retail-odd")
    assert mapped["product_id"] == "71053"
    assert unmapped["properties"] == {
        "source_line": 2,
        "source_row": odd,
        "import_error": "expected 8 fields, found 9",
    }


def test_online_retail_reads_the_workbook_export_layout(tmp_path: Path):
    # The UCI workbook saved as CSV: Windows-1252 text and US month/day/year times.
    text = (
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "539492,gift_0001_40,Dotcomgiftshop Gift Voucher \u00a340.00,1,12/20/2010 10:14,34.04,,"
        "United Kingdom\n"
    )
    source = tmp_path / "Online Retail.csv"
    source.write_bytes(text.encode("cp1252"))
    import_files("online-retail", [source], tmp_path / "data")
    name = "online-retail-Online_Retail"
    [event] = _landed(tmp_path / "data", "events", "2010-12-20", name)
    assert event["event_timestamp"] == "2010-12-20T10:14:00Z"
    assert event["user_id"] == "anon-539492"
    [product] = _landed(tmp_path / "data", "products", "2010-12-20", name)
    assert product["product_name"] == "Dotcomgiftshop Gift Voucher \u00a340.00"


def test_rows_of_a_file_without_dates_land_on_the_earliest_day_of_the_import(tmp_path: Path):
    header = REES46_SHORT.splitlines()[0]
    undated = _write(tmp_path, "broken.csv", f"{header}\nnot-a-time,view,1,2.00,7,s\n")
    dated = _write(tmp_path, "2019-Nov.csv", REES46_SHORT)
    summary = import_files("rees46", [undated, dated], tmp_path / "data")
    [event] = _landed(tmp_path / "data", "events", "2019-11-01", "rees46-broken")
    assert event["event_timestamp"] == "not-a-time"
    assert summary.days[min(summary.days)].unmapped == 1
    with pytest.raises(SourceError, match="no row of any source has a readable timestamp"):
        import_files("rees46", [undated], tmp_path / "alone")
    assert not list((tmp_path / "alone").rglob("*.jsonl*"))


def _valid_purchase_value(event: dict) -> Decimal:
    """quantity x unit_price of an event that passes SPEC §2.1's purchase rules, else 0."""
    quantity, price = event.get("quantity"), event.get("unit_price")
    required = ("event_timestamp", "user_id", "product_id", "order_id")
    if (
        event.get("event_type") != "purchase"
        or not all(event.get(f) for f in required)
        or not isinstance(quantity, int)
        or not isinstance(price, Decimal)
        or quantity < 1
        or price <= 0
        or not event["event_timestamp"].endswith("Z")
    ):
        return Decimal(0)
    return quantity * price


@pytest.mark.skipif(not UCI_BY_DAY.is_dir(), reason="real UCI Online Retail files not present")
def test_online_retail_real_files_land_every_row_once_and_reconcile_revenue(tmp_path: Path):
    sources = sorted(UCI_BY_DAY.glob("*.csv"))[:3]
    summary = import_files("online-retail", sources, tmp_path / "data")

    expected_revenue = Decimal(0)
    landed_revenue = Decimal(0)
    for source in sources:
        with source.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for row in rows:
            quantity, price = int(row["Quantity"]), Decimal(row["UnitPrice"])
            if quantity >= 1 and price > 0:
                expected_revenue += quantity * price
        events = [
            event
            for path in sorted(
                (tmp_path / "data/raw/events").glob(f"*/online-retail-{source.stem}.jsonl")
            )
            for event in _records(path)
        ]
        assert len({e["event_id"] for e in events}) == len(events) == len(rows)
        assert sorted(e["properties"]["source_line"] for e in events) == list(
            range(2, len(rows) + 2)
        )
        cancellations = sum(r["InvoiceNo"].startswith("C") for r in rows)
        assert sum(e["order_id"].startswith("C") for e in events) == cancellations
        anonymous = sum(not r["CustomerID"] for r in rows)
        assert sum(e["user_id"].startswith("anon-") for e in events) == anonymous
        landed_revenue += sum((_valid_purchase_value(e) for e in events), Decimal(0))

    assert summary.rows_read == summary.events_written
    assert landed_revenue == expected_revenue
