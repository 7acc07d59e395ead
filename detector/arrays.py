"""Array helpers for columns of millions of rows: a per-row Python function computed once per distinct row
(pairs and memberships repeat few distinct values: 190,000 candidate pairs have a few thousand distinct
(region, region, town, town)), and id lookups with bounded temporaries."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def per_distinct(fn: Callable[..., object], *columns: np.ndarray) -> np.ndarray:
    """``fn(*row)`` for every row of the equal-length ``columns``, as an object array; ``fn`` is called once per
    distinct row, with the first such row's values."""
    columns = tuple(np.asarray(c, dtype=object) for c in columns)
    n = len(columns[0])
    if not n:
        return np.empty(0, dtype=object)
    key = np.zeros(n, dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        key = pd.factorize(key * len(uniques) + codes)[0]
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    out = np.empty(len(first), dtype=object)
    out[:] = [fn(*(column[k] for column in columns)) for k in first.tolist()]
    return out[inverse]


_LOOKUP_SLICE = 262_144


def positions(index: pd.Index, ids: pd.Series | np.ndarray) -> np.ndarray:
    """Each id's position in ``index`` (−1 if absent), looked up a slice at a time: the lookup's temporaries
    (~75 bytes a row) never span millions of pairs, and no id becomes a Python string."""
    at = ids.iloc if isinstance(ids, pd.Series) else ids
    parts = [index.get_indexer(at[lo : lo + _LOOKUP_SLICE]) for lo in range(0, len(ids), _LOOKUP_SLICE)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
