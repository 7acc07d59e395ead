"""Speed and memory on a generated 10,000-association registry (~300,000 memberships), of several shapes.

    python benchmarks/speed.py [--n 10000] [--shape standard|national|…|all] [--workdir out/bench] [--apps 50]

1. generates the registry (seed 77, ``min(n, 10,000)`` associations) unless already there, and transforms it
   into the ``--shape`` asked for (benchmarks/shapes.py: national geography, a shared member pool, common
   person names, skewed sizes, half 异地商会, names only; above 10,000 associations tiled copies);
2. ``prepare``: builds profiles once so every text is embedded into the cache (the first run pays), and exports
   the ONNX encoder as ``detector prepare`` does;
3. ``study``: the merger study in a fresh process with the cache warm — wall time, CPU time and peak memory;
4. ``screen`` (standard shape only: the applications are the 温州市 registry's, above 10,000 associations those of
   the 10,000 the registry was tiled from): screening single new
   applications (texts never embedded before) against the registry after warm-up — ms per application,
   embedding included.

Figures are printed with the targets (study ≤ 20 s and ≤ 1.5 GiB at 10,000 associations, ≤ 240 s and ≤ 6 GiB at
100,000; screening < 100 ms per application). ``--shape all`` prints one row per shape.

Stages run only when named:

- ``batch``: one batch of ``--batch`` (200) applications never screened before (the generated ones, then
  registry rows applying again with their members) against the registry after warm-up: seconds for the
  batch, the single application, and the marginal cost per application ((batch − single) / (size − 1)),
  with and without the time spent embedding the applications' new texts (target ≤ 50 ms);
- ``screen_cli``: ``detector prepare`` on the registry, then ``detector screen`` of one new application in
  a fresh process, reading the prepared registry: wall and CPU seconds of each (target ≤ 5 s for screen);

- ``people``: 10,000 associations, 300,000 memberships whose post holders are drawn from 400 common names
  (Zipf-weighted: the commonest holds posts in thousands of associations): the member table and the policy
  rules (leader_overlap and its namesakes among them), seconds;
- ``records``: record duplicates on a 100,000-row names-only registry (distinct bodies named alike in every
  city and county of 浙江省, 2 % of them listed twice in another writing: 繁体, spaced): profiles without embeddings, then the record links
  and findings, seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from shapes import SHAPES  # noqa: E402  (benchmarks/shapes.py, beside this script)

SCREEN_TARGET_MS = 100.0
BATCH_MARGINAL_TARGET_MS, SCREEN_CLI_TARGET_S = 50.0, 5.0


def study_targets(n: int) -> tuple[float, float]:
    """(seconds, GiB) the merger study must stay within at ``n`` associations (issue 11)."""
    return (20.0, 1.5) if n <= 10_000 else (240.0, 6.0)


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def base(n: int, workdir: Path) -> Path:
    """The generated 温州市 dataset the registries of ``n`` associations are made from (its registry and the new
    applications screened against them: a tiled registry of 100,000 is screened with the 10,000's applications)."""
    from detector.lab.train import Dataset, materialise

    from shapes import BASE_N

    return materialise(Dataset(77, "standard", "温州市", min(n, BASE_N)), workdir)


def data(n: int, workdir: Path, shape: str = "standard") -> Path:
    """The registry folder of ``shape`` at ``n`` associations."""
    from shapes import make

    return make(shape, base(n, workdir), n, workdir)


def prepare(folder: Path) -> None:
    from detector import engine

    t = time.perf_counter()
    eng = engine(folder)
    _ = eng.profiles
    seconds = round(time.perf_counter() - t, 1)
    eng.embedder.export()  # as `detector prepare` does: later stages load the encoder without torch
    print(json.dumps({"stage": "prepare", "seconds": seconds, "associations": len(eng.profiles)}))


def study(folder: Path) -> None:
    from detector import engine, run_study

    t, cpu = time.perf_counter(), time.process_time()
    result = run_study(engine(folder))
    print(json.dumps({"stage": "study", "seconds": round(time.perf_counter() - t, 1),
                      "cpu_s": round(time.process_time() - cpu, 1), "peak_gib": round(_peak_gib(), 2),
                      "groups": len(result.groups), "pairs": len(result.pairs), "findings": len(result.findings),
                      "associations": len(result.profiles),
                      "memberships": len(result.profiles.member_table)}))


def screen(folder: Path, apps_folder: Path, n_apps: int) -> None:
    from detector import engine, load_registry, screen_applications
    from detector.io import Registry

    eng = engine(folder)
    _ = eng.profiles
    apps = load_registry(apps_folder, kind="applications", home=eng.registry.home)
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


def new_applications(folder: Path, apps_folder: Path, size: int, run: str, home=None):
    """``size`` applications (fewer when the data has fewer) whose scope texts were never embedded: the
    generated applications, then registry rows applying again under new ids with their members."""
    import pandas as pd

    from detector import load_registry
    from detector.io import Registry

    apps = load_registry(apps_folder, kind="applications", home=home)
    reg = load_registry(folder, home=home)
    again = reg.associations.sample(n=max(0, min(size - len(apps), len(reg))), random_state=7)
    new_id = {aid: f"R{k:05d}-{run}" for k, aid in enumerate(again["id"])}
    columns = list(apps.associations.columns)
    a = pd.concat([apps.associations[columns], again[columns].assign(id=again["id"].map(new_id))], ignore_index=True)
    a = a.iloc[:size].assign(scope=lambda f: f["scope"] + f"（{run} 申报）")
    m = reg.memberships[reg.memberships["association_id"].isin(new_id)]
    m = pd.concat([apps.memberships, m.assign(association_id=m["association_id"].map(new_id))], ignore_index=True)
    m = m[m["association_id"].isin(set(a["id"]))].reset_index(drop=True)
    return Registry(a, m, None, [], "benchmark", "applications", apps.present_columns, apps.home)


def batch(folder: Path, apps_folder: Path, size: int) -> None:
    from detector import engine, screen_applications

    eng = engine(folder)
    _ = eng.profiles
    run = time.strftime("%Y%m%d%H%M%S")
    apps = new_applications(folder, apps_folder, size + 2, run, eng.registry.home)
    warm, single, rest = _part(apps, 0, 1), _part(apps, 1, 2), _part(apps, 2, size + 2)
    screen_applications(eng, warm)  # model, jieba, lookup tables
    embedding = _timed(eng.embedder)
    figures = {}
    for label, part in (("single", single), ("batch", rest)):
        embedding.seconds = 0.0
        t, cpu = time.perf_counter(), time.process_time()
        screen_applications(eng, part)
        figures[label] = (time.perf_counter() - t, time.process_time() - cpu, embedding.seconds)
    n = len(rest)
    (s1, c1, e1), (sn, cn, en) = figures["single"], figures["batch"]
    print(json.dumps({"stage": "batch", "applications": n, "registry": len(eng.profiles),
                      "batch_s": round(sn, 2), "batch_cpu_s": round(cn, 2), "batch_embedding_s": round(en, 2),
                      "single_ms": round(s1 * 1000, 1), "single_cpu_ms": round(c1 * 1000, 1),
                      "marginal_ms": round((sn - s1) / max(n - 1, 1) * 1000, 1),
                      "marginal_cpu_ms": round((cn - c1) / max(n - 1, 1) * 1000, 1),
                      "marginal_without_embedding_ms": round(((sn - en) - (s1 - e1)) / max(n - 1, 1) * 1000, 1)}))


def _part(apps, lo: int, hi: int):
    """Applications ``lo`` to ``hi`` of a batch, with their members."""
    from detector.io import Registry

    a = apps.associations.iloc[lo:hi].reset_index(drop=True)
    m = apps.memberships[apps.memberships["association_id"].isin(set(a["id"]))].reset_index(drop=True)
    return Registry(a, m, None, [], apps.source, apps.kind, apps.present_columns, apps.home)


class _timed:
    """Counts the seconds an embedder spends in ``encode`` (wrapped in place)."""

    def __init__(self, embedder):
        self.seconds = 0.0
        encode = embedder.encode

        def timed(texts):
            t = time.perf_counter()
            try:
                return encode(texts)
            finally:
                self.seconds += time.perf_counter() - t

        embedder.encode = timed


def screen_cli(folder: Path, apps_folder: Path, workdir: Path) -> None:
    """``detector prepare`` then ``detector screen`` of one new application, each a fresh process."""
    from detector.io import write_registry

    run = time.strftime("%Y%m%d%H%M%S")
    one = workdir / "screen_cli" / run
    write_registry(new_applications(folder, apps_folder, 1, run), one)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    figures = {}
    for label, args in (("prepare", ["prepare", str(folder)]),
                        ("screen", ["screen", str(one), "--registry", str(folder), "--out",
                                    str(one / "result.jsonl")])):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "detector", *args], check=True, capture_output=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures[f"{label}_s"] = round(time.perf_counter() - t, 2)
        figures[f"{label}_cpu_s"] = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
    shutil.rmtree(one)
    print(json.dumps({"stage": "screen_cli", **figures, "target_s": SCREEN_CLI_TARGET_S}))


