{{ config(materialized='table') }}

with

source_products as (

    select * from {{ source('validated', 'products') }}

),

rank_records_per_day as (

    {{ rank_records_per_day('source_products', 'product_id') }}

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
