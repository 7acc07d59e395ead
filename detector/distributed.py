"""The study's heavy stages on a Dask cluster: embedding, blocking, pair features and scoring.

The driver (this process) loads the registry, builds the profiles and, after scoring, clusters, checks the rules
and measures the layout as the single-process path does. The workers do:

- **embedding**: the texts the driver's cache lacks, in batches, each worker with its own local copy of the model
  (same fingerprint checked); the vectors go into the driver's cache and are read back from it, so a run gives what
  the single-process path gives reading the same cache;
- **blocking**: one task per *partition*: the registry's rows ordered by region and cut into blocks of
  ``BlockingConfig.chunk`` query rows, each seeking its meaning neighbours among its own region's rows (an
  association without a region among all), as the single-process path does region by region;
- **features and scoring**: one task per slice of the merged candidate pairs.

Every task sees the whole registry's profiles (scattered once): members held by too many associations are counted
registry-wide, and an association without a region pairs with every region. Neighbours are ranked on rounded
cosines, so a task's matrix shapes never change which pairs are candidates: the result is the single path's.
"""
from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .candidates import BlockingConfig, candidates, merge_pairs
from .embed import Embedder, EmbeddingCache
from .errors import DetectorError
from .features import pair_features
from .profiles import Profiles
from .scoring import Scorer, concat_slices, score_slice

EMBED_BATCH = 512  # texts per embedding task
PAIR_SLICES_PER_WORKER = 4  # feature/scoring tasks per worker (balance against per-task overhead)
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class TaskTime:
    """What one task did and how long it took on its worker (wall and CPU seconds)."""

    stage: str  # embed / block / score
    partition: int
    size: int  # texts, query rows or pairs
    wall: float
    cpu: float


def _timed(stage: str, partition: int, size: int, work):
    wall, cpu = time.perf_counter(), time.process_time()
    out = work()
    return out, TaskTime(stage, partition, size, time.perf_counter() - wall, time.process_time() - cpu)


# ---- on the workers ----------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _worker_embedder(model_path: str | None) -> Embedder:
    """The worker's embedder (its own model copy, loaded once per worker process; no cache of its own)."""
    return Embedder(model_path, cache=False, progress=False)


def _embed(model_path: str | None, model_id: str, texts: list[str], partition: int):
    embedder = _worker_embedder(model_path)
    if embedder.model_id != model_id:
        raise DetectorError(f"工作节点的嵌入模型（{embedder.model_id}）与本机（{model_id}）不同："
                            "请在每台工作节点安装同一模型")
    # the cache's precision: what a later run reading the cache sees, this run sees
    return _timed("embed", partition, len(texts),
                  lambda: embedder._encode_new(texts).astype(np.float16))


def _block(p: Profiles, rows: np.ndarray, cfg: BlockingConfig, partition: int):
    """Candidate pairs proposed by the query ``rows`` (``i < j``, one region or none), with sources."""
    def work() -> np.ndarray:
        # as a registry against itself: one neighbour more, since a row finds itself (dropped below)
        found = candidates(p.take(rows), p, dataclasses.replace(cfg, k=cfg.k + 1), local=True)
        i, j, bits = rows[found.i], found.j, found.sources.astype(np.int64)
        region = p.column("region_code")
        keep = (i != j) & ((region[i] == region[j]) | (region[i] == "") | (region[j] == ""))
        i, j, bits = i[keep], j[keep], bits[keep]
        return np.column_stack([np.minimum(i, j), np.maximum(i, j), bits])

    return _timed("block", partition, len(rows), work)


def region_partitions(p: Profiles, size: int) -> list[np.ndarray]:
    """The registry's rows ordered by region, cut into partitions of ``size`` rows: a task seeks neighbours within
    the few regions it holds."""
    order = np.argsort(pd.factorize(p.column("region_code"))[0], kind="stable")
    return [order[s : s + size] for s in range(0, len(order), size)]


def _score(p: Profiles, ijb: np.ndarray, scorer: Scorer, partition: int):
    def work() -> pd.DataFrame:
        f = pair_features(p, p, ijb[:, 0], ijb[:, 1])
        f["sources"] = ijb[:, 2].tolist()
        return score_slice(f, scorer)

    return _timed("score", partition, len(ijb), work)


def _worker_version() -> str:
    from . import __version__

    return __version__


# ---- on the driver -----------------------------------------------------------------------------------------


