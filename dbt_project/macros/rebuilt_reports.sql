{#
    Incremental builds keyed by report (issue 29).

    int_report_states gives every report file version a digest of what the
    report-keyed marts derive from it; int_reports_to_rebuild compares it
    with the digests the marts were last built from (built_report_states,
    written by commit_report_states at the end of a build) and lists the
    reports whose rows must be rebuilt: the changed ones and their
    same-agency neighbour years. The incremental marts delete those reports'
    rows and insert them again (strategy replace_reports); every other row
    stays as built.

    Nothing is trusted that a full refresh would not give: with
    --full-refresh, on the first build, when an incremental mart is missing,
    or when a model or seed changed since the last build, every report is in
    the set, so the build is a full one (and the incremental models are
    created anew, should_full_refresh); so it is when half the reports or
    more changed, which costs less that way.
#}


{% macro model_relation(name, identifier=none) -%}
    {#- the relation of model `name` (or a table `identifier` beside it),
        looked up in the graph: a ref() from a macro would need the calling
        model to ref it too -#}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name == name -%}
        {{- return(api.Relation.create(
            database=node.database,
            schema=node.schema,
            identifier=identifier or node.alias,
            type='table',
        )) -}}
    {%- endfor -%}
{%- endmacro %}


{% macro built_report_states() -%}
    {#- the report states the marts were last built from, beside
        int_report_states (not a model: only commit_report_states writes it) -#}
    {{- return(model_relation('int_report_states', 'built_report_states')) -}}
{%- endmacro %}


{% macro project_digest() -%}
    {#- the models and seeds as dbt parsed them (their files' checksums): a
        change to either can change rows of reports that did not change -#}
    {%- set parts = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type in ('model', 'seed') -%}
        {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
    {%- endfor -%}
    {{- return(local_md5(parts | sort | join(';'))) -}}
{%- endmacro %}


{% macro rebuilds_changes_only() -%}
    {#- true when this build may rebuild only the changed reports' rows: not a
        full refresh, every incremental model exists, and the states the marts
        were built from were recorded by a build of the same models and seeds -#}
    {%- if not execute or flags.FULL_REFRESH -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.config.materialized == 'incremental' -%}
        {%- if adapter.get_relation(
            database=node.database, schema=node.schema, identifier=node.alias
        ) is none -%}
            {{- return(false) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set built = built_report_states() -%}
    {%- if adapter.get_relation(
        database=built.database,
        schema=built.schema,
        identifier=built.identifier,
    ) is none -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set digests = run_query(
        'select distinct project_digest from ' ~ built
    ).columns[0].values() -%}
    {%- if digests | list != [project_digest()] -%}
        {{- return(false) -}}
    {%- endif -%}
    {#- when half the reports changed (a backfill of several years, every
        report re-extracted by a new extractor), creating the tables anew
        costs less than deleting and inserting most of their rows -#}
    {%- set states = model_relation('int_report_states') -%}
    {%- if adapter.get_relation(
        database=states.database,
        schema=states.schema,
        identifier=states.identifier,
    ) is none -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set counts = run_query(
        'select count(*) filter (where states.state_digest'
        ~ ' is distinct from built.state_digest), count(*) from '
        ~ states ~ ' as states full outer join ' ~ built
        ~ ' as built on states.report_sha256 = built.report_sha256'
    ).rows[0] -%}
    {{- return(counts[0] * 2 <= counts[1]) -}}
{%- endmacro %}


{% macro should_full_refresh() -%}
    {#- dbt's (--full-refresh, the model's full_refresh config), and: an
        incremental model is created anew whenever the build is a full one
        (rebuilds_changes_only), as int_reports_to_rebuild then holds every
        report -#}
    {%- if dbt.should_full_refresh() -%}
        {{- return(true) -}}
    {%- endif -%}
    {{- return(
        execute
        and model.config.materialized == 'incremental'
        and not rebuilds_changes_only()
    ) -}}
{%- endmacro %}


{% macro get_incremental_replace_reports_sql(arg_dict) -%}
    {#-
        delete+insert keyed by report, where the reports deleted are the whole
        rebuild set rather than those with rows in the new batch: a report
        that stopped being current has no rule results any more, and its old
        ones must go too. unique_key names the report key column (report_key
        or report_sha256, both columns of int_reports_to_rebuild).
    -#}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set key = arg_dict['unique_key'] -%}
    {%- set columns = get_quoted_csv(
        arg_dict['dest_columns'] | map(attribute='name')
    ) -%}
    delete from {{ target }}
    where {{ key }} in (
        select rebuilt.{{ key }}
        from {{ model_relation('int_reports_to_rebuild') }} as rebuilt
    );

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ arg_dict['temp_relation'] }}
{%- endmacro %}


{% macro commit_report_states(results) -%}
    {#-
        on-run-end: record the report states the marts are now built from,
        only when this invocation built the states and every incremental
        model successfully. A build that failed (or a partial selection)
        records nothing, so the next build sees the same changes again.
    -#}
    {%- if not execute -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set built_now = [] -%}
    {%- for result in results
        if result.node.resource_type == 'model' and result.status == 'success' -%}
        {%- do built_now.append(result.node.unique_id) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and (
            node.config.materialized == 'incremental'
            or node.name in ('int_report_states', 'int_reports_to_rebuild')
        ) -%}
        {%- if node.unique_id not in built_now -%}
            {{- return('') -}}
        {%- endif -%}
    {%- endfor -%}
    create or replace table {{ built_report_states() }} as
    select
        report_sha256,
        report_key,
        agency_key,
        report_year,
        state_digest,
        '{{ project_digest() }}' as project_digest
    from {{ model_relation('int_report_states') }}
{%- endmacro %}


{% macro default__get_where_subquery(relation) -%}
    {#-
        dbt's own (a test's `where` config), and: the data tests of an
        incremental model that asks for it (meta tests_rebuilt_rows_only:
        tests whose every row is checked on its own or against a dimension,
        like fct_report_cells') check the rows of the reports this build
        rebuilt, not the whole table again: the others were checked when they
        were built and have not changed. On a full build that is every row.
    -#}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append(where) -%}
    {%- endif -%}
    {%- for node in (graph.get('nodes', {}) if execute else {}).values()
        if node.resource_type == 'model'
        and node.alias == relation.identifier
        and node.schema == relation.schema
        and node.config.materialized == 'incremental'
        and node.config.meta.get('tests_rebuilt_rows_only') -%}
        {%- set key = node.config.unique_key -%}
        {%- do conditions.append(
            key ~ ' in (select rebuilt.' ~ key ~ ' from '
            ~ model_relation('int_reports_to_rebuild') ~ ' as rebuilt)'
        ) -%}
    {%- endfor -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
