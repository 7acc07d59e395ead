import numpy as np

from detector.features import _origin_relation, _region_relation, pair_features


def test_region_relations_by_adcode():
    assert _region_relation("330300", "330300") == "same"
    assert _region_relation("330300", "330381") == "nested"  # 温州市 / 瑞安市
    assert _region_relation("330381", "330382") == "different"  # 瑞安市 / 乐清市
    assert _region_relation("330000", "330381") == "nested"  # 浙江省 / 瑞安市
    assert _region_relation("", "330381") == "unknown"


def test_town_relations_in_a_city_without_counties():
    assert _region_relation("441900", "441900", "长安镇", "长安镇") == "same"
    assert _region_relation("441900", "441900", "长安镇", "虎门镇") == "different"
    assert _region_relation("441900", "441900", "", "虎门镇") == "nested"  # 东莞市 / its 虎门镇


def test_origin_relations():
    assert _origin_relation(True, True, "360000", "360000") == "same"
    assert _origin_relation(True, True, "360000", "320000") == "different"  # 江西 / 江苏
    assert _origin_relation(True, True, "350000", "350982") == "nested"  # 福建 / 福鼎
    assert _origin_relation(True, False, "350000", "") == "mismatch"
    assert _origin_relation(False, False, "", "") == "na"


def _pair(engine, a, b):
    p = engine.profiles
    return pair_features(p, p, np.array([p.row_of[a]]), np.array([p.row_of[b]])).iloc[0]


def test_features_of_real_style_pairs(small_engine):
    shoes = _pair(small_engine, "R01", "R02")
    assert shoes["industry_rel"] == "same" and shoes["region_rel"] == "same"
    assert shoes["shared_members"] == 2 and shoes["shared_leaders"] == 2
    assert 0 < shoes["member_jacc"] <= shoes["member_cont"] <= 1
    assert shoes["desc_cos"] > 0.8
    jx_js = _pair(small_engine, "R06", "R07")
    assert jx_js["origin_rel"] == "different"
    assert _pair(small_engine, "R06", "R08")["origin_rel"] == "same"
    assert _pair(small_engine, "R05", "R12")["region_rel"] == "different"  # 瑞安市 / 乐清市
    assert _pair(small_engine, "R03", "R05")["region_rel"] == "nested"
    assert _pair(small_engine, "R09", "R10")["form_clash"]
    assert _pair(small_engine, "R03", "R04")["industry_rel"] == "related"


def test_segments_of_one_industry_are_related_not_same():
    """湘潭市汽车行业协会 and 湘潭市出租汽车行业协会 share an industry word, not an industry (一业一会)."""
    from detector.features import _industry_relation

    assert _industry_relation("automobiles", "automobiles", "", "出租", False) == "related"
    assert _industry_relation("automobiles", "automobiles", "", "出租", True) == "same"  # one constituency
    assert _industry_relation("sports", "sports", "舞蹈", "学生", False) == "related"
    assert _industry_relation("footwear", "footwear", "", "", False) == "same"
    assert _industry_relation("footwear", "eyewear", "", "", False) == "different"
