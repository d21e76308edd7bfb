{{ config(**window_replace_config('activity_date')) }}

with

-- Trailing metrics need the 29 days before the window as well.
user_days as (

    select
        user_id,
        activity_date

    from {{ ref('int_user_daily_activity') }}
    where {{ in_window_with_lookback('activity_date', 29) }}

),

user_journeys as (

    select first_seen_date from {{ ref('int_user_journey') }}
    where {{ in_window('first_seen_date') }}

),

sessions as (

    select * from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

orders as (

    select
        order_date,
        revenue

    from {{ ref('int_orders') }}
    where {{ in_window('order_date') }}

),

refunds as (

    select
        refund_date,
        refunded_revenue

    from {{ ref('fct_refunds') }}
    where {{ in_window('refund_date') }}

),

find_next_active_days as (

    select
        user_id,
        activity_date,
        lead(activity_date) over (
            partition by user_id
            order by activity_date
        ) as next_activity_date

    from user_days

),

-- A user active on day A counts towards WAU on days A..A+6 and towards MAU on days
-- A..A+29. Cutting each span at the user's next active day makes a user's spans disjoint,
-- so a running sum of +1 at each span's start and -1 at its end counts distinct users.
mark_span_edges as (

    select
        activity_date as edge_date,
        1 as wau_change,
        1 as mau_change

    from find_next_active_days

    union all

    select
        least(
            {{ add_days('activity_date', 7) }},
            coalesce(next_activity_date, {{ add_days('activity_date', 7) }})
        ) as edge_date,
        -1 as wau_change,
        0 as mau_change

    from find_next_active_days

    union all

    select
        least(
            {{ add_days('activity_date', 30) }},
            coalesce(next_activity_date, {{ add_days('activity_date', 30) }})
        ) as edge_date,
        0 as wau_change,
        -1 as mau_change

    from find_next_active_days

),

sum_edges_per_day as (

    select
        edge_date,
        cast(sum(wau_change) as bigint) as wau_change,
        cast(sum(mau_change) as bigint) as mau_change

    from mark_span_edges
    group by edge_date

),

count_trailing_users as (

    select
        edge_date as activity_date,
        cast(sum(wau_change) over (
            order by edge_date rows between unbounded preceding and current row
        ) as bigint) as weekly_active_users,
        cast(sum(mau_change) over (
            order by edge_date rows between unbounded preceding and current row
        ) as bigint) as monthly_active_users

    from sum_edges_per_day

),

count_daily_users as (

    select
        activity_date,
        count(*) as daily_active_users

    from user_days
    where {{ in_window('activity_date') }}
    group by activity_date

),

count_new_users as (

    select
        first_seen_date as activity_date,
        count(*) as new_users

    from user_journeys
    group by first_seen_date

),

aggregate_sessions as (

    select
        session_date as activity_date,
        count(*) as sessions,
        cast(sum(page_views) as bigint) as page_views,
        cast(sum(product_views) as bigint) as product_views,
        cast(sum(add_to_carts) as bigint) as add_to_carts,
        -- The funnel's purchase step (fct_funnel).
        count(case when {{ reached_funnel_step('purchase') }} then 1 end) as purchase_sessions

    from sessions
    group by session_date

),

aggregate_orders as (

    select
        order_date as activity_date,
        count(*) as orders,
        cast(sum(revenue) as decimal(18, 2)) as revenue

    from orders
    group by order_date

),

-- Refunds on their own day, never rewriting the day of the order they return.
aggregate_refunds as (

    select
        refund_date as activity_date,
        count(*) as refunds,
        cast(sum(refunded_revenue) as decimal(18, 2)) as refunded_revenue

    from refunds
    group by refund_date

),

final as (

    select
        count_daily_users.activity_date,
        count_daily_users.daily_active_users,
        count_trailing_users.weekly_active_users,
        count_trailing_users.monthly_active_users,
        coalesce(count_new_users.new_users, 0) as new_users,
        coalesce(aggregate_sessions.sessions, 0) as sessions,
        coalesce(aggregate_sessions.page_views, 0) as page_views,
        coalesce(aggregate_sessions.product_views, 0) as product_views,
        coalesce(aggregate_sessions.add_to_carts, 0) as add_to_carts,
        coalesce(aggregate_orders.orders, 0) as orders,
        -- Cast again: PostgreSQL's coalesce of a decimal(18, 2) and 0 drops the scale.
        cast(coalesce(aggregate_orders.revenue, 0) as decimal(18, 2)) as revenue,
        cast(count_daily_users.daily_active_users as {{ type_double() }})
        / count_trailing_users.monthly_active_users as stickiness,
        coalesce(aggregate_sessions.purchase_sessions, 0) as purchase_sessions,
        case
            when aggregate_orders.orders > 0
                then cast(aggregate_orders.revenue as {{ type_double() }}) / aggregate_orders.orders
        end as average_order_value,
        case
            when aggregate_sessions.sessions > 0
                then
                    cast(aggregate_sessions.purchase_sessions as {{ type_double() }})
                    / aggregate_sessions.sessions
        end as conversion_rate,
        coalesce(aggregate_refunds.refunds, 0) as refunds,
        cast(coalesce(aggregate_refunds.refunded_revenue, 0) as decimal(18, 2)) as refunded_revenue,
        cast(
            coalesce(aggregate_orders.revenue, 0) - coalesce(aggregate_refunds.refunded_revenue, 0)
            as decimal(18, 2)
        ) as net_revenue

    from count_daily_users
    inner join count_trailing_users
        on count_daily_users.activity_date = count_trailing_users.activity_date
    left join count_new_users
        on count_daily_users.activity_date = count_new_users.activity_date
    left join aggregate_sessions
        on count_daily_users.activity_date = aggregate_sessions.activity_date
    left join aggregate_orders
        on count_daily_users.activity_date = aggregate_orders.activity_date
    left join aggregate_refunds
        on count_daily_users.activity_date = aggregate_refunds.activity_date

)

select * from final
