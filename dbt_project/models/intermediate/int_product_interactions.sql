{{ config(**window_replace_config('activity_date')) }}

with

product_events as (

    select
        event_date,
        product_id,
        event_type,
        order_id,
        quantity,
        unit_price

    from {{ ref('stg_events') }}
    where
        {{ in_window('partition_date') }}
        and product_id is not null
        and event_type in ('product_view', 'add_to_cart', 'remove_from_cart', 'purchase')

),

aggregate_product_days as (

    select
        event_date as activity_date,
        product_id,
        count(case when event_type = 'product_view' then 1 end) as product_views,
        count(case when event_type = 'add_to_cart' then 1 end) as add_to_carts,
        count(case when event_type = 'remove_from_cart' then 1 end) as remove_from_carts,
        count(case when event_type = 'purchase' then 1 end) as purchases,
        {{ purchase_orders() }} as orders,
        cast(sum(
            case when event_type = 'add_to_cart' then quantity else 0 end
        ) as bigint) as units_added,
        cast(sum(
            case when event_type = 'remove_from_cart' then quantity else 0 end
        ) as bigint) as units_removed,
        cast(sum(
            case when event_type = 'purchase' then quantity else 0 end
        ) as bigint) as units_sold,
        cast(sum(
            case when event_type = 'purchase' then quantity * unit_price else 0 end
        ) as decimal(18, 2)) as revenue

    from product_events
    group by event_date, product_id

)

select * from aggregate_product_days
