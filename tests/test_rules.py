"""Policy rules (detector/rules.py): one focused test per rule, positive and negative cases."""
from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from detector import regions
from detector.embed import EmbeddingCache, Embedder
from detector.io import load_registry
from detector.lab.synth import SynthConfig, generate
from detector.policy import RECORD_DUPLICATE, settings
from detector.profiles import build_profiles
from detector.regions import resolve_region
from detector.rules import RULES, Finding, check_rules, findings_frame, leader_posts, to_json

HOME = regions.lookup("温州市")
AS_OF = date(2024, 12, 31)


class ZeroEmbedder:
    """Rules never look at embeddings: profiles without the model."""

    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def profile(rows: list[dict]) -> pd.DataFrame:
    return build_profiles(pd.DataFrame(rows), None, ZeroEmbedder(), HOME).frame


def members(rows: list[tuple]) -> pd.DataFrame:
    """(association_id, member_name, member_region, member_kind, role, person, annual_sales) tuples."""
    columns = ["association_id", "member_name", "member_region", "member_kind", "role", "person", "annual_sales"]
    return pd.DataFrame([r + ("",) * (len(columns) - len(r)) for r in rows], columns=columns)


def hits(findings: list[Finding], rule: str) -> dict[str, Finding]:
    found = [f for f in findings if f.rule == rule]
    assert len({f.id for f in found}) == len(found), "one finding per association and rule"
    return {f.id: f for f in found}


def run(frame: pd.DataFrame, ms: pd.DataFrame | None = None, stats: pd.DataFrame | None = None, **kw) -> list[Finding]:
    return check_rules(frame, ms, stats, HOME, as_of=AS_OF, **kw)


# ------------------------------------------------------------------------------------------- places


@pytest.mark.parametrize(("value", "expected"), [
    ("乐清", "乐清市"), ("乐清市", "乐清市"), ("浙江省温州市鹿城区", "鹿城区"), ("市本级", "温州市"),
    ("龙港", "龙港市"), ("福建省", "福建省"), ("", None), ("不详", None),
])
def test_resolve_region(value, expected):
    d = resolve_region(value, HOME)
    assert (d.name if d else None) == expected


# ------------------------------------------------------------------------------------- layout rules


def test_county_chamber_at_city():
    frame = profile([
        {"id": "C1", "name": "温州市福建福鼎商会"},  # city level, county origin: forbidden
        {"id": "C2", "name": "温州市福建商会"},  # province origin
        {"id": "C3", "name": "温州市安徽六安商会"},  # prefecture origin
        {"id": "C4", "name": "瑞安市福建福鼎商会"},  # county-level chamber: not 市本级
        {"id": "C5", "name": "温州市江西余江商会", "status": "注销"},
    ])
    found = hits(run(frame), "county_chamber_at_city")
    assert set(found) == {"C1"}
    f = found["C1"]
    assert f.severity == "error"
    assert f.message == "市本级不再新成立在温州的县级异地商会：籍贯 福鼎市（县级，福建省）"
    assert f.evidence["origin"] == "福鼎市"


def test_county_chamber_names_the_registry_city():
    hangzhou = regions.lookup("杭州市")
    frame = build_profiles(pd.DataFrame([{"id": "H1", "name": "杭州市福建福鼎商会"}]), None, ZeroEmbedder(), hangzhou).frame
    [f] = check_rules(frame, None, None, hangzhou)
    assert f.rule == "county_chamber_at_city" and "在杭州的县级异地商会" in f.message


