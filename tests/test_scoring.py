import json

import numpy as np
import pandas as pd
import pytest

from detector.errors import DetectorError
from detector.scoring import (NONNEGATIVE, NONPOSITIVE, GATE_AUDIENCE, GATE_FORM, GATE_INACTIVE, GATE_KIND, GATE_NATURE,
                              GATE_NOT_ASSOCIATION,
                              GATE_NESTED, GATE_ORIGIN, MODEL_FEATURES, Scorer, design_matrix, gates, load_scorer,
                              load_thresholds, score_pairs)


def _features(**over):
    base = dict(i=0, j=1, id_a="a", id_b="b", core_ratio=0.3, name_ratio=0.5, core_cos=0.7, desc_cos=0.8,
                tfidf_cos=0.2, services_jacc=0.0, shared_members=0.0, member_jacc=0.0, member_cont=0.0,
                shared_leaders=0.0, industry_a="x", industry_b="y", industry_rel="different", industry_conf=0.8,
                region_rel="same", origin_rel="na", form_clash=False, type_same=True, both_active=True,
                both_eligible=True, same_audience=True, kind_clash=False, nature_clash=False, name_doubt=False,
                name_overruled=False)
    base.update(over)
    return pd.DataFrame([base])


def test_gates_encode_one_industry_one_association():
    assert gates(_features(region_rel="nested"))[1] == [GATE_NESTED]
    assert gates(_features(origin_rel="different"))[1] == [GATE_ORIGIN]
    assert gates(_features(origin_rel="nested"))[1] == [GATE_ORIGIN]  # 福建 vs 福鼎
    assert gates(_features(form_clash=True))[1] == [GATE_FORM]
    assert gates(_features(both_active=False))[1] == [GATE_INACTIVE]
    assert gates(_features(both_eligible=False))[1] == [GATE_NOT_ASSOCIATION]
    assert gates(_features(same_audience=False))[1] == [GATE_AUDIENCE]
    assert gates(_features(kind_clash=True))[1] == [GATE_KIND]  # 网球协会 (体育类) vs a 行业协会
    # a kind that members and purpose gave: 温州市汽车车友协会 (individuals, a club) vs 温州市汽车行业协会
    assert gates(_features(kind_clash=True, nature_clash=True))[1] == [GATE_NATURE]
    assert gates(_features())[0][0] == 1.0


def test_shipped_scorer_is_reviewable_json_with_sign_constraints():
    s = load_scorer()
    coef = dict(zip(s.features, s.coef))
    assert all(coef[f] >= 0 for f in NONNEGATIVE) and all(coef[f] <= 0 for f in NONPOSITIVE)


def test_shared_members_alone_never_make_a_duplicate():
    t = load_thresholds()
    only_members = _features(shared_members=30.0, member_jacc=0.9, member_cont=1.0, shared_leaders=3.0,
                             desc_cos=np.nan, tfidf_cos=np.nan, core_ratio=0.0, core_cos=0.5)
    assert score_pairs(only_members)["score"].iat[0] < t["duplicate"]


def test_same_industry_same_region_with_similar_scope_is_a_duplicate():
    dup = _features(industry_rel="same", industry_a="footwear", industry_b="footwear", core_ratio=0.5,
                    core_cos=0.9, desc_cos=0.93, tfidf_cos=0.6, shared_members=5.0, member_jacc=0.2, member_cont=0.4)
    assert score_pairs(dup)["score"].iat[0] >= load_thresholds()["duplicate"]
    assert score_pairs(dup.assign(region_rel="nested"))["score"].iat[0] == 0.0


def test_design_matrix_imputes_missing_evidence():
    x = design_matrix(_features(desc_cos=np.nan, tfidf_cos=np.nan, member_jacc=np.nan, member_cont=np.nan))
    assert not np.isnan(x).any() and x.shape == (1, len(MODEL_FEATURES))
    assert x[0, MODEL_FEATURES.index("desc_missing")] == 1.0


