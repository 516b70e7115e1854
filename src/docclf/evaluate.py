"""Evaluate a checkpoint, a run or a registered model on any ImageFolder folder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

from docclf.data import SplitFiles, batch_indices, eval_batch, iterate_batches, load_or_build_cache, scan_split
from docclf.errors import UsageError
from docclf.metrics import confusion_matrix, summarize
from docclf.modeling import Classifier, classifier_from_checkpoint, load_checkpoint_file
from docclf.preprocess import PreprocessConfig
from docclf.refs import ModelRef, parse_ref


def load_classifier(ref: "str | ModelRef", tracking_uri: str | None = None) -> Classifier:
    """The PyTorch classifier a model reference points to (see docclf.refs for the forms)."""
    ref = parse_ref(ref) if isinstance(ref, str) else ref
    if ref.kind == "checkpoint":
        return classifier_from_checkpoint(load_checkpoint_file(ref.path), ref.path)
    if ref.kind == "export":
        raise UsageError(f"{ref.uri} is an ONNX export; give the PyTorch model it came from (its checkpoint, "
                         "run or registered version), or serve the export with `docclf serve`")
    from docclf import tracking

    tracking.connect(tracking.resolve_tracking_uri(tracking_uri))
    if ref.model_uri:  # a logged pytorch model: registered, logged, or runs:/ID/pytorch_model
        if ref.follows and not ref.version:
            from docclf.registry import Registry

            # pin the stage or alias now: the version we report is the version we load
            ref = ref.pinned(Registry(tracking_uri).resolve(ref.uri)["version"])
        model, meta = tracking.load_logged_model(ref.model_uri)
        model.eval()
        return Classifier(model=model, classes=list(meta["classes"]),
                          preprocess=PreprocessConfig.from_dict(meta["preprocess"]),
                          model_name=meta["model_name"], source=ref.uri, meta=meta)
    with tempfile.TemporaryDirectory() as tmp:
        path = tracking.download_run_checkpoint(ref.run_id or ref.name, tmp)
        return classifier_from_checkpoint(load_checkpoint_file(path), ref.uri)


def folders_to_evaluate(data_dir: str | Path, classes: list[str]) -> list[SplitFiles]:
    """A split folder (class sub-folders) or a whole dataset (its train/val/test splits)."""
    root = Path(data_dir)
    if not root.is_dir():
        raise UsageError(f"data dir {root} does not exist")
    splits = [s for s in ("train", "val", "test") if (root / s).is_dir()]
    if splits:
        return [scan_split(root, s, classes) for s in splits]
    subdirs = {d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")}
    if not subdirs & set(classes):
        raise UsageError(f"{root} has no folder named after the model's classes ({', '.join(classes)})")
    return [scan_split(root.parent, root.name, classes)]


@torch.inference_mode()
def evaluate(clf: Classifier, data_dir: str | Path, batch_size: int = 64, cache_dir: str | None = None,
             on_bad_image: str = "skip", progress: bool = True) -> dict[str, Any]:
    """accuracy, macro_f1, per_class, confusion_matrix, classes, n_images (plus skipped bad images)."""
    n = len(clf.classes)
    cm = np.zeros((n, n), dtype=np.int64)
    bad = 0
    for files in folders_to_evaluate(data_dir, clf.classes):
        split = load_or_build_cache(files, clf.preprocess, cache_dir, on_bad_image, progress=progress)
        bad += len(split.bad)
        for images, labels in iterate_batches(split, batch_indices(len(split), batch_size, False, 0, 0)):
            preds = clf.model(eval_batch(images, clf.preprocess)).argmax(1).numpy()
            cm += confusion_matrix(labels.numpy(), preds, n)
    report = summarize(cm, clf.classes)
    report["bad_images"] = bad
    return report


def format_report(report: dict[str, Any]) -> str:
    """The per-class table and the confusion matrix, as text."""
    classes = report["classes"]
    width = max(12, max(len(c) for c in classes) + 2)
    lines = [f"accuracy {report['accuracy']:.4f}   macro F1 {report['macro_f1']:.4f}   "
             f"images {report['n_images']}" + (f"   bad images skipped {report['bad_images']}"
                                               if report.get("bad_images") else ""), "",
             f"{'class':<{width}}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for c in classes:
        row = report["per_class"][c]
        lines.append(f"{c:<{width}}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
                     f"{row['support']:>10d}")
    lines += ["", "confusion matrix (rows: true, columns: predicted)",
              " " * width + "".join(f"{c[:9]:>10}" for c in classes)]
    for c, row in zip(classes, report["confusion_matrix"]):
        lines.append(f"{c:<{width}}" + "".join(f"{v:>10d}" for v in row))
    return "\n".join(lines)
