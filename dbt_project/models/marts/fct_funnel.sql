{{ config(**window_replace_config('activity_date')) }}

with

sessions as (

    select
        session_date,
        device,
        channel,
        has_product_view,
        has_add_to_cart,
        has_checkout,
        has_purchase

    from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

-- Nested steps: a session counts at a step only if it also reached every earlier step.
flag_funnel_steps as (

    select
        session_date,
        device,
        channel,
        has_product_view as reached_product_view,
        has_product_view and has_add_to_cart as reached_add_to_cart,
        has_product_view and has_add_to_cart and has_checkout as reached_checkout,
        has_product_view and has_add_to_cart and has_checkout and has_purchase
            as reached_purchase

    from sessions

),

aggregate_funnel as (

    select
        session_date as activity_date,
        device,
        channel,
        count(*) as sessions,
        count(case when reached_product_view then 1 end) as product_view_sessions,
        count(case when reached_add_to_cart then 1 end) as add_to_cart_sessions,
        count(case when reached_checkout then 1 end) as checkout_sessions,
        count(case when reached_purchase then 1 end) as purchase_sessions

    from flag_funnel_steps
    group by session_date, device, channel

),

final as (

    select
        *,
        cast(purchase_sessions as {{ type_double() }}) / sessions as conversion_rate

    from aggregate_funnel

)

select * from final
