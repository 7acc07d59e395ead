"""The 515 plan's strength ranking (detector/layout/strength.py), on a hand-written registry."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from detector import regions
from detector.layout import strength_ranking
from detector.policy import RECTIFY, STRENGTH_COMPONENTS, SUPPORT, settings
from detector.profiles import build_profiles
from detector.rules import Finding, stats_index
from detector.study import member_counties

HOME = regions.lookup("温州市")


class ZeroEmbedder:
    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


ASSOCIATIONS = pd.DataFrame([
    {"id": "A", "name": "温州市鞋革行业协会", "region": "温州市", "industry": "鞋革"},
    {"id": "B", "name": "乐清市电气行业协会", "region": "乐清市", "industry": "电气"},
    {"id": "C", "name": "温州市安徽商会", "region": "温州市", "industry": ""},
    {"id": "D", "name": "温州市眼视光学会", "region": "温州市", "industry": ""},  # a 学会: not ranked
    {"id": "E", "name": "温州市包装行业协会", "region": "温州市", "industry": "包装", "status": "注销"},
])
MEMBERS = pd.DataFrame(
    [("A", f"温州{c}鞋业有限公司", place, 100.0) for c, place in zip("甲乙丙丁", ["鹿城区", "龙湾区", "瓯海区", "乐清市"])]
    + [("B", "乐清天正电气有限公司", "乐清市", 50.0), ("C", "温州皖南贸易有限公司", "鹿城区", None),
       ("C", "温州皖北实业有限公司", "瑞安市", None), ("D", "温州明目眼镜有限公司", "鹿城区", 10.0),
       ("E", "温州某包装有限公司", "鹿城区", 10.0)],
    columns=["association_id", "member_name", "member_region", "annual_sales"])
STATS = pd.DataFrame([("鞋革", "温州市", 10, 1000.0)], columns=["industry", "region", "units", "sales"])
FINDINGS = [Finding("B", "exit_no_staff", "info", "", {}), Finding("B", "leader_overlap", "warning", "", {}),
            Finding("A", "coverage_counties", "warning", "", {}),  # measured by the counties component: not again
            Finding("X", "member_burden", "info", "", {})]  # on an enterprise: no bearing on the ranking


@pytest.fixture(scope="module")
def ranking():
    p = build_profiles(ASSOCIATIONS.assign(status=ASSOCIATIONS["status"].fillna("正常")), MEMBERS, ZeroEmbedder(), HOME)
    return strength_ranking(p, FINDINGS, stats_index(STATS, HOME), member_counties(p), 12)


def test_components_by_hand_and_order(ranking):
    rows = {r.id: r for r in ranking.rows}
    assert set(rows) == {"A", "B", "C"}  # no 学会, nothing 注销
    a, b, c = rows["A"], rows["B"], rows["C"]
    assert a.components == {"counties": pytest.approx(4 / 12, abs=1e-4), "industry_units": 1.0,  # 40% ≥ 30%
                            "industry_sales": pytest.approx(0.8), "members": 1.0, "governance": 1.0,
                            "compliance": 1.0}
    assert a.score == pytest.approx(83.67, abs=0.01)
    assert b.components["counties"] is None and b.components["industry_units"] is None  # a county body, no stats
    assert b.components["governance"] == pytest.approx(5 / 6, abs=1e-4) and b.components["compliance"] == 0.5
    assert b.score == pytest.approx(40.0, abs=0.01)  # (0.2·0 + 0.15·5/6 + 0.15·0.5) / 0.5
    assert c.score == pytest.approx(61.90, abs=0.01)
    assert [r.id for r in ranking.rows] == ["A", "C", "B"] and [r.rank for r in ranking.rows] == [1, 2, 3]
    assert [(r.group, r.group_rank) for r in ranking.rows] == [("行业协会商会", 1), ("异地商会", 1), ("行业协会商会", 2)]
    assert "4/12" in a.evidence["counties"] and "退出机制信号 1 项" in b.evidence["governance"]


def test_contributions_add_up_to_the_score(ranking):
    for r in ranking.rows:
        assert sum(r.contributions.values()) == pytest.approx(r.score, abs=1e-6)
        assert set(r.contributions) == {c for c, v in r.components.items() if v is not None}
        assert all(0 <= v <= 1 for v in r.components.values() if v is not None)
    assert set(ranking.weights) == set(STRENGTH_COMPONENTS)


def test_bands_follow_policy_settings(monkeypatch):
    monkeypatch.setitem(settings(), "strength_top", 1)
    monkeypatch.setitem(settings(), "strength_bottom", 1)
    p = build_profiles(ASSOCIATIONS.assign(status="正常"), MEMBERS, ZeroEmbedder(), HOME)
    r = strength_ranking(p, FINDINGS, stats_index(STATS, HOME), member_counties(p), 12)
    assert [x.id for x in r.band(SUPPORT)] == ["A"]  # the one support place goes to the larger group
    (last,) = r.band(RECTIFY)
    assert last.group_rank == sum(x.group == last.group for x in r.rows)  # its group's last
    assert (r.top, r.bottom) == (1, 1) and sum(s for s, _ in r.places.values()) == 1


def test_places_are_shared_out_by_group_size():
    from detector.layout.strength import _places

    assert _places(50, {"行业协会商会": 3157, "异地商会": 6151}) == {"行业协会商会": 17, "异地商会": 33}
    assert _places(50, {"行业协会商会": 10, "异地商会": 2}) == {"行业协会商会": 10, "异地商会": 2}  # fewer than 50
    assert sum(_places(7, {"a": 1, "b": 1, "c": 1}).values()) == 3


def test_frame_and_json(ranking):
    frame = ranking.frame()
    assert list(frame["id"]) == ["A", "C", "B"]
    points = frame[[f"{c}_points" for c in STRENGTH_COMPONENTS]].sum(axis=1)
    assert np.allclose(points, frame["score"])
    obj = json.loads(json.dumps(ranking.to_json(), ensure_ascii=False, allow_nan=False))
    assert obj["rows"][0]["components"]["counties"] == pytest.approx(0.3333)
    assert obj["rows"][2]["components"]["counties"] is None


def test_in_the_study(small_engine):
    from detector.study import run_study

    study = run_study(small_engine)
    frame = study.strength_frame()
    assert len(frame) and frame["rank"].tolist() == list(range(1, len(frame) + 1))
    assert frame["score"].is_monotonic_decreasing
    assert "R14" not in set(frame["id"]) and "R10" not in set(frame["id"])  # 注销; a 学会
    assert study.to_json()["strength_ranking"]["top"] == settings()["strength_top"]
    from detector.console import format_study
    from detector.policy import MEASURE_TITLES

    text = format_study(study)
    assert all(title in text for title in MEASURE_TITLES.values())  # the console names each measure
    assert f"参评 {len(frame)} 家" in text
