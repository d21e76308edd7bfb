{{ config(materialized='table') }}

with

source_products as (

    select * from {{ source('validated', 'products') }}

),

rank_records_per_day as (

    select
        *,
        row_number() over (
            partition by product_id, partition_date
            order by updated_at desc, source_file desc, source_line desc
        ) as record_rank,
        count(*) over (partition by product_id, partition_date) as records_in_day

    from source_products
    where {{ not_held_back('partition_date') }}

),

latest_per_day as (

    select
        product_id,
        partition_date,
        sku,
        product_name,
        category,
        subcategory,
        brand,
        list_price,
        is_active,
        updated_at,
        records_in_day,
        source_file,
        source_line

    from rank_records_per_day
    where record_rank = 1

)

select * from latest_per_day
