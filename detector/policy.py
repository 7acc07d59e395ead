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
         "non_industry_member", "leader_overlap", LEADER_NAMESAKE, "research_enterprise_share",
         *EXIT_RULES)  # on associations
# Findings of the study on member enterprises (``id``: the enterprise's credit code, else its name).
MEMBER_RULES = ("member_burden",)
ALL_RULES = (*RULES, *MEMBER_RULES)  # the order every output lists them in
# county_chamber_at_city forbids; layout rules and record duplicates ask for review; 退出机制 signals,
# namesakes (never asserted to be one person) and enterprises' burden inform.
SEVERITY = {**dict.fromkeys(RULES, WARNING), "county_chamber_at_city": ERROR, **dict.fromkeys(EXIT_RULES, INFO),
            LEADER_NAMESAKE: INFO, **dict.fromkeys(MEMBER_RULES, INFO)}
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
    "member_burden": "企业加入协会商会数量偏多",
}


def rule_title(code: str) -> str:
    """The Chinese title of a rule code (the code itself when unknown)."""
    return RULE_TITLES.get(code, code)


# ------------------------------------------------------------------------------- layout measures
# The study's measures of 优化布局 beyond the rules: their study-JSON keys with Chinese titles.

MEASURE_TITLES = {
    "liaison": "同省异地商会联络机制",  # 会务共商、党群共建、资源共享
    "industry_gaps": "新经济与未覆盖行业",  # 积极培育和发展新经济领域的行业协会商会
    "member_burden": "企业入会负担",  # 企业应控制加入各级行业协会商会数量
    "strength_ranking": "综合实力排名（515 计划）",  # 扶持培育50家以上综合实力雄厚的协会商会
}
# Components of the strength ranking (weights in models/policy.toml [strength_weights]).
STRENGTH_COMPONENTS = {
    "counties": "县级覆盖",
    "industry_units": "行业企业覆盖",
    "industry_sales": "行业销售额覆盖",
    "members": "会员规模",
    "governance": "运转规范",
    "compliance": "规则合规",
}
SUPPORT, RECTIFY = "support", "rectify"
BAND_ZH = {SUPPORT: "扶持培育候选", RECTIFY: "整改候选"}


# ------------------------------------------------------------------------------------------ screening

DUPLICATE, REVIEW, CLEAR, REJECT = "duplicate", "review", "clear", "reject"
VERDICT_ZH = {DUPLICATE: "重复设立", REVIEW: "需复核", CLEAR: "未发现重复", REJECT: "不予登记"}
# How a shown match relates to the application (related: similar, but the policy rules out a duplicate).
RELATED_ONLY = "related"
RELATION_ZH = {DUPLICATE: "重复", REVIEW: "需复核", RELATED_ONLY: "相关（不构成重复）"}

# The two numbers behind a match, one Chinese name each (web, console, report and workbooks alike).
# JSON keys stay ``score`` and ``similarity`` (FORMAT.md).
PROBABILITY_ZH = "重复可能性"  # score: probability of a duplicate under 一业一会, after the policy gates
SIMILARITY_ZH = "证据相似度"  # similarity (model_p): names, scope and members alone, before the gates
SIMILARITY_NOTE = "只看名称、业务范围与会员，未计行政区域、组织性质等一业一会条件"
NOT_DUPLICATE_ZH = "不构成重复"  # a gated (related) match shows this and its reason instead of a number


def percent(x: float) -> str:
    """A probability for people: 87%; below 1% and above 99% as < 1% / > 99% (never a certain 0% or 100%)."""
    if x < 0.005:
        return "< 1%" if x > 0 else "0%"
    if x > 0.995:
        return "> 99%"
    return f"{x:.0%}"


def match_figure(relation: str, score: float, gate: str = "") -> str:
    """What a match shows beside its name: 重复可能性 87%, or for a policy-gated (related) match the reason
    instead of a number: 不构成重复：上下级行政区域（温州市/鹿城区）."""
    if relation == RELATED_ONLY:
        return f"{NOT_DUPLICATE_ZH}：{gate}" if gate else NOT_DUPLICATE_ZH
    return f"{PROBABILITY_ZH} {percent(score)}"
