{{ config(**window_replace_config('order_date')) }}

with

purchase_events as (

    {{ events_in_window(line_item_columns(), "event_type = 'purchase'") }}

),

sessions as (

    select
        session_key,
        session_date,
        user_id,
        started_at,
        ended_at

    from {{ ref('int_sessions') }}
    where
        {{ in_window('session_date') }}
        and is_derived_session

),

-- An order is placed by its first purchase line: its time, user, session and country.
aggregate_orders as (

    select
        order_id,
        min(event_date) as order_date,
        min(event_at) as ordered_at,
        {{ first_value_by('user_id', 'event_at, event_id') }} as user_id,
        {{ first_value_by('session_id', 'event_at, event_id') }} as tracked_session_id,
        {{ first_value_by('country', 'event_at, event_id') }} as country,
        count(*) as items,
        count(distinct product_id) as products,
        cast(sum(quantity) as bigint) as units,
        cast(sum(quantity * unit_price) as decimal(18, 2)) as revenue

    from purchase_events
    group by order_id

),

-- Lines without session_id belong to the derived session of that user and day whose
-- time span contains them (derived sessions of one user and day never overlap).
resolve_sessions as (

    select
        aggregate_orders.order_id,
        aggregate_orders.order_date,
        aggregate_orders.ordered_at,
        aggregate_orders.user_id,
        coalesce(
            {{ session_key('aggregate_orders.tracked_session_id', 'aggregate_orders.order_date') }},
            derived_sessions.session_key
        ) as session_key,
        aggregate_orders.country,
        aggregate_orders.items,
        aggregate_orders.products,
        aggregate_orders.units,
        aggregate_orders.revenue

    from aggregate_orders
    left join sessions as derived_sessions
        on
            aggregate_orders.tracked_session_id is null
            and aggregate_orders.user_id = derived_sessions.user_id
            and aggregate_orders.order_date = derived_sessions.session_date
            and aggregate_orders.ordered_at >= derived_sessions.started_at
            and aggregate_orders.ordered_at <= derived_sessions.ended_at

)

select * from resolve_sessions
