"""Liaison of the 异地商会 of one province (会务共商、党群共建、资源共享): a working mechanism, never a merger.

The registry's active 异地商会 are grouped by the province of their origin (as parsed from the name:
``origin_code``, else ``origin_province``); prefecture- and county-level origins roll up to their
province, and so does an origin group within one province (皖北 → 安徽省). A province with at least two
chambers gets one liaison group with a convening chamber and the members and leaders its chambers share.
Chambers of 台湾, 香港 and 澳门 and chambers whose origin is not within one province (客家, or an origin
that could not be read) stay apart.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .. import regions
from ..members import MemberTable
from ..policy import settings
from ..profiles import Profiles
from ..regions import PREFECTURE, PROVINCE

SHARED_LISTED = 50  # shared members named per group (all are counted)
HK_MACAO_TAIWAN = "港澳台商会，与各省异地商会分开联系，不纳入省域联络组"
NO_PROVINCE = "籍贯不在一个省级行政区内（如跨省的地域群体）或未能识别，不纳入省域联络组"


@dataclass(frozen=True)
class LiaisonGroup:
    """One province's chambers: who convenes, where each comes from, what they share."""

    province: str  # 安徽省
    province_code: str  # 340000
    convener: str  # id of the convening chamber
    convener_reason: str
    ids: list[str]  # convener first, then by origin level and name
    names: list[str]
    origins: list[str]  # each chamber's origin as parsed (安徽省 / 六安市 / 霍邱县)
    origin_levels: list[str]  # province / prefecture / county
    regions: list[str]  # where each chamber is registered
    members: list[int]  # distinct members of each chamber
    shared: list[int]  # of each chamber's members, how many belong to another chamber of the group too
    n_shared_members: int  # members of ≥ 2 chambers
    shared_members: list[dict]  # the first SHARED_LISTED, most chambers first: {"id" (code or ""), "name", "ids"}
    shared_leaders: list[dict]  # persons leading ≥ 2 chambers: {"person", "posts": [{"id", "role"}]}

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ApartChamber:
    """A 异地商会 kept out of the province groups, and why."""

    id: str
    name: str
    origin: str
    reason: str


@dataclass
class Liaison:
    groups: list[LiaisonGroup] = field(default_factory=list)
    apart: list[ApartChamber] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"groups": [g.to_json() for g in self.groups], "apart": [asdict(a) for a in self.apart]}

    def frame(self) -> pd.DataFrame:
        """One row per chamber of a liaison group (groups numbered from 1)."""
        rows = []
        for k, g in enumerate(self.groups, 1):
            for n, aid in enumerate(g.ids):
                rows.append({"group": k, "province": g.province, "id": aid, "name": g.names[n],
                             "origin": g.origins[n], "origin_level": g.origin_levels[n], "region": g.regions[n],
                             "members": g.members[n], "convener": aid == g.convener,
                             "shared_members": g.shared[n]})
        return pd.DataFrame(rows, columns=["group", "province", "id", "name", "origin", "origin_level", "region",
                                           "members", "convener", "shared_members"])


def _shared_members(ids: list[str], table: MemberTable) -> tuple[list[dict], list[int], int]:
    """Members of two or more of the chambers: the first :data:`SHARED_LISTED` (most chambers first), how many
    shared members each chamber has, and how many there are in all."""
    rows = np.concatenate([table.rows(a) for a in ids])
    pairs = pd.DataFrame({"key": table.key[rows], "aid": table.aid[rows]}, dtype=object).drop_duplicates()
    chambers = pairs.groupby("key", sort=False)["aid"].transform("size")
    shared = pairs[chambers.to_numpy() >= 2]
    per_chamber = shared["aid"].value_counts()
    of: dict[str, list[str]] = {}
    for key, aid in zip(shared["key"].tolist(), shared["aid"].tolist()):
        of.setdefault(key, []).append(aid)
    order = {aid: n for n, aid in enumerate(ids)}
    listed = sorted(of, key=lambda k: (-len(of[k]), table.name_of(k)))[:SHARED_LISTED]
    members = [{"id": table.credit_code(k), "name": table.name_of(k), "ids": sorted(of[k], key=order.get)}
               for k in listed]
    return members, [int(per_chamber.get(a, 0)) for a in ids], len(of)


