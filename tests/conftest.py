"""Shared fixtures: one embedder (real local model, throwaway cache) and the small real-style registry."""
from pathlib import Path

import pytest

from detector.embed import EmbeddingCache, Embedder
from detector.engine import Engine

DATA = Path(__file__).parent / "data"
SMALL = DATA / "wz_small"


@pytest.fixture(scope="session")
def embedder(tmp_path_factory) -> Embedder:
    return Embedder(cache=EmbeddingCache(tmp_path_factory.mktemp("emb") / "cache.sqlite"))


@pytest.fixture(scope="session")
def small_engine(embedder) -> Engine:
    return Engine.load(SMALL / "registry", embedder=embedder)


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory) -> Path:
    """A small labelled generated registry (seed and city unused by training)."""
    from detector.lab.synth import SynthConfig, generate, write

    out = tmp_path_factory.mktemp("synth")
    write(generate(SynthConfig(seed=4242, city="嘉兴市", n_associations=160, variation="standard")), out)
    return out


@pytest.fixture(scope="session")
def synth_engine(synth_dir, embedder) -> Engine:
    return Engine.load(synth_dir / "registry", embedder=embedder)
