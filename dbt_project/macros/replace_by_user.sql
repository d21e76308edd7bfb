{#-
    dim_users rebuilt per user: a run recomputes the whole history of only the users whose
    records its window's days hold now or held before (int_user_record_days), rather than of
    every user. A user's versions depend on that user's records alone, so the other users'
    rows are the ones a full rebuild would write.
-#}

{#-
    The config of int_user_record_days. DuckDB and PostgreSQL: each run appends the window's
    rows it lacks, and deletes none; dim_users removes the rows a day no longer holds once it
    has rebuilt those users (replace_by_user_config). Spark, where dim_users is rebuilt whole
    and reads none of it: the window's days replaced, as every windowed model there.
-#}
{% macro record_log_config(window_column) -%}
    {{ return(adapter.dispatch('record_log_config', 'ecom_analytics')(window_column)) }}
{%- endmacro %}

{% macro default__record_log_config(window_column) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'window_column': window_column,
    }) }}
{%- endmacro %}

{% macro spark__record_log_config(window_column) -%}
    {{ return(spark__window_replace_config(window_column)) }}
{%- endmacro %}

{#- True when the model being built only appends to its table (default__record_log_config). -#}
{% macro only_appends() -%}
    {{ return(is_incremental() and config.get('incremental_strategy') == 'append') }}
{%- endmacro %}

{#-
    The config of a model replaced per user (`replace_key`), on DuckDB and PostgreSQL, in one
    transaction: every stored row of the users of replaced_users() is deleted, the run's rows
    for them are appended, and the log rows of the window's days that staging no longer holds
    are removed, those users being rebuilt now. A first build writes every user. On Spark,
    whose Parquet tables cannot delete rows, a table rebuilt from all history.
-#}
{% macro replace_by_user_config() -%}
    {{ return(adapter.dispatch('replace_by_user_config', 'ecom_analytics')()) }}
{%- endmacro %}

{% macro default__replace_by_user_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'replace_key': 'user_id',
        'pre_hook': "{% if is_incremental() %}delete from {{ this }} where user_id in ({{ replaced_users() }}){% endif %}",
        'post_hook': "{{ forget_dropped_records() }}",
    }) }}
{%- endmacro %}

{% macro spark__replace_by_user_config() -%}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}

{#-
    The users whose rows a per-user run replaces: those of the window's days, as logged
    (records since dropped included) and as staged now, and those of every held-back day,
    whose records the staging views have just left out.
-#}
{% macro replaced_users() -%}
    select user_id from {{ ref('int_user_record_days') }}
    where {{ in_window('partition_date') }} or {{ held_back('partition_date') }}
    union
    select user_id from {{ ref('stg_users') }}
    where {{ in_window('partition_date') }}
{%- endmacro %}

{#- Log rows of the window's days whose record staging no longer holds, once dim_users has
    rebuilt their users: the log then holds what a clean build of the same files holds. -#}
{% macro forget_dropped_records() -%}
    delete from {{ ref('int_user_record_days') }} as logged
    where
        {{ in_window('logged.partition_date') }}
        and not exists (
            select 1 from {{ ref('stg_users') }} as staged
            where
                {{ in_window('staged.partition_date') }}
                and staged.user_id = logged.user_id
                and staged.partition_date = logged.partition_date
        )
{%- endmacro %}
