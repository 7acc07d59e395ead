"""Pair scorer: a logistic model over soft evidence, times policy gates (一业一会 semantics).

The model is stored as reviewable JSON (``models/scorer.json``): feature names, scaler, coefficients.
A separate calibration stage (``models/calibration.json``: Platt scaling of the scorer's logit, fitted
on held-out data) turns the logit into a probability; it is refitted on its own (a registry's labels,
``detector learn``) without touching the scorer. Gates are not learned: a pair in different or nested
regions, with different origins, a 学会/研究会 against a 行业协会, bodies of different kinds (a 体育类社团
against a 行业协会, or a body whose individual members and purpose make it a club or a professional body), or an
inactive side can never be a duplicate, however similar the texts. Industries come from all the evidence
(``industry.decide``), so a gate never refuses a pair for what a misleading name alone says.
"""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from .arrays import per_distinct
from .candidates import BlockingConfig, candidates
from .errors import DetectorError
from .features import NESTED, pair_features
from .industry import DIFFERENT, RELATED, SAME
from .paths import models_dir
from .profiles import Profiles

MODEL_FEATURES = (
    "core_ratio", "name_ratio", "core_cos",
    "desc_cos", "tfidf_cos", "desc_missing",
    "services_jacc", "services_missing",
    "member_jacc", "member_cont", "log_shared_members", "members_missing",
    "log_shared_leaders",
    "ind_same", "ind_related", "ind_different", "ind_same_conf",
    "origin_same", "type_same",
    "scope_and_members", "scope_names_apart", "ind_same_doubt", "ind_same_overruled", "trade_and_members",
)
# Similarity evidence may only raise the score; a different industry may only lower it (every fit keeps this).
NONNEGATIVE = frozenset({"core_ratio", "name_ratio", "core_cos", "desc_cos", "tfidf_cos", "services_jacc",
                         "member_jacc", "member_cont", "log_shared_members", "log_shared_leaders", "ind_same",
                         "ind_same_conf", "origin_same", "type_same", "scope_and_members",
                         "trade_and_members"})
NONPOSITIVE = frozenset({"ind_different", "scope_names_apart", "ind_same_doubt"})


def sign_bounds(features: tuple[str, ...] = MODEL_FEATURES) -> list[tuple[float | None, float | None]]:
    """L-BFGS-B bounds of the coefficients of ``features`` under the sign constraints."""
    return [(0, None) if f in NONNEGATIVE else (None, 0) if f in NONPOSITIVE else (None, None) for f in features]

# Gate reasons (Chinese, shown to users)
GATE_INACTIVE = "一方已注销或撤销"
GATE_NOT_ASSOCIATION = "一方不是行业协会商会（如学校、医院、中心或单位内部协会），不适用一业一会"
GATE_NESTED = "上下级行政区域（如市本级与县级），按一业一会不构成重复"
GATE_REGION = "不同行政区域"
GATE_ORIGIN = "异地商会籍贯不同"
GATE_ORIGIN_MISMATCH = "异地商会与行业组织性质不同"
GATE_FORM = "学会/研究会与行业协会商会性质不同"
GATE_AUDIENCE = "服务对象不同（如青年、女企业家与企业家）"
GATE_KIND = "社会团体类别不同（如体育类社团与行业协会商会），按一业一会不构成重复"
GATE_NATURE = "会员以个人为主、宗旨为联谊或职业发展，与企业组成的行业协会商会性质不同，按一业一会不构成重复"


# Strong non-name evidence (issue 16): the charters' wording overlaps (TF-IDF cosine from the first to the second
# value) and so do the members (containment): each ramps from 0 to 1, and the feature is the lesser of the two,
# so it is large only when scope and members both say "one body", whatever the names say (业务交叉、会员重叠).
# Its mirror: the same wording between names that share nothing (cosine of the name cores below the second value)
# says less on its own, as boilerplate charters (反映企业诉求、提供法律政策咨询) read alike. And 一业一会 itself: one
# industry (from all the evidence, whatever the names say) whose members are largely the same firms serves one
# constituency twice — the member ramp within the same industry.
SCOPE_RAMP, MEMBER_RAMP, NAMES_APART_RAMP = (0.4, 0.8), (0.3, 0.7), (0.7, 0.9)


