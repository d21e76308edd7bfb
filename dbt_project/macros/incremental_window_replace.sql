{#-
    incremental_strategy='window_replace': replace exactly the partition window.

    Deletes every target row whose `window_column` (a model config) falls inside
    [window_start(), window_end()), then inserts the model's rows, in one transaction. Unlike
    delete+insert on a unique_key, a day whose source rows vanished loses its stale rows.
    The model's SQL must itself select only rows inside the window, so that its first run
    (and a --full-refresh) builds the window alone rather than all history.
-#}
{% macro get_incremental_window_replace_sql(arg_dict) -%}
    {%- set window_column = config.get('window_column') -%}
    {%- if not window_column -%}
        {{ exceptions.raise_compiler_error(
            "incremental_strategy 'window_replace' needs a 'window_column' config on " ~ this
        ) }}
    {%- endif -%}
    {%- set column_names = arg_dict['dest_columns'] | map(attribute='name') -%}
    {%- set column_list = get_quoted_csv(column_names) -%}

    delete from {{ arg_dict['target_relation'] }}
    where {{ in_window(window_column) }};

    insert into {{ arg_dict['target_relation'] }} ({{ column_list }})
    select {{ column_list }}
    from {{ arg_dict['temp_relation'] }};
{%- endmacro %}