def test_coverage_counties():
    frame = profile([
        {"id": "A1", "name": "温州市鞋革行业协会"},
        {"id": "A2", "name": "温州市眼镜行业协会"},
        {"id": "A3", "name": "鹿城区鞋革行业协会"},  # county level: not applicable
        {"id": "A4", "name": "温州市福建商会"},  # 异地商会: not applicable
    ])
    narrow = ["鹿城区", "龙湾", "瓯海区", "瑞安市", "鹿城区"]  # 4 of 12 units
    wide = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "永嘉县", "平阳县", "苍南"]  # 7 of 12
    ms = members(
        [("A1", f"温州市鞋企{i}有限公司", r) for i, r in enumerate(narrow)]
        + [("A2", f"温州市眼镜{i}有限公司", r) for i, r in enumerate(wide)]
        + [("A3", "鹿城区鞋企有限公司", "鹿城区"), ("A4", "福建企业有限公司", "鹿城区")]
    )
    found = hits(run(frame, ms), "coverage_counties")
    assert set(found) == {"A1"}
    f = found["A1"]
    assert f.message.startswith("会员仅覆盖 4/12 个县级单位（鹿城区、龙湾区、瓯海区、瑞安市），未超过 50%；未覆盖：")
    assert "乐清市" in f.message and "龙港市" in f.evidence["missing"] and len(f.evidence["missing"]) == 8
    # members without member_region: nothing to judge
    assert not hits(run(frame, ms.drop(columns="member_region")), "coverage_counties")
    assert not hits(run(frame, ms.assign(member_region="")), "coverage_counties")


def test_coverage_counties_six_of_twelve_is_not_more_than_half():
    frame = profile([{"id": "A1", "name": "温州市泵阀行业协会"}])
    six = ["鹿城区", "龙湾区", "瓯海区", "洞头区", "永嘉县", "平阳县"]
    seven = six + ["乐清市"]
    assert hits(run(frame, members([("A1", f"泵阀{i}有限公司", r) for i, r in enumerate(six)])), "coverage_counties")
    assert not hits(run(frame, members([("A1", f"泵阀{i}有限公司", r) for i, r in enumerate(seven)])), "coverage_counties")


STATS = pd.DataFrame([
    {"industry": "鞋业", "region": "温州市", "units": 100, "sales": 100000.0},
    {"industry": "眼镜", "region": "温州市", "units": 50, "sales": 80000.0},
    {"industry": "泵阀", "region": "温州市", "units": 100, "sales": 50000.0},
    {"industry": "茶叶", "region": "鹿城区", "units": 40, "sales": 9000.0},
])


def test_coverage_share():
    frame = profile([
        {"id": "S1", "name": "温州市鞋革行业协会", "industry": "鞋革"},  # matched through the industry key
        {"id": "S2", "name": "温州市眼镜行业协会", "industry": "眼镜"},  # 40% of units
        {"id": "S3", "name": "温州市泵阀行业协会", "industry": "泵阀"},  # few units, most sales
        {"id": "S4", "name": "鹿城区茶叶协会", "industry": "茶叶"},  # county row
        {"id": "S5", "name": "温州市茶叶协会", "industry": "茶叶"},  # no stats row for the city
    ])
    ms = members(
        [("S1", f"鞋企{i}有限公司", "鹿城区", "企业", "会员", "", "2000") for i in range(10)]
        + [("S2", f"眼镜{i}有限公司", "鹿城区", "企业", "会员", "", "100") for i in range(20)]
        + [("S3", f"泵阀{i}有限公司", "瓯海区", "企业", "会员", "", "9000") for i in range(5)]
        + [("S4", f"茶企{i}有限公司", "鹿城区", "企业", "会员", "", "200") for i in range(4)]
        + [("S4", "张三", "鹿城区", "个人")]
        + [("S5", f"茶企{i}有限公司", "鹿城区", "企业", "会员", "", "200") for i in range(4)]
    )
    found = hits(run(frame, ms, STATS), "coverage_share")
    assert set(found) == {"S1", "S4"}
    f = found["S1"]
    assert "会员企业 10 家，仅占温州市鞋业行业企业 100 家的 10.0%（应不低于 30%）" in f.message
    assert "会员销售额 20,000 万元，仅占该行业销售额 100,000 万元的 20.0%（应不低于 50%）" in f.message
    assert found["S4"].evidence["members"] == 4  # individual members are not enterprises
    assert not hits(run(frame, ms, None), "coverage_share")
    assert not hits(run(frame, ms.drop(columns="annual_sales"), STATS), "coverage_share")


