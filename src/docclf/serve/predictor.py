"""Predictors: decoded pages in, class probabilities out, on ONNX Runtime or PyTorch.

Both backends share `prepare` (numpy and Pillow: `preprocess.letterbox` and `normalize_array`,
bit-identical to what evaluation feeds the model) and `_postprocess`; only `_predict` differs. torch is imported by
`TorchPredictor` alone, so a worker serving an ONNX file never loads it (about 1 GB of RSS less).
A predictor is immutable once built, so request threads can use one while a reload builds the next.

The text seam: `prepare` also reads a page's words when the predictor has a `reader` (OCR for a
model with a text view), within `text_budget_s` per request; image-only models skip it.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PIL import Image

from docclf.clock import now_iso
from docclf.preprocess import PreprocessConfig, letterbox, normalize_array, open_page_for_size

if TYPE_CHECKING:
    from docclf.fusion import FusionConfig
    from docclf.modeling import Classifier
    from docclf.ocr import OcrConfig


@dataclass(frozen=True)
class ModelInfo:
    """Where the served model came from; `GET /model` shows it and every answer carries name/version/uri."""

    name: str
    version: str
    uri: str  # what the operator asked for (models:/doc_classifier/Production)
    resolved_uri: str  # what was loaded (models:/doc_classifier/3)
    stage: str | None = None
    alias: str | None = None
    architecture: str = ""
    run_id: str | None = None
    loaded_at: str = ""

    @staticmethod
    def now() -> str:
        return now_iso()

    def short(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "uri": self.resolved_uri}


@dataclass(frozen=True)
class Prediction:
    """One page's answer. label is None when the model abstains ("none of these"), with the reason."""

    label: str | None
    confidence: float
    probabilities: dict[str, float]
    abstain_reason: str | None = None
    views: dict[str, dict[str, float]] | None = None  # each view's calibrated probabilities (reading models)
    ocr_seconds: float | None = None  # time spent reading the page (reading models)

    def to_dict(self) -> dict[str, Any]:
        """The response fields: label always, the optional ones only when they say something."""
        return {k: v for k, v in asdict(self).items() if v is not None or k == "label"}


class TextReader(Protocol):
    """Reads a page's words (OCR) from the upload's bytes or a decoded page, giving up after `timeout_s`."""

    def __call__(self, source: bytes | Image.Image, timeout_s: float) -> Any: ...


@dataclass(frozen=True)
class Prepared:
    """One page made ready for the model: its pixels and, for a model that reads, its words."""

    letterboxed: np.ndarray  # (S, S, 3) uint8: the page as evaluation caches it (its ink decides blank pages)
    pixels: np.ndarray  # (1, 3, S, S) float32
    words: Any = None  # what the reader returned (ocr.PageWords); None without a reader or past the budget


