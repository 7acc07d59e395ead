"""The study on a local Dask cluster gives exactly what the single-process path gives (pairs, scores, groups,
findings), through the API and through ``detector study --workers 2``; cluster mistakes end in Chinese errors."""
from __future__ import annotations

import json
import sys
from datetime import date

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

pytest.importorskip("dask.distributed")

from detector.candidates import BlockingConfig
from detector.cli import cli
from detector.distributed import connect, merge_candidates
from detector.embed import EmbeddingCache, Embedder
from detector.engine import Engine
from detector.lab.train import Dataset, materialise
from detector.scoring import score_candidates
from detector.study import run_study

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return materialise(Dataset(31, "standard", "温州市", 120), tmp_path_factory.mktemp("dist")) / "registry"


@pytest.fixture(scope="module")
def cache_path(tmp_path_factory):
    return tmp_path_factory.mktemp("dist-cache") / "embeddings.sqlite"


def test_a_local_cluster_gives_the_single_process_study(registry, cache_path):
    small = BlockingConfig(chunk=32)  # several blocking partitions on 120 associations
    with connect(workers=2) as cluster:
        engine = Engine.load(registry, embedder=cluster.embedder(cache=EmbeddingCache(cache_path)))
        spread = run_study(engine, today=TODAY, score=cluster.score)
        partitions = cluster.score(engine.profiles, scorer=engine.scorer, cfg=small)
        stages = {t.stage for t in cluster.times}
        blocks = [t for t in cluster.times if t.stage == "block"]
    assert stages == {"embed", "block", "score"}  # the workers embedded the texts (the cache was empty)
    assert len(blocks) == 1 + 4  # one partition at the default size, four of 32 rows
    single_engine = Engine.load(registry, embedder=Embedder(cache=EmbeddingCache(cache_path)))
    single = run_study(single_engine, today=TODAY)
    assert len(single.pairs) > 100 and single.groups and single.findings
    pd.testing.assert_frame_equal(spread.pairs, single.pairs, check_exact=True)
    assert spread.to_json() == single.to_json()
    assert spread.linked_sets() == single.linked_sets()
    pd.testing.assert_frame_equal(partitions, score_candidates(single_engine.profiles, scorer=single_engine.scorer,
                                                              cfg=small), check_exact=True)


def test_detector_study_with_workers_writes_the_same_study(registry, cache_path, tmp_path, monkeypatch):
    monkeypatch.setenv("DETECTOR_CACHE", str(cache_path.parent))
    runner = CliRunner()
    spread = runner.invoke(cli, ["study", str(registry), "--out", str(tmp_path / "spread.json"), "--workers", "2"])
    assert spread.exit_code == 0, spread.output
    assert "分布式运行：2 个工作节点" in spread.output
    single = runner.invoke(cli, ["study", str(registry), "--out", str(tmp_path / "single.json")])
    assert single.exit_code == 0, single.output
    read = [json.loads((tmp_path / f"{n}.json").read_text(encoding="utf-8")) for n in ("spread", "single")]
    assert read[0] == read[1] and read[0]["groups"]


def test_candidates_from_partitions_merge_into_one_row_per_pair():

    parts = [np.array([[0, 3, 1], [1, 2, 4]]), np.array([[0, 3, 8], [0, 1, 2]]), np.empty((0, 3), dtype=np.int64)]
    assert merge_candidates(parts, 4).tolist() == [[0, 1, 2], [0, 3, 9], [1, 2, 4]]


@pytest.mark.parametrize("args, message", [
    (["--cluster", "nonsense://host"], "无法连接集群调度器 nonsense://host"),
    (["--cluster", "tcp://127.0.0.1:9", "--workers", "2"], "--cluster 与 --workers 只能选一个"),
    (["--workers", "0"], "--workers"),
])
def test_cluster_mistakes_are_explained(registry, tmp_path, args, message):
    done = CliRunner().invoke(cli, ["study", str(registry), "--out", str(tmp_path / "s.json"), *args])
    assert done.exit_code == 2 and message in done.output and "Traceback" not in done.output


def test_without_dask_the_cluster_options_say_what_to_install(registry, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    done = CliRunner().invoke(cli, ["study", str(registry), "--out", str(tmp_path / "s.json"), "--workers", "2"])
    assert done.exit_code == 2 and "pip install 'detector[cluster]'" in done.output
