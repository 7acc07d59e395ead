"""Accuracy measured on a registry's own labels (``detector evaluate REGISTRY --labels LABELS.csv``).

On the labelled pairs: precision and recall of the study's groups (two associations put in one group =
called duplicates) and of the screening verdict each pair would get (one side an application, the other
registered: 重复设立, or flagged for review), with 95% Wilson intervals; the errors by pair kind; the
precision/recall curve over the pair-score threshold; the calibration of the probability. With few labels
every figure says how wide its interval is.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .accuracy import Confusion, CurvePoint, Reliability, pr_curve, reliability
from .active import pair_kinds
from .learn import SOURCE_DECISION, LabelledPairs
from .policy import DUPLICATE, REVIEW
from .screen import relation
from .study import StudyResult

FEW = 30  # fewer labelled duplicates or non-duplicates than this: the intervals are wide
SHOWN_ERRORS = 20
LEARNED_NOTE = ("注意：本登记库的模型是用标注学习的；在学习用过的标注上衡量会偏乐观。无偏的数字见 detector learn 的"
                "交叉验证结果，或用新的标注衡量（--shipped-model 可衡量内置模型）。")


@dataclass(frozen=True)
class KindErrors:
    kind: str
    pairs: int
    duplicates: int
    false_merges: int  # labelled 不重复, put in one group
    missed: int  # labelled 重复, not in one group


@dataclass(frozen=True)
class Measurement:
    model: str
    pairs: int  # labelled pairs measured (registry pairs and decided applications)
    study_pairs: int  # of them registry pairs (the study groups those)
    positives: int
    negatives: int
    gated: int  # pairs a policy gate decides
    gated_against: int  # of them labelled 重复 (the rule stands)
    study: Confusion
    screen_duplicate: Confusion
    screen_flagged: Confusion
    by_kind: list[KindErrors]
    curve: list[CurvePoint]
    calibration: Reliability
    errors: pd.DataFrame  # the study's wrong pairs: name_a, name_b, label, score, kind, gate_reason
    thresholds: dict
    learned: bool = False  # measured with a model learned from (maybe) these very labels

    @property
    def few(self) -> bool:
        return min(self.positives, self.negatives) < FEW

    def to_json(self) -> dict:
        return {
            "model": self.model, "pairs": self.pairs, "positives": self.positives, "negatives": self.negatives,
            "gated": self.gated, "gated_labelled_duplicate": self.gated_against,
            "study": self.study.to_json(), "screening": {"duplicate": self.screen_duplicate.to_json(),
                                                         "duplicate_or_review": self.screen_flagged.to_json()},
            "by_kind": [k.__dict__ for k in self.by_kind],
            "pr_curve": [p.__dict__ for p in self.curve], "calibration": self.calibration.to_json(),
        }


def _grouped(study: StudyResult) -> dict[str, int]:
    return {i: k for k, g in enumerate(study.groups) for i in g.ids}


def measure(labelled: LabelledPairs, study: StudyResult, thresholds: dict, model: str,
            learned: bool = False) -> Measurement:
    """Figures of ``study`` (and of screening under ``thresholds``) on the labelled pairs."""
    f = labelled.features.reset_index(drop=True)
    y = f["label"].to_numpy() == 1
    group = _grouped(study)
    registry = (f["source"] != SOURCE_DECISION).to_numpy()
    together = np.array([a in group and group.get(a) == group.get(b) for a, b in zip(f["id_a"], f["id_b"])])
    how = [relation(r, thresholds) for r in f.to_dict("records")]
    dup = np.array([h == DUPLICATE for h in how])
    flagged = np.array([h in (DUPLICATE, REVIEW) for h in how])
    kinds = pair_kinds(f)
    gated = (f["gate_reason"] != "").to_numpy()
    rows = pd.DataFrame({"kind": kinds, "y": y, "pred": together, "registry": registry})[registry]
    by_kind = [KindErrors(k, len(g), int(g["y"].sum()), int((g["pred"] & ~g["y"]).sum()),
                          int((~g["pred"] & g["y"]).sum()))
               for k, g in rows.groupby("kind", sort=False)]
    by_kind.sort(key=lambda k: (-(k.false_merges + k.missed), -k.pairs, k.kind))
    wrong = registry & (together != y)
    errors = f.loc[wrong, ["name_a", "name_b", "label", "score", "gate_reason"]].assign(
        kind=[k for k, w in zip(kinds, wrong) if w])
    score = f["score"].to_numpy(dtype=float)
    return Measurement(
        model=model, pairs=len(f), study_pairs=int(registry.sum()), positives=int(y.sum()),
        negatives=int((~y).sum()), gated=int(gated.sum()), gated_against=int((gated & y).sum()),
        study=Confusion.of(together[registry], y[registry]), screen_duplicate=Confusion.of(dup, y),
        screen_flagged=Confusion.of(flagged, y), by_kind=by_kind, curve=pr_curve(score, y),
        calibration=reliability(score, y.astype(float)), errors=errors, thresholds=dict(thresholds), learned=learned)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def format_measurement(m: Measurement) -> str:
    """The terminal report (Chinese)."""
    lines = [f"模型：{m.model}",
             f"标注：{m.pairs} 对（重复 {m.positives}，不重复 {m.negatives}）；其中登记库内的组织对 {m.study_pairs} 对，"
             f"其余为审查决定中的申请与已登记组织"]
    if m.gated:
        lines.append(f"政策规则判定的 {m.gated} 对按规则计为不重复" +
                     (f"，其中 {m.gated_against} 对标为重复（规则不因标注改变，计为漏判）" if m.gated_against else ""))
    lines += ["",
              f"合并研究（两家组织分在同一组 = 判为重复；{m.study_pairs} 对）",
              f"  精确率 {m.study.precision.text()}",
              f"  召回率 {m.study.recall.text()}",
              f"  F1 {m.study.f1:.3f}；误并 {m.study.fp} 对，漏并 {m.study.fn} 对",
              f"筛查结论（一方作为申请、另一方已登记；{m.pairs} 对）",
              f"  判为“重复设立”：精确率 {m.screen_duplicate.precision.text()}，召回率 {m.screen_duplicate.recall.text()}",
              f"  判为“重复设立”或“需复核”：精确率 {m.screen_flagged.precision.text()}，"
              f"召回率 {m.screen_flagged.recall.text()}",
              f"概率校准：ECE {m.calibration.ece:.3f}，Brier {m.calibration.brier:.3f}（{m.calibration.n} 对）"]
    if m.few:
        lines.append(f"注意：重复 {m.positives} 对、不重复 {m.negatives} 对，标注较少，95% 区间很宽；"
                     f"每类至少约 {FEW} 对后，数字才较稳定。")
    if m.learned:
        lines.append(LEARNED_NOTE)
    lines += ["", "按配对类型的误判（合并研究）："]
    for k in m.by_kind:
        lines.append(f"  {k.kind:<24s} {k.pairs:4d} 对（重复 {k.duplicates}）  误并 {k.false_merges}  漏并 {k.missed}")
    lines += ["", "阈值与精确率/召回率（组织对的重复可能性 ≥ 阈值即判为重复）："]
    for p in m.curve[::2]:
        mark = "  ← 合并分组阈值附近" if abs(p.threshold - m.thresholds["group"]) < 0.05 else ""
        lines.append(f"  {p.threshold:.2f}  精确率 {_pct(p.precision):>6s}  召回率 {_pct(p.recall):>6s}  "
                     f"（判为重复 {p.predicted} 对）{mark}")
    if len(m.errors):
        lines += ["", f"合并研究的误判（前 {min(SHOWN_ERRORS, len(m.errors))} / {len(m.errors)} 对）："]
        for r in m.errors.head(SHOWN_ERRORS).itertuples():
            said = "标为重复，未并入同组" if r.label == 1 else "标为不重复，却并入同组"
            why = f"；{r.gate_reason}" if r.gate_reason else ""
            lines.append(f"  {r.name_a} — {r.name_b}：{said}（重复可能性 {r.score:.0%}，{r.kind}{why}）")
    return "\n".join(lines)
