{#- The event columns that purchase_orders() and purchase_revenue() read. -#}
{% macro purchase_metric_columns() %}
    {{ return(['event_type', 'order_id', 'quantity', 'unit_price']) }}
{% endmacro %}

{#- Orders of a group of events: distinct order ids of its purchase lines (SPEC §5). -#}
{% macro purchase_orders() -%}
    count(distinct case when event_type = 'purchase' then order_id end)
{%- endmacro %}

{#- Revenue of a group of events: quantity x unit price of its purchase lines, 0 without any. -#}
{% macro purchase_revenue() -%}
    cast(coalesce(
        sum(case when event_type = 'purchase' then quantity * unit_price end),
        0
    ) as decimal(18, 2))
{%- endmacro %}
