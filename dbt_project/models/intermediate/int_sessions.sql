{{ config(**window_replace_config('session_date')) }}

{%- set event_columns = [
    'event_id', 'event_at', 'event_date', 'event_type', 'user_id', 'session_id', 'order_id',
    'quantity', 'unit_price', 'device', 'channel', 'country',
] %}

with

-- Two reads of stg_events rather than one CTE used twice, which DuckDB would materialize.
tracked_events as (

    {{ events_in_window(event_columns, 'session_id is not null') }}

),

untracked_events as (

    {{ events_in_window(event_columns, 'session_id is null') }}

),

tracked_session_events as (

    select
        *,
        session_id as resolved_session_id,
        false as is_derived_session

    from tracked_events

),

find_previous_untracked_events as (

    select
        *,
        lag(event_at) over (
            partition by user_id, event_date
            order by event_at, event_id
        ) as previous_event_at

    from untracked_events

),

flag_derived_session_starts as (

    select
        *,
        case
            when previous_event_at is null then 1
            when event_at > {{ session_gap_end('previous_event_at') }} then 1
            else 0
        end as is_session_start

    from find_previous_untracked_events

),

-- A derived session is the user's n-th run of events without session_id on that day,
-- named "<user_id>#<n>".
number_derived_sessions as (

    select
        event_id,
        event_at,
        event_date,
        event_type,
        user_id,
        session_id,
        order_id,
        quantity,
        unit_price,
        device,
        channel,
        country,
        user_id || '#' || cast(sum(is_session_start) over (
            partition by user_id, event_date
            order by event_at, event_id
            rows between unbounded preceding and current row
        ) as {{ dbt.type_string() }}) as resolved_session_id,
        true as is_derived_session

    from flag_derived_session_starts

),

sessionized_events as (

    select * from tracked_session_events
    union all
    select * from number_derived_sessions

),

aggregate_sessions as (

    select
        {{ session_key('resolved_session_id', 'event_date') }} as session_key,
        resolved_session_id as session_id,
        event_date as session_date,
        is_derived_session,
        {{ first_values_by(
            ['user_id', 'device', 'channel', 'country'], 'event_at, event_id', 'first_event'
        ) }},
        min(event_at) as started_at,
        max(event_at) as ended_at,
        count(*) as events,
        count(case when event_type = 'page_view' then 1 end) as page_views,
        count(case when event_type = 'search' then 1 end) as searches,
        count(case when event_type = 'product_view' then 1 end) as product_views,
        count(case when event_type = 'add_to_cart' then 1 end) as add_to_carts,
        count(case when event_type = 'remove_from_cart' then 1 end) as remove_from_carts,
        count(case when event_type = 'begin_checkout' then 1 end) as checkouts,
        count(case when event_type = 'purchase' then 1 end) as purchase_events,
        {{ purchase_orders() }} as orders,
        {{ purchase_revenue() }} as revenue

    from sessionized_events
    group by resolved_session_id, event_date, is_derived_session

),

final as (

    select
        session_key,
        session_id,
        session_date,
        {{ first_value_of('first_event', 'user_id') }} as user_id,
        is_derived_session,
        started_at,
        ended_at,
        cast(
            {{ elapsed_seconds('started_at', 'ended_at') }} as {{ type_double() }}
        ) as duration_seconds,
        events,
        page_views,
        searches,
        product_views,
        add_to_carts,
        remove_from_carts,
        checkouts,
        purchase_events,
        orders,
        revenue,
        product_views > 0 as has_product_view,
        add_to_carts > 0 as has_add_to_cart,
        checkouts > 0 as has_checkout,
        purchase_events > 0 as has_purchase,
        events = 1 as is_bounce,
        {{ first_value_of('first_event', 'device') }} as device,
        {{ first_value_of('first_event', 'channel') }} as channel,
        {{ first_value_of('first_event', 'country') }} as country

    from aggregate_sessions

)

select * from final
