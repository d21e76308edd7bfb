{{ config(**window_replace_config('activity_date')) }}

with

events as (

    {{ events_in_window(['user_id', 'event_date', 'event_at'] + purchase_metric_columns()) }}

),

aggregate_user_days as (

    select
        user_id,
        event_date as activity_date,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
        count(*) as events,
        {{ purchase_orders() }} as orders,
        {{ purchase_revenue() }} as revenue

    from events
    group by user_id, event_date

)

select * from aggregate_user_days
