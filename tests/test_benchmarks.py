"""Every benchmark script runs end to end on tiny data (so none of them rots unnoticed).

The figures they print are measured with the real sizes by hand (benchmarks/README.md); here only that
each script completes and prints its tables. peers.py's methods have their own tests (test_peers.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _run(script: str, *args: str, cache: Path) -> str:
    env = {**os.environ, "DETECTOR_CACHE": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, str(BENCH / script), *args], env=env, capture_output=True, text=True,
                          timeout=900, check=False)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-4000:])
    return done.stdout


def test_independent_generator_benchmark(tmp_path):
    out = _run("independent.py", "--only", "佛山市", "--n", "60", "--out", str(tmp_path / "ind"), cache=tmp_path)
    assert "screening confusion (expected → got):" in out and "study errors by" in out
    assert "佛山市" in out


def test_speed_benchmark(tmp_path):
    out = _run("speed.py", "--n", "120", "--apps", "3", "--workdir", str(tmp_path / "bench"), cache=tmp_path)
    assert "study wall time, warm cache (s)" in out and "screen one application, median (ms)" in out


def test_speed_batch_and_screen_cli_stages(tmp_path):
    work = ["--n", "120", "--workdir", str(tmp_path / "bench")]
    batch = json.loads(_run("speed.py", "batch", "--batch", "6", *work, cache=tmp_path).strip().splitlines()[-1])
    assert batch["stage"] == "batch" and batch["applications"] == 6 and batch["marginal_ms"] > 0
    cli = json.loads(_run("speed.py", "screen_cli", *work, cache=tmp_path).strip().splitlines()[-1])
    assert cli["stage"] == "screen_cli" and cli["screen_s"] > 0 and cli["prepare_s"] > 0
    assert (tmp_path / "prepared").is_dir()  # the batch stage prepared the registry; screen_cli read it


def test_names_only_benchmark(tmp_path):
    csv = tmp_path / "names.csv"
    csv.write_text("name\n湘潭市鞋业协会\n湘潭市鞋业商会\n湘潭市律师协会\n湘潭市江西商会\n", encoding="utf-8")
    out = _run("names_only.py", str(csv), "--out", str(tmp_path / "out"), cache=tmp_path)
    assert "建议合并" in out and (tmp_path / "out" / "study.json").is_file()


def test_distributed_benchmark(tmp_path):
    out = _run("on_cluster.py", "--n", "60", "--workers", "1", "--workdir", str(tmp_path / "bench"), cache=tmp_path)
    assert "per stage: tasks, size" in out and '"stage": "block"' in out and "study wall time on 1 workers" in out


def test_speed_benchmark_shapes(tmp_path):
    out = _run("speed.py", "--n", "60", "--shape", "all", "--workdir", str(tmp_path / "bench"), cache=tmp_path)
    for shape in ("standard", "national", "shared_pool", "common_names", "skewed", "origin_half", "names_only"):
        assert f"\n{shape} " in out
    assert "wall/target" in out


def test_silent_names_benchmark(tmp_path):
    """Issue 16's pairs: every duplicate that only scope and members reveal is grouped, no look-alike is."""
    out = _run("silent_names.py", cache=tmp_path)
    verdicts = [line.split()[0] for line in out.splitlines() if line.startswith(("OK", "BAD"))]
    assert len(verdicts) == 9 and set(verdicts) == {"OK"}, out


def test_peers_benchmark(tmp_path):
    out = _run("peers.py", "--n", "60", "--methods", "detector,baseline", cache=tmp_path)
    assert "held-out dataset: seed 2027" in out and "detector" in out and "baseline" in out


def test_encoder_speed_benchmark(tmp_path):
    out = _run("encoder_speed.py", "--n", "60", "--limit", "12", "--real", "0", "--stages", "bare,embedder,profiles",
               "--backends", "torch", "--workdir", str(tmp_path / "embed"), cache=tmp_path)
    stages = {json.loads(line)["stage"] for line in out.splitlines() if line.startswith("{")}
    assert {"bare", "embedder", "profiles"} <= stages, out


def test_learning_benchmark(tmp_path):
    out = _run("learning.py", "--quick", "--n", "60", "--out", str(tmp_path / "learn"),
               "--figure", str(tmp_path / "reliability.png"), cache=tmp_path)
    assert "mean ours" in out and "mean independent" in out and "ECE" in out
    assert (tmp_path / "reliability.png").is_file()
