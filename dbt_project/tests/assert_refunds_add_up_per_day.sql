-- Refunded revenue per day is the same by refund (fct_refunds), by product (fct_revenue)
-- and by day (fct_daily_engagement), and net revenue is gross minus refunded.
{{ config(store_failures=true, meta={'dagster': {'ref': {'name': 'fct_refunds'}}}) }}
with

refunds_by_event as (

    select
        refund_date as activity_date,
        sum(refunded_revenue) as refunded_revenue

    from {{ ref('fct_refunds') }}
    group by refund_date

),

refunds_by_product as (

    select
        order_date as activity_date,
        sum(refunded_revenue) as refunded_revenue

    from {{ ref('fct_revenue') }}
    where units_refunded > 0
    group by order_date

),

refunds_by_day as (

    select
        activity_date,
        refunded_revenue,
        revenue,
        net_revenue

    from {{ ref('fct_daily_engagement') }}
    where refunds > 0 or net_revenue != revenue

)

select
    coalesce(
        refunds_by_event.activity_date,
        refunds_by_product.activity_date,
        refunds_by_day.activity_date
    ) as activity_date,
    refunds_by_event.refunded_revenue as event_refunds,
    refunds_by_product.refunded_revenue as product_refunds,
    refunds_by_day.refunded_revenue as day_refunds

from refunds_by_event
full outer join refunds_by_product
    on refunds_by_event.activity_date = refunds_by_product.activity_date
full outer join refunds_by_day
    on
        coalesce(refunds_by_event.activity_date, refunds_by_product.activity_date)
        = refunds_by_day.activity_date
where
    refunds_by_event.refunded_revenue is null
    or refunds_by_product.refunded_revenue is null
    or refunds_by_day.refunded_revenue is null
    or refunds_by_event.refunded_revenue != refunds_by_product.refunded_revenue
    or refunds_by_event.refunded_revenue != refunds_by_day.refunded_revenue
    or refunds_by_day.net_revenue != refunds_by_day.revenue - refunds_by_day.refunded_revenue
