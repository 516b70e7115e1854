"""The text view: what a page says and where, as hashed features, read by a linear model.

Features of a page's words (ground truth from the generator, or OCR):
  w:<word>            words, normalised (lower case, no accents, digits as 0)
  b:<word>_<word>     neighbouring words in reading order
  c:<trigram>         character trigrams of words: robust to OCR slips ("lnvoice") and languages
  p:<r><c>:<word>     a word in a 3x3 grid cell of the page ("total" bottom right, "abstract" top)
  l:<name>=<bucket>   layout: how many words and lines, text size, numbers, how much of the page is text
hashed into 2^18 slots (crc32: stable across processes and machines), each family weighted, the
page's vector L2-normalised, then multinomial logistic regression. Inference is numpy only (no
torch), so a lean ONNX worker can run it.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from docclf.config import StoredSettings

from docclf.ocr import PageWords

_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_DIGIT = re.compile(r"\d")
# OCR's usual slips, for simulating its noise on the generator's clean words
_CONFUSIONS = {"l": "1I|", "I": "l1|", "1": "lI", "O": "0D", "0": "OD", "o": "0ce", "e": "co", "c": "e",
               "rn": "m", "m": "rn", "S": "5", "5": "S", "B": "8", "8": "B", "a": "o", "u": "ii", "i": "l",
               "n": "ri", "h": "b", "t": "f", ",": ".", ".": ","}


@dataclass(frozen=True)
class TextConfig(StoredSettings):
    """Features and regularisation of the text view; stored in the checkpoint."""

    n_features: int = 1 << 18
    char_weight: float = 0.5
    position_weight: float = 0.7
    bigram_weight: float = 0.7
    layout_weight: float = 1.0
    c: float = 4.0  # inverse L2 strength of the logistic regression
    noise_copies: int = 2  # OCR-like noisy copies of each generated page added to training
    max_words: int = 2000
    idf: bool = True  # weight features by inverse document frequency (fitted on the training pages)
    char_max: int = 3  # character n-grams of 3..char_max letters


def normalise_word(text: str) -> str:
    """Lower case, accents and surrounding punctuation removed, digits as 0 ("2019," -> "0000")."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch)).lower()
    t = _PUNCT.sub("", t)
    return _DIGIT.sub("0", t)


def _bucket(value: float, edges: Sequence[float]) -> int:
    return sum(value > e for e in edges)


def _layout_features(page: PageWords, tokens: list[str]) -> list[str]:
    words = page.words
    n = len(words)
    if n == 0:
        return ["l:empty"]
    heights = sorted(w[4] - w[2] for w in words)
    median_h = heights[n // 2]
    numeric = sum(any(ch == "0" for ch in t) for t in tokens) / max(1, len(tokens))
    lines = len({round(((w[2] + w[4]) / 2) / max(median_h, 1e-3)) for w in words})
    x0, y0 = min(w[1] for w in words), min(w[2] for w in words)
    x1, y1 = max(w[3] for w in words), max(w[4] for w in words)
    area = sum((w[3] - w[1]) * (w[4] - w[2]) for w in words)
    left = sum((w[1] + w[3]) < 0.66 for w in words) / n
    aspect = "land" if page.size[0] > page.size[1] else "port"
    return [f"l:n={_bucket(n, (5, 15, 40, 100, 200, 400, 700))}",
            f"l:lines={_bucket(lines, (3, 8, 15, 30, 50, 70))}",
            f"l:h={_bucket(median_h, (0.008, 0.011, 0.015, 0.02, 0.03, 0.045))}",
            f"l:num={_bucket(numeric, (0.05, 0.12, 0.2, 0.3, 0.45))}",
            f"l:wpl={_bucket(n / max(1, lines), (2, 4, 7, 10, 14))}",
            f"l:cover={_bucket((x1 - x0) * (y1 - y0), (0.1, 0.25, 0.45, 0.65))}",
            f"l:ink={_bucket(area, (0.01, 0.03, 0.06, 0.1, 0.16))}",
            f"l:left={_bucket(left, (0.3, 0.5, 0.7, 0.9))}",
            f"l:aspect={aspect}", f"l:aspect={aspect}:n={_bucket(n, (15, 60, 200))}"]


def page_features(page: PageWords, cfg: TextConfig, idf: np.ndarray | None = None) -> dict[int, float]:
    """Hashed, weighted, L2-normalised feature vector of one page: {slot: value} (idf-weighted if given)."""
    counts: dict[str, float] = {}

    def add(name: str, weight: float) -> None:
        counts[name] = counts.get(name, 0.0) + weight

    tokens: list[str] = []
    for w in page.words[: cfg.max_words]:
        tok = normalise_word(str(w[0]))
        if not tok:
            continue
        tokens.append(tok)
        add("w:" + tok, 1.0)
        cx, cy = (w[1] + w[3]) / 2, (w[2] + w[4]) / 2
        add(f"p:{min(2, int(cy * 3))}{min(2, int(cx * 3))}:{tok}", cfg.position_weight)
        if len(tok) >= 3 and cfg.char_weight:
            padded = f"<{tok}>"
            for n in range(3, cfg.char_max + 1):
                for i in range(len(padded) - n + 1):
                    add("c:" + padded[i:i + n], cfg.char_weight / len(tok))
    for a, b in zip(tokens, tokens[1:]):
        add(f"b:{a}_{b}", cfg.bigram_weight)
    for name in _layout_features(page, tokens):
        add(name, cfg.layout_weight * 3)  # one of each: weighted up against hundreds of word counts
    vec: dict[int, float] = {}
    for name, count in counts.items():
        slot = zlib.crc32(name.encode()) % cfg.n_features
        vec[slot] = vec.get(slot, 0.0) + (1.0 + math.log(count) if count >= 1 else count)
    if idf is not None:
        vec = {k: v * float(idf[k]) for k, v in vec.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


def _csr(vectors: list[dict[int, float]], n_features: int) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for vec in vectors:
        indices.extend(vec.keys())
        data.extend(vec.values())
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, np.float32), np.asarray(indices, np.int64), np.asarray(indptr)),
                      shape=(len(vectors), n_features))


