{#-
    Generic tests judge the run's partition window, as the Pandera model checks do: on a model
    built per window (its config names a `window_column`), every generic test reads only the
    rows inside the window, so a one-day run tests one day rather than all history. A test
    whose `meta` sets `whole_history: true` reads every row (uniqueness across days). Run by
    hand, the window spans all history. A test's own `where` config still applies.

    dbt wraps the `model` argument of every generic test in `get_where_subquery`; this is
    dbt's default implementation with the window added.
-#}
{% macro default__get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append(where) -%}
    {%- endif -%}
    {%- set column = tested_window_column() -%}
    {%- if column -%}
        {%- do conditions.append(in_window(column)) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return("(select * from " ~ relation ~ " where " ~ (conditions | join(" and ")) ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The window column of the model a generic test is attached to; none for a whole-table model. -#}
{% macro tested_window_column() -%}
    {%- if not execute or (config.get('meta') or {}).get('whole_history') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {{ return(node.config.get('window_column') if node else none) }}
{%- endmacro %}
