"""Encoder backends (torch, onnx, onnx-int8) and progress bars."""
import numpy as np
import pytest

from detector.embed import BACKENDS, Embedder, backend_from_env
from detector.errors import DetectorError
from detector.progress import progress_bar

TEXTS = ["温州市鞋革行业协会 皮鞋制造", "温州市鞋业商会 皮鞋生产", "温州市软件行业协会 软件开发",
         "本会业务范围:开展人才引进和培养,开展经营管理和专业技术人才培训,推动会展业规范发展,为会员提供政策信息咨询。", "鞋"]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    """The ONNX graphs exported once from the local model into a throwaway cache folder."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DETECTOR_CACHE", str(folder))
        encoders = {b: Embedder(cache=False, backend=b) for b in BACKENDS}
        for e in encoders.values():
            _ = e.model
    return folder, encoders


def test_an_unknown_backend_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DETECTOR_BACKEND", "tensorrt")
    with pytest.raises(DetectorError, match="DETECTOR_BACKEND=tensorrt 无效"):
        backend_from_env()
    with pytest.raises(DetectorError, match="嵌入后端 gpu 无效"):
        Embedder(cache=False, backend="gpu")


def test_each_backend_has_its_own_cache_keys(monkeypatch):
    monkeypatch.delenv("DETECTOR_BACKEND", raising=False)
    ids = {b: Embedder(cache=False, backend=b).model_id for b in BACKENDS}
    assert len(set(ids.values())) == len(BACKENDS)
    assert Embedder(cache=False).model_id == ids["torch"]  # the default keeps the vectors already cached
    monkeypatch.setenv("DETECTOR_BACKEND", "onnx-int8")
    assert Embedder(cache=False).model_id == ids["onnx-int8"]


def test_onnx_backends_agree_with_torch(graphs):
    _, encoders = graphs
    ref = encoders["torch"].encode(TEXTS)
    fp32, int8 = encoders["onnx"].encode(TEXTS), encoders["onnx-int8"].encode(TEXTS)
    assert fp32.shape == int8.shape == ref.shape
    assert np.allclose(np.linalg.norm(int8, axis=1), 1, atol=1e-3)
    assert (fp32 * ref).sum(1).min() > 0.9999
    assert (int8 * ref).sum(1).min() > 0.98
    assert int8[0] @ int8[1] > int8[0] @ int8[2]  # meaning survives quantisation


def test_graphs_are_built_once_and_atomically(graphs, monkeypatch):
    folder, _ = graphs
    made = sorted(p.name for p in (folder / "onnx").rglob("*") if p.is_file())
    assert made == ["model-int8.onnx", "model.onnx"]  # no temporary file left behind
    monkeypatch.setenv("DETECTOR_CACHE", str(folder))
    monkeypatch.setattr("detector.embed._export_onnx", lambda *a: pytest.fail("exported twice"))
    monkeypatch.setattr("detector.embed._quantise", lambda *a: pytest.fail("quantised twice"))
    assert Embedder(cache=False, backend="onnx-int8").encode(["鞋业"]).shape == (1, 512)


def test_progress_bars_only_on_a_terminal():
    assert progress_bar(10_000, "分词").disable  # pytest's stderr is no terminal
    assert not progress_bar(10_000, "分词", show=True).disable
    assert progress_bar(10, "分词", show=False).disable


def test_a_cold_run_gives_the_vectors_a_warm_run_reads_back(tmp_path):
    from detector.embed import EmbeddingCache

    texts = ["温州市鞋革行业协会", "皮鞋、皮革制品的生产与销售，行业自律与服务", "眼镜及光学制品"]
    cold = Embedder(cache=EmbeddingCache(tmp_path / "c.sqlite"), backend="torch").encode(texts)
    warm = Embedder(cache=EmbeddingCache(tmp_path / "c.sqlite"), backend="torch").encode(texts)
    assert np.array_equal(cold, warm)
