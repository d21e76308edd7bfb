{#- The order of an entity's records, the latest first: by updated_at, then by where it landed
    (day, file, line). Staging keeps each key's first of the day; the dimensions rank by it too. -#}
{% macro latest_first() -%}
    updated_at desc, partition_date desc, source_file desc, source_line desc
{%- endmacro %}

{#- The latest record of each `key` and day in `relation` (`latest_first()`), with how many
    records that day had. Its columns: `key`, partition_date, then `attributes` (column names,
    or `<expression> as <name>` over the source's columns), updated_at, records_in_day,
    source_file and source_line. The staging models of products and users, whose sources may
    hold a key several times a day. -#}
{% macro latest_record_per_day(relation, key, attributes) %}
    select
        {{ key }},
        partition_date,
        {%- for attribute in attributes %}
        {{ attribute }},
        {%- endfor %}
        updated_at,
        records_in_day,
        source_file,
        source_line

    from (
        select
            *,
            row_number() over (
                partition by {{ key }}, partition_date
                order by {{ latest_first() }}
            ) as record_rank,
            count(*) over (partition by {{ key }}, partition_date) as records_in_day

        from {{ relation }}
        where {{ not_held_back('partition_date') }}
    ) as ranked_records
    where record_rank = 1
{% endmacro %}
