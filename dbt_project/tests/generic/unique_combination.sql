{#- Fails for each combination of the given columns that occurs more than once. -#}
{% test unique_combination(model, combination_of_columns) %}

    {%- set column_list = combination_of_columns | join(', ') -%}

    select
        {{ column_list }},
        count(*) as occurrences

    from {{ model }}
    group by {{ column_list }}
    having count(*) > 1

{% endtest %}
