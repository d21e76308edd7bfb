"""The poison corpus: hand-written bad records for each source, each with the reasons it must
be quarantined for (empty: it must load). Lines are bytes, written to landing files as-is."""

from __future__ import annotations

import json

DAY = "2024-01-01"
TS = f"{DAY}T10:00:00Z"


def _line(record: dict) -> bytes:
    return json.dumps(record).encode()


def _view(event_id: str, **changes) -> dict:
    record = {
        "event_id": event_id,
        "event_timestamp": TS,
        "event_type": "page_view",
        "user_id": "poison_user",
    }
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


# (line bytes, expected reasons); a blank line is no record and has no expected entry.
EVENT_LINES: list[tuple[bytes, list[str] | None]] = [
    # A byte-order mark before the first record, and CRLF line ends: accepted.
    (b"\xef\xbb\xbf" + _line(_view("poison_bom")), []),
    (_line(_view("poison_crlf")) + b"\r", []),
    (b"", None),
    (b"   \r", None),
    # Not UTF-8 (a Latin-1 byte inside a string): one malformed record, nothing else.
    (b'{"event_id": "poison_latin1", "user_id": "caf\xe9"}', ["malformed_record"]),
    (b"this is not json", ["malformed_record"]),
    (b"[1, 2, 3]", ["malformed_record"]),
    (b'"a json string"', ["malformed_record"]),
    # A raw NUL byte is not allowed in JSON text.
    (_line(_view("poison_nul"))[:-1] + b"\x00}", ["malformed_record"]),
    # An escaped NUL inside free text is valid JSON and a valid search.
    (_line(_view("poison_nul_escaped", event_type="search", search_query="a\u0000b")), []),
    # Objects or arrays where an id is required: the wrong type.
    (_line(_view("poison_user_object", user_id={"a": 1})), ["invalid_type:user_id"]),
    (_line(_view(["poison_list"])), ["invalid_type:event_id"]),
    # A number where a string id is expected is taken as its text.
    (_line(_view(123456789012345678)), []),
    # Event types are case-sensitive.
    (_line(_view("poison_case", event_type="Page_View")), ["unknown_event_type"]),
    (
        _line(_view("poison_no_time", event_timestamp=None)),
        ["missing_required_field:event_timestamp"],
    ),
    (_line(_view("poison_bad_time", event_timestamp=42)), ["invalid_type:event_timestamp"]),
    # A 1 MB line loads like any other.
    (_line(_view("poison_1mb", page_url="https://shop.example/" + "x" * 1_000_000)), []),
    # The same id again later in the file: the first wins.
    (_line(_view("poison_crlf")), ["duplicate_event_id"]),
]

PRODUCT_LINES: list[tuple[bytes, list[str] | None]] = [
    (b"\xef\xbb\xbf" + _line({"product_id": "pp_bom", "updated_at": TS}) + b"\r", []),
    # list_price is optional (exports often lack it).
    (_line({"product_id": "pp_no_price", "product_name": "Mug", "updated_at": TS}), []),
    (
        _line({"product_id": "pp_no_updated_at", "list_price": "1.00"}),
        ["missing_required_field:updated_at"],
    ),
    (_line({"sku": "no-key", "updated_at": TS}), ["missing_required_field:product_id"]),
    (_line({"product_id": {"a": 1}, "updated_at": TS}), ["invalid_type:product_id"]),
    (_line({"product_id": "pp_bad_time", "updated_at": "yesterday"}), ["invalid_type:updated_at"]),
    (b'{"product_id": "pp_latin1", "brand": "\xe9"}', ["malformed_record"]),
    (b"", None),
]

USER_LINES: list[tuple[bytes, list[str] | None]] = [
    (_line({"user_id": "pu_ok", "loyalty_tier": "gold", "updated_at": TS}) + b"\r", []),
    # The record that used to break dim_users (valid_from null) on every later run.
    (
        _line({"user_id": "pu_no_updated_at", "loyalty_tier": "gold"}),
        ["missing_required_field:updated_at"],
    ),
    (_line({"loyalty_tier": "gold", "updated_at": TS}), ["missing_required_field:user_id"]),
    (_line({"user_id": 42, "updated_at": TS}), []),
    (_line({"user_id": ["pu"], "updated_at": TS}), ["invalid_type:user_id"]),
    (
        _line({"user_id": "pu_case", "loyalty_tier": "Gold", "updated_at": TS}),
        ["invalid_value:loyalty_tier"],
    ),
    (b"\x00\x00\x00", ["malformed_record"]),
]

CORPUS = {"events": EVENT_LINES, "products": PRODUCT_LINES, "users": USER_LINES}


def file_bytes(lines: list[tuple[bytes, list[str] | None]]) -> bytes:
    return b"".join(line + b"\n" for line, _ in lines)


def expected_by_line(lines: list[tuple[bytes, list[str] | None]]) -> dict[int, list[str]]:
    """{line number: expected reasons} for every line that is a record."""
    return {n: reasons for n, (_, reasons) in enumerate(lines, start=1) if reasons is not None}
