import pytest

from detector.lab.metrics import bcubed, group_pairs, pairwise


def test_pairwise_counts():
    truth = group_pairs([["a", "b", "c"]])
    pred = group_pairs([["a", "b"], ["c", "d"]])
    m = pairwise(pred, truth)
    assert (m.tp, m.fp, m.fn) == (1, 1, 2)
    assert m.precision == 0.5 and m.recall == pytest.approx(1 / 3)


def test_bcubed_perfect_and_partial():
    items = ["a", "b", "c", "d"]
    assert bcubed([["a", "b"]], [["a", "b"]], items).f1 == 1.0
    m = bcubed([["a", "b", "c"]], [["a", "b"]], items)
    assert m.recall == 1.0 and m.precision == pytest.approx((2 / 3 * 2 + 1 / 3 + 1) / 4)


def test_empty_prediction_has_full_precision_no_recall():
    m = pairwise(set(), group_pairs([["a", "b"]]))
    assert m.precision == 1.0 and m.recall == 0.0 and m.f1 == 0.0
