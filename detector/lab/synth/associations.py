"""Associations from slots: names, charters (scope, purpose and services as concept plans) and member
settings, before any noise. :class:`Builder` also makes the applications.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from ...io import ACTIVE
from .config import Rates, SynthConfig
from .geo import Geo
from .slots import ACAD, CLUB, GEN, IND, ORIG, Plan
from .style import Style, pick
from .vocab import Vocab


@dataclass
class Assoc:
    """One generated association (registry row or application) before noise."""

    kind: str
    subject: str
    region: int
    slot: int  # registry slot, -1 for applications
    body: str  # name between region and form: core (with modifier) or origin text
    form: str  # organisation form: 行业协会 / 商会 / 研究会 …
    type: str
    industry: str
    plan: list[tuple[str, int, int]]  # scope concepts: (pool, concept, paraphrase)
    purpose_plan: tuple[int, int, list[tuple[str, int, int]]]  # (opening, template, clauses)
    services: list[str]
    scope_style: tuple[str, str, str]  # prefix, separator, ending
    origin_text: str = ""
    active: bool = True
    status: str = ACTIVE
    app: bool = False
    m: int = 0
    overlap_src: int = -1
    overlap: float = 0.0
    unit_w: np.ndarray | None = None
    nonind_rate: float = 0.0
    outside_rate: float = 0.0
    person_rate: float = 0.0
    related_rate: float = 0.0
    id: str = ""
    nature: str = ""  # "club" / "professional": a trade-named body of individuals (slot kind CLUB)
    plain: bool = True  # False: a name that is silent or misleads (issue 16), or a club; never an application's base


_FORM_TYPES = (("研究会", "研究会"), ("学会", "学会"), ("促进会", "促进会"), ("联合会", "联合会"),
               ("商会", "商会"), ("协会", "行业协会"))


def type_of(kind: str, form: str) -> str:
    """FORMAT.md type implied by an organisation form."""
    if kind == ORIG:
        return "异地商会"
    for suffix, t in _FORM_TYPES:
        if form.endswith(suffix):
            return t
    return "行业协会"


def _split_form(name: str) -> tuple[str, str]:
    """Split a body+form string (眼视光学会, 企业家联合会) at its organisation form."""
    for suffix in ("研究会", "学会", "促进会", "联合会", "商会", "协会"):
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


class Builder:
    """Turns slots and application specs into :class:`Assoc` records (names, texts, settings)."""

    def __init__(self, vocab: Vocab, geo: Geo, style: Style, config: SynthConfig, rates: Rates,
                 rnd: random.Random):
        self.vocab, self.geo, self.style, self.config, self.rates, self.rnd = vocab, geo, style, config, rates, rnd
        self.by_key = vocab.by_key
        self.places = {str(p.code): p for p in geo.origins}
        self.names: set[str] = set()
        self.ind_index = {ind.key: i for i, ind in enumerate(vocab.industries)}

    # -- names
    def region_text(self, region: int) -> str:
        return self.geo.regions[region].name

    def name_options(self, kind: str, subject: str) -> list[tuple[str, str, float]]:
        """(body, form, weight) candidates for a slot."""
        if kind == IND:
            ind = self.by_key[subject]
            out = []
            for core, cw in zip(ind.cores, self.style.core_weights[subject]):
                for (form, _), fw in zip(self.vocab.industry_forms, self.style.form_weights):
                    if core.endswith("商") and form.startswith("商"):
                        continue
                    if core.endswith("业") and form.startswith("产业"):
                        continue  # 化学工业产业协会
                    if core.endswith("业") and form.startswith("行业"):
                        fw *= 0.15
                    out.append((core, form, cw * fw))
            return out
        if kind == ACAD:
            ind = self.by_key[subject]
            names = list(ind.academic) or [ind.field + "研究会"]
            names += [ind.field + "研究会", ind.field + "学会", ind.field + "发展研究会", ind.field + "产业研究会"]
            out, seen = [], set()
            for i, n in enumerate(names):
                if n not in seen:
                    seen.add(n)
                    body, form = _split_form(n)
                    out.append((body, form, 6.0 if i < len(ind.academic) else 1.0))
            return out
        if kind == ORIG:
            place = self.places[subject]
            out = []
            for (tmpl, _), w in zip(self.vocab.origin_forms, self.style.origin_form_weights):
                if "{a}" in tmpl:
                    if place.abbr:
                        body, form = _split_form(tmpl.replace("{a}", place.abbr))
                        out.append((body, form, w))
                    continue
                for j, text in enumerate(place.texts):
                    body, form = _split_form(tmpl.replace("{o}", text))
                    out.append((body, form, w * (1.0 if j == 0 else 0.8)))
            return out
        names = dict(self.vocab.general)[subject]
        return [(*_split_form(n), 1.0) for n in names]

    def pick_name(self, kind: str, subject: str, region: int, avoid_taken: bool = True,
                  reuse: bool = False) -> tuple[str, str]:
        """A name not yet used in the region; ``reuse`` lets an application repeat a registered one."""
        rtext = self.region_text(region)
        opts = self.name_options(kind, subject)
        free = [o for o in opts if not avoid_taken or rtext + o[0] + o[1] not in self.names]
        if not free and kind in (IND, ACAD):  # every plain name is taken: add a modifier (温州市民营鞋业协会)
            free = [(mod + b, f, w) for mod in self.vocab.modifiers for b, f, w in opts
                    if rtext + mod + b + f not in self.names]
        # never on an origin or general body: 温州市民营安徽商会 no longer names its origin, and
        # 温州市中小企业家协会 would read as the 中小企业协会
        if not free and reuse:
            free = opts
        if not free:
            base = opts[0]
            k = 2
            while rtext + base[0] + base[1] + f"（{k}）" in self.names:
                k += 1
            free = [(base[0], base[1] + f"（{k}）", 1.0)]
        body, form, _ = self.rnd.choices(free, weights=[o[2] for o in free], k=1)[0]
        self.names.add(rtext + body + form)
        return body, form

    def _unique(self, region: int, options: list[tuple[str, str]]) -> tuple[str, str]:
        rtext = self.region_text(region)
        free = [o for o in options if rtext + o[0] + o[1] not in self.names] or options
        body, form = free[self.rnd.randrange(len(free))]
        self.names.add(rtext + body + form)
        return body, form

    def silent_name(self, region: int) -> tuple[str, str]:
        """A name that says nothing of the trade or misleads: 瓯越 + 联合会, 华盛 + 产业发展促进会, 鼎盛装备 + 行业协会."""
        v = self.vocab.silent
        words = ("",) * 3 + v["misleading"]
        return self._unique(region, [(brand + w, form) for brand in v["brands"] for w in words
                                     for form in v["broad_forms"] if not (w and form.startswith("产业") and w == "产业")])

    def borrowed_name(self, region: int, other: str) -> tuple[str, str]:
        """A name built from another trade's core with a broad form (温州市眼镜产业发展促进会 of a mould trade)."""
        cores = self.by_key[other].cores
        return self._unique(region, [(core, form) for core in cores for form in self.vocab.silent["broad_forms"][:4]])

    def club_name(self, region: int, subject: str, nature: str) -> tuple[str, str]:
        """A trade's core with a club's or professional body's form: 眼镜联谊会, 鞋业设计师协会."""
        forms = self.vocab.silent["club_forms" if nature == "club" else "professional_forms"]
        return self._unique(region, [(core, form) for core in self.by_key[subject].cores for form in forms])

    # -- texts
    def concept_pools(self, kind: str, subject: str) -> list[tuple[str, float]]:
        if kind == IND:
            return [("generic", 1.0), ("ind:" + subject, 1.0)]
        if kind == ACAD:
            return [("academic", 1.0), ("ind:" + subject, 0.3)]
        if kind == ORIG:
            return [("origin", 1.0)]
        return [("general", 1.0), ("generic", 0.3)]

    def fresh_concept(self, kind: str, subject: str, avoid: set[tuple[str, int]]) -> tuple[str, int, int] | None:
        pools = self.concept_pools(kind, subject)
        cands = [(p, ci) for p, _ in pools for ci in range(len(self.vocab.concepts[p])) if (p, ci) not in avoid]
        if not cands:
            return None
        weights = [dict(pools)[p] for p, _ in cands]
        pool, ci = self.rnd.choices(cands, weights=weights, k=1)[0]
        return pool, ci, self.rnd.randrange(len(self.vocab.concepts[pool][ci]))

    def nature_plan(self, subject: str, nature: str) -> list[tuple[str, int, int]]:
        """A club's or professional body's scope: its own concepts and one or two of the trade's."""
        own, spec = self.vocab.concepts[nature], self.vocab.concepts["ind:" + subject]
        plan = [(nature, ci, self.rnd.randrange(len(own[ci]))) for ci in self.rnd.sample(range(len(own)), 4)]
        plan += [("ind:" + subject, ci, self.rnd.randrange(len(spec[ci])))
                 for ci in self.rnd.sample(range(len(spec)), min(len(spec), self.rnd.randint(1, 2)))]
        self.rnd.shuffle(plan)
        return plan

    def scope_plan(self, kind: str, subject: str) -> list[tuple[str, int, int]]:
        lo, hi = self.style.scope_len
        plan: list[tuple[str, int, int]] = []
        if kind in (IND, ACAD):  # industry-specific phrases first or mixed
            spec = self.vocab.concepts["ind:" + subject]
            k = self.rnd.randint(1, len(spec)) if kind == IND else self.rnd.randint(0, 1)
            for ci in self.rnd.sample(range(len(spec)), k):
                plan.append(("ind:" + subject, ci, self.rnd.randrange(len(spec[ci]))))
        main = {IND: "generic", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind]
        pool = self.vocab.concepts[main]
        k = min(len(pool), self.rnd.randint(lo + 1, hi + 1))
        for ci in self.rnd.sample(range(len(pool)), k):
            plan.append((main, ci, self.rnd.randrange(len(pool[ci]))))
        if self.rnd.random() < 0.5:
            self.rnd.shuffle(plan)
        return plan

    def mutate(self, plan: list[tuple[str, int, int]], kind: str, subject: str, level: str) -> list[tuple[str, int, int]]:
        """A paraphrase of a plan: ``strong`` keeps nearly everything, ``weak`` little."""
        keep, redraw = {"strong": (0.92, 0.25), "medium": (0.65, 0.5), "weak": (0.3, 0.85)}[level]
        out = []
        for pool, ci, pi in plan:
            if self.rnd.random() < keep:
                n_para = len(self.vocab.concepts[pool][ci])
                out.append((pool, ci, self.rnd.randrange(n_para) if self.rnd.random() < redraw else pi))
        used = {(p, c) for p, c, _ in out}
        target = len(plan) + self.rnd.randint(-1, 1)
        while len(out) < max(2, target):
            extra = self.fresh_concept(kind, subject, used)
            if extra is None:
                break
            used.add(extra[:2])
            out.insert(self.rnd.randint(0, len(out)), extra)
        if level != "strong" or self.rnd.random() < 0.3:
            self.rnd.shuffle(out)
        return out

    def purpose_plan(self, kind: str, nature: str = "") -> tuple[int, int, list[tuple[str, int, int]]]:
        own = "p_" + (nature or {IND: "industry", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind])
        common = self.vocab.concepts["p_common"]
        clauses = [("p_common", ci, self.rnd.randrange(len(common[ci])))
                   for ci in sorted(self.rnd.sample(range(len(common)), self.rnd.randint(1, 3)))]
        pool = self.vocab.concepts[own]
        for ci in self.rnd.sample(range(len(pool)), min(len(pool), self.rnd.randint(2, 5))):
            clauses.append((own, ci, self.rnd.randrange(len(pool[ci]))))
        n_open = len(self.vocab.openings[nature or kind])
        return self.rnd.randrange(n_open), self.rnd.randrange(3), clauses

    def mutate_purpose(self, pp, kind: str, level: str):
        opening, template, clauses = pp
        if level == "strong":
            return opening, template, [(p, c, self.rnd.randrange(len(self.vocab.concepts[p][c])) if self.rnd.random() < 0.2 else i)
                                       for p, c, i in clauses]
        fresh = self.purpose_plan(kind)
        if level == "weak":
            return fresh
        return fresh[0], template, clauses[: len(clauses) // 2] + fresh[2][len(clauses) // 2:]

    def services_list(self, kind: str, subject: str, nature: str = "") -> list[str]:
        own = nature or {IND: "generic", ACAD: "academic", ORIG: "origin", GEN: "general"}[kind]
        items = list(self.vocab.services[own])
        k = self.rnd.randint(2, 5)
        out = self.rnd.sample(items, min(k, len(items)))
        if kind in (IND, ACAD):
            spec = self.by_key[subject].services
            out = self.rnd.sample(list(spec), self.rnd.randint(1, len(spec))) + out
        return out

    def scope_style(self) -> tuple[str, str, str]:
        prefix = pick(self.rnd, ["", "本会业务范围：", "业务范围：", "主要业务："], [6, 1, 1, 1])
        sep = pick(self.rnd, ["、", "；", "，"], list(self.style.separators))
        ending = pick(self.rnd, ["", "。", "等。", "及其他符合本会宗旨的活动。", "等"], [3, 3, 2, 1, 1])
        return prefix, sep, ending

    # -- records
    def declared(self, kind: str, subject: str) -> str:
        if kind == IND:
            ind = self.by_key[subject]
            if len(ind.declared) > 1 and self.rnd.random() < self.rates.declared_variant_rate:
                return pick(self.rnd, ind.declared[1:])
            return ind.label
        if kind == ACAD:
            return pick(self.rnd, ["学术研究", self.by_key[subject].label, "科技"], [2, 2, 1])
        if kind == ORIG:
            return pick(self.rnd, ["", "综合", "异地商会"], [3, 2, 1])
        return "综合"

    def member_count(self, kind: str) -> int:
        lo, hi = self.config.members_per_association
        m = self.rnd.lognormvariate(math.log(self.style.member_median), self.style.member_sigma)
        if kind == ACAD:
            m *= 1.3
        return int(min(hi, max(lo, round(m))))

    def unit_weights(self, kind: str, subject: str, region: int, narrow: bool) -> np.ndarray:
        n_units = len(self.geo.units)
        if region > 0:  # county-level: own county, a little leakage to neighbours
            w = np.zeros(n_units)
            leak = 0.18 if self.rnd.random() < 0.12 else self.rnd.uniform(0.0, 0.05)
            if n_units > 1:
                w[:] = leak / (n_units - 1)
            w[region - 1] = 1.0 - leak if n_units > 1 else 1.0
            return w
        base = (self.style.concentration[self.ind_index[subject]] if kind in (IND, ACAD)
                else self.style.unit_weights).copy()
        if narrow and n_units >= 2:
            keep = np.argsort(-base, kind="stable")[: max(1, min(n_units // 2, self.rnd.randint(1, max(1, n_units // 2))))]
            w = np.zeros(n_units)
            w[keep] = base[keep] + 0.05
            return w / w.sum()
        w = base + 0.25 / n_units
        return w / w.sum()

    def make(self, kind: str, subject: str, region: int, slot: int, *, plan=None, purpose=None,
             name: tuple[str, str] | None = None, narrow: bool = False, app: bool = False, nature: str = "") -> Assoc:
        body, form = name or self.pick_name(kind, subject, region, reuse=app)
        if nature:
            plan = self.nature_plan(subject, nature)
        a = Assoc(
            kind=kind, subject=subject, region=region, slot=slot, body=body, form=form,
            type=type_of(kind, form), industry=self.declared(kind, subject),
            plan=plan if plan is not None else self.scope_plan(kind, subject),
            purpose_plan=purpose if purpose is not None else self.purpose_plan(kind, nature),
            services=self.services_list(kind, subject, nature), scope_style=self.scope_style(), app=app,
            nature=nature, plain=not nature,
        )
        if kind == ORIG:
            place = self.places[subject]
            a.origin_text = next((t for t in place.texts if t in body), place.texts[-1])
        a.m = self.member_count(kind)
        a.unit_w = self.unit_weights(kind, subject, region, narrow)
        a.nonind_rate = 0.2 if (kind == IND and self.rnd.random() < 0.06) else (0.02 if kind == IND else 0.0)
        a.outside_rate = 0.12 if self.rnd.random() < 0.05 else 0.0
        a.person_rate = {IND: 0.03, ACAD: 0.95, ORIG: 0.05, GEN: 0.05}[kind]
        a.related_rate = 0.08 if kind == IND else 0.0
        if nature:  # individuals, a few firms of the trade
            a.person_rate, a.related_rate, a.nonind_rate = self.rnd.uniform(0.85, 1.0), 0.0, 0.0
        return a

    def unlabelled(self, a: Assoc) -> None:
        """A silent or misleading name seldom comes with a telling declared industry."""
        a.plain = False
        a.industry = pick(self.rnd, ["", "综合", a.industry], [3, 2, 1])

    def similarity(self) -> str:
        return pick(self.rnd, ["strong", "medium", "weak"], list(self.style.similarity))

    def overlap(self) -> float:
        band = pick(self.rnd, [(0.5, 0.85), (0.2, 0.5), (0.0, 0.12)], list(self.style.overlap))
        return self.rnd.uniform(*band)


def build_registry(plan: Plan, b: Builder, rates: Rates) -> list[Assoc]:
    out: list[Assoc] = []
    narrow, research = set(plan.narrow), set(plan.research_rule)
    inactive_slots = set(plan.inactive_slots)
    shared_second = {bb: aa for aa, bb in plan.shared}
    silent, borrowed = set(plan.silent), dict(plan.misnamed)
    first_of: dict[int, int] = {}
    template: dict[tuple[str, str], Assoc] = {}
    for si, slot in enumerate(plan.slots):
        for j in range(slot.size):
            if slot.kind == CLUB:
                nature = pick(b.rnd, ["club", "professional"])
                a = b.make(IND, slot.subject, slot.region, si, nature=nature,
                           name=b.club_name(slot.region, slot.subject, nature))
                first_of.setdefault(si, len(out))
                out.append(a)
                continue
            if j == 0 and si in borrowed:  # named like another trade of its region, this trade's charter
                a = b.make(slot.kind, slot.subject, slot.region, si,
                           name=b.borrowed_name(slot.region, plan.slots[borrowed[si]].subject))
                b.unlabelled(a)
                first_of[si] = len(out)
                out.append(a)
                continue
            if j == 1 and si in silent:  # only scope and members say it duplicates the first
                base = out[first_of[si]]
                a = b.make(slot.kind, slot.subject, slot.region, si, name=b.silent_name(slot.region),
                           plan=b.mutate(base.plan, slot.kind, slot.subject, "strong"),
                           purpose=b.mutate_purpose(base.purpose_plan, slot.kind, "strong"))
                a.overlap_src, a.overlap = first_of[si], b.rnd.uniform(0.6, 0.8)
                b.unlabelled(a)
                out.append(a)
                continue
            if j == 0:
                prev = template.get((slot.kind, slot.subject))
                copied = {}
                if prev is not None and b.rnd.random() < 0.35:  # another region's charter, reworded
                    level = pick(b.rnd, ["strong", "medium"], [1, 2])
                    copied = {"plan": b.mutate(prev.plan, slot.kind, slot.subject, level),
                              "purpose": b.mutate_purpose(prev.purpose_plan, slot.kind, level)}
                a = b.make(slot.kind, slot.subject, slot.region, si, **copied,
                           narrow=(si in narrow or (slot.kind == IND and slot.region == 0 and b.rnd.random() < 0.25)))
                template.setdefault((slot.kind, slot.subject), a)
                first_of[si] = len(out)
                if si in shared_second and shared_second[si] in first_of:
                    a.overlap_src, a.overlap = first_of[shared_second[si]], b.rnd.uniform(0.35, 0.7)
            else:
                base = out[first_of[si]]
                level = b.similarity()
                a = b.make(slot.kind, slot.subject, slot.region, si,
                           plan=b.mutate(base.plan, slot.kind, slot.subject, level),
                           purpose=b.mutate_purpose(base.purpose_plan, slot.kind, level))
                a.overlap_src, a.overlap = first_of[si], b.overlap()
            if slot.kind == ACAD:
                a.person_rate = b.rnd.uniform(0.55, 0.8) if (si in research or b.rnd.random() < 0.1) else b.rnd.uniform(0.96, 1.0)
            out.append(a)
    # dissolved associations: one per planted slot, plus a few singletons
    for si in plan.inactive_slots:
        a = out[first_of[si] + plan.slots[si].size - 1]
        a.active, a.status = False, pick(b.rnd, ["注销", "撤销"], [7, 3])
    singles = [first_of[si] for si, s in enumerate(plan.slots) if s.size == 1 and si not in inactive_slots]
    k = max(0, round(rates.inactive_rate * len(out)) - len(plan.inactive_slots))
    for i in b.rnd.sample(singles, min(k, len(singles))):
        out[i].active, out[i].status = False, pick(b.rnd, ["注销", "撤销"], [7, 3])
    return out
