{#-
    incremental_strategy='window_replace': replace exactly the partition window.

    Deletes every target row whose `window_column` (a model config) falls inside
    [window_start(), window_end()), then inserts the model's rows, in one transaction. Unlike
    delete+insert on a unique_key, a day whose source rows vanished loses its stale rows.
    The model's SQL must itself select only rows inside the window, so that its first run
    (and a --full-refresh) builds the window alone rather than all history.

    Rows are stored in window order (here and in the first build, `duckdb__create_table_as`
    below), so a window lies in a few row groups of its own. Deleting it then leaves the other
    days' row groups untouched: unordered, every row group held every day, and DuckDB's
    checkpoint rewrote the whole table after a one-day re-run (1.2 s of a late day at 10 M
    events). Reads of a window skip the other days' row groups by their min/max too.
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
    from {{ arg_dict['temp_relation'] }}
    order by {{ adapter.quote(window_column) }};
{%- endmacro %}

{#-
    dbt-duckdb's table creation, with the first build (or a --full-refresh) of a windowed
    incremental model stored in window order, as `window_replace` inserts every later window.
    The temporary table an incremental run builds first is left as it is: only the target
    table's order lasts.
-#}
{% macro duckdb__create_table_as(temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none) -%}
    {%- set window_column = config.get('window_column') -%}
    {%- if language == 'sql' and not temporary and window_column and builds_its_window() -%}
        {%- set compiled_code = "select * from (\n" ~ compiled_code ~ "\n) as window_rows\norder by " ~ adapter.quote(window_column) -%}
    {%- endif -%}
    {{ return(dbt.duckdb__create_table_as(temporary, relation, compiled_code, language, partitioned_by=partitioned_by, sorted_by=sorted_by)) }}
{%- endmacro %}

{#-
    The config of an incremental model that replaces exactly its partition window on each run;
    `window_column` is the DATE column the window applies to. Use as
    `config(**window_replace_config('activity_date'))`.

    DuckDB and PostgreSQL: the `window_replace` strategy above. Spark: Spark's own idiom, a
    Parquet table partitioned by the window column whose days are overwritten
    (`insert_overwrite`, dynamic partition overwrite); the `drop_window_partitions` pre-hook
    (dbt_project.yml) first drops the window's days, since an overwrite replaces only the days
    the new rows hold and a day whose rows vanished would keep its old ones.
-#}
{% macro window_replace_config(window_column) -%}
    {{ return(adapter.dispatch('window_replace_config', 'ecom_analytics')(window_column)) }}
{%- endmacro %}

{% macro default__window_replace_config(window_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'window_replace',
        'window_column': window_column,
    }) }}
{%- endmacro %}

{% macro spark__window_replace_config(window_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite',
        'partition_by': [window_column],
        'file_format': 'parquet',
        'window_column': window_column,
    }) }}
{%- endmacro %}

{#- A pre-hook of every model: on Spark, drops the partitions of an existing incremental table
    whose day falls inside the window. Elsewhere (and for other models) nothing. -#}
{% macro drop_window_partitions() -%}
    {{ return(adapter.dispatch('drop_window_partitions', 'ecom_analytics')()) }}
{%- endmacro %}

{% macro default__drop_window_partitions() -%}
{%- endmacro %}

{% macro spark__drop_window_partitions() -%}
    {%- set window_column = config.get('window_column') -%}
    {%- if execute and window_column and is_incremental() -%}
        {%- set first_day, end_day = window_first_day(), window_end_day() -%}
        {%- set in_window = [] -%}
        {#- Rows read `<column>=YYYY-MM-DD`; ISO dates compare as text. -#}
        {%- for row in run_query('show partitions ' ~ this) -%}
            {%- set day = row[0].split('=', 1)[1] -%}
            {%- if first_day <= day and day < end_day -%}
                {%- do in_window.append("partition (" ~ window_column ~ " = '" ~ day ~ "')") -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if in_window -%}
            alter table {{ this }} drop if exists {{ in_window | join(', ') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#-
    The config of a staging model that renames a validated table: a view on DuckDB and
    PostgreSQL, whose readers select their window on `window_column` (a copy of every row
    would cost a full write of the table on every build). On Spark the Python side reads
    models as their Parquet folders, which a view has none of: there it is stored, an
    incremental table replacing its window when `windowed_on_spark`, else a table rebuilt
    whole (no window column).
-#}
{% macro staging_view_config(window_column, windowed_on_spark) -%}
    {{ return(adapter.dispatch('staging_view_config', 'ecom_analytics')(window_column, windowed_on_spark)) }}
{%- endmacro %}

{% macro default__staging_view_config(window_column, windowed_on_spark) -%}
    {{ return({'materialized': 'view', 'window_column': window_column}) }}
{%- endmacro %}

{% macro spark__staging_view_config(window_column, windowed_on_spark) -%}
    {%- if windowed_on_spark -%}
        {{ return(spark__window_replace_config(window_column)) }}
    {%- endif -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#- True when the model being built stores only its window (an incremental table). -#}
{% macro builds_its_window() -%}
    {{ return(config.get('materialized') == 'incremental') }}
{%- endmacro %}
