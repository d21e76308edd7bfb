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
        sum(case when event_type = 'product_view' then 1 else 0 end) as product_views,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as add_to_carts,
        sum(case when event_type = 'remove_from_cart' then 1 else 0 end) as remove_from_carts,
        sum(case when event_type = 'purchase' then 1 else 0 end) as purchases,
        count(distinct case when event_type = 'purchase' then order_id end) as orders,
        sum(case when event_type = 'add_to_cart' then quantity else 0 end) as units_added,
        sum(case when event_type = 'remove_from_cart' then quantity else 0 end) as units_removed,
        sum(case when event_type = 'purchase' then quantity else 0 end) as units_sold,
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
        sum(product_views) as product_views,
        sum(add_to_carts) as add_to_carts,
        sum(remove_from_carts) as remove_from_carts,
        sum(purchases) as purchases,
        sum(orders) as orders,
        sum(units_added) as units_added,
        sum(units_removed) as units_removed,
        sum(units_sold) as units_sold,
        cast(sum(revenue) as decimal(18, 2)) as revenue,
        sum(case when product_views > 0 then 1 else 0 end) as viewers,
        sum(case when purchases > 0 then 1 else 0 end) as purchasers,
        sum(
            case when product_views > 0 and purchases > 0 then 1 else 0 end
        ) as viewers_who_purchased

    from aggregate_user_product_days
    group by event_date, product_id

)

select * from aggregate_product_days
