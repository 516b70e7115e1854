"""Predictors: decoded pages in, class probabilities out, on ONNX Runtime or PyTorch.

Both backends share `_preprocess` (the training evaluation's `preprocess`, one code path) and
`_postprocess`; only `_predict` differs. A predictor is immutable once built, so request
threads can use one while a reload builds the next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from docclf.modeling import Classifier
from docclf.preprocess import PreprocessConfig, preprocess


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
        return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

    def short(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "uri": self.resolved_uri}


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float
    probabilities: dict[str, float]


class Predictor:
    """The model behind the API: `predict(pages)` runs _preprocess -> _predict -> _postprocess."""

    backend = "none"

    def __init__(self, classes: list[str], pcfg: PreprocessConfig, info: ModelInfo):
        self.classes = list(classes)
        self.pcfg = pcfg
        self.info = info

    def predict(self, pages: list[Image.Image]) -> list[Prediction]:
        """Classify decoded RGB pages (from `preprocess.open_page*`), in order."""
        if not pages:
            return []
        return self._postprocess(self._predict(self._preprocess(pages)))

    def prepare(self, page: Image.Image) -> Any:
        """One page -> its (1, 3, S, S) input, so a batch can drop each big page once it is letterboxed."""
        return self._preprocess([page])

    def predict_prepared(self, inputs: list[Any]) -> list[Prediction]:
        """Classify inputs from `prepare` in one forward pass (rows are independent: same as `predict`)."""
        if not inputs:
            return []
        return self._postprocess(self._predict(self._concat(inputs)))

    def _preprocess(self, pages: list[Image.Image]) -> torch.Tensor:
        # (B, 3, S, S) float32, exactly what evaluation feeds the model
        return preprocess(pages, self.pcfg)

    def _concat(self, inputs: list[Any]) -> Any:
        return torch.cat(inputs) if len(inputs) > 1 else inputs[0]

    def _predict(self, x: torch.Tensor) -> np.ndarray:  # (B, C) probabilities
        raise NotImplementedError

    def _postprocess(self, probs: np.ndarray) -> list[Prediction]:
        out = []
        for row in probs.astype(np.float64):
            best = int(row.argmax())
            out.append(Prediction(self.classes[best], round(float(row[best]), 6),
                                  {c: round(float(p), 6) for c, p in zip(self.classes, row)}))
        return out

    def warm_up(self) -> None:
        """One prediction on a blank page: loads lazy kernels and proves the model answers."""
        page = Image.new("RGB", (self.pcfg.image_size * 3 // 4, self.pcfg.image_size), "white")
        pred = self.predict([page])[0]
        total = sum(pred.probabilities.values())
        if not np.isfinite(total) or abs(total - 1.0) > 1e-3:
            raise RuntimeError(f"warm-up prediction is not a probability distribution (sum {total})")

    def describe(self) -> dict[str, Any]:
        """What `GET /model` shows."""
        return {**asdict(self.info), "backend": self.backend, "classes": self.classes,
                "input_size": [3, self.pcfg.image_size, self.pcfg.image_size],
                "preprocess": self.pcfg.to_dict()}


class TorchPredictor(Predictor):
    """PyTorch eager model (channels_last, like evaluation)."""

    backend = "torch"

    def __init__(self, clf: Classifier, info: ModelInfo):
        super().__init__(clf.classes, clf.preprocess, info)
        self.model = clf.model.eval().to(memory_format=torch.channels_last)

    def _preprocess(self, pages: list[Image.Image]) -> torch.Tensor:
        return super()._preprocess(pages).contiguous(memory_format=torch.channels_last)

    @torch.inference_mode()
    def _predict(self, x: torch.Tensor) -> np.ndarray:
        x = x.contiguous(memory_format=torch.channels_last)  # no-op unless torch.cat changed the layout
        return self.model(x).float().softmax(dim=1).numpy()


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
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        self.onnx_path = str(onnx_path)

    def _preprocess(self, pages: list[Image.Image]) -> np.ndarray:  # type: ignore[override]
        return super()._preprocess(pages).contiguous().numpy()

    def _concat(self, inputs: list[Any]) -> np.ndarray:
        return np.concatenate(inputs) if len(inputs) > 1 else inputs[0]

    def _predict(self, x: np.ndarray) -> np.ndarray:  # type: ignore[override]
        out = self.session.run(None, {self.input_name: x})[0].astype(np.float32)  # (B, C) logits
        e = np.exp(out - out.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "onnx_path": self.onnx_path}
