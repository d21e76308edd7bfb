-- A user's versions follow each other: each starts where the previous ended, none is empty.
{{ config(store_failures=true) }}

with

versions as (

    select
        user_id,
        valid_from,
        valid_to,
        lag(valid_to) over (partition by user_id order by valid_from) as previous_valid_to,
        row_number() over (partition by user_id order by valid_from) as version_number

    from {{ ref('dim_users') }}

)

select * from versions
where
    valid_to <= valid_from
    or (version_number > 1 and (previous_valid_to is null or previous_valid_to != valid_from))
