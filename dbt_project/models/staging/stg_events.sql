{{ config(**window_replace_config('partition_date')) }}

with

source_events as (

    select * from {{ source('validated', 'events') }}
    where {{ in_window('partition_date') }}

),

renamed as (

    select
        event_id,
        event_timestamp as event_at,
        cast(event_timestamp as date) as event_date,
        event_type,
        user_id,
        session_id,
        product_id,
        quantity,
        unit_price,
        order_id,
        coalesce(device, 'unknown') as device,
        coalesce(channel, 'unknown') as channel,
        country,
        page_url,
        search_query,
        properties,
        partition_date,
        source_file,
        source_line

    from source_events

)

select * from renamed