class _NoVectors:
    """Rules and record duplicates never read embeddings."""

    def encode(self, texts):
        import numpy as np

        return np.zeros((len(texts), 4), dtype=np.float32)


def people(n: int = 10_000, rows: int = 300_000, seed: int = 7) -> None:
    import numpy as np
    import pandas as pd

    from detector import regions
    from detector.members import member_table
    from detector.profiles import build_profiles
    from detector.rules import check_rules

    rng = np.random.default_rng(seed)
    home = regions.lookup("温州市")
    frame = build_profiles(pd.DataFrame({"id": [f"P{k}" for k in range(n)], "name": [f"温州市第{k}行业协会" for k in range(n)]}),
                           None, _NoVectors(), home).frame
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    names = np.array([s + g for s in surnames for g in given])  # 400 common names
    weights = 1.0 / np.arange(1, len(names) + 1)
    enterprise = rng.integers(0, 60_000, rows)
    leader = rng.random(rows) < 0.15
    ms = pd.DataFrame({
        "association_id": np.array([f"P{k}" for k in range(n)])[rng.integers(0, n, rows)],
        "member_name": [f"温州市{e}号实业有限公司" for e in enterprise],
        "member_kind": "企业",
        "role": np.where(leader, rng.choice(["会长", "副会长", "常务副会长"], rows), "会员"),
        "person": np.where(leader, rng.choice(names, rows, p=weights / weights.sum()), ""),
    })
    t = time.perf_counter()
    table = member_table(ms, home)
    t_table = time.perf_counter() - t
    t = time.perf_counter()
    found = check_rules(frame, table, None, home)
    t_rules = time.perf_counter() - t
    by_rule = {r: sum(f.rule == r for f in found) for r in ("leader_overlap", "leader_overlap_unverified")}
    print(json.dumps({"stage": "people", "memberships": rows, "member_table_s": round(t_table, 2),
                      "rules_s": round(t_rules, 2), "peak_gib": round(_peak_gib(), 2), **by_rule}))


