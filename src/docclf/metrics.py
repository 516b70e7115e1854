"""Classification metrics from a confusion matrix (which sums across DDP ranks and batches)."""

from __future__ import annotations

from typing import Any

import numpy as np


def confusion_matrix(labels: np.ndarray, preds: np.ndarray, num_classes: int) -> np.ndarray:
    """(C, C) counts: rows are true classes, columns predictions."""
    return np.bincount(labels * num_classes + preds, minlength=num_classes ** 2).reshape(num_classes, num_classes)


def per_class(cm: np.ndarray, classes: list[str]) -> dict[str, dict[str, float]]:
    tp = np.diag(cm).astype(float)
    support, predicted = cm.sum(axis=1), cm.sum(axis=0)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return {c: {"precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]),
                "support": int(support[i])} for i, c in enumerate(classes)}


def summarize(cm: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """accuracy, macro F1 (over classes that occur in labels or predictions), per-class table."""
    cm = np.asarray(cm)
    table = per_class(cm, classes)
    present = [i for i in range(len(classes)) if cm[i].sum() + cm[:, i].sum() > 0]
    n = int(cm.sum())
    return {
        "accuracy": float(np.trace(cm) / n) if n else 0.0,
        "macro_f1": float(np.mean([table[classes[i]]["f1"] for i in present])) if present else 0.0,
        "per_class": table,
        "confusion_matrix": cm.astype(int).tolist(),
        "classes": list(classes),
        "n_images": n,
    }
