"""Independent benchmark: the detector on registries from a generator it has never seen.

Generates labelled datasets with ``benchmarks/independent_gen.py`` (own vocabulary, cities the
tool's training and evaluation did not use) into ``out/independent/``, runs
``detector.lab.evaluate.evaluate_dataset`` + ``format_results`` on them, then prints every error:

* parse audit: registry rows whose region, 异地商会 origin, member group or industry the tool
  misread, and how the generator's industries map onto the tool's (splits, merges, segments);
* study: each missed duplicate pair, each wrongly grouped labelled near miss, and each other false
  merge, with the pair features that decided (score, model_p, industry_rel, region_rel, cores,
  gate_reason ...) and a first guess at the cause;
* screening: each application whose verdict (or first match) is wrong, with its parse and the
  features against the expected / first match.

Run (a few minutes; embeddings are cached):
    .venv/bin/python benchmarks/independent.py [--out out/independent] [--only 佛山市] [--no-generate]
        [--seed-shift K] [--quiet] [--silent-names]

``--silent-names``: the same cities with bodies whose names are silent or mislead and trade-named clubs
(``independent_gen.plant_silent``, n // 25 rounds), in folders of their own (issue 16).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import independent_gen

from detector.embed import Embedder
from detector.io import load_registry
from detector.lab.evaluate import evaluate_dataset, format_results
from detector.lab.metrics import group_pairs
from detector.engine import Engine
from detector.profiles import build_profiles
from detector.screen import screen_applications
from detector.study import run_study

# (city, seed, size): cities absent from the tool's evaluation sets and its threshold-validation sets.
DATASETS = (("泉州市", 2101, 480), ("佛山市", 2102, 300), ("常州市", 2103, 400))
FEATURES = ["score", "model_p", "industry_a", "industry_b", "industry_rel", "industry_conf", "region_rel",
            "origin_rel", "form_clash", "same_audience", "core_cos", "desc_cos", "tfidf_cos", "services_jacc",
            "shared_members", "member_cont", "gate_reason"]
PROFILE_COLS = ["region_name", "region_level", "industry_core", "core_segment", "industry_key", "org_form", "origin",
                "origin_level", "audience", "eligible"]


def slug(city: str, seed: int, n: int) -> str:
    return f"{city}-{seed}-{n}"


# ---------------------------------------------------------------------------------------------
# Pair features
# ---------------------------------------------------------------------------------------------
def pair_features(engine: Engine, study, a: str, b: str) -> tuple[dict, bool]:
    """Features of (a, b): the scored candidate row when blocking found it, else scored on demand."""
    pairs = study.pairs
    hit = pairs[((pairs["id_a"] == a) & (pairs["id_b"] == b)) | ((pairs["id_a"] == b) & (pairs["id_b"] == a))]
    if len(hit):
        return hit.iloc[0].to_dict(), True
    p = study.profiles
    return engine.score_ids(p, p, [(a, b)]).iloc[0].to_dict(), False


def fmt_features(f: dict) -> str:
    out = []
    for k in FEATURES:
        v = f.get(k)
        if isinstance(v, float):
            v = f"{v:.3f}"
        if v not in (None, "", "nan"):
            out.append(f"{k}={v}")
    return " ".join(out)


def profile_line(frame: pd.DataFrame, i: str, truth: dict) -> str:
    r = frame.loc[i]
    parsed = " ".join(f"{c}={r[c]}" for c in PROFILE_COLS if c in r and str(r[c]) not in ("", "nan", "None"))
    t = truth.get(i, {})
    return (f"  {r['name']}  [region列={r.get('region', '')}, 真: {t.get('kind')}/{t.get('key')}@{t.get('region')}]\n"
            f"      tool: {parsed}  members={r.get('n_members', '')}")


def guess_cause(f: dict, pa: pd.Series, pb: pd.Series, ta: dict, tb: dict, found: bool, missed: bool, group_t: float) -> str:
    """A first guess at why the tool got the pair wrong (refined by hand in the report)."""
    causes = []
    if missed:
        if not found:
            causes.append("blocking: pair never a candidate")
        for p, t in ((pa, ta), (pb, tb)):
            if t and str(p["region_name"]) != t["region"]:
                causes.append(f"region parse: {p['name']} → {p['region_name']} (真 {t['region']})")
        if (not pa["industry_key"] or not pb["industry_key"]) and ta.get("kind") == "industry":
            causes.append("industry not recognised")
        if f.get("gate_reason"):
            causes.append(f"gate: {f['gate_reason']}")
        if f.get("industry_rel") not in ("same", None) and ta.get("kind") == "industry":
            causes.append(f"industry {f.get('industry_rel')}: {f.get('industry_a')} vs {f.get('industry_b')}")
        if f.get("origin_rel") == "mismatch":
            causes.append(f"origin mismatch: {pa['origin']} vs {pb['origin']}")
        if not causes:
            causes.append("threshold" if f.get("score", 0) < group_t else "clustering split")
    else:
        if f.get("region_rel") == "same" and ta.get("region") != tb.get("region"):
            causes.append("regions merged by parser")
        if f.get("industry_rel") == "same" and ta.get("key") != tb.get("key"):
            causes.append(f"different industries mapped same ({f.get('industry_a')})")
        if not causes:
            causes.append("evidence outweighed policy (no gate)")
    return "; ".join(causes)


# ---------------------------------------------------------------------------------------------
# Parse audit: what the tool read from each registry row vs what the generator meant
# ---------------------------------------------------------------------------------------------
def _origin_ok(t: dict, tool_origin: str, tool_level: str) -> bool:
    want = t["origin_place"] or t["origin_province"]
    level = {"province": "province", "prefecture": "prefecture", "county": "county"}[t["origin_level"]]
    return bool(tool_origin) and tool_origin.startswith(want) and tool_level == level


def parse_audit(folder: Path, frame: pd.DataFrame, log=print, show: int = 6) -> Counter:
    truth = pd.read_csv(folder / "labels" / "truth_registry.csv", dtype=str).fillna("")
    f = frame.set_index("id")
    problems: Counter = Counter()
    examples: dict[str, list[str]] = {}

    def note(kind: str, text: str) -> None:
        problems[kind] += 1
        examples.setdefault(kind, []).append(text)

    mapping: dict[str, Counter] = {}
    segments: dict[str, Counter] = {}
    for t in truth.to_dict("records"):
        r = f.loc[t["id"]]
        if str(r["region_name"]) != t["region"]:
            note("region misread", f"{t['name']} (region列 {r['region']}) → {r['region_name']}, 真 {t['region']}")
        if t["kind"] == "chamber" and not _origin_ok(t, str(r["origin"] or ""), str(r["origin_level"] or "")):
            note("origin misread", f"{t['name']} → origin={r['origin'] or '—'}/{r['origin_level'] or '—'}, 真 {t['key']}")
        if t["kind"] == "audience" and t["key"] != "企业家" and not r["audience"]:
            note("member group (audience) missed", f"{t['name']} → core={r['industry_core']} form={r['org_form']}")
        if t["kind"] == "industry":
            if not r["industry_key"]:
                note("industry not recognised", f"{t['name']} → core={r['industry_core']}")
            mapping.setdefault(t["key"], Counter())[r["industry_key"] or "—"] += 1
            if r["core_segment"]:
                segments.setdefault(t["key"], Counter())[f"{r['industry_core']}→{r['core_segment']}"] += 1
    log("\n--- parse audit (registry rows)")
    for kind, k in problems.most_common():
        log(f"  {kind}: {k}")
        for e in examples[kind][:show]:
            log(f"      {e}")
    splits = {k: c for k, c in mapping.items() if len(c) > 1}
    log("  one generator industry → several tool industries: " +
        ("; ".join(f"{k}→{dict(c)}" for k, c in sorted(splits.items())) or "none"))
    merged: dict[str, set] = {}
    for k, c in mapping.items():
        for tool in c:
            merged.setdefault(tool, set()).add(k)
    log("  several generator industries → one tool industry: " +
        ("; ".join(f"{tool}←{sorted(ks)}" for tool, ks in sorted(merged.items()) if len(ks) > 1) or "none"))
    log("  segments the tool split off a core (generator has none): " +
        ("; ".join(f"{k}: {dict(c)}" for k, c in sorted(segments.items())) or "none"))
    return problems


# ---------------------------------------------------------------------------------------------
# Study errors
# ---------------------------------------------------------------------------------------------
def study_errors(folder: Path, engine: Engine, study, log=print) -> Counter:
    labels = pd.read_csv(folder / "labels" / "pairs.csv", dtype=str)
    truth_df = pd.read_csv(folder / "labels" / "truth_registry.csv", dtype=str).fillna("")
    truth = {r["id"]: r for r in truth_df.to_dict("records")}
    frame = study.profiles.frame.set_index("id", drop=False)
    predicted = group_pairs(study.linked_sets())
    dup = {frozenset((a, b)) for a, b, l in zip(labels["id_a"], labels["id_b"], labels["label"]) if l == "1"}
    neg = {frozenset((a, b)): k for a, b, l, k in zip(labels["id_a"], labels["id_b"], labels["label"], labels["kind"])
           if l == "0"}
    group_t = engine.thresholds["group"]
    causes: Counter = Counter()

    def show(title: str, pairs: list[frozenset], missed: bool) -> None:
        log(f"\n--- {title}: {len(pairs)}")
        for pr in sorted(pairs, key=sorted):
            a, b = sorted(pr)
            f, found = pair_features(engine, study, a, b)
            cause = guess_cause(f, frame.loc[a], frame.loc[b], truth.get(a, {}), truth.get(b, {}), found, missed, group_t)
            kind = "" if missed else f" kind={neg.get(pr, 'unlabelled')}"
            causes[(title.split(" ")[0], cause.split(":")[0])] += 1
            log(f"* {cause}{kind}{'' if found else ' (not a candidate)'}")
            log(profile_line(frame, a, truth))
            log(profile_line(frame, b, truth))
            log(f"      {fmt_features(f)}")

    show("missed duplicate pairs", [p for p in dup if p not in predicted], True)
    show("near misses grouped", [p for p in predicted if p in neg], False)
    show("other false merges", [p for p in predicted if p not in dup and p not in neg], False)
    return causes


# ---------------------------------------------------------------------------------------------
# Screening errors
# ---------------------------------------------------------------------------------------------
def screen_errors(folder: Path, engine: Engine, log=print) -> Counter:
    apps = load_registry(folder / "applications", kind="applications", home=engine.registry.home)
    results = {r.id: r for r in screen_applications(engine, apps)}
    labels = pd.read_csv(folder / "labels" / "applications.csv", dtype=str).fillna("")
    groups = pd.read_csv(folder / "labels" / "groups.csv", dtype=str)
    group_of = dict(zip(groups["id"], groups["group"]))
    truth = {r["id"]: r for r in pd.read_csv(folder / "labels" / "truth_applications.csv", dtype=str).fillna("").to_dict("records")}
    reg_truth = {r["id"]: r for r in pd.read_csv(folder / "labels" / "truth_registry.csv", dtype=str).fillna("").to_dict("records")}
    reg_p = engine.profiles
    app_p = build_profiles(apps.associations, apps.memberships, engine.embedder, home=reg_p.home,
                           vectorizer=reg_p.vectorizer, known_members=engine.member_vocabulary)
    app_frame = app_p.frame.set_index("id", drop=False)
    reg_frame = reg_p.frame.set_index("id", drop=False)
    confusion: Counter = Counter()
    log("\n--- screening errors")
    for aid, verdict, expected, kind in zip(labels["id"], labels["verdict"], labels["expected_match"], labels["kind"]):
        got = results[aid]
        first = got.matches[0] if got.matches else None
        wrong_match = verdict == "duplicate" and got.verdict == "duplicate" and first is not None and \
            group_of.get(first.id) != group_of.get(expected)
        confusion[(verdict, got.verdict)] += 1
        if got.verdict == verdict and not wrong_match:
            continue
        truth.get(aid, {})
        log(f"* {aid} {kind}: expected {verdict}, got {got.verdict}{' (wrong first match)' if wrong_match else ''}")
        log(profile_line(app_frame, aid, truth))
        if expected:
            f = engine.score_ids(app_p, reg_p, [(aid, expected)]).iloc[0].to_dict()
            log(f"    expected match: {reg_frame.loc[expected, 'name']} "
                f"[真 {reg_truth[expected]['key']}@{reg_truth[expected]['region']}]")
            log("      tool: " + " ".join(f"{c}={reg_frame.loc[expected, c]}" for c in PROFILE_COLS[:5]))
            log(f"      {fmt_features(f)}")
        for m in got.matches[:2]:
            rt = reg_truth.get(m.id, {})
            log(f"    match: {m.name} [{m.relation}, score={m.score}, sim={m.similarity}] "
                f"[真 {rt.get('key')}@{rt.get('region')}] {'；'.join(m.reasons[:3])}")
            f = engine.score_ids(app_p, reg_p, [(aid, m.id)]).iloc[0].to_dict()
            log(f"      {fmt_features(f)}")
        for m in got.batch_matches[:1]:
            log(f"    batch: {m.name} [{m.relation}, score={m.score}]")
        if got.findings:
            log("    findings: " + ", ".join(f.rule for f in got.findings))
        log(f"    summary: {got.summary}")
    return confusion


# ---------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "out" / "independent"))
    ap.add_argument("--only", default="", help="one city of the dataset list")
    ap.add_argument("--no-generate", action="store_true", help="reuse folders already written")
    ap.add_argument("--seed-shift", type=int, default=0, help="add to every dataset seed (variance check)")
    ap.add_argument("--quiet", action="store_true", help="table and summary only, no per-error listing")
    ap.add_argument("--n", type=int, default=0, help="registry size of every dataset (default: each its own)")
    ap.add_argument("--silent-names", action="store_true",
                    help="plant silent / misleading names and trade-named clubs (issue 16)")
    a = ap.parse_args(argv)
    out = Path(a.out)
    sets = [(c, seed + a.seed_shift, a.n or n) for c, seed, n in DATASETS if not a.only or c == a.only]
    embedder = Embedder()
    results, folders = [], []
    for city, seed, n in sets:
        folder = out / (slug(city, seed, n) + ("-silent" if a.silent_names else ""))
        if not a.no_generate:
            independent_gen.generate(folder, seed=seed, n=n, city=city, n_apps=40,
                                     silent=n // 25 if a.silent_names else 0)
        t0 = time.perf_counter()
        results.append(evaluate_dataset(folder, embedder, folder.name))
        print(f"evaluated {folder.name} in {time.perf_counter() - t0:.1f}s", flush=True)
        folders.append(folder)
    print()
    print(format_results(results))
    totals: Counter = Counter()
    confusion: Counter = Counter()
    audit: Counter = Counter()
    for folder in folders:
        print(f"\n================ {folder.name} ================")
        engine = Engine.load(folder / "registry", embedder=embedder)
        study = run_study(engine)
        log = (lambda *_: None) if a.quiet else print
        audit.update(parse_audit(folder, study.profiles.frame, log=log))
        totals.update(study_errors(folder, engine, study, log=log))
        confusion.update(screen_errors(folder, engine, log=log))
    print("\n================ summary ================")
    print("parse problems in registry rows: " + (", ".join(f"{k} {v}" for k, v in audit.most_common()) or "none"))
    print("study errors by (type, first cause):")
    for (kind, cause), k in totals.most_common():
        print(f"  {k:4d}  {kind:8s} {cause}")
    print("screening confusion (expected → got):")
    for (exp, got), k in sorted(confusion.items()):
        print(f"  {exp:9s} → {got:9s} {k}")


if __name__ == "__main__":
    main()
