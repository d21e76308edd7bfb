-- Nothing is lost: per source and partition, rows_read = rows_valid + rows quarantined, and
-- each quarantined record has at least one reason.
{{ config(store_failures=true) }}

with

partitions as (

    select
        partition_date,
        source,
        min(rows_read) as rows_read,
        max(rows_read) as max_rows_read,
        min(rows_valid) as rows_valid,
        max(rows_valid) as max_rows_valid,
        min(partition_rows_quarantined) as partition_rows_quarantined,
        max(partition_rows_quarantined) as max_partition_rows_quarantined,
        max(rows_quarantined) as max_reason_rows,
        sum(rows_quarantined) as reason_rows

    from {{ ref('fct_data_quality') }}
    group by partition_date, source

)

select * from partitions
where
    rows_read != max_rows_read
    or rows_valid != max_rows_valid
    or partition_rows_quarantined != max_partition_rows_quarantined
    or rows_read != rows_valid + partition_rows_quarantined
    or max_reason_rows > partition_rows_quarantined
    or reason_rows < partition_rows_quarantined
