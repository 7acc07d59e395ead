"""Speed and memory on a generated 10,000-association registry (~300,000 memberships).

    python benchmarks/speed.py [--n 10000] [--workdir out/bench] [--apps 50]

1. generates the registry (seed 77) unless already there;
2. ``prepare``: builds profiles once so every text is embedded into the cache (the first run pays);
3. ``study``: the merger study in a fresh process with the cache warm — wall time and peak memory;
4. ``screen``: screening single new applications (texts never embedded before) against the registry
   after warm-up — ms per application, embedding included.

Figures are printed with the targets (study < 60 s and < 2 GiB; screening < 100 ms per application).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STUDY_TARGET_S, STUDY_TARGET_GIB, SCREEN_TARGET_MS = 60.0, 2.0, 100.0


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def data(n: int, workdir: Path) -> Path:
    from detector.lab.train import Dataset, materialise

    return materialise(Dataset(77, "standard", "温州市", n), workdir)


def prepare(folder: Path) -> None:
    from detector import engine

    t = time.perf_counter()
    eng = engine(folder / "registry")
    _ = eng.profiles
    print(json.dumps({"stage": "prepare", "seconds": round(time.perf_counter() - t, 1), "associations": len(eng.profiles)}))


def study(folder: Path) -> None:
    from detector import engine, run_study

    t = time.perf_counter()
    result = run_study(engine(folder / "registry"))
    print(json.dumps({"stage": "study", "seconds": round(time.perf_counter() - t, 1), "peak_gib": round(_peak_gib(), 2),
                      "groups": len(result.groups), "pairs": len(result.pairs),
                      "memberships": int(len(result.profiles.frame) and sum(result.profiles.frame["n_members"]))}))


def screen(folder: Path, n_apps: int) -> None:
    from detector import engine, load_registry, screen_applications
    from detector.io import Registry

    eng = engine(folder / "registry")
    _ = eng.profiles
    apps = load_registry(folder / "applications", kind="applications", home=eng.registry.home)
    ids = list(apps.associations["id"])[:n_apps]

    run = time.strftime("%Y%m%d%H%M%S")

    def one(aid: str) -> Registry:
        # a text never seen before, so each application is embedded as a real new one would be
        a = apps.associations[apps.associations["id"] == aid].assign(
            scope=lambda f: f["scope"] + f"（{run} 申报）")
        m = apps.memberships[apps.memberships["association_id"] == aid]
        return Registry(a, m, None, [], apps.source, apps.kind, apps.present_columns, apps.home)

    singles = [one(a) for a in ids]
    for r in singles[:3]:  # warm-up: model, jieba, caches
        screen_applications(eng, r)
    times = []
    for r in singles:
        t = time.perf_counter()
        screen_applications(eng, r)
        times.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"stage": "screen", "applications": len(times), "median_ms": round(statistics.median(times), 1),
                      "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 1),
                      "registry": len(eng.profiles)}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stage", nargs="?", default="all", choices=["all", "prepare", "study", "screen"])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--apps", type=int, default=40)
    ap.add_argument("--workdir", type=Path, default=ROOT / "out" / "bench")
    args = ap.parse_args()
    folder = data(args.n, args.workdir)
    if args.stage != "all":
        {"prepare": lambda: prepare(folder), "study": lambda: study(folder),
         "screen": lambda: screen(folder, args.apps)}[args.stage]()
        return
    results = {}
    for stage in ("prepare", "study", "screen"):  # each in a fresh process: honest wall time and memory
        cmd = [sys.executable, __file__, stage, "--n", str(args.n), "--apps", str(args.apps), "--workdir", str(args.workdir)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results[stage] = json.loads(out.strip().splitlines()[-1])
        print(out.strip().splitlines()[-1], flush=True)
    s, sc = results["study"], results["screen"]
    print(f"\n{'figure':42s} {'measured':>10s} {'target':>8s} {'ratio':>7s}")
    for label, value, target in [("study wall time, warm cache (s)", s["seconds"], STUDY_TARGET_S),
                                 ("study peak memory (GiB)", s["peak_gib"], STUDY_TARGET_GIB),
                                 ("screen one application, median (ms)", sc["median_ms"], SCREEN_TARGET_MS),
                                 ("screen one application, p95 (ms)", sc["p95_ms"], SCREEN_TARGET_MS)]:
        print(f"{label:42s} {value:10.2f} {target:8.1f} {value / target:7.2f}")
    print(f"(registry: {s.get('memberships')} memberships; prepare stage: {results['prepare']['seconds']} s — "
          "all of the first run's embedding when the cache is cold, profiles only when warm)")


if __name__ == "__main__":
    main()
