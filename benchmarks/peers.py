"""Peer methods for the same task as the detector: duplicate associations in a registry.

    python benchmarks/peers.py [DATA_DIR] [--methods detector,splink,baseline]

DATA_DIR is a labelled folder as written by ``detector.lab.synth.write``: ``registry/`` (FORMAT.md)
and ``labels/groups.csv`` + ``labels/pairs.csv``. Without DATA_DIR a fresh held-out dataset is
generated (seed 2027, variation "noisy", 400 associations) into a temporary folder.

Every method is a function ``method(registry_dir: Path) -> list[list[str]]`` returning the
predicted duplicate groups (each ≥ 2 association ids). Methods never see ``labels/``: all
thresholds below are fixed defaults chosen before looking at any evaluation result.

* ``detector`` – the project's own merger study (:func:`detector_groups`).
* ``splink``   – Splink (Fellegi-Sunter, DuckDB backend), unsupervised EM training (:func:`splink_groups`).
* ``baseline`` – rapidfuzz core-name similarity + TF-IDF cosine of scope/purpose within a region,
  connected components (:func:`baseline_groups`).
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
try:  # run as a script from a checkout where the package is not installed
    import detector  # noqa: F401
except ImportError:  # pragma: no cover - depends on how the venv was set up
    sys.path.insert(0, str(ROOT))

from detector.lab.metrics import PRF, bcubed, group_pairs, pairwise  # noqa: E402
from detector.text import normalize_name, normalize_text, split_items  # noqa: E402

Method = Callable[[Path], list[list[str]]]

INACTIVE = {"注销", "撤销"}  # FORMAT.md: such rows are never duplicates of anything

# --- fixed settings (documented in benchmarks/README.md; never tuned on evaluation labels) ---

#: Splink: a pair (and, through connected components, a cluster) is a match at this probability.
SPLINK_MATCH_PROBABILITY = 0.5
#: Splink: assumed recall of the deterministic rule (same region AND same core name) used to
#: estimate the prior probability that two random records match.
SPLINK_DETERMINISTIC_RECALL = 0.6
SPLINK_SEED = 42

#: Baseline: pair score = NAME_WEIGHT * core-name similarity + (1 - NAME_WEIGHT) * text cosine.
BASELINE_NAME_WEIGHT = 0.5
BASELINE_THRESHOLD = 0.6
#: Baseline: when one of the two has no scope/purpose text, the name alone must reach this.
BASELINE_NAME_ONLY_THRESHOLD = 0.85


# ----------------------------------------------------------------------------------------
# Loading and per-association features shared by the peers
# ----------------------------------------------------------------------------------------

def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


ASSOC_COLUMNS = ("id", "name", "name_norm", "region", "type", "scope", "purpose", "services", "status")


def _as_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Just ``columns`` (absent ones empty), as stripped strings."""
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        out[c] = frame[c].fillna("").astype(str).str.strip() if c in frame.columns else ""
    return out.reset_index(drop=True)


