"""Classification metrics from a confusion matrix (which sums across DDP ranks and batches).

Every class the model knows stays in the table and in the macro average, even one absent from the
data (its F1 counts as 0), as scikit-learn does when told the labels (tests/test_metrics.py checks
the figures against scikit-learn's). NumPy, not scikit-learn, computes them: importing scikit-learn
costs every training process about 1.7 s, which each trial of a search pays again.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def confusion_matrix(labels: np.ndarray, preds: np.ndarray, num_classes: int) -> np.ndarray:
    """(C, C) counts: rows are true classes, columns predictions."""
    labels, preds = np.asarray(labels, dtype=np.int64), np.asarray(preds, dtype=np.int64)
    known = (labels >= 0) & (labels < num_classes) & (preds >= 0) & (preds < num_classes)
    cells = labels[known] * num_classes + preds[known]
    return np.bincount(cells, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den is 0 (scikit-learn's zero_division=0)."""
    return np.divide(num, den, out=np.zeros(len(num)), where=den > 0)


def _scores(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-class precision, recall, F1."""
    cm = cm.astype(float)
    tp = np.diag(cm)
    predicted, actual = cm.sum(axis=0), cm.sum(axis=1)
    return _ratio(tp, predicted), _ratio(tp, actual), _ratio(2 * tp, predicted + actual)


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
