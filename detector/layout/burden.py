"""Enterprises' membership burden (企业应控制加入各级行业协会商会数量，减轻企业负担；不得强制入会).

Per enterprise member (its member key: credit code, else normalised name): the active associations it
belongs to and the 副会长-or-above posts it holds in them. Enterprises in more than
``member_burden_above`` associations get an info finding (``member_burden``) naming them.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..names import ENTERPRISE
from ..policy import SEVERITY, settings
from ..profiles import Profiles
from ..rules import Finding

RULE = "member_burden"


@dataclass(frozen=True)
class EnterpriseBurden:
    id: str  # the finding's id: credit code, else the normalised name
    name: str
    member_id: str  # credit code ("" when none is known)
    associations: int
    posts: int  # associations where it holds a 副会长-or-above post
    held: list[dict]  # {"id", "name", "role"} per association, registry order


@dataclass
class MemberBurden:
    threshold: int = 0  # more associations than this: a finding
    enterprises: int = 0  # enterprise members of active associations
    distribution: dict[int, int] = field(default_factory=dict)  # associations per enterprise → enterprises
    above: list[EnterpriseBurden] = field(default_factory=list)  # most associations first

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "enterprises": self.enterprises,
                "distribution": {str(k): v for k, v in self.distribution.items()},
                "above": [asdict(e) for e in self.above]}

    def frame(self) -> pd.DataFrame:
        """One row per enterprise above the threshold."""
        rows = [{"id": e.id, "name": e.name, "member_id": e.member_id, "associations": e.associations,
                 "posts": e.posts, "held": "、".join(f"{h['name']}（{h['role']}）" for h in e.held)} for e in self.above]
        return pd.DataFrame(rows, columns=["id", "name", "member_id", "associations", "posts", "held"])

    def findings(self) -> list[Finding]:
        """One info finding per enterprise above the threshold, on the enterprise."""
        out = []
        for e in self.above:
            posts = f"，其中 {e.posts} 家任副会长及以上职务" if e.posts else ""
            message = (f"{e.name} 加入 {e.associations} 家协会商会（超过 {self.threshold} 家即提示）{posts}："
                       + "、".join(f"{h['name']}（{h['role']}）" for h in e.held))
            out.append(Finding(e.id, RULE, SEVERITY[RULE], message,
                               {"member": e.name, "member_id": e.member_id, "associations": e.associations,
                                "posts": e.posts, "threshold": self.threshold, "held": e.held}))
        return out


def member_burden(p: Profiles) -> MemberBurden:
    """Associations and leader posts per enterprise member of the registry's active associations."""
    threshold = int(settings()["member_burden_above"])
    t = p.member_table
    ids = p.frame["id"].astype(str)
    active = ids[p.frame["active"].to_numpy(dtype=bool)].to_numpy()
    rows = np.flatnonzero((t.kind == ENTERPRISE) & t.of(active))
    if not len(rows):
        return MemberBurden(threshold)
    # one row per (enterprise, association): a leader row first, so its role is the one shown
    rows = rows[np.lexsort((rows, ~t.leader_posts[rows]))]
    # keys and association ids as codes: millions of membership rows never become string columns
    key_code, keys = pd.factorize(t.key[rows], use_na_sentinel=False)
    aid_code, aids = pd.factorize(t.aid[rows], use_na_sentinel=False)
    keys, aids = np.asarray(keys, dtype=object), np.asarray(aids, dtype=object)
    per = pd.DataFrame({"key": key_code, "aid": aid_code, "lead": t.leader_posts[rows], "row": rows})
    per = per.drop_duplicates(["key", "aid"])
    counts = per.groupby("key", sort=False).agg(n=("aid", "size"), posts=("lead", "sum"))
    distribution = {int(k): int(v) for k, v in counts["n"].value_counts().sort_index().items()}
    heavy = counts[counts["n"] > threshold].reset_index()
    held_rows = per[per["key"].isin(heavy["key"])]
    heavy = heavy.assign(key=keys[heavy["key"].to_numpy()])
    heavy = heavy.sort_values(["n", "posts", "key"], ascending=[False, False, True])
    position = {aid: n for n, aid in enumerate(ids)}
    names = dict(zip(ids, p.frame["name"].astype(str)))
    held: dict[str, list[dict]] = {}
    for key, aid, row in zip(keys[held_rows["key"].to_numpy()], aids[held_rows["aid"].to_numpy()], held_rows["row"]):
        held.setdefault(key, []).append({"id": aid, "name": names.get(aid, aid), "role": t.role[row] or "会员"})
    above = []
    for key, n, posts in zip(heavy["key"], heavy["n"], heavy["posts"]):
        code = t.credit_code(key)
        name = t.name_of(key)
        above.append(EnterpriseBurden(t.ident(key), name, code, int(n), int(posts),
                                      sorted(held[key], key=lambda h: position.get(h["id"], len(position)))))
    return MemberBurden(threshold, int(len(counts)), distribution, above)
