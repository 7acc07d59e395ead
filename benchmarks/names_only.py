"""Merger study on a real names-only list (default: ../shared/data/xiangtan_orgs.csv, 湘潭市).

    python benchmarks/names_only.py [CSV] [--column name] [--out out/xiangtan]

The list is turned into a registry with only ``id`` and ``name`` (nothing else is known), then
studied as usual: this shows how the tool degrades to names alone. Prints what it parses, the proposed
groups (most certain first), the record duplicates (one body listed twice) and what could not be checked.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def shares(frame: pd.DataFrame) -> str:
    """How much of a list is understood: trade bodies with an industry, social groups with an industry or
    a kind (the profiles' ``kind`` column; a 异地商会 counts by its origin)."""
    from detector.names import kind_names

    groups = frame[(frame["kind"] != "") & frame["eligible"]]  # not unit-internal bodies (…公司职工技术协会)
    trade = groups[groups["kind"] == "trade"]
    with_industry = int((trade["industry_key"] != "").sum())
    known = int(((groups["industry_key"] != "") | (groups["kind"] != "trade") | groups["out_of_town"]).sum())
    kinds = Counter(kind_names().get(k, k) for k in groups["kind"])
    return (f"社会团体 {len(groups)} 个（{dict(kinds)}），识别出行业或类别 {known} 个（{known / max(1, len(groups)):.1%}）；"
            f"其中行业协会商会 {len(trade)} 个，识别出行业 {with_industry} 个（{with_industry / max(1, len(trade)):.1%}）")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", nargs="?", type=Path, default=ROOT.parent / "shared" / "data" / "xiangtan_orgs.csv")
    ap.add_argument("--column", default="name")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "xiangtan")
    args = ap.parse_args()

    from detector import study
    from detector.console import format_limits
    from detector.io import write_csv, write_json
    from detector.policy import RECORD_DUPLICATE

    names = pd.read_csv(args.csv, dtype=str, encoding="utf-8-sig")[args.column].dropna().str.strip()
    names = names[names != ""].drop_duplicates().reset_index(drop=True)
    registry = args.out / "registry"
    registry.mkdir(parents=True, exist_ok=True)
    write_csv(pd.DataFrame({"id": [f"X{i:04d}" for i in range(len(names))], "name": names}),
              registry / "associations.csv")
    result = study(registry)
    write_json(result.to_json(), args.out / "study.json")
    f = result.profiles.frame
    print(f"名称 {len(f)} 个；推断所在城市：{result.profiles.home.name if result.profiles.home else '—'}")
    print("类型：", dict(Counter(f["eff_type"].replace("", "未识别"))))
    print(f"识别出行业 {int((f['industry_key'] != '').sum())} 个，异地商会 {int(f['out_of_town'].sum())} 个，"
          f"区域：{dict(Counter(f['region_level'].replace('', '未识别')))}")
    print(shares(f))
    print(f"建议合并 {len(result.groups)} 组：")
    for k, g in enumerate(result.groups, 1):
        print(f"  {k}. {' / '.join(g.names)}  ({g.score:.2f})  {'；'.join(g.reasons[:2])}")
    records = [x for x in result.findings if x.rule == RECORD_DUPLICATE]
    print(f"重复记录 {len(records)} 条（同一组织登记多次，不作为合并建议）：")
    for k, x in enumerate(records, 1):
        print(f"  R{k}. {f['name'].iat[result.profiles.row_of[x.id]]}：{x.message}")
    for line in format_limits(result):
        print(line)


if __name__ == "__main__":
    main()
