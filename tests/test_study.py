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


def _names_registry(tmp_path, names):
    import pandas as pd

    folder = tmp_path / "registry"
    folder.mkdir()
    pd.DataFrame({"id": [f"N{i}" for i in range(len(names))], "name": names}).to_csv(
        folder / "associations.csv", index=False)
    return folder


def test_social_groups_are_compared_within_their_kind(tmp_path, embedder):
    """Two 网球协会 of one district duplicate each other; a 篮球协会, the city's 网球协会 and a trade body
    on tennis goods do not (一业一会 within the kind)."""
    from detector.engine import Engine

    names = ["株洲市荷塘区网球协会", "株洲市荷塘区网球运动协会", "株洲市荷塘区篮球协会", "株洲市网球协会",
             "株洲市荷塘区网球用品商会", "株洲市荷塘区餐饮行业协会"]
    result = run_study(Engine.load(_names_registry(tmp_path, names), embedder=embedder))
    grouped = [sorted(g.names) for g in result.groups]
    assert grouped == [["株洲市荷塘区网球协会", "株洲市荷塘区网球运动协会"]]


def test_town_bodies_of_a_city_without_counties(tmp_path, embedder):
    """东莞: a town's chamber is the city's own body, one per town; not a 异地商会 of 长安区 or 石龙区."""
    from detector.engine import Engine

    names = ["东莞市长安镇餐饮协会", "东莞市长安餐饮行业协会", "东莞市虎门镇餐饮协会", "东莞市餐饮行业协会",
             "东莞市石龙商会", "东莞市湖南商会"]
    engine = Engine.load(_names_registry(tmp_path, names), embedder=embedder)
    frame = engine.profiles.frame.set_index("name")
    assert not frame.loc["东莞市石龙商会", "out_of_town"] and frame.loc["东莞市湖南商会", "out_of_town"]
    result = run_study(engine)
    # the two 长安 names differ only in 镇 and 行业: one body listed twice (record_duplicate), never a group;
    # another town's and the city's own body stay apart
    assert result.groups == []
    assert [sorted(r) for r in result.records] == [["N0", "N1"]]
    assert {f.id for f in result.findings if f.rule == "record_duplicate"} <= {"N0", "N1"}


def test_fold_records_keeps_each_bodys_best_pair_and_leaves_the_rest_alone():
    import pandas as pd

    from detector.study import fold_records

    pairs = pd.DataFrame({"id_a": ["A", "A2", "B", "C", "X", "A2"], "id_b": ["B", "B", "C", "D", "A", "A"],
                          "score": [0.4, 0.9, 0.3, 0.8, 0.6, 0.99], "core_ratio": [1, 2, 3, 4, 5, 6]})
    out = fold_records(pairs, [["A", "A2"]])  # A2 is a second record of A
    got = list(zip(out["id_a"], out["id_b"], out["score"], out["core_ratio"]))
    # A–B and A2–B are one pair (the better kept, in its place); A2–A is the body with itself; the rest untouched
    assert got == [("A", "B", 0.9, 2), ("B", "C", 0.3, 3), ("C", "D", 0.8, 4), ("A", "X", 0.6, 5)]
    assert fold_records(pairs, []) is pairs
    assert list(pairs["id_a"]) == ["A", "A2", "B", "C", "X", "A2"]  # the input is not changed
