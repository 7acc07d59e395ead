"""The application batch: specs chosen against the registry, each with its expected screening verdict."""
from __future__ import annotations

from dataclasses import dataclass

from ...policy import VERDICT_ZH
from ...regions import COUNTY, PREFECTURE, PROVINCE
from .associations import Assoc, Builder
from .geo import ConfusableIndex, Geo
from .slots import ACAD, IND, ORIG
from .style import pick

VERDICTS = tuple(VERDICT_ZH)  # duplicate, review, clear, reject


@dataclass
class AppLabel:
    index: int  # into the combined association list
    verdict: str
    match: int  # association index (registry or application), -1 for none
    kind: str


def _app_mix(n: int) -> list[str]:
    """Application kinds for a batch of n: every verdict once n ≥ 4, an in-batch pair once n ≥ 6."""
    if n <= 0:
        return []
    core = ["duplicate_alias", "new_industry", "related_industry", "county_chamber_at_city", "duplicate_in_batch"]
    rest = ["duplicate_alias", "duplicate_weak", "duplicate_exact", "duplicate_origin", "new_industry",
            "new_region", "new_origin", "new_origin_near", "related_industry", "member_overlap",
            "county_chamber_at_city", "duplicate_alias", "duplicate_weak", "new_region"]
    out = core[: min(n, 4)] + (["duplicate_in_batch"] if n >= 6 else [])
    i = 0
    while len(out) < n:
        kind = rest[i % len(rest)]
        if kind == "duplicate_in_batch" and len(out) + 2 > n:
            kind = "duplicate_alias"
        out.append(kind)
        i += 1
    return out


