"""The truth files: duplicate groups, labelled pairs (duplicates and hard negatives) and expected verdicts."""
from __future__ import annotations

import itertools
import random

import numpy as np
import pandas as pd

from .applications import AppLabel
from .associations import Assoc
from .geo import Geo, Place, ancestors, confusable, wildcards
from .slots import ACAD, CLUB, IND, ORIG, Plan
from .vocab import Vocab

PAIR_KINDS = ("duplicate", "duplicate_silent", "near_origin", "near_level", "near_region", "near_form",
              "near_industry", "shared_members", "inactive", "near_evidence", "near_nature", "random")
DUPLICATE_KINDS = ("duplicate", "duplicate_silent")  # label 1: any two active bodies of one slot


def group_frame(assocs: list[Assoc]) -> pd.DataFrame:
    gid: dict[tuple, str] = {}
    out = []
    for i, a in enumerate(assocs):
        key = ("slot", a.slot) if a.active else ("single", i)
        if key not in gid:
            gid[key] = f"G{len(gid) + 1:05d}"
        out.append((a.id, gid[key]))
    return pd.DataFrame(out, columns=["id", "group"], dtype=object)


def pair_frame(assocs: list[Assoc], plan: Plan, members: list[np.ndarray], geo: Geo, vocab: Vocab,
                rnd: random.Random) -> pd.DataFrame:
    n = len(assocs)
    cap = max(40, n)
    places = {str(p.code): p for p in geo.origins}
    by_key = vocab.by_key
    slot_members: dict[int, list[int]] = {}
    for i, a in enumerate(assocs):
        slot_members.setdefault(a.slot, []).append(i)
    rep = {s: ids[0] for s, ids in slot_members.items()}
    found: dict[str, list[tuple[int, int]]] = {k: [] for k in PAIR_KINDS}
    for s, ids in slot_members.items():
        act = [i for i in ids if assocs[i].active]
        for i, j in itertools.combinations(act, 2):  # a silent or misleading name: only scope and members tell
            found["duplicate" if assocs[i].plain and assocs[j].plain else "duplicate_silent"].append((i, j))
        found["inactive"] += [(i, j) for i in ids if not assocs[i].active for j in act]
    by_subject: dict[tuple[str, str], list[int]] = {}
    by_region: dict[int, list[int]] = {}
    for s, slot in enumerate(plan.slots):
        by_subject.setdefault((slot.kind, slot.subject), []).append(s)
        by_region.setdefault(slot.region, []).append(s)
    for ss in by_subject.values():
        for s, t in itertools.combinations(ss, 2):
            ra, rb = plan.slots[s].region, plan.slots[t].region
            kind = "near_level" if (ra == 0) != (rb == 0) else "near_region"
            found[kind].append((rep[s], rep[t]))
    for r, ss in by_region.items():
        ind = {plan.slots[s].subject: s for s in ss if plan.slots[s].kind == IND}
        for s in ss:
            slot = plan.slots[s]
            if slot.kind == ACAD and slot.subject in ind:
                found["near_form"] += [(i, j) for i in slot_members[s] for j in slot_members[ind[slot.subject]]]
            if slot.kind == IND:
                for rel in by_key[slot.subject].related:
                    if rel in ind and slot.subject < rel:
                        found["near_industry"].append((rep[s], rep[ind[rel]]))
        orig = [s for s in ss if plan.slots[s].kind == ORIG]
        found["near_origin"] += _confusable_slot_pairs(orig, plan, places, rep)
    for s, t in plan.misnamed:  # named like the trade of slot t, of another trade
        found["near_evidence"] += [(i, j) for i in slot_members[s][:1] for j in slot_members[t]]
    for r, ss in by_region.items():  # a trade-named club or professional body vs the trade's associations
        trade = {plan.slots[s].subject: s for s in ss if plan.slots[s].kind == IND}
        for s in ss:
            if plan.slots[s].kind == CLUB and plan.slots[s].subject in trade:
                found["near_nature"] += [(i, j) for i in slot_members[s] for j in slot_members[trade[plan.slots[s].subject]]]
    for s, t in plan.shared:
        a, b = rep[s], rep[t]
        common = np.intersect1d(members[a][members[a] >= 0], members[b][members[b] >= 0])
        if len(common) >= 3:
            found["shared_members"].append((a, b))
    taken = set()
    rows = []
    for kind in PAIR_KINDS[:-1]:
        pairs = found[kind]
        if kind not in DUPLICATE_KINDS and len(pairs) > cap:
            pairs = rnd.sample(pairs, cap)
        for i, j in pairs:
            key = (min(i, j), max(i, j))
            if key in taken:
                continue
            taken.add(key)
            rows.append((i, j, 1 if kind in DUPLICATE_KINDS else 0, kind))
    related_sets = {ind.key: set(ind.related) for ind in vocab.industries}
    for _ in range(n // 2):  # easy negatives: different subject, unrelated, not confusable
        i, j = rnd.randrange(n), rnd.randrange(n)
        a, b = assocs[i], assocs[j]
        if i == j or (min(i, j), max(i, j)) in taken or a.subject == b.subject:
            continue
        if a.kind == IND and b.kind == IND and b.subject in related_sets[a.subject]:
            continue
        if a.kind == ORIG and b.kind == ORIG and confusable(places[a.subject], places[b.subject]):
            continue
        taken.add((min(i, j), max(i, j)))
        rows.append((i, j, 0, "random"))
    out = []
    for i, j, label, kind in rows:
        x, y = sorted((assocs[i].id, assocs[j].id))
        out.append((x, y, label, kind))
    df = pd.DataFrame(out, columns=["id_a", "id_b", "label", "kind"])
    df["label"] = df["label"].astype(int)
    return df


def _confusable_slot_pairs(orig: list[int], plan: Plan, places: dict[str, Place], rep: dict[int, int]) -> list[tuple[int, int]]:
    """Origin chambers in one region whose origins are confusable (bucketed, no quadratic scan)."""
    code_slot = {int(plan.slots[s].subject): s for s in orig}
    out = []
    buckets: dict[str, list[int]] = {}
    for s in orig:
        p = places[plan.slots[s].subject]
        for anc in ancestors(p):
            if anc in code_slot:
                out.append((rep[code_slot[anc]], rep[s]))
        for w in wildcards(p.short):
            buckets.setdefault(w, []).append(s)
    for ss in buckets.values():
        for s, t in itertools.combinations(ss, 2):
            if places[plan.slots[s].subject].short != places[plan.slots[t].subject].short:
                out.append((rep[s], rep[t]))
    return out


def screen_frame(labels: list[AppLabel], assocs: list[Assoc]) -> pd.DataFrame:
    rows = [(assocs[l.index].id, l.verdict, assocs[l.match].id if l.match >= 0 else "", l.kind) for l in labels]
    rows.sort(key=lambda r: r[0])
    return pd.DataFrame(rows, columns=["id", "verdict", "expected_match", "kind"], dtype=object)
