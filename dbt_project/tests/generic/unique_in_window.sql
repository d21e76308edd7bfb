{#-
    `unique`, judged within the run's partition window on `window_column`: the window is
    read when the test executes (a `where` config would be fixed when dbt parses).
-#}
{% test unique_in_window(model, column_name, window_column) %}
    select
        {{ column_name }} as unique_field,
        count(*) as n_records
    from {{ model }}
    where {{ column_name }} is not null and {{ in_window(window_column) }}
    group by {{ column_name }}
    having count(*) > 1
{% endtest %}