class Predictor:
    """The model behind the API: `predict(pages)` runs prepare -> _predict -> _postprocess."""

    backend = "none"

    def __init__(self, classes: list[str], pcfg: PreprocessConfig, info: ModelInfo,
                 reader: TextReader | None = None, text_budget_s: float = 10.0, text_view: Any = None,
                 fusion: "FusionConfig | None" = None):
        from docclf.fusion import FusionConfig

        self.classes = list(classes)
        self.pcfg = pcfg
        self.info = info
        self.reader = reader
        self.text_budget_s = text_budget_s
        self.text_view = text_view  # docclf.textview.TextView: the model reads pages (OCR) when set
        # a model from before calibration has no fusion settings: it never abstains on confidence
        self.fusion = fusion or FusionConfig(abstain_below=0.0)

    def with_reading(self, text_view: Any, ocr: "OcrConfig | None", fusion: "FusionConfig | None",
                     text_budget_s: float | None = None) -> "Predictor":
        """Give the predictor a model's text view, OCR and fusion settings (returns self)."""
        self.text_view = text_view
        if fusion is not None:
            self.fusion = fusion
        if text_view is not None and ocr is not None:
            self.reader = ocr_reader(ocr)
        if text_budget_s is not None:
            self.text_budget_s = text_budget_s
        return self

    @property
    def views_used(self) -> list[str]:
        return ["image", "text"] if self.text_view is not None else ["image"]

    def predict(self, pages: list[Image.Image]) -> list[Prediction]:
        """Classify decoded pages (from `preprocess.open_page*`), in order."""
        return self.predict_prepared([self.prepare(page) for page in pages])

    def prepare(self, page: Image.Image, source: bytes | None = None, deadline: float | None = None) -> Prepared:
        """One page -> its model input (and words), so a batch can drop each big page once it is letterboxed.

        `source` (the upload's bytes) lets the reader decode at its own resolution; `deadline`
        (time.monotonic()) ends reading early for the last pages of a slow batch.
        """
        box = letterbox(page, self.pcfg)
        return Prepared(box, normalize_array(box[None], self.pcfg), self._read(page, source, deadline))

    def _read(self, page: Image.Image, source: bytes | None, deadline: float | None) -> Any:
        """The text seam: the page's words within the time left, or None (the image view answers alone)."""
        if self.reader is None:
            return None
        budget = self.text_budget_s if deadline is None else min(self.text_budget_s, deadline - time.monotonic())
        return self.reader(source if source is not None else page, budget) if budget > 0 else None

    def predict_prepared(self, inputs: list[Prepared]) -> list[Prediction]:
        """Classify inputs from `prepare` in one forward pass (rows are independent: same as `predict`)."""
        if not inputs:
            return []
        x = np.concatenate([p.pixels for p in inputs]) if len(inputs) > 1 else inputs[0].pixels
        return self._postprocess(self._predict(x), inputs)

    def _predict(self, x: np.ndarray) -> np.ndarray:
        """(B, 3, S, S) float32 -> (B, C) logits."""
        raise NotImplementedError

    def _postprocess(self, logits: np.ndarray, inputs: list[Prepared]) -> list[Prediction]:
        """Fuse the image logits with the text view (if any), then answer or abstain (docclf.fusion)."""
        from docclf.fusion import decide, fuse_logits
        from docclf.predict import ink_of

        words = [p.words for p in inputs]
        has_text = np.array([w is not None and bool(w.words) for w in words])
        text = self.text_view.logits(words) if self.text_view is not None else None
        fused = fuse_logits(logits, text, has_text, self.fusion)
        views = {}
        if text is not None:
            views = {"image": fuse_logits(logits, None, None, self.fusion),
                     "text": fuse_logits(None, text, None, self.fusion)}
        ink = ink_of([p.letterboxed for p in inputs])  # as evaluation measures it: blank pages abstain
        out = []
        for i, w in enumerate(words):
            n_words = len(w.words) if w is not None else None
            d = decide(fused[i], self.classes, self.fusion, n_words=n_words, ink=float(ink[i]),
                       views={k: v[i] for k, v in views.items()})
            out.append(Prediction(d.label, round(d.confidence, 6), {c: round(p, 6) for c, p in d.probabilities.items()},
                                  d.reason, {k: {c: round(p, 6) for c, p in v.items()} for k, v in d.views.items()}
                                  if d.views else None,
                                  round(w.seconds, 3) if w is not None else None))
        return out

    def warm_up(self) -> None:
        """One prediction on a blank page: loads lazy kernels and proves the model answers."""
        page = Image.new("RGB", (self.pcfg.image_size * 3 // 4, self.pcfg.image_size), "white")
        pred = self.predict([page])[0]
        total = sum(pred.probabilities.values())  # below 1 when a none-of-these class is left out
        if not np.isfinite(total) or total > 1.0 + 1e-3 or total < 0:
            raise RuntimeError(f"warm-up prediction is not a probability distribution (sum {total})")

    def describe(self) -> dict[str, Any]:
        """What `GET /model` shows."""
        return {**asdict(self.info), "backend": self.backend,
                "classes": [c for c in self.classes if c != self.fusion.reject_class],
                "input_size": [3, self.pcfg.image_size, self.pcfg.image_size],
                "preprocess": self.pcfg.to_dict(), "views": self.views_used,
                "abstain_below": self.fusion.abstain_below,
                "reject_above": self.fusion.reject_above if self.fusion.reject_class else None,
                "wordless_classes": None if self.fusion.wordless_classes is None else
                [c for c in self.fusion.wordless_classes if c != self.fusion.reject_class]}


class TorchPredictor(Predictor):
    """PyTorch eager model (channels_last, like evaluation)."""

    backend = "torch"

    def __init__(self, clf: "Classifier", info: ModelInfo):
        import torch

        super().__init__(clf.classes, clf.preprocess, info)
        self.with_reading(clf.text_view, clf.ocr, clf.fusion)
        self.model = clf.model.eval().to(memory_format=torch.channels_last)

    def _predict(self, x: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode():
            return self.model(torch.from_numpy(x).contiguous(memory_format=torch.channels_last)).float().numpy()


class OnnxPredictor(Predictor):
    """An exported ONNX model (export.py: logits out) on ONNX Runtime's CPU provider."""

    backend = "onnx"

    def __init__(self, onnx_path: str | Path, classes: list[str], pcfg: PreprocessConfig, info: ModelInfo,
                 threads: int = 0):
        import onnxruntime as ort

        super().__init__(classes, pcfg, info)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads  # 0 = ORT's default (all cores)
        opts.inter_op_num_threads = 1
        # Idle ORT threads spin by default; in a server they would steal the cores that other requests
        # decode on (measured: preprocessing 3 ms -> 66 ms with 2 spinning threads on 2 busy cores).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # ORT's arena and memory patterns keep the peak of every batch size seen (batch 32 at 224 px:
        # RSS 265 MB vs 133 MB without, for a similar speed): a worker's memory should not ratchet up.
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.onnx_path = str(onnx_path)

    def _predict(self, x: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input_name: x})[0]

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "onnx_path": self.onnx_path}


def ocr_reader(cfg: "OcrConfig") -> TextReader:
    """A `TextReader` over Tesseract (docclf.ocr): an upload is decoded at OCR's size (JPEG: reduced scale)."""
    from docclf.ocr import Reader

    reader = Reader(cfg)

    def read(source: bytes | Image.Image, timeout_s: float) -> Any:
        page = open_page_for_size(source, cfg.long_side) if isinstance(source, bytes) else source
        return reader.read(page, timeout_s)

    return read
