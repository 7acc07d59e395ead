"""Record duplicates (detector/records.py): the same body listed twice, or applying again."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from detector import regions
from detector.engine import Engine
from detector.io import load_registry, write_csv
from detector.profiles import build_profiles
from detector.records import (CODE_CHARS, application_findings, differences, is_credit_code, links_across,
                              links_within, study_findings)
from detector.screen import screen_applications
from detector.study import run_study

HOME = regions.lookup("温州市")


class ZeroEmbedder:
    """Record duplicates never look at embeddings: profiles without the model."""

    def encode(self, texts):
        return np.zeros((len(texts), 4), dtype=np.float32)


def profiles(rows: list[dict | str]):
    rows = [{"id": f"R{k:02d}", "name": r} if isinstance(r, str) else r for k, r in enumerate(rows)]
    return build_profiles(pd.DataFrame(rows), None, ZeroEmbedder(), HOME)


def pairs_of(p) -> set[frozenset[str]]:
    ids = p.frame["id"]
    return {frozenset((ids.iat[k.a], ids.iat[k.b])) for k in links_within(p)}


def names_linked(rows: list[str]) -> set[frozenset[str]]:
    p = profiles(rows)
    return {frozenset(p.frame["name"].iat[p.row_of[i]] for i in pair) for pair in pairs_of(p)}


def credit_code(body: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters."""
    total = sum(CODE_CHARS.index(ch) * pow(3, i, 31) for i, ch in enumerate(body))
    return body + CODE_CHARS[(31 - total % 31) % 31]


# ------------------------------------------------------------------------------------- same body


@pytest.mark.parametrize(("a", "b"), [
    ("温州市鹿城区明德职业技能培训学校", "鹿城区明德职业技能培训学校"),  # the city written before the district or not
    ("温州华侨职业技术培训学校", "温州市华侨职业技术培训学校"),  # 温州 / 温州市
    ("瑞安市东山医院", "瑞安东山医院"),  # a county-level city without its suffix
    ("温州电力局职工技术协会", "溫州電力局職工技術協會"),  # traditional characters
    ("浙江正泰电器股份有限公司职工技术协会", "浙江正泰电器有限公司职工技术协会"),  # legal-form words
    ("温州龙湾化工集团公司职工技术协会", "温州龙湾化工集团有限责任公司职工技术协会"),
    ("温州市鞋革行业协会", "温州市 鞋革协会"),  # 行业 and a space
    ("苍南县江苏商会", "苍南江苏商会"),  # a 异地商会 with and without 县
    ("温州市职工技术协会（筹）", "温州市职工技术协会"),  # a set-up annotation
    ("温州市永嘉县瓯北镇成人文化技术学校", "永嘉县瓯北镇成人文化技术学校"),
    ("平阳县萧江塑编职业培训学校", "平阳县\u3000萧江塑编职业培训学校"),  # a full-width space
    ("温州市龙湾区（永强）阀门商会", "龙湾区永强阀门商会"),  # brackets
])
def test_the_same_body_written_two_ways_is_one_record(a, b):
    assert names_linked([a, b]) == {frozenset((a, b))}


@pytest.mark.parametrize(("a", "b"), [
    ("温州市鞋业协会", "鹿城区鞋业协会"),  # a city and a county association of one industry: two bodies
    ("温州市眼镜学会", "温州市眼镜协会"),  # 学会 vs 协会
    ("温州市眼镜研究会", "温州市眼镜学会"),
    ("温州市江西商会", "温州市江苏商会"),  # two origins
    ("温州市江西商会", "温州市江西赣州商会"),  # a province and one of its cities
    ("温州市实验幼儿园（东园）", "温州市实验幼儿园（西园）"),  # two campuses
    ("鹿城区明德职业技能培训学校", "瓯海区明德职业技能培训学校"),  # two districts
    ("温州市青年企业家协会", "温州市企业家协会"),  # a distinct group of members
    ("温州市商会", "温州市总商会"),
    ("温州市汽车商会", "温州市汽车用品商会"),
    ("温州电力局职工技术协会", "温州电厂职工技术协会"),  # two units
])
def test_different_bodies_with_alike_names_stay_apart(a, b):
    assert names_linked([a, b]) == set()


