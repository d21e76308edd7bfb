-- Every user record staged on a day of the window is in int_user_record_days: dim_users
-- rebuilds only the users found there.
{{ config(store_failures=true) }}

select
    staged_record.user_id,
    staged_record.partition_date

from {{ ref('stg_users') }} as staged_record
left join {{ ref('int_user_record_days') }} as logged_record
    on
        staged_record.user_id = logged_record.user_id
        and staged_record.partition_date = logged_record.partition_date
where
    {{ in_window('staged_record.partition_date') }}
    and logged_record.user_id is null
