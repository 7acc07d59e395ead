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


def test_a_name_its_own_scope_contradicts_is_in_doubt(embedder):
    """Issue 16: 温州市眼镜产业发展促进会 whose scope is all fasteners reads as fasteners (按业务范围), its name's
    eyewear in doubt; against the eyewear association the pair is of different industries, flagged."""
    import pandas as pd

    from detector.profiles import build_profiles

    assoc = pd.DataFrame({
        "id": ["A", "B"], "name": ["温州市眼镜行业协会", "温州市眼镜产业发展促进会"],
        "scope": ["开展眼镜行业调研；组织眼镜企业参加国际眼镜展；开展光学眼镜、太阳镜和眼镜架质量监督",
                  "推动紧固件产业集群升级；开展紧固件行业调研；组织紧固件、标准件产品质量检测和标准宣贯"]})
    members = pd.DataFrame(columns=["association_id", "member_name"])
    p = build_profiles(assoc, members, embedder)
    assert p.frame["industry_key"].tolist() == ["eyewear", "fasteners"]
    assert p.frame["industry_doubt"].tolist() == ["", "eyewear"]
    f = pair_features(p, p, np.array([0]), np.array([1])).iloc[0]
    assert f["name_doubt"] and f["name_overruled"] and f["industry_rel"] == "different"
