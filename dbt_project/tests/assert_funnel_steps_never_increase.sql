-- Each funnel step is a subset of the one before: counts never grow along the funnel.
{{ config(store_failures=true) }}

select
    activity_date,
    device,
    channel,
    sessions,
    product_view_sessions,
    add_to_cart_sessions,
    checkout_sessions,
    purchase_sessions

from {{ ref('fct_funnel') }}
where
    product_view_sessions > sessions
    or add_to_cart_sessions > product_view_sessions
    or checkout_sessions > add_to_cart_sessions
    or purchase_sessions > checkout_sessions
    or purchase_sessions < 0
