{{ config(**window_replace_config('activity_date')) }}

with

product_days as (

    select * from {{ ref('int_product_interactions') }}
    where {{ in_window('activity_date') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

final as (

    select
        product_days.activity_date,
        product_days.product_id,
        products.product_name,
        products.category,
        products.subcategory,
        products.brand,
        product_days.product_views,
        product_days.add_to_carts,
        product_days.remove_from_carts,
        product_days.purchases,
        product_days.orders,
        product_days.units_added,
        product_days.units_removed,
        product_days.units_sold,
        product_days.revenue,
        case
            when product_days.product_views > 0
                then cast(product_days.orders as {{ type_double() }}) / product_days.product_views
        end as view_to_purchase_rate

    from product_days
    left join products
        on product_days.product_id = products.product_id

)

select * from final
