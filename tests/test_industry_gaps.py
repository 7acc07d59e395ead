"""New-economy and uncovered industries (detector/layout/industries.py), on hand-written registries."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from detector import regions
from detector.errors import DetectorError
from detector.layout import fields_of, industry_gaps, new_economy_fields
from detector.profiles import build_profiles
from detector.rules import stats_index

HOME = regions.lookup("温州市")


class ZeroEmbedder:
    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def profiles(rows: list[tuple], members: pd.DataFrame | None = None):
    """(id, name, region, industry) rows."""
    frame = pd.DataFrame([dict(zip(("id", "name", "region", "industry"), r)) for r in rows])
    return build_profiles(frame, members, ZeroEmbedder(), HOME)


def stats(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["industry", "region", "units", "sales"])


BODIES = [("S1", "温州市鞋革行业协会", "温州市", "鞋革"), ("P1", "乐清市软件行业协会", "乐清市", "软件")]
STATS = stats([
    # 眼镜: 150 of 200 enterprises in 鹿城区, no body anywhere → a gap in 鹿城区
    ("眼镜", "温州市", 200, 300000), ("眼镜", "鹿城区", 150, 250000), ("眼镜", "瓯海区", 50, 50000),
    # 鞋革: spread, with a city-level body → covered
    ("鞋革", "温州市", 900, 900000), ("鞋革", "鹿城区", 300, 300000), ("鞋革", "瓯海区", 300, 300000),
    ("鞋革", "乐清市", 300, 300000),
    # 软件: spread, only a county body (乐清) → a gap at the city level, and new economy
    ("软件", "温州市", 80, 120000), ("软件", "鹿城区", 30, 50000), ("软件", "乐清市", 30, 50000),
    ("软件", "瑞安市", 20, 20000),
    # 茶叶: small → not checked
    ("茶叶", "温州市", 5, 100),
    ("不知所云", "温州市", 99, 1000),
])


def test_gaps_from_industry_stats():
    gaps = industry_gaps(profiles(BODIES), stats_index(STATS, HOME))
    rows = {r.industry: r for r in gaps.rows}
    assert set(rows) == {"眼镜", "软件"}
    assert gaps.checked == 3 and gaps.covered == 1  # 鞋革 covered; 茶叶 too small
    eyewear, software = rows["眼镜"], rows["软件"]
    assert eyewear.expected == "鹿城区" and "75%" in eyewear.concentration
    assert eyewear.units == 200 and eyewear.sales == 300000 and eyewear.basis == "行业统计"
    assert software.expected == "温州市（市本级）" and software.existing == ["乐清市软件行业协会"]
    assert "数字经济" in software.new_economy and not eyewear.new_economy
    assert [r.rank for r in gaps.rows] == [1, 2] and gaps.rows[0].share >= gaps.rows[1].share
    assert gaps.unmatched == ["不知所云"]
    assert "industry_stats.csv" in gaps.basis
    obj = json.loads(json.dumps(gaps.to_json(), ensure_ascii=False, allow_nan=False))
    assert obj["rows"][0]["rank"] == 1 and {f["key"] for f in obj["fields"]} >= {"digital_economy", "low_altitude"}
    digital = next(f for f in obj["fields"] if f["key"] == "digital_economy")
    assert digital["associations"] == ["乐清市软件行业协会"] and digital["units"] == 80


def test_a_body_in_the_concentrated_county_covers_it():
    bodies = [*BODIES, ("E1", "鹿城区眼镜行业协会", "鹿城区", "眼镜")]
    gaps = industry_gaps(profiles(bodies), stats_index(STATS, HOME))
    assert "眼镜" not in {r.industry for r in gaps.rows}
    bodies = [*BODIES, ("E2", "瓯海区眼镜行业协会", "瓯海区", "眼镜")]  # not where the enterprises are
    eyewear = next(r for r in industry_gaps(profiles(bodies), stats_index(STATS, HOME)).rows if r.industry == "眼镜")
    assert eyewear.existing == ["瓯海区眼镜行业协会"]


def test_without_statistics_member_enterprises_decide_and_the_basis_says_so():
    names = [f"温州{c}软件科技有限公司" for c in "甲乙丙丁戊己庚辛壬癸子丑"]
    ms = pd.DataFrame({"association_id": "H1", "member_name": names + ["温州某鞋业有限公司"],
                       "member_region": ["鹿城区"] * 4 + ["乐清市"] * 4 + ["瑞安市"] * 5})
    gaps = industry_gaps(profiles([("H1", "温州市河南商会", "温州市", "")], ms), None)
    assert [r.industry_key for r in gaps.rows] == ["software"]  # the one 鞋业 member is too few
    row = gaps.rows[0]
    assert row.basis == "会员企业" and row.member_enterprises == 12 and row.units is None
    assert "未提供行业统计" in gaps.basis and "已入会" in gaps.basis


def test_nothing_to_go_on():
    gaps = industry_gaps(profiles(BODIES), None)
    assert not gaps.rows and "无法识别" in gaps.basis


def test_new_economy_fields_by_gbt_code():
    assert {f.key for f in new_economy_fields()} >= {"digital_economy", "new_energy", "integrated_circuits",
                                                     "low_altitude", "biomedicine", "ecommerce"}
    assert all(f.basis and f.gbt for f in new_economy_fields())
    assert [f.key for f in fields_of("new_energy")] == ["new_energy"]
    assert "ecommerce" in {f.key for f in fields_of("ecommerce")}
    assert "biomedicine" in {f.key for f in fields_of("pharma")}
    assert fields_of("machinery") == ()  # 34/35 as a whole is not 3491 工业机器人制造
    assert fields_of("footwear") == () and fields_of("") == ()


def test_a_broken_field_list_names_the_entry(tmp_path):
    bad = tmp_path / "new_economy.toml"
    bad.write_text('[[field]]\nkey = "x"\nname = "某领域"\nbasis = "某分类"\ngbt = ["39A"]\n', encoding="utf-8")
    with pytest.raises(DetectorError, match="第 1 个条目.*GB/T 4754"):
        new_economy_fields(bad)


def test_a_body_declaring_the_statistics_industry_covers_it_a_related_one_does_not():
    used = stats([("二手车", "温州市", 400, 400000), ("二手车", "鹿城区", 150, 150000), ("二手车", "瑞安市", 150, 150000),
                  ("二手车", "乐清市", 100, 100000)])
    bodies = [("U1", "温州市二手车交易行业促进会", "温州市", "二手车")]  # declares 二手车, whatever its key
    gaps = industry_gaps(profiles(bodies), stats_index(used, HOME))
    assert gaps.checked == 1 and gaps.covered == 1 and not gaps.rows
    express = stats([("快递", "温州市", 400, 400000), ("快递", "鹿城区", 150, 150000), ("快递", "瑞安市", 250, 250000)])
    bodies = [("L1", "温州市物流行业协会", "温州市", "物流")]  # related (物流), not the same industry
    assert [r.industry for r in industry_gaps(profiles(bodies), stats_index(express, HOME)).rows] == ["快递"]


def test_member_enterprises_in_a_related_body_are_covered():
    names = [f"温州{c}光学有限公司" for c in "甲乙丙丁戊己庚辛壬癸子丑"]
    ms = pd.DataFrame({"association_id": "E1", "member_name": names, "member_region": "鹿城区"})
    gaps = industry_gaps(profiles([("E1", "温州市眼镜行业协会", "温州市", "眼镜")], ms), None)
    assert gaps.checked == 1 and not gaps.rows  # 光学 (optics) is related to 眼镜
