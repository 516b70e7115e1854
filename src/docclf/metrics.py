"""Classification metrics from a confusion matrix (which sums across DDP ranks and batches), by scikit-learn.

Every class the model knows stays in the table and in the macro average, even one absent from the
data (its F1 counts as 0), as scikit-learn does when told the labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn import metrics as skm


def confusion_matrix(labels: np.ndarray, preds: np.ndarray, num_classes: int) -> np.ndarray:
    """(C, C) counts: rows are true classes, columns predictions."""
    labels, preds = np.asarray(labels), np.asarray(preds)
    if not len(labels):  # an empty batch or shard; scikit-learn refuses empty input
        return np.zeros((num_classes, num_classes), dtype=np.int64)
    return skm.confusion_matrix(labels, preds, labels=np.arange(num_classes))


def _scores(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class precision, recall, F1: scikit-learn on the matrix's cells as weighted (true, predicted) pairs."""
    n = cm.shape[0]
    true, pred = np.divmod(np.arange(n * n), n)
    weights = cm.ravel().astype(float)
    if not weights.sum():
        return np.zeros(n), np.zeros(n), np.zeros(n)
    p, r, f, _ = skm.precision_recall_fscore_support(true, pred, labels=np.arange(n), sample_weight=weights,
                                                     zero_division=0)
    return p, r, f


def per_class(cm: np.ndarray, classes: list[str]) -> dict[str, dict[str, float]]:
    precision, recall, f1 = _scores(np.asarray(cm))
    support = np.asarray(cm).sum(axis=1)
    return {c: {"precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]),
                "support": int(support[i])} for i, c in enumerate(classes)}


def summarize(cm: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """accuracy, macro F1 (over every class), per-class table, the matrix."""
    cm = np.asarray(cm)
    table = per_class(cm, classes)
    n = int(cm.sum())
    return {
        "accuracy": float(np.trace(cm) / n) if n else 0.0,
        "macro_f1": float(np.mean([row["f1"] for row in table.values()])) if table else 0.0,
        "per_class": table,
        "confusion_matrix": cm.astype(int).tolist(),
        "classes": list(classes),
        "n_images": n,
    }
