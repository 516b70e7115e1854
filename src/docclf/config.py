"""Typed configs for every pipeline stage.

One spelling per option everywhere: the dataclass field `batch_size` is the YAML key
`batch_size`, the command-line flag `--batch-size` and the MLflow param `batch_size`.
Precedence: dataclass defaults < YAML file (`--config`) < command line. Unknown YAML keys
are errors, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docclf.errors import UsageError

CLASSES: tuple[str, ...] = ("invoice", "letter", "presentation", "resume", "scientific_paper")


def opt(default: Any, help: str, *, choices: typing.Sequence[Any] | None = None, **kw: Any) -> Any:
    """A dataclass field carrying its command-line help (and allowed values)."""
    meta = {"help": help, "choices": choices}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda d=default: type(d)(d), metadata=meta, **kw)
    return field(default=default, metadata=meta, **kw)


@dataclass
class GenerateConfig:
    """Options of the synthetic document generator (`docclf generate`)."""

    output_dir: str = opt("data/documents", "folder that receives train/val/test and dataset.json")
    num_per_class: int = opt(200, "pages generated per class, over all splits")
    seed: int = opt(42, "random seed; the same options and seed give byte-identical files")
    classes: list[str] = opt(list(CLASSES), "classes to generate (subset of the five)")
    split: list[float] = opt([0.7, 0.15, 0.15], "train/val/test fractions")
    min_size: int = opt(224, "smallest long side of a page, in pixels")
    max_size: int = opt(3508, "largest long side of a page, in pixels (3508 = A4 at 300 dpi)")
    scan_prob: float = opt(0.4, "share of pages given scan effects (rotation, blur, noise, ...)")
    format: str = opt("png", "image file format", choices=("png", "jpg"))
    workers: int = opt(0, "worker processes (0 = all cores)")
    overwrite: bool = opt(False, "replace a non-empty output dir")

    def validate(self) -> None:
        unknown = sorted(set(self.classes) - set(CLASSES))
        if unknown:
            raise UsageError(f"unknown class {', '.join(unknown)}; choose from {', '.join(CLASSES)}")
        if not self.classes:
            raise UsageError("--classes is empty; name at least one class")
        if self.num_per_class <= 0:
            raise UsageError(f"--num-per-class must be positive, got {self.num_per_class}")
        if self.min_size < 32:
            raise UsageError(f"--min-size must be at least 32 px, got {self.min_size}")
        if self.min_size > self.max_size:
            raise UsageError(f"--min-size {self.min_size} is larger than --max-size {self.max_size}")
        if len(self.split) != 3 or any(s < 0 for s in self.split) or abs(sum(self.split) - 1) > 1e-6:
            raise UsageError(f"--split needs three non-negative fractions summing to 1, got {self.split}")
        if not 0 <= self.scan_prob <= 1:
            raise UsageError(f"--scan-prob must be within [0, 1], got {self.scan_prob}")
        if self.workers < 0:
            raise UsageError(f"--workers must be >= 0, got {self.workers}")


# The seed's short names, as users type them, and the timm models they mean.
MODEL_ALIASES = {
    "mobilenetv3_large": "mobilenetv3_large_100",
    "mobilenetv3_small": "mobilenetv3_small_100",
    "efficientnet_b0": "efficientnet_b0",
}


MONITORS = {"val_f1": "max", "val_accuracy": "max", "val_loss": "min"}


@dataclass
class TrainConfig:
    """Every option of a training run; logged as MLflow params under the same names."""

    data_dir: str = opt("data/documents", "ImageFolder dataset: train/, val/, optional test/, a folder per class")
    model: str = opt("mobilenetv3_large", "mobilenetv3_large, mobilenetv3_small, efficientnet_b0 or a timm name")
    epochs: int = opt(30, "training epochs")
    batch_size: int = opt(32, "images per batch (per process under torchrun)")
    lr: float = opt(3e-4, "peak learning rate (AdamW)")
    weight_decay: float = opt(0.05, "AdamW weight decay")
    warmup_epochs: float = opt(1.0, "linear warm-up before the cosine decay, in epochs")
    label_smoothing: float = opt(0.1, "cross-entropy label smoothing")
    grad_clip: float = opt(1.0, "clip the gradient norm to this (0 = off)")
    patience: int = opt(10, "stop after this many epochs without improvement of --monitor (0 = off)")
    monitor: str = opt("val_f1", "metric that picks best.pth and drives early stopping", choices=tuple(MONITORS))
    image_size: int = opt(224, "input size in pixels (square, letterboxed)")
    resize_mode: str = opt("pad", "pad keeps the page's shape with white borders; squash stretches",
                           choices=("pad", "squash"))
    pretrained: str = opt("auto", "ImageNet weights: auto (if loadable), on (required), off",
                          choices=("auto", "on", "off"))
    amp: bool | None = opt(None, "mixed precision (default: on for CUDA, off on CPU where bf16 was slower)")
    channels_last: bool = opt(True, "channels-last memory format (1.6-2x faster on CPU)")
    device: str = opt("auto", "auto, cpu, cuda or cuda:N")
    threads: int = opt(0, "CPU threads for torch (0 = torch's default)")
    num_workers: int = opt(-1, "loader worker processes (-1 = auto: 0 on CPU, 4 on CUDA)")
    seed: int = opt(42, "random seed")
    crop_scale_min: float = opt(0.75, "RandomResizedCrop: smallest share of the page kept")
    hflip_prob: float = opt(0.0, "RandomHorizontalFlip probability (off: real pages are never mirrored)")
    brightness: float = opt(0.2, "ColorJitter brightness")
    contrast: float = opt(0.2, "ColorJitter contrast")
    saturation: float = opt(0.2, "ColorJitter saturation")
    grayscale_prob: float = opt(0.25, "probability of a grey page (colour must not be the cue)")
    on_bad_image: str = opt("skip", "an unreadable image: skip it (warn, count) or stop", choices=("skip", "stop"))
    cache_dir: str | None = opt(None, "resized-page cache (default: $DOCCLF_CACHE_DIR or ~/.cache/docclf)")
    output_dir: str | None = opt(None, "checkpoints folder (default: outputs/<run name>)")
    resume: str | None = opt(None, "checkpoint to continue from, or 'auto' for OUTPUT_DIR/last.pth")
    mlflow_experiment: str = opt("docclf", "MLflow experiment (created if missing)")
    mlflow_run_name: str | None = opt(None, "MLflow run name (default: MODEL-TIMESTAMP)")
    tracking_uri: str | None = opt(None, "MLflow tracking URI (default: $MLFLOW_TRACKING_URI or sqlite:///mlflow.db)")
    parent_run_id: str | None = opt(None, "make the run a child of this MLflow run (used by tuning)")
    metrics_file: str | None = opt(None, "append each epoch's metrics to this JSON-lines file (for tuners)")
    stop_file: str | None = opt(None, "stop after the current epoch when this file exists (tuners prune so)")
    log_model: bool = opt(True, "log an MLflow pytorch model (pytorch_model) at the end")
    progress: bool = opt(True, "show progress bars")

    def validate(self) -> None:
        if self.model not in MODEL_ALIASES:  # only other names need timm (and torch) to check
            from docclf.modeling import resolve_model_name

            resolve_model_name(self.model)
        for name in ("epochs", "batch_size", "image_size"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.image_size < 32:
            raise UsageError(f"--image-size must be at least 32, got {self.image_size}")
        if self.lr <= 0:
            raise UsageError(f"--lr must be positive, got {self.lr}")
        if not 0 < self.crop_scale_min <= 1:
            raise UsageError(f"--crop-scale-min must be in (0, 1], got {self.crop_scale_min}")

    def augment(self) -> Any:
        """The batch augmentation these options describe (a docclf.data.AugmentConfig)."""
        from docclf.data import AugmentConfig

        return AugmentConfig(crop_scale=(self.crop_scale_min, 1.0), hflip_prob=self.hflip_prob,
                             brightness=self.brightness, contrast=self.contrast, saturation=self.saturation,
                             grayscale_prob=self.grayscale_prob)


FORMATS = ("onnx", "torchscript", "int8")
FLOAT_MAX_LOGIT_DIFF = 1e-4


@dataclass
class ExportConfig:
    """Options of `docclf export` / export_model.py."""

    model_uri: str | None = opt(None, "registered model: models:/NAME/VERSION, models:/NAME/STAGE or models:/NAME@ALIAS")
    run_id: str | None = opt(None, "MLflow run whose checkpoint (model_final.pth) to export")
    checkpoint: str | None = opt(None, "checkpoint file (model_final.pth, best.pth)")
    format: str = opt("all", "what to write", choices=("onnx", "torchscript", "int8", "all"))
    output_dir: str = opt("exports", "folder for the files and model.json")
    data_dir: str | None = opt(None, "real images for calibration and parity: a dataset (its val/ is used) or a "
                                     "split folder (default: the training run's data_dir)")
    parity_images: int = opt(256, "validation images in the parity check (spread over the split)")
    calibration_images: int = opt(128, "validation images that calibrate INT8")
    onnx_exporter: str = opt("dynamo", "torch.onnx exporter (legacy: the deprecated TorchScript-based one)",
                             choices=("dynamo", "legacy"))
    opset: int = opt(18, "ONNX opset")
    logit_tolerance: float = opt(FLOAT_MAX_LOGIT_DIFF, "float files: largest allowed |logit difference| from PyTorch")
    keep_slow_int8: bool = opt(False, "keep model_int8.onnx even where it is not faster than float ONNX")
    latency_runs: int = opt(30, "timed batch-1 calls per format")
    threads: int = opt(0, "CPU threads for PyTorch and ONNX Runtime (0 = their defaults)")
    tracking_uri: str | None = opt(None, "MLflow tracking URI (default: $MLFLOW_TRACKING_URI or sqlite:///mlflow.db)")
    log_to_mlflow: bool = opt(True, "log the files and the parity report on the source run")
    cache_dir: str | None = opt(None, "resized-page cache folder")

    def validate(self) -> None:
        given = [n for n in ("model_uri", "run_id", "checkpoint") if getattr(self, n)]
        if len(given) != 1:
            raise UsageError("give exactly one of --model-uri, --run-id, --checkpoint"
                             + (f" (got {', '.join('--' + g.replace('_', '-') for g in given)})" if given else ""))
        if self.model_uri and not self.model_uri.startswith("models:/"):
            raise UsageError(f"--model-uri {self.model_uri!r} must look like models:/NAME/VERSION, "
                             "models:/NAME/STAGE or models:/NAME@ALIAS")
        if self.logit_tolerance <= 0:
            raise UsageError(f"--logit-tolerance must be positive, got {self.logit_tolerance}")
        for name in ("parity_images", "calibration_images", "latency_runs", "opset"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")

    def formats(self) -> list[str]:
        return list(FORMATS) if self.format == "all" else [self.format]


# --------------------------------------------------------------------------- machinery


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _base_type(tp: Any) -> tuple[Any, bool]:
    """(element type, is_list) for the annotations used in configs."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _base_type(args[0])
    if origin is list:
        return typing.get_args(tp)[0], True
    return tp, False


