"""Learning from a registry's labels: does `detector label` + `detector learn` adapt the model to a
registry whose practice differs from the shipped default, and with how few labels?

The practice simulated: a city that keeps bodies of one industry apart when their organisation types
differ (a dealers' 商会, a manufacturers' 行业协会, a 联合会 and a 促进会 of one industry are four bodies,
not duplicates; 异地商会 as usual). The truth of a generated registry is re-drawn under that practice
(each duplicate group of industry bodies split by the organisation form its names end in) and a
simulated reviewer answers the labelling queue from it.

For each registry (three from `detector.lab.synth`, three from `benchmarks/independent_gen.py`, seeds
used nowhere else):

* shipped: the study's pairwise F1 with the shipped model;
* queue: rounds of 10 labels from `detector label`'s queue (made with the current model: shipped, then
  the learned one), `detector learn` after each round; F1 at 10 / 20 / 40 labels;
* random: the same budgets (and more) of labels on random gate-open candidate pairs, 5 draws each.

F1 is measured on the pairs NOT labelled (labelled pairs are left out of both the predicted and the true
pairs). It also prints calibration (ECE, Brier score) on held-out gate-open candidate pairs: under the
default practice, of both generators, without and with the shipped calibration stage
(`models/calibration.json`); under the differing practice, of the shipped model and of the model learned
from the queue's 40 labels, on the pairs not labelled; and writes the reliability figure.

Run (about 15 minutes on two cores; embeddings are cached):
    .venv/bin/python benchmarks/learning.py [--out out/learning] [--figure docs/reliability.png] [--quick]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import independent_gen

from detector.accuracy import reliability
from detector.active import queue
from detector.cluster import cluster
from detector.embed import Embedder
from detector.engine import Engine
from detector.lab.metrics import group_pairs, pairwise
from detector.lab.synth import SynthConfig, generate, write
from detector.learn import DEFAULT_L2, LabelledPairs, learn
from detector.model import Model, shipped_model
from detector.scoring import IDENTITY, score_candidates, score_pairs
from detector.text import normalize_name

OURS = (("湖州市", 931), ("金华市", 932), ("盐城市", 933))
INDEPENDENT = (("泉州市", 2311, 400), ("佛山市", 2312, 300), ("常州市", 2313, 400))
BUDGETS = (10, 20, 40)
RANDOM_BUDGETS = (10, 20, 40, 80, 160)
RANDOM_DRAWS = 5
ROUND = 10
FORMS = ("商会", "联合会", "促进会", "协会")  # 行业协会 ends in 协会


# ------------------------------------------------------------------------------------------- data


def form_of(name: str) -> str:
    norm = normalize_name(name)
    return next((f for f in FORMS if norm.endswith(f)), "")


def make_ours(root: Path, city: str, seed: int, n: int = 300) -> Path:
    """Our generator, standard noise, every row stating its type (the truth of 异地商会 / 学会 needs it)."""
    folder = root / f"ours-{city}-{seed}-{n}"
    if not (folder / "labels" / "groups.csv").is_file():
        cfg = SynthConfig(seed=seed, city=city, n_associations=n, variation="standard", missing_column_prob=0.0,
                          blank_type_rate=0.0)
        write(generate(cfg), folder)
    return folder


def make_independent(root: Path, city: str, seed: int, n: int) -> Path:
    folder = root / f"independent-{city}-{seed}-{n}"
    if not (folder / "labels" / "groups.csv").is_file():
        independent_gen.generate(folder, seed=seed, n=n, city=city, n_apps=10)
    return folder


def industry_bodies(folder: Path) -> set[str]:
    """Ids of the registry's industry bodies by the generator's truth (the practice applies to them)."""
    truth = folder / "labels" / "truth_registry.csv"
    if truth.is_file():
        t = pd.read_csv(truth, dtype=str).fillna("")
        return set(t.loc[t["kind"] == "industry", "id"])
    a = pd.read_csv(folder / "registry" / "associations.csv", dtype=str).fillna("")
    return set(a.loc[~a["type"].isin(["异地商会", "学会", "研究会"]), "id"])


def practice_truth(folder: Path) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """(default truth pairs, truth pairs under the types-apart practice)."""
    groups = pd.read_csv(folder / "labels" / "groups.csv", dtype=str)
    names = pd.read_csv(folder / "registry" / "associations.csv", dtype=str).set_index("id")["name"]
    industry = industry_bodies(folder)
    default = group_pairs(groups.groupby("group")["id"].apply(list))
    split = groups.assign(group=[g + ("/" + form_of(names[i]) if i in industry else "")
                                 for i, g in zip(groups["id"], groups["group"])])
    return default, group_pairs(split.groupby("group")["id"].apply(list))


# ----------------------------------------------------------------------------------------- studying


@dataclass
class Registry:
    name: str
    engine: Engine
    pairs: pd.DataFrame  # candidate pair features (scored by the shipped model)
    truth: set[frozenset[str]]


def predicted_pairs(reg: Registry, model: Model) -> set[frozenset[str]]:
    """The study's groups under ``model`` (clustering exactly as run_study does), as pairs."""
    scored = score_pairs(reg.pairs, model.scorer)
    p = reg.engine.profiles

    def rescore(missing):
        return reg.engine.score_ids(p, p, list(missing)).pipe(score_pairs, model.scorer)["score"].to_numpy()

    groups = cluster(list(zip(scored["id_a"], scored["id_b"], scored["score"])), model.thresholds["group"], rescore)
    return group_pairs(groups)