def merge_candidates(parts: list[np.ndarray], n: int) -> np.ndarray:
    """(i, j, sources) rows from every partition → one row per pair, sources combined, sorted by (i, j)."""
    ijb = np.concatenate(parts) if parts else np.empty((0, 3), dtype=np.int64)
    c = merge_pairs(ijb[:, 0] * n + ijb[:, 1], ijb[:, 2], n)
    return np.column_stack([c.i, c.j, c.sources])


class ClusterEmbedder(Embedder):
    """An embedder whose new texts are embedded on the cluster's workers, in batches of ``EMBED_BATCH``."""

    def __init__(self, cluster: "Cluster", model_path: str | Path | None = None,
                 cache: EmbeddingCache | None | bool = None):
        super().__init__(model_path, cache)
        self.cluster = cluster
        self.given_path = None if model_path is None else str(model_path)  # as given: resolved on each worker

    def _encode_new(self, texts: list[str]) -> np.ndarray:
        size = max(1, min(EMBED_BATCH, -(-len(texts) // self.cluster.n_workers)))  # every worker busy
        batches = [texts[k : k + size] for k in range(0, len(texts), size)]
        vectors = self.cluster.run([(_embed, self.given_path, self.model_id, b, n) for n, b in enumerate(batches)])
        out = np.concatenate(vectors) if vectors else np.empty((0, self.dim), dtype=np.float16)
        if self.cache:
            self.cache.put({self._key(t): v for t, v in zip(texts, out)})
        return out.astype(np.float32)


@dataclass
class Cluster:
    """A connected Dask client; ``times`` records every task this study ran."""

    client: object  # dask.distributed.Client
    times: list[TaskTime] = field(default_factory=list)

    @property
    def n_workers(self) -> int:
        return max(1, len(self.client.scheduler_info()["workers"]))

    def run(self, calls: list[tuple]) -> list:
        """``calls`` (function, *arguments) on the workers, results in order; their times kept."""
        futures = [self.client.submit(fn, *args, pure=False) for fn, *args in calls]
        done = self.client.gather(futures)
        self.times.extend(t for _, t in done)
        return [out for out, _ in done]

    def embedder(self, model_path: str | Path | None = None, cache: EmbeddingCache | None | bool = None) -> Embedder:
        return ClusterEmbedder(self, model_path, cache)

    def score(self, p: Profiles, scorer: Scorer, cfg: BlockingConfig | None = None) -> pd.DataFrame:
        """What :func:`detector.scoring.score_candidates` gives for a registry, computed on the workers."""
        cfg = cfg or BlockingConfig()
        shared = self.client.scatter(p, broadcast=True)
        parts = self.run([(_block, shared, rows, cfg, n) for n, rows in enumerate(region_partitions(p, cfg.chunk))])
        ijb = merge_candidates(parts, len(p))
        slices = np.array_split(ijb, min(len(ijb), self.n_workers * PAIR_SLICES_PER_WORKER)) if len(ijb) else [ijb]
        frames = self.run([(_score, shared, s, scorer, n) for n, s in enumerate(slices)])
        return concat_slices(frames, len(ijb))


@contextmanager
def connect(address: str | None = None, workers: int | None = None) -> Iterator[Cluster]:
    """A cluster: the scheduler at ``address`` (``tcp://host:8786``), or ``workers`` local worker processes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise DetectorError("分布式运行需要 Dask：pip install 'detector[cluster]'（或 pip install "
                            "'dask[distributed]'）") from None
    if address:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DetectorError(f"无法连接集群调度器 {address}：{exc}（请确认已运行 dask scheduler，地址与端口可达）") \
                from None
        local = None
    else:
        if not workers or workers < 1:
            raise DetectorError("--workers 应为正整数")
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                             silence_logs=logging.ERROR)
        client = Client(local)
    try:
        _check_workers(client, address)
        yield Cluster(client)
    finally:
        client.close()
        if local is not None:
            local.close()


def _check_workers(client, address: str | None) -> None:
    """At least one worker, each with this version of detector."""
    from . import __version__

    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S * 3)
    except TimeoutError:
        raise DetectorError(f"集群 {address} 没有可用的工作节点（请在各节点运行 dask worker {address}）") from None
    try:
        versions = client.run(_worker_version)
    except Exception as exc:  # a worker without the package cannot even load the function
        raise DetectorError(f"工作节点无法运行 detector（{type(exc).__name__}: {exc}）：请在每台工作节点安装同一版本"
                            "的 detector 与嵌入模型") from None
    wrong = {w: v for w, v in versions.items() if v != __version__}
    if wrong:
        raise DetectorError("工作节点的 detector 版本与本机（" + __version__ + "）不同：" +
                            "、".join(f"{w}（{v}）" for w, v in sorted(wrong.items())))
