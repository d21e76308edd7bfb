{{ config(**window_replace_config('refund_date')) }}

with

refund_events as (

    {{ events_in_window(line_item_columns(), "event_type = 'refund'") }}

),

-- All history: a refund usually returns an order placed days before its own window.
orders as (

    select * from {{ ref('int_orders') }}

),

final as (

    select
        refund_events.event_id,
        refund_events.order_id,
        refund_events.event_date as refund_date,
        refund_events.event_at as refunded_at,
        refund_events.user_id,
        refund_events.product_id,
        cast(refund_events.quantity as bigint) as units,
        refund_events.unit_price,
        cast(refund_events.quantity * refund_events.unit_price as decimal(18, 2))
            as refunded_revenue,
        orders.order_id is not null as order_found,
        orders.order_date,
        refund_events.session_id,
        refund_events.country

    from refund_events
    left join orders
        on refund_events.order_id = orders.order_id

)

select * from final
