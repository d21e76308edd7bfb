{#-
    On Spark, the Python side writes validated.* and quality.quarantine as Parquet folders, one
    sub-folder per day: `$ECOM_SPARK_DIR/<schema>/<table>/partition_date=YYYY-MM-DD/`
    (ecom_analytics/engines/spark_lake.py). At the start of each dbt run they are declared as
    external tables with the columns of _staging__sources.yml, and their list of days is synced
    with the folders on disk, so the sources read exactly the days written. Elsewhere nothing:
    the Python side writes the tables themselves.
-#}
{% macro register_sources() -%}
    {{ return(adapter.dispatch('register_sources', 'ecom_analytics')()) }}
{%- endmacro %}

{% macro default__register_sources() -%}
{%- endmacro %}

{% macro spark__register_sources() -%}
    {%- if execute -%}
        {%- for source in graph.sources.values() -%}
            {%- set name = source.schema ~ '.' ~ source.identifier -%}
            {%- set location = [env_var('ECOM_SPARK_DIR'), source.schema, source.identifier] | join('/') -%}
            {%- set columns = [] -%}
            {%- for column in source.columns.values() if column.name != 'partition_date' -%}
                {%- do columns.append(column.name ~ ' ' ~ spark_type(column.data_type)) -%}
            {%- endfor -%}
            {%- do run_query('create database if not exists ' ~ source.schema) -%}
            {%- do run_query(
                'create table if not exists ' ~ name ~ ' (' ~ columns | join(', ')
                ~ ', partition_date date) using parquet partitioned by (partition_date)'
                ~ " location '" ~ location ~ "'"
            ) -%}
            {%- do run_query('msck repair table ' ~ name ~ ' sync partitions') -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- A source column's data_type (DuckDB's spelling) in Spark's. -#}
{% macro spark_type(data_type) -%}
    {%- set spelled = data_type | lower -%}
    {%- if spelled == 'varchar' -%}
        string
    {%- elif spelled == 'varchar[]' -%}
        array<string>
    {%- else -%}
        {{ spelled }}
    {%- endif -%}
{%- endmacro %}
