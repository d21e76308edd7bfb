{{ config(**window_replace_config('order_date')) }}

with

product_days as (

    select
        activity_date,
        product_id,
        orders,
        purchases,
        units_sold,
        revenue

    from {{ ref('int_product_interactions') }}
    where
        {{ in_window('activity_date') }}
        and purchases > 0

),

-- Refunds count on the refund's own day, never rewriting the order's day (SPEC §5).
refund_days as (

    select
        refund_date,
        product_id,
        cast(sum(units) as bigint) as units_refunded,
        cast(sum(refunded_revenue) as decimal(18, 2)) as refunded_revenue

    from {{ ref('fct_refunds') }}
    where {{ in_window('refund_date') }}
    group by refund_date, product_id

),

-- A product-day with refunds but no purchases still has a row.
join_refunds as (

    select
        coalesce(product_days.activity_date, refund_days.refund_date) as order_date,
        coalesce(product_days.product_id, refund_days.product_id) as product_id,
        coalesce(product_days.orders, 0) as orders,
        coalesce(product_days.purchases, 0) as purchases,
        coalesce(product_days.units_sold, 0) as units_sold,
        -- Cast again: PostgreSQL's coalesce of a decimal(18, 2) and 0 drops the scale.
        cast(coalesce(product_days.revenue, 0) as decimal(18, 2)) as revenue,
        coalesce(refund_days.units_refunded, 0) as units_refunded,
        cast(coalesce(refund_days.refunded_revenue, 0) as decimal(18, 2)) as refunded_revenue

    from product_days
    full outer join refund_days
        on
            product_days.activity_date = refund_days.refund_date
            and product_days.product_id = refund_days.product_id

),

products as (

    select * from {{ ref('dim_products') }}

),

final as (

    select
        join_refunds.order_date,
        join_refunds.product_id,
        products.category,
        products.brand,
        join_refunds.orders,
        join_refunds.units_sold,
        join_refunds.revenue,
        products.product_name,
        products.subcategory,
        join_refunds.purchases as order_lines,
        join_refunds.units_refunded,
        join_refunds.refunded_revenue,
        cast(join_refunds.revenue - join_refunds.refunded_revenue as decimal(18, 2))
            as net_revenue

    from join_refunds
    left join products
        on join_refunds.product_id = products.product_id

)

select * from final