def test_member_outside_region():
    frame = profile([
        {"id": "M1", "name": "鹿城区鞋革行业协会"},
        {"id": "M2", "name": "鹿城区茶叶协会"},
        {"id": "M3", "name": "温州市眼镜行业协会"},
        {"id": "M4", "name": "温州市泵阀行业协会"},
        {"id": "M5", "name": "瑞安市福建商会"},  # 异地商会 members are registered where the chamber is
    ])
    ms = members([
        ("M1", "温州甲鞋业有限公司", "鹿城区"), ("M1", "温州乙鞋业有限公司", "鹿城"),
        ("M1", "瑞安丙鞋业有限公司", "瑞安市"), ("M1", "福州丁鞋业有限公司", "福建省福州市"),
        ("M2", "温州甲茶叶有限公司", "鹿城区"), ("M2", "温州乙茶叶有限公司", ""),
        ("M2", "李四", "瑞安市", "个人"),  # individuals are not registered enterprises
        ("M3", "乐清眼镜有限公司", "乐清"), ("M3", "瑞安眼镜有限公司", "瑞安市"), ("M3", "温州眼镜有限公司", "温州市"),
        ("M4", "温州泵阀有限公司", "龙湾区"), ("M4", "杭州泵阀有限公司", "杭州市"),
        ("M5", "福建甲贸易有限公司", "瑞安市"), ("M5", "福建乙贸易有限公司", "平阳县"),
    ])
    found = hits(run(frame, ms), "member_outside_region")
    assert set(found) == {"M1", "M4", "M5"}
    f = found["M1"]
    assert f.message == ("2 家会员企业的登记地不在本会所在行政区域（鹿城区）内（共 4 家有登记地）："
                         "瑞安丙鞋业有限公司（瑞安市）、福州丁鞋业有限公司（福建省福州市）")
    assert f.evidence["outside"] == 2 and f.evidence["with_region"] == 4
    assert found["M4"].evidence["examples"] == [{"name": "杭州泵阀有限公司", "region": "杭州市"}]
    assert found["M5"].evidence["outside"] == 1


def test_member_outside_region_lists_at_most_five():
    frame = profile([{"id": "M1", "name": "鹿城区鞋革行业协会"}])
    ms = members([("M1", f"瑞安鞋企{i}有限公司", "瑞安市") for i in range(7)])
    [f] = run(frame, ms)
    assert f.message.startswith("7 家会员企业") and f.message.endswith(" 等") and f.message.count("瑞安鞋企") == 5
    assert len(f.evidence["examples"]) == 5


def test_non_industry_member():
    frame = profile([
        {"id": "N1", "name": "温州市鞋革行业协会"},
        {"id": "N2", "name": "温州市企业家协会"},  # not about one industry
        {"id": "N3", "name": "温州市鞋业研究会"},
        {"id": "N4", "name": "温州市福建商会"},
        {"id": "N5", "name": "温州市眼镜行业协会"},
    ])
    mixed = ["温州市达飞鞋业有限公司", "温州市恒元制革有限公司", "温州市康凡食品有限公司", "温州市华中装饰工程有限公司",
             "温州市斯威商贸有限公司", "温州市飞尔建设科技有限公司", "浙江鞋都食品有限公司", "王五"]
    ms = members([(aid, name) for aid in ("N1", "N2", "N3", "N4") for name in mixed]
                 + [("N5", "温州市明亮眼镜有限公司"), ("N5", "温州市光学镜片有限公司")])
    found = hits(run(frame, ms), "non_industry_member")
    assert set(found) == {"N1"}
    f = found["N1"]
    # same (鞋业), related (制革), vague (商贸), no industry word, two industries (鞋 + 食品): not flagged
    assert f.message == ("2 家会员企业的名称显示其主营与本会行业（鞋业）无关："
                         "温州市康凡食品有限公司（食品）、温州市华中装饰工程有限公司（装饰装修）")
    assert f.evidence["count"] == 2


