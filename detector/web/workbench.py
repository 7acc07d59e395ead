"""The state behind the web pages: one Engine (loaded once), the store, the cached merger study."""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from fastapi import HTTPException, Request

from .. import __version__
from ..explain import reasons_for
from ..io import Association, Registry
from ..engine import Engine
from ..policy import RELATED_ONLY
from ..screen import relation, screen_applications
from ..study import StudyResult, run_study
from .db import DB_FILE, Store
from .forms import application_records

UPLOADS = "uploads"  # temporary upload folders, inside the data dir
SIMILAR_SHOWN = 8


def model_version(engine: Engine) -> dict:
    """What produced a verdict: package version, scorer hash, embedding model and thresholds."""
    scorer = json.dumps(engine.scorer.to_json(), sort_keys=True).encode()
    return {
        "detector": __version__,
        "scorer": hashlib.sha256(scorer).hexdigest()[:12],
        "embedding": engine.embedder.model_id,
        "thresholds": {k: engine.thresholds[k] for k in ("duplicate", "review", "group")},
        "learned": bool(engine.pair_model and engine.pair_model.learned),
    }


def version_label(model: dict) -> str:
    kind = "本登记库学习的模型" if model.get("learned") else "评分模型"
    return f"detector {model['detector']} · {kind} {model['scorer']} · 向量模型 {model['embedding']}"


@dataclass(frozen=True)
class Similar:
    """An existing association similar to another one (from the study's scored pairs)."""

    id: str
    name: str
    score: float
    similarity: float
    relation: str  # duplicate / review / related
    reasons: list[str]


class Workbench:
    """Shared by all requests. Engine work is serialised by a lock: the engine's lazily built lookup
    tables and the embedding model are not made for concurrent use."""

    def __init__(self, engine: Engine, data_dir: Path):
        self.engine = engine
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir / DB_FILE)
        self.version = model_version(engine)
        self._lock = threading.Lock()
        self._study: StudyResult | None = None
        self._svg_lock = threading.Lock()  # matplotlib's settings are global
        self._svg: str | None = None
        with self._lock:  # build everything screening needs now, not on the first reviewer's request
            _ = engine.profiles, engine.leader_posts, engine.stats_index

    @property
    def registry(self) -> Registry:
        return self.engine.registry

    @property
    def lock(self) -> threading.Lock:
        """Held while using the engine (its lookup tables and the embedding model are not thread-safe)."""
        return self._lock

    @property
    def uploads(self) -> Path:
        return self.data_dir / UPLOADS

    def screen(self, apps: Registry, source: str) -> str:
        """Screen an application batch and store the run; returns its id."""
        with self._lock:
            results = screen_applications(self.engine, apps)
        items = [(app, r.to_json()) for app, r in zip(application_records(apps), results, strict=True)]
        return self.store.add_run(source, self.version, [str(w) for w in apps.warnings], items)

    def study(self) -> StudyResult:
        """The merger study of the registry, computed on first use."""
        with self._lock:
            if self._study is None:
                self._study = run_study(self.engine)
            return self._study

    def network_svg(self) -> str:
        """The study's group network (SVG), drawn on first use."""
        from ..report.plots import group_network_svg

        study = self.study()
        with self._svg_lock:
            if self._svg is None:
                self._svg = group_network_svg(study)
            return self._svg

    def similar(self, association_id: str, limit: int = SIMILAR_SHOWN) -> list[Similar]:
        """The associations most similar to one in the registry, best first (study pairs at or above
        the review threshold on the evidence alone)."""
        study = self.study()
        p, pairs = study.profiles, study.pairs
        row = p.row_of[association_id]
        mine = pairs[((pairs["i"] == row) | (pairs["j"] == row))
                     & (pairs["model_p"] >= self.engine.thresholds["review"])]
        mine = mine.sort_values(["score", "model_p"], ascending=False).head(limit)
        return [self._similar(f, row, study) for _, f in mine.iterrows()]

    def _similar(self, f: pd.Series, row: int, study: StudyResult) -> Similar:
        if f["i"] != row:  # orient the pair so that reasons name this association first
            f = f.copy()
            f["i"], f["j"] = f["j"], f["i"]
        other = int(f["j"])
        p = study.profiles
        return Similar(p.frame["id"].iat[other], p.frame["name"].iat[other], round(float(f["score"]), 4),
                       round(float(f["model_p"]), 4), relation(f, self.engine.thresholds) or RELATED_ONLY,
                       reasons_for(f, p, p))


def workbench(request: Request) -> Workbench:
    """The application's workbench (one per server)."""
    return request.app.state.workbench


def association_or_404(request: Request, association_id: str) -> tuple[Workbench, Association]:
    """The workbench and a registered association; 404 with a Chinese message when there is none."""
    wb = workbench(request)
    try:
        return wb, wb.registry.get(association_id)
    except KeyError:
        raise HTTPException(404, f"登记库中没有编号为 {association_id} 的组织") from None
