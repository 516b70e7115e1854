"""Combining the views, calibrating them and abstaining: numpy only, shared by evaluate, predict and serving.

Each view gives class probabilities: the image network (how the page looks) and the text view
(what it says, where). They fail on different pages, so the fused answer is their product with
each view's temperature fitted on the validation split (a calibrated product of experts):
    p(c) ∝ p_image(c)^w_image · p_text(c)^w_text
A page with no readable words leaves the text view out. A page the model should not name
(a form, a receipt, a blank page, a class it was never taught) gets label None and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from docclf.config import StoredSettings

BLANK_MIN_WORDS = 3  # fewer words than this and an almost white page: nothing to classify
BLANK_INK = 0.004  # share of dark pixels under which a page counts as blank
# ... when OCR found next to no words: a scanned blank page carries specks, a shadow and tilted edges (the real dev
# set's scanned near-blank pages hold 0.4-1.6% "ink"), while the sparsest real in-class page with under 3 words
# held 15% (a picture slide)
BLANK_INK_FEW_WORDS = 0.02


@dataclass
class FusionConfig(StoredSettings):
    """How the views combine and when to abstain; stored in the checkpoint, shown in the run."""

    # The generated pages' look carries over to real pages less well than their words: on the real dev
    # set, halving the image view's say raised fused accuracy on scanned pages 0.797 -> 0.836.
    image_weight: float = 0.5
    text_weight: float = 1.0
    image_temperature: float = 1.0
    text_temperature: float = 1.0
    image_temperature_fitted: float | None = None  # what validation asked for, before the floor (if any)
    abstain_below: float = 0.4  # best known class's share of the known classes under this -> label None
    reject_class: str | None = None  # a trained "none of these" class (e.g. "other"): answered as None
    # ... when its probability reaches this. Not 0.5: a "none of these" class drawn from many kinds of page
    # leaves real in-class pages with a share of it; with generator 1.9 (three trainings, real dev set, clean /
    # scanned) 0.8 against 0.5 answered more in-class pages (accuracy 0.877 / 0.873 -> 0.925 / 0.905, abstaining
    # on 8.0 / 7.5% -> 2.8 / 3.3%) and still abstained on 73 / 73% of the out-of-class pages (82 / 81% at 0.5).
    # 0.85 since the image view's temperature has a floor (three trainings: 0.8 abstained on 4.2 / 5.4% of
    # in-class pages and 81 / 78% of out-of-class ones, 0.85 on 3.9 / 4.4% and 80 / 77%)
    reject_above: float = 0.85
    # Classes whose validation pages sometimes carry (next to) no words, as OCR would read them: on a page where
    # OCR finds fewer than BLANK_MIN_WORDS words only these are answered (generated slides include picture
    # slides; generated invoices, letters, CVs and papers always carry words). A logo-only page or a blank form
    # the image view calls a paper is no paper if nothing on it can be read. None: no such rule (image-only
    # models, models from before it).
    wordless_classes: list[str] | None = None


@dataclass
class Decision:
    """One page's answer: label (None when abstaining), confidence, probabilities per view."""

    label: str | None
    confidence: float
    probabilities: dict[str, float]
    reason: str | None = None
    views: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "confidence": round(self.confidence, 6),
                             "probabilities": {k: round(v, 6) for k, v in self.probabilities.items()}}
        if self.reason:
            d["abstain_reason"] = self.reason
        if self.views:
            d["views"] = {k: {c: round(p, 6) for c, p in v.items()} for k, v in self.views.items()}
        return d


def log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def fuse_logits(image_logits: np.ndarray | None, text_logits: np.ndarray | None, has_text: np.ndarray | None,
                cfg: FusionConfig) -> np.ndarray:
    """(N, C) fused probabilities from either or both views' logits; rows without text use the image alone."""
    if image_logits is None and text_logits is None:
        raise ValueError("fuse_logits needs at least one view")
    img = None if image_logits is None else log_softmax(np.asarray(image_logits, np.float64) / cfg.image_temperature)
    txt = None if text_logits is None else log_softmax(np.asarray(text_logits, np.float64) / cfg.text_temperature)
    if img is None or txt is None:  # one view: its own calibrated probabilities, no weighting
        return np.exp(img if txt is None else txt)
    both = np.ones(len(img), bool) if has_text is None else np.asarray(has_text, bool)
    # rows without words: the text view abstains and the image view answers alone, unweighted
    fused = np.where(both[:, None], cfg.image_weight * img + cfg.text_weight * txt, img)
    return np.exp(log_softmax(fused))


# --------------------------------------------------------------------------- calibration


