{#
    The metric dictionary the loader wrote (raw.metric_dictionary, from the
    packaged metrics.yaml at load time) and the dictionary_metrics seed
    (generated from the same file) list the same (code, format) pairs. A
    difference means the seeds were not regenerated after a dictionary
    change (python -m xxgk.transform.crosswalk). Silent while nothing was loaded.
#}

{{ config(severity='warn') }}

with

loaded as (

    select metric_code, format_id
    from {{ ref('stg_raw__metric_dictionary') }}

),

seeded as (

    select metric_code, format_id
    from {{ ref('dictionary_metrics') }}

),

differences as (

    (
        select 'loaded only' as side, * from loaded
        except
        select 'loaded only', * from seeded
    )
    union all
    (
        select 'seeded only', * from seeded
        except
        select 'seeded only', * from loaded
    )

)

select *
from differences
where exists (select 1 from loaded)
