"""Training the reading side: the text view, calibration of both views, and fused reports.

Generated pages carry their words (`.words.json`), so the text view trains without OCR; it
sees OCR-like noisy copies of them, and validation/test words get the same noise (seeded), so
calibration and reports see words as OCR would return them. `--text-source ocr` reads every page
with Tesseract instead (slower, closest to real use).
"""

from __future__ import annotations

import logging
import random
from typing import Any

import numpy as np

from docclf.fusion import BLANK_MIN_WORDS, FusionConfig, expected_calibration_error, fit_temperature, fuse_logits
from docclf.metrics import summarize
from docclf.ocr import OcrConfig, PageWords, words_for_files
from docclf.textview import TextConfig, TextView, fit_text_view, simulate_ocr

log = logging.getLogger(__name__)


def ocr_config(cfg: Any) -> OcrConfig:
    return OcrConfig(languages=cfg.ocr_languages, long_side=cfg.ocr_long_side)


def split_words(paths: list[str], cfg: Any, noisy: bool, seed: int, progress: bool = True) -> list[PageWords | None]:
    """Words of a split's pages: ground truth (optionally OCR-noised) or Tesseract, per --text-source."""
    sidecars = cfg.text_source == "words"
    words = words_for_files(paths, ocr_config(cfg), cfg.cache_dir, use_sidecars=sidecars, progress=progress)
    if not noisy:
        return words
    rng = random.Random(seed)
    return [simulate_ocr(w, rng) if w is not None and w.source == "generator" else w for w in words]


def fit_text(cfg: Any, paths: list[str], labels: np.ndarray, classes: list[str],
             progress: bool = True) -> TextView:
    """Train the text view on the train split's words."""
    words = split_words(paths, cfg, noisy=False, seed=cfg.seed, progress=progress)
    keep = [i for i, w in enumerate(words) if w is not None]
    if len(keep) < len(words):
        log.warning("text view: %d page(s) without words left out", len(words) - len(keep))
    tv = fit_text_view([words[i] for i in keep], [int(labels[i]) for i in keep], classes,
                       TextConfig(c=cfg.text_c), seed=cfg.seed)
    empty = sum(1 for i in keep if not words[i].words)
    log.info("text view trained on %d pages (%d without any word)", len(keep), empty)
    return tv


def text_state_for_checkpoint(tv: TextView) -> dict[str, Any]:
    """The text view's state with tensors, which `torch.load(weights_only=True)` accepts."""
    import torch

    return {k: torch.from_numpy(np.ascontiguousarray(v)) if isinstance(v, np.ndarray) else v
            for k, v in tv.state().items()}


def view_report(probs: np.ndarray, labels: np.ndarray, classes: list[str]) -> dict[str, Any]:
    """accuracy, macro F1, per-class rows and ECE of one view's probabilities."""
    from docclf.metrics import confusion_matrix

    report = summarize(confusion_matrix(labels, probs.argmax(1), len(classes)), classes)
    report["ece"] = expected_calibration_error(probs, labels)
    return report


def calibrate(image_val: np.ndarray | None, text_val: np.ndarray | None, has_text: np.ndarray,
              labels: np.ndarray, abstain_below: float, reject_class: str | None = None,
              reject_above: float = FusionConfig.reject_above, image_floor: float = 0.0) -> FusionConfig:
    """Temperatures per view fitted on validation logits (NLL), the fusion's settings around them.

    The image view's temperature is kept at `image_floor` or above: on generated validation pages the
    image view is right 99% of the time and the fit sharpens it (0.5 for the defaults), while on real
    pages it is right about 80% of the time, so the sharpened view overrules a text view that reads
    "none of these" (a code listing the image view calls a paper at 0.99). The fitted value is kept
    as `image_temperature_fitted`.
    """
    fc = FusionConfig(abstain_below=abstain_below, reject_class=reject_class, reject_above=reject_above)
    if image_val is not None:
        fc.image_temperature_fitted = fit_temperature(image_val, labels)
        fc.image_temperature = max(fc.image_temperature_fitted, image_floor)
    if text_val is not None:
        rows = has_text if has_text.any() else np.ones(len(labels), bool)
        fc.text_temperature = fit_temperature(text_val[rows], labels[rows])
    return fc


def wordless_classes(words: list[PageWords | None], labels: np.ndarray, classes: list[str],
                     min_share: float = 0.01) -> list[str]:
    """Classes of which at least `min_share` of the pages (and at least one) have fewer than BLANK_MIN_WORDS
    words: only these are answered for a page where OCR reads next to nothing (see FusionConfig)."""
    labels = np.asarray(labels)
    few = np.array([w is None or len(w.words) < BLANK_MIN_WORDS for w in words], bool)
    out = []
    for k, name in enumerate(classes):
        rows = labels == k
        if few[rows].sum() >= max(1.0, min_share * rows.sum()):
            out.append(name)
    return out


def fused_reports(image_logits: np.ndarray | None, text_logits: np.ndarray | None, has_text: np.ndarray,
                  labels: np.ndarray, classes: list[str], fc: FusionConfig) -> dict[str, dict[str, Any]]:
    """Reports of each view and of the fused answer on one split: {"image": ..., "text": ..., "fusion": ...}."""
    out = {}
    if image_logits is not None:
        out["image"] = view_report(fuse_logits(image_logits, None, None, fc), labels, classes)
    if text_logits is not None:
        out["text"] = view_report(fuse_logits(None, text_logits, None, fc), labels, classes)
    if image_logits is not None and text_logits is not None:
        out["fusion"] = view_report(fuse_logits(image_logits, text_logits, has_text, fc), labels, classes)
    return out