def test_leader_overlap_across_registry_and_applications():
    registry = profile([
        {"id": "R1", "name": "温州市鞋革行业协会"},
        {"id": "R2", "name": "温州市企业家协会"},
        {"id": "R3", "name": "温州市泵阀行业协会", "status": "注销"},
        {"id": "R4", "name": "温州市个体劳动者协会"},
    ])
    registry_members = members([
        ("R1", "甲鞋业有限公司", "鹿城区", "企业", "会长", "王建国"),
        ("R2", "甲鞋业有限公司", "鹿城区", "企业", "副会长", "王 建国"),
        ("R3", "甲鞋业有限公司", "鹿城区", "企业", "会长", "王建国"),  # dissolved: does not count
        ("R4", "甲鞋业有限公司", "鹿城区", "企业", "理事", "王建国"),  # not a leader post
        ("R4", "乙茶叶有限公司", "鹿城区", "企业", "会长", "李明"),
    ])
    # two posts in the registry: no finding
    assert not hits(run(registry, registry_members), "leader_overlap")
    apps = profile([{"id": "A1", "name": "温州市鞋业商会"}, {"id": "A2", "name": "温州市模具行业协会"}])
    app_members = members([
        ("A1", "甲鞋业有限公司", "鹿城区", "企业", "常务副会长", "王建国"),
        ("A2", "乙模具有限公司", "鹿城区", "企业", "会长", "李明"),
    ])
    found = hits(run(apps, app_members, context=leader_posts(registry, registry_members)), "leader_overlap")
    assert set(found) == {"A1"}  # findings only for the screened rows
    f = found["A1"]
    assert f.message == ("王建国（代表甲鞋业有限公司）在 3 家协会商会担任副会长及以上职务（达到 3 家即提示）："
                         "温州市鞋业商会（常务副会长）、温州市鞋革行业协会（会长）、温州市企业家协会（副会长）")
    assert [a["id"] for a in f.evidence["persons"][0]["associations"]] == ["A1", "R1", "R2"]
    # a raw registry frame (status instead of the profiles' active flag) works as context too
    raw = registry[["id", "name", "status"]]
    assert hits(run(apps, app_members, context=leader_posts(raw, registry_members)), "leader_overlap") == found
    # without the registry the application alone is no overlap
    assert not hits(run(apps, app_members), "leader_overlap")


def test_leader_overlap_within_one_registry():
    frame = profile([{"id": f"L{i}", "name": name} for i, name in enumerate(["温州市鞋革行业协会", "温州市眼镜行业协会",
                                                                           "温州市泵阀行业协会"])])
    same = members([(f"L{i}", "赵氏实业有限公司", "鹿城区", "企业", "副会长", "赵六") for i in range(3)])
    found = hits(run(frame, same), "leader_overlap")
    assert set(found) == {"L0", "L1", "L2"}
    assert all(f.evidence["persons"][0]["person"] == "赵六" for f in found.values())
    assert not hits(run(frame, same.drop(columns="person")), "leader_overlap")
    # three enterprises' 赵六: only the name links the posts (see tests/test_people.py)
    other = members([(f"L{i}", f"企业{i}有限公司", "鹿城区", "企业", "副会长", "赵六") for i in range(3)])
    assert not hits(run(frame, other), "leader_overlap")
    assert set(hits(run(frame, other), "leader_overlap_unverified")) == {"L0", "L1", "L2"}


def test_research_enterprise_share():
    frame = profile([
        {"id": "Y1", "name": "温州市鞋业研究会"},
        {"id": "Y2", "name": "温州市眼镜学会"},
        {"id": "Y3", "name": "温州市鞋革行业协会"},  # not a 研究会/学会
    ])
    people = ["陈明", "林芳", "王强", "李娜", "张伟", "刘洋", "黄磊", "周敏", "吴刚", "郑丽", "孙浩"]
    ms = members(
        [("Y1", p, "鹿城区", "个人") for p in people] + [("Y1", "温州甲鞋业有限公司", "鹿城区", "企业")]  # 1/12 = 8.3%
        + [("Y2", p, "鹿城区", "个人") for p in people[:9]]
        + [("Y2", f"眼镜{i}有限公司", "鹿城区", "企业") for i in range(3)]  # 3/12 = 25%
        + [("Y3", f"鞋企{i}有限公司", "鹿城区", "企业") for i in range(5)]
    )
    found = hits(run(frame, ms), "research_enterprise_share")
    assert set(found) == {"Y2"}
    assert found["Y2"].message == "企业会员 3/12 家（25.0%），超过学会企业会员不超过 10% 的要求"
    # member_kind absent: inferred from the names (FORMAT.md)
    assert set(hits(run(frame, ms.drop(columns="member_kind")), "research_enterprise_share")) == {"Y2"}


# ---------------------------------------------------------------------------------------- exit signals

