"""People counted as people (detector/members.py person keys, rules leader_overlap / leader_overlap_unverified):
a person is a person_id, or a name at one enterprise; posts only a name links are namesakes (同名待核实)."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from detector import regions
from detector.members import member_table
from detector.profiles import build_profiles
from detector.rules import check_rules, leader_posts

HOME = regions.lookup("温州市")
ASSOCIATIONS = ["温州市鞋革行业协会", "温州市眼镜行业协会", "温州市泵阀行业协会", "温州市电气行业协会", "温州市汽摩配行业协会",
                "温州市印刷行业协会", "温州市服装商会"]


class ZeroEmbedder:
    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def frame(names: list[str], prefix: str = "W") -> pd.DataFrame:
    rows = pd.DataFrame({"id": [f"{prefix}{k}" for k in range(len(names))], "name": names})
    return build_profiles(rows, None, ZeroEmbedder(), HOME).frame


def members(rows: list[tuple], columns=("association_id", "member_name", "member_kind", "role", "person")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def found(f: pd.DataFrame, ms: pd.DataFrame, **kw) -> dict[str, dict[str, object]]:
    """rule → {association id: finding}."""
    out: dict[str, dict[str, object]] = {}
    for x in check_rules(f, ms, None, HOME, as_of=date(2024, 12, 31), **kw):
        if x.rule.startswith("leader_overlap"):
            assert x.id not in out.setdefault(x.rule, {})
            out[x.rule][x.id] = x
    return out


def test_person_keys():
    ms = members([
        ("A", "温州市康华鞋业有限公司", "企业", "会长", "王建国"),
        ("B", "温州市 康华鞋业有限公司", "企业", "副会长", "王 建国"),  # the same person at the same enterprise
        ("C", "温州市长城汽摩配件有限公司", "企业", "副会长", "王建国"),  # another enterprise
        ("D", "王建国", "个人", "副会长", "王建国"),  # an individual member: only a name
        ("E", "李明", "个人", "会长", ""),  # no post holder named
    ])
    t = member_table(ms, HOME)
    assert t.person_key.tolist() == ["王建国@nm:温州市康华鞋业有限公司", "王建国@nm:温州市康华鞋业有限公司",
                                     "王建国@nm:温州市长城汽摩配件有限公司", "", ""]
    with_ids = member_table(ms.assign(person_id=["33030219700101001X", "", "33030219700101001x", "", ""]), HOME)
    assert with_ids.person_key.tolist()[:3] == ["pid:33030219700101001X", "王建国@nm:温州市康华鞋业有限公司",
                                                "pid:33030219700101001X"]


def test_one_name_at_one_enterprise_is_one_person():
    f = frame(ASSOCIATIONS[:3])
    ms = members([(f"W{k}", "温州市康华鞋业有限公司", "企业", "副会长", "王建国") for k in range(3)])
    hits = found(f, ms)
    assert set(hits) == {"leader_overlap"} and set(hits["leader_overlap"]) == {"W0", "W1", "W2"}
    assert hits["leader_overlap"]["W0"].message.startswith("王建国（代表温州市康华鞋业有限公司）在 3 家协会商会")


def test_a_name_at_several_enterprises_is_never_asserted():
    f = frame(ASSOCIATIONS[:4])
    ms = members([
        ("W0", "温州市康华鞋业有限公司", "企业", "会长", "王建国"),
        ("W1", "温州市康华鞋业有限公司", "企业", "副会长", "王建国"),
        ("W2", "温州市长城汽摩配件有限公司", "企业", "常务副会长", "王建国"),
        ("W3", "王建国", "个人", "副会长", "王建国"),
    ])
    hits = found(f, ms)
    assert "leader_overlap" not in hits
    namesakes = hits["leader_overlap_unverified"]
    assert set(namesakes) == {"W0", "W1", "W2", "W3"}
    f0 = namesakes["W0"]
    assert f0.severity == "info" and f0.message.startswith("同名待核实：王建国 在 4 家协会商会")
    assert "未必是同一人" in f0.message and "温州市长城汽摩配件有限公司" in f0.message
    assert f0.evidence["persons"][0]["count"] == 4


def test_a_person_id_links_posts_across_enterprises():
    f = frame(ASSOCIATIONS[:3])
    ms = members([
        ("W0", "温州市康华鞋业有限公司", "企业", "会长", "王建国", "330302197001010011"),
        ("W1", "温州市明亮眼镜有限公司", "企业", "副会长", "王建国", "330302197001010011"),
        ("W2", "温州市东方泵阀有限公司", "企业", "副会长", "王建国", "330302197001010011"),
    ], columns=("association_id", "member_name", "member_kind", "role", "person", "person_id"))
    hits = found(f, ms)
    assert set(hits) == {"leader_overlap"} and len(hits["leader_overlap"]) == 3
    assert "人员编号 330302197001010011" in hits["leader_overlap"]["W1"].message
    # two different ids under one name: two people, so at most namesakes
    ms.loc[2, "person_id"] = "330302198505050022"
    hits = found(f, ms)
    assert "leader_overlap" not in hits and set(hits["leader_overlap_unverified"]) == {"W0", "W1", "W2"}


def test_an_identified_person_and_a_namesake():
    f = frame(ASSOCIATIONS[:4])
    ms = members([(f"W{k}", "温州市康华鞋业有限公司", "企业", "副会长", "张伟") for k in range(3)]
                 + [("W3", "温州市红星电气有限公司", "企业", "会长", "张伟")])
    hits = found(f, ms)
    assert set(hits["leader_overlap"]) == {"W0", "W1", "W2"}
    assert set(hits["leader_overlap_unverified"]) == {"W3"}  # the other 张伟: same name, another enterprise


def test_a_common_name_in_hundreds_of_associations():
    n = 300
    f = frame([f"温州市第{k}行业协会" for k in range(n)])
    ms = members([(f"W{k}", f"温州市{k}号实业有限公司", "企业", "副会长", "张伟") for k in range(n)]
                 + [(f"W{k}", "温州市瓯江电器有限公司", "企业", "会长", "王芳") for k in range(3)])
    hits = found(f, ms)
    assert set(hits["leader_overlap"]) == {"W0", "W1", "W2"}  # 王芳 of one enterprise
    namesakes = hits["leader_overlap_unverified"]
    assert len(namesakes) == n
    assert all(len(x.evidence["persons"][0]["examples"]) == 5 for x in namesakes.values())  # a few, not all 300
    assert namesakes["W7"].evidence["persons"][0]["examples"][0]["id"] == "W7"
    assert namesakes["W7"].message.endswith(" 等")


def test_screening_counts_the_registry_posts_of_the_same_person():
    registry = frame(ASSOCIATIONS[:3], "R")
    registry_members = members([("R0", "温州市康华鞋业有限公司", "企业", "会长", "王建国"),
                                ("R1", "温州市康华鞋业有限公司", "企业", "副会长", "王建国"),
                                ("R2", "温州市长城汽摩配件有限公司", "企业", "副会长", "王建国")])
    apps = frame(["温州市鞋业商会", "温州市汽摩配商会"], "A")
    app_members = members([("A0", "温州市康华鞋业有限公司", "企业", "副会长", "王建国"),
                           ("A1", "温州市新星汽摩配有限公司", "企业", "会长", "王建国")])
    context = leader_posts(registry, registry_members, HOME)
    hits = found(apps, app_members, context=context)
    assert set(hits["leader_overlap"]) == {"A0"}  # 康华鞋业's 王建国: R0, R1 and A0
    assert [a["id"] for a in hits["leader_overlap"]["A0"].evidence["persons"][0]["associations"]] == ["A0", "R0", "R1"]
    assert set(hits["leader_overlap_unverified"]) == {"A1"}  # another enterprise's 王建国
