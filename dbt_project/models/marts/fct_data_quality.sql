{{ config(**window_replace_config('partition_date')) }}

with

events as (

    select partition_date from {{ ref('stg_events') }}
    where {{ in_window('partition_date') }}

),

products as (

    select
        partition_date,
        records_in_day

    from {{ ref('stg_products') }}
    where {{ in_window('partition_date') }}

),

users as (

    select
        partition_date,
        records_in_day

    from {{ ref('stg_users') }}
    where {{ in_window('partition_date') }}

),

quarantined as (

    select
        source,
        partition_date,
        reasons

    from {{ ref('stg_quarantine') }}
    where {{ in_window('partition_date') }}

),

-- stg_products and stg_users keep one record per key and day; records_in_day counts
-- every valid record behind it.
count_valid_rows as (

    select
        'events' as source,
        partition_date,
        count(*) as rows_valid
    from events
    group by partition_date

    union all

    select
        'products' as source,
        partition_date,
        cast(sum(records_in_day) as bigint) as rows_valid
    from products
    group by partition_date

    union all

    select
        'users' as source,
        partition_date,
        cast(sum(records_in_day) as bigint) as rows_valid
    from users
    group by partition_date

),

count_quarantined_rows as (

    select
        source,
        partition_date,
        count(*) as rows_quarantined

    from quarantined
    group by source, partition_date

),

summarize_partitions as (

    select
        coalesce(count_valid_rows.source, count_quarantined_rows.source) as source,
        coalesce(
            count_valid_rows.partition_date, count_quarantined_rows.partition_date
        ) as partition_date,
        coalesce(count_valid_rows.rows_valid, 0) as rows_valid,
        coalesce(count_quarantined_rows.rows_quarantined, 0) as rows_quarantined

    from count_valid_rows
    full outer join count_quarantined_rows
        on
            count_valid_rows.source = count_quarantined_rows.source
            and count_valid_rows.partition_date = count_quarantined_rows.partition_date

),

explode_reasons as (

    select
        source,
        partition_date,
        {{ unnest_list('reasons') }} as reason

    from quarantined

),

count_reasons as (

    select
        source,
        partition_date,
        reason,
        {{ dbt.split_part('reason', "':'", 1) }} as reason_code,
        count(*) as rows_quarantined

    from explode_reasons
    group by source, partition_date, reason

),

-- A partition without quarantined rows keeps one row, with reason 'none'.
final as (

    select
        summarize_partitions.partition_date,
        summarize_partitions.source,
        coalesce(count_reasons.reason, 'none') as reason,
        summarize_partitions.rows_valid + summarize_partitions.rows_quarantined as rows_read,
        summarize_partitions.rows_valid,
        coalesce(count_reasons.rows_quarantined, 0) as rows_quarantined,
        coalesce(count_reasons.reason_code, 'none') as reason_code,
        summarize_partitions.rows_quarantined as partition_rows_quarantined,
        cast(summarize_partitions.rows_quarantined as {{ type_double() }})
        / (summarize_partitions.rows_valid + summarize_partitions.rows_quarantined)
            as quarantine_rate

    from summarize_partitions
    left join count_reasons
        on
            summarize_partitions.source = count_reasons.source
            and summarize_partitions.partition_date = count_reasons.partition_date

)

select * from final
