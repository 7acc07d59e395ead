"""The truth model: slots (kind, subject, region), each holding the registry associations that duplicate
each other.

Planted hard-negative structures come first (city vs county, related industries, 协会 vs 学会, confusable
origins, shared members, dissolved bodies, rule cases), then a weighted random fill up to ``n_associations``.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from ...regions import COUNTY, PREFECTURE, PROVINCE
from .config import Rates, SynthConfig
from .geo import Geo, Place
from .style import Style, pick
from .vocab import Vocab

IND, ACAD, ORIG, GEN = "industry", "academic", "origin", "general"
CLUB = "club"  # a body named like a trade whose members are individuals (a club or a professional body)


@dataclass
class Slot:
    """One (kind, subject, region) with the number of registry associations it holds."""

    kind: str
    subject: str
    region: int  # index into Geo.regions: 0 = the city
    size: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.subject, self.region)


@dataclass
class Plan:
    slots: list[Slot]
    shared: list[tuple[int, int]]  # slot index pairs whose members are forced to overlap
    inactive_slots: list[int]  # slots of size ≥ 2 where one association is dissolved
    research_rule: list[int]  # academic slots with a high share of enterprise members
    narrow: list[int]  # city-level industry slots whose members cover ≤ half of the counties
    silent: list[int] = field(default_factory=list)  # industry slots whose second body has a silent or misleading name
    misnamed: list[tuple[int, int]] = field(default_factory=list)  # (slot, the slot whose trade its name borrows)


class Planner:
    """Draws slots: planted hard-negative structures first, then a weighted random fill."""

    def __init__(self, vocab: Vocab, geo: Geo, style: Style, config: SynthConfig, rates: Rates, rnd: random.Random):
        self.vocab, self.geo, self.style, self.config, self.rates, self.rnd = vocab, geo, style, config, rates, rnd
        self.slots: dict[tuple[str, str, int], Slot] = {}
        self.index: dict[tuple[str, str, int], int] = {}
        self.total = 0
        self.keys = [i.key for i in vocab.industries]
        self.by_key = vocab.by_key
        self.places = {str(p.code): p for p in geo.origins}
        self.by_level = {lvl: [p for p in geo.origins if p.level == lvl] for lvl in (PROVINCE, PREFECTURE, COUNTY)}
        self.inside: dict[int, list[Place]] = {p.code: [] for p in self.by_level[PROVINCE]}
        for p in geo.origins:
            if p.level != PROVINCE and p.code // 10000 * 10000 in self.inside:
                self.inside[p.code // 10000 * 10000].append(p)

    # -- draws
    def industry(self, academic: bool = False) -> str:
        keys, w = self.keys, list(self.style.industry_weights)
        if academic:
            pairs = [(k, x) for k, x in zip(keys, w) if self.by_key[k].academic]
            keys, w = [p[0] for p in pairs], [p[1] for p in pairs]
        return pick(self.rnd, keys, w)

    def county(self) -> int:
        if not self.geo.counties:
            return 0
        return 1 + pick(self.rnd, range(len(self.geo.counties)), list(self.style.unit_weights))

    def region(self, city_share: float) -> int:
        return 0 if (not self.geo.counties or self.rnd.random() < city_share) else self.county()

    def origin(self, level: str | None = None) -> Place:
        if level is None:
            level = pick(self.rnd, [PROVINCE, PREFECTURE, COUNTY], [0.45, 0.42, 0.13])
        places = self.by_level[level]
        return pick(self.rnd, places, self.style.origin_weights[level])

    def group_size(self) -> int:
        if self.rnd.random() >= self.rates.dup_group_rate:
            return 1
        return pick(self.rnd, [2, 3, 4], list(self.style.group_sizes))

    # -- bookkeeping
    def add(self, kind: str, subject: str, region: int, size: int | None = None) -> int:
        key = (kind, subject, region)
        if key not in self.slots:
            s = self.group_size() if size is None else size
            if kind == GEN:  # 企业家协会 / 企业家联合会: no more duplicates than plain names
                s = min(s, len(dict(self.vocab.general)[subject]))
            self.index[key] = len(self.slots)
            self.slots[key] = Slot(kind, subject, region, s)
            self.total += s
        return self.index[key]

    def random_slot(self) -> tuple[str, str, int]:
        kind = pick(self.rnd, [IND, ACAD, ORIG, GEN], list(self.style.kind_mix))
        if kind == IND:
            return IND, self.industry(), self.region(self.config.city_level_share)
        if kind == ACAD:
            return ACAD, self.industry(academic=True), self.region(0.8)
        if kind == ORIG:
            return self.origin_slot()
        return GEN, pick(self.rnd, [g[0] for g in self.vocab.general]), self.region(0.5)

    def origin_slot(self) -> tuple[str, str, int]:
        region = self.region(0.75)
        place = self.origin()
        if region == 0 and place.level == COUNTY and self.rnd.random() < 0.7:
            place = self.origin(PREFECTURE)  # county-level origins at city level are the rare rule case
        return ORIG, str(place.code), region

    # -- planted structures
    def unrelated_pair(self) -> tuple[str, str]:
        while True:
            a, b = self.industry(), self.industry()
            if a != b and b not in self.by_key[a].related:
                return a, b

    def confusable_origins(self, one_char: bool) -> tuple[Place, Place] | None:
        if one_char:
            cands = self.geo.province_twins if self.rnd.random() < 0.7 else self.geo.prefecture_twins
            cands = cands or self.geo.province_twins
            return pick(self.rnd, cands) if cands else None
        outer = self.origin(PROVINCE)
        inner = self.inside[outer.code]
        if not inner:
            return None
        inner_place = pick(self.rnd, inner)
        return outer, inner_place

    def plan(self) -> Plan:
        n = self.config.n_associations
        k = max(1, round(n * self.rates.near_miss_rate))
        shared, inactive, research, narrow = [], [], [], []
        has_counties = bool(self.geo.counties)
        for i in range(k):
            ind = self.industry()
            if has_counties:  # city vs county, county vs county
                self.add(IND, ind, 0)
                self.add(IND, ind, self.county())
                if i % 2 == 0:
                    self.add(IND, ind, self.county())
            a = self.industry()
            related = self.by_key[a].related
            if related:
                r = self.region(self.config.city_level_share)
                self.add(IND, a, r)
                self.add(IND, pick(self.rnd, related), r)
            ac = self.industry(academic=True)
            r = self.region(0.8)
            self.add(IND, ac, r)
            self.add(ACAD, ac, r)
            pair = self.confusable_origins(one_char=(i % 2 == 0))
            if pair:
                for p in pair:
                    self.add(ORIG, str(p.code), 0)
            if has_counties:
                p = self.origin(PROVINCE)
                self.add(ORIG, str(p.code), 0)
                self.add(ORIG, str(p.code), self.county())
            for _ in range(2):
                a, b = self.unrelated_pair()
                r = self.region(self.config.city_level_share)
                shared.append((self.add(IND, a, r), self.add(IND, b, r)))
            self.add(ORIG, str(self.origin(COUNTY).code), 0)  # county_chamber_at_city
            inactive.append(self.add(IND, self.industry(), self.region(0.5), size=2))
            research.append(self.add(ACAD, self.industry(academic=True), 0))
            narrow.append(self.add(IND, self.industry(), 0))
        silent, misnamed = self.plant_silent(n) if self.rates.silent_rate > 0 else ([], [])
        tries = 0
        while self.total < n:
            key = self.random_slot()
            if key in self.slots:
                tries += 1
                if tries < 6:
                    continue
                # industries are saturated (very large n): 异地商会 have thousands of origins
                key = self.origin_slot()
                if key in self.slots:
                    slot = pick(self.rnd, list(self.slots.values()))
                    slot.size += 1  # everything is saturated: an existing group grows
                    self.total += 1
                    tries = 0
                    continue
            self.add(*key)
            tries = 0
        slots = list(self.slots.values())
        excess = self.total - n
        for s in reversed(slots):  # trim to exactly n, from the randomly filled end
            if excess <= 0:
                break
            cut = min(excess, s.size)
            s.size -= cut
            excess -= cut
        keep = [i for i, s in enumerate(slots) if s.size > 0]
        remap = {old: new for new, old in enumerate(keep)}
        slots = [slots[i] for i in keep]
        if not any(s.size >= 2 for s in slots) and len(slots) >= 2:
            slots[0].size += slots[-1].size
            slots.pop()

        def alive(ids: list[int]) -> list[int]:
            return [remap[i] for i in ids if i in remap and remap[i] < len(slots)]

        shared_ok = [(remap[a], remap[b]) for a, b in shared
                     if a in remap and b in remap and max(remap[a], remap[b]) < len(slots)]
        inactive_ok = [i for i in alive(inactive) if slots[i].size >= 2]
        misnamed_ok = [(remap[a], remap[b]) for a, b in misnamed
                       if a in remap and b in remap and max(remap[a], remap[b]) < len(slots)]
        return Plan(slots, shared_ok, inactive_ok, alive(research), alive(narrow),
                    [i for i in alive(silent) if slots[i].size >= 2], misnamed_ok)

    def plant_silent(self, n: int) -> tuple[list[int], list[tuple[int, int]]]:
        """Where names are silent or mislead (issue 16), per round: a duplicate pair whose second body has a
        brand-like, broad or misleading name; a body of one trade named like another trade present in its
        region; a club or professional body named like a trade present in its region."""
        silent, misnamed = [], []
        for _ in range(max(1, round(n * self.rates.silent_rate))):
            key = (IND, self.industry(), self.region(self.config.city_level_share))
            silent.append(self.add(*key, size=2))
            if self.slots[key].size < 2:
                self.total += 2 - self.slots[key].size
                self.slots[key].size = 2
            a, b = self.unrelated_pair()
            r = self.region(self.config.city_level_share)
            borrowed = self.add(IND, a, r)
            misnamed.append((self.add(IND, b, r, size=1), borrowed))
            c = self.industry()
            r = self.region(self.config.city_level_share)
            self.add(IND, c, r)
            self.add(CLUB, c, r, size=1)
        return silent, misnamed