EXIT_CSV = """id,name,founded,status,staff_fulltime,has_office,funding,last_election,term_years,inspection,party_members
E1,温州市鞋革行业协会,2000-01-01,正常,0,否,,2018-01-01,5,不合格,0
E2,温州市眼镜行业协会,2000-01-01,正常,3,是,会费,2021-06-01,5,合格,5
E3,温州市泵阀行业协会,2000-01-01,正常,,,会费,2021-06-01,3,未参检,2
E4,温州市茶叶协会,2000-01-01,注销,0,否,,2010-01-01,5,未参检,0
E5,温州市模具行业协会,2000-01-01,正常,2,是,会费,2019-12-31,5,基本合格,
"""


@pytest.fixture(scope="module")
def exit_registry(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exit")
    (folder / "associations.csv").write_text(EXIT_CSV, encoding="utf-8")
    return load_registry(folder)


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "strings"])
def test_exit_signals(exit_registry, typed):
    associations = exit_registry.associations
    if not typed:  # every cell as text, as from a raw CSV
        associations = pd.read_csv(pd.io.common.StringIO(EXIT_CSV), dtype=str, keep_default_na=False)
    frame = build_profiles(associations, None, ZeroEmbedder(), HOME).frame
    found = {(f.id, f.rule) for f in run(frame) if f.rule.startswith("exit_")}
    assert found == {
        ("E1", "exit_election_overdue"), ("E1", "exit_no_staff"), ("E1", "exit_no_office"), ("E1", "exit_no_funding"),
        ("E1", "exit_inspection"), ("E1", "exit_no_party"),
        ("E3", "exit_election_overdue"), ("E3", "exit_inspection"), ("E3", "exit_no_party"),
    }  # E4 is dissolved: no findings at all; E5 is due exactly on 2024-12-31


def test_exit_messages(exit_registry):
    frame = build_profiles(exit_registry.associations, None, ZeroEmbedder(), HOME).frame
    by_rule = {f.rule: f for f in run(frame) if f.id == "E1"}
    assert by_rule["exit_election_overdue"].message == "上次换届 2018-01-01，任期 5 年，应于 2023-01-01 前换届，已逾期 730 天"
    assert by_rule["exit_inspection"].message == "上次年检结果：不合格"
    assert by_rule["exit_no_party"].message == f"党员 0 名，不足 {settings()['exit_party_min']} 名，无法单独建立党组织"
    assert {f.severity for f in by_rule.values()} == {"info"}
    overdue = [f for f in run(frame) if f.id == "E3" and f.rule == "exit_election_overdue"]
    assert overdue[0].evidence["due"] == "2024-06-01"  # term_years 3 from the row, not the default


def test_missing_columns_are_not_violations():
    frame = profile([{"id": "E1", "name": "温州市鞋革行业协会"}, {"id": "E2", "name": "温州市眼镜行业协会"}])
    assert run(frame) == []
    # a funding column that is empty everywhere was not really given
    assert not hits(run(frame.assign(funding="")), "exit_no_funding")
    assert set(hits(run(frame.assign(funding=["会费", ""])), "exit_no_funding")) == {"E2"}
    # without term_years the policy default applies
    assert set(hits(run(frame.assign(last_election=["2019-12-30", "2020-01-01"])), "exit_election_overdue")) == {"E1"}


def test_names_only_input_never_crashes():
    frame = pd.DataFrame({"id": ["X1"], "name": ["温州市鞋革行业协会"]})
    ms = pd.DataFrame({"association_id": ["X1"], "member_name": ["温州市康凡食品有限公司"]})
    assert check_rules(frame, ms, STATS, None) == []
    assert check_rules(frame.iloc[:0], None, None, None) == []


# ------------------------------------------------------------------------------------------- outputs


def test_outputs():
    f = Finding("A1", "leader_overlap", "warning", "王建国 在 3 家协会商会…", {"limit": 3})
    assert to_json(f) == {"id": "A1", "rule": "leader_overlap", "severity": "warning", "message": "王建国 在 3 家协会商会…"}
    assert to_json(f, evidence=True)["evidence"] == {"limit": 3}
    frame = findings_frame([f, f])
    assert list(frame.columns) == ["id", "rule", "severity", "message", "evidence"] and len(frame) == 2
    assert list(findings_frame([]).columns) == ["id", "rule", "severity", "message", "evidence"]


# ------------------------------------------------------------------------------------------ end to end

