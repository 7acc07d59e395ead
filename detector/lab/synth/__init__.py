"""Seeded generator of realistic, labelled registries of industry associations (一业一会).

``generate(SynthConfig(seed=7))`` returns a :class:`SynthData`: a registry and an application
batch in the FORMAT.md layout plus the truth (duplicate groups, labelled pairs including hard
negatives, and expected screening verdicts). ``write(data, folder)`` stores it as CSV files.

The stages of :func:`generate`, one module each: ``config`` (what to generate) → ``vocab``, ``geo``
(words and places) → ``style`` (seeded streams and registry-wide habits) → ``slots`` (the truth:
who duplicates whom) → ``associations`` (names, charters) → ``applications`` (the batch and its
expected verdicts) → ``codes``, ``firms``, ``members`` (credit codes, the member pool, memberships
and roles) → ``render``, ``noise``, ``frames`` (texts, noise, the FORMAT.md tables) → ``labels``.

The vocabulary (``vocab.toml``) is independent of the detector's own taxonomy so that a
scorer trained on this data is not simply learning the detector's word lists back.

Truth model: every registry association belongs to a *slot* (kind, subject, region), where kind
is industry / academic (学会、研究会) / origin (异地商会) / general (企业家协会 …) and subject is
the industry key, the origin's adcode or the general body's key. Active associations sharing a
slot are duplicates (same region, same industry or same origin); everything else is not.

What a reader sees must carry the label, so the noise never hides it:

* Every body whose name is built from an origin place (…商会, …企业家联合会, …企业联合会,
  …商业联合会, …总商会, …籍企业家商会, 皖商联合会) is a 异地商会 in the slot of that origin: two of
  them are duplicates exactly when origin and region are the same. Each written origin names one
  place (湖南湘潭 is 湘潭市; 湘潭县 is written 湖南湘潭县), so different origins never look alike.
  No other body reads as one: origin and general bodies never take a name modifier, and no
  modifier is a place (温州市新兴企业家联合会 would be a chamber of 新兴县).
* General bodies: 企业家协会 and 企业家联合会 of one region share a slot (duplicates), as do the
  two names of every other general key; 青年企业家协会/商会 and 女企业家协会/商会 serve their own
  group of people and are distinct slots from the plain 企业家协会 and from each other.
* Region names are shortened (湘潭 for 湘潭市, 瑞安 for 瑞安市) only when the short form is
  unambiguous (:func:`short_is_unambiguous`): never 湘潭县 → 湘潭, which reads as the city.
* The registry always keeps its ``status`` column (other optional columns may be dropped).
* Industry aliases denote one industry each and never another's (``vocab.toml``).

Label files:

* ``labels/groups.csv`` (id, group): every registry row in exactly one group; 注销/撤销 rows alone.
* ``labels/pairs.csv`` (id_a, id_b, label, kind): ``duplicate`` (label 1, all within-group pairs)
  and label-0 samples: ``near_origin`` (江西/江苏, 福建/福州, 福建/福建福鼎 商会 in one region),
  ``near_level`` (city vs county, same subject), ``near_region`` (two counties, same subject),
  ``near_form`` (协会 vs 学会/研究会 of one field), ``near_industry`` (related industries, one
  region), ``shared_members`` (unrelated industries, many common members), ``inactive`` (a
  dissolved body of the same slot), ``random``.
* ``labels/applications.csv`` (id, verdict, expected_match, kind): verdict duplicate / review /
  clear / reject; expected_match is the registry id an application duplicates (or overlaps, for
  ``member_overlap``), or for ``duplicate_in_batch`` the other application's id. A city-level
  异地商会 of a county-level origin is ``reject`` (rule county_chamber_at_city) even when it also
  duplicates a registered chamber (kind ``duplicate_origin``): reject outranks duplicate, and
  expected_match still names the duplicated chamber.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ...io import ASSOCIATIONS, INDUSTRY_STATS, MEMBERSHIPS, REQUIRED, write_files
from .applications import VERDICTS, AppPlanner
from .associations import Builder, build_registry
from .codes import unique_codes
from .config import DEMO_CONFIG, VARIATIONS, Rates, SynthConfig, SynthData
from .firms import build_firms
from .frames import KEPT_REGISTRY_COLUMNS, association_frame, drop_columns, membership_frame, stats_frame
from .geo import city_geo, short_is_unambiguous
from .labels import PAIR_KINDS, group_frame, pair_frame, screen_frame
from .members import draw_memberships, plant_leaders
from .slots import Planner
from .style import draw_style, streams
from .vocab import load_vocab

FILES = {
    f"registry/{ASSOCIATIONS}.csv": "associations",
    f"registry/{MEMBERSHIPS}.csv": "memberships",
    f"registry/{INDUSTRY_STATS}.csv": "industry_stats",
    f"applications/{ASSOCIATIONS}.csv": "applications",
    f"applications/{MEMBERSHIPS}.csv": "application_members",
    "labels/groups.csv": "groups",
    "labels/pairs.csv": "pairs",
    "labels/applications.csv": "screen_labels",
}

__all__ = ["DEMO_CONFIG", "FILES", "PAIR_KINDS", "VARIATIONS", "VERDICTS", "Rates", "SynthConfig", "SynthData",
           "generate", "load_vocab", "short_is_unambiguous", "write"]


def generate(config: SynthConfig) -> SynthData:
    """A reproducible labelled registry: the same config gives byte-identical output."""
    vocab = load_vocab()
    geo = city_geo(config.city)
    rates = config.rates()
    rng, rnd = streams(config.seed, 1)
    style = draw_style(rng, vocab, geo, config)
    plan = Planner(vocab, geo, style, config, rates, rnd).plan()

    rng, rnd = streams(config.seed, 2)
    builder = Builder(vocab, geo, style, config, rates, rnd)
    registry = build_registry(plan, builder, rates)
    admin = np.array([geo.regions[a.region].code for a in registry], dtype=object)
    for a, code in zip(registry, unique_codes(rng, "51", admin)):
        a.id = code

    rng, rnd = streams(config.seed, 3)
    builder.rnd = rnd
    apps, app_labels = AppPlanner(registry, builder, geo).build(config.n_applications)
    order = list(range(len(apps)))
    rnd.shuffle(order)
    for rank, k in enumerate(order):
        apps[k].id = f"A{rank + 1:04d}"
    allx = registry + apps

    rng, rnd = streams(config.seed, 4)
    firms = build_firms(vocab, geo, style, allx, rng)
    members, roles = draw_memberships(allx, firms, vocab, geo, rng, rnd)
    plant_leaders(allx, members, roles, firms, rnd)

    rng, rnd = streams(config.seed, 5)
    n = len(registry)
    builder.rnd = rnd
    reg_frame = association_frame(registry, builder, rates, config, rng, rnd)
    app_frame = association_frame(apps, builder, rates, config, rng, rnd)
    reg_members = membership_frame(registry, members[:n], roles[:n], firms, geo, rates, rng)
    app_members = membership_frame(apps, members[n:], roles[n:], firms, geo, rates, rng)
    if len(app_frame):
        app_frame = app_frame.iloc[np.argsort(app_frame["id"].to_numpy(), kind="stable")].reset_index(drop=True)
        app_members = app_members.sort_values("association_id", kind="stable").reset_index(drop=True)
    stats = stats_frame(vocab, geo, firms, registry, rng)
    reg_frame = drop_columns(reg_frame, KEPT_REGISTRY_COLUMNS, rates.missing_column_prob, rnd)
    reg_members = drop_columns(reg_members, REQUIRED[MEMBERSHIPS], rates.missing_column_prob / 2, rnd)
    app_frame = drop_columns(app_frame, REQUIRED[ASSOCIATIONS], rates.missing_column_prob / 2, rnd)
    app_members = drop_columns(app_members, REQUIRED[MEMBERSHIPS], rates.missing_column_prob / 2, rnd)

    rng, rnd = streams(config.seed, 6)
    return SynthData(
        config=config,
        associations=reg_frame,
        memberships=reg_members,
        industry_stats=stats,
        applications=app_frame,
        application_members=app_members,
        groups=group_frame(registry),
        pairs=pair_frame(registry, plan, members[:n], geo, vocab, rnd),
        screen_labels=screen_frame(app_labels, allx),
    )


def write(data: SynthData, folder: str | os.PathLike) -> Path:
    """Write registry/, applications/ and labels/ as UTF-8 CSV files, all together (every one replaced, or none)."""
    root = Path(folder)
    write_files({root / rel: getattr(data, attr).to_csv(index=False, lineterminator="\n")
                 for rel, attr in FILES.items()})
    return root
