"""The policy's vocabulary (温州市推进行业协会商会优化布局, 一业一会), in one place.

Rule codes with their Chinese titles and severities, screening verdicts and match relations with
their Chinese labels, the organisation categories the rules distinguish, and the thresholds of
``models/policy.toml``. Every module and renderer (console, web, report) takes its words from here.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache

from .paths import models_dir

# ------------------------------------------------------------------------------------------ settings


@lru_cache(maxsize=1)
def settings() -> dict:
    """Policy thresholds from ``models/policy.toml``."""
    with (models_dir() / "policy.toml").open("rb") as f:
        return tomllib.load(f)


# ------------------------------------------------------------------------------- organisation kinds

INACTIVE = frozenset({"注销", "撤销"})  # statuses of bodies that no longer exist
RESEARCH_TYPES = frozenset({"研究会", "学会"})
INDUSTRY_TYPES = frozenset({"行业协会", "商会", "联合会", "促进会"})  # bodies of one industry (not 异地商会/研究会/学会)

# ------------------------------------------------------------------------------------------ findings

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ZH = {ERROR: "禁止", WARNING: "警告", INFO: "提示"}

EXIT_RULES = ("exit_election_overdue", "exit_no_staff", "exit_no_office", "exit_no_funding", "exit_inspection",
              "exit_no_party")
RECORD_DUPLICATE = "record_duplicate"  # the same body listed twice (or applying again): detector/records.py
LEADER_NAMESAKE = "leader_overlap_unverified"  # posts linked by a person's name only (同名待核实)
RULES = (RECORD_DUPLICATE, "county_chamber_at_city", "coverage_counties", "coverage_share", "member_outside_region",
         "non_industry_member", "leader_overlap", LEADER_NAMESAKE, "research_enterprise_share", *EXIT_RULES)
# county_chamber_at_city forbids; layout rules and record duplicates ask for review; 退出机制 signals and
# namesakes (never asserted to be one person) inform.
SEVERITY = {**dict.fromkeys(RULES, WARNING), "county_chamber_at_city": ERROR, **dict.fromkeys(EXIT_RULES, INFO),
            LEADER_NAMESAKE: INFO}
RULE_TITLES = {
    RECORD_DUPLICATE: "同一组织重复登记（重复记录）",
    "county_chamber_at_city": "市本级设立县级异地商会",
    "coverage_counties": "会员覆盖县级单位不足一半",
    "coverage_share": "会员占行业企业数与销售额比重偏低",
    "member_outside_region": "会员在本行政区域以外",
    "non_industry_member": "非本行业会员",
    "leader_overlap": "一人在多家组织任副会长以上职务",
    LEADER_NAMESAKE: "同名人员在多家组织任副会长以上职务（同名待核实）",
    "research_enterprise_share": "研究会/学会企业会员比例过高",
    "exit_election_overdue": "逾期未换届",
    "exit_no_staff": "无专职工作人员",
    "exit_no_office": "无固定办公场所",
    "exit_no_funding": "无经费来源",
    "exit_inspection": "年检不合格或未参检",
    "exit_no_party": "党员不足，无法单独建立党组织",
}


def rule_title(code: str) -> str:
    """The Chinese title of a rule code (the code itself when unknown)."""
    return RULE_TITLES.get(code, code)


# ------------------------------------------------------------------------------------------ screening

DUPLICATE, REVIEW, CLEAR, REJECT = "duplicate", "review", "clear", "reject"
VERDICT_ZH = {DUPLICATE: "重复设立", REVIEW: "需复核", CLEAR: "未发现重复", REJECT: "不予登记"}
# How a shown match relates to the application (related: similar, but the policy rules out a duplicate).
RELATED_ONLY = "related"
RELATION_ZH = {DUPLICATE: "重复", REVIEW: "需复核", RELATED_ONLY: "相关（不构成重复）"}