REGISTRY = {
    "associations.csv": """\
id,name,region,type,industry,status,staff_fulltime,has_office,funding,last_election,inspection,party_members
R1,温州市鞋革行业协会,温州市,行业协会,鞋革,正常,3,是,会费,2023-03-01,合格,5
R2,温州市福建福鼎商会,温州市,,,正常,2,是,会费,2023-03-01,合格,4
R3,鹿城区鞋业研究会,鹿城区,研究会,鞋业,正常,1,是,会费,2023-03-01,合格,3
R4,瑞安市眼镜商会,瑞安市,商会,眼镜,正常,0,是,会费,2023-03-01,合格,3
""",
    "memberships.csv": """association_id,member_name,member_kind,member_region,role,person,annual_sales
R1,温州市达飞鞋业有限公司,企业,鹿城区,会长,陈一,5000
R1,温州市康凡食品有限公司,企业,乐清,副会长,周二,300
R2,福鼎甲茶业有限公司,企业,鹿城区,会长,陈一,100
R3,温州市乙鞋业有限公司,企业,鹿城区,会员,,
R3,林某某,个人,鹿城区,会长,林某某,
R4,瑞安明亮眼镜有限公司,企业,瑞安市,会长,陈 一,800
R4,杭州光学眼镜有限公司,企业,杭州市,会员,,900
""",
}


def test_end_to_end_with_real_profiles(tmp_path):
    for name, text in REGISTRY.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    registry = load_registry(tmp_path)
    embedder = Embedder(cache=EmbeddingCache(tmp_path / "emb.sqlite"))
    profiles = build_profiles(registry.associations, registry.memberships, embedder, registry.home)
    findings = check_rules(profiles.frame, registry.memberships, registry.industry_stats, profiles.home, as_of=AS_OF)
    got = {(f.id, f.rule) for f in findings}
    assert got == {
        ("R1", "coverage_counties"), ("R1", "non_industry_member"), ("R1", "leader_overlap_unverified"),
        ("R2", "county_chamber_at_city"), ("R2", "leader_overlap_unverified"),  # 陈一 of three enterprises
        ("R3", "research_enterprise_share"),
        ("R4", "member_outside_region"), ("R4", "leader_overlap_unverified"), ("R4", "exit_no_staff"),
    }
    assert [f.id for f in findings] == sorted(f.id for f in findings)  # frame order
    for f in findings:
        out = to_json(f, evidence=True)
        assert json.loads(json.dumps(out, ensure_ascii=False, allow_nan=False)) == out


# ----------------------------------------------------------------------------------------- generated


def test_every_rule_fires_on_a_generated_registry():
    data = generate(SynthConfig(seed=3, variation="clean", n_associations=300))
    frame = build_profiles(data.associations, data.memberships, ZeroEmbedder(), HOME).frame
    findings = check_rules(frame, data.memberships, data.industry_stats, HOME,
                           as_of=date.fromisoformat(data.config.as_of))
    assert {f.rule for f in findings} == set(RULES) - {RECORD_DUPLICATE}  # detector/records.py, not a policy check
    assert all(f.message and f.severity in ("error", "warning", "info") for f in findings)
    inactive = set(frame.loc[~frame["active"], "id"])
    assert inactive and not inactive & {f.id for f in findings}
    assert len(hits(findings, "county_chamber_at_city")) == int(
        ((frame["region_level"] == "prefecture") & (frame["eff_type"] == "异地商会")
         & (frame["origin_level"] == "county") & frame["active"]).sum())


def test_blank_term_takes_the_policy_default_after_loading(tmp_path):
    """io leaves a blank term_years blank, so models/policy.toml's default_term_years decides."""
    from detector.io import load_registry

    (tmp_path / "associations.csv").write_text(
        "id,name,last_election,term_years\nT1,温州市鞋革行业协会,2015-06-01,\n", encoding="utf-8")
    reg = load_registry(tmp_path)
    frame = build_profiles(reg.associations, reg.memberships, ZeroEmbedder(), HOME).frame
    overdue = [f for f in check_rules(frame, None, None, HOME, as_of=date(2026, 1, 1))
               if f.rule == "exit_election_overdue"]
    years = settings()["default_term_years"]
    assert overdue[0].evidence["term_years"] == years
    assert overdue[0].evidence["due"] == f"{2015 + years}-06-01"
