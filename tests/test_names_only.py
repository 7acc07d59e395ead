"""Names-only registries: say what could not be checked, and rank the proposals most certain first."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from detector.console import format_study
from detector.engine import Engine
from detector.io import write_csv
from detector.rules import unchecked, unchecked_text
from detector.study import _certainty, not_compared, run_study

NAMES = ["株洲市服装行业协会", "株洲市服饰商会", "株洲市陶瓷行业协会", "株洲市陶瓷商会", "株洲市硬质合金行业协会",
         "株洲市轨道交通装备产业协会", "株洲市餐饮行业协会", "株洲市烹饪餐饮协会", "株洲市浙江商会", "株洲市江西商会",
         "株洲市茶叶学会", "株洲市茶叶行业协会", "醴陵市陶瓷行业协会", "株洲华厦职业培训学校", "株洲市华厦职业培训学校"]


@pytest.fixture(scope="module")
def names_only(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("names")
    write_csv(pd.DataFrame({"id": [f"Z{k:02d}" for k in range(len(NAMES))], "name": NAMES}), folder / "associations.csv")
    return run_study(Engine.load(folder, embedder=embedder))


def test_names_only_says_what_it_could_not_check(names_only):
    rules = dict(names_only.unchecked)
    assert "record_duplicate" not in rules and "county_chamber_at_city" not in rules  # names suffice for these
    assert rules["leader_overlap"] == rules["coverage_counties"] == "会员数据（memberships.csv）"
    assert rules["coverage_share"] == "行业统计（industry_stats.csv）、会员数据（memberships.csv）"
    assert rules["exit_no_party"] == "党员人数（party_members）"
    assert names_only.not_compared == ["业务范围与章程宗旨", "服务项目", "会员（共有会员、共同负责人）"]
    obj = json.loads(json.dumps(names_only.to_json(), ensure_ascii=False))
    assert {u["rule"] for u in obj["unchecked"]} == set(rules) and obj["not_compared"] == names_only.not_compared
    text = format_study(names_only)
    assert "合并比对未能使用：业务范围与章程宗旨" in text and "未能检查的规则：缺会员数据（memberships.csv）：" in text
    assert "合并后：会员 0 家" not in text  # nothing to combine without member data


def test_names_only_groups_come_most_certain_first_and_records_apart(names_only):
    keys = [_certainty(names_only.pairs[names_only.pairs["id_a"].isin(g.ids) & names_only.pairs["id_b"].isin(g.ids)])
            for g in names_only.groups]
    assert keys == sorted(keys)
    assert names_only.records == [["Z13", "Z14"]]  # one school listed twice: a finding, not a group
    assert not any("Z14" in g.ids for g in names_only.groups)
    assert not any({"Z02", "Z12"} <= set(g.ids) for g in names_only.groups)  # city vs county
    assert not any({"Z10", "Z11"} <= set(g.ids) for g in names_only.groups)  # 学会 vs 协会


def test_certainty_orders_by_weakest_pair_band_then_name_closeness():
    def within(scores, cores):
        return pd.DataFrame({"score": scores, "core_ratio": cores})

    same_core, near_core, weak = within([0.99], [1.0]), within([0.97], [0.5]), within([0.99, 0.72], [1.0, 1.0])
    assert sorted([weak, near_core, same_core], key=_certainty) == [same_core, near_core, weak]


def test_a_full_registry_leaves_little_unchecked(small_engine):
    p = small_engine.profiles
    rules = dict(unchecked(p.frame, p.member_table, small_engine.stats_index))
    assert "leader_overlap" not in rules and "coverage_counties" not in rules and "coverage_share" not in rules
    assert not_compared(p) == []
    assert unchecked_text([("exit_no_staff", "专职人员数（staff_fulltime）"),
                           ("exit_no_office", "专职人员数（staff_fulltime）")]) == \
        "缺专职人员数（staff_fulltime）：无专职工作人员、无固定办公场所"
    frame = p.frame.assign(last_election=np.nan)
    assert dict(unchecked(frame, p.member_table, small_engine.stats_index))["exit_election_overdue"] == \
        "上次换届日期（last_election）"
