"""graders.kit.sql_checks: the comparison policy is stated and the differing row is named."""

from decimal import Decimal

import pytest

from graders.kit.sql_checks import assert_rows_equal, node_types, plan_root, values_equal, walk


def _message(callable_, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as caught:
        callable_(*args, **kwargs)
    return str(caught.value)


def test_ordered_rows_name_the_row_and_column():
    text = _message(
        assert_rows_equal, [(1, "a"), (2, "b"), (3, "x")], [(1, "a"), (2, "b"), (3, "c")], where="q"
    )
    assert "row order matters" in text and "row 2 differs in column 1" in text and "'x'" in text


def test_row_count_and_first_difference():
    text = _message(assert_rows_equal, [(1,), (2,)], [(1,), (2,), (3,)])
    assert "got 2 rows, expected 3" in text and "first missing row: (3)" in text


def test_unordered_rows_report_missing_and_unexpected():
    assert_rows_equal([(2, "b"), (1, "a")], [(1, "a"), (2, "b")], ordered=False)
    text = _message(assert_rows_equal, [(1, "a"), (1, "a")], [(1, "a"), (2, "b")], ordered=False)
    assert (
        "does not matter" in text
        and "missing, e.g. (2, 'b')" in text
        and "unexpected row(s), e.g. (1, 'a')" in text
    )


def test_numbers_missing_values_and_tolerance():
    assert values_equal(1, 1.0) and values_equal(Decimal("2.50"), 2.5) and values_equal(None, float("nan"))
    assert not values_equal(True, 1) and not values_equal(None, 0)
    assert_rows_equal([(1.0000000001,)], [(1.0,)], rel_tol=1e-9)
    assert "within rel 1e-12" in _message(assert_rows_equal, [(1.0001,)], [(1.0,)], rel_tol=1e-12)


def test_frames_and_column_names():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"id": [1, 2], "v": [None, 3.5]})
    assert_rows_equal(frame, [(1, None), (2, 3.5)], columns=["id", "v"])
    assert "columns ['id', 'v'] != expected ['id', 'value']" in _message(
        assert_rows_equal, frame, [(1, None), (2, 3.5)], columns=["id", "value"]
    )


def test_plan_helpers():
    document = [{"Plan": {"Node Type": "Sort", "Plans": [{"Node Type": "Seq Scan", "Relation Name": "t"}]}}]
    assert plan_root(document)["Node Type"] == "Sort"
    assert node_types(document) == ["Sort", "Seq Scan"]
    assert [n["Node Type"] for n in walk(plan_root(document[0]))] == ["Sort", "Seq Scan"]
