{#- An import of stg_events: `columns` of the run window's events (that meet `condition`). -#}
{% macro events_in_window(columns, condition=none) %}
    select
        {{ columns | join(',\n        ') }}

    from {{ ref('stg_events') }}
    where
        {{ in_window('partition_date') }}
        {%- if condition %}
        and {{ condition }}
        {%- endif %}
{% endmacro %}

{#- The columns of an order line, read alike for purchases and refunds. -#}
{% macro line_item_columns() %}
    {{ return([
        'event_id', 'event_at', 'event_date', 'user_id', 'session_id', 'order_id',
        'product_id', 'quantity', 'unit_price', 'country',
    ]) }}
{% endmacro %}
