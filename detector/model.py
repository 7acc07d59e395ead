"""Which pair model a run uses: the shipped one (``models/``) or a registry's own, learned from its labels.

A learned model (``detector learn``) is one JSON file in the registry's data folder (beside the workbench's
decisions): the scorer's coefficients, its calibration stage, the thresholds and where they came from
(number of labels, date, the hash of the shipped model it started from). Studies, screening and the
workbench use it automatically when present; it is ignored, with a note, when it was learned from another
shipped model than the current one.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import DetectorError
from .io import write_json
from .scoring import Calibration, Scorer, load_scorer, load_thresholds

LEARNED_FILE = "learned_model.json"
FORMAT = "detector-learned-model/1"
THRESHOLD_KEYS = ("duplicate", "review", "group")


@dataclass(frozen=True)
class Model:
    """A scorer (with its calibration stage) and the thresholds that go with it."""

    scorer: Scorer
    thresholds: dict
    learned: bool = False
    provenance: dict = field(default_factory=dict)
    path: Path | None = None
    note: str = ""  # why a learned model that is present was not used

    def describe(self) -> str:
        """One Chinese line saying which model this is."""
        if not self.learned:
            return f"内置模型（{shipped_hash()[:12]}）"
        p = self.provenance
        return (f"本登记库学习的模型（{p.get('date', '')}，标注 {p.get('labels', 0)} 对，"
                f"基于内置模型 {str(p.get('shipped', ''))[:12]}；{self.path}）")

    def to_json(self) -> dict:
        """The learned-model file."""
        return {"format": FORMAT, "scorer": self.scorer.to_json(), "calibration": self.scorer.calibration.to_json(),
                "thresholds": {k: self.thresholds[k] for k in THRESHOLD_KEYS}, "provenance": self.provenance}


def _digest(scorer: Scorer, thresholds: dict) -> str:
    blob = json.dumps([scorer.to_json(), scorer.calibration.to_json(), {k: thresholds[k] for k in THRESHOLD_KEYS}],
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    return Model(load_scorer(), load_thresholds())


def shipped_hash() -> str:
    """Identifies the shipped scorer, calibration and thresholds (a learned model records it)."""
    m = shipped_model()
    return _digest(m.scorer, m.thresholds)


def learned_model_path(data_dir: Path) -> Path:
    return Path(data_dir) / LEARNED_FILE


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DetectorError(f"{path}：无法读取学习得到的模型（{exc}）；可删除该文件后重新运行 detector learn") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DetectorError(f"{path}：不是 detector 学习得到的模型文件（format 应为 {FORMAT}）")
    return data


def read_learned(path: Path, data: dict | None = None) -> Model:
    """A learned-model file (or its parsed ``data``); a clear error when it is damaged."""
    data = data if data is not None else _read_json(path)
    try:
        scorer = Scorer.from_json(data["scorer"], str(path)).with_calibration(
            Calibration.from_json(data["calibration"], str(path)))
        thresholds = {k: float(data["thresholds"][k]) for k in THRESHOLD_KEYS}
        return Model(scorer, thresholds, True, dict(data["provenance"]), path)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DetectorError(f"{path}：无法读取学习得到的模型（{exc}）；可删除该文件后重新运行 detector learn") from exc


def load_model(data_dir: Path | None, use_learned: bool = True) -> Model:
    """The registry's learned model in ``data_dir`` when there is one (and ``use_learned``), else the shipped one.

    A learned model made from another shipped model than the current one (retrained, other features) is not
    used: the shipped model is returned with a ``note`` saying so.
    """
    shipped = shipped_model()
    path = learned_model_path(data_dir) if data_dir is not None else None
    if path is None or not path.is_file():
        return shipped
    if not use_learned:
        return Model(shipped.scorer, shipped.thresholds, note=f"已按要求忽略本登记库学习的模型 {path}")
    data = _read_json(path)
    if (data.get("provenance") or {}).get("shipped") != shipped_hash():
        return Model(shipped.scorer, shipped.thresholds,
                     note=f"{path} 基于另一版本的内置模型学习，已改用当前内置模型；请重新运行 detector learn")
    return read_learned(path, data)


def save_learned(model: Model, data_dir: Path) -> Path:
    path = learned_model_path(data_dir)
    write_json(model.to_json(), path)
    return path
