{#-
    Which users each landing day holds a record of, kept after the day is landed again until
    dim_users has rebuilt them: dim_users rebuilds only the users of its window's days, and a
    user whose record a re-landed day dropped is found here, since staging no longer holds
    that record (macros/replace_by_user.sql).
-#}
{{ config(**record_log_config('partition_date')) }}

with

window_users as (

    select distinct
        user_id,
        partition_date

    from {{ ref('stg_users') }}
    {#- The first build logs every staged day: dim_users may be older than this log. #}
    {%- if is_incremental() %}
    where {{ in_window('partition_date') }}
    {%- endif %}

),

new_pairs as (

    select * from window_users
    {%- if only_appends() %}
    where not exists (
        select 1 from {{ this }} as logged
        where
            logged.user_id = window_users.user_id
            and logged.partition_date = window_users.partition_date
    )
    {%- endif %}

)

select * from new_pairs
