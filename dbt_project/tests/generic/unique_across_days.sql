{#-
    The values of the run's partition window on `window_column` that also occur on another
    day: one row per such value, with its copies outside the window. Repeats inside the
    window are `unique_in_window`'s to judge, not this test's. Values outside the window were
    judged by the runs that built their days, so only the other days' rows are read, and a
    build over all history (nothing outside the window) reads next to nothing. Needs
    `meta: {whole_history: true}`, so that `model` is the whole table (macros/test_window.sql).
-#}
{% test unique_across_days(model, column_name, window_column) %}
    select
        {{ column_name }} as unique_field,
        count(*) as copies_on_other_days
    from {{ model }}
    where
        {{ column_name }} is not null
        and not {{ in_window(window_column) }}
        and {{ column_name }} in (
            select {{ column_name }}
            from {{ model }}
            where {{ column_name }} is not null and {{ in_window(window_column) }}
        )
    group by {{ column_name }}
{% endtest %}