def fit_temperature(logits: np.ndarray, labels: np.ndarray, lo: float = 0.05, hi: float = 20.0) -> float:
    """The temperature minimising validation NLL (golden-section search over log T: NLL is unimodal in it)."""
    logits = np.asarray(logits, np.float64)
    labels = np.asarray(labels)
    if len(labels) == 0:
        return 1.0

    def nll(log_t: float) -> float:
        lp = log_softmax(logits / np.exp(log_t))
        return float(-lp[np.arange(len(labels)), labels].mean())

    a, b = np.log(lo), np.log(hi)
    g = (np.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    for _ in range(60):
        if nll(c) < nll(d):
            b = d
        else:
            a = c
        c, d = b - g * (b - a), a + g * (b - a)
    return float(np.exp((a + b) / 2))


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, n_bins: int = 15) -> float:
    """ECE: the confidence-weighted gap between confidence and accuracy over equal-width bins."""
    probs = np.asarray(probs, np.float64)
    labels = np.asarray(labels)
    if len(labels) == 0:
        return 0.0
    conf = probs.max(1)
    correct = (probs.argmax(1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - conf[in_bin].mean())
    return float(ece)


# --------------------------------------------------------------------------- decisions


def ink_share(gray_small: np.ndarray) -> float:
    """Share of dark pixels of a small greyscale rendering of the page (uint8)."""
    g = np.asarray(gray_small)
    if g.size == 0:
        return 0.0
    # relative to the page's own paper colour, so grey scans and dark borders do not count as ink
    paper = np.percentile(g, 90)
    # 40 grey levels: small print letterboxed to 224 px is light grey (a sparse real letter had 0.5% of
    # pixels 80 levels under its paper and 2% at 40: the first is too close to a blank page)
    return float((g < paper - 40).mean())


def known_argmax(probs: np.ndarray, classes: Sequence[str], cfg: FusionConfig) -> np.ndarray:
    """(N,) the class each page is answered as: the most probable known class, or the none-of-these
    class where its probability reaches `reject_above` (as `decide` rejects)."""
    p = np.array(probs, np.float64, copy=True)
    if cfg.reject_class not in classes:
        return p.argmax(1)
    r = list(classes).index(cfg.reject_class)
    rejected = p[:, r] >= cfg.reject_above
    p[:, r] = -1.0
    return np.where(rejected, r, p.argmax(1))


def _shares(probs: np.ndarray, keep: list[int]) -> list[float]:
    """The known classes' probabilities renormalised to sum to 1.

    The none-of-these class has its own test (`reject_above`); leaving its mass in would make a page
    it half-claims fail the confidence test too, rejecting twice (on the real dev set that abstained
    on 1-2% more real in-class pages at the same rate on out-of-class ones).
    """
    known = np.asarray(probs, np.float64)[keep]
    total = known.sum()
    return [float(x) for x in (known / total if total > 0 else known)]


def decide(probs: np.ndarray, classes: Sequence[str], cfg: FusionConfig, n_words: int | None = None,
           ink: float | None = None, views: dict[str, np.ndarray] | None = None) -> Decision:
    """The answer for one page from its fused probabilities (C,), abstaining when it should."""
    probs = np.asarray(probs, np.float64)
    classes = list(classes)
    shown = [c for c in classes if c != cfg.reject_class]
    keep = [classes.index(c) for c in shown]
    p_shown = dict(zip(shown, _shares(probs, keep)))
    view_probs = {name: dict(zip(shown, _shares(v, keep))) for name, v in (views or {}).items()}
    best_shown = max(p_shown, key=p_shown.get) if p_shown else None
    conf = p_shown.get(best_shown, 0.0) if best_shown else 0.0
    p_reject = float(probs[classes.index(cfg.reject_class)]) if cfg.reject_class in classes else 0.0
    reason = None
    if ink is not None and (ink < BLANK_INK if n_words is None else
                            n_words < BLANK_MIN_WORDS and ink < BLANK_INK_FEW_WORDS):
        reason = "the page is blank or almost blank"
    elif p_reject >= cfg.reject_above:
        reason = f"looks like none of the known classes (closest: {best_shown})"
        # the confidence of the answer given, none of these: the closest class's share of the known
        # classes would read as a sure answer beside a null label
        conf = p_reject
    elif (n_words is not None and n_words < BLANK_MIN_WORDS and cfg.wordless_classes is not None
          and best_shown not in cfg.wordless_classes):
        reason = (f"no words could be read ({n_words} found), and the closest class, {best_shown} ({conf:.2f}), "
                  f"always carries text")
    elif conf < cfg.abstain_below:
        reason = (f"not confident enough: {best_shown} at {conf:.2f}, under the abstain threshold "
                  f"{cfg.abstain_below:.2f}")
    return Decision(None if reason else best_shown, conf, p_shown, reason, view_probs)
