

def test_profiles_of_the_small_registry(small_engine):
    f = small_engine.profiles.frame.set_index("id")
    assert f.at["R06", "out_of_town"] and f.at["R06", "origin"] == "江西省"
    assert f.at["R08", "origin"] == "江西省"  # 赣商联合会
    assert f.at["R01", "industry_key"] == f.at["R02", "industry_key"] == "footwear"
    assert f.at["R04", "industry_key"] != f.at["R03", "industry_key"]  # car dealers ≠ auto parts
    assert f.at["R10", "is_research"] and not f.at["R09", "is_research"]
    assert not f.at["R14", "active"]
    assert f.at["R05", "region_level"] == "county"
    p = small_engine.profiles
    assert len(p.members[p.row_of["R01"]]) == 7
    assert p.leaders[p.row_of["R01"]] == frozenset({"王建国", "陈立新", "李明"})


