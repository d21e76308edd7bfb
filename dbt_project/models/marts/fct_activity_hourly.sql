{{ config(**window_replace_config('activity_date')) }}

with

events as (

    {{ events_in_window([
        'event_date',
        'cast(extract(hour from event_at) as integer) as activity_hour',
        'device',
        'channel',
    ] + purchase_metric_columns()) }}

),

sessions as (

    select
        session_date,
        cast(extract(hour from started_at) as integer) as activity_hour,
        device,
        channel

    from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

aggregate_event_hours as (

    select
        event_date as activity_date,
        activity_hour,
        device,
        channel,
        count(*) as events,
        count(case when event_type = 'purchase' then 1 end) as purchases,
        {{ purchase_orders() }} as orders,
        {{ purchase_revenue() }} as revenue

    from events
    group by event_date, activity_hour, device, channel

),

-- A session starts with its first event, whose hour, device and channel it shares, so
-- every session start lands in a cell that has events.
aggregate_session_starts as (

    select
        session_date as activity_date,
        activity_hour,
        device,
        channel,
        count(*) as sessions_started

    from sessions
    group by session_date, activity_hour, device, channel

),

final as (

    select
        aggregate_event_hours.activity_date,
        aggregate_event_hours.activity_hour,
        aggregate_event_hours.device,
        aggregate_event_hours.channel,
        {{ iso_day_of_week('aggregate_event_hours.activity_date') }} as day_of_week,
        aggregate_event_hours.events,
        coalesce(aggregate_session_starts.sessions_started, 0) as sessions_started,
        aggregate_event_hours.purchases,
        aggregate_event_hours.orders,
        aggregate_event_hours.revenue

    from aggregate_event_hours
    left join aggregate_session_starts
        on
            aggregate_event_hours.activity_date = aggregate_session_starts.activity_date
            and aggregate_event_hours.activity_hour = aggregate_session_starts.activity_hour
            and aggregate_event_hours.device = aggregate_session_starts.device
            and aggregate_event_hours.channel = aggregate_session_starts.channel

)

select * from final
