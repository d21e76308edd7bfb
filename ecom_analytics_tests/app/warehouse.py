"""A small hand-made `marts` schema whose numbers the dashboard tests work out by hand.

Four days, Friday 1 March to Monday 4 March 2024:

- orders (fct_orders): o1 1 Mar desktop/email $100, o2 2 Mar mobile/social $50,
  o3 3 Mar desktop/direct $80, o4 4 Mar mobile/email $120, o5 4 Mar tablet/organic_search $40
  (total $390; 3-4 Mar: $240 from 3 orders; 1-2 Mar: $150 from 2 orders);
- funnel (fct_funnel): 84 sessions -> 33 product view -> 15 cart -> 8 checkout -> 5 purchase;
  3-4 Mar: 3 purchases in 44 sessions, 1-2 Mar: 2 in 40;
- DAU 20, 16, 18, 22; categories Footwear (p1, p3) and Apparel (p2);
- two cohorts: week of 26 Feb (40 users, 10 back the next week) and week of 4 Mar (10 users);
- data quality: events 330 read, 324 valid; one 3 Mar record carries two reasons.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA = """
create schema marts;
create table marts.fct_daily_engagement (
    activity_date date, daily_active_users bigint, weekly_active_users bigint,
    monthly_active_users bigint, new_users bigint, sessions bigint, page_views bigint,
    product_views bigint, add_to_carts bigint, orders bigint, revenue decimal(18,2),
    stickiness double
);
create table marts.fct_funnel (
    activity_date date, device varchar, channel varchar, sessions bigint,
    product_view_sessions bigint, add_to_cart_sessions bigint, checkout_sessions bigint,
    purchase_sessions bigint
);
create table marts.fct_sessions (
    session_key varchar, session_id varchar, user_id varchar, session_date date,
    started_at timestamp, ended_at timestamp, duration_seconds double, events bigint,
    page_views bigint, product_views bigint, has_add_to_cart boolean, has_checkout boolean,
    has_purchase boolean, revenue decimal(18,2), device varchar, channel varchar,
    country varchar, is_bounce boolean, is_derived_session boolean
);
create table marts.fct_orders (
    order_id varchar, user_id varchar, session_key varchar, ordered_at timestamp,
    order_date date, items bigint, units bigint, revenue decimal(18,2), device varchar,
    channel varchar, country varchar, is_first_order boolean,
    seconds_from_session_start double, days_since_first_seen integer
);
create table marts.fct_revenue (
    order_date date, product_id varchar, product_name varchar, category varchar,
    subcategory varchar, brand varchar, orders bigint, units_sold bigint,
    revenue decimal(18,2)
);
create table marts.fct_product_daily (
    activity_date date, product_id varchar, product_name varchar, category varchar,
    brand varchar, product_views bigint, add_to_carts bigint, orders bigint,
    units_sold bigint, revenue decimal(18,2)
);
create table marts.fct_activity_hourly (
    activity_date date, activity_hour integer, device varchar, channel varchar,
    day_of_week integer, events bigint, sessions_started bigint, purchases bigint
);
create table marts.fct_cohort_retention (
    cohort_week date, activity_week date, weeks_since_first_seen integer,
    cohort_size bigint, active_users bigint, retention_rate double
);
create table marts.fct_data_quality (
    partition_date date, source varchar, reason varchar, rows_read bigint,
    rows_valid bigint, rows_quarantined bigint
);
create table marts.dim_users (
    user_id varchar, valid_from timestamp, valid_to timestamp, is_current boolean,
    email_hash varchar, signup_at timestamp, country varchar, city varchar,
    acquisition_channel varchar, loyalty_tier varchar
);
create table marts.dim_products (
    product_id varchar, sku varchar, product_name varchar, category varchar,
    subcategory varchar, brand varchar, list_price decimal(18,2), is_active boolean
);
create table marts.dim_date (
    date_day date, day_of_week integer, iso_week integer, week_start date, month integer,
    quarter integer, year integer, is_weekend boolean
);
"""

ROWS = """
insert into marts.fct_daily_engagement values
    ('2024-03-01', 20, 20, 20, 20, 20, 60, 15, 4, 1, 100.00, 1.0),
    ('2024-03-02', 16, 30, 30, 10, 20, 50, 8, 4, 1, 50.00, 0.5333333333333333),
    ('2024-03-03', 18, 40, 40, 10, 20, 45, 5, 2, 1, 80.00, 0.45),
    ('2024-03-04', 22, 44, 50, 10, 24, 70, 10, 5, 2, 160.00, 0.44);

insert into marts.fct_funnel values
    ('2024-03-01', 'desktop', 'email', 10, 6, 3, 2, 1),
    ('2024-03-01', 'mobile', 'social', 10, 4, 1, 0, 0),
    ('2024-03-02', 'mobile', 'social', 20, 8, 4, 2, 1),
    ('2024-03-03', 'desktop', 'direct', 10, 5, 2, 1, 1),
    ('2024-03-03', 'unknown', 'unknown', 10, 0, 0, 0, 0),
    ('2024-03-04', 'mobile', 'email', 20, 8, 4, 2, 1),
    ('2024-03-04', 'tablet', 'organic_search', 4, 2, 1, 1, 1);

