-- Exactly one current version per user, and it is the one still open.
{{ config(store_failures=true) }}

select
    user_id,
    sum(case when is_current then 1 else 0 end) as current_versions,
    sum(case when valid_to is null then 1 else 0 end) as open_versions

from {{ ref('dim_users') }}
group by user_id
having
    sum(case when is_current then 1 else 0 end) != 1
    or sum(case when valid_to is null then 1 else 0 end) != 1
    or sum(case when is_current and valid_to is null then 1 else 0 end) != 1
