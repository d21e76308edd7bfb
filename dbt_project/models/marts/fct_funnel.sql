{{ config(**window_replace_config('activity_date')) }}

with

sessions as (

    select * from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

flag_funnel_steps as (

    select
        session_date,
        device,
        channel,
        {{ reached_funnel_step('product_view') }} as reached_product_view,
        {{ reached_funnel_step('add_to_cart') }} as reached_add_to_cart,
        {{ reached_funnel_step('checkout') }} as reached_checkout,
        {{ reached_funnel_step('purchase') }} as reached_purchase

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
