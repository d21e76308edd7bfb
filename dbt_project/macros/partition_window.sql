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

{#-
    True for rows of days that passed ingestion. Dagster passes `held_back_dates`, the days
    whose ingestion checks failed; models rebuilt from all history leave those days out, so a
    held-back day never reaches staging.
-#}
{% macro not_held_back(column) -%}
    {%- set held_back = var("held_back_dates", []) -%}
    {%- if held_back -%}
        {{ column }} not in (
            {%- for day in held_back %}cast('{{ day }}' as date){% if not loop.last %}, {% endif %}{% endfor -%}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
