"""The calibration stage of the shipped model (``models/calibration.json``), fitted on held-out data.

Platt scaling of the scorer's logit on the gate-open candidate pairs of the validation registries (seeds
and cities that training never saw), shrunk towards no change, and kept only when it calibrates registries
it was not fitted on better than the scorer alone (leave one registry out). It is monotone, so rankings
never change;
``detector train`` fits it after the scorer (thresholds are then chosen on calibrated scores);
``detector train --calibration-only`` refits it for the current scorer and moves the thresholds with it,
so that every verdict and group stays as it was while the numbers shown mean what they say.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from scipy.special import logit

from ..accuracy import log_loss, reliability
from ..learn import fit_calibration
from ..scoring import Calibration, Scorer, design_matrix


MIN_GAIN = 0.005  # ECE: a smaller gain is noise, not worth moving every threshold and number shown


def _open(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    f = frame[frame["gate_reason"] == ""]
    return f, f["label"].to_numpy(dtype=float)


def fit_stage(scorer: Scorer, frames: list[pd.DataFrame]) -> tuple[Calibration, dict]:
    """The calibration stage for ``scorer`` from labelled validation registries (one frame each).

    Leave one registry out: Platt scaling fitted on the others is judged on the registry left out. It is
    adopted only when these held-out probabilities beat the scorer's own (lower log-loss, and an expected
    calibration error lower by at least ``MIN_GAIN``); otherwise the stage stays the identity, and the
    figures say why.
    """
    raw = [scorer.logit(design_matrix(_open(f)[0])) for f in frames]
    ys = [_open(f)[1] for f in frames]
    held = np.concatenate([fit_calibration(np.concatenate(raw[:k] + raw[k + 1:]),
                                           np.concatenate(ys[:k] + ys[k + 1:])).probability(raw[k])
                           for k in range(len(frames))])
    logits, y = np.concatenate(raw), np.concatenate(ys)
    own = Calibration().probability(logits)
    before, after = reliability(own, y), reliability(held, y)
    adopted = log_loss(held, y) < log_loss(own, y) and after.ece <= before.ece - MIN_GAIN
    report = {"pairs": int(len(y)), "duplicates": int(y.sum()), "ece_before": round(before.ece, 5),
              "ece_held_out": round(after.ece, 5), "log_loss_before": round(log_loss(own, y), 5),
              "log_loss_held_out": round(log_loss(held, y), 5), "adopted": bool(adopted)}
    cal = fit_calibration(logits, y) if adopted else Calibration()
    return Calibration(cal.a, cal.b, {"fitted": date.today().isoformat(), **report}), report


def move_thresholds(thresholds: dict, old: Calibration, new: Calibration) -> dict:
    """Thresholds on the new calibrated scale that cut exactly where the old ones did."""
    def move(t: float) -> float:
        raw = (logit(np.clip(t, 1e-9, 1 - 1e-9)) - old.b) / old.a
        return round(float(new.probability(np.array([raw]))[0]), 4)

    return {**thresholds, **{k: move(thresholds[k]) for k in ("duplicate", "review", "group")}}
