"""The TF-IDF weights equal scikit-learn's TfidfVectorizer(analyzer=str.split, sublinear_tf=True) exactly."""
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from detector.tfidf import Tfidf

DOCS = ["鞋业 鞋革 行业 自律 鞋业", "鞋材 展会 标准 标准 标准 维权", "", "眼镜 验光 眼镜 配镜 行业 培训 " * 7,
        "行业 " * 300 + "鞋业"]


def _sklearn(docs):
    return TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit(docs)


def test_fit_and_transform_equal_scikit_learn_value_for_value():
    ours, theirs = Tfidf.fit(DOCS), _sklearn(DOCS)
    assert ours.terms == theirs.get_feature_names_out().tolist()
    assert np.array_equal(ours.idf_, theirs.idf_)
    a, b = ours.transform(DOCS), theirs.transform(DOCS).tocsr()
    assert (a.dtype, a.indices.dtype, type(a)) == (b.dtype, b.indices.dtype, type(b))
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


def test_unknown_terms_are_left_out_and_empty_rows_stay_empty():
    fitted = Tfidf.fit(DOCS)
    new = ["鞋业 从未见过的词 鞋业", "从未见过的词", ""]
    a, b = fitted.transform(new), _sklearn(DOCS).transform(new)
    assert np.array_equal(a.toarray(), b.toarray())
    assert a[1].nnz == 0 and a[2].nnz == 0
