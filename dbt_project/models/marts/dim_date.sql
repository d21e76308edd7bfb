{{ config(materialized='table') }}

with

user_days as (

    select activity_date from {{ ref('int_user_daily_activity') }}

),

find_date_range as (

    select
        min(activity_date) as first_date,
        max(activity_date) as last_date

    from user_days

),

days as (

    {{ date_series(
        '(select first_date from find_date_range)',
        '(select last_date from find_date_range)'
    ) }}

),

final as (

    select
        date_day,
        {{ iso_day_of_week('date_day') }} as day_of_week,
        cast(extract(week from date_day) as integer) as iso_week,
        {{ week_start('date_day') }} as week_start,
        cast(extract(month from date_day) as integer) as month,
        cast(extract(quarter from date_day) as integer) as quarter,
        cast(extract(year from date_day) as integer) as year,
        {{ iso_year('date_day') }} as iso_year,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        {{ iso_day_of_week('date_day') }} in (6, 7) as is_weekend

    from days

)

select * from final