def _ramp(x: np.ndarray, lo_hi: tuple[float, float]) -> np.ndarray:
    lo, hi = lo_hi
    return np.clip((np.nan_to_num(x) - lo) / (hi - lo), 0.0, 1.0)


def design_matrix(f: pd.DataFrame) -> np.ndarray:
    """The model's inputs from pair features (missing values imputed, with indicators)."""
    def num(column: str) -> np.ndarray:
        return f[column].to_numpy(dtype=float, na_value=np.nan)

    desc, tfidf, services, jacc = num("desc_cos"), num("tfidf_cos"), num("services_jacc"), num("member_jacc")
    rel = f["industry_rel"].to_numpy(dtype=object)
    same = (rel == SAME).astype(float)
    overruled = f["name_overruled"].to_numpy(dtype=float)
    doubt = f["name_doubt"].to_numpy(dtype=float) * (1.0 - overruled)
    cols = {
        "core_ratio": num("core_ratio"),
        "name_ratio": num("name_ratio"),
        "core_cos": np.nan_to_num(num("core_cos")),
        "desc_cos": np.nan_to_num(desc),
        "tfidf_cos": np.nan_to_num(tfidf),
        "desc_missing": (np.isnan(desc) & np.isnan(tfidf)).astype(float),
        "services_jacc": np.nan_to_num(services),
        "services_missing": np.isnan(services).astype(float),
        "member_jacc": np.nan_to_num(jacc),
        "member_cont": np.nan_to_num(num("member_cont")),
        "log_shared_members": np.log1p(num("shared_members")),
        "members_missing": np.isnan(jacc).astype(float),
        "log_shared_leaders": np.log1p(num("shared_leaders")),
        "ind_same": same,
        "ind_related": (rel == RELATED).astype(float),
        "ind_different": (rel == DIFFERENT).astype(float),
        "ind_same_conf": same * num("industry_conf"),
        "origin_same": (f["origin_rel"].to_numpy(dtype=object) == SAME).astype(float),
        "type_same": num("type_same"),
        "scope_and_members": np.minimum(_ramp(tfidf, SCOPE_RAMP), _ramp(num("member_cont"), MEMBER_RAMP)),
        "scope_names_apart": np.nan_to_num(tfidf) * (1.0 - _ramp(num("core_cos"), NAMES_APART_RAMP)),
        # one industry, though one side's name is in doubt: a name that stands against a scope or members in a
        # field beside it says less (never more); a name its evidence overruled, the industry from that evidence
        "ind_same_doubt": same * doubt,
        "ind_same_overruled": same * overruled,
        "trade_and_members": same * _ramp(num("member_cont"), MEMBER_RAMP),
    }
    return np.column_stack([cols[name] for name in MODEL_FEATURES])


def _gate(active: bool, eligible: bool, region: str, origin: str, clash: bool, audience: bool, kind_clash: bool,
          nature: bool) -> str:
    """Why the policy rules a pair out ("" when a duplicate is possible)."""
    if not active:
        return GATE_INACTIVE
    if not eligible:
        return GATE_NOT_ASSOCIATION
    if region == NESTED:
        return GATE_NESTED
    if region == DIFFERENT:
        return GATE_REGION
    if origin == "mismatch":
        return GATE_ORIGIN_MISMATCH
    if origin in (DIFFERENT, NESTED):
        return GATE_ORIGIN
    if clash:
        return GATE_FORM
    if not audience:
        return GATE_AUDIENCE
    if nature:
        return GATE_NATURE
    if kind_clash:
        return GATE_KIND
    return ""


