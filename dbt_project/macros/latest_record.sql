{#- Each record of `relation` with its rank among the records of the same `key` and day, the
    latest first (by updated_at, then source file and line), and how many that day had. The
    staging models of products and users keep rank 1. -#}
{% macro rank_records_per_day(relation, key) %}
    select
        *,
        row_number() over (
            partition by {{ key }}, partition_date
            order by updated_at desc, source_file desc, source_line desc
        ) as record_rank,
        count(*) over (partition by {{ key }}, partition_date) as records_in_day

    from {{ relation }}
    where {{ not_held_back('partition_date') }}
{% endmacro %}
