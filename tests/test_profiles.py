import pandas as pd

from detector import regions
from detector.profiles import member_keys, resolve_region

WZ = regions.lookup("温州市")


def test_region_column_values_resolve():
    assert resolve_region("乐清", WZ).name == "乐清市"
    assert resolve_region("市本级", WZ).name == "温州市"
    assert resolve_region("温州市本级", WZ).name == "温州市"
    assert resolve_region("", WZ) is None


def test_member_keys_join_ids_and_names():
    ms = pd.DataFrame({"member_name": ["温州市康华鞋业有限公司", "溫州市康華鞋業有限公司", "温州市红星皮鞋有限公司"],
                       "member_id": ["91330301MA285X0011", "", ""]})
    keys = member_keys(ms).tolist()
    assert keys[0] == keys[1] == "id:91330301MA285X0011"  # a row without id borrows it via the name
    assert keys[2] == "nm:温州市红星皮鞋有限公司"


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


def test_member_keys_in_another_registrys_vocabulary():
    """A member matches the registry's record of it whichever side left out the credit code."""
    import pandas as pd

    from detector.profiles import member_vocabulary

    registry = pd.DataFrame({"member_name": ["温州市康华鞋业有限公司", "温州市明特纸品有限公司"],
                             "member_id": ["91330300MA2AAAAA1X", ""]})
    app = pd.DataFrame({"member_name": ["温州市康华鞋业有限公司", "温州市明特纸品有限公司", "温州市新星鞋业有限公司"],
                        "member_id": ["", "91330300MA2BBBBB2Y", ""]})
    assert member_keys(app).tolist() == ["nm:温州市康华鞋业有限公司", "id:91330300MA2BBBBB2Y", "nm:温州市新星鞋业有限公司"]
    keyed = member_keys(app, member_vocabulary(registry)).tolist()
    assert keyed == ["id:91330300MA2AAAAA1X", "nm:温州市明特纸品有限公司", "nm:温州市新星鞋业有限公司"]
    assert set(keyed[:2]) <= set(member_keys(registry))
