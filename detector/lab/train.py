"""Train the pair scorer and choose thresholds on generated labelled registries.

Training, validation (thresholds) and evaluation (``detector evaluate``) use disjoint seeds and
cities; evaluation also uses variation settings the scorer never saw.
"""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..embed import Embedder
from ..io import load_registry, write_json
from ..paths import models_dir
from ..profiles import Profiles, build_profiles
from ..learn import penalised_logistic
from ..scoring import (MODEL_FEATURES, Scorer, design_matrix, gates, load_scorer, load_thresholds,
                       score_candidates, sign_bounds)
from .calibrate import fit_stage, move_thresholds
from .metrics import group_pairs
from .synth import SynthConfig, generate, write


@dataclass(frozen=True)
class Dataset:
    seed: int
    variation: str
    city: str
    n: int = 300

    @property
    def masked(self) -> bool:
        """Whether its pairs also train with evidence removed. Not where names are silent: there only scope
        and members tell a duplicate, and one without them is no duplicate anyone could see."""
        return self.variation != "silent"

    @property
    def name(self) -> str:
        return f"{self.city}-{self.variation}-{self.seed}-{self.n}"


TRAIN_SETS = tuple(
    Dataset(seed, variation, city)
    for seed, (variation, city) in enumerate(
        [("clean", "温州市"), ("standard", "温州市"), ("standard", "台州市"), ("noisy", "泉州市"),
         ("standard", "佛山市"), ("clean", "成都市"), ("noisy", "温州市"), ("standard", "潍坊市"),
         ("silent", "台州市"), ("silent", "泉州市"), ("silent", "成都市")],
        start=100,
    )
)
VALIDATION_SETS = (Dataset(500, "standard", "苏州市"), Dataset(501, "noisy", "台州市"), Dataset(502, "standard", "温州市"),
                   Dataset(503, "silent", "佛山市"))

# Evidence groups dropped at random while training, so the scorer copes with registries that lack
# members, scopes or services (names-only data) instead of leaning on whatever the generator fills in.
# "no_overlap" keeps member data but removes the overlap: duplicates need not share members.
_MASKS = {
    "members": (("shared_members", 0.0), ("member_jacc", np.nan), ("member_cont", np.nan)),
    "no_overlap": (("shared_members", 0.0), ("member_jacc", 0.0), ("member_cont", 0.0), ("shared_leaders", 0.0)),
    "desc": (("desc_cos", np.nan), ("tfidf_cos", np.nan)),
    "services": (("services_jacc", np.nan),),
    "leaders": (("shared_leaders", 0.0),),
}
_NAMES_ONLY = tuple(pair for cols in (_MASKS["members"], _MASKS["desc"], _MASKS["services"], _MASKS["leaders"])
                    for pair in cols)
_SYNTH_DIR = Path(__file__).with_name("synth")


