"""Screening real-style applications against the small registry (tests/data/wz_small)."""
import pytest

from conftest import SMALL
from detector.io import load_registry
from detector.screen import screen_applications


@pytest.fixture(scope="module")
def results(small_engine):
    apps = load_registry(SMALL / "applications", kind="applications", home=small_engine.registry.home)
    return {r.id: r for r in screen_applications(small_engine, apps)}


def test_duplicate_application_gets_the_right_match_and_reasons(results):
    r = results["A01"]  # 温州市鞋类行业商会 vs 温州市鞋革行业协会 / 温州市鞋业商会
    assert r.verdict == "duplicate"
    assert r.matches[0].id in {"R01", "R02"} and r.matches[0].score >= 0.5
    assert any("同一行政区域" in x and "同一行业（鞋业）" in x for x in r.matches[0].reasons)
    assert any(x.startswith("业务范围相似度") for x in r.matches[0].reasons)


def test_same_origin_chamber_is_a_duplicate_and_a_different_origin_is_not(results):
    r = results["A02"]  # 江苏籍企业联合会
    assert r.verdict == "duplicate" and r.matches[0].id == "R07"
    assert all(m.id not in {"R06", "R08"} or m.score == 0 for m in r.matches)  # 江西 chambers


def test_county_chamber_at_city_is_rejected(results):
    r = results["A03"]
    assert r.verdict == "reject"
    assert [f.rule for f in r.findings if f.severity == "error"] == ["county_chamber_at_city"]
    assert "福鼎市" in r.findings[0].message


def test_county_association_is_not_a_duplicate_of_the_city_one(results):
    r = results["A04"]  # 瑞安市鞋业协会 vs 温州市鞋业商会
    assert r.verdict != "duplicate"
    related = [m for m in r.matches if m.id in {"R01", "R02"}]
    assert related and all(m.relation == "related" and m.score == 0 for m in related)
    assert any("上下级行政区域" in x for x in related[0].reasons)


def test_society_is_not_a_duplicate_of_the_industry_association(results):
    r = results["A05"]  # 温州市眼镜学会: duplicate of the 眼视光学会 at most, never of the 行业协会
    assert all(m.id != "R09" or m.score == 0 for m in r.matches)


def test_duplicates_within_one_batch_need_review(results):
    a, b = results["A06"], results["A07"]
    assert a.verdict == b.verdict == "review"
    assert a.batch_matches[0].id == "A07" and b.batch_matches[0].id == "A06"


def test_leader_overlap_counts_registry_and_application(results):
    msgs = [f.message for f in results["A01"].findings if f.rule == "leader_overlap"]
    assert msgs and "王建国" in msgs[0]


def test_json_output_follows_format(results):
    obj = results["A01"].to_json()
    assert {"id", "name", "verdict", "matches", "findings"} <= set(obj)
    assert {"id", "name", "score", "reasons"} <= set(obj["matches"][0])
    assert all(set(f) == {"id", "rule", "severity", "message"} for f in obj["findings"])


def test_a_silent_name_is_screened_by_its_scope_and_says_so(small_engine):
    """Issue 16: 温州市瓯越产业发展促进会 names no trade; its scope is all footwear. The result carries the industry
    screening decided (按业务范围), the JSON has it and the console shows it to the reviewer."""
    import pandas as pd

    from detector.console import format_screen
    from detector.io import Registry

    app = pd.DataFrame({"id": ["S1"], "name": ["温州市瓯越产业发展促进会"], "region": ["温州市"], "type": ["行业协会"],
                        "scope": ["组织皮鞋、鞋材生产企业开展鞋类技术交流；举办鞋业展会；开展制鞋行业维权和鞋类质量检测"]})
    members = pd.DataFrame(columns=["association_id", "member_name"])
    (r,) = screen_applications(small_engine, Registry(app, members, None, [], "test", "applications",
                                                      ["id", "name", "region", "type", "scope"], small_engine.registry.home))
    assert (r.industry.key, r.industry.source) == ("footwear", "按业务范围")
    assert r.to_json()["industry"] == {"key": "footwear", "confidence": r.industry.confidence,
                                       "source": "按业务范围", "doubt": ""}
    assert "判定行业：鞋业（按业务范围判断）" in format_screen([r])