# --------------------------------------------------------------------------- OCR-like noise


def _garble(word: str, rng: random.Random, p: float) -> str:
    out, i = [], 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in _CONFUSIONS and rng.random() < p:
            out.append(rng.choice(_CONFUSIONS[pair].split("|") if "|" in _CONFUSIONS[pair] else [_CONFUSIONS[pair]]))
            i += 2
            continue
        ch = word[i]
        if ch in _CONFUSIONS and rng.random() < p:
            out.append(rng.choice(_CONFUSIONS[ch]))
        elif rng.random() < p / 4:
            pass  # a dropped character
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def simulate_ocr(page: PageWords, rng: random.Random) -> PageWords:
    """A copy of a page's clean words as OCR might return them: missed, split, merged and misread words."""
    drop = rng.uniform(0.0, 0.35)
    garble = rng.uniform(0.0, 0.08)
    small_drop = rng.uniform(0.0, 0.8)  # small print is what OCR loses first on a low-res scan
    heights = sorted(w[4] - w[2] for w in page.words) or [0.0]
    small = heights[len(heights) // 5]
    words = []
    for w in page.words:
        if rng.random() < drop or (w[4] - w[2] <= small and rng.random() < small_drop):
            continue
        text = _garble(str(w[0]), rng, garble)
        if not text:
            continue
        if len(text) > 5 and rng.random() < garble:
            cut = rng.randrange(2, len(text) - 2)
            mid = w[1] + (w[3] - w[1]) * cut / len(text)
            words += [[text[:cut], w[1], w[2], mid, w[4], 60.0], [text[cut:], mid, w[2], w[3], w[4], 60.0]]
            continue
        if words and rng.random() < garble / 2:
            prev = words[-1]
            words[-1] = [prev[0] + text, prev[1], prev[2], w[3], w[4], 60.0]
            continue
        words.append([text, *w[1:5], 80.0])
    return PageWords(size=page.size, words=words, source="simulated-ocr")


# --------------------------------------------------------------------------- the model


@dataclass
class TextView:
    """A trained text classifier: weights (F, C), bias (C,), its feature config and classes."""

    weights: np.ndarray
    bias: np.ndarray
    classes: list[str]
    cfg: TextConfig
    idf: np.ndarray | None = None  # (F,) float32, or None

    def logits(self, pages: Sequence[PageWords | None]) -> np.ndarray:
        """(N, C) logits; a page without words gets all zeros (no opinion)."""
        out = np.zeros((len(pages), len(self.classes)), np.float32)
        for i, page in enumerate(pages):
            if page is None or not page.words:
                continue
            vec = page_features(page, self.cfg, self.idf)
            idx = np.fromiter(vec.keys(), np.int64, len(vec))
            val = np.fromiter(vec.values(), np.float32, len(vec))
            out[i] = val @ self.weights[idx] + self.bias
        return out

    def proba(self, pages: Sequence[PageWords | None]) -> np.ndarray:
        """Uncalibrated probabilities (the fusion config holds the fitted temperature)."""
        return softmax(self.logits(pages))

    def state(self) -> dict[str, Any]:
        """Plain data and arrays for a checkpoint (only the non-zero weight rows are kept)."""
        rows = np.flatnonzero(np.abs(self.weights).sum(1))
        st = {"format": "docclf.textview/1", "classes": list(self.classes), "config": self.cfg.to_dict(),
              "rows": rows.astype(np.int64), "row_weights": self.weights[rows].astype(np.float32),
              "bias": self.bias.astype(np.float32)}
        if self.idf is not None:  # unseen features have no weight but count in the page's norm: keep their idf
            st["row_idf"] = self.idf[rows].astype(np.float32)
            st["idf_unseen"] = float(self.idf.max())
        return st

    @classmethod
    def from_state(cls, st: dict[str, Any]) -> "TextView":
        cfg = TextConfig.from_dict(st["config"])
        rows, row_w = np.asarray(st["rows"]), np.asarray(st["row_weights"], np.float32)
        weights = np.zeros((cfg.n_features, len(st["classes"])), np.float32)
        weights[rows] = row_w
        idf = None
        if st.get("row_idf") is not None:
            idf = np.full(cfg.n_features, float(st.get("idf_unseen", 1.0)), np.float32)
            idf[rows] = np.asarray(st["row_idf"], np.float32)
        return cls(weights, np.asarray(st["bias"], np.float32), list(st["classes"]), cfg, idf)


    def save(self, path: str | Path) -> None:
        """Write the text view as an .npz an ONNX server reads without torch."""
        import json

        st = self.state()
        extra = {"row_idf": st["row_idf"], "idf_unseen": np.float32(st["idf_unseen"])} if "row_idf" in st else {}
        np.savez_compressed(path, rows=st["rows"], row_weights=st["row_weights"], bias=st["bias"], **extra,
                            meta=np.frombuffer(json.dumps({"classes": st["classes"], "config": st["config"]}).encode(),
                                               np.uint8))

    @classmethod
    def load(cls, path: str | Path) -> "TextView":
        import json

        with np.load(path) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            return cls.from_state({"classes": meta["classes"], "config": meta["config"], "rows": z["rows"],
                                   "row_weights": z["row_weights"], "bias": z["bias"],
                                   "row_idf": z["row_idf"] if "row_idf" in z.files else None,
                                   "idf_unseen": float(z["idf_unseen"]) if "idf_unseen" in z.files else 1.0})


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_text_view(pages: Sequence[PageWords], labels: Sequence[int], classes: list[str],
                  cfg: TextConfig | None = None, seed: int = 0, simulate_noise: bool = True) -> TextView:
    """Train the text view; generated pages get `noise_copies` OCR-like copies each."""
    from sklearn.linear_model import LogisticRegression

    cfg = cfg or TextConfig()
    rng = random.Random(seed)
    vectors, ys = [], []
    for page, y in zip(pages, labels):
        variants = [page]
        if simulate_noise and page.source == "generator":
            variants += [simulate_ocr(page, rng) for _ in range(cfg.noise_copies)]
        for v in variants:
            vectors.append(page_features(v, cfg))
            ys.append(y)
    x = _csr(vectors, cfg.n_features)
    idf = None
    if cfg.idf:  # smooth idf as scikit-learn's TfidfTransformer; rows re-normalised after weighting
        from sklearn.preprocessing import normalize

        df = np.bincount(x.indices, minlength=cfg.n_features)
        idf = (np.log((1 + x.shape[0]) / (1 + df)) + 1).astype(np.float32)
        x = normalize(x.multiply(idf[None, :]).tocsr())
    # Fit on the hashed columns that occur: a column of zeros only adds its own L2 term, whose optimum
    # is a zero weight, so the solution is the same while lbfgs no longer walks 2^18 x C coefficients.
    used = np.unique(x.indices)
    clf = LogisticRegression(C=cfg.c, max_iter=300, tol=1e-4)
    clf.fit(x[:, used], np.asarray(ys))
    weights = np.zeros((cfg.n_features, len(classes)), np.float32)
    bias = np.full(len(classes), -20.0, np.float32)  # a class never seen in training is never predicted
    present = [int(c) for c in clf.classes_]
    # two classes: sklearn keeps one row, the logit of the second class against the first
    coef = clf.coef_ if len(present) > 2 else np.vstack([np.zeros_like(clf.coef_[0]), clf.coef_[0]])
    intercept = clf.intercept_ if len(present) > 2 else np.array([0.0, clf.intercept_[0]])
    for j, c in enumerate(present):
        weights[used, c] = coef[j]
        bias[c] = intercept[j]
    return TextView(weights, bias, list(classes), cfg, idf)
