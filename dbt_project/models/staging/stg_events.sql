{#-
    A view, not a table (on Spark an incremental table: macros/incremental_window_replace.sql):
    validated.events already holds one typed row per valid event, so copying them all again
    would cost a full write of the largest table on every build. Its readers select their
    window on partition_date, which DuckDB pushes down to the table. Days held back by the
    ingestion rules are left out (macros/partition_window.sql).
-#}
{{ config(**staging_view_config('partition_date', windowed_on_spark=true)) }}

with

source_events as (

    select * from {{ source('validated', 'events') }}
    where {{ not_held_back('partition_date') }}
    {%- if builds_its_window() %}
        and {{ in_window('partition_date') }}
    {%- endif %}

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
