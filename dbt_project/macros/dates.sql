{#- Date helpers over dbt's cross-database macros, always returning DATE. -#}

{% macro add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
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

{#- Whole seconds / days from `start` to `end` (dbt.datediff, trimmed for readable SQL). -#}
{% macro seconds_between(start, end) -%}
    {{ dbt.datediff(start, end, 'second') | trim }}
{%- endmacro %}

{% macro days_between(start, end) -%}
    {{ dbt.datediff(start, end, 'day') | trim }}
{%- endmacro %}
