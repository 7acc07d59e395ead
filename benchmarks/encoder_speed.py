"""Embedding speed: the bare encoder, the detector's cold path, and the encoder backends.

    python benchmarks/encoder_speed.py [--n 1000] [--limit 300] [--real 300] [--workdir out/bench-embed]
                                   [--stages bare,embedder,profiles,backends] [--backends torch,onnx,onnx-int8]

Texts: the generated registry (seed 77, 温州市, ``--n`` associations; the first ``--limit`` rows are used) gives
names, scopes, purposes and the two texts profiles embed (``core``: the name's industry core, ``desc``: scope +
purpose); ``--real`` distinct real enterprise scopes are read (never copied) from ``../shared/data`` when present.

1. ``bare``: ``SentenceTransformer.encode`` (batch 64, normalised) on each kind of text;
2. ``embedder``: :class:`detector.embed.Embedder` on the same texts with a fresh cache file (the cold path);
3. ``profiles``: :func:`detector.profiles.build_profiles` with a fresh cache, against the bare encoder's time for
   exactly the texts it embeds (target: at most 1.2×);
4. ``runs``: the exported fp32 graph (made by ``detector prepare``; skipped without it) on ``desc``, ``core`` and
   names in fixed batches of 64 against runs of at most :data:`detector.embed.TOKEN_BUDGET` padded tokens (the
   default): ms per text;
5. ``backends``: each encoder backend on ``desc``, ``core`` and the real scopes: speed and cosine agreement with
   torch fp32 (per text, and of the pairwise cosines the features use).

Every figure is a JSON line with wall and CPU seconds (``time.process_time``: all threads of this process), so runs
on a shared machine can be compared by CPU time and by ratios measured side by side.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from detector.embed import TOKEN_BUDGET, OnnxEncoder, _sentence_transformer  # noqa: E402
REAL = ROOT.parent / "shared" / "data" / "wenzhou_companies.csv"


class Recorder:
    """Stands in for an Embedder in build_profiles: records the texts it is asked to embed."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def encode(self, texts) -> np.ndarray:
        self.texts.extend(texts)
        return np.zeros((len(texts), 1), dtype=np.float32)


def texts(n: int, limit: int, real: int, workdir: Path) -> tuple[dict[str, list[str]], object]:
    """Distinct normalised texts of each kind, and the associations they came from."""
    from detector.io import load_registry
    from detector.lab.train import Dataset, materialise
    from detector.profiles import build_profiles
    from detector.text import normalize_text

    reg = load_registry(materialise(Dataset(77, "standard", "温州市", n), workdir) / "registry")
    assoc = reg.associations.iloc[:limit].reset_index(drop=True)
    rec = Recorder()
    profiles = build_profiles(assoc, None, rec, reg.home)

    def distinct(values) -> list[str]:
        return sorted({t for t in (normalize_text(v) for v in values) if t})

    kinds = {"names": distinct(assoc["name"]), "scopes": distinct(assoc["scope"]),
             "purposes": distinct(assoc["purpose"]), "core": distinct(profiles.frame["core_text"]),
             "desc": distinct(profiles.frame["desc"]), "profiles": distinct(rec.texts)}
    if real and REAL.is_file():
        with REAL.open(encoding="utf-8-sig", newline="") as f:
            scopes = [row.get("经营范围", "") for row in csv.DictReader(f)]
        kinds["real_scopes"] = distinct(s for s in scopes if s and s != "经营范围")[:real]
    return kinds, (assoc, reg.home)


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def figure(stage: str, kind: str, count: int, wall: float, cpu: float, **extra) -> dict:
    row = {"stage": stage, "kind": kind, "texts": count, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
           "texts_per_wall_s": round(count / wall, 1) if wall else None, **extra}
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def fresh_embedder(backend: str, model=None):
    from detector.embed import Embedder, EmbeddingCache

    e = Embedder(cache=EmbeddingCache(Path(tempfile.mkdtemp()) / "cold.sqlite"), backend=backend, progress=False)
    if model is not None:
        e.__dict__["model"] = model  # the loaded model, so loading is not timed
    return e


