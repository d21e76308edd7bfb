{{ config(materialized='table') }}

with

user_journeys as (

    select
        user_id,
        cohort_week

    from {{ ref('int_user_journey') }}

),

user_days as (

    select
        user_id,
        activity_date

    from {{ ref('int_user_daily_activity') }}

),

find_user_weeks as (

    select distinct
        user_id,
        {{ week_start('activity_date') }} as activity_week

    from user_days

),

count_cohort_sizes as (

    select
        cohort_week,
        count(*) as cohort_size

    from user_journeys
    group by cohort_week

),

list_activity_weeks as (

    select distinct activity_week from find_user_weeks

),

-- Every cohort against every later week with data, so that weeks nobody returned show 0.
build_grid as (

    select
        count_cohort_sizes.cohort_week,
        list_activity_weeks.activity_week,
        count_cohort_sizes.cohort_size

    from count_cohort_sizes
    inner join list_activity_weeks
        on count_cohort_sizes.cohort_week <= list_activity_weeks.activity_week

),

count_active_users as (

    select
        user_journeys.cohort_week,
        find_user_weeks.activity_week,
        count(*) as active_users

    from find_user_weeks
    inner join user_journeys
        on find_user_weeks.user_id = user_journeys.user_id
    group by user_journeys.cohort_week, find_user_weeks.activity_week

),

final as (

    select
        build_grid.cohort_week,
        build_grid.activity_week,
        cast(
            {{ days_between('build_grid.cohort_week', 'build_grid.activity_week') }} / 7 as integer
        ) as weeks_since_first_seen,
        build_grid.cohort_size,
        coalesce(count_active_users.active_users, 0) as active_users,
        cast(coalesce(count_active_users.active_users, 0) as {{ type_double() }})
        / build_grid.cohort_size as retention_rate

    from build_grid
    left join count_active_users
        on
            build_grid.cohort_week = count_active_users.cohort_week
            and build_grid.activity_week = count_active_users.activity_week

)

select * from final
