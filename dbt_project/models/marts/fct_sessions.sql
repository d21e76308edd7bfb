{{ config(**window_replace_config('session_date')) }}

with

sessions as (

    select * from {{ ref('int_sessions') }}
    where {{ in_window('session_date') }}

),

user_journeys as (

    select
        user_id,
        first_seen_date

    from {{ ref('int_user_journey') }}

),

final as (

    select
        sessions.session_key,
        sessions.session_id,
        sessions.user_id,
        sessions.session_date,
        sessions.started_at,
        sessions.ended_at,
        cast(sessions.duration_seconds as {{ type_double() }}) as duration_seconds,
        sessions.events,
        sessions.page_views,
        sessions.product_views,
        sessions.has_add_to_cart,
        sessions.has_checkout,
        sessions.has_purchase,
        sessions.revenue,
        sessions.device,
        sessions.channel,
        sessions.is_bounce,
        sessions.is_derived_session,
        sessions.searches,
        sessions.add_to_carts,
        sessions.remove_from_carts,
        sessions.checkouts,
        sessions.orders,
        sessions.has_product_view,
        sessions.country,
        coalesce(sessions.session_date = user_journeys.first_seen_date, false) as is_new_user

    from sessions
    left join user_journeys
        on sessions.user_id = user_journeys.user_id

)

select * from final
