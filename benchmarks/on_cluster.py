"""Time per partition of the distributed study (Dask), to extrapolate to a province or a national run (named
so as not to shadow the distributed package).

    python benchmarks/on_cluster.py [--n 10000] [--workers 2] [--workdir out/bench]

Generates the registry of benchmarks/speed.py (seed 77, 温州市) unless there, then runs the study on a local
cluster of ``--workers`` processes: the embedding the cache lacks, the blocking partitions (the rows ordered
by region, ``BlockingConfig.chunk`` at a time, each against its own regions' rows) and the scoring slices on
the workers. Prints one line per task (stage, rows or pairs, wall and CPU seconds on its worker) and the totals per stage.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import data  # noqa: E402  (benchmarks/ is a folder of scripts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("out/bench"))
    args = ap.parse_args()
    from detector.distributed import connect
    from detector.engine import Engine
    from detector.study import run_study

    folder = data(args.n, args.workdir)
    with connect(workers=args.workers) as cluster:
        t, cpu = time.perf_counter(), time.process_time()
        result = run_study(Engine.load(folder, embedder=cluster.embedder()), score=cluster.score)
        wall, driver_cpu = time.perf_counter() - t, time.process_time() - cpu
        times = list(cluster.times)
    for x in times:
        print(json.dumps({"stage": x.stage, "partition": x.partition, "size": x.size, "wall_s": round(x.wall, 3),
                          "cpu_s": round(x.cpu, 3)}, ensure_ascii=False))
    print("per stage: tasks, size, worker wall (s), worker CPU (s)")
    for stage in ("embed", "block", "score"):
        own = [x for x in times if x.stage == stage]
        print(f"  {stage:6} {len(own):4} {sum(x.size for x in own):9} {sum(x.wall for x in own):9.1f} "
              f"{sum(x.cpu for x in own):9.1f}")
    print(f"study wall time on {args.workers} workers (s): {wall:.1f}, driver CPU (s): {driver_cpu:.1f}; "
          f"associations {len(result.profiles)}, pairs {len(result.pairs)}, groups {len(result.groups)}")


if __name__ == "__main__":
    main()
