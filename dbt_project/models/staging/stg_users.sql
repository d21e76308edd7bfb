{{ config(materialized='table') }}

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
