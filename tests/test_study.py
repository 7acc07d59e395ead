import json

import pytest

from detector.study import party_branches, run_study


@pytest.fixture(scope="module")
def study(small_engine):
    return run_study(small_engine)


def test_groups_are_the_real_duplicates(study):
    groups = sorted(sorted(g.ids) for g in study.groups)
    assert ["R01", "R02"] in groups and ["R06", "R08"] in groups
    grouped = {i for g in groups for i in g}
    assert not grouped & {"R07", "R05", "R10", "R13", "R14", "R04"}  # near misses stay apart


def test_survivor_and_rationale(study):
    shoes = next(g for g in study.groups if set(g.ids) == {"R01", "R02"})
    assert shoes.survivor == "R01"  # more members, wider coverage, older
    assert "温州市鞋革行业协会" in shoes.rationale and "会员" in shoes.rationale
    assert shoes.coverage["members"] == 9 and shoes.coverage["county_units"] == 12
    assert shoes.reasons and 0 < shoes.score <= 1


def test_findings_and_json_contract(study):
    obj = json.loads(json.dumps(study.to_json(), ensure_ascii=False))
    assert set(obj) >= {"groups", "findings"}
    assert {"ids", "survivor", "score", "reasons"} <= set(obj["groups"][0])
    rules = {f["rule"] for f in obj["findings"]}
    # 王建国 leads R01 and R02 for one enterprise and R03 for another: only his name links all three
    assert {"leader_overlap_unverified", "research_enterprise_share", "coverage_counties"} <= rules
    assert not any(f["id"] == "R14" for f in obj["findings"])  # 注销: no findings


def test_hubs_and_party_branches(study, small_engine):
    assert study.hubs and study.hubs[0].id in {"R01", "R02", "R13"}
    branches = party_branches(small_engine.profiles)
    assert all(2 <= len(b) <= 5 for b in branches)
    f = small_engine.profiles.frame.set_index("id")
    for b in branches:
        assert len({f.at[i, "region_code"] for i in b}) == 1
        assert all(int(f.at[i, "party_members"]) < 3 for i in b)
