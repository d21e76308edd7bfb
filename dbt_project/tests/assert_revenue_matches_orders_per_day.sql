-- Revenue by product (fct_revenue) and by order (fct_orders) add up to the same total per day.
{{ config(store_failures=true, meta={'dagster': {'ref': {'name': 'fct_revenue'}}}) }}

with

revenue_by_product as (

    select
        order_date,
        sum(revenue) as revenue

    from {{ ref('fct_revenue') }}
    group by order_date

),

revenue_by_order as (

    select
        order_date,
        sum(revenue) as revenue

    from {{ ref('fct_orders') }}
    group by order_date

)

select
    coalesce(revenue_by_product.order_date, revenue_by_order.order_date) as order_date,
    revenue_by_product.revenue as product_revenue,
    revenue_by_order.revenue as order_revenue

from revenue_by_product
full outer join revenue_by_order
    on revenue_by_product.order_date = revenue_by_order.order_date
where
    revenue_by_product.revenue is null
    or revenue_by_order.revenue is null
    or revenue_by_product.revenue != revenue_by_order.revenue
