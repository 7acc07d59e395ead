"""Liaison of one province's 异地商会 (detector/layout/liaison.py), on hand-written registries."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from detector import regions
from detector.layout import liaison
from detector.profiles import build_profiles

HOME = regions.lookup("温州市")


class ZeroEmbedder:
    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def profiles(rows: list[tuple], members: list[tuple] = ()):
    """(id, name[, status]) rows; (association_id, member_name, role, person) members."""
    assoc = pd.DataFrame([{"id": r[0], "name": r[1], "status": r[2] if len(r) > 2 else "正常"} for r in rows])
    ms = pd.DataFrame(list(members), columns=["association_id", "member_name", "role", "person"]) if members else None
    return build_profiles(assoc, ms, ZeroEmbedder(), HOME)


def test_province_prefecture_and_county_origins_form_one_group():
    p = profiles([("A1", "温州市安徽六安商会"), ("A2", "温州市安徽商会"), ("A3", "温州市安徽霍邱商会"),
                  ("J1", "温州市江西商会")])
    result = liaison(p)
    assert len(result.groups) == 1  # 江西 alone forms none
    g = result.groups[0]
    assert (g.province, g.province_code) == ("安徽省", "340000")
    assert set(g.ids) == {"A1", "A2", "A3"}
    assert g.convener == "A2" and g.ids[0] == "A2"  # the province-level chamber convenes
    assert "温州市安徽商会" in g.convener_reason and "省级" in g.convener_reason
    assert dict(zip(g.ids, g.origin_levels)) == {"A2": "province", "A1": "prefecture", "A3": "county"}
    assert dict(zip(g.ids, g.origins))["A3"] == "霍邱县"


def test_taiwan_hong_kong_and_unknown_origins_stay_apart():
    p = profiles([("T1", "温州市台湾商会"), ("T2", "温州市台湾台北商会"), ("H1", "温州市香港商会"),
                  ("F1", "温州市福建商会"), ("F2", "瑞安市福建福鼎商会")])
    result = liaison(p)
    assert [g.province for g in result.groups] == ["福建省"]  # a 台湾 pair forms no group
    apart = {a.id: a for a in result.apart}
    assert set(apart) == {"T1", "T2", "H1"}
    assert "港澳台" in apart["T1"].reason
    typed = profiles([("X1", "温州市客家商会"), ("F1", "温州市福建商会")])
    # an origin group across provinces, as names.py gives it (no division, no province)
    typed.frame = typed.frame.assign(eff_type="异地商会", out_of_town=True)
    typed.frame.loc[0, ["origin", "origin_code", "origin_level", "origin_province"]] = ["客家", "g:客家", "group", ""]
    result = liaison(typed)
    assert not result.groups and [a.id for a in result.apart] == ["X1"]
    assert "省级行政区" in result.apart[0].reason


def test_an_origin_group_within_one_province_joins_it():
    p = profiles([("A1", "温州市安徽商会"), ("A2", "温州市安徽六安商会"), ("W1", "温州市皖北商会")])
    # 皖北 as names.py gives an origin group: no division, the one province it lies in
    row = p.frame.index[p.frame["id"] == "W1"][0]
    p.frame.loc[row, ["eff_type", "out_of_town"]] = ["异地商会", True]
    p.frame.loc[row, ["origin", "origin_code", "origin_level", "origin_province"]] = ["皖北", "g:皖北", "group", "安徽省"]
    (g,) = liaison(p).groups
    assert g.province == "安徽省" and set(g.ids) == {"A1", "A2", "W1"} and g.convener == "A1"
    assert g.ids[-1] == "W1"  # after the province- and prefecture-level origins


def test_convener_without_a_province_level_chamber_is_the_largest_and_shares_are_named():
    members = [("B1", "温州甲鞋业有限公司", "会长", "张大海"), ("B1", "温州乙电器有限公司", "会员", ""),
               ("B2", "温州甲鞋业有限公司", "副会长", "张大海"), ("B2", "温州丙阀门有限公司", "会员", ""),
               ("B2", "温州丁眼镜有限公司", "会员", ""), ("B3", "温州乙电器有限公司", "会员", "")]
    p = profiles([("B1", "温州市湖南邵阳商会"), ("B2", "温州市湖南衡阳商会"), ("B3", "乐清市湖南新化商会"),
                  ("B4", "温州市湖南岳阳商会", "注销")], members)
    g = liaison(p).groups[0]
    assert set(g.ids) == {"B1", "B2", "B3"}  # 注销 left out
    assert g.convener == "B2" and "会员最多（3 家）" in g.convener_reason
    assert g.ids == ["B2", "B1", "B3"]  # convener, then prefecture- before county-level origins
    shared = {m["name"]: m["ids"] for m in g.shared_members}
    assert shared == {"温州甲鞋业有限公司": ["B2", "B1"], "温州乙电器有限公司": ["B1", "B3"]}
    assert g.n_shared_members == 2 and g.shared == [1, 2, 1]  # per chamber, in the order of ids
    assert [x["person"] for x in g.shared_leaders] == ["张大海"]
    assert {x["role"] for x in g.shared_leaders[0]["posts"]} == {"会长", "副会长"}


def test_frame_and_json():
    p = profiles([("A1", "温州市安徽六安商会"), ("A2", "温州市安徽商会")])
    result = liaison(p)
    frame = result.frame()
    assert list(frame["id"]) == ["A2", "A1"] and frame["convener"].tolist() == [True, False]
    assert (frame["group"] == 1).all() and (frame["province"] == "安徽省").all()
    assert frame["shared_members"].tolist() == [0, 0]
    obj = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
    assert obj["groups"][0]["convener"] == "A2" and obj["apart"] == []


def test_in_the_study_result_apart_from_the_merger_groups(small_engine):
    from detector.study import run_study

    study = run_study(small_engine)
    jiangxi = next(g for g in study.liaison.groups if g.province == "江西省")
    assert set(jiangxi.ids) == {"R06", "R08"}
    assert study.liaison_frame()["id"].tolist() == [i for g in study.liaison.groups for i in g.ids]
    obj = json.loads(json.dumps(study.to_json(), ensure_ascii=False))
    assert obj["liaison"]["groups"][0]["convener"] in {"R06", "R08"}
