"""Charter texts: scope and purpose rendered from an association's concept plans."""
from __future__ import annotations

import random

from .associations import Assoc, Builder
from .style import pick


def _fill(text: str, ctx: dict[str, str], rnd: random.Random, products: tuple[str, ...]) -> str:
    if "{p}" in text:
        text = text.replace("{p}", pick(rnd, products) if products else ctx["f"])
    for k, v in ctx.items():
        text = text.replace("{" + k + "}", v)
    return text


def _ctx(a: Assoc, b: Builder) -> tuple[dict[str, str], tuple[str, ...]]:
    ind = b.by_key.get(a.subject)
    f = ind.field if ind else ""
    return ({"f": f, "r": b.geo.regions[a.region].name, "c": b.geo.city.short, "o": a.origin_text},
            ind.products if ind else ())


def render_scope(a: Assoc, b: Builder, rnd: random.Random, shuffle: bool) -> str:
    ctx, products = _ctx(a, b)
    phrases = [_fill(b.vocab.concepts[p][c][i], ctx, rnd, products) for p, c, i in a.plan]
    prefix, sep, ending = a.scope_style
    if shuffle:
        rnd.shuffle(phrases)
        sep = pick(rnd, ["；", ";", "，", " "])
    return prefix + sep.join(phrases) + ending


def render_purpose(a: Assoc, b: Builder, rnd: random.Random) -> str:
    ctx, products = _ctx(a, b)
    opening_i, template, clauses = a.purpose_plan
    openings = b.vocab.openings[a.nature or a.kind]
    opening = _fill(openings[opening_i % len(openings)], ctx, rnd, products)
    body = "，".join(_fill(b.vocab.concepts[p][c][i], ctx, rnd, products) for p, c, i in clauses)
    return [f"{opening}本会宗旨：{body}。", f"{opening}本会的宗旨是：{body}。", f"{body}。"][template % 3]
