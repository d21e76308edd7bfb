"""UCI Online Retail invoice-line CSV (one row per invoice line of a UK gift retailer).

Choices the format forces (see docs/data_dictionary.md): an invoice line is a `purchase`
event whose order and session are its invoice (a line at price 0 is a free item); a line
of a credit note (`C` invoice) is a `refund` of the units it takes back, naming the credit
note itself as its order, since the format does not say which invoice it credits; a
negative line on an ordinary invoice is a stock adjustment, not a customer event, and lands
as event type `stock_adjustment` so validation quarantines it as `unknown_event_type`; a
line without a customer belongs to the anonymous user `anon-<InvoiceNo>`; invoice times are
UK local time and are taken as UTC.
"""

from __future__ import annotations

import polars as pl

from ecom_analytics.importers.base import SourceFormat

LAYOUT = (
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
)
# The by-day split writes ISO times; the UCI workbook saved as CSV writes US dates.
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")
ANONYMOUS_PREFIX = "anon-"
CREDIT_NOTE_PREFIX = "C"
# Not an event type of the product: such lines are stock write-offs, quarantined with it.
STOCK_ADJUSTMENT = "stock_adjustment"

# Country names as the dataset spells them -> ISO 3166-1 alpha-2. "Channel Islands",
# "European Community" and "Unspecified" have no code; they land as properties.country_name.
COUNTRY_CODES = {
    "Australia": "AU",
    "Austria": "AT",
    "Bahrain": "BH",
    "Belgium": "BE",
    "Brazil": "BR",
    "Canada": "CA",
    "Cyprus": "CY",
    "Czech Republic": "CZ",
    "Denmark": "DK",
    "EIRE": "IE",
    "Finland": "FI",
    "France": "FR",
    "Germany": "DE",
    "Greece": "GR",
    "Hong Kong": "HK",
    "Iceland": "IS",
    "Israel": "IL",
    "Italy": "IT",
    "Japan": "JP",
    "Lebanon": "LB",
    "Lithuania": "LT",
    "Malta": "MT",
    "Netherlands": "NL",
    "Norway": "NO",
    "Poland": "PL",
    "Portugal": "PT",
    "RSA": "ZA",
    "Saudi Arabia": "SA",
    "Singapore": "SG",
    "Spain": "ES",
    "Sweden": "SE",
    "Switzerland": "CH",
    "United Arab Emirates": "AE",
    "United Kingdom": "GB",
    "USA": "US",
}


def event_types(invoice: pl.Expr, quantity: pl.Expr) -> pl.Expr:
    """refund for credit-note lines, stock_adjustment for other negative lines, else purchase."""
    return (
        pl.when(invoice.str.starts_with(CREDIT_NOTE_PREFIX))
        .then(pl.lit("refund"))
        .when(quantity.str.strip_chars().str.starts_with("-"))
        .then(pl.lit(STOCK_ADJUSTMENT))
        .otherwise(pl.lit("purchase"))
    )


def refund_quantities(invoice: pl.Expr, quantity: pl.Expr) -> pl.Expr:
    """Credit notes write units taken back as negative quantities; a refund counts them as
    units returned. Any other sign flips too, so validation catches a positive one."""
    text = quantity.str.strip_chars()
    negated = pl.when(text.str.starts_with("-")).then(text.str.slice(1)).otherwise("-" + text)
    return pl.when(invoice.str.starts_with(CREDIT_NOTE_PREFIX)).then(negated).otherwise(quantity)


def map_rows(rows: pl.DataFrame) -> pl.DataFrame:
    invoice = pl.col("InvoiceNo")
    country = pl.col("Country").replace_strict(COUNTRY_CODES, default=None, return_dtype=pl.String)
    # The by-day files write CustomerID as a float ("17850.0"); the id is the integer part.
    customer = pl.col("CustomerID").str.replace(r"\.0+$", "")
    return rows.select(
        ts=pl.coalesce(
            pl.col("InvoiceDate").str.strptime(pl.Datetime("us"), fmt, strict=False)
            for fmt in TIME_FORMATS
        ),
        event_timestamp=pl.col("InvoiceDate"),
        event_type=event_types(invoice, pl.col("Quantity")),
        user_id=pl.coalesce(customer, ANONYMOUS_PREFIX + invoice),
        session_id=invoice,
        product_id=pl.col("StockCode"),
        quantity=refund_quantities(invoice, pl.col("Quantity")),
        unit_price=pl.col("UnitPrice"),
        order_id=invoice,
        country=country,
        sku=pl.col("StockCode"),
        product_name=pl.col("Description"),
        **{"properties.country_name": pl.when(country.is_null()).then(pl.col("Country"))},
    )


FORMAT = SourceFormat(
    name="online-retail",
    layouts=(LAYOUT,),
    map_rows=map_rows,
    product_attributes=("sku", "product_name"),
    user_attributes=("country",),
)
