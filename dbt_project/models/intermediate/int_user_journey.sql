{{ config(materialized='table') }}

with

user_days as (

    select * from {{ ref('int_user_daily_activity') }}

),

orders as (

    select
        order_id,
        user_id,
        ordered_at,
        order_date,
        revenue

    from {{ ref('int_orders') }}

),

summarize_activity as (

    select
        user_id,
        min(activity_date) as first_seen_date,
        min(first_event_at) as first_seen_at,
        max(activity_date) as last_seen_date,
        max(last_event_at) as last_seen_at,
        count(*) as active_days,
        cast(sum(events) as bigint) as events

    from user_days
    group by user_id

),

summarize_orders as (

    select
        user_id,
        {{ first_value_by('order_id', 'ordered_at, order_id') }} as first_order_id,
        min(ordered_at) as first_order_at,
        min(order_date) as first_order_date,
        count(*) as orders,
        cast(sum(revenue) as decimal(18, 2)) as lifetime_revenue

    from orders
    group by user_id

),

final as (

    select
        summarize_activity.user_id,
        summarize_activity.first_seen_at,
        summarize_activity.first_seen_date,
        {{ week_start('summarize_activity.first_seen_date') }} as cohort_week,
        summarize_activity.last_seen_at,
        summarize_activity.last_seen_date,
        summarize_activity.active_days,
        summarize_activity.events,
        summarize_orders.first_order_id,
        summarize_orders.first_order_at,
        summarize_orders.first_order_date,
        cast({{ days_between(
            'summarize_activity.first_seen_date', 'summarize_orders.first_order_date'
        ) }} as integer) as days_to_first_order,
        coalesce(summarize_orders.orders, 0) as orders,
        coalesce(summarize_orders.lifetime_revenue, 0) as lifetime_revenue

    from summarize_activity
    left join summarize_orders
        on summarize_activity.user_id = summarize_orders.user_id

)

select * from final
