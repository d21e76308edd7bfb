{#- A session's key: its session id (given or derived) and its UTC day, e.g. s-42-2024-01-31.
    Sessions end at midnight, so the same session id on two days is two sessions. -#}
{% macro session_key(session_id, session_date) -%}
    {{ session_id }} || '-' || cast({{ session_date }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- The latest time an untracked event may follow the previous one and stay in its session. -#}
{% macro session_gap_end(previous_event_at) -%}
    {{ return(adapter.dispatch('session_gap_end', 'ecom_analytics')(previous_event_at)) }}
{%- endmacro %}

{% macro default__session_gap_end(previous_event_at) -%}
    {{ dbt.dateadd('minute', var('session_gap_minutes'), previous_event_at) | trim }}
{%- endmacro %}

{#- dbt-spark's dateadd drops the fraction of a second; timestampadd keeps it. -#}
{% macro spark__session_gap_end(previous_event_at) -%}
    timestampadd(minute, {{ var('session_gap_minutes') }}, {{ previous_event_at }})
{%- endmacro %}
