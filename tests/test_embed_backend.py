"""Encoder backends (torch, onnx, onnx-int8), the default backend's fp32 graph, and progress bars."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from detector.embed import (BACKENDS, FP32_TOLERANCE, Embedder, OnnxEncoder, backend_from_env, fp32_graph_agrees,
                            token_groups)
from detector.errors import DetectorError
from detector.progress import progress_bar

TEXTS = ["温州市鞋革行业协会 皮鞋制造", "温州市鞋业商会 皮鞋生产", "温州市软件行业协会 软件开发",
         "本会业务范围:开展人才引进和培养,开展经营管理和专业技术人才培训,推动会展业规范发展,为会员提供政策信息咨询。", "鞋"]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory):
    """The ONNX graphs exported once from the local model into a throwaway cache folder (the torch encoder
    loaded first, before there is a graph: sentence-transformers itself, the reference)."""
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
    assert made == ["agreement.json", "model-int8.onnx", "model.onnx", "tokenizer.json"]  # no temporary file left
    monkeypatch.setenv("DETECTOR_CACHE", str(folder))
    for step in ("_export_onnx", "_export_tokenizer", "_measure_agreement", "_quantise"):
        monkeypatch.setattr(f"detector.embed.{step}", lambda *a, step=step: pytest.fail(f"{step} twice"))
    assert Embedder(cache=False, backend="onnx-int8").encode(["鞋业"]).shape == (1, 512)


def test_once_exported_the_default_backend_runs_the_fp32_graph_with_the_same_vectors(graphs, monkeypatch):
    """The default backend loads the exported fp32 graph instead of torch (seconds faster) only because it gives
    sentence-transformers' vectors to float rounding: so it keeps torch's cache keys."""
    folder, encoders = graphs
    monkeypatch.setenv("DETECTOR_CACHE", str(folder))
    lean = Embedder(cache=False)
    assert not isinstance(encoders["torch"].model, OnnxEncoder)
    assert isinstance(lean.model, OnnxEncoder) and lean.model_id == encoders["torch"].model_id
    texts = [*TEXTS, "行业自律、信息交流、技术培训；" * 60]  # one past the 512-token limit: truncated alike
    ref = encoders["torch"].model.encode(texts, normalize_embeddings=True)
    assert np.abs((lean.model.encode(texts) * ref).sum(1) - 1).max() < FP32_TOLERANCE
    assert json.loads(next(folder.rglob("agreement.json")).read_text())["max_cos_deviation"] < FP32_TOLERANCE


def test_token_groups_cover_every_text_once_within_the_budget():
    rng = np.random.default_rng(7)
    lengths = np.concatenate([rng.integers(3, 20, 300), rng.integers(60, 200, 100), [512, 512, 1]])
    rng.shuffle(lengths)
    groups = token_groups(lengths, batch_size=64, budget=1024)
    assert sorted(np.concatenate(groups).tolist()) == list(range(len(lengths)))
    for g in groups:
        assert 1 <= len(g) <= 64 and (len(g) == 1 or len(g) * lengths[g].max() <= 1024)
    assert max(len(g) for g in groups) == 64  # short texts still fill whole runs
    assert [g.tolist() for g in token_groups(np.array([512, 512, 5]), 64, budget=1000)] == [[2], [0], [1]]
    assert token_groups(np.array([], dtype=int), 64) == []


def test_runs_of_any_make_up_give_each_text_its_own_vector(graphs, monkeypatch):
    """A text's vector does not depend on the texts run beside it (padding is masked): in runs of many, of
    mixed lengths, it equals the text embedded alone."""
    folder, _ = graphs
    monkeypatch.setenv("DETECTOR_CACHE", str(folder))
    model = Embedder(cache=False).model
    texts = [*TEXTS * 30, "行业自律、信息交流、技术培训；" * 60, ""]
    together = model.encode(texts, batch_size=64)
    alone = np.vstack([model.encode([t], batch_size=1) for t in texts[:5] + texts[-2:]])
    picked = np.vstack([together[:5], together[-2:]])
    assert np.abs((picked * alone).sum(1) - 1).max() < FP32_TOLERANCE
    assert np.allclose(together[5:150], np.tile(together[:5], (29, 1)), atol=1e-6)


def test_a_graph_that_does_not_agree_leaves_the_default_backend_on_torch(graphs, tmp_path):
    folder, _ = graphs
    source = next(folder.rglob("agreement.json")).parent
    for name in ("model.onnx", "tokenizer.json"):
        (tmp_path / name).symlink_to(source / name)
    assert not fp32_graph_agrees(tmp_path)  # not measured yet
    (tmp_path / "agreement.json").write_text(json.dumps({"texts": 9, "max_cos_deviation": 0.002}))
    assert not fp32_graph_agrees(tmp_path)
    (tmp_path / "agreement.json").write_text(json.dumps({"texts": 9, "max_cos_deviation": 1e-7}))
    assert fp32_graph_agrees(tmp_path)


def test_screening_with_the_exported_graph_imports_no_torch(graphs):
    folder, _ = graphs
    code = ("import sys; from detector.embed import Embedder; e = Embedder(cache=False); "
            "v = e.encode(['温州市从未见过的行业协会']); assert v.shape == (1, 512); "
            "assert 'torch' not in sys.modules and 'transformers' not in sys.modules, 'torch imported'")
    env = {**os.environ, "DETECTOR_CACHE": str(folder), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    env.pop("DETECTOR_BACKEND", None)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


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
