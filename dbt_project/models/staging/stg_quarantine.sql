{{ config(**window_replace_config('partition_date')) }}

-- raw_record stays behind: it may hold personal data such as raw emails.
with

source_quarantine as (

    select * from {{ source('quality', 'quarantine') }}
    where {{ in_window('partition_date') }}

),

renamed as (

    select
        source,
        partition_date,
        source_file,
        source_line,
        reasons

    from source_quarantine

)

select * from renamed
