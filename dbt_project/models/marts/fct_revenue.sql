{{
    config(
        materialized='incremental',
        incremental_strategy='window_replace',
        window_column='order_date',
    )
}}

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

products as (

    select
        product_id,
        product_name,
        category,
        subcategory,
        brand

    from {{ ref('dim_products') }}

),

final as (

    select
        product_days.activity_date as order_date,
        product_days.product_id,
        products.category,
        products.brand,
        product_days.orders,
        product_days.units_sold,
        product_days.revenue,
        products.product_name,
        products.subcategory,
        product_days.purchases as order_lines

    from product_days
    left join products
        on product_days.product_id = products.product_id

)

select * from final
