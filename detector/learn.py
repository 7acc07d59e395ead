"""A registry's own model (``detector learn``): the shipped model adjusted by the registry's labels.

Labels come from a labels file (FORMAT.md "labels.csv"), the workbench's 标注 page and the reviewers'
decisions (建议加入 X: the application duplicates X; 准予登记: it duplicates none of the matches shown).
Only pairs the policy gates leave open are learned from: gates are rules, never overturned by labels.

The fit is a logistic regression on the shipped features whose prior is the shipped model *after* its
calibration stage: the penalty ``l2/2 · ‖w − w_shipped‖²`` keeps a few dozen labels from replacing it.
``l2`` is chosen by cross-validation; a calibration stage (Platt) is refitted on out-of-fold logits when
there are enough labels of each kind, and the study's group threshold is re-chosen only with many. The
figures before and after come from nested cross-validation (the labels a fold is measured on never chose
its ``l2``, its calibration or its threshold); a model no better than the shipped one is not adopted.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit

from .accuracy import Confusion, Reliability, log_loss, reliability
from .engine import Engine
from .errors import DetectorError, InputError
from .io import load_tables
from .io.labels import Labels
from .model import Model, shipped_hash, shipped_model
from .profiles import build_profiles
from .scoring import Calibration, Scorer, design_matrix, sign_bounds
from .screen import _threadpools

DEFAULT_L2 = 1.0
L2_GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
MIN_LABELS = 10  # gate-open labelled pairs needed to learn at all
MIN_EACH = 3  # of them duplicates and non-duplicates each: one kind alone cannot show what a change costs
MIN_CALIBRATION = 20  # and at least 5 of each kind, to refit the calibration stage
MIN_EACH_THRESHOLD = 30  # duplicates and non-duplicates each, to re-choose the group threshold
FOLDS = 10
MIN_GAIN = 0.01  # log-loss gain that counts when the errors stay the same (less is noise)
SOURCE_FILE, SOURCE_WORKBENCH, SOURCE_DECISION = "标注文件", "工作台标注", "审查决定"


# ------------------------------------------------------------------------------------------ fitting


def penalised_logistic(z: np.ndarray, y: np.ndarray, l2: float, centre: np.ndarray | None = None,
                       bounds: list | None = None, l2_intercept: float = 0.0, centre_intercept: float = 0.0,
                       start: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Logistic regression minimising mean log-loss + (l2‖w − centre‖² + l2_intercept (b − centre_b)²) / 2n,
    with optional coefficient bounds (L-BFGS-B). Returns (w, b)."""
    n, k = z.shape
    c = np.zeros(k) if centre is None else np.asarray(centre, dtype=float)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        p = expit(z @ w[:k] + w[k])
        d, db = w[:k] - c, w[k] - centre_intercept
        eps = 1e-12
        ll = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)) \
            + (l2 * (d @ d) + l2_intercept * db * db) / (2 * n)
        grad_t = (p - y) / n
        return ll, np.append(z.T @ grad_t + l2 / n * d, grad_t.sum() + l2_intercept / n * db)

    x0 = np.zeros(k + 1) if start is None else np.asarray(start, dtype=float)
    res = minimize(loss, x0, jac=True, method="L-BFGS-B", bounds=(bounds or [(None, None)] * k) + [(None, None)])
    return res.x[:k], float(res.x[k])


def prior_of(shipped: Scorer) -> tuple[np.ndarray, float]:
    """The shipped model's coefficients after its calibration stage (the logit the probability is read from)."""
    a, b = shipped.calibration.a, shipped.calibration.b
    return a * shipped.coef, a * shipped.intercept + b


def _fit(z: np.ndarray, y: np.ndarray, shipped: Scorer, l2: float) -> tuple[np.ndarray, float]:
    w0, b0 = prior_of(shipped)
    return penalised_logistic(z, y, l2, w0, sign_bounds(shipped.features), l2, b0, np.append(w0, b0))


def _folds(y: np.ndarray, k: int, seed: int) -> list[np.ndarray]:
    """Stratified folds (indices held out per fold); ``k`` at most the number of labels."""
    rng = np.random.default_rng(seed)
    k = max(2, min(k, len(y)))
    assign = np.empty(len(y), dtype=int)
    for cls in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == cls))
        assign[idx] = (np.arange(len(idx)) + rng.integers(k)) % k
    return [np.flatnonzero(assign == f) for f in range(k) if (assign == f).any()]