def run(args: argparse.Namespace) -> None:
    kinds, (assoc, home) = texts(args.n, args.limit, args.real, args.workdir)
    stages = set(args.stages.split(","))
    # the bare encoder is sentence-transformers itself; the cold path runs what the default backend loads (the
    # exported fp32 graph once `detector prepare` has made it, else the same sentence-transformers model)
    default = fresh_embedder("torch")
    default_model = default.model
    torch_model = _sentence_transformer(default.model_path) if isinstance(default_model, OnnxEncoder) else default_model
    torch_model.encode(["预热"])
    default_model.encode(["预热"])
    bare: dict[str, float] = {}
    if stages & {"bare", "profiles"}:
        for kind, items in kinds.items():
            if kind == "profiles" and "profiles" not in stages:
                continue
            _, wall, cpu = timed(lambda: torch_model.encode(items, batch_size=64, normalize_embeddings=True))
            bare[kind] = cpu
            figure("bare", kind, len(items), wall, cpu)
    if "embedder" in stages:
        for kind, items in kinds.items():
            e = fresh_embedder("torch", default_model)
            _, wall, cpu = timed(lambda: e.encode(items))
            figure("embedder", kind, len(items), wall, cpu, cpu_vs_bare=round(cpu / bare[kind], 2) if kind in bare else None)
    if "profiles" in stages:
        from detector.profiles import build_profiles

        e = fresh_embedder("torch", default_model)
        _, wall, cpu = timed(lambda: build_profiles(assoc, None, e, home))
        figure("profiles", "profiles", len(kinds["profiles"]), wall, cpu, associations=len(assoc),
               cpu_vs_bare=round(cpu / bare["profiles"], 2))
    if "runs" in stages and isinstance(default_model, OnnxEncoder):
        for kind in ("desc", "core", "names"):
            items = sorted(kinds[kind], key=len)  # as Embedder passes them
            for label, budget in (("fixed_64", 10**9), ("token_runs", TOKEN_BUDGET)):
                _, wall, cpu = timed(lambda: default_model.encode(items, batch_size=64, token_budget=budget))
                figure("runs", kind, len(items), wall, cpu, batching=label, ms_per_text=round(wall / len(items) * 1000, 2),
                       cpu_vs_bare=round(cpu / bare[kind], 2) if kind in bare else None)
    if "backends" in stages:
        reference: dict[str, np.ndarray] = {}
        for backend in args.backends.split(","):
            e = fresh_embedder(backend)
            _ = e.model.encode(["预热"])
            for kind in ("desc", "core", "real_scopes"):
                if kind not in kinds:
                    continue
                items = kinds[kind]
                vecs, wall, cpu = timed(lambda: e.encode(items))
                extra = {"backend": backend}
                if backend == "torch":
                    reference[kind] = vecs
                elif kind in reference:
                    cos = (vecs * reference[kind]).sum(1)
                    pair = np.abs(vecs @ vecs.T - reference[kind] @ reference[kind].T)
                    extra.update(cos_mean=round(float(cos.mean()), 4), cos_min=round(float(cos.min()), 4),
                                 pair_delta_mean=round(float(pair.mean()), 4), pair_delta_max=round(float(pair.max()), 4))
                figure("backend", kind, len(items), wall, cpu, **extra)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=300, help="associations of the registry used (its first rows)")
    ap.add_argument("--real", type=int, default=300, help="distinct real enterprise scopes (0: none)")
    ap.add_argument("--workdir", type=Path, default=ROOT / "out" / "bench-embed")
    ap.add_argument("--stages", default="bare,embedder,profiles,runs,backends")
    ap.add_argument("--backends", default="torch,onnx,onnx-int8", help="torch first: the reference for agreement")
    run(ap.parse_args())


if __name__ == "__main__":
    main()
