{#- Aggregate: the value of `expression` on the group's first row when rows are ordered by
    `order_by` (a comma-separated column list that must make the order total). -#}
{% macro first_value_by(expression, order_by) -%}
    {{ return(adapter.dispatch('first_value_by', 'ecom_analytics')(expression, order_by)) }}
{%- endmacro %}

{% macro default__first_value_by(expression, order_by) -%}
    (array_agg({{ expression }} order by {{ order_by }}))[1]
{%- endmacro %}

{#- An ordered first() is several times faster in DuckDB than arg_min over a (time, id) tuple. -#}
{% macro duckdb__first_value_by(expression, order_by) -%}
    first({{ expression }} order by {{ order_by }})
{%- endmacro %}

{#- Spark has no ordered aggregates; min_by over a struct of the order columns orders by them
    in turn, and keeps the value even when it is null, as first() does. -#}
{% macro spark__first_value_by(expression, order_by) -%}
    min_by({{ expression }}, struct({{ order_by }}))
{%- endmacro %}
