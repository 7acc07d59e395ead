import sqlite3

import numpy as np
import pytest

from detector.embed import EmbeddingCache, Embedder
from detector.errors import DetectorError, DetectorWarning


@pytest.fixture(scope="module")
def embedder(tmp_path_factory):
    return Embedder(cache=EmbeddingCache(tmp_path_factory.mktemp("cache") / "e.sqlite"))


def test_vectors_are_normalised_and_meaningful(embedder):
    v = embedder.encode(["温州市鞋革行业协会 皮鞋制造", "温州市鞋业商会 皮鞋生产", "温州市软件行业协会 软件开发"])
    assert v.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_empty_text_gives_zero_vector(embedder):
    v = embedder.encode(["", None, "鞋业"])
    assert not v[0].any() and not v[1].any() and v[2].any()


def test_cache_means_nothing_is_embedded_twice(embedder, monkeypatch):
    texts = ["温州市眼镜商会", "溫州市眼鏡商會"]  # same text after normalisation
    first = embedder.encode(texts)
    assert np.allclose(first[0], first[1])
    fresh = Embedder(model_path=embedder.model_path, cache=embedder.cache)
    monkeypatch.setattr(Embedder, "_encode_new", lambda self, t: pytest.fail(f"re-embedded {t}"))
    assert np.allclose(fresh.encode(texts), first, atol=1e-3)


def test_cache_is_keyed_by_model(embedder, tmp_path):
    other = tmp_path / "other-model"
    other.mkdir()
    (other / "config.json").write_text("{}")
    assert Embedder(model_path=other, cache=False).model_id != embedder.model_id


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DetectorError, match="嵌入模型目录不存在"):
        Embedder(model_path=tmp_path / "nope", cache=False)


def test_token_cache_segments_each_text_once(embedder, monkeypatch):
    docs = ["汽摩配制造及销售", "皮鞋、运动鞋制造", "汽摩配制造及销售"]
    first = embedder.cache.tokenized(docs)
    assert first[0] == first[2] and "汽摩配" in first[0].split()
    monkeypatch.setattr("detector.embed.tokenize", lambda t: pytest.fail(f"re-segmented {t}"))
    assert embedder.cache.tokenized(docs) == first


def _failing_disk(*args, **kwargs):
    raise sqlite3.OperationalError("disk I/O error")


def test_a_failing_cache_warns_once_and_the_result_is_still_produced(embedder, tmp_path, monkeypatch):
    cache = EmbeddingCache(tmp_path / "c.sqlite")
    fresh = Embedder(model_path=embedder.model_path, cache=cache)
    fresh.__dict__["model"] = embedder.model  # the same loaded model, not a second copy
    expected = embedder.encode(["温州市鞋革行业协会 皮鞋制造"])[0]
    monkeypatch.setattr(EmbeddingCache, "_connect", _failing_disk)
    with pytest.warns(DetectorWarning, match="无法使用嵌入缓存") as caught:
        v = fresh.encode(["温州市鞋革行业协会 皮鞋制造", "从未见过的文本 甲乙丙"])
        docs = cache.tokenized(["温州市鞋革行业协会"])
    assert len([w for w in caught if issubclass(w.category, DetectorWarning)]) == 1
    assert v.shape == (2, embedder.dim) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)
    assert docs and "鞋革" in docs[0]
    assert np.allclose(v[0], expected, atol=1e-3)


def test_an_unwritable_cache_folder_is_a_warning(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.warns(DetectorWarning, match="嵌入缓存"):
        cache = EmbeddingCache(tmp_path / "file" / "c.sqlite")
    assert cache.disabled and cache.get(["k"]) == {}