insert into marts.fct_sessions values
    ('s1-2024-03-01', 's1', 'u1', '2024-03-01', '2024-03-01 09:58:00', '2024-03-01 09:58:05',
     5, 1, 1, 0, false, false, false, 0, 'desktop', 'email', 'DE', true, false),
    ('s2-2024-03-01', 's2', 'u4', '2024-03-01', '2024-03-01 10:00:00', '2024-03-01 10:00:45',
     45, 3, 2, 1, false, false, false, 0, 'mobile', 'social', 'FR', false, false),
    ('s3-2024-03-02', 's3', 'u2', '2024-03-02', '2024-03-02 10:53:20', '2024-03-02 10:56:40',
     200, 6, 2, 2, true, true, true, 50.00, 'mobile', 'social', 'FR', false, false),
    ('s4-2024-03-03', 's4', 'u1', '2024-03-03', '2024-03-03 09:29:30', '2024-03-03 09:29:50',
     20, 4, 1, 1, true, true, true, 80.00, 'desktop', 'direct', 'DE', false, false),
    ('s5-2024-03-03', 's5', 'u5', '2024-03-03', '2024-03-03 12:00:00', '2024-03-03 12:00:05',
     5, 1, 1, 0, false, false, false, 0, 'unknown', 'unknown', null, true, true),
    ('s6-2024-03-04', 's6', 'u3', '2024-03-04', '2024-03-04 19:26:40', '2024-03-04 19:38:20',
     700, 9, 3, 3, true, true, true, 120.00, 'mobile', 'email', 'US', false, false),
    ('s7-2024-03-04', 's7', 'u2', '2024-03-04', '2024-03-04 20:58:30', '2024-03-04 21:00:00',
     90, 5, 1, 2, true, true, true, 40.00, 'tablet', 'organic_search', 'FR', false, false),
    ('s8-2024-03-04', 's8', 'u6', '2024-03-04', '2024-03-04 22:00:00', '2024-03-04 22:33:20',
     2000, 12, 6, 4, true, false, false, 0, 'mobile', 'email', 'US', false, false);

insert into marts.fct_orders values
    ('o1', 'u1', 's1-2024-03-01', '2024-03-01 10:00:00', '2024-03-01', 1, 1, 100.00,
     'desktop', 'email', 'DE', true, 120, 0),
    ('o2', 'u2', 's3-2024-03-02', '2024-03-02 11:00:00', '2024-03-02', 1, 2, 50.00,
     'mobile', 'social', 'FR', true, 400, 0),
    ('o3', 'u1', 's4-2024-03-03', '2024-03-03 09:30:00', '2024-03-03', 1, 1, 80.00,
     'desktop', 'direct', 'DE', false, 30, 2),
    ('o4', 'u3', 's6-2024-03-04', '2024-03-04 20:00:00', '2024-03-04', 1, 1, 120.00,
     'mobile', 'email', 'US', true, 2000, 1),
    ('o5', 'u2', 's7-2024-03-04', '2024-03-04 21:00:00', '2024-03-04', 1, 2, 40.00,
     'tablet', 'organic_search', 'FR', false, 700, 2);

insert into marts.fct_revenue values
    ('2024-03-01', 'p1', 'Trail Shoe', 'Footwear', 'Running', 'Northpeak', 1, 1, 100.00),
    ('2024-03-02', 'p3', 'Wool Socks', 'Footwear', 'Socks', 'Fernhill', 1, 2, 50.00),
    ('2024-03-03', 'p2', 'Rain Jacket', 'Apparel', 'Jackets', 'Northpeak', 1, 1, 80.00),
    ('2024-03-04', 'p1', 'Trail Shoe', 'Footwear', 'Running', 'Northpeak', 1, 1, 120.00),
    ('2024-03-04', 'p3', 'Wool Socks', 'Footwear', 'Socks', 'Fernhill', 1, 2, 40.00);

insert into marts.fct_product_daily values
    ('2024-03-01', 'p1', 'Trail Shoe', 'Footwear', 'Northpeak', 10, 3, 1, 1, 100.00),
    ('2024-03-01', 'p2', 'Rain Jacket', 'Apparel', 'Northpeak', 5, 1, 0, 0, 0.00),
    ('2024-03-02', 'p3', 'Wool Socks', 'Footwear', 'Fernhill', 8, 4, 1, 2, 50.00),
    ('2024-03-03', 'p2', 'Rain Jacket', 'Apparel', 'Northpeak', 5, 2, 1, 1, 80.00),
    ('2024-03-04', 'p1', 'Trail Shoe', 'Footwear', 'Northpeak', 6, 2, 1, 1, 120.00),
    ('2024-03-04', 'p3', 'Wool Socks', 'Footwear', 'Fernhill', 4, 2, 1, 2, 40.00);

