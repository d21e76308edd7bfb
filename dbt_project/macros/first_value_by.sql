{#- Aggregate: the first non-null value of `expression` in the group when rows are ordered by
    `order_by` (a comma-separated column list). -#}
{% macro first_value_by(expression, order_by) -%}
    {{ return(adapter.dispatch('first_value_by', 'ecom_analytics')(expression, order_by)) }}
{%- endmacro %}

{% macro default__first_value_by(expression, order_by) -%}
    (array_agg({{ expression }} order by {{ order_by }})
        filter (where {{ expression }} is not null))[1]
{%- endmacro %}

{#- DuckDB's arg_min skips null values and compares the order_by tuple column by column. -#}
{% macro duckdb__first_value_by(expression, order_by) -%}
    arg_min({{ expression }}, ({{ order_by }}))
{%- endmacro %}
