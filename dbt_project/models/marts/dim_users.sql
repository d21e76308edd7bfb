{#-
    Rebuilt per user (macros/replace_by_user.sql): a run recomputes the versions of the users
    its window's days hold or held before, from each one's whole history; on Spark, and on a
    first build, every user.
-#}
-- depends_on: {{ ref('int_user_record_days') }}
{{ config(**replace_by_user_config()) }}

with

user_records as (

    select * from {{ ref('stg_users') }}
    {%- if is_incremental() %}
    where user_id in ({{ replaced_users() }})
    {%- endif %}

),

-- Two records with the same updated_at on different days: the later day's wins.
dedupe_update_times as (

    select
        *,
        row_number() over (
            partition by user_id, updated_at
            order by {{ latest_first() }}
        ) as update_rank

    from user_records

),

compare_with_previous_version as (

    select
        *,
        lag(email_hash) over user_history as previous_email_hash,
        lag(signup_at) over user_history as previous_signup_at,
        lag(country) over user_history as previous_country,
        lag(city) over user_history as previous_city,
        lag(acquisition_channel) over user_history as previous_acquisition_channel,
        lag(loyalty_tier) over user_history as previous_loyalty_tier,
        row_number() over user_history as record_number

    from dedupe_update_times
    where update_rank = 1
    window user_history as (partition by user_id order by updated_at)

),

-- A new version starts only when a tracked attribute changes.
keep_changes as (

    select * from compare_with_previous_version
    where
        record_number = 1
        or email_hash is distinct from previous_email_hash
        or signup_at is distinct from previous_signup_at
        or country is distinct from previous_country
        or city is distinct from previous_city
        or acquisition_channel is distinct from previous_acquisition_channel
        or loyalty_tier is distinct from previous_loyalty_tier

),

final as (

    select
        user_id,
        updated_at as valid_from,
        lead(updated_at) over (partition by user_id order by updated_at) as valid_to,
        lead(updated_at) over (partition by user_id order by updated_at) is null as is_current,
        email_hash,
        signup_at,
        country,
        city,
        acquisition_channel,
        loyalty_tier,
        partition_date as first_recorded_date

    from keep_changes

)

select * from final