def f1_unlabelled(reg: Registry, model: Model, labelled: set[frozenset[str]]) -> float:
    return pairwise(predicted_pairs(reg, model) - labelled, reg.truth - labelled).f1


def answer(reg: Registry, rows: pd.DataFrame) -> LabelledPairs:
    """The simulated reviewer: labels from the truth under the registry's practice."""
    labels = [int(frozenset(p) in reg.truth) for p in zip(rows["id_a"], rows["id_b"])]
    return LabelledPairs(rows.assign(label=labels, source="模拟审查人", reviewer="sim", labelled_at="",
                                     name_a="", name_b=""))


def _combine(a: LabelledPairs | None, b: LabelledPairs) -> LabelledPairs:
    return b if a is None else LabelledPairs(pd.concat([a.features, b.features], ignore_index=True))


def _rows(reg: Registry, keys: list[frozenset[str]]) -> pd.DataFrame:
    index = {frozenset(p): k for k, p in enumerate(zip(reg.pairs["id_a"], reg.pairs["id_b"]))}
    return reg.pairs.iloc[[index[k] for k in keys]]


def run_queue(reg: Registry, shipped: Model) -> dict[int, dict]:
    """Rounds of ``ROUND`` labels from the queue, learning after each; results at each budget."""
    model, labelled, out = shipped, None, {}
    while len(out) < len(BUDGETS):
        scored = score_pairs(reg.pairs, model.scorer)
        l2 = float(model.provenance.get("l2", DEFAULT_L2))
        done = labelled.features if labelled is not None else None
        q = queue(reg.engine.profiles, scored, model.scorer, model.thresholds["group"], ROUND, done, l2)
        labelled = _combine(labelled, answer(reg, _rows(reg, [frozenset(p) for p in zip(q["id_a"], q["id_b"])])))
        result = learn(labelled, shipped)
        model = result.model or shipped
        n = len(labelled.features)
        if n in BUDGETS:
            keys = {frozenset(p) for p in zip(labelled.features["id_a"], labelled.features["id_b"])}
            out[n] = {"f1": f1_unlabelled(reg, model, keys), "adopted": result.adopted,
                      "positives": int(labelled.features["label"].sum()), "model": model, "labelled": keys}
    return out


