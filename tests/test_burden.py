"""Enterprises' membership burden (detector/layout/burden.py), on hand-written registries."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from detector import regions
from detector.layout import member_burden
from detector.policy import SEVERITY, rule_title, settings
from detector.profiles import build_profiles
from detector.rules import to_json

HOME = regions.lookup("温州市")
NAMES = ["温州市鞋革行业协会", "温州市皮革行业协会", "温州市服装商会", "温州市眼镜行业协会", "温州市电气行业协会",
         "温州市五金商会", "温州市锁具行业协会"]


class ZeroEmbedder:
    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def profiles(members: list[tuple], status: dict[str, str] | None = None):
    """Associations A1…A7 (NAMES); (association_id, member_name, member_id, role) members."""
    assoc = pd.DataFrame({"id": [f"A{k}" for k in range(1, 8)], "name": NAMES,
                          "status": [(status or {}).get(f"A{k}", "正常") for k in range(1, 8)]})
    ms = pd.DataFrame(members, columns=["association_id", "member_name", "member_id", "role"])
    return build_profiles(assoc, ms, ZeroEmbedder(), HOME)


def test_an_enterprise_in_six_associations_gets_a_finding_naming_them():
    assert settings()["member_burden_above"] == 5
    six = [(f"A{k}", "温州大明鞋业有限公司", "91330300MA2ABCDE1X", "副会长" if k in (1, 2) else "会员")
           for k in range(1, 7)]
    five = [(f"A{k}", "温州小明电器有限公司", "", "") for k in range(1, 6)]
    b = member_burden(profiles(six + five))
    assert b.threshold == 5 and b.enterprises == 2 and b.distribution == {5: 1, 6: 1}
    assert len(b.above) == 1
    e = b.above[0]
    assert (e.id, e.member_id, e.associations, e.posts) == ("91330300MA2ABCDE1X", "91330300MA2ABCDE1X", 6, 2)
    assert [h["id"] for h in e.held] == ["A1", "A2", "A3", "A4", "A5", "A6"]
    (f,) = b.findings()
    assert f.rule == "member_burden" and f.severity == SEVERITY["member_burden"] == "info"
    assert f.id == "91330300MA2ABCDE1X" and rule_title(f.rule) == "企业加入协会商会数量偏多"
    assert "温州大明鞋业有限公司 加入 6 家协会商会" in f.message and "其中 2 家任副会长及以上职务" in f.message
    assert all(name in f.message for name in NAMES[:6]) and "温州市鞋革行业协会（副会长）" in f.message
    assert json.loads(json.dumps(to_json(f, evidence=True), ensure_ascii=False))["evidence"]["associations"] == 6


def test_counts_each_association_once_and_only_active_ones_and_enterprises():
    rows = [(f"A{k}", "温州大明鞋业有限公司", "", "会员") for k in range(1, 7)]
    rows += [("A1", "温州大明鞋业有限公司", "", "理事")]  # listed twice in A1
    rows += [(f"A{k}", "张三", "", "会员") for k in range(1, 8)]  # a person, not an enterprise
    b = member_burden(profiles(rows, {"A6": "注销"}))
    assert b.distribution == {5: 1} and not b.above  # A6 is 注销; A1 counts once


def test_the_same_enterprise_by_credit_code_under_two_names():
    code = "91330300MA2ABCDE1X"
    rows = [(f"A{k}", "温州大明鞋业有限公司", code, "会员") for k in range(1, 4)]
    rows += [(f"A{k}", "温州大明鞋业股份有限公司", code, "会员") for k in range(4, 8)]
    b = member_burden(profiles(rows))
    assert [(e.id, e.associations) for e in b.above] == [(code, 7)]
    assert b.above[0].name == "温州大明鞋业有限公司"  # as first written


def test_an_enterprise_without_a_credit_code_is_named_by_its_normalised_name():
    rows = [(f"A{k}", "温州大明（鞋业）有限公司", "", "会员") for k in range(1, 8)]
    b = member_burden(profiles(rows))
    e = b.above[0]
    assert e.member_id == "" and e.id == "温州大明鞋业有限公司" and e.associations == 7
    frame = b.frame()
    assert list(frame.columns) == ["id", "name", "member_id", "associations", "posts", "held"]
    assert frame.loc[0, "associations"] == 7


def test_in_the_study(small_engine):
    from detector.study import run_study

    study = run_study(small_engine)
    assert study.burden.enterprises > 0 and sum(study.burden.distribution.values()) == study.burden.enterprises
    obj = json.loads(json.dumps(study.to_json(), ensure_ascii=False))
    assert obj["member_burden"]["threshold"] == 5
    found = [f for f in study.findings if f.rule == "member_burden"]
    assert [f.id for f in found] == [e.id for e in study.burden.above]