def test_nested_regions_join_schools_but_never_associations():
    p = profiles(["温州市育英幼儿园", "鹿城区育英幼儿园", "温州市育英协会", "鹿城区育英协会"])
    links = links_within(p)
    assert [(k.a, k.b, k.certain) for k in links] == [(0, 1, False)]
    assert "上下级" in links[0].note


def test_a_row_without_region_never_glues_two_regions_together():
    p = profiles([
        {"id": "A", "name": "明德职业技能培训学校"},
        {"id": "B", "name": "明德职业技能培训学校", "region": "鹿城区"},
        {"id": "C", "name": "明德职业技能培训学校", "region": "瓯海区"},
    ])
    assert pairs_of(p) == {frozenset("AB"), frozenset("AC")}  # each alone is possible
    findings, sets = study_findings(p)
    assert findings == [] and sets == []  # but which one is ambiguous: nothing asserted


def test_former_name_links_the_old_record_and_the_renamed_body():
    p = profiles([
        {"id": "OLD", "name": "温州市汽车摩托车配件协会"},
        {"id": "NEW", "name": "温州市汽摩配行业协会", "former_names": "温州市汽车摩托车配件行业协会；温州汽摩配商会"},
        {"id": "OTHER", "name": "温州市汽摩配商会"},  # NEW's other former name, with 市 written
        {"id": "ELSE", "name": "温州市汽车配件商会"},
    ])
    findings, sets = study_findings(p)
    assert sets == [["NEW", "OLD", "OTHER"]]  # the renamed body is the record kept
    by_id = {f.id: f for f in findings}
    f = by_id["OLD"]
    assert f.rule == "record_duplicate" and f.severity == "warning"
    assert f.evidence["same_as"] == "NEW" and f.evidence["former_name"] == "温州市汽车摩托车配件行业协会"
    assert "「温州市汽车摩托车配件协会」是「温州市汽摩配行业协会」的曾用名" in f.message
    assert by_id["OTHER"].evidence["same_as"] == "NEW" and "ELSE" not in by_id


def test_two_rows_sharing_only_a_former_name_are_not_linked():
    p = profiles([
        {"id": "X", "name": "温州市鞋革行业协会", "former_names": "温州市制鞋协会"},
        {"id": "Y", "name": "温州市鞋业商会", "former_names": "温州市制鞋协会"},
    ])
    assert links_within(p) == []


def test_two_registered_entities_of_one_industry_stay_with_the_merger_study():
    a, b = credit_code("51330300501234567"), credit_code("51330300507654321")
    assert is_credit_code(a) and is_credit_code(b) and not is_credit_code(a[:-1] + ("0" if a[-1] != "0" else "1"))
    p = profiles([{"id": a, "name": "温州市鞋革行业协会"}, {"id": b, "name": "溫州市鞋革協會"}])
    assert links_within(p) == []  # two codes: two legal entities → one-industry duplicates, not one record
    p = profiles([{"id": a, "name": "温州华侨职业技术培训学校"}, {"id": b, "name": "温州市华侨职业技术培训学校"}])
    [link] = links_within(p)  # a school outside 一业一会: still worth a look, but only likely
    assert not link.certain and "统一社会信用代码" in link.note
    p = profiles([{"id": "S1", "name": "温州市鞋革行业协会", "founded": "1998-05-01"},
                  {"id": "S2", "name": "温州市鞋革协会", "founded": "2016-09-12"}])
    assert links_within(p) == []  # founded in different years: two bodies


def test_dissolved_rows_are_never_record_duplicates():
    p = profiles([{"id": "A", "name": "温州市鞋革行业协会"}, {"id": "B", "name": "温州市鞋革协会", "status": "注销"}])
    assert links_within(p) == []


