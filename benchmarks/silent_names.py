"""When names are silent or misleading (issue 16): the pair types of the issue on one small registry.

A city's trade associations (auto parts, eyewear ×2, footwear, auto dealers, pumps) and, beside them,
bodies whose names say nothing or mislead while their 业务范围 and members are one trade's:

* ``装备 name, auto-parts scope``: 温州市鼎盛装备行业协会 — its name reads as machinery, its scope is auto parts
  and 27 of its 33 members are the auto-parts association's (a duplicate);
* ``silent name, eyewear scope``: 温州市瓯越联合会 — nothing in the name, scope and members are eyewear
  (a duplicate of both eyewear bodies);
* ``silent name, footwear scope``: 温州市华盛产业发展促进会 — nothing in the name, footwear scope, 86% of
  its members the footwear association's (a duplicate);
* the reverse: 温州市汽车车友协会 and 温州市汽车联谊会 (same industry word as the auto dealers' association, but individual
  members and a club's purpose) and 温州市鞋业设计师协会 (individual designers, a professional body) —
  not duplicates of the trade associations;
* a control: 温州市精工装备协会 — a 装备 name whose scope and members really are pumps and valves
  (not a duplicate of the auto-parts association).

Prints, per pair, what the tool reads (industries and where they came from, scope similarity, shared
members) and its verdict (probability, grouped or not); the README's before/after table comes from here.

    PYTHONPATH=. .venv/bin/python benchmarks/silent_names.py [--markdown]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CITY = "温州市"
BRANDS = "华泰鑫隆宏达源盛康瑞丰伟强正大金永新昌恒通诚利嘉豪星辉力宝安德明光美佳兴旺发荣福祥凯晨铭远航创展博森宇振"

SCOPES = {
    "auto_parts": "开展汽车零部件行业调查研究；组织汽摩配企业参加汽车零部件博览会；推动汽配企业进入整车配套体系；"
                  "开展制动系统、转向系统等零部件质量检测和团体标准制定；组织汽车零部件技术培训和交流",
    "auto_parts2": "调查研究汽车零部件产业发展状况；组织会员参加国内外汽摩配展会；促进零部件企业与整车企业配套对接；"
                   "参与制动、转向等汽车零部件标准制定和质量检测；举办汽配技术培训",
    "eyewear": "开展眼镜行业调研和信息发布；组织眼镜企业参加国际眼镜展；推动眼镜产业品牌培育和转型升级；"
               "开展光学眼镜、太阳镜和眼镜架产品质量监督；组织镜架设计和光学检测培训",
    "eyewear2": "调查研究眼镜产业发展情况；组团参加国内外眼镜展览会；开展眼镜架、镜片和太阳镜质量检测；"
                "推动眼镜区域品牌建设；举办眼镜设计和验光技术培训",
    "eyewear3": "组织眼镜企业参加国际眼镜展销会；开展眼镜产品质量抽查和光学检测；推动眼镜产业集群品牌建设；"
                "开展眼镜行业统计和信息交流；组织镜架设计培训",
    "footwear": "开展鞋业行业调查研究；组织鞋企参加国际鞋展；推动鞋类产品质量提升和区域品牌建设；"
                "组织鞋样设计大赛；开展出口鞋类技术性贸易措施应对；制鞋工艺培训",
    "footwear2": "调查研究制鞋行业发展状况；组织会员参加国内外鞋类展会；开展皮鞋、休闲鞋质量检测和品牌培育；"
                 "举办鞋样设计培训和制鞋技术交流；应对出口鞋类贸易壁垒",
    "auto_dealers": "规范汽车销售和售后服务行为；举办汽车展销会和车市促销活动；开展二手车交易诚信建设；"
                    "组织汽车营销和售后服务管理培训",
    "car_club": "组织车友联谊和自驾出游活动；开展汽车文化交流和安全驾驶宣传；组织会员参加公益活动",
    "shoe_designers": "组织鞋类设计师开展设计交流和作品展示；举办鞋样设计师职业技能培训和资格评价；"
                      "维护设计师合法权益，促进设计师职业发展",
    "pumps": "推动水泵、阀门产品能效提升和质量对标；组织泵阀企业参加国际流体展；开展泵阀产品检测和标准宣贯；"
             "组织电机配套和密封技术交流",
}
PURPOSES = {
    "trade": "团结全市{t}企业，发挥政府与企业之间的桥梁和纽带作用，加强行业自律，促进{t}健康发展。",
    "club": "团结汽车爱好者，倡导文明驾驶、安全出行，丰富车友业余文化生活，增进车友友谊。",
    "professional": "团结鞋类设计人员，提高设计师职业素质和专业水平，维护设计师合法权益。",
}

# (id, name, scope key, purpose kind, trade word for the purpose, member source)
ASSOCIATIONS = [
    ("A01", "温州市汽车零部件行业协会", "auto_parts", "trade", "汽车零部件", "auto_parts"),
    ("A02", "温州市鼎盛装备行业协会", "auto_parts2", "trade", "会员", "auto_parts"),
    ("A03", "温州市眼镜行业协会", "eyewear", "trade", "眼镜", "eyewear"),
    ("A04", "温州市眼镜商会", "eyewear2", "trade", "眼镜", "eyewear"),
    ("A05", "温州市瓯越联合会", "eyewear3", "trade", "会员", "eyewear"),
    ("A06", "温州市鞋业协会", "footwear", "trade", "鞋业", "footwear"),
    ("A07", "温州市华盛产业发展促进会", "footwear2", "trade", "会员", "footwear"),
    ("A08", "温州市汽车行业协会", "auto_dealers", "trade", "汽车", "auto_dealers"),
    ("A09", "温州市汽车车友协会", "car_club", "club", "", "persons"),
    ("A10", "温州市鞋业设计师协会", "shoe_designers", "professional", "", "persons"),
    ("A11", "温州市精工装备协会", "pumps", "trade", "泵阀", "pumps"),
    ("A12", "温州市汽车联谊会", "car_club", "club", "", "persons"),
]
FIRM_WORDS = {"auto_parts": ["汽车零部件", "汽配", "汽车部件"], "eyewear": ["眼镜", "光学眼镜"],
              "footwear": ["鞋业", "鞋服"], "auto_dealers": ["汽车销售服务", "汽车贸易"], "pumps": ["泵业", "阀门"]}
# (a, b, what the pair is, truth)
PAIRS = [
    ("A01", "A02", "装备 name, auto-parts scope, 27 shared members", True),
    ("A03", "A05", "silent name, eyewear scope (first eyewear body)", True),
    ("A04", "A05", "silent name, eyewear scope (second eyewear body)", True),
    ("A06", "A07", "silent name, footwear scope, 86% containment", True),
    ("A03", "A04", "the two eyewear bodies", True),
    ("A08", "A09", "reverse: 汽车 in both names, club of individuals", False),
    ("A06", "A10", "reverse: 鞋业 in both names, professional body of individuals", False),
    ("A08", "A12", "reverse: the same name core 汽车, club of individuals", False),
    ("A01", "A11", "control: 装备 name whose scope and members are pumps", False),
]


def _firms(word_key: str, n: int, start: int) -> list[str]:
    words = FIRM_WORDS[word_key]
    return [f"{CITY}{BRANDS[(start + k) % len(BRANDS)]}{BRANDS[(3 * k + start + 7) % len(BRANDS)]}"
            f"{words[k % len(words)]}有限公司" for k in range(n)]


def _members() -> list[tuple[str, str, str]]:
    """(association id, member name, kind): each pair's overlap as the issue measured it."""
    auto = _firms("auto_parts", 40, 0)
    eye = _firms("eyewear", 45, 11)
    shoe = _firms("footwear", 40, 23)
    dealers = _firms("auto_dealers", 30, 31)
    pumps = _firms("pumps", 25, 5)
    people = [f"{s}{g}" for s in "陈林黄王李张郑周吴徐" for g in ("建国", "海波", "丽华", "志强", "晓东")]
    rows = {
        "A01": auto[:36], "A02": auto[9:36] + auto[36:40] + pumps[:2],  # 27 shared, 27/33 = 82%
        "A03": eye[:34], "A04": eye[10:40], "A05": eye[14:32] + eye[40:45] + eye[:3],  # 21 / 26 and 18 / 26
        "A06": shoe[:35], "A07": shoe[5:29] + shoe[35:39],  # 24 / 28 = 86%
        "A08": dealers[:30], "A09": people[:40] + dealers[:3], "A10": people[10:45] + shoe[:2],
        "A12": people[5:40] + dealers[5:8],
        "A11": pumps[:25] + auto[:3],
    }
    return [(aid, m, "个人" if m in people else "企业") for aid, ms in rows.items() for m in ms]


