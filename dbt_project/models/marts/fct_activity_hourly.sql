{{
    config(
        materialized='incremental',
        incremental_strategy='window_replace',
        window_column='activity_date',
    )
}}

with

events as (

    select
        event_date,
        event_at,
        event_type,
        user_id,
        order_id,
        quantity,
        unit_price

    from {{ ref('stg_events') }}
    where {{ in_window('partition_date') }}

),

sessions as (

    select
        session_date,
        started_at

    from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

aggregate_event_hours as (

    select
        event_date as activity_date,
        cast(extract(hour from event_at) as integer) as hour_of_day,
        count(*) as events,
        count(distinct user_id) as active_users,
        count(distinct case when event_type = 'purchase' then order_id end) as orders,
        cast(coalesce(
            sum(case when event_type = 'purchase' then quantity * unit_price end),
            0
        ) as decimal(18, 2)) as revenue

    from events
    group by event_date, cast(extract(hour from event_at) as integer)

),

aggregate_session_starts as (

    select
        session_date as activity_date,
        cast(extract(hour from started_at) as integer) as hour_of_day,
        count(*) as sessions_started

    from sessions
    group by session_date, cast(extract(hour from started_at) as integer)

),

final as (

    select
        aggregate_event_hours.activity_date,
        aggregate_event_hours.hour_of_day,
        cast(extract(isodow from aggregate_event_hours.activity_date) as integer) as day_of_week,
        aggregate_event_hours.events,
        aggregate_event_hours.active_users,
        coalesce(aggregate_session_starts.sessions_started, 0) as sessions_started,
        aggregate_event_hours.orders,
        aggregate_event_hours.revenue

    from aggregate_event_hours
    left join aggregate_session_starts
        on
            aggregate_event_hours.activity_date = aggregate_session_starts.activity_date
            and aggregate_event_hours.hour_of_day = aggregate_session_starts.hour_of_day

)

select * from final
