"""`bench --sizes` keeps a child's result when something else was printed before it."""

import pytest

from ecom_analytics.benchmarks.bench import _last_json


def test_the_last_json_document_is_the_result(capsys):
    stdout = 'noise\n{"not": "the result"}\n{\n  "events": 5,\n  "success": true\n}\n'
    assert _last_json(stdout, 5) == {"events": 5, "success": True}
    assert "noise" in capsys.readouterr().err


def test_no_json_is_an_error_naming_the_size():
    with pytest.raises(RuntimeError, match="bench of 7 events printed no JSON"):
        _last_json("only a warning\n", 7)