def gates(f: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Policy gate per pair: 1.0 when a duplicate is possible, else 0.0 with the reason (decided once per
    distinct combination of the features it reads)."""
    columns = ("both_active", "both_eligible", "region_rel", "origin_rel", "form_clash", "same_audience", "kind_clash",
               "nature_clash")
    reasons = per_distinct(_gate, *(f[c].to_numpy(dtype=object) for c in columns))
    return np.where(reasons != "", 0.0, 1.0), reasons.tolist()


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


@dataclass(frozen=True)
class Calibration:
    """Platt scaling: probability = sigmoid(a · logit + b), ``a`` > 0 (monotone: rankings never change)."""

    a: float = 1.0
    b: float = 0.0
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    def probability(self, logit: np.ndarray) -> np.ndarray:
        return sigmoid(self.a * np.asarray(logit, dtype=float) + self.b)

    def to_json(self) -> dict:
        return {"kind": "platt", "a": round(float(self.a), 8), "b": round(float(self.b), 8), "meta": self.meta}

    @classmethod
    def from_json(cls, data: dict, source: str = "calibration.json") -> "Calibration":
        try:
            a, b = float(data["a"]), float(data["b"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DetectorError(f"{source}：校准文件格式错误（{exc}）") from exc
        if data.get("kind", "platt") != "platt" or not a > 0 or not np.isfinite(b):
            raise DetectorError(f"{source}：校准参数无效（应为 kind=platt，a > 0）")
        return cls(a, b, dict(data.get("meta", {})))


IDENTITY = Calibration()


@dataclass(frozen=True)
class Scorer:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    meta: dict
    calibration: Calibration = IDENTITY  # a separate stage with a file of its own

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) / self.scale

    def logit(self, x: np.ndarray) -> np.ndarray:
        """The uncalibrated log-odds of the design matrix ``x``; row by row, so a pair's score never depends on
        which other pairs were scored with it (a matrix product's summation order depends on the batch size)."""
        return (self.standardise(x) * self.coef).sum(axis=1) + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The calibrated probability of a duplicate (before policy gates)."""
        return self.calibration.probability(self.logit(x))

    def with_calibration(self, calibration: Calibration) -> "Scorer":
        return dataclasses.replace(self, calibration=calibration)

    def to_json(self) -> dict:
        return {
            "kind": "logistic-regression",
            "features": list(self.features),
            "mean": self.mean.round(8).tolist(),
            "scale": self.scale.round(8).tolist(),
            "coef": self.coef.round(8).tolist(),
            "intercept": round(float(self.intercept), 8),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict, source: str = "scorer.json") -> "Scorer":
        try:
            features = tuple(data["features"])
            if features != MODEL_FEATURES:
                raise DetectorError(f"{source}：特征列表与当前版本不一致，请运行 detector train 重新训练")
            arrays = [np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef")]
            if any(a.shape != (len(features),) for a in arrays):
                raise DetectorError(f"{source}：系数个数与特征个数不一致")
            return cls(features, *arrays, float(data["intercept"]), dict(data.get("meta", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise DetectorError(f"{source}：评分模型文件格式错误（{exc}）") from exc


def scorer_path() -> Path:
    return models_dir() / "scorer.json"


def calibration_path(scorer: Path | None = None) -> Path:
    """The calibration stage beside a scorer file (``models/calibration.json``)."""
    return (scorer or scorer_path()).with_name("calibration.json")


def thresholds_path() -> Path:
    return models_dir() / "thresholds.json"


def _read_json(path: Path, what: str):
    if not path.is_file():
        raise DetectorError(f"缺少{what} {path}：请运行 detector train")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DetectorError(f"{path}：不是有效的 JSON（{exc}）") from exc


@lru_cache(maxsize=4)
def load_scorer(path: Path | None = None) -> Scorer:
    """The scorer at ``path`` (default ``models/scorer.json``) with the calibration stage beside it
    (``calibration.json``; none there: the scorer's own probabilities)."""
    path = path or scorer_path()
    scorer = Scorer.from_json(_read_json(path, "评分模型"), str(path))
    cal = calibration_path(path)
    return scorer.with_calibration(Calibration.from_json(_read_json(cal, "校准文件"), str(cal))) if cal.is_file() \
        else scorer


def load_thresholds(path: Path | None = None) -> dict:
    """Operating points chosen by ``detector train`` (``models/thresholds.json``): duplicate, review, group."""
    return _read_json(path or thresholds_path(), "阈值文件")


def score_pairs(f: pd.DataFrame, scorer: Scorer | None = None) -> pd.DataFrame:
    """Adds ``model_p`` (evidence alone), ``gate_reason`` and ``score`` (= model_p × gate) to features."""
    scorer = scorer or load_scorer()
    p = scorer.probability(design_matrix(f))
    gate, reasons = gates(f)
    return f.assign(model_p=p, gate_reason=reasons, score=p * gate)


PAIR_SLICE = 262_144  # candidate pairs featured and scored at a time
# text columns of a few dozen distinct values over millions of pairs: kept as categoricals (a code per pair)
LABEL_COLUMNS = ("industry_a", "industry_b", "industry_rel", "region_rel", "origin_rel", "gate_reason")


def score_slice(f: pd.DataFrame, scorer: Scorer) -> pd.DataFrame:
    """:func:`score_pairs` of one slice of a registry's candidate pairs, its label columns as categoricals."""
    out = score_pairs(f, scorer)
    # column by column: DataFrame.astype(dict) copies every other column too (a scored pair has ~60)
    return out.assign(**{c: out[c].astype("category") for c in LABEL_COLUMNS})


def concat_slices(parts: Iterable[pd.DataFrame], n: int) -> pd.DataFrame:
    """Scored slices of ``n`` pairs in all as one frame. ``parts`` may be an iterator: each slice is let go once
    its numeric columns are copied into arrays made once (joining all slices at the end held every value twice);
    text columns are joined at the end, each label column's categories sorted, so the frame is the same however
    the pairs were sliced (one process or a cluster)."""
    filled: dict[str, np.ndarray] = {}
    pieces: dict[str, list[pd.Series]] = {}
    columns: list[str] | None = None
    at = 0
    for part in parts:
        columns = list(part.columns) if columns is None else columns
        for c in columns:
            values = part[c]
            if isinstance(values.dtype, np.dtype) and values.dtype != object:
                into = filled.setdefault(c, np.empty(n, dtype=values.dtype))
                if into.dtype != values.dtype:  # a slice of another dtype (ints, then floats): the wider one
                    into = filled[c] = into.astype(np.result_type(into.dtype, values.dtype))
                into[at : at + len(part)] = values.to_numpy()
            else:
                pieces.setdefault(c, []).append(values)
        at += len(part)
    if at != n:
        raise ValueError(f"{at} scored pairs, {n} expected")
    out = {c: filled[c] if c in filled
           else pd.Series(union_categoricals(pieces[c], sort_categories=True)) if c in LABEL_COLUMNS
           else pd.concat(pieces[c], ignore_index=True)
           for c in columns or []}
    return pd.DataFrame(out, copy=False)


def score_candidates(left: Profiles, right: Profiles | None = None, scorer: Scorer | None = None,
                     cfg: BlockingConfig | None = None) -> pd.DataFrame:
    """Blocking → features → scores. ``right=None``: pairs within ``left`` (a registry). Pairs are featured and
    scored in slices of :data:`PAIR_SLICE`, so a feature's temporaries never span millions of pairs (every value
    is the pair's own, whatever the slice)."""
    c = candidates(left, right, cfg or BlockingConfig())
    other = left if right is None else right
    scorer = scorer or load_scorer()

    def scored(lo: int, hi: int) -> pd.DataFrame:
        f = pair_features(left, other, c.i[lo:hi], c.j[lo:hi])
        f["sources"] = c.sources[lo:hi]
        return score_slice(f, scorer)

    return concat_slices((scored(lo, lo + PAIR_SLICE) for lo in range(0, max(len(c.i), 1), PAIR_SLICE)), len(c.i))
