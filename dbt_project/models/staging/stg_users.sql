{#-
    A view, like stg_events (on Spark a table rebuilt from all history): its one reader of
    all history, dim_users, ranks the records anyway, and a stored copy of every user's
    every day was rebuilt on every run, a day's run included. Readers of a window select it
    on partition_date.
-#}
{{ config(**staging_view_config('partition_date', windowed_on_spark=false)) }}

with

source_users as (

    select * from {{ source('validated', 'users') }}

),

latest_per_day as (

    {{ latest_record_per_day('source_users', 'user_id', [
        sha256_hex('lower(email)') ~ ' as email_hash',
        'signup_at', 'country', 'city', 'acquisition_channel', 'loyalty_tier',
    ]) }}

)

select * from latest_per_day
