"""Evaluate a checkpoint, a run or a registered model on any ImageFolder folder."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

from docclf.config import OTHER_CLASS
from docclf.data import SplitFiles, eval_batch, load_or_build_cache, scan_split
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
        if meta.get("modality", "image") != "image" and meta.get("mlflow_run_id"):
            # a model that reads: its text view travels in the run's checkpoint, beside the same weights
            with tempfile.TemporaryDirectory() as tmp:
                path = tracking.download_run_checkpoint(meta["mlflow_run_id"], tmp)
                return classifier_from_checkpoint(load_checkpoint_file(path), ref.uri)
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
    # a folder of real pages rarely has an `other` folder: the model's "none of these" is not a class to find
    return [scan_split(root.parent, root.name, classes, may_lack=(OTHER_CLASS,))]


@torch.inference_mode()
def evaluate(clf: Classifier, data_dir: str | Path, batch_size: int = 64, cache_dir: str | None = None,
             on_bad_image: str = "skip", progress: bool = True) -> dict[str, Any]:
    """accuracy, macro_f1, per_class, confusion_matrix, classes, n_images (plus skipped bad images).

    A model that reads (text or fusion) OCRs the pages (cached) and adds `views`: each view's own
    report, `abstained` (share of pages answered "none of these") and `ocr_seconds_per_page`.
    Accuracy counts each page's answer: its most probable known class, or (for a model trained with a
    none-of-these class) that class where the model abstains.
    """
    from docclf.fusion import fuse_logits, known_argmax
    from docclf.ocr import words_for_files
    from docclf.predict import decisions, fusion_config, views_for_pages

    n = len(clf.classes)
    names = ["image", "text"] if clf.model is not None and clf.reads else []
    cms = {name: np.zeros((n, n), dtype=np.int64) for name in ["main", *names]}
    bad, abstained, ocr_seconds, n_read = 0, 0, 0.0, 0
    cfg = fusion_config(clf)
    for files in folders_to_evaluate(data_dir, clf.classes):
        split = load_or_build_cache(files, clf.preprocess, cache_dir, on_bad_image, progress=progress)
        bad += len(split.bad)
        words = (words_for_files(split.paths, clf.ocr, cache_dir, use_sidecars=False, progress=progress)
                 if clf.reads else [])
        views = views_for_pages(clf, split.images, words, batch_size)
        labels = np.asarray(split.labels)
        # the answer: the most probable known class, or, for a model with a none-of-these class, that
        # class where the model abstains (right for such pages, wrong for in-class ones)
        decided = decisions(clf, views)
        pred = known_argmax(views.fused(cfg), clf.classes, cfg)
        if cfg.reject_class in clf.classes:
            pred = np.where([d.label is None for d in decided], clf.classes.index(cfg.reject_class), pred)
        cms["main"] += confusion_matrix(labels, pred, n)
        if names:
            for name, logits in (("image", views.image_logits), ("text", views.text_logits)):
                probs = fuse_logits(logits if name == "image" else None, logits if name == "text" else None, None, cfg)
                cms[name] += confusion_matrix(labels, known_argmax(probs, clf.classes, cfg), n)
        abstained += sum(d.label is None for d in decided)
        ocr_seconds += sum(w.seconds for w in words if w is not None)
        n_read += sum(w is not None for w in words)
    report = summarize(cms["main"], clf.classes)
    if cfg.reject_class in clf.classes and report["per_class"][cfg.reject_class]["support"] == 0:
        # real pages of the known classes only: "none of these" is an answer here, not a class of pages, and its
        # F1 of 0 would pull the macro average down by a sixth (abstentions already cost their class's recall)
        report["macro_f1"] = float(np.mean([row["f1"] for c, row in report["per_class"].items()
                                            if c != cfg.reject_class]))
    report["bad_images"] = bad
    report["modality"] = clf.modality
    report["abstained"] = abstained / max(1, report["n_images"])
    if names:
        report["views"] = {name: summarize(cms[name], clf.classes) for name in names}
    if n_read:
        report["ocr_seconds_per_page"] = ocr_seconds / n_read
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
    if report.get("views"):
        views = {**report["views"], report.get("modality", "fusion"): report}
        lines += ["", "recall per view", f"{'class':<{width}}" + "".join(f"{v:>10}" for v in views)]
        for c in classes:
            if report["per_class"][c]["support"] == 0:  # no page of it here: its recall means nothing
                continue
            lines.append(f"{c:<{width}}" + "".join(f"{r['per_class'][c]['recall']:>10.3f}" for r in views.values()))
        lines.append(f"{'accuracy':<{width}}" + "".join(f"{r['accuracy']:>10.3f}" for r in views.values()))
    if "abstained" in report:
        lines.append(f"\nanswered 'none of these' (label null) for {report['abstained']:.1%} of pages")
    return "\n".join(lines)


def measure_model(uri: str, tracking_uri: str, data_dir: str, batch_size: int, latency_runs: int,
                  cache_dir: str | None) -> dict[str, Any]:
    """Accuracy, macro F1, per-class recall and speed (batch 1 and 32) of any model reference on `data_dir`:
    what `docclf registry validate` stores on a version."""
    from docclf.timing import measure_speed

    clf = load_classifier(uri, tracking_uri)
    report = evaluate(clf, data_dir, batch_size=batch_size, cache_dir=cache_dir, progress=False)
    split = load_or_build_cache(folders_to_evaluate(data_dir, clf.classes)[0], clf.preprocess, cache_dir,
                                progress=False)
    images = eval_batch(torch.from_numpy(split.images[:32].copy()), clf.preprocess).numpy()  # (N, 3, S, S)

    @torch.inference_mode()
    def predict(x: Any) -> Any:
        return clf.model(torch.from_numpy(x).contiguous(memory_format=torch.channels_last))

    return {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"], "n_images": report["n_images"],
            "recall": {c: row["recall"] for c, row in report["per_class"].items()},
            "speed": {**measure_speed(predict, images, latency_runs), "threads": torch.get_num_threads()},
            "classes": report["classes"], "confusion_matrix": report["confusion_matrix"]}
