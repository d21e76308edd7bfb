{#- The funnel's steps in order, each a has_<step> flag of int_sessions. -#}
{% macro funnel_steps() %}
    {{ return(['product_view', 'add_to_cart', 'checkout', 'purchase']) }}
{% endmacro %}

{#- True for a session that reached `step` and every step before it: the funnel's steps are
    nested, so a session that purchased without viewing a product does not count as a purchase. -#}
{% macro reached_funnel_step(step) -%}
    {%- set steps = funnel_steps() -%}
    {%- for reached in steps[:steps.index(step) + 1] -%}
        has_{{ reached }}{% if not loop.last %} and {% endif %}
    {%- endfor -%}
{%- endmacro %}
