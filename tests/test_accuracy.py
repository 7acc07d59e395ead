"""Accuracy arithmetic: Wilson intervals, confusion counts, calibration, precision/recall curve."""
import numpy as np
import pytest

from detector.accuracy import Confusion, Rate, log_loss, pr_curve, prf, reliability, wilson


def test_wilson_matches_the_textbook_values():
    lo, hi = wilson(8, 10)
    assert lo == pytest.approx(0.4902, abs=1e-4) and hi == pytest.approx(0.9433, abs=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)
    lo, hi = wilson(10, 10)
    assert hi == pytest.approx(1.0) and lo == pytest.approx(0.7225, abs=1e-4)  # 10 of 10 is no certain 100%


def test_rate_text_says_the_interval_and_counts():
    assert Rate(7, 8).text().startswith("87.5%（7/8，95% 区间 ")
    assert Rate(0, 0).text() == "无数据"


def test_confusion_counts_and_f1():
    c = Confusion.of(np.array([1, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 1]))
    assert (c.tp, c.fp, c.fn, c.tn) == (2, 1, 1, 1)
    assert c.f1 == pytest.approx(prf(2, 1, 1).f1) and c.errors == 2
    assert c.precision.n == 3 and c.recall.n == 3


def test_reliability_and_ece():
    p = np.array([0.1] * 10 + [0.9] * 10)
    y = np.array([0] * 9 + [1] + [1] * 9 + [0])
    rel = reliability(p, y)
    assert rel.ece == pytest.approx(0.0, abs=1e-12)  # 10% and 90% observed where predicted
    worse = reliability(np.array([0.5] * 20), y)
    assert worse.ece == pytest.approx(0.0, abs=1e-12) and worse.brier > rel.brier
    overconfident = reliability(np.array([0.0] * 10 + [1.0] * 10), y)
    assert overconfident.ece == pytest.approx(0.1)
    assert int(rel.count.sum()) == 20 and rel.to_json()["ece"] == 0.0


def test_log_loss_stays_finite_for_a_certain_mistake():
    assert np.isfinite(log_loss(np.array([1.0]), np.array([0.0])))


def test_pr_curve_over_thresholds():
    points = pr_curve(np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 0, 1, 0]), np.array([0.2, 0.5, 0.95]))
    assert [(p.precision, p.recall, p.predicted) for p in points] == [(2 / 3, 1.0, 3), (0.5, 0.5, 2), (None, 0.0, 0)]
