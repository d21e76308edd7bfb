{{ config(materialized='table') }}

with

source_products as (

    select * from {{ source('validated', 'products') }}

),

latest_per_day as (

    {{ latest_record_per_day('source_products', 'product_id', [
        'sku', 'product_name', 'category', 'subcategory', 'brand', 'list_price', 'is_active',
    ]) }}

)

select * from latest_per_day
