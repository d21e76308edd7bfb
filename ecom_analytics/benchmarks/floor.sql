-- The floor of SPEC §8: the same marts, straight from the landing files, in plain DuckDB.
--
-- No validation, quarantine, checks, history or orchestration: every record is taken as
-- valid and every table is built once over all days. It is the yardstick the pipeline is
-- measured against, not a second product, so it stays as short as the definitions allow
-- (SPEC §5). `landed_events`, `landed_products` and `landed_users` are views over the
-- landing files, created by ecom_analytics/benchmarks/floor.py before this script runs.

create or replace table events as
select
    event_id,
    cast(event_timestamp as timestamp) as event_at,
    cast(cast(event_timestamp as timestamp) as date) as event_date,
    event_type,
    user_id,
    session_id,
    product_id,
    quantity,
    unit_price,
    order_id,
    coalesce(device, 'unknown') as device,
    coalesce(channel, 'unknown') as channel,
    country
from landed_events;

-- Sessions: the given session_id, else a user's run of events without gaps over 30 minutes;
-- both end at midnight.
create or replace table session_events as
with
untracked as (
    select
        *,
        case
            when
                lag(event_at) over (partition by user_id, event_date order by event_at, event_id)
                >= event_at - interval 30 minute
                then 0
            else 1
        end as is_start
    from events
    where session_id is null
)

select
    * exclude (is_start),
    user_id || '#' || cast(
        sum(is_start) over (
            partition by user_id, event_date order by event_at, event_id
            rows between unbounded preceding and current row
        ) as varchar
    ) as resolved_session_id
from untracked
union all
select
    *,
    session_id as resolved_session_id
from events
where session_id is not null;

create or replace table fct_sessions as
select
    resolved_session_id || '-' || cast(event_date as varchar) as session_key,
    event_date as session_date,
    first(user_id order by event_at, event_id) as user_id,
    first(device order by event_at, event_id) as device,
    first(channel order by event_at, event_id) as channel,
    min(event_at) as started_at,
    max(event_at) as ended_at,
    (epoch_us(max(event_at)) - epoch_us(min(event_at))) / 1e6 as duration_seconds,
    count(*) as events,
    count(*) filter (where event_type = 'product_view') > 0 as has_product_view,
    count(*) filter (where event_type = 'add_to_cart') > 0 as has_add_to_cart,
    count(*) filter (where event_type = 'begin_checkout') > 0 as has_checkout,
    count(*) filter (where event_type = 'purchase') > 0 as has_purchase,
    coalesce(sum(quantity * unit_price) filter (where event_type = 'purchase'), 0) as revenue,
    count(*) = 1 as is_bounce
from session_events
group by resolved_session_id, event_date;

create or replace table user_days as
select
    user_id,
    event_date as activity_date
from events
group by user_id, event_date;

create or replace table first_seen as
select
    user_id,
    min(activity_date) as first_seen_date
from user_days
group by user_id;

create or replace table fct_orders as
with
lines as (
    select * from session_events where event_type = 'purchase'
),

orders as (
    select
        order_id,
        min(event_date) as order_date,
        min(event_at) as ordered_at,
        first(user_id order by event_at, event_id) as user_id,
        first(
            resolved_session_id || '-' || cast(event_date as varchar) order by event_at, event_id
        ) as session_key,
        count(*) as items,
        sum(quantity) as units,
        sum(quantity * unit_price) as revenue
    from lines
    group by order_id
)

select
    orders.*,
    orders.ordered_at = min(orders.ordered_at) over (partition by orders.user_id)
    as is_first_order,
    orders.order_date - first_seen.first_seen_date as days_since_first_seen
from orders
left join first_seen on orders.user_id = first_seen.user_id;

create or replace table fct_daily_engagement as
with
-- A user active on day A counts towards WAU on A..A+6 and MAU on A..A+29; cut at the
-- user's next active day, the spans are disjoint, so running sums of +1/-1 edges count users.
spans as (
    select
        activity_date,
        lead(activity_date) over (partition by user_id order by activity_date) as next_date
    from user_days
),

edges as (
    select
        activity_date as edge_date,
        1 as wau,
        1 as mau
    from spans
    union all
    select
        least(activity_date + 7, coalesce(next_date, activity_date + 7)),
        -1,
        0
    from spans
    union all
    select
        least(activity_date + 30, coalesce(next_date, activity_date + 30)),
        0,
        -1
    from spans
),

-- Every active day has a +1 edge, so each one is a row here.
count_trailing as (
    select
        edge_date as activity_date,
        sum(sum(wau)) over (order by edge_date) as weekly_active_users,
        sum(sum(mau)) over (order by edge_date) as monthly_active_users
    from edges
    group by edge_date
),