def test_scorer_json_round_trip_and_bad_files(tmp_path):
    s = load_scorer()
    again = Scorer.from_json(json.loads(json.dumps(s.to_json())))
    assert np.allclose(again.coef, s.coef)
    with pytest.raises(DetectorError, match="特征"):
        Scorer.from_json({**s.to_json(), "features": ["x"]})
    bad = tmp_path / "scorer.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DetectorError, match="JSON"):
        load_scorer(bad)
    with pytest.raises(DetectorError, match="detector train"):
        load_scorer(tmp_path / "missing.json")


def test_thresholds_load_beside_the_scorer(tmp_path):
    t = load_thresholds()
    assert 0 < t["review"] < t["duplicate"] < 1 and 0 < t["group"] < 1
    bad = tmp_path / "thresholds.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DetectorError, match="JSON"):
        load_thresholds(bad)
    with pytest.raises(DetectorError, match="阈值文件.*detector train"):
        load_thresholds(tmp_path / "missing.json")


def test_calibration_is_a_separate_monotone_stage(tmp_path):
    from detector.lab.calibrate import move_thresholds
    from detector.scoring import Calibration, calibration_path

    s = load_scorer()
    assert calibration_path().is_file() and s.calibration.meta["pairs"] > 0  # fitted on held-out data (or kept off)
    x = design_matrix(_features(core_cos=0.7, desc_cos=0.85))
    stage = Calibration(0.5, -1.0)
    shifted = s.with_calibration(stage)
    assert shifted.coef is s.coef and shifted.probability(x)[0] != s.probability(x)[0]
    logits = np.linspace(-8, 8, 33)
    assert np.all(np.diff(stage.probability(logits)) > 0)  # rankings never change
    moved = move_thresholds({"duplicate": 0.5, "review": 0.3, "group": 0.47}, Calibration(), stage)
    assert moved["duplicate"] == pytest.approx(float(stage.probability(np.array([0.0]))[0]), abs=1e-4)
    (tmp_path / "scorer.json").write_text(json.dumps(s.to_json()), encoding="utf-8")
    assert load_scorer(tmp_path / "scorer.json").calibration == Calibration()  # no stage beside it: none
    (tmp_path / "calibration.json").write_text(json.dumps({"kind": "platt", "a": -1, "b": 0}), encoding="utf-8")
    load_scorer.cache_clear()
    with pytest.raises(DetectorError, match="校准"):
        load_scorer(tmp_path / "scorer.json")


def test_scope_and_members_outweigh_a_silent_name():
    """Issue 16: nothing in common in the names, but near-identical scope, 80% of the members shared and member
    enterprises of one industry: a duplicate whatever the name says; the same texts without the members are not."""
    silent = _features(industry_rel="same", industry_a="eyewear", industry_b="eyewear", industry_conf=0.5,
                       core_ratio=0.0, core_cos=0.55, name_ratio=0.3, desc_cos=0.96, tfidf_cos=0.8, type_same=False,
                       services_jacc=0.3, shared_members=21.0, member_jacc=0.6, member_cont=0.8)
    t = load_thresholds()
    assert score_pairs(silent)["score"].iat[0] >= t["group"]
    strangers = silent.assign(shared_members=0.0, member_jacc=0.0, member_cont=0.0,
                              industry_rel="different", tfidf_cos=0.15)
    assert score_pairs(strangers)["score"].iat[0] < t["review"]


def test_a_look_alike_that_its_own_scope_and_members_refute_is_not_grouped():
    """Issue 16, the reverse: a name like the trade association's (温州市鞋业发展促进会 beside 温州市鞋业协会), but its
    own scope and members say another trade, so its industry is that trade's (the name overruled): however alike
    the names, not grouped. A name that stands against a scope in a field beside it never scores higher for the
    doubt (the coefficient is kept at or below zero)."""
    look_alike = _features(industry_rel="different", industry_a="fasteners", industry_b="footwear", industry_conf=0.25,
                           name_doubt=True, name_overruled=True, core_ratio=0.67, core_cos=0.93, name_ratio=0.7,
                           desc_cos=0.8, tfidf_cos=0.1, services_jacc=0.1, shared_members=0.0, member_jacc=0.0,
                           member_cont=0.0)
    t = load_thresholds()
    assert score_pairs(look_alike)["score"].iat[0] < t["review"]
    standing = look_alike.assign(industry_rel="same", industry_a="footwear", name_overruled=False)
    assert score_pairs(standing)["score"].iat[0] <= score_pairs(standing.assign(name_doubt=False))["score"].iat[0]
    assert "ind_same_doubt" in NONPOSITIVE


