import numpy as np
import pandas as pd

from detector.lab.train import Dataset, augment, choose_thresholds, fit_logistic, materialise
from detector.scoring import MODEL_FEATURES, NONNEGATIVE


def test_sign_constraints_hold_even_against_the_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(MODEL_FEATURES)))
    k = MODEL_FEATURES.index("core_cos")
    y = (x[:, k] < 0).astype(float)  # the data says "more similar → less duplicate"
    _, _, coef, _ = fit_logistic(x, y)
    assert coef[k] >= 0  # similarity may never lower the score
    assert all(coef[MODEL_FEATURES.index(f)] >= -1e-12 for f in NONNEGATIVE)


def test_augment_removes_evidence_but_keeps_originals():
    f = pd.DataFrame({"shared_members": [5.0] * 50, "member_jacc": [0.5] * 50, "member_cont": [0.6] * 50,
                      "desc_cos": [0.9] * 50, "tfidf_cos": [0.5] * 50, "services_jacc": [0.3] * 50,
                      "shared_leaders": [1.0] * 50})
    out = augment(f, np.random.default_rng(1))
    assert len(out) == 150 and out.iloc[:50].equals(f)
    assert out["desc_cos"].isna().any() and (out["shared_members"] == 0).any()


def test_thresholds_favour_catching_duplicates():
    scores = np.r_[np.linspace(0.5, 1.0, 100), np.linspace(0.0, 0.6, 400)]
    frame = pd.DataFrame({"score": scores, "label": np.r_[np.ones(100), np.zeros(400)]})
    screening = pd.DataFrame({"best": np.r_[np.linspace(0.76, 1.0, 50), np.linspace(0.0, 0.75, 100)],
                              "verdict": ["duplicate"] * 50 + ["clear"] * 100})
    t = choose_thresholds([frame], screening)
    v = t["validation"]["screening"]
    assert t["review"] <= t["duplicate"] <= 0.75
    assert v["others_called_duplicate"] <= 0.02 and v["duplicates_caught"] >= 0.95


def test_generated_data_is_reused_only_when_current(tmp_path):
    ds = Dataset(1, "clean", "温州市", 40)
    folder = materialise(ds, tmp_path)
    stamp = (folder / "generator.sha1").read_text()
    (folder / "registry" / "associations.csv").write_text("id,name\n", encoding="utf-8")
    assert materialise(ds, tmp_path) == folder  # same stamp: reused as is
    (folder / "generator.sha1").write_text("old")
    materialise(ds, tmp_path)
    assert (folder / "generator.sha1").read_text() == stamp
    assert len(pd.read_csv(folder / "registry" / "associations.csv")) == 40