def _oof_logits(z: np.ndarray, y: np.ndarray, shipped: Scorer, l2: float, k: int, seed: int) -> np.ndarray:
    out = np.empty(len(y))
    for held in _folds(y, k, seed):
        train = np.setdiff1d(np.arange(len(y)), held)
        w, b = _fit(z[train], y[train], shipped, l2)
        out[held] = z[held] @ w + b
    return out


def _pointwise_loss(logits: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    p = np.clip(expit(logits), eps, 1 - eps)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _choose_l2(z: np.ndarray, y: np.ndarray, shipped: Scorer, seed: int) -> tuple[float, np.ndarray]:
    """The prior strength with the lowest cross-validated log-loss (ties: the stronger prior), and its
    out-of-fold logits."""
    best = None
    for l2 in sorted(L2_GRID, reverse=True):
        oof = _oof_logits(z, y, shipped, l2, min(5, len(y)), seed)
        loss = log_loss(expit(oof), y)
        if best is None or loss < best[0] - 1e-9:
            best = (loss, l2, oof)
    return best[1], best[2]


def _enough(y: np.ndarray, total: int, each: int) -> bool:
    return len(y) >= total and min(int(y.sum()), int(len(y) - y.sum())) >= each


def fit_calibration(logits: np.ndarray, y: np.ndarray) -> Calibration:
    """Platt scaling of out-of-fold logits, shrunk towards no change (a = 1, b = 0)."""
    if not _enough(y, MIN_CALIBRATION, 5):
        return Calibration()
    w, b = penalised_logistic(logits[:, None], y, 1.0, np.ones(1), [(0.05, None)], 1.0, 0.0, np.array([1.0, 0.0]))
    return Calibration(float(w[0]), b, {"labels": int(len(y))})


def _f1_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The middle of the plateau of best F1 over 0.05 … 0.95 (as ``detector train`` chooses ``group``)."""
    grid = np.linspace(0.05, 0.95, 91)
    f1 = np.array([Confusion.of(p >= t, y == 1).f1 for t in grid])
    plateau = np.flatnonzero(f1 >= f1.max() - 0.005)
    return float(grid[plateau[len(plateau) // 2]])


@dataclass(frozen=True)
class Fitted:
    scorer: Scorer
    thresholds: dict
    l2: float
    thresholds_rechosen: bool


def fit_model(x: np.ndarray, y: np.ndarray, shipped: Model, seed: int = 0) -> Fitted:
    """The registry's model from gate-open labelled pairs (design matrix ``x``, labels ``y``)."""
    base = shipped.scorer
    z = base.standardise(x)
    l2, oof = _choose_l2(z, y, base, seed)
    calibration = fit_calibration(oof, y)
    w, b = _fit(z, y, base, l2)
    meta = {"trained": date.today().isoformat(), "pairs": int(len(y)), "positives": int(y.sum()),
            "prior": "shipped", "l2": l2}
    scorer = Scorer(base.features, base.mean, base.scale, w, b, meta, calibration)
    thresholds = dict(shipped.thresholds)
    rechosen = _enough(y, 0, MIN_EACH_THRESHOLD)
    if rechosen:
        thresholds["group"] = round(_f1_threshold(calibration.probability(oof), y), 4)
    return Fitted(scorer, {k: thresholds[k] for k in ("duplicate", "review", "group")}, l2, rechosen)


def nested_cv(x: np.ndarray, y: np.ndarray, shipped: Model, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Honest out-of-fold probabilities of the learning procedure, and the group threshold each pair was
    judged at: every outer fold repeats the whole :func:`fit_model` on the other labels."""
    p = np.empty(len(y))
    t = np.empty(len(y))
    for held in _folds(y, FOLDS, seed):
        train = np.setdiff1d(np.arange(len(y)), held)
        fitted = fit_model(x[train], y[train], shipped, seed)
        p[held] = fitted.scorer.probability(x[held])
        t[held] = fitted.thresholds["group"]
    return p, t


# ------------------------------------------------------------------------------------- labelled pairs


@dataclass
class LabelledPairs:
    """Labelled pairs with their features (scored by the engine's model): ``features`` has the pair
    feature columns plus ``label`` (1/0), ``source``, ``reviewer``, ``labelled_at``, ``name_a``, ``name_b``."""

    features: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def open(self) -> pd.DataFrame:
        """The pairs the policy gates leave open (the only ones learned from)."""
        return self.features[self.features["gate_reason"] == ""]

    @property
    def gated(self) -> pd.DataFrame:
        return self.features[self.features["gate_reason"] != ""]

    def counts(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in self.features["source"].value_counts().items()}


_META = ("label", "source", "reviewer", "labelled_at")


def _pair_rows(labels: pd.DataFrame, source: str) -> pd.DataFrame:
    return labels.reindex(columns=["id_a", "id_b", "label", "reviewer", "labelled_at"], fill_value="").assign(
        source=source)


def registry_label_rows(file_labels: Labels | None, workbench: pd.DataFrame | None) -> pd.DataFrame:
    """Labels of registry pairs from the file and the workbench, one per pair: the latest (a file row
    without a time counts as older than the workbench's)."""
    parts = []
    if file_labels is not None and len(file_labels):
        parts.append(_pair_rows(file_labels.pairs, SOURCE_FILE))
    if workbench is not None and len(workbench):
        parts.append(_pair_rows(workbench, SOURCE_WORKBENCH))
    if not parts:
        return pd.DataFrame(columns=["id_a", "id_b", *_META])
    rows = pd.concat(parts, ignore_index=True).fillna("")
    rows["_key"] = [frozenset(p) for p in zip(rows["id_a"], rows["id_b"])]
    rows["_order"] = range(len(rows))
    rows = rows.sort_values(["labelled_at", "_order"], kind="stable").drop_duplicates("_key", keep="last")
    return rows.sort_values("_order").drop(columns=["_key", "_order"]).reset_index(drop=True)


def _names(engine: Engine, ids) -> list[str]:
    name = dict(zip(engine.registry.associations["id"], engine.registry.associations["name"]))
    return [name.get(i, "") for i in ids]


def _registry_features(engine: Engine, rows: pd.DataFrame) -> pd.DataFrame:
    p = engine.profiles
    f = engine.score_ids(p, p, list(zip(rows["id_a"], rows["id_b"])))
    f = f.assign(**{c: rows[c].to_numpy() for c in _META})
    return f.assign(name_a=_names(engine, f["id_a"]), name_b=_names(engine, f["id_b"]))


def _application_tables(decisions: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The decided applications as associations / memberships tables, one row per screened application
    (id ``run:seq``: the same id may come back in another batch)."""
    apps, members = [], []
    for d in decisions:
        aid = f"{d.run_id}:{d.seq}"
        record = {k: v for k, v in d.application.items() if k != "members"}
        apps.append({**{k: "" if v is None else str(v) for k, v in record.items()}, "id": aid})
        members += [{**{k: "" if v is None else str(v) for k, v in m.items()}, "association_id": aid}
                    for m in d.application.get("members") or []]
    return pd.DataFrame(apps).fillna(""), pd.DataFrame(members).fillna("")


def _decision_features(engine: Engine, decisions: list) -> tuple[pd.DataFrame | None, list[str]]:
    known = set(engine.registry.associations["id"])
    usable = [d for d in decisions if d.match_id in known]
    notes = [f"{len(decisions) - len(usable)} 条审查决定所涉组织已不在登记库中，未使用"] if len(usable) < len(decisions) else []
    unique = list({(d.run_id, d.seq): d for d in usable}.values())
    if not unique:
        return None, notes
    associations, memberships = _application_tables(unique)
    try:
        apps = load_tables({"associations": associations, "memberships": memberships if len(memberships) else None},
                           kind="applications", home=engine.registry.home, source="审查记录中的申请")
    except InputError as exc:
        return None, notes + [f"审查记录中的申请无法读取（{exc}），未使用审查决定"]
    reg = engine.profiles
    app_p = build_profiles(apps.associations, apps.memberships, engine.embedder, home=reg.home,
                           vectorizer=reg.vectorizer, known_members=engine.member_vocabulary)
    f = engine.score_ids(app_p, reg, [(f"{d.run_id}:{d.seq}", d.match_id) for d in usable])
    name_of = dict(zip(app_p.frame["id"], app_p.frame["name"]))
    return f.assign(label=[d.label for d in usable], source=SOURCE_DECISION, reviewer=[d.reviewer for d in usable],
                    labelled_at=[d.created_at for d in usable], name_a=[name_of[i] for i in f["id_a"]],
                    name_b=_names(engine, f["id_b"])), notes


def gather(engine: Engine, file_labels: Labels | None = None, workbench: pd.DataFrame | None = None,
           decisions: list | None = None) -> LabelledPairs:
    """All labels of a registry with their pair features: file and workbench labels of registry pairs
    (:func:`registry_label_rows`), and the pairs the reviewers' decisions judged."""
    parts, notes = [], []
    rows = registry_label_rows(file_labels, workbench)
    known = rows["id_a"].isin(engine.profiles.row_of) & rows["id_b"].isin(engine.profiles.row_of)
    if not known.all():  # workbench labels of associations since removed from the registry
        notes.append(f"{int((~known).sum())} 条工作台标注所涉组织已不在登记库中，未使用")
        rows = rows[known]
    if len(rows):
        parts.append(_registry_features(engine, rows))
    if decisions:
        f, notes = _decision_features(engine, decisions)
        if f is not None:
            parts.append(f)
    if not parts:
        columns = ["id_a", "id_b", "gate_reason", "score", "model_p", *_META, "name_a", "name_b"]
        return LabelledPairs(pd.DataFrame(columns=columns), notes)
    features = pd.concat(parts, ignore_index=True)
    return LabelledPairs(features.assign(label=features["label"].astype(int)), notes)


# ------------------------------------------------------------------------------------------- learning


@dataclass(frozen=True)
class Side:
    """One model's figures on the labels (the learned one's from nested cross-validation)."""

    confusion: Confusion
    reliability: Reliability
    log_loss: float
    threshold: float

    def to_json(self) -> dict:
        return {"confusion": self.confusion.to_json(), "calibration": self.reliability.to_json(),
                "log_loss": round(self.log_loss, 4), "threshold": self.threshold}


@dataclass(frozen=True)
class Learning:
    model: Model | None  # the model to adopt; None when not adopted
    labelled: LabelledPairs
    before: Side | None
    after: Side | None
    message: str  # why (not) adopted, in Chinese

    @property
    def adopted(self) -> bool:
        return self.model is not None


def _side(p: np.ndarray, y: np.ndarray, threshold: np.ndarray | float) -> Side:
    t = np.broadcast_to(np.asarray(threshold, dtype=float), p.shape)
    return Side(Confusion.of(p >= t, y == 1), reliability(p, y), log_loss(p, y), round(float(np.mean(t)), 4))


def learn(labelled: LabelledPairs, shipped: Model | None = None, source: str = "", seed: int = 0) -> Learning:
    """Fit the registry's model from ``labelled`` and decide whether to adopt it: measured out of fold, fewer
    errors at the group threshold than the shipped model and a lower log-loss, or as few errors and a
    log-loss lower by at least ``MIN_GAIN``."""
    # hundreds of tiny fits: one BLAS thread is many times faster than several spinning on small matrices
    with _threadpools().limit(limits=1, user_api="blas"):
        return _learn(labelled, shipped or shipped_model(), source, seed)


def _learn(labelled: LabelledPairs, shipped: Model, source: str, seed: int) -> Learning:
    open_ = labelled.open
    y = open_["label"].to_numpy(dtype=float)
    if not _enough(y, MIN_LABELS, MIN_EACH):
        return Learning(None, labelled, None, None,
                        f"可用于学习的标注太少：政策规则未排除的标注 {len(y)} 对（重复 {int(y.sum())}，不重复 "
                        f"{int(len(y) - y.sum())}），至少需要 {MIN_LABELS} 对且两类各不少于 {MIN_EACH} 对；"
                        "请继续标注（detector label 或工作台“标注”页）")
    x = design_matrix(open_)
    before = _side(shipped.scorer.probability(x), y, shipped.thresholds["group"])
    p_cv, t_cv = nested_cv(x, y, shipped, seed)
    after = _side(p_cv, y, t_cv)
    fewer, same = after.confusion.errors < before.confusion.errors, after.confusion.errors == before.confusion.errors
    better = after.log_loss < before.log_loss and (fewer or same and after.log_loss <= before.log_loss - MIN_GAIN)
    if not better:
        return Learning(None, labelled, before, after,
                        "学习得到的模型在这些标注上并不比内置模型好（交叉验证：误判 "
                        f"{after.confusion.errors} 对 vs 内置 {before.confusion.errors} 对，对数损失 "
                        f"{after.log_loss:.3f} vs {before.log_loss:.3f}），未采用，继续使用内置模型")
    fitted = fit_model(x, y, shipped, seed)
    gated = labelled.gated
    provenance = {
        "date": date.today().isoformat(), "labels": int(len(y)), "positives": int(y.sum()),
        "negatives": int(len(y) - y.sum()), "gated_labels": int(len(gated)),
        "sources": labelled.counts(), "shipped": shipped_hash(), "l2": fitted.l2,
        "thresholds_rechosen": fitted.thresholds_rechosen, "registry": source,
        "evaluation": {"shipped": before.to_json(), "learned_cv": after.to_json()},
    }
    model = Model(fitted.scorer, fitted.thresholds, True, provenance)
    thresholds = (f"合并分组阈值按标注重新选定为 {fitted.thresholds['group']}" if fitted.thresholds_rechosen else
                  f"阈值沿用内置模型（重复与不重复各满 {MIN_EACH_THRESHOLD} 对后才重新选定）")
    return Learning(model, labelled, before, after,
                    f"已采用本登记库的模型：交叉验证误判 {after.confusion.errors} 对（内置模型 {before.confusion.errors} 对）；"
                    + thresholds)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def _row(label: str, before: str, after: str) -> str:
    return f"  {_pad(label, 14)}{_pad(before, 44)}{after}"


def format_learning(result: Learning) -> str:
    """The terminal report of ``detector learn`` (Chinese)."""
    lab = result.labelled
    counts = "，".join(f"{k} {v} 对" for k, v in lab.counts().items()) or "无"
    open_ = lab.open
    lines = [f"标注：{counts}（共 {len(lab.features)} 对；重复 {int((lab.features['label'] == 1).sum())}，"
             f"不重复 {int((lab.features['label'] == 0).sum())}）"]
    gated = lab.gated
    if len(gated):
        against = int((gated["label"] == 1).sum())
        lines.append(f"其中 {len(gated)} 对由政策规则判定（不同或上下级区域、籍贯、学会与协会、已注销等），不参与学习"
                     + (f"；其中 {against} 对标为重复，与政策规则不一致，规则不因标注改变" if against else ""))
    lines += [f"提示：{w}" for w in lab.warnings]
    if result.before is not None and result.after is not None:
        b, a = result.before, result.after
        lines.append(f"在 {len(open_)} 对标注上（本登记库模型为 {FOLDS} 折嵌套交叉验证结果）：")
        lines.append(_row("", "内置模型", "本登记库模型"))
        lines.append(_row("精确率", b.confusion.precision.text(), a.confusion.precision.text()))
        lines.append(_row("召回率", b.confusion.recall.text(), a.confusion.recall.text()))
        lines.append(_row("F1", f"{b.confusion.f1:.3f}", f"{a.confusion.f1:.3f}"))
        lines.append(_row("误判", f"{b.confusion.errors} 对", f"{a.confusion.errors} 对"))
        lines.append(_row("校准误差ECE", f"{b.reliability.ece:.3f}", f"{a.reliability.ece:.3f}"))
        lines.append(_row("对数损失", f"{b.log_loss:.3f}", f"{a.log_loss:.3f}"))
        if min(result.labelled.open["label"].sum(), len(open_) - result.labelled.open["label"].sum()) < 30:
            lines.append("注意：标注较少，上述比例的 95% 区间很宽，仅供参考。")
    lines.append(result.message)
    return "\n".join(lines)


def workbench_labels(data_dir: Path) -> tuple[pd.DataFrame | None, list]:
    """The workbench's pair labels (as a labels frame) and decision labels in ``data_dir``, if any."""
    from .web.db import DB_FILE, Store  # the workbench's store (standard library only)

    db = Path(data_dir) / DB_FILE
    if not db.is_file():
        return None, []
    store = Store(db)
    rows = [{"id_a": r.id_a, "id_b": r.id_b, "label": int(r.label), "reviewer": r.reviewer, "note": r.note,
             "labelled_at": r.created_at} for r in store.pair_labels() if r.label in ("0", "1")]
    return pd.DataFrame(rows, columns=["id_a", "id_b", "label", "reviewer", "note", "labelled_at"]), \
        store.decision_labels()


def check_learnable(labelled: LabelledPairs) -> None:
    if labelled.features.empty:
        raise DetectorError("没有任何标注：请用 --labels 指定标注文件，或在登记数据目录中放置 labels.csv，"
                            "或在工作台“标注”页标注")