def _generator_stamp(config: SynthConfig) -> str:
    """Identifies the generator version and config, so stale generated data is never reused."""
    h = hashlib.sha1(repr(config).encode())
    for f in sorted(_SYNTH_DIR.glob("*.py")) + sorted(_SYNTH_DIR.glob("*.toml")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def materialise(ds: Dataset, root: Path) -> Path:
    """Generate a labelled dataset into ``root/<name>`` (reused only when made by this generator)."""
    folder = root / ds.name
    config = SynthConfig(seed=ds.seed, variation=ds.variation, city=ds.city, n_associations=ds.n)
    stamp = folder / "generator.sha1"
    if not stamp.is_file() or stamp.read_text() != _generator_stamp(config):
        write(generate(config), folder)
        stamp.write_text(_generator_stamp(config))
    return folder


def truth_pairs(folder: Path) -> set[frozenset[str]]:
    groups = pd.read_csv(folder / "labels" / "groups.csv", dtype=str, encoding="utf-8-sig")
    return group_pairs(groups.groupby("group")["id"].apply(list))


def registry_profiles(folder: Path, embedder: Embedder) -> Profiles:
    reg = load_registry(folder / "registry")
    return build_profiles(reg.associations, reg.memberships, embedder, reg.home)


def labelled_features(folder: Path, embedder: Embedder, scorer: Scorer | None = None) -> pd.DataFrame:
    """Scored candidate pairs of a labelled registry with a ``label`` column (1 = same group)."""
    profiles = registry_profiles(folder, embedder)
    f = score_candidates(profiles, scorer=scorer or _neutral_scorer())
    truth = truth_pairs(folder)
    f["label"] = [int(frozenset(p) in truth) for p in zip(f["id_a"], f["id_b"])]
    f.attrs["missed"] = len(truth - {frozenset(p) for p in zip(f["id_a"], f["id_b"])})
    f.attrs["true_pairs"] = len(truth)
    return f


def _neutral_scorer() -> Scorer:
    k = len(MODEL_FEATURES)
    return Scorer(MODEL_FEATURES, np.zeros(k), np.ones(k), np.zeros(k), 0.0, {})


def augment(f: pd.DataFrame, rng: np.random.Generator, copies: int = 2, rate: float = 0.35) -> pd.DataFrame:
    """The pairs plus ``copies`` versions with evidence groups randomly removed."""
    out = [f]
    for _ in range(copies):
        g = f.copy()
        for cols in (*_MASKS.values(), _NAMES_ONLY):  # each group alone, and all at once (names only)
            drop = rng.random(len(g)) < rate
            for col, value in cols:
                g.loc[drop, col] = value
        out.append(g)
    return pd.concat(out, ignore_index=True)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """L2-regularised logistic regression with sign constraints (L-BFGS-B). Returns mean, scale, coef, b."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    coef, b = penalised_logistic((x - mean) / scale, y, l2, bounds=sign_bounds())
    return mean, scale, coef, b


def fit_scorer(frames: list[pd.DataFrame], seed: int = 0, masked: list[bool] | None = None) -> Scorer:
    """Fit on the gate-open pairs (policy gates decide the rest); ``masked``: whether a frame's pairs also enter
    with evidence groups removed (``augment``)."""
    rng = np.random.default_rng(seed)
    masked = masked or [True] * len(frames)
    parts = [g[gates(g)[0] > 0].reset_index(drop=True) for g in frames]
    f = pd.concat([augment(g, rng) if m else g for g, m in zip(parts, masked)], ignore_index=True)
    mean, scale, coef, b = fit_logistic(design_matrix(f), f["label"].to_numpy(float))
    meta = {"trained": date.today().isoformat(), "pairs": int(len(f)), "positives": int(f["label"].sum()),
            "datasets": [d.name for d in TRAIN_SETS]}
    return Scorer(MODEL_FEATURES, mean, scale, coef, b, meta)


def _recall_threshold(scores: np.ndarray, labels: np.ndarray, recall: float) -> float:
    pos = np.sort(scores[labels == 1])
    if not len(pos):
        return 0.5
    return float(pos[int(np.floor((1 - recall) * len(pos)))])


def _pr_at(scores: np.ndarray, labels: np.ndarray, t: float) -> dict:
    pred = scores >= t
    tp = int((pred & (labels == 1)).sum())
    return {"threshold": round(t, 4), "precision": round(tp / max(1, pred.sum()), 4),
            "recall": round(tp / max(1, (labels == 1).sum()), 4)}


def screening_scores(folder: Path, embedder: Embedder, scorer: Scorer) -> pd.DataFrame:
    """Per application of a labelled batch: its best policy-open score against the registry."""
    reg = load_registry(folder / "registry")
    reg_p = build_profiles(reg.associations, reg.memberships, embedder, reg.home)
    apps = load_registry(folder / "applications", kind="applications", home=reg.home)
    app_p = build_profiles(apps.associations, apps.memberships, embedder, reg.home, reg_p.vectorizer)
    pairs = score_candidates(app_p, reg_p, scorer=scorer)
    best = pairs.groupby("id_a")["score"].max()
    labels = pd.read_csv(folder / "labels" / "applications.csv", dtype=str, encoding="utf-8-sig")
    return pd.DataFrame({"best": labels["id"].map(best).fillna(0.0).to_numpy(), "verdict": labels["verdict"]})


def choose_thresholds(frames: list[pd.DataFrame], screening: pd.DataFrame, max_false_duplicate: float = 0.02) -> dict:
    """Operating points on validation data, favouring recall (a missed duplicate costs more).

    - ``duplicate``: the lowest best-match score at which at most ``max_false_duplicate`` of the
      applications that are not duplicates would be called duplicate;
    - ``review``: the highest pair score keeping 99.5% of true duplicate pairs (below ``duplicate``);
    - ``group``: the middle of the plateau of best F1 over pair scores, for merger groups.
    """
    f = pd.concat(frames, ignore_index=True)
    s, y = f["score"].to_numpy(), f["label"].to_numpy()
    others = np.sort(screening.loc[screening["verdict"].isin(["clear", "review"]), "best"].to_numpy())
    allowed = int(np.floor(max_false_duplicate * len(others)))
    dup = float(np.clip(others[len(others) - 1 - allowed] + 1e-4 if len(others) else 0.5, 0.5, 0.95))
    review = max(0.05, min(_recall_threshold(s, y, 0.995), dup * 0.6))
    grid = np.linspace(0.05, 0.95, 91)
    f1 = []
    for t in grid:
        tp = ((s >= t) & (y == 1)).sum()
        p, r = tp / max(1, (s >= t).sum()), tp / max(1, (y == 1).sum())
        f1.append(2 * p * r / (p + r) if p + r else 0)
    best = np.flatnonzero(np.asarray(f1) >= max(f1) - 0.005)  # the plateau of best F1: take its middle
    group = float(grid[best[len(best) // 2]])
    is_dup = (screening["verdict"] == "duplicate").to_numpy()
    called = screening["best"].to_numpy() >= dup
    return {
        "duplicate": round(dup, 4),
        "review": round(review, 4),
        "group": round(group, 4),
        "validation": {
            "screening": {"duplicates_caught": round(float(called[is_dup].mean()), 4) if is_dup.any() else None,
                          "others_called_duplicate": round(float(called[~is_dup].mean()), 4) if (~is_dup).any() else None,
                          "applications": int(len(screening))},
            "review": _pr_at(s, y, review), "group": _pr_at(s, y, group),
            "datasets": [d.name for d in VALIDATION_SETS]},
    }


def train(embedder: Embedder, out_dir: Path | None = None, workdir: Path | None = None, log=print) -> dict:
    """Generate data, fit the scorer and its calibration stage, choose thresholds on calibrated scores;
    write ``scorer.json``, ``calibration.json`` and ``thresholds.json``."""
    out_dir = out_dir or models_dir()
    with tempfile.TemporaryDirectory() as tmp:
        root = workdir or Path(tmp)
        train_frames = []
        for ds in TRAIN_SETS:
            log(f"训练数据：{ds.name}")
            train_frames.append(labelled_features(materialise(ds, root), embedder))
        scorer = fit_scorer(train_frames, masked=[ds.masked for ds in TRAIN_SETS])
        folders = []
        for ds in VALIDATION_SETS:
            log(f"验证数据：{ds.name}")
            folders.append(materialise(ds, root))
        calibration, report = fit_stage(scorer, [labelled_features(f, embedder, scorer) for f in folders])
        scorer = scorer.with_calibration(calibration)
        val_frames = [labelled_features(f, embedder, scorer) for f in folders]
        val_screen = [screening_scores(f, embedder, scorer) for f in folders]
    thresholds = choose_thresholds(val_frames, pd.concat(val_screen, ignore_index=True))
    thresholds["validation"]["calibration"] = report
    write_json(scorer.to_json(), out_dir / "scorer.json")
    write_json(calibration.to_json(), out_dir / "calibration.json")
    write_json(thresholds, out_dir / "thresholds.json")
    recall = 1 - sum(f.attrs["missed"] for f in train_frames) / max(1, sum(f.attrs["true_pairs"] for f in train_frames))
    return {"scorer": scorer.to_json(), "thresholds": thresholds, "blocking_recall_train": round(recall, 4)}


def recalibrate(embedder: Embedder, models: Path | None = None, workdir: Path | None = None, log=print) -> dict:
    """Refit the calibration stage of the scorer in ``models`` (default ``models/``) on the validation sets
    and move its thresholds with it (every verdict and group unchanged); writes ``calibration.json`` and
    ``thresholds.json``."""
    models = models or models_dir()
    scorer = load_scorer(models / "scorer.json")
    thresholds = load_thresholds(models / "thresholds.json")
    with tempfile.TemporaryDirectory() as tmp:
        frames = []
        for ds in VALIDATION_SETS:
            log(f"验证数据：{ds.name}")
            frames.append(labelled_features(materialise(ds, workdir or Path(tmp)), embedder, scorer))
    calibration, report = fit_stage(scorer, frames)
    moved = move_thresholds(thresholds, scorer.calibration, calibration)
    moved.setdefault("validation", {})["calibration"] = report
    write_json(calibration.to_json(), models / "calibration.json")
    write_json(moved, models / "thresholds.json")
    load_scorer.cache_clear()
    return {"calibration": calibration.to_json(), "thresholds": moved}