def load_frames(registry_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(associations, memberships or None) as text frames.

    Uses ``detector.io.load_registry`` (validation, name_norm, region/type inferred from names)
    when it is importable and loads the folder; otherwise the CSVs are read with pandas.
    Memberships get a ``member_key`` column: member_id, else the normalised member name.
    """
    registry_dir = Path(registry_dir)
    assoc = members = None
    try:
        from detector.io import load_registry

        reg = load_registry(registry_dir)
        assoc, members = reg.associations, reg.memberships
    except Exception:  # noqa: BLE001 - io (or a module it needs) is still being written
        assoc = _read_csv(registry_dir / "associations.csv")
        mpath = registry_dir / "memberships.csv"
        members = _read_csv(mpath) if mpath.exists() else None
    assoc = _as_text(assoc, ASSOC_COLUMNS)
    if members is not None and len(members):
        m = _as_text(members, ("association_id", "member_name", "member_id", "member_norm"))
        norm = [x or normalize_name(n) for x, n in zip(m["member_norm"], m["member_name"])]
        m["member_key"] = [i or n for i, n in zip(m["member_id"], norm)]
        members = m[["association_id", "member_key"]]
    else:
        members = None
    return assoc, members


_FALLBACK_REGION = re.compile(r"^(?:.{2,3}?省)?(?:.{1,4}?市)?(?:.{1,4}?[区县市])?")
_FALLBACK_FORMS = (
    "同业公会", "行业协会", "行业商会", "总商会", "商会", "联合会", "促进会", "研究会", "学会", "协会",
)


def _fallback_parse(name_norm: str) -> tuple[str | None, str | None, str, str | None]:
    """Crude region / type / core split, used only until detector.names can parse names."""
    core = name_norm
    typ = None
    for form in _FALLBACK_FORMS:
        if core.endswith(form) and len(core) > len(form):
            core, typ = core[: -len(form)], form
            break
    m = _FALLBACK_REGION.match(core)
    region = m.group(0) if m and m.group(0) else None
    if region:
        core = core[len(region):]
    if region and region.endswith("市") and len(region) > 3 and region[:3].endswith("市"):
        region = region[3:]
    return region, typ, core, None


@dataclass(frozen=True)
class _Parsed:
    region: str | None
    type: str | None
    core: str
    origin: str | None


def _parser(names: list[str]) -> Callable[[str], _Parsed]:
    """detector.names.parse_name (with the registry's home city) or the crude fallback."""
    try:
        from detector.names import infer_home, parse_name

        home = infer_home(names)
        parse_name(names[0] if names else "温州市鞋革行业协会", home)  # fails if a dependency is missing
    except Exception:  # noqa: BLE001 - the project's parser is still being written
        return lambda n: _Parsed(*_fallback_parse(normalize_name(n)))

    def parse(n: str) -> _Parsed:
        p = parse_name(n, home)
        return _Parsed(p.region, p.type, p.industry_core, p.origin)

    return parse


@lru_cache(maxsize=1)
def _tokenize_fn() -> Callable[[str], list[str]]:
    """detector.tokens.tokenize (jieba + industry vocabulary) or plain jieba until that works."""
    try:
        from detector.tokens import tokenize

        tokenize("温州市鞋革行业协会")
        return tokenize
    except Exception:  # noqa: BLE001 - the industry vocabulary module is still being written
        import jieba

        def plain(text: object) -> list[str]:
            s = normalize_text(text)
            return [t for t in (x.strip() for x in jieba.lcut(s)) if t and any(c.isalpha() for c in t)]

        return plain


def tokenize(text: object) -> list[str]:
    return _tokenize_fn()(text)


def features(registry_dir: Path) -> pd.DataFrame:
    """One row per active association: the inputs both peers compare.

    Columns: unique_id, name_norm, core (industry core with region/form removed; the origin
    place for a 异地商会; None when empty), region, type, scope_tokens, text_tokens (scope +
    purpose), members (member ids, else normalised member names), services. Lists are None
    when empty so that Splink treats them as missing.
    """
    assoc, members = load_frames(registry_dir)
    assoc = assoc[~assoc["status"].isin(INACTIVE)].reset_index(drop=True)
    names = assoc["name"].tolist()
    parse = _parser(names)
    parsed = [parse(n) for n in names]

    def col(name: str) -> list[str]:
        return assoc[name].tolist()

    name_norm = [x or normalize_name(n) for x, n in zip(assoc["name_norm"], names)]
    region_col, type_col = col("region"), col("type")
    scope, purpose, services = col("scope"), col("purpose"), col("services")

    member_lists: dict[str, list[str]] = {}
    if members is not None:
        for aid, key in zip(members["association_id"], members["member_key"]):
            if key:
                member_lists.setdefault(aid, []).append(key)

    def as_list(items: Iterable[str]) -> list[str] | None:
        out = sorted(set(x for x in items if x))
        return out or None

    rows = []
    for i, aid in enumerate(assoc["id"].tolist()):
        p = parsed[i]
        core = p.core or (p.origin or "")
        rows.append(
            {
                "unique_id": aid,
                "name_norm": name_norm[i] or None,
                "core": core or None,
                "region": region_col[i] or p.region,
                "type": type_col[i] or p.type,
                "scope_tokens": as_list(tokenize(scope[i])),
                "text_tokens": tokenize(scope[i] + " " + purpose[i]) if (scope[i] or purpose[i]) else [],
                "members": as_list(member_lists.get(aid, [])),
                "services": as_list(split_items(services[i])),
            }
        )
    return pd.DataFrame(rows)


def _components(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (union-find) of the given edges, as sorted groups of ≥ 2."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) >= 2), key=lambda g: (-len(g), g[0]))


# ----------------------------------------------------------------------------------------
# Method: the project's own detector (plugged in by detector.study)
# ----------------------------------------------------------------------------------------

class NotAvailable(Exception):
    """A method whose implementation does not exist yet."""


def detector_groups(registry_dir: Path) -> list[list[str]]:
    """The project's merger study: ``detector.study.study_groups(registry_dir)``."""
    try:
        from detector.study import study_groups
    except ImportError as exc:
        raise NotAvailable("not available yet") from exc
    return [list(map(str, g)) for g in study_groups(registry_dir)]


# ----------------------------------------------------------------------------------------
# Method: Splink
# ----------------------------------------------------------------------------------------

def _array_jaccard(col: str, thresholds: Sequence[float]):
    """Comparison on the Jaccard index of two token arrays (DuckDB list functions)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    # the arrays hold distinct tokens: |A ∪ B| = |A| + |B| - |A ∩ B| (faster than list_distinct)
    inter = f"len(list_intersect({col}_l, {col}_r))"
    jac = f"({inter} * 1.0 / nullif(len({col}_l) + len({col}_r) - {inter}, 0))"
    levels = [cll.NullLevel(col)]
    levels += [cll.CustomLevel(f"{jac} >= {t}", label_for_charts=f"Jaccard >= {t}") for t in thresholds]
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(levels, output_column_name=col, comparison_description=f"Jaccard of {col}")


def splink_settings():
    """The Splink model specification (dedupe_only); see benchmarks/README.md."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_norm", [0.95, 0.88]),
            cl.JaccardAtThresholds("core", [0.6, 0.3]),  # character-set Jaccard of the core
            cl.ExactMatch("region"),
            cl.ExactMatch("type"),
            _array_jaccard("scope_tokens", [0.5, 0.3, 0.15]),
            cl.ArrayIntersectAtSizes("members", [5, 2, 1]),
            cl.ArrayIntersectAtSizes("services", [2, 1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("region"),
            block_on("substr(core, 1, 2)"),
            block_on("name_norm"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def splink_groups(registry_dir: Path) -> list[list[str]]:
    """Splink 'dedupe_only' on the DuckDB backend, trained without labels.

    u from random sampling, prior from a deterministic rule with an assumed recall, m by EM on
    two blocking rules (same region; same core) so every comparison gets estimated; predictions
    clustered by connected components at ``SPLINK_MATCH_PROBABILITY``.
    """
    from splink import DuckDBAPI, Linker, block_on

    df = features(registry_dir).drop(columns=["text_tokens"])
    if len(df) < 2:
        return []
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    sdf = db_api.register(df, dataset_display_name="associations")
    linker = Linker(sdf, splink_settings(), log_level=logging.ERROR)

    # Prior from a deterministic rule (same region AND same core); skipped when the rule finds
    # no pair at all (a prior of 0 would forbid every match): then Splink's default 1e-4 stays.
    if df.dropna(subset=["region", "core"]).duplicated(["region", "core"]).any():
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on("region", "core")], recall=SPLINK_DETERMINISTIC_RECALL
            )
        except ValueError:
            pass  # the rule matched more than the assumed recall allows: keep the default prior
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=SPLINK_SEED)
    for rule in (block_on("region"), block_on("core")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception:  # noqa: BLE001 - e.g. a tiny registry where a rule yields no pairs
            pass
    pred = linker.inference.predict(threshold_match_probability=SPLINK_MATCH_PROBABILITY, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=SPLINK_MATCH_PROBABILITY
    ).as_pandas_dataframe()
    groups: dict[str, list[str]] = {}
    for cid, uid in zip(clusters["cluster_id"], clusters["unique_id"]):
        groups.setdefault(str(cid), []).append(str(uid))
    return sorted((sorted(g) for g in groups.values() if len(g) >= 2), key=lambda g: (-len(g), g[0]))


# ----------------------------------------------------------------------------------------
# Method: rapidfuzz + TF-IDF baseline
# ----------------------------------------------------------------------------------------

def baseline_groups(registry_dir: Path) -> list[list[str]]:
    """Pairs inside a region scored by core-name similarity and scope/purpose TF-IDF cosine.

    name = rapidfuzz ``fuzz.ratio`` of the cores (of the full normalised names when a core is
    missing) / 100; text = cosine of TF-IDF vectors over jieba tokens of scope + purpose.
    score = 0.5·name + 0.5·text ≥ 0.6 (name alone ≥ 0.85 when either has no text) → edge;
    connected components → groups.
    """
    from rapidfuzz import fuzz
    from sklearn.feature_extraction.text import TfidfVectorizer

    df = features(registry_dir)
    if len(df) < 2:
        return []
    has_text = np.array([bool(t) for t in df["text_tokens"]])
    vec = TfidfVectorizer(analyzer=lambda toks: toks, sublinear_tf=True)
    try:
        tfidf = vec.fit_transform(df["text_tokens"].tolist())  # rows are L2-normalised
    except ValueError:  # no text anywhere
        tfidf = None
    ids = df["unique_id"].tolist()
    cores = [c if c else (n or "") for c, n in zip(df["core"], df["name_norm"])]
    regions = df["region"].fillna("").tolist()

    blocks: dict[str, list[int]] = {}
    for i, r in enumerate(regions):
        blocks.setdefault(r, []).append(i)
    edges = []
    for members in blocks.values():
        if len(members) < 2:
            continue
        idx = np.array(members)
        cos = (tfidf[idx] @ tfidf[idx].T).toarray() if tfidf is not None else np.zeros((len(idx), len(idx)))
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                name = fuzz.ratio(cores[i], cores[j]) / 100.0
                if has_text[i] and has_text[j]:
                    score = BASELINE_NAME_WEIGHT * name + (1 - BASELINE_NAME_WEIGHT) * float(cos[a, b])
                    hit = score >= BASELINE_THRESHOLD
                else:
                    hit = name >= BASELINE_NAME_ONLY_THRESHOLD
                if hit:
                    edges.append((ids[i], ids[j]))
    return _components(edges)


METHODS: dict[str, Method] = {
    "detector": detector_groups,
    "splink": splink_groups,
    "baseline": baseline_groups,
}


# ----------------------------------------------------------------------------------------
# Evaluation and the side-by-side table
# ----------------------------------------------------------------------------------------

@dataclass
class Result:
    method: str
    pairwise: PRF | None = None
    bcubed: PRF | None = None
    near_miss: int = 0
    near_miss_total: int = 0
    near_miss_by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (grouped, total)
    seconds: float = 0.0
    n_groups: int = 0
    note: str | None = None  # set when the method did not run


@dataclass(frozen=True)
class Labels:
    groups: list[list[str]]  # every registry association in exactly one group
    items: list[str]
    near_miss: list[tuple[str, str, str]]  # label-0 pairs: (id_a, id_b, kind)


def load_labels(data_dir: Path) -> Labels:
    g = _read_csv(Path(data_dir) / "labels" / "groups.csv")
    groups: dict[str, list[str]] = {}
    for i, grp in zip(g["id"].str.strip(), g["group"].str.strip()):
        groups.setdefault(grp, []).append(i)
    near: list[tuple[str, str, str]] = []
    ppath = Path(data_dir) / "labels" / "pairs.csv"
    if ppath.exists():
        p = _read_csv(ppath)
        kinds = p["kind"] if "kind" in p.columns else [""] * len(p)
        for a, b, lab, kind in zip(p["id_a"], p["id_b"], p["label"], kinds):
            if str(lab).strip() in {"0", "0.0"}:
                near.append((a.strip(), b.strip(), str(kind).strip()))
    return Labels(list(groups.values()), g["id"].str.strip().tolist(), near)


def evaluate(method: str, predicted: list[list[str]], labels: Labels, seconds: float) -> Result:
    truth = [grp for grp in labels.groups if len(grp) >= 2]
    where = {x: k for k, grp in enumerate(predicted) for x in grp}
    by_kind: dict[str, list[int]] = {}
    for a, b, kind in labels.near_miss:
        counts = by_kind.setdefault(kind or "-", [0, 0])
        counts[1] += 1
        counts[0] += int(a in where and where.get(a) == where.get(b))
    near = sum(c[0] for c in by_kind.values())
    return Result(
        method=method,
        pairwise=pairwise(group_pairs(predicted), group_pairs(truth)),
        bcubed=bcubed(predicted, labels.groups, labels.items),
        near_miss=near,
        near_miss_total=len(labels.near_miss),
        near_miss_by_kind={k: (c[0], c[1]) for k, c in sorted(by_kind.items())},
        seconds=seconds,
        n_groups=len(predicted),
    )


def run_method(name: str, fn: Method, registry_dir: Path, labels: Labels) -> Result:
    start = time.perf_counter()
    try:
        predicted = fn(registry_dir)
    except NotAvailable as exc:
        return Result(name, note=str(exc))
    except Exception as exc:  # noqa: BLE001 - one failing peer must not hide the others
        return Result(name, note=f"failed: {type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - start
    return evaluate(name, predicted, labels, seconds)


HEADER = ("method", "P", "R", "F1", "B3-F1", "near-miss grouped", "groups", "seconds")


def render_table(results: Sequence[Result]) -> str:
    """Plain-text, column-aligned table (a method that did not run gets one explanatory cell)."""
    rows: list[tuple[str, ...]] = []
    for r in results:
        if r.note is not None or r.pairwise is None or r.bcubed is None:
            rows.append((r.method, r.note or "no result"))
            continue
        rows.append(
            (
                r.method,
                f"{r.pairwise.precision:.3f}",
                f"{r.pairwise.recall:.3f}",
                f"{r.pairwise.f1:.3f}",
                f"{r.bcubed.f1:.3f}",
                f"{r.near_miss}/{r.near_miss_total}",
                str(r.n_groups),
                f"{r.seconds:.2f}",
            )
        )
    widths = [len(h) for h in HEADER]
    for row in rows:
        if len(row) == len(HEADER):
            widths = [max(w, len(c)) for w, c in zip(widths, row)]
    width0 = max(widths[0], *(len(row[0]) for row in rows)) if rows else widths[0]
    widths[0] = width0

    def fmt(row: Sequence[str]) -> str:
        if len(row) != len(HEADER):
            return f"{row[0]:<{widths[0]}}  {row[1]}"
        cells = [f"{row[0]:<{widths[0]}}"] + [f"{c:>{w}}" for c, w in zip(row[1:], widths[1:])]
        return "  ".join(cells)

    lines = [fmt(HEADER), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in rows]
    return "\n".join(lines)


def render_kinds(results: Sequence[Result]) -> str:
    """Label-0 pairs grouped per method and per ``kind`` of labels/pairs.csv ("" when no kinds)."""
    ran = [r for r in results if r.note is None and r.near_miss_by_kind]
    kinds = sorted({k for r in ran for k in r.near_miss_by_kind})
    if not ran or kinds == ["-"]:
        return ""
    totals = {k: next(r.near_miss_by_kind[k][1] for r in ran if k in r.near_miss_by_kind) for k in kinds}
    head = ["label-0 kind", "pairs", *(r.method for r in ran)]
    rows = [[k, str(totals[k]), *(str(r.near_miss_by_kind.get(k, (0, 0))[0]) for r in ran)] for k in kinds]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def fmt(row: list[str]) -> str:
        return "  ".join([f"{row[0]:<{widths[0]}}"] + [f"{c:>{w}}" for c, w in zip(row[1:], widths[1:])])

    return "\n".join([fmt(head), "  ".join("-" * w for w in widths), *map(fmt, rows)])


def warm_up() -> None:
    """Imports and jieba's dictionary load once, outside every method's timing."""
    tokenize("温州市鞋革行业协会 组织行业培训")
    for mod in ("splink", "splink.comparison_library", "rapidfuzz", "sklearn.feature_extraction.text"):
        try:
            __import__(mod)
        except ImportError:
            pass


def generate_dataset(out: Path, seed: int, n: int, variation: str) -> Path:
    from detector.lab.synth import SynthConfig, generate, write

    write(generate(SynthConfig(seed=seed, n_associations=n, variation=variation)), str(out))
    return out


def compare(data_dir: Path, methods: Sequence[str]) -> list[Result]:
    data_dir = Path(data_dir)
    registry_dir = data_dir / "registry"
    labels = load_labels(data_dir)
    warm_up()
    return [run_method(m, METHODS[m], registry_dir, labels) for m in methods]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", nargs="?", type=Path, help="labelled folder (registry/ + labels/)")
    ap.add_argument("--methods", default=",".join(METHODS), help="comma-separated: " + ",".join(METHODS))
    ap.add_argument("--seed", type=int, default=2027, help="seed of the generated dataset (no DATA_DIR)")
    ap.add_argument("--n", type=int, default=400, help="associations in the generated dataset")
    ap.add_argument("--variation", default="noisy", help="variation of the generated dataset")
    args = ap.parse_args(argv)

    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        ap.error(f"unknown method(s): {', '.join(unknown)}; choose from {', '.join(METHODS)}")

    with tempfile.TemporaryDirectory(prefix="peers-") as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = generate_dataset(Path(tmp), args.seed, args.n, args.variation)
            print(f"held-out dataset: seed {args.seed}, variation {args.variation}, {args.n} associations")
        else:
            print(f"dataset: {data_dir}")
        results = compare(data_dir, methods)
    print(render_table(results))
    kinds = render_kinds(results)
    if kinds:
        print()
        print(kinds)
    failed = [r for r in results if r.note is not None and r.note.startswith("failed")]
    for r in failed:
        print(f"{r.method}: {r.note}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
