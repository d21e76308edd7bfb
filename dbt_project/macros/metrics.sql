{#- The event columns that purchase_orders() and purchase_revenue() read. -#}
{% macro purchase_metric_columns() %}
    {{ return(['event_type', 'order_id', 'quantity', 'unit_price']) }}
{% endmacro %}

{#- Orders of a group of events: distinct order ids of its purchase lines (SPEC §5). -#}
{% macro purchase_orders() -%}
    {{ return(adapter.dispatch('purchase_orders', 'ecom_analytics')()) }}
{%- endmacro %}

{% macro default__purchase_orders() -%}
    count(distinct case when event_type = 'purchase' then order_id end)
{%- endmacro %}

{#- DuckDB: a distinct count keeps a hash set per group, and these groups (sessions, user days)
    number millions with few purchases among them; the group's list of purchase order ids,
    deduplicated, gives the same count (nulls left out) in about half the time. -#}
{% macro duckdb__purchase_orders() -%}
    cast(coalesce(list_unique(list(order_id) filter (where event_type = 'purchase')), 0) as bigint)
{%- endmacro %}

{#- Revenue of a group of events: quantity x unit price of its purchase lines, 0 without any. -#}
{% macro purchase_revenue() -%}
    cast(coalesce(
        sum(case when event_type = 'purchase' then quantity * unit_price end),
        0
    ) as decimal(18, 2))
{%- endmacro %}
