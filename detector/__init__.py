"""detector: duplicate detection, screening and merger studies for registries of industry
associations and chambers of commerce (行业协会商会, 一业一会).

The pipeline, one module per stage: text (normalise) → names (parse) → industry → embed →
profiles → candidates (blocking) → features → scoring → cluster / screen → rules → study / report.
The lab that makes and measures the model files (generator, training, evaluation) is
:mod:`detector.lab`; nothing on that path imports it.

Public API for notebooks and scripts::

    import detector
    reg = detector.load_registry("my_registry/")          # or a .xlsx workbook
    result = detector.study(reg)                           # StudyResult: .groups_frame(), .findings_frame()
    screened = detector.screen("applications/", reg)       # list[ScreenResult]; detector.results_frame(screened)
    detector.parse_name("温州市皖商联合会")
    detector.demo_dir()                                    # bundled demo: registry/, applications/, labels/

Reports (HTML, Excel, SVG figures) are in :mod:`detector.report`.
"""
from __future__ import annotations

import sys
import types
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time, so `detector --help` starts fast
    from .embed import Embedder
    from .errors import DetectorError, InputError
    from .industry import classify
    from .io import Registry, load_registry
    from .names import ParsedName, infer_home, parse_name
    from .paths import demo_dir
    from .pipeline import Engine
    from .screen import ScreenResult, results_frame, screen_applications
    from .study import StudyResult, run_study

__version__ = "0.1.0"

_LAZY = {
    "Embedder": "embed", "DetectorError": "errors", "InputError": "errors", "classify": "industry",
    "Registry": "io", "load_registry": "io", "ParsedName": "names", "infer_home": "names", "parse_name": "names",
    "demo_dir": "paths",
    "Engine": "pipeline", "ScreenResult": "screen", "results_frame": "screen", "screen_applications": "screen",
    "StudyResult": "study", "run_study": "study",
}


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        """Importing the submodules ``detector.study`` / ``detector.screen`` keeps the functions of the same name."""
        if not (name in ("study", "screen") and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'detector' has no attribute {name!r}")


def engine(registry: str | Path | Registry, model: str | Path | None = None) -> Engine:
    """A registry ready for repeated screening and studies (profiles and embeddings built once)."""
    from .embed import Embedder
    from .pipeline import Engine

    return Engine.load(registry, embedder=Embedder(model))


def study(registry: str | Path | Registry | Engine, model: str | Path | None = None) -> StudyResult:
    """Merger study of a registry (folder, .xlsx, loaded Registry or Engine)."""
    from .pipeline import Engine
    from .study import run_study

    return run_study(registry if isinstance(registry, Engine) else engine(registry, model))


def screen(applications: str | Path | Registry, registry: str | Path | Registry | Engine,
           model: str | Path | None = None) -> list[ScreenResult]:
    """Screen an application batch against a registry."""
    from .io import Registry, load_registry
    from .pipeline import Engine
    from .screen import screen_applications

    eng = registry if isinstance(registry, Engine) else engine(registry, model)
    apps = applications if isinstance(applications, Registry) else load_registry(
        applications, kind="applications", home=eng.registry.home)
    return screen_applications(eng, apps)


__all__ = [
    "DetectorError", "Embedder", "Engine", "InputError", "ParsedName", "Registry", "ScreenResult", "StudyResult",
    "classify", "demo_dir", "engine", "infer_home", "load_registry", "parse_name", "results_frame", "run_study",
    "screen", "screen_applications", "study",
]