def _parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {text!r}")


def add_config_args(parser: argparse.ArgumentParser, cls: type) -> None:
    """Add one flag per dataclass field; defaults are SUPPRESSed so we know what was typed."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("cli") is False:
            continue
        tp, is_list = _base_type(hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        text = f.metadata.get("help", "")
        kw: dict[str, Any] = {"dest": f.name, "default": argparse.SUPPRESS,
                              "help": text if "default:" in text else f"{text} (default: {default})"}
        if f.metadata.get("choices"):
            kw["choices"] = f.metadata["choices"]
        if tp is bool:
            parser.add_argument(_flag(f.name), action=argparse.BooleanOptionalAction, **kw)
            continue
        if is_list:
            kw["nargs"] = "+"
        parser.add_argument(_flag(f.name), type=tp, **kw)


def load_yaml(path: str | Path) -> dict[str, Any]:
    import yaml

    p = Path(path)
    if not p.is_file():
        raise UsageError(f"config file {p} not found")
    try:
        data = yaml.safe_load(p.read_text()) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"config file {p} is not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise UsageError(f"config file {p} must hold a mapping of option: value")
    return data


def build_config(cls: type, file_values: dict[str, Any] | None = None,
                 cli_values: dict[str, Any] | None = None) -> Any:
    """Merge defaults < file values < command-line values into a validated `cls`."""
    names = {f.name for f in dataclasses.fields(cls)}
    merged: dict[str, Any] = {}
    for source in (file_values or {}, cli_values or {}):
        for key, value in source.items():
            key = key.replace("-", "_")
            if key not in names:
                raise UsageError(f"unknown option {key!r}; valid options: {', '.join(sorted(names))}")
            merged[key] = value
    cfg = cls(**merged)
    _coerce(cfg)
    if hasattr(cfg, "validate"):
        cfg.validate()
    return cfg


def _coerce(cfg: Any) -> None:
    """YAML gives ints where floats are meant and strings where lists are; normalise them."""
    hints = typing.get_type_hints(type(cfg))
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        if value is None:
            continue
        tp, is_list = _base_type(hints[f.name])
        try:
            if is_list:
                items = value if isinstance(value, (list, tuple)) else [value]
                setattr(cfg, f.name, [tp(v) for v in items])
            elif tp is bool and isinstance(value, str):
                setattr(cfg, f.name, _parse_bool(value))
            elif tp in (int, float, str):
                setattr(cfg, f.name, tp(value))
        except (TypeError, ValueError, argparse.ArgumentTypeError):
            raise UsageError(f"option {f.name}: cannot read {value!r} as {tp.__name__}") from None


def config_from_args(cls: type, ns: argparse.Namespace) -> Any:
    """Build `cls` from a parsed namespace that may carry `config` (a YAML path)."""
    values = {k: v for k, v in vars(ns).items() if k in {f.name for f in dataclasses.fields(cls)}}
    file_values = load_yaml(ns.config) if getattr(ns, "config", None) else {}
    return build_config(cls, file_values, values)


def to_dict(cfg: Any) -> dict[str, Any]:
    return dataclasses.asdict(cfg)
