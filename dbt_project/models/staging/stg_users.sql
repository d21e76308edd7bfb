{#-
    A view, like stg_events: its one reader of all history, dim_users, ranks the records
    anyway, and a stored copy of every user's every day was rebuilt on every run, a day's
    run included. Readers of a window select it on partition_date.
-#}
{{ config(materialized='view', window_column='partition_date') }}

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
