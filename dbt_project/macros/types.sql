{#- Types and functions whose names differ between engines. -#}

{#- 64-bit floating point: `double precision` in DuckDB and PostgreSQL, `double` in Spark. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'ecom_analytics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- ISO day of the week of a date: Monday 1 to Sunday 7. -#}
{% macro iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'ecom_analytics')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expression) -%}
    cast(extract(dayofweek_iso from {{ date_expression }}) as integer)
{%- endmacro %}

{#- The year an ISO week belongs to (2024-12-30 is in ISO week 1 of 2025). -#}
{% macro iso_year(date_expression) -%}
    {{ return(adapter.dispatch('iso_year', 'ecom_analytics')(date_expression)) }}
{%- endmacro %}

{% macro default__iso_year(date_expression) -%}
    cast(extract(isoyear from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__iso_year(date_expression) -%}
    cast(extract(yearofweek from {{ date_expression }}) as integer)
{%- endmacro %}

{#- One row per element of a list column (a set-returning expression in a select list). -#}
{% macro unnest_list(list_expression) -%}
    {{ return(adapter.dispatch('unnest_list', 'ecom_analytics')(list_expression)) }}
{%- endmacro %}

{% macro default__unnest_list(list_expression) -%}
    unnest({{ list_expression }})
{%- endmacro %}

{% macro spark__unnest_list(list_expression) -%}
    explode({{ list_expression }})
{%- endmacro %}