def test_findings_name_the_kept_record_and_the_difference():
    p = profiles(["温州华侨职业技术培训学校", "温州市华侨职业技术培训学校", "溫州市華僑職業技術培訓學校"])
    findings, sets = study_findings(p)
    assert sets == [["R00", "R01", "R02"]]
    assert [f.id for f in findings] == ["R01", "R02"]
    f = findings[0]
    assert f.message.startswith("与「温州华侨职业技术培训学校」（R00）为同一组织的重复记录：名称仅地区前缀「温州市」/「温州」不同")
    assert "同一组织另有记录：溫州市華僑職業技術培訓學校" in f.message
    assert f.evidence["ids"] == ["R00", "R01", "R02"] and f.evidence["certain"]


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("温州华侨职业技术培训学校", "温州市华侨职业技术培训学校", ["地区前缀「温州」/「温州市」"]),
    ("浙江正泰电器股份有限公司职工技术协会", "浙江正泰电器有限公司职工技术协会", ["法律形式用语「股份有限公司」/「有限公司」"]),
    ("温州市鞋革行业协会", "温州市鞋革协会", ["“行业”字样"]),
    ("温州市鞋革协会", "溫州市 鞋革協會", ["写法（繁简、空格、括号或标点）"]),
    ("温州市鞋革协会", "温州市鞋革协会", []),
    ("温州市皮鞋协会", "温州市鞋革协会", ["名称用字「皮」/「无」", "名称用字「无」/「革」"]),
])
def test_differences(a, b, expected):
    assert differences(a, b, HOME) == expected


def test_common_names_in_many_regions_are_compared_within_a_region_only():
    zhejiang = regions.lookup("浙江省")
    counties = [d for d in regions.divisions() if d.level == regions.COUNTY and regions.contains(zhejiang, d)]
    assert len(counties) > 64  # more than one block: compared per region
    rows = [{"id": f"C{k}", "name": f"{d.name}个体劳动者协会", "region": d.name} for k, d in enumerate(counties)]
    rows.append({"id": "DUP", "name": f"{counties[5].short}个体劳动者协会", "region": counties[5].name})
    rows.append({"id": "NOREGION", "name": "个体劳动者协会"})
    p = build_profiles(pd.DataFrame(rows), None, ZeroEmbedder(), None)
    assert pairs_of(p) == {frozenset(("C5", "DUP"))}


def test_applications_against_the_registry_and_within_the_batch():
    registry = profiles([
        {"id": "R1", "name": "温州市鞋革行业协会", "former_names": "温州市皮鞋行业协会"},
        {"id": "R2", "name": "温州市华侨职业技术培训学校"},
        {"id": "R3", "name": "鹿城区育英幼儿园"},
    ])
    apps = build_profiles(pd.DataFrame([
        {"id": "A1", "name": "温州市皮鞋协会"},  # the registered body's former name
        {"id": "A2", "name": "温州华侨职业技术培训学校（筹）"},
        {"id": "A3", "name": "温州市育英幼儿园"},  # city vs district, a kindergarten: likely
        {"id": "A4", "name": "温州市眼镜学会"},
        {"id": "A5", "name": "瓯海区明德职业技能培训学校"},
        {"id": "A6", "name": "甌海區明德職業技能培訓學校"},
    ]), None, ZeroEmbedder(), HOME)
    across = links_across(apps, registry)
    got = {apps.frame["id"].iat[a]: [(registry.frame["id"].iat[k.b], k.certain) for k in links]
           for a, links in across.items()}
    assert got == {"A1": [("R1", True)], "A2": [("R2", True)], "A3": [("R3", False)]}
    found = application_findings(apps, registry, across, links_within(apps))
    assert set(found) == {"A1", "A2", "A3", "A5", "A6"}
    assert "「温州市皮鞋协会」是「温州市鞋革行业协会」的曾用名" in found["A1"][0].message
    assert found["A5"][0].evidence["same_as"] == "A6" and found["A6"][0].evidence["same_as"] == "A5"
    assert "同批申请" in found["A5"][0].message