def unlabelled_open(reg: Registry, model: Model, labelled: set[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities of ``model`` and the practice's truth on the gate-open candidate pairs nobody labelled."""
    keys = [frozenset(p) for p in zip(reg.pairs["id_a"], reg.pairs["id_b"])]
    keep = (reg.pairs["gate_reason"] == "").to_numpy() & np.array([k not in labelled for k in keys])
    p = score_pairs(reg.pairs[keep], model.scorer)["model_p"].to_numpy()
    return p, np.array([int(k in reg.truth) for k, ok in zip(keys, keep) if ok])


def run_random(reg: Registry, shipped: Model, draws: int) -> dict[int, list[float]]:
    open_ = reg.pairs[reg.pairs["gate_reason"] == ""]
    out: dict[int, list[float]] = {b: [] for b in RANDOM_BUDGETS}
    for draw in range(draws):
        order = np.random.default_rng(draw).permutation(len(open_))
        for budget in RANDOM_BUDGETS:
            rows = open_.iloc[order[:budget]]
            result = learn(answer(reg, rows), shipped)
            keys = {frozenset(p) for p in zip(rows["id_a"], rows["id_b"])}
            out[budget].append(f1_unlabelled(reg, result.model or shipped, keys))
    return out


def labels_to_match(random: dict[int, list[float]], target: float) -> str:
    """The smallest random budget whose mean F1 reaches ``target``."""
    for budget in RANDOM_BUDGETS:
        if np.mean(random[budget]) >= target - 1e-9:
            return str(budget)
    return f">{RANDOM_BUDGETS[-1]}"


# ------------------------------------------------------------------------------------- calibration


def calibration_pairs(folders: list[Path], embedder: Embedder) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gate-open candidate pairs of held-out registries (default practice): raw and calibrated p, truth."""
    shipped = shipped_model().scorer
    raw, cal, y = [], [], []
    for folder in folders:
        engine = Engine.load(folder / "registry", embedder=embedder)
        f = score_candidates(engine.profiles, scorer=shipped)
        f = f[f["gate_reason"] == ""]
        truth, _ = practice_truth(folder)
        raw.append(score_pairs(f, shipped.with_calibration(IDENTITY))["model_p"].to_numpy())
        cal.append(f["model_p"].to_numpy())
        y.append(np.array([int(frozenset(p) in truth) for p in zip(f["id_a"], f["id_b"])]))
    return np.concatenate(raw), np.concatenate(cal), np.concatenate(y)


def reliability_figure(curves: dict[str, object], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4 * len(curves), 4))
    for k, (title, rel) in enumerate(curves.items()):
        ax = fig.add_subplot(1, len(curves), k + 1)
        ax.plot([0, 1], [0, 1], color="#999", lw=1, ls="--")
        used = rel.count > 0
        centres = (rel.edges[:-1] + rel.edges[1:]) / 2
        ax.plot(rel.mean_p[used], rel.observed[used], marker="o", color="#1f77b4")
        for x, yv, n in zip(rel.mean_p[used], rel.observed[used], rel.count[used]):
            ax.annotate(str(int(n)), (x, yv), textcoords="offset points", xytext=(4, -10), fontsize=7)
        ax.bar(centres, rel.count / rel.count.sum(), width=0.09, alpha=0.2, color="#1f77b4")
        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="predicted probability", ylabel="observed share of duplicates",
               title=f"{title}\nECE {rel.ece:.4f}, Brier {rel.brier:.4f}, n={rel.n}")
        ax.title.set_fontsize(8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


# ------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "out" / "learning"))
    ap.add_argument("--figure", default=str(ROOT / "docs" / "reliability.png"))
    ap.add_argument("--json", default="", help="also write the figures as JSON")
    ap.add_argument("--quick", action="store_true", help="one registry per generator, 2 random draws")
    ap.add_argument("--n", type=int, default=0, help="associations of every registry (default: each its own)")
    a = ap.parse_args(argv)
    root = Path(a.out)
    embedder = Embedder()
    shipped = shipped_model()
    ours, theirs = OURS[:1] if a.quick else OURS, INDEPENDENT[:1] if a.quick else INDEPENDENT
    folders = [("ours", make_ours(root, c, s, a.n or 300)) for c, s in ours] + \
              [("independent", make_independent(root, c, s, a.n or n)) for c, s, n in theirs]
    draws = 2 if a.quick else RANDOM_DRAWS
    rows, shifted, report = [], [], {"learning": [], "calibration": {}}
    print("study F1 on unlabelled pairs, practice: types of one industry kept apart")
    header = (f"{'registry':28s} {'shipped':>7s} " + " ".join(f"{'queue' + str(b):>8s}" for b in BUDGETS) + " "
              + " ".join(f"{'rand' + str(b):>8s}" for b in RANDOM_BUDGETS) + "  random labels for queue@20 / @40")
    print(header)
    for generator, folder in folders:
        t0 = time.perf_counter()
        engine = Engine.load(folder / "registry", embedder=embedder)
        pairs = score_candidates(engine.profiles, scorer=shipped.scorer)
        default, truth = practice_truth(folder)
        reg = Registry(folder.name, engine, pairs, truth)
        base = f1_unlabelled(reg, shipped, set())
        q = run_queue(reg, shipped)
        r = run_random(reg, shipped, draws)
        need20, need40 = labels_to_match(r, q[20]["f1"]), labels_to_match(r, q[40]["f1"])
        print(f"{folder.name:28s} {base:7.3f} " + " ".join(f"{q[b]['f1']:8.3f}" for b in BUDGETS) + " "
              + " ".join(f"{np.mean(r[b]):8.3f}" for b in RANDOM_BUDGETS) + f"  {need20} / {need40}"
              + f"   ({time.perf_counter() - t0:.0f}s; dup pairs default {len(default)}, practice {len(truth)})",
              flush=True)
        last = q[BUDGETS[-1]]
        shifted.append([unlabelled_open(reg, m, last["labelled"]) for m in (shipped, last["model"])])
        rows.append((generator, base, q, r))
        report["learning"].append({"registry": folder.name, "generator": generator, "shipped": base,
                                   "queue": {b: {k: v for k, v in x.items() if k in ("f1", "adopted", "positives")}
                                             for b, x in q.items()},
                                   "random": {b: v for b, v in r.items()},
                                   "random_needed": {"20": need20, "40": need40}})
    for generator in ("ours", "independent"):
        mine = [x for x in rows if x[0] == generator]
        print(f"{'mean ' + generator:28s} {np.mean([x[1] for x in mine]):7.3f} "
              + " ".join(f"{np.mean([x[2][b]['f1'] for x in mine]):8.3f}" for b in BUDGETS) + " "
              + " ".join(f"{np.mean([np.mean(x[3][b]) for x in mine]):8.3f}" for b in RANDOM_BUDGETS))

    print("\ncalibration on held-out gate-open candidate pairs (default practice)")
    curves = {}
    for generator in ("ours", "independent"):
        raw, cal, y = calibration_pairs([f for g, f in folders if g == generator], embedder)
        before, after = reliability(raw, y), reliability(cal, y)
        curves[f"{generator}, calibrated"] = after
        report["calibration"][generator] = {"raw": before.to_json(), "calibrated": after.to_json()}
        print(f"  {generator:12s} pairs {len(y)}  duplicates {int(y.sum())}   ECE raw {before.ece:.4f} → calibrated "
              f"{after.ece:.4f}   Brier {before.brier:.4f} → {after.brier:.4f}")
    before = reliability(*map(np.concatenate, zip(*[s[0] for s in shifted])))
    after = reliability(*map(np.concatenate, zip(*[s[1] for s in shifted])))
    curves["practice differs, shipped model"] = before
    curves[f"practice differs, learned ({BUDGETS[-1]} labels)"] = after
    report["calibration"]["practice"] = {"shipped": before.to_json(), "learned": after.to_json()}
    print(f"  practice differs (all six registries, pairs not labelled): ECE shipped {before.ece:.4f} → learned "
          f"{after.ece:.4f}   Brier {before.brier:.4f} → {after.brier:.4f}   pairs {before.n}")
    reliability_figure(curves, Path(a.figure))
    print(f"reliability figure: {a.figure}")
    if a.json:
        Path(a.json).write_text(json.dumps(report, ensure_ascii=False, indent=1, default=float), encoding="utf-8")


if __name__ == "__main__":
    main()
