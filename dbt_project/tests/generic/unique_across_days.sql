{#-
    `unique` for the values of the run's partition window on `window_column`, counted over
    every day: a value of the window that occurs anywhere else fails. Values outside the
    window were judged by the runs that built their days, so the table is scanned for the
    window's values only instead of grouping all of it. Needs `meta: {whole_history: true}`,
    so that `model` is the whole table (macros/test_window.sql).
-#}
{% test unique_across_days(model, column_name, window_column) %}
    select
        {{ column_name }} as unique_field,
        count(*) as n_records
    from {{ model }}
    where {{ column_name }} in (
        select {{ column_name }}
        from {{ model }}
        where {{ column_name }} is not null and {{ in_window(window_column) }}
    )
    group by {{ column_name }}
    having count(*) > 1
{% endtest %}