def _shared_leaders(ids: list[str], table: MemberTable) -> list[dict]:
    """Persons in 副会长-or-above posts of two or more of the chambers: one identified holder (person_id, or
    the name at the enterprise represented); a name alone links no posts here."""
    roles = list(settings()["leader_roles"])
    order = {aid: n for n, aid in enumerate(ids)}
    held: dict[str, dict[str, int]] = {}
    names: dict[str, str] = {}
    for post in table.posts(ids):
        if post.holder:
            mine = held.setdefault(post.holder, {})
            mine[post.aid] = min(mine.get(post.aid, len(roles)), post.rank)
            names[post.holder] = post.person
    return [{"person": names[h], "posts": [{"id": a, "role": roles[r]} for a, r in sorted(posts.items(),
                                                                                        key=lambda x: order[x[0]])]}
            for h, posts in sorted(held.items(), key=lambda x: (names[x[0]], x[0])) if len(posts) >= 2]


def _convener(rows: list[dict]) -> tuple[str, str]:
    """The province-level chamber (registered at the city level first, then the largest), else the largest."""
    best = min(rows, key=lambda r: (r["origin_level"] != PROVINCE, r["region_level"] != PREFECTURE,
                                    -r["n_members"], r["id"]))
    if best["origin_level"] == PROVINCE:
        where = "，市本级登记" if best["region_level"] == PREFECTURE else ""
        reason = f"籍贯为省级（{best['origin']}）{where}，会员 {best['n_members']} 家"
    else:
        reason = f"组内没有省级籍贯的商会，会员最多（{best['n_members']} 家）"
    return best["id"], f"建议由「{best['name']}」牵头：{reason}"


_COLUMNS = ("id", "name", "origin", "origin_code", "origin_level", "origin_province", "region_name", "region_level",
            "n_members")
_LEVEL_ORDER = {PROVINCE: 0, PREFECTURE: 1}


def _origin_province(code: str, province: str) -> regions.Division | None:
    """The province of an origin: of its division, else the one province an origin group lies in."""
    origin = regions.by_code(code) if code else None
    if origin is not None:
        return regions.province_of(origin)
    named = regions.lookup(province, allow_short=False, prefer=regions.PROVINCE_FIRST) if province else None
    return named if named is not None and named.level == PROVINCE else None


def liaison(p: Profiles) -> Liaison:
    """Liaison groups of the registry's active 异地商会, one per origin province with ≥ 2 chambers."""
    f = p.frame
    chambers = f.loc[f["active"] & f["out_of_town"], list(_COLUMNS)]
    apart, by_province, province = [], {}, {}
    for r in chambers.to_dict("records"):
        r["id"], r["n_members"] = str(r["id"]), int(r["n_members"])
        prov = _origin_province(r["origin_code"], r["origin_province"])
        if prov is None:
            apart.append(ApartChamber(r["id"], r["name"], r["origin"], NO_PROVINCE))
        elif regions.hong_kong_macao_taiwan(prov):
            apart.append(ApartChamber(r["id"], r["name"], r["origin"], HK_MACAO_TAIWAN))
        else:
            by_province.setdefault(prov.code, []).append(r)
            province[prov.code] = prov
    groups = []
    for code in sorted(by_province, key=lambda c: (-len(by_province[c]), c)):
        rows = by_province[code]
        if len(rows) < 2:
            continue
        convener, reason = _convener(rows)
        rows = sorted(rows, key=lambda r: (r["id"] != convener, _LEVEL_ORDER.get(r["origin_level"], 2), r["name"]))
        ids = [r["id"] for r in rows]
        shared, per_chamber, n_shared = _shared_members(ids, p.member_table)
        groups.append(LiaisonGroup(
            province=province[code].name, province_code=code, convener=convener, convener_reason=reason, ids=ids,
            names=[r["name"] for r in rows], origins=[r["origin"] for r in rows],
            origin_levels=[r["origin_level"] for r in rows], regions=[r["region_name"] for r in rows],
            members=[r["n_members"] for r in rows], shared=per_chamber, n_shared_members=n_shared,
            shared_members=shared, shared_leaders=_shared_leaders(ids, p.member_table)))
    return Liaison(groups, apart)
