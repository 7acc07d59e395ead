"""Noise a reader must see through: traditional characters, typos, spaces and brackets, short region names."""
from __future__ import annotations

import random
from functools import lru_cache

from .associations import Assoc
from .config import Rates
from .geo import Geo, short_is_unambiguous
from .style import pick
from .vocab import Vocab


@lru_cache(maxsize=1)
def _s2t():
    import opencc  # a project dependency; only needed for traditional-character noise

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


def typo(text: str, vocab: Vocab, rnd: random.Random) -> str:
    spots = [i for i, ch in enumerate(text) if ch in vocab.homophones]
    if spots and rnd.random() < 0.7:
        i = pick(rnd, spots)
        return text[:i] + vocab.homophones[text[i]] + text[i + 1:]
    if len(text) > 4:
        i = rnd.randrange(1, len(text) - 1)
        return text[:i] + text[i + 1:]
    return text


def noisy_name(a: Assoc, geo: Geo, rates: Rates, rnd: random.Random) -> str:
    region = geo.regions[a.region]
    rtext = region.name
    if rnd.random() < rates.short_city_rate and short_is_unambiguous(region):
        rtext = region.short
    body, form = a.body, a.form
    if rnd.random() < rates.fullwidth_rate:
        space = pick(rnd, [" ", "\u3000", ""])
        if form.startswith(("行业", "产业")) and len(form) > 2:
            l_, r_ = pick(rnd, [("（", "）"), ("(", ")")])
            form = l_ + form[:2] + r_ + form[2:]
        rtext = rtext + space
    if a.app and rnd.random() < rates.fullwidth_rate * 2:
        form += pick(rnd, ["（筹）", "(筹)", "（筹备）"])
    name = rtext + body + form
    if rnd.random() < rates.traditional_rate:
        name = traditional(name)
    return name
