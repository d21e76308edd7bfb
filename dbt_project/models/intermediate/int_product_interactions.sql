{{
    config(
        materialized='incremental',
        incremental_strategy='window_replace',
        window_column='activity_date',
    )
}}

with

product_events as (

    select
        event_date,
        product_id,
        user_id,
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

-- First per user, so that "viewers who purchased" counts people, not events.
aggregate_user_product_days as (

    select
        event_date,
        product_id,
        user_id,
        count(case when event_type = 'product_view' then 1 end) as product_views,
        count(case when event_type = 'add_to_cart' then 1 end) as add_to_carts,
        count(case when event_type = 'remove_from_cart' then 1 end) as remove_from_carts,
        count(case when event_type = 'purchase' then 1 end) as purchases,
        count(distinct case when event_type = 'purchase' then order_id end) as orders,
        cast(sum(
            case when event_type = 'add_to_cart' then quantity else 0 end
        ) as bigint) as units_added,
        cast(sum(
            case when event_type = 'remove_from_cart' then quantity else 0 end
        ) as bigint) as units_removed,
        cast(sum(
            case when event_type = 'purchase' then quantity else 0 end
        ) as bigint) as units_sold,
        sum(
            case when event_type = 'purchase' then quantity * unit_price else 0 end
        ) as revenue

    from product_events
    group by event_date, product_id, user_id

),

aggregate_product_days as (

    select
        event_date as activity_date,
        product_id,
        cast(sum(product_views) as bigint) as product_views,
        cast(sum(add_to_carts) as bigint) as add_to_carts,
        cast(sum(remove_from_carts) as bigint) as remove_from_carts,
        cast(sum(purchases) as bigint) as purchases,
        cast(sum(orders) as bigint) as orders,
        cast(sum(units_added) as bigint) as units_added,
        cast(sum(units_removed) as bigint) as units_removed,
        cast(sum(units_sold) as bigint) as units_sold,
        cast(sum(revenue) as decimal(18, 2)) as revenue,
        count(case when product_views > 0 then 1 end) as viewers,
        count(case when purchases > 0 then 1 end) as purchasers,
        count(
            case when product_views > 0 and purchases > 0 then 1 end
        ) as viewers_who_purchased

    from aggregate_user_product_days
    group by event_date, product_id

)

select * from aggregate_product_days