count_daily as (
    select
        activity_date,
        count(*) as daily_active_users
    from user_days
    group by activity_date
),

new_users as (
    select
        first_seen_date as activity_date,
        count(*) as new_users
    from first_seen
    group by first_seen_date
),

activity as (
    select
        event_date as activity_date,
        count(*) filter (where event_type = 'page_view') as page_views,
        count(*) filter (where event_type = 'product_view') as product_views,
        count(*) filter (where event_type = 'add_to_cart') as add_to_carts,
        count(distinct order_id) filter (where event_type = 'purchase') as orders,
        coalesce(sum(quantity * unit_price) filter (where event_type = 'purchase'), 0)
        as revenue,
        count(*) filter (where event_type = 'refund') as refunds,
        coalesce(sum(quantity * unit_price) filter (where event_type = 'refund'), 0)
        as refunded_revenue
    from events
    group by event_date
),

sessions as (
    select
        session_date as activity_date,
        count(*) as sessions
    from fct_sessions
    group by session_date
)

select
    count_daily.activity_date,
    count_daily.daily_active_users,
    count_trailing.weekly_active_users,
    count_trailing.monthly_active_users,
    coalesce(new_users.new_users, 0) as new_users,
    sessions.sessions,
    activity.page_views,
    activity.product_views,
    activity.add_to_carts,
    activity.orders,
    activity.revenue,
    activity.refunds,
    activity.refunded_revenue,
    activity.revenue - activity.refunded_revenue as net_revenue,
    count_daily.daily_active_users / count_trailing.monthly_active_users as stickiness
from count_daily
inner join count_trailing on count_daily.activity_date = count_trailing.activity_date
inner join activity on count_daily.activity_date = activity.activity_date
inner join sessions on count_daily.activity_date = sessions.activity_date
left join new_users on count_daily.activity_date = new_users.activity_date;

create or replace table fct_funnel as
select
    session_date as activity_date,
    device,
    channel,
    count(*) as sessions,
    count(*) filter (where has_product_view) as product_view_sessions,
    count(*) filter (where has_product_view and has_add_to_cart) as add_to_cart_sessions,
    count(*) filter (where has_product_view and has_add_to_cart and has_checkout)
    as checkout_sessions,
    count(*) filter (
        where has_product_view and has_add_to_cart and has_checkout and has_purchase
    ) as purchase_sessions
from fct_sessions
group by session_date, device, channel;

create or replace table dim_products as
select * exclude (rank_in_product)
from (
    select
        *,
        row_number() over (partition by product_id order by updated_at desc) as rank_in_product
    from landed_products
)
where rank_in_product = 1;

create or replace table fct_revenue as
select
    events.event_date as order_date,
    events.product_id,
    any_value(dim_products.category) as category,
    any_value(dim_products.brand) as brand,
    count(distinct events.order_id) filter (where events.event_type = 'purchase') as orders,
    coalesce(sum(events.quantity) filter (where events.event_type = 'purchase'), 0)
    as units_sold,
    coalesce(
        sum(events.quantity * events.unit_price) filter (where events.event_type = 'purchase'), 0
    ) as revenue,
    coalesce(sum(events.quantity) filter (where events.event_type = 'refund'), 0)
    as units_refunded,
    coalesce(
        sum(events.quantity * events.unit_price) filter (where events.event_type = 'refund'), 0
    ) as refunded_revenue
from events
left join dim_products on events.product_id = dim_products.product_id
where events.event_type in ('purchase', 'refund')
group by events.event_date, events.product_id;

create or replace table fct_cohort_retention as
with
cohorts as (
    select
        user_id,
        date_trunc('week', first_seen_date) as cohort_week
    from first_seen
),

sizes as (
    select
        cohort_week,
        count(*) as cohort_size
    from cohorts
    group by cohort_week
),

active as (
    select
        cohorts.cohort_week,
        date_trunc('week', user_days.activity_date) as activity_week,
        count(distinct user_days.user_id) as active_users
    from user_days
    inner join cohorts on user_days.user_id = cohorts.user_id
    group by cohorts.cohort_week, date_trunc('week', user_days.activity_date)
)

select
    active.cohort_week,
    active.activity_week,
    sizes.cohort_size,
    active.active_users,
    active.active_users / sizes.cohort_size as retention_rate
from active
inner join sizes on active.cohort_week = sizes.cohort_week;

create or replace table dim_users as
select
    user_id,
    updated_at as valid_from,
    lead(updated_at) over (partition by user_id order by updated_at) as valid_to,
    sha256(lower(email)) as email_hash,
    signup_at,
    country,
    city,
    acquisition_channel,
    loyalty_tier
from landed_users;
