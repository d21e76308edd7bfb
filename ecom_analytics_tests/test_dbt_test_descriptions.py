"""dbt tests shown as asset checks are described from the tests themselves."""

from ecom_analytics.assets.dbt_test_descriptions import describe_test


def test_a_generic_test_is_described_from_its_name_and_arguments():
    test = {
        "name": "relationships_fct_orders_session_key",
        "config": {"severity": "ERROR"},
        "test_metadata": {
            "name": "relationships",
            "kwargs": {
                "column_name": "session_key",
                "to": "ref('fct_sessions')",
                "field": "session_key",
                "model": "{{ get_where_subquery(ref('fct_orders')) }}",
            },
        },
    }
    assert describe_test(test) == (
        "dbt test on fct_orders: every `session_key` exists in fct_sessions.session_key; "
        "otherwise it fails the run (blocking)."
    )


def test_a_singular_test_is_described_by_its_opening_comment_and_names_its_stored_rows():
    test = {
        "name": "assert_funnel_steps_never_increase",
        "config": {"severity": "warn", "store_failures": True},
        "raw_code": "-- Each step is a subset\n-- of the one before.\nselect 1",
    }
    assert describe_test(test) == (
        "Each step is a subset of the one before. A failure warns. Failing rows are stored in "
        "dbt_test__audit.assert_funnel_steps_never_increase."
    )


def test_every_dbt_check_of_the_code_location_has_a_description():
    from ecom_analytics.definitions import defs

    graph = defs.resolve_asset_graph()
    missing = [
        key.to_user_string()
        for key in graph.asset_check_keys
        if not graph.get_check_spec(key).description
    ]
    assert missing == []