insert into marts.fct_activity_hourly values
    ('2024-03-01', 10, 'desktop', 'email', 5, 30, 5, 1),
    ('2024-03-01', 10, 'mobile', 'social', 5, 10, 5, 0),
    ('2024-03-02', 11, 'mobile', 'social', 6, 40, 20, 1),
    ('2024-03-03', 9, 'desktop', 'direct', 7, 25, 10, 1),
    ('2024-03-04', 20, 'mobile', 'email', 1, 50, 20, 1),
    ('2024-03-04', 21, 'tablet', 'organic_search', 1, 12, 4, 1);

insert into marts.fct_cohort_retention values
    ('2024-02-26', '2024-02-26', 0, 40, 40, 1.0),
    ('2024-02-26', '2024-03-04', 1, 40, 10, 0.25),
    ('2024-03-04', '2024-03-04', 0, 10, 10, 1.0);

insert into marts.fct_data_quality values
    ('2024-03-01', 'events', 'none', 100, 100, 0),
    ('2024-03-01', 'products', 'none', 3, 3, 0),
    ('2024-03-02', 'events', 'duplicate_event_id', 100, 95, 3),
    ('2024-03-02', 'events', 'unknown_product', 100, 95, 2),
    ('2024-03-03', 'events', 'missing_required_field:user_id', 50, 49, 1),
    ('2024-03-03', 'events', 'invalid_value:device', 50, 49, 1),
    ('2024-03-04', 'events', 'none', 80, 80, 0),
    ('2024-03-04', 'users', 'none', 10, 10, 0);

insert into marts.dim_products values
    ('p1', 'SKU-1', 'Trail Shoe', 'Footwear', 'Running', 'Northpeak', 110.00, true),
    ('p2', 'SKU-2', 'Rain Jacket', 'Apparel', 'Jackets', 'Northpeak', 80.00, true),
    ('p3', 'SKU-3', 'Wool Socks', 'Footwear', 'Socks', 'Fernhill', 20.00, true);
"""


# Refunds, each on its own day: r1 2 Mar returns $30 of o1 (p1, desktop/email); r2 4 Mar
# returns $20 of o9, an order not in the warehouse (p2); r3 4 Mar returns $10 of o4 (p1,
# mobile/email). fct_revenue gains the refund columns; rows without a refund carry zeros.
REFUNDS = """
create table marts.fct_refunds (
    event_id varchar, order_id varchar, refund_date date, refunded_at timestamp,
    user_id varchar, product_id varchar, units bigint, unit_price decimal(18,2),
    refunded_revenue decimal(18,2), order_found boolean, order_date date
);
alter table marts.fct_revenue add column units_refunded bigint default 0;
alter table marts.fct_revenue add column refunded_revenue decimal(18,2) default 0;
alter table marts.fct_revenue add column net_revenue decimal(18,2);
alter table marts.fct_daily_engagement add column refunds bigint default 0;
alter table marts.fct_daily_engagement add column refunded_revenue decimal(18,2) default 0;
alter table marts.fct_daily_engagement add column net_revenue decimal(18,2);
"""
REFUND_ROWS = """
insert into marts.fct_refunds values
    ('r1', 'o1', '2024-03-02', '2024-03-02 09:00:00', 'u1', 'p1', 1, 30.00, 30.00, true,
     '2024-03-01'),
    ('r2', 'o9', '2024-03-04', '2024-03-04 09:00:00', 'u4', 'p2', 1, 20.00, 20.00, false, null),
    ('r3', 'o4', '2024-03-04', '2024-03-04 22:00:00', 'u3', 'p1', 1, 10.00, 10.00, true,
     '2024-03-04');
insert into marts.fct_revenue
    (order_date, product_id, product_name, category, subcategory, brand, orders, units_sold,
     revenue, units_refunded, refunded_revenue)
values
    ('2024-03-02', 'p1', 'Trail Shoe', 'Footwear', 'Running', 'Northpeak', 0, 0, 0, 1, 30.00),
    ('2024-03-04', 'p2', 'Rain Jacket', 'Apparel', 'Jackets', 'Northpeak', 0, 0, 0, 1, 20.00);
update marts.fct_revenue set units_refunded = 1, refunded_revenue = 10.00
where order_date = '2024-03-04' and product_id = 'p1';
update marts.fct_revenue set net_revenue = revenue - refunded_revenue;
-- The same refunds per day: r1 on 03-02 (30.00); r2 and r3 on 03-04 (20.00 + 10.00).
update marts.fct_daily_engagement set refunds = 1, refunded_revenue = 30.00
where activity_date = '2024-03-02';
update marts.fct_daily_engagement set refunds = 2, refunded_revenue = 30.00
where activity_date = '2024-03-04';
update marts.fct_daily_engagement set net_revenue = revenue - refunded_revenue;
"""


def build_warehouse(path: Path) -> Path:
    """Write the hand-made marts (and an unrelated `raw` schema) into a DuckDB file."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        con.execute(ROWS)
        con.execute(REFUNDS)
        con.execute(REFUND_ROWS)
        # Not part of the marts: must not reach the snapshot.
        con.execute("create schema raw; create table raw.events (raw_record varchar)")
    finally:
        con.close()
    return path


def build_empty_warehouse(path: Path) -> Path:
    """A warehouse whose marts exist but hold no rows yet."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA)
        con.execute(REFUNDS)
    finally:
        con.close()
    return path
