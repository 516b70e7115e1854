"""Figures people would rather look at than read: training curves and confusion matrices."""

from __future__ import annotations

from typing import Any

import numpy as np


def _figure(figsize: tuple[float, float]) -> Any:
    """A figure outside pyplot's registry: pyplot keeps every figure it makes until closed, so a
    process that trains or evaluates many times (tuning, tests, the API) would keep them all."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize)


def training_curves(history: list[dict[str, float]]) -> Any:
    """Loss, accuracy and macro F1 per epoch, train vs validation."""
    epochs = [h["epoch"] for h in history]
    fig = _figure((14, 4))
    axes = fig.subplots(1, 3)
    panels = [("loss", ["train_loss", "val_loss"]), ("accuracy", ["train_accuracy", "val_accuracy"]),
              ("macro F1", ["val_f1"])]
    for ax, (title, keys) in zip(axes, panels):
        for key in keys:
            ax.plot(epochs, [h[key] for h in history], marker="o", ms=3, label=key)
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def confusion_matrix_figure(cm: np.ndarray, classes: list[str], title: str = "confusion matrix") -> Any:
    """Counts with row-normalised colour (recall per true class), labelled axes."""
    cm = np.asarray(cm)
    rows = cm.sum(axis=1, keepdims=True).clip(min=1)
    fig = _figure((1.2 * len(classes) + 3, 1.1 * len(classes) + 2))
    ax = fig.subplots()
    ax.imshow(cm / rows, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, rotation=35, ha="right")
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    for i in range(cm.shape[0]):
        for j in range(cm.shape[1]):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center",
                    color="white" if cm[i, j] / rows[i, 0] > 0.5 else "black")
    fig.tight_layout()
    return fig