class AppPlanner:
    """Application specs with their expected screening verdicts, chosen against the registry."""

    def __init__(self, registry: list[Assoc], b: Builder, planner_geo: Geo):
        self.reg, self.b, self.geo, self.rnd = registry, b, planner_geo, b.rnd
        self.present: set[tuple[str, str, int]] = {(a.kind, a.subject, a.region) for a in registry if a.active}
        self.places = b.places
        self.apps: list[Assoc] = []
        self.labels: list[AppLabel] = []
        self.used_slots: set[int] = set()  # one application per registry group

    def county_chamber_at_city(self, kind: str, subject: str, region: int) -> bool:
        """A city-level 异地商会 of a county-level origin: the policy forbids it outright."""
        return kind == ORIG and region == 0 and self.places[subject].level == COUNTY

    def taken(self, kind: str, subject: str, region: int) -> bool:
        return (kind, subject, region) in self.present

    def industry_free(self, key: str, region: int) -> bool:
        """No association of this industry, its 学会 or a related industry in the region."""
        ind = self.b.by_key[key]
        return (not self.taken(IND, key, region) and not self.taken(ACAD, key, region)
                and not any(self.taken(IND, r, region) for r in ind.related))

    def candidates(self, want: str) -> list[tuple[str, int]]:
        out = []
        everywhere = {a.subject for a in self.reg if a.kind == IND}
        for ind in self.b.vocab.industries:
            for r in range(len(self.geo.regions)):
                if want == "new_industry" and self.industry_free(ind.key, r) and ind.key not in everywhere:
                    out.append((ind.key, r))
                elif want == "new_region" and self.industry_free(ind.key, r) and ind.key in everywhere:
                    out.append((ind.key, r))
                elif want == "any_free" and self.industry_free(ind.key, r):
                    out.append((ind.key, r))
                elif want == "related_industry" and not self.taken(IND, ind.key, r) and not self.taken(ACAD, ind.key, r) \
                        and any(self.taken(IND, x, r) for x in ind.related):
                    out.append((ind.key, r))
        return out

    def add(self, a: Assoc, verdict: str, match: int, kind: str) -> int:
        idx = len(self.reg) + len(self.apps)
        self.apps.append(a)
        self.labels.append(AppLabel(idx, verdict, match, kind))
        self.present.add((a.kind, a.subject, a.region))
        return idx

    def new(self, kind: str, subject: str, region: int, **kw) -> Assoc:
        return self.b.make(kind, subject, region, -1, app=True, **kw)

    def duplicate(self, kind: str) -> bool:
        targets = [i for i, a in enumerate(self.reg) if a.active and a.slot not in self.used_slots
                   and ((a.kind == ORIG) == (kind == "duplicate_origin")) and a.kind != ACAD and a.plain]
        if not targets:
            return False
        t = pick(self.rnd, targets)
        base = self.reg[t]
        self.used_slots.add(base.slot)
        level = {"duplicate_alias": pick(self.rnd, ["strong", "medium"]), "duplicate_weak": "weak",
                 "duplicate_exact": "strong", "duplicate_origin": self.b.similarity()}[kind]
        name = (base.body, base.form) if kind == "duplicate_exact" else None
        a = self.new(base.kind, base.subject, base.region, name=name,
                     plan=self.b.mutate(base.plan, base.kind, base.subject, level),
                     purpose=self.b.mutate_purpose(base.purpose_plan, base.kind, level))
        a.overlap_src = t
        a.overlap = 0.0 if kind == "duplicate_weak" else self.rnd.uniform(0.2, 0.7)
        # reject outranks duplicate; expected_match still names the chamber it duplicates
        verdict = "reject" if self.county_chamber_at_city(base.kind, base.subject, base.region) else "duplicate"
        self.add(a, verdict, t, kind)
        return True

    def origin_app(self, kind: str) -> bool:
        present = {(a.subject, a.region) for a in self.reg if a.kind == ORIG and a.active}
        if kind == "county_chamber_at_city":
            region, levels = 0, (COUNTY,)
        else:
            region = 0 if (not self.geo.counties or self.rnd.random() < 0.7) else 1 + self.rnd.randrange(len(self.geo.counties))
            levels = (PROVINCE, PREFECTURE) if region == 0 else (PROVINCE, PREFECTURE, COUNTY)
        here = ConfusableIndex([self.places[s] for s, r in sorted(present) if r == region])
        cands = [p for p in self.geo.origins if p.level in levels and not self.taken(ORIG, str(p.code), region)]
        if kind == "new_origin_near":
            cands = [p for p in cands if here.hit(p)]
        elif kind == "new_origin":
            cands = [p for p in cands if not here.hit(p)]
        if not cands:
            return False
        p = pick(self.rnd, cands)
        a = self.new(ORIG, str(p.code), region)
        verdict = "reject" if self.county_chamber_at_city(ORIG, str(p.code), region) else "clear"
        self.add(a, verdict, -1, kind)
        return True

    def industry_app(self, kind: str) -> bool:
        want = {"new_industry": "new_industry", "new_region": "new_region", "related_industry": "related_industry",
                "member_overlap": "any_free", "duplicate_in_batch": "any_free"}[kind]
        cands = self.candidates(want)
        if not cands and want == "new_industry":
            cands = self.candidates("new_region")
        if not cands:
            return False
        key, region = pick(self.rnd, cands)
        if kind == "member_overlap":
            sources = [i for i, a in enumerate(self.reg) if a.active and a.kind == IND and a.region == region]
            if not sources:
                return False
            a = self.new(IND, key, region)
            a.overlap_src, a.overlap = pick(self.rnd, sources), self.rnd.uniform(0.45, 0.75)
            self.add(a, "review", a.overlap_src, kind)
            return True
        a = self.new(IND, key, region)
        if kind != "duplicate_in_batch":
            self.add(a, {"related_industry": "review"}.get(kind, "clear"), -1, kind)
            return True
        first = self.add(a, "review", -1, kind)
        level = self.b.similarity()
        twin = self.new(IND, key, region, plan=self.b.mutate(a.plan, IND, key, level),
                        purpose=self.b.mutate_purpose(a.purpose_plan, IND, level))
        twin.overlap_src, twin.overlap = first, self.rnd.uniform(0.2, 0.6)
        second = self.add(twin, "review", first, kind)
        self.labels[-2].match = second
        return True

    def build(self, n: int) -> tuple[list[Assoc], list[AppLabel]]:
        for kind in _app_mix(n):
            if len(self.apps) >= n:
                break
            if kind.startswith("duplicate_") and kind != "duplicate_in_batch":
                ok = self.duplicate(kind) or self.duplicate("duplicate_alias")
            elif kind in ("new_origin", "new_origin_near", "county_chamber_at_city"):
                ok = self.origin_app(kind)
            else:
                ok = self.industry_app(kind)
            if not ok and kind in ("new_industry", "new_region"):
                self.origin_app("new_origin")
        for _ in range(3 * n):  # kinds that found no candidate (tiny cities, saturated registries)
            if len(self.apps) >= n:
                break
            if not (self.origin_app("new_origin") if self.rnd.random() < 0.5 else self.duplicate("duplicate_alias")):
                self.duplicate("duplicate_origin")
        return self.apps, self.labels
