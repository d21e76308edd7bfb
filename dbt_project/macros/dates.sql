{#- Date helpers over dbt's cross-database macros, always returning DATE. -#}

{% macro add_days(date_expression, days) -%}
    {{ return(adapter.dispatch('add_days', 'ecom_analytics')(date_expression, days)) }}
{%- endmacro %}

{% macro default__add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}

{#- dbt-spark's dateadd goes through whole-second epochs and back to a timestamp. -#}
{% macro spark__add_days(date_expression, days) -%}
    date_add({{ date_expression }}, {{ days }})
{%- endmacro %}

{#- Monday of the ISO week of a date. -#}
{% macro week_start(date_expression) -%}
    cast({{ dbt.date_trunc('week', date_expression) }} as date)
{%- endmacro %}

{#- One row per day from start to end, both included, in a column named date_day. -#}
{% macro date_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('date_series', 'ecom_analytics')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_series(start_date, end_date) -%}
    select cast(series.date_day as date) as date_day
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '1 day'
    ) as series (date_day)
{%- endmacro %}

{% macro duckdb__date_series(start_date, end_date) -%}
    select cast(unnest(generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval 1 day
    )) as date) as date_day
{%- endmacro %}

{% macro spark__date_series(start_date, end_date) -%}
    select explode(sequence(
        cast({{ start_date }} as date),
        cast({{ end_date }} as date),
        interval 1 day
    )) as date_day
{%- endmacro %}

{#- Elapsed seconds from `start` to `end`, fractions kept (SPEC §5). dbt.datediff counts the
    second boundaries crossed instead: 10:00:00.9 to 10:00:01.1 would be 1 s, not 0.2 s. -#}
{% macro elapsed_seconds(start, end) -%}
    {{ return(adapter.dispatch('elapsed_seconds', 'ecom_analytics')(start, end)) }}
{%- endmacro %}

{% macro default__elapsed_seconds(start, end) -%}
    cast(extract(epoch from ({{ end }} - {{ start }})) as double precision)
{%- endmacro %}

{#- Microsecond epochs are exact; DuckDB's epoch() of a timestamp rounds through a float. -#}
{% macro duckdb__elapsed_seconds(start, end) -%}
    (epoch_us({{ end }}) - epoch_us({{ start }})) / 1000000.0
{%- endmacro %}

{% macro spark__elapsed_seconds(start, end) -%}
    (unix_micros({{ end }}) - unix_micros({{ start }})) / 1000000.0
{%- endmacro %}

{#- Whole days from `start` to `end` (dbt.datediff, trimmed for readable SQL). -#}

{% macro days_between(start, end) -%}
    {{ dbt.datediff(start, end, 'day') | trim }}
{%- endmacro %}