def write_registry(folder: Path) -> Path:
    assoc = pd.DataFrame([{
        "id": aid, "name": name, "region": CITY, "scope": SCOPES[scope],
        "purpose": PURPOSES[purpose].format(t=trade), "status": "正常",
    } for aid, name, scope, purpose, trade, _ in ASSOCIATIONS])
    members = pd.DataFrame(_members(), columns=["association_id", "member_name", "member_kind"])
    folder.mkdir(parents=True, exist_ok=True)
    assoc.to_csv(folder / "associations.csv", index=False)
    members.to_csv(folder / "memberships.csv", index=False)
    return folder


def measure() -> list[dict]:
    from detector.engine import Engine
    from detector.study import run_study

    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.load(write_registry(Path(tmp) / "registry"))
        study = run_study(engine)
        p = study.profiles
        frame = p.frame.set_index("id")
        scored = engine.score_ids(p, p, [(a, b) for a, b, _, _ in PAIRS])
        group_of = {i: g for g, ids in enumerate(study.linked_sets()) for i in ids}
        source = "industry_source" if "industry_source" in frame.columns else None
        rows = []
        for (a, b, what, truth), f in zip(PAIRS, scored.to_dict("records")):
            def ind(i: str) -> str:
                key = frame.loc[i, "industry_key"] or "—"
                return f"{key}({frame.loc[i, source]})" if source and frame.loc[i, source] else key
            rows.append({"pair": f"{frame.loc[a, 'name']} / {frame.loc[b, 'name']}", "what": what, "truth": truth,
                         "industries": f"{ind(a)} / {ind(b)}", "relation": f["industry_rel"],
                         "scope_cos": f["desc_cos"], "shared": int(f["shared_members"]), "containment": f["member_cont"],
                         "p": f["score"], "gate": f["gate_reason"],
                         "grouped": a in group_of and group_of.get(a) == group_of.get(b)})
        return rows, engine.thresholds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true", help="a Markdown table (the README's)")
    a = ap.parse_args(argv)
    rows, thresholds = measure()
    print(f"thresholds: group {thresholds['group']}, review {thresholds['review']}, duplicate {thresholds['duplicate']}")
    if a.markdown:
        print("| pair | truth | industries | relation | scope cos | shared (containment) | probability | grouped |")
        print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        right = r["grouped"] == r["truth"]
        if a.markdown:
            print(f"| {r['what']} | {'duplicate' if r['truth'] else 'not'} | {r['industries']} | {r['relation']} | "
                  f"{r['scope_cos']:.2f} | {r['shared']} ({r['containment']:.0%}) | {r['p']:.4g} | "
                  f"{'yes' if r['grouped'] else 'no'}{'' if right else ' ✗'} |")
        else:
            print(f"{'OK ' if right else 'BAD'} {r['what']}\n    {r['pair']}: {r['industries']} rel={r['relation']} "
                  f"scope_cos={r['scope_cos']:.2f} shared={r['shared']} ({r['containment']:.0%}) "
                  f"p={r['p']:.4g} grouped={r['grouped']} {r['gate']}")


if __name__ == "__main__":
    main()
