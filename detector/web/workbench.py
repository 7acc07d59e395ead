"""The state behind the web pages: one Engine (loaded once), the store, the cached merger study."""
from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future
from functools import cached_property
from typing import TypeVar
from pathlib import Path

from fastapi import HTTPException, Request

from .. import __version__
from ..engine import Engine
from ..io import Association, Registry
from ..screen import Match, matches_of, screen_applications, warm_up
from ..study import StudyResult, run_study
from .db import DB_FILE, Store
from .forms import application_records
from .viewmodels import located

UPLOADS = "uploads"  # temporary upload folders, inside the data dir
SIMILAR_SHOWN = 8
T = TypeVar("T")


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


def build_engine(engine: Engine) -> None:
    """Build every lazily computed part of the engine now (profiles, lookup tables …), so that requests
    only read it and can screen side by side."""
    for name, attribute in vars(type(engine)).items():
        if isinstance(attribute, cached_property):
            getattr(engine, name)
    warm_up(engine)


class Workbench:
    """Shared by all requests, which run side by side: the engine is built before the first request and
    only read afterwards, the embedding model guards itself (:class:`~detector.embed.Embedder`), and
    the study is computed once under its own lock (screening never waits for it)."""

    def __init__(self, engine: Engine, data_dir: Path):
        self.engine = engine
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir / DB_FILE)
        self.version = model_version(engine)
        self._study_lock = threading.Lock()
        self._study: StudyResult | None = None
        self._pending_lock = threading.Lock()
        self._pending: dict[str, Future] = {}  # submissions being worked on
        self._outputs_lock = threading.Lock()  # reports draw with matplotlib, whose settings are global
        self._outputs: dict[str, object] = {}
        build_engine(engine)

    @property
    def registry(self) -> Registry:
        return self.engine.registry

    @property
    def uploads(self) -> Path:
        return self.data_dir / UPLOADS

    def screen(self, apps: Registry, source: str, submission: str | None = None) -> str:
        """Screen an application batch and store the run; returns its id. A ``submission`` sent again (a
        double click, a reload) is screened once: a repeat waits for the first and gets the same run."""
        return self._once(submission, lambda: self._screen(apps, source, submission))

    def _screen(self, apps: Registry, source: str, submission: str | None) -> str:
        done = self.store.run_of_submission(submission) if submission else None
        if done:
            return done
        results = screen_applications(self.engine, apps)
        items = [(app, r.to_json()) for app, r in zip(application_records(apps), results, strict=True)]
        return self.store.add_run(source, self.version, [located(w) for w in apps.warnings], items, submission)

    def _once(self, key: str | None, work: Callable[[], T]) -> T:
        """``work()``, unless the same ``key`` is being worked on: then wait for that one's answer."""
        if key is None:
            return work()
        with self._pending_lock:
            future = self._pending.get(key)
            first = future is None
            if first:
                future = self._pending[key] = Future()
        if not first:
            return future.result()
        try:
            result = work()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            future.set_result(result)
            return result
        finally:
            with self._pending_lock:
                del self._pending[key]

    def study(self) -> StudyResult:
        """The merger study of the registry, computed on first use."""
        if self._study is None:
            with self._study_lock:
                if self._study is None:
                    self._study = run_study(self.engine)
        return self._study

    def study_report(self) -> str:
        """The study's HTML report, rendered on first use."""
        from ..report import render_html

        return self._cached("report", lambda: render_html(self.study(), self.registry, self.engine.thresholds))

    def study_workbook(self) -> bytes:
        """The study's Excel workbook, written on first use."""
        from ..report import excel_bytes

        return self._cached("workbook", lambda: excel_bytes(self.study(), self.registry))

    def _cached(self, key: str, make: Callable[[], T]) -> T:
        with self._outputs_lock:
            if key not in self._outputs:
                self._outputs[key] = make()
            return self._outputs[key]

    def similar(self, association_id: str, limit: int = SIMILAR_SHOWN) -> list[Match]:
        """The registered associations similar to one of them, best first, by the same relation logic as
        screening (duplicates, 业务交叉 to review, then related ones the policy rules out)."""
        study = self.study()
        p = study.profiles
        return matches_of(study.pairs, p, p, p.row_of[association_id], self.engine.thresholds, same=True,
                          limit=limit)


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
