"""docclf.metrics against scikit-learn on the raw labels, absent classes included."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from docclf.metrics import confusion_matrix, summarize

CLASSES = ["invoice", "letter", "presentation", "resume", "scientific_paper"]


@pytest.mark.parametrize("seed, present", [(0, 5), (1, 3), (2, 1)])
def test_summary_matches_scikit_learn_on_the_labels(seed, present):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, present, 200)  # classes >= `present` never occur in the labels
    preds = np.where(rng.random(200) < 0.7, labels, rng.integers(0, 4, 200))
    # two halves summed, as batches and DDP ranks are
    cm = confusion_matrix(labels[:120], preds[:120], 5) + confusion_matrix(labels[120:], preds[120:], 5)
    report = summarize(cm, CLASSES)
    everyone = list(range(5))
    assert report["accuracy"] == pytest.approx(skm.accuracy_score(labels, preds))
    assert report["macro_f1"] == pytest.approx(skm.f1_score(labels, preds, labels=everyone, average="macro",
                                                            zero_division=0))
    p, r, f, s = skm.precision_recall_fscore_support(labels, preds, labels=everyone, zero_division=0)
    for i, c in enumerate(CLASSES):
        row = report["per_class"][c]
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((p[i], r[i], f[i]))
        assert row["support"] == s[i]
    assert set(report["per_class"]) == set(CLASSES) and report["n_images"] == 200


def test_a_class_that_never_appears_counts_in_the_macro_average():
    labels = np.array([0, 0, 1, 1])
    report = summarize(confusion_matrix(labels, labels, 3), ["a", "b", "c"])
    assert report["accuracy"] == 1.0 and report["macro_f1"] == pytest.approx(2 / 3)
    assert report["per_class"]["c"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}


def test_an_empty_matrix_is_all_zeros():
    empty = np.array([], dtype=np.int64)
    assert confusion_matrix(empty, empty, 2).tolist() == [[0, 0], [0, 0]]
    report = summarize(np.zeros((2, 2), dtype=int), ["a", "b"])
    assert report["accuracy"] == 0.0 and report["macro_f1"] == 0.0 and report["n_images"] == 0
