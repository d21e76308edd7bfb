{{ config(materialized='table') }}

with

product_records as (

    select * from {{ ref('stg_products') }}

),

rank_latest_records as (

    select
        *,
        row_number() over (
            partition by product_id
            order by {{ latest_first() }}
        ) as recency_rank,
        min(partition_date) over (partition by product_id) as first_listed_date

    from product_records

),

final as (

    select
        product_id,
        sku,
        product_name,
        category,
        subcategory,
        brand,
        list_price,
        is_active,
        updated_at,
        first_listed_date

    from rank_latest_records
    where recency_rank = 1

)

select * from final
