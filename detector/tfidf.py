"""TF-IDF of space-separated tokens: scikit-learn's ``TfidfVectorizer(analyzer=str.split, sublinear_tf=True)``
value for value (smooth idf, 1 + log tf, rows L2-normalised), without importing scikit-learn, whose import
costs about 1.5 s of every screening process.

The arithmetic follows scikit-learn's order: counts per document, ``log`` then ``+ 1``, times idf, then each
row divided by the square root of its squares summed in column order (as its ``inplace_csr_row_normalize_l2``
does), so that the matrices are equal, not merely close (tests/test_tfidf.py compares them).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse


class Tfidf:
    """A fitted vocabulary (term → column, in sorted order) and its idf weights."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray):
        self.terms = list(terms)
        self.vocabulary_ = {t: k for k, t in enumerate(self.terms)}
        self.idf_ = np.asarray(idf, dtype=np.float64)

    @classmethod
    def fit(cls, docs: Sequence[str]) -> "Tfidf":
        """Vocabulary and smooth idf (``ln((1 + n) / (1 + df)) + 1``) of ``docs``."""
        terms = sorted({t for d in docs for t in d.split()})
        column = {t: k for k, t in enumerate(terms)}
        df = np.zeros(len(terms), dtype=np.float64)
        for d in docs:
            for t in set(d.split()):
                df[column[t]] += 1
        return cls(terms, np.log((len(docs) + 1) / (df + 1.0)) + 1.0)

    def counts(self, docs: Sequence[str]) -> sparse.csr_matrix:
        """Term counts per document (float64, columns sorted within each row; unknown terms left out)."""
        indptr, indices, values = [0], [], []
        for d in docs:
            counted = Counter(k for k in map(self.vocabulary_.get, d.split()) if k is not None)
            for k in sorted(counted):
                indices.append(k)
                values.append(counted[k])
            indptr.append(len(indices))
        return sparse.csr_matrix((np.array(values, dtype=np.float64), np.array(indices, dtype=np.int32),
                                  np.array(indptr, dtype=np.int32)), shape=(len(docs), len(self.terms)))

    def transform(self, docs: Sequence[str]) -> sparse.csr_matrix:
        x = self.counts(docs)
        np.log(x.data, x.data)
        x.data += 1.0
        x.data *= self.idf_[x.indices]
        _normalise_rows(x)
        return x


def _normalise_rows(x: sparse.csr_matrix) -> None:
    """Divide each row by its L2 norm in place, summing each row's squares in column order (vectorised across
    rows: step ``k`` adds every row's ``k``-th square), so the sums round exactly as a sequential loop."""
    starts, lengths = x.indptr[:-1], np.diff(x.indptr)
    squares = x.data * x.data
    sums = np.zeros(len(lengths))
    for k in range(int(lengths.max()) if len(lengths) else 0):
        rows = np.flatnonzero(lengths > k)
        sums[rows] += squares[starts[rows] + k]
    norms = np.sqrt(sums)
    norms[norms == 0.0] = 1.0
    x.data /= np.repeat(norms, lengths)
