{#- The partition window Dagster passes as vars, half-open: [min_date, max_date). -#}

{% macro window_start() -%}
    cast('{{ var("min_date") }}' as date)
{%- endmacro %}

{% macro window_end() -%}
    cast('{{ var("max_date") }}' as date)
{%- endmacro %}

{#- True for rows whose date column falls inside the window. -#}
{% macro in_window(column) -%}
    ({{ column }} >= {{ window_start() }} and {{ column }} < {{ window_end() }})
{%- endmacro %}

{#- True for rows inside the window extended `days` days back, for trailing metrics. -#}
{% macro in_window_with_lookback(column, days) -%}
    ({{ column }} >= {{ add_days(window_start(), -days) }} and {{ column }} < {{ window_end() }})
{%- endmacro %}
