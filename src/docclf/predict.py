"""Classifying pages with any model: each view's probabilities, the fused answer, abstention.

One function for the CLI (`docclf predict`), evaluation and the API: `views_for_pages` turns
letterboxed pages and their words into per-view logits, `decisions` turns those into answers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from docclf.errors import UsageError
from docclf.fusion import Decision, FusionConfig, decide, fuse_logits, ink_share
from docclf.ocr import PageWords

log = logging.getLogger(__name__)


@dataclass
class PageViews:
    """Per-view logits of N pages, with what abstention needs (word counts, ink)."""

    image_logits: np.ndarray | None  # (N, C)
    text_logits: np.ndarray | None  # (N, C)
    n_words: np.ndarray  # (N,)
    ink: np.ndarray  # (N,)

    def fused(self, cfg: FusionConfig) -> np.ndarray:
        return fuse_logits(self.image_logits, self.text_logits, self.n_words > 0, cfg)


def image_logits(clf: Any, letterboxed: np.ndarray, batch_size: int = 64) -> np.ndarray:
    """(N, S, S, 3) uint8 letterboxed pages -> (N, C) image-view logits."""
    import torch

    from docclf.data import eval_batch

    out = []
    with torch.inference_mode():
        for i in range(0, len(letterboxed), batch_size):
            batch = torch.from_numpy(np.array(letterboxed[i:i + batch_size]))  # a copy: caches are read-only
            out.append(clf.model(eval_batch(batch, clf.preprocess)).float().numpy())
    n = len(clf.classes)
    return np.concatenate(out) if out else np.zeros((0, n), np.float32)


def ink_of(letterboxed: np.ndarray) -> np.ndarray:
    """Share of inked pixels per page, from the letterboxed pages (N, S, S, 3)."""
    return np.array([ink_share(_grey(np.asarray(page))) for page in letterboxed])


def _grey(page: np.ndarray) -> np.ndarray:
    """(S, S) float64 mean of the channels of (S, S, 3) uint8: equal to `page.mean(axis=2)`, 10x faster."""
    total = page[..., 0].astype(np.uint16)
    total += page[..., 1]
    total += page[..., 2]
    return total / 3


def views_for_pages(clf: Any, letterboxed: np.ndarray, words: Sequence[PageWords | None],
                    batch_size: int = 64) -> PageViews:
    """Every view the model has, for pages already letterboxed and read."""
    img = image_logits(clf, letterboxed, batch_size) if clf.model is not None else None
    txt = clf.text_view.logits(words) if clf.text_view is not None else None
    # -1: a page not read (no OCR for it), as serving's None; 0: read, and no word found
    n_words = np.array([len(w.words) if w is not None else -1 for w in words]) if words else \
        np.full(len(letterboxed), -1)
    return PageViews(img, txt, n_words, ink_of(letterboxed))


def fusion_config(clf: Any) -> FusionConfig:
    """The model's fusion settings; a model from before calibration never abstains on confidence."""
    return clf.fusion if clf.fusion is not None else FusionConfig(abstain_below=0.0)


def decisions(clf: Any, views: PageViews) -> list[Decision]:
    """The answer for each page, with each view's calibrated probabilities."""
    cfg = fusion_config(clf)
    fused = views.fused(cfg)
    per_view: dict[str, np.ndarray] = {}
    if views.image_logits is not None and views.text_logits is not None:
        per_view["image"] = fuse_logits(views.image_logits, None, None, cfg)
        per_view["text"] = fuse_logits(None, views.text_logits, None, cfg)
    out = []
    for i in range(len(fused)):
        n_words = int(views.n_words[i]) if views.n_words[i] >= 0 else None
        out.append(decide(fused[i], clf.classes, cfg, n_words=n_words, ink=float(views.ink[i]),
                          views={k: v[i] for k, v in per_view.items()}))
    return out


# --------------------------------------------------------------------------- files


IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"}


def expand_paths(inputs: Sequence[str]) -> list[Path]:
    """Files and folders (searched recursively for images) -> image files; a clear error for bad paths."""
    files: list[Path] = []
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
            if not found:
                raise UsageError(f"{p} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise UsageError(f"{p} does not exist; give image files or folders of images")
    if not files:
        raise UsageError("no input: give image files or folders of images")
    return files


@dataclass
class FileResult:
    path: str
    decision: Decision | None
    error: str | None = None
    ocr_seconds: float | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.decision is None:
            return {"path": self.path, "label": None, "error": self.error}
        d = {"path": self.path, **self.decision.to_dict()}
        if self.ocr_seconds is not None:
            d["ocr_seconds"] = round(self.ocr_seconds, 3)
        return d


def classify_files(clf: Any, paths: Sequence[Path], batch_size: int = 32, cache_dir: str | None = None,
                   progress: bool = True) -> list[FileResult]:
    """Classify image files; an unreadable file gets an error entry instead of stopping the others."""
    from tqdm import tqdm

    from docclf.ocr import words_for_files
    from docclf.preprocess import BadImageError, letterbox, open_page_for_size

    pages, ok, results = [], [], [FileResult(str(p), None) for p in paths]
    for i, p in enumerate(tqdm(paths, desc="loading pages", unit="page", disable=not progress)):
        try:
            pages.append(letterbox(open_page_for_size(p, clf.preprocess.image_size), clf.preprocess))
            ok.append(i)
        except (BadImageError, OSError) as exc:
            results[i].error = f"cannot read image: {str(exc).splitlines()[0]}"
    if not ok:
        return results
    good = [paths[i] for i in ok]
    words: list[PageWords | None] = []
    if clf.reads:
        words = words_for_files(good, clf.ocr, cache_dir, use_sidecars=False, progress=progress)
    views = views_for_pages(clf, np.stack(pages), words, batch_size)
    for j, (i, d) in enumerate(zip(ok, decisions(clf, views))):
        results[i].decision = d
        if words and words[j] is not None:
            results[i].ocr_seconds = words[j].seconds
    return results


def format_table(results: Sequence[FileResult]) -> str:
    """A table: file, label (or why none), confidence."""
    width = min(60, max([len("file")] + [len(r.path) for r in results]))
    lines = [f"{'file':<{width}}  {'label':<18}{'confidence':>10}  note"]
    for r in results:
        path = r.path if len(r.path) <= width else "…" + r.path[-(width - 1):]
        if r.decision is None:
            lines.append(f"{path:<{width}}  {'-':<18}{'':>10}  {r.error}")
            continue
        d = r.decision
        label = d.label if d.label is not None else "(none)"
        lines.append(f"{path:<{width}}  {label:<18}{d.confidence:>10.3f}  {d.reason or ''}")
    return "\n".join(lines)
