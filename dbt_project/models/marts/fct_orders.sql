{{ config(**window_replace_config('order_date')) }}

with

orders as (

    select * from {{ ref('int_orders') }}
    where {{ in_window('order_date') }}

),

sessions as (

    select
        session_key,
        started_at,
        device,
        channel

    from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

user_journeys as (

    select
        user_id,
        first_seen_date,
        first_order_id

    from {{ ref('int_user_journey') }}

),

final as (

    select
        orders.order_id,
        orders.user_id,
        orders.session_key,
        orders.ordered_at,
        orders.order_date,
        orders.items,
        orders.units,
        orders.revenue,
        sessions.device,
        sessions.channel,
        orders.country,
        orders.order_id = user_journeys.first_order_id as is_first_order,
        cast(
            {{ elapsed_seconds('sessions.started_at', 'orders.ordered_at') }} as {{ type_double() }}
        ) as seconds_from_session_start,
        cast(
            {{ days_between('user_journeys.first_seen_date', 'orders.order_date') }} as integer
        ) as days_since_first_seen,
        orders.products

    from orders
    left join sessions
        on orders.session_key = sessions.session_key
    left join user_journeys
        on orders.user_id = user_journeys.user_id

)

select * from final
