{{ config(materialized='table') }}

with

source_users as (

    select * from {{ source('validated', 'users') }}

),

rank_records_per_day as (

    {{ rank_records_per_day('source_users', 'user_id') }}

),

latest_per_day as (

    select
        user_id,
        partition_date,
        {{ sha256_hex('lower(email)') }} as email_hash,
        signup_at,
        country,
        city,
        acquisition_channel,
        loyalty_tier,
        updated_at,
        records_in_day,
        source_file,
        source_line

    from rank_records_per_day
    where record_rank = 1

)

select * from latest_per_day
