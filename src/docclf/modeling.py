"""Models over timm: names users type, pretrained weights when they can be had, preprocessing."""

from __future__ import annotations

import logging
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import torch
from torch import nn

from docclf.config import MODEL_ALIASES
from docclf.errors import UsageError
from docclf.preprocess import PreprocessConfig

log = logging.getLogger(__name__)

HUB_HOST = ("huggingface.co", 443)


def resolve_model_name(name: str) -> str:
    """Short name or timm name -> timm name; a one-line error listing the choices otherwise."""
    import timm

    if name in MODEL_ALIASES:
        return MODEL_ALIASES[name]
    if timm.is_model(name):
        return name
    raise UsageError(f"unknown model {name!r}; supported: {', '.join(MODEL_ALIASES)} "
                     "(or any timm model name, see `timm.list_models()`)")


@dataclass
class PretrainedStatus:
    loaded: bool
    message: str


@contextmanager
def _hub_offline() -> Iterator[None]:
    """Make huggingface_hub look in its cache only (otherwise it retries for ~45 s offline)."""
    import huggingface_hub.constants as hub

    before = hub.HF_HUB_OFFLINE
    hub.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        hub.HF_HUB_OFFLINE = before


def _hub_reachable(timeout: float = 3.0) -> bool:
    try:
        socket.create_connection(HUB_HOST, timeout=timeout).close()
        return True
    except OSError:
        return False


def create_model(name: str, num_classes: int, pretrained: str = "auto") -> tuple[nn.Module, PretrainedStatus]:
    """Build a timm classifier. pretrained: auto (use ImageNet weights if loadable), on, off."""
    import timm

    timm_name = resolve_model_name(name)
    if pretrained == "off":
        model = timm.create_model(timm_name, pretrained=False, num_classes=num_classes)
        return model, PretrainedStatus(False, "random initialisation (--pretrained off)")
    errors = []
    for source in ("cache", "network"):
        if source == "network" and not _hub_reachable():
            errors.append("the model hub is not reachable")
            break
        try:
            if source == "cache":
                with _hub_offline():
                    model = timm.create_model(timm_name, pretrained=True, num_classes=num_classes)
            else:
                model = timm.create_model(timm_name, pretrained=True, num_classes=num_classes)
            return model, PretrainedStatus(True, f"ImageNet weights loaded from {source}")
        except Exception as exc:  # timm/hub raise many types; any failure means "not available"
            errors.append(f"{source}: {type(exc).__name__}")
    reason = "; ".join(errors)
    if pretrained == "on":
        raise UsageError(f"--pretrained on, but ImageNet weights for {timm_name} could not be "
                         f"loaded ({reason}); use --pretrained auto or off")
    model = timm.create_model(timm_name, pretrained=False, num_classes=num_classes)
    return model, PretrainedStatus(False, f"random initialisation: pretrained weights unavailable ({reason})")


def preprocess_config_for(model: nn.Module, image_size: int, resize_mode: str = "pad") -> PreprocessConfig:
    """The model's own normalisation (timm data config) at the requested input size."""
    import timm.data

    data_cfg = timm.data.resolve_model_data_config(model)
    return PreprocessConfig(image_size=image_size, mean=tuple(data_cfg["mean"]), std=tuple(data_cfg["std"]),
                            resize_mode=resize_mode)


# --------------------------------------------------------------------------- inference bundles


@dataclass
class Classifier:
    """A model with everything needed to use it: classes, preprocessing and where it came from.

    modality "image" uses `model` alone; "text" uses `text_view` (words from OCR) alone; "fusion"
    combines both as `fusion` says (docclf.fusion). `model` is None for a text-only model.
    """

    model: nn.Module | None
    classes: list[str]
    preprocess: PreprocessConfig
    model_name: str
    source: str
    meta: dict[str, Any]
    modality: str = "image"
    text_view: Any = None  # docclf.textview.TextView
    ocr: Any = None  # docclf.ocr.OcrConfig
    fusion: Any = None  # docclf.fusion.FusionConfig

    @property
    def reads(self) -> bool:
        """True when the model needs the page's words (OCR)."""
        return self.text_view is not None

    @torch.inference_mode()
    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        """(B, 3, S, S) preprocessed batch -> (B, num_classes) image-view probabilities, calibrated
        with the temperature fitted on validation (what the API serves for an image-only model)."""
        t = self.fusion.image_temperature if self.fusion is not None else 1.0
        return (self.model(x).float() / t).softmax(dim=1)


def inference_state(model: nn.Module, model_name: str, classes: list[str], preprocess: PreprocessConfig,
                    config: dict[str, Any], **meta: Any) -> dict[str, Any]:
    """A self-describing checkpoint with weights only (what `model_final.pth` holds)."""
    return {
        "format": "docclf.classifier/1",
        "model_name": resolve_model_name(model_name),
        "num_classes": len(classes),
        "classes": list(classes),
        "preprocess": preprocess.to_dict(),
        "config": config,
        "state_dict": cpu_state(model),
        **meta,
    }


def cpu_state(model: nn.Module) -> dict[str, torch.Tensor]:
    """The model's weights and buffers on the CPU, detached (what checkpoints hold)."""
    return {k: v.detach().cpu() for k, v in unwrap(model).state_dict().items()}


def unwrap(model: nn.Module) -> nn.Module:
    """The module under DistributedDataParallel / torch.compile wrappers."""
    while hasattr(model, "module") or hasattr(model, "_orig_mod"):
        model = getattr(model, "module", None) or getattr(model, "_orig_mod")
    return model


def load_checkpoint_file(path: str | Path) -> dict[str, Any]:
    """Load a docclf checkpoint safely (tensors and plain data only)."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"checkpoint {p} not found")
    try:
        return torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise UsageError(f"{p} is not a readable docclf checkpoint ({type(exc).__name__}: {exc})".split("\n")[0]) from None


def classifier_from_checkpoint(ckpt: dict[str, Any], source: str) -> Classifier:
    """Rebuild the model of a training or inference checkpoint, in eval mode (with its text view if any)."""
    import timm

    from docclf.fusion import FusionConfig
    from docclf.ocr import OcrConfig
    from docclf.textview import TextView

    modality = ckpt.get("modality", "image")
    if "model_name" not in ckpt or ("state_dict" not in ckpt and modality != "text"):
        raise UsageError(f"{source} is not a docclf checkpoint (no model_name/state_dict)")
    model = None
    if ckpt.get("state_dict") is not None:
        model = timm.create_model(ckpt["model_name"], pretrained=False, num_classes=ckpt["num_classes"])
        model.load_state_dict(ckpt["state_dict"])
        model.eval()
    meta = {k: v for k, v in ckpt.items() if k not in ("state_dict", "optimizer", "scaler", "text_view")}
    text_view = TextView.from_state(ckpt["text_view"]) if ckpt.get("text_view") else None
    return Classifier(model=model, classes=list(ckpt["classes"]),
                      preprocess=PreprocessConfig.from_dict(ckpt["preprocess"]),
                      model_name=ckpt["model_name"], source=source, meta=meta, modality=modality,
                      text_view=text_view, ocr=OcrConfig.from_dict(ckpt.get("ocr")) if text_view else None,
                      fusion=FusionConfig.from_dict(ckpt["fusion"]) if ckpt.get("fusion") else None)