def test_one_industry_and_the_same_members_is_one_constituency_whatever_the_wording():
    """Issue 16: 华瑞装备产业发展促进会 — the name says 装备, its scope (worded its own way: TF-IDF 0.35) and its
    members say advertising, 21 of its 22 members are the advertising association's: grouped. The same pair
    sharing no member is not."""
    pair = _features(industry_rel="same", industry_a="advertising", industry_b="advertising", industry_conf=0.16,
                     name_doubt=True, name_overruled=True, core_ratio=0.2, core_cos=0.64, name_ratio=0.3, desc_cos=0.88,
                     tfidf_cos=0.35,
                     type_same=False, services_jacc=0.33, shared_members=21.0, member_jacc=0.8, member_cont=0.95)
    t = load_thresholds()
    assert score_pairs(pair)["score"].iat[0] >= t["group"]
    alone = pair.assign(shared_members=0.0, member_jacc=0.0, member_cont=0.0)
    assert score_pairs(alone)["score"].iat[0] < t["review"]
    x = dict(zip(MODEL_FEATURES, design_matrix(pair)[0]))
    assert x["trade_and_members"] == 1.0 and x["scope_and_members"] == 0.0  # the wording alone would not say
    assert dict(zip(MODEL_FEATURES, design_matrix(pair.assign(industry_rel="related"))[0]))["trade_and_members"] == 0


def test_scope_and_members_feature_needs_both():
    x = dict(zip(MODEL_FEATURES, design_matrix(_features(tfidf_cos=0.9, member_cont=0.8))[0]))
    assert x["scope_and_members"] == 1.0
    assert dict(zip(MODEL_FEATURES, design_matrix(_features(tfidf_cos=0.9, member_cont=0.1))[0]))["scope_and_members"] == 0
    assert dict(zip(MODEL_FEATURES, design_matrix(_features(tfidf_cos=np.nan, member_cont=0.9))[0]))["scope_and_members"] == 0


def test_pairs_scored_in_slices_are_the_pairs_scored_at_once(synth_engine, monkeypatch):
    """A registry's candidate pairs are featured and scored in slices (memory): the frame is the one-slice frame."""
    import detector.scoring as scoring

    whole = scoring.score_candidates(synth_engine.profiles, scorer=synth_engine.scorer)
    assert len(whole) > 100
    monkeypatch.setattr(scoring, "PAIR_SLICE", 37)
    pd.testing.assert_frame_equal(scoring.score_candidates(synth_engine.profiles, scorer=synth_engine.scorer), whole,
                                  check_exact=True)


def test_scored_slices_join_into_the_same_frame_however_they_were_cut():
    import pandas as pd

    from detector.scoring import LABEL_COLUMNS, concat_slices

    whole = pd.DataFrame({"id_a": ["a", "b", "c", "d"], "score": [0.1, 0.2, 0.3, 0.4], "i": [0, 1, 2, 3],
                          **{c: ["x", "", "y", "x"] for c in LABEL_COLUMNS}}).astype({c: "category" for c in LABEL_COLUMNS})

    def cut(frame, at):
        return (frame.iloc[lo:hi].reset_index(drop=True).astype({c: "category" for c in LABEL_COLUMNS})
                for lo, hi in zip([0, *at], [*at, len(frame)]))

    one = concat_slices(cut(whole, []), 4)
    for at in ([1], [2, 3], [1, 2, 3]):
        pd.testing.assert_frame_equal(concat_slices(cut(whole, at), 4), one, check_exact=True)
    assert list(one["industry_rel"].cat.categories) == ["", "x", "y"]
    widened = concat_slices(iter([whole.iloc[:2].assign(i=[0, 1]), whole.iloc[2:].assign(i=[2.5, 3.0])]), 4)
    assert widened["i"].tolist() == [0.0, 1.0, 2.5, 3.0]
