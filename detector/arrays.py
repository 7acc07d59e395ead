"""A per-row Python function over column arrays, computed once per distinct row (pairs and memberships repeat
few distinct values): 190,000 candidate pairs have a few thousand distinct (region, region, town, town)."""
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
