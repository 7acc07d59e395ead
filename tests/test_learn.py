"""A registry's own model: the shipped model as prior, adopted only when it does better on the labels."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from detector.active import queue
from detector.errors import DetectorError
from detector.learn import MIN_LABELS, LabelledPairs, fit_model, gather, learn, penalised_logistic
from detector.model import learned_model_path, load_model, read_learned, save_learned, shipped_model
from detector.scoring import NONNEGATIVE, score_candidates, score_pairs


@pytest.fixture(scope="module")
def practice(synth_dir, synth_engine):
    """The generated registry under another practice: bodies of one industry with different organisation
    types (商会 / 行业协会 / 联合会 …) are not duplicates; 异地商会 as usual. Returns (pairs, truth)."""
    groups = pd.read_csv(synth_dir / "labels" / "groups.csv", dtype=str)
    p = synth_engine.profiles
    kind = dict(zip(p.frame["id"], p.frame["eff_type"]))
    split = [g if kind[i] == "异地商会" else f"{g}/{kind[i]}" for i, g in zip(groups["id"], groups["group"])]
    truth = {frozenset((a, b)) for _, ids in pd.Series(groups["id"].to_numpy()).groupby(split) for a in ids
             for b in ids if a < b}
    return score_candidates(p, scorer=synth_engine.scorer), truth


def answered(pairs: pd.DataFrame, truth: set, rows: pd.DataFrame) -> LabelledPairs:
    labels = [int(frozenset(k) in truth) for k in zip(rows["id_a"], rows["id_b"])]
    return LabelledPairs(rows.assign(label=labels, source="test", reviewer="", labelled_at="", name_a="", name_b=""))


def rows_of(pairs: pd.DataFrame, q: pd.DataFrame) -> pd.DataFrame:
    index = {frozenset(k): n for n, k in enumerate(zip(pairs["id_a"], pairs["id_b"]))}
    return pairs.iloc[[index[frozenset(k)] for k in zip(q["id_a"], q["id_b"])]]


def test_prior_pulls_towards_the_centre():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(30, 3))
    y = (rng.random(30) < 0.5).astype(float)
    centre = np.array([2.0, -1.0, 0.5])
    strong, _ = penalised_logistic(z, y, 1e6, centre, l2_intercept=1e6)
    weak, _ = penalised_logistic(z, y, 1e-3, centre, l2_intercept=1e-3)
    assert np.allclose(strong, centre, atol=1e-3) and not np.allclose(weak, centre, atol=0.3)


def test_too_few_labels_are_refused_with_the_count(practice):
    pairs, truth = practice
    open_ = pairs[pairs["gate_reason"] == ""]
    result = learn(answered(pairs, truth, open_.head(MIN_LABELS - 1)))
    assert not result.adopted and f"至少需要 {MIN_LABELS} 对" in result.message


def test_a_registry_practice_is_learned_from_the_queue(practice, synth_engine, tmp_path):
    """Rounds of ten labels from the queue: the learned model groups the pairs nobody labelled better."""
    pairs, truth = practice
    p, shipped = synth_engine.profiles, shipped_model()
    labelled = None
    model = shipped
    for _ in range(4):
        scored = score_pairs(pairs, model.scorer)
        q = queue(p, scored, model.scorer, model.thresholds["group"], 10,
                  labelled.features if labelled else None, float(model.provenance.get("l2", 1.0)))
        assert (q["label"] == "").all() and len(q) == 10
        new = answered(pairs, truth, rows_of(pairs, q))
        labelled = new if labelled is None else LabelledPairs(pd.concat([labelled.features, new.features]))
        result = learn(labelled)
        model = result.model or shipped
    assert result.adopted, result.message
    assert result.after.log_loss < result.before.log_loss
    coef = dict(zip(model.scorer.features, model.scorer.coef))
    assert all(coef[f] >= 0 for f in NONNEGATIVE)
    asked = {frozenset(k) for k in zip(labelled.features["id_a"], labelled.features["id_b"])}

    def errors(m) -> int:
        s = score_pairs(pairs, m.scorer)
        called = {frozenset(k) for k, v in zip(zip(s["id_a"], s["id_b"]), s["score"]) if v >= m.thresholds["group"]}
        return len((called ^ truth) - asked)

    assert errors(model) < errors(shipped)
    path = save_learned(model, tmp_path)
    assert path == learned_model_path(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["provenance"]["labels"] == len(labelled.open) and data["provenance"]["shipped"]
    again = load_model(tmp_path)
    assert again.learned and np.allclose(again.scorer.coef, model.scorer.coef, atol=1e-6)
    assert "本登记库学习的模型" in again.describe()
    assert not load_model(tmp_path, use_learned=False).learned


def test_labels_the_shipped_model_gets_right_teach_nothing_and_are_not_adopted(synth_dir, practice):
    """Under the default practice the shipped model is right: a refit cannot beat it, so it is refused."""
    pairs, _ = practice
    groups = pd.read_csv(synth_dir / "labels" / "groups.csv", dtype=str)
    group = dict(zip(groups["id"], groups["group"]))
    open_ = pairs[pairs["gate_reason"] == ""]
    rows = pd.concat([open_[open_["score"] > 0.5].head(15), open_[open_["score"] <= 0.5].head(25)])
    labels = [int(group[a] == group[b]) for a, b in zip(rows["id_a"], rows["id_b"])]
    result = learn(LabelledPairs(rows.assign(label=labels, source="test", reviewer="", labelled_at="", name_a="",
                                             name_b="")))
    assert not result.adopted and "并不比内置模型好" in result.message
    assert result.before.confusion.errors <= result.after.confusion.errors


def test_a_model_learned_from_another_shipped_model_is_set_aside(tmp_path, practice):
    pairs, truth = practice
    open_ = pairs[pairs["gate_reason"] == ""]
    y = np.array([int(frozenset(k) in truth) for k in zip(open_["id_a"], open_["id_b"])])
    from detector.scoring import design_matrix

    fitted = fit_model(design_matrix(open_), y.astype(float), shipped_model())
    model = shipped_model().__class__(fitted.scorer, fitted.thresholds, True, {"shipped": "0" * 64, "labels": 3})
    save_learned(model, tmp_path)
    assert read_learned(learned_model_path(tmp_path)).learned
    used = load_model(tmp_path)
    assert not used.learned and "另一版本的内置模型" in used.note
    data = json.loads(learned_model_path(tmp_path).read_text(encoding="utf-8"))
    data["scorer"]["features"] = ["a feature of an older version"]  # other features: set aside, not an error
    learned_model_path(tmp_path).write_text(json.dumps(data), encoding="utf-8")
    assert not load_model(tmp_path).learned
    learned_model_path(tmp_path).write_text("{damaged", encoding="utf-8")
    with pytest.raises(DetectorError, match="无法读取"):
        load_model(tmp_path)


def test_decisions_are_labels(synth_dir, synth_engine):
    """建议加入 X: the application duplicates X; 准予登记: none of the matches shown."""
    from detector.web.db import DecisionLabel

    apps = pd.read_csv(synth_dir / "applications" / "associations.csv", dtype=str).fillna("")
    registered = synth_engine.registry.associations["id"].tolist()
    app = {k: v for k, v in apps.iloc[0].to_dict().items() if v}
    decisions = [DecisionLabel({**app, "members": []}, "run1", 1, registered[0], 1, "王", "2024-01-01T00:00:00"),
                 DecisionLabel({**app, "members": []}, "run1", 1, registered[1], 0, "王", "2024-01-01T00:00:00"),
                 DecisionLabel({**app, "members": []}, "run2", 3, "not-registered", 0, "王", "2024-01-02T00:00:00")]
    labelled = gather(synth_engine, decisions=decisions)
    f = labelled.features
    assert f["label"].tolist() == [1, 0] and set(f["source"]) == {"审查决定"}
    assert f["id_a"].tolist() == ["run1:1", "run1:1"] and f["name_a"].tolist() == [app["name"]] * 2
    assert any("已不在登记库中" in w for w in labelled.warnings)


def test_workbench_labels_of_removed_associations_are_left_out(synth_engine):
    ids = synth_engine.registry.associations["id"].tolist()
    table = pd.DataFrame({"id_a": [ids[0], "gone"], "id_b": [ids[1], ids[2]], "label": [0, 1], "reviewer": "王",
                          "labelled_at": ""})
    labelled = gather(synth_engine, workbench=table)
    assert labelled.features["id_b"].tolist() == [ids[1]] and labelled.counts() == {"工作台标注": 1}
    assert any("已不在登记库中" in w for w in labelled.warnings)