# ------------------------------------------------------------------------------- study and screen


@pytest.fixture(scope="module")
def registry_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("records")
    reg, apps = root / "registry", root / "applications"
    reg.mkdir()
    apps.mkdir()
    write_csv(pd.DataFrame([
        ("R1", "温州市鞋革行业协会", "温州市皮鞋行业协会"),
        ("R2", "溫州市鞋革協會", ""),  # the same body listed twice
        ("R3", "温州市华侨职业技术培训学校", ""),
        ("R4", "温州华侨职业技术培训学校", ""),  # a school listed twice: outside 一业一会, still a record duplicate
        ("R5", "温州市眼镜行业协会", ""),
        ("R6", "鹿城区鞋革行业协会", ""),
        ("R7", "温州市眼镜学会", ""),
    ], columns=["id", "name", "former_names"]), reg / "associations.csv")
    write_csv(pd.DataFrame([
        ("A1", "温州市皮鞋协会"), ("A2", "温州华侨职业技术培训学校（筹）"), ("A3", "瓯海区明德职业技能培训学校"),
        ("A4", "甌海區明德職業技能培訓學校"), ("A5", "温州市汽摩配行业协会"), ("A6", "启航艺术培训中心"),
        ("A7", "龙湾区启航艺术培训中心"),  # A6 names no region: only likely the same body
    ], columns=["id", "name"]), apps / "associations.csv")
    return root


@pytest.fixture(scope="module")
def engine(registry_dir, embedder):
    return Engine.load(registry_dir / "registry", embedder=embedder)


def test_study_reports_record_duplicates_as_findings_never_as_groups(engine):
    result = run_study(engine)
    dup = {f.id: f for f in result.findings if f.rule == "record_duplicate"}
    assert set(dup) == {"R2", "R4"}
    assert dup["R2"].evidence["same_as"] == "R1" and dup["R4"].evidence["same_as"] == "R3"
    assert sorted(result.records) == [["R1", "R2"], ["R3", "R4"]]
    assert not any({"R2", "R4"} & set(g.ids) for g in result.groups)  # extra records are folded into their body
    together = result.linked_sets()
    assert any({"R1", "R2"} <= set(s) for s in together) and any({"R3", "R4"} <= set(s) for s in together)
    assert not any({"R1", "R6"} <= set(s) for s in together)  # city vs county stay apart
    assert not any({"R5", "R7"} <= set(s) for s in together)  # 学会 vs 协会


def test_screening_the_same_body_applying_again(engine, registry_dir):
    apps = load_registry(registry_dir / "applications", kind="applications", home=engine.registry.home)
    r = {x.id: x for x in screen_applications(engine, apps)}
    for aid, rid in (("A1", "R1"), ("A2", "R3")):
        assert r[aid].verdict == "duplicate"
        assert r[aid].matches[0].id == rid and r[aid].matches[0].relation == "duplicate"
        assert r[aid].matches[0].reasons[0].startswith("同一组织：")
        assert any(f.rule == "record_duplicate" and f.evidence["same_as"] == rid for f in r[aid].findings)
        assert "同一组织" in r[aid].summary
    for aid, other in (("A3", "A4"), ("A4", "A3")):  # one body applying twice in one batch
        assert r[aid].verdict == "review" and r[aid].batch_matches[0].id == other
        assert "同批申请" in r[aid].summary and "同一组织" in r[aid].summary
    assert not any(f.rule == "record_duplicate" for f in r["A5"].findings)
    for aid, other in (("A6", "A7"), ("A7", "A6")):
        assert r[aid].verdict == "review" and r[aid].batch_matches[0].id == other
        assert r[aid].batch_matches[0].relation == "review" and "可能为同一组织" in r[aid].summary