def records_stage(rows: int = 100_000, seed: int = 11) -> None:
    import numpy as np
    import pandas as pd

    from detector import regions
    from detector.industry import taxonomy
    from detector.profiles import build_profiles
    from detector.records import links_within, study_findings
    import opencc

    rng = np.random.default_rng(seed)
    zhejiang = regions.lookup("浙江省")
    places = [d for d in regions.divisions() if d.level != regions.PROVINCE and regions.contains(zhejiang, d)]
    subjects = sorted({x.name for x in taxonomy().industries.values()})
    forms = ["行业协会", "商会", "学会", "研究会", "促进会", "联合会", "职业技能培训学校", "培训中心"]
    combos = rng.choice(len(places) * len(subjects) * len(forms), rows, replace=False)  # distinct bodies
    place, rest = np.divmod(combos, len(subjects) * len(forms))
    names = [f"{places[p].name}{subjects[r // len(forms)]}{forms[r % len(forms)]}" for p, r in zip(place, rest)]
    twice = rng.choice(rows, rows // 50, replace=False)
    traditional = opencc.OpenCC("s2t")
    for k in twice:  # the same body in another writing: 繁体, a full-width space after the place
        names.append(traditional.convert(names[k].replace(places[place[k]].name, places[place[k]].name + "\u3000", 1)))
    frame = pd.DataFrame({"id": [f"N{k}" for k in range(len(names))], "name": names})
    t = time.perf_counter()
    p = build_profiles(frame, None, _NoVectors(), None)
    t_profiles = time.perf_counter() - t
    t = time.perf_counter()
    links = links_within(p)
    findings, sets = study_findings(p, links)
    t_records = time.perf_counter() - t
    print(json.dumps({"stage": "records", "rows": len(names), "profiles_s": round(t_profiles, 1),
                      "records_s": round(t_records, 2), "links": len(links), "findings": len(findings),
                      "peak_gib": round(_peak_gib(), 2)}))


def _run(stage: str, args: argparse.Namespace, shape: str) -> dict:
    """One stage in a fresh process (honest wall time and memory): its JSON line."""
    cmd = [sys.executable, __file__, stage, "--n", str(args.n), "--apps", str(args.apps), "--batch", str(args.batch),
           "--workdir", str(args.workdir), "--shape", shape]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    line = out.strip().splitlines()[-1]
    print(line, flush=True)
    return json.loads(line)


def _one_shape(args: argparse.Namespace) -> None:
    results = {stage: _run(stage, args, args.shape) for stage in ("prepare", "study")}
    s = results["study"]
    seconds, gib = study_targets(args.n)
    rows = [("study wall time, warm cache (s)", s["seconds"], seconds), ("study CPU time (s)", s["cpu_s"], seconds),
            ("study peak memory (GiB)", s["peak_gib"], gib)]
    if args.shape == "standard" and args.n <= 10_000:
        sc = _run("screen", args, args.shape)
        b, cli = _run("batch", args, args.shape), _run("screen_cli", args, args.shape)
        rows += [("screen one application, median (ms)", sc["median_ms"], SCREEN_TARGET_MS),
                 ("screen one application, p95 (ms)", sc["p95_ms"], SCREEN_TARGET_MS),
                 (f"batch of {b['applications']}: marginal per application (ms)", b["marginal_ms"],
                  BATCH_MARGINAL_TARGET_MS),
                 ("detector screen, one application, prepared (s)", cli["screen_s"], SCREEN_CLI_TARGET_S)]
    print(f"\n{'figure':42s} {'measured':>10s} {'target':>8s} {'ratio':>7s}")
    for label, value, target in rows:
        print(f"{label:42s} {value:10.2f} {target:8.1f} {value / target:7.2f}")
    print(f"(registry {args.shape}: {s['associations']} associations, {s['memberships']} memberships; prepare stage: "
          f"{results['prepare']['seconds']} s — all of the first run's embedding when the cache is cold, profiles only "
          "when warm)")


def _all_shapes(args: argparse.Namespace) -> None:
    seconds, gib = study_targets(args.n)
    rows = []
    for shape in SHAPES:
        _run("prepare", args, shape)
        rows.append((shape, _run("study", args, shape)))
    print(f"\n{'shape':14s} {'memberships':>11s} {'pairs':>9s} {'groups':>7s} {'wall s':>7s} {'CPU s':>7s} "
          f"{'GiB':>5s} {'wall/target':>11s} {'GiB/target':>10s}")
    for shape, s in rows:
        print(f"{shape:14s} {s['memberships']:11d} {s['pairs']:9d} {s['groups']:7d} {s['seconds']:7.1f} "
              f"{s['cpu_s']:7.1f} {s['peak_gib']:5.2f} {s['seconds'] / seconds:11.2f} {s['peak_gib'] / gib:10.2f}")
    print(f"(targets at {args.n} associations: {seconds:.0f} s, {gib} GiB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stage", nargs="?", default="all",
                    choices=["all", "prepare", "study", "screen", "people", "records", "batch", "screen_cli"])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--shape", default="standard", choices=[*SHAPES, "all"])
    ap.add_argument("--apps", type=int, default=40)
    ap.add_argument("--batch", type=int, default=200, help="applications in the batch stage")
    ap.add_argument("--workdir", type=Path, default=ROOT / "out" / "bench")
    args = ap.parse_args()
    if args.stage in ("people", "records"):
        people() if args.stage == "people" else records_stage()
        return
    if args.stage == "all":
        _all_shapes(args) if args.shape == "all" else _one_shape(args)
        return
    if args.shape == "all":
        ap.error("--shape all runs every stage (leave the stage out)")
    folder, apps = data(args.n, args.workdir, args.shape), base(args.n, args.workdir) / "applications"
    {"prepare": lambda: prepare(folder), "study": lambda: study(folder),
     "screen": lambda: screen(folder, apps, args.apps), "batch": lambda: batch(folder, apps, args.batch),
     "screen_cli": lambda: screen_cli(folder, apps, args.workdir)}[args.stage]()


if __name__ == "__main__":
    main()
