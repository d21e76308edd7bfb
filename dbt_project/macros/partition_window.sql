{#-
    The partition window, half-open: [start, end). Dagster sets ECOM_DBT_WINDOW_START and
    ECOM_DBT_WINDOW_END for each build (ecom_analytics/assets/dbt_env.py); run by hand, the window
    covers all history. They are read when dbt executes, never while it parses: a var that
    changes, or an env var read at parse time, would make dbt parse the project again on
    every run instead of reusing its partial parse.
-#}

{% macro window_bound(name, default) -%}
    {{ return(env_var(name, default) if execute else default) }}
{%- endmacro %}

{#- First day of the window and the day after its last, as `YYYY-MM-DD` text. -#}
{% macro window_first_day() -%}
    {{ return(window_bound("ECOM_DBT_WINDOW_START", "1900-01-01")) }}
{%- endmacro %}

{#-
    The window of the models that read earlier days runs on to the last built day when the
    run's days lie inside built history: ECOM_DBT_LATER_DAYS_MODELS names them and
    ECOM_DBT_LATER_DAYS_END is the day after the last built day (set by
    ecom_analytics/assets/dbt_env.py from late_data.DEPENDENT_MODELS). A late day and the
    later days that read it are then one build. Every other model keeps the run's window.
-#}
{% macro window_end_day() -%}
    {%- set later_end = window_bound("ECOM_DBT_LATER_DAYS_END", "") -%}
    {%- if later_end and window_node_name() in window_bound("ECOM_DBT_LATER_DAYS_MODELS", "").split(",") -%}
        {{ return(later_end) }}
    {%- endif -%}
    {{ return(window_bound("ECOM_DBT_WINDOW_END", "9999-12-31")) }}
{%- endmacro %}

{#- The model being built, or the model a generic test is attached to (its window). -#}
{% macro window_node_name() -%}
    {%- if not execute or model is not mapping -%}
        {{ return("") }}
    {%- endif -%}
    {%- if model.get("attached_node") -%}
        {%- set node = graph.nodes.get(model.attached_node) -%}
        {{ return(node.name if node else "") }}
    {%- endif -%}
    {{ return(model.get("name", "")) }}
{%- endmacro %}

{% macro window_start() -%}
    cast('{{ window_first_day() }}' as date)
{%- endmacro %}

{% macro window_end() -%}
    cast('{{ window_end_day() }}' as date)
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
    True for rows of days that passed ingestion. Dagster sets ECOM_DBT_HELD_BACK_DATES, the
    days whose ingestion checks failed (comma-separated); models rebuilt from all history
    leave those days out, so a held-back day never reaches staging.
-#}
{% macro not_held_back(column) -%}
    {%- if held_back_days() -%}
        not ({{ held_back(column) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- True for rows of the held-back days (false when there are none). -#}
{% macro held_back(column) -%}
    {%- set held = held_back_days() -%}
    {%- if held -%}
        {{ column }} in (
            {%- for day in held %}cast('{{ day }}' as date){% if not loop.last %}, {% endif %}{% endfor -%}
        )
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#- The held-back days, as `YYYY-MM-DD` text. -#}
{% macro held_back_days() -%}
    {{ return(window_bound("ECOM_DBT_HELD_BACK_DATES", "").split(",") | select | list) }}
{%- endmacro %}
