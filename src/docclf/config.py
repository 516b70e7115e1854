"""Typed configs for every pipeline stage, and the one builder that fills them.

One spelling per option everywhere: the dataclass field `batch_size` is the YAML key
`batch_size`, the command-line flag `--batch-size` and the MLflow param `batch_size`. An old
spelling (the seed's `--monitor`, `--format`, ...) is an alias of a field: the flag and the
YAML key both still work. Precedence: dataclass defaults < YAML file (`--config`) < DOCCLF_*
variables (configs with an `env_prefix`: the service) < command line. Unknown keys are errors,
so a typo never silently falls back to a default.

This module imports nothing heavy (no torch, timm, mlflow): the CLI starts without them.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from docclf.errors import UsageError
from docclf.refs import parse_ref

CLASSES: tuple[str, ...] = ("invoice", "letter", "presentation", "resume", "scientific_paper")
# Pages of no known class (forms, questionnaires, receipts, blank pages...). A model trained with a
# folder of that name answers "none of these" (label null) for pages like them.
OTHER_CLASS = "other"
GENERATOR_CLASSES: tuple[str, ...] = (*CLASSES, OTHER_CLASS)


class StoredSettings:
    """to_dict / from_dict for a small settings dataclass saved in checkpoints and exports; keys it
    does not know (written by a newer version) are ignored."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> Any:
        return cls(**{k: v for k, v in dict(d or {}).items() if k in cls.__dataclass_fields__})  # type: ignore[attr-defined]


def opt(default: Any, help: str, *, choices: typing.Sequence[Any] | None = None,
        aliases: tuple[str, ...] = (), positional: bool = False, **kw: Any) -> Any:
    """A dataclass field carrying its command-line help, allowed values, old spellings (and whether
    the command line takes it without a flag)."""
    meta = {"help": help, "choices": choices, "aliases": aliases, "positional": positional}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda d=default: type(d)(d), metadata=meta, **kw)
    return field(default=default, metadata=meta, **kw)


# --------------------------------------------------------------------------- metrics


Direction = Literal["maximize", "minimize"]

# Every metric a training run logs, and which way is better. Training's --metric, tuning's
# --metric and the registry's best-run / --order-by all read this one table.
METRICS: dict[str, Direction] = {
    "val_accuracy": "maximize", "val_f1": "maximize", "val_loss": "minimize",
    "test_accuracy": "maximize", "test_f1": "maximize", "test_loss": "minimize",
    "train_accuracy": "maximize", "train_loss": "minimize",
    "images_per_second": "maximize", "epoch_seconds": "minimize",
}
VAL_METRICS = ("val_f1", "val_accuracy", "val_loss")  # what a run can pick best.pth by, per epoch


def metric_direction(metric: str) -> Direction:
    """Whether `metric` is better high or low; a name outside the table is a loss or a time if it says so."""
    if metric in METRICS:
        return METRICS[metric]
    low = metric.lower()
    return "minimize" if any(w in low for w in ("loss", "seconds", "latency", "_ms")) else "maximize"


def higher_is_better(metric: str) -> bool:
    return metric_direction(metric) == "maximize"


# --------------------------------------------------------------------------- the stages


@dataclass
class GenerateConfig:
    """Options of the synthetic document generator (`docclf generate`)."""

    output_dir: str = opt("data/documents", "folder that receives train/val/test and dataset.json")
    num_per_class: int = opt(1200, "pages generated per class, over all splits (1200: more pages paid on real pages)")
    seed: int = opt(42, "random seed; the same options and seed give byte-identical files")
    classes: list[str] = opt(list(GENERATOR_CLASSES), "classes to generate: the five document classes and "
                                                       f"'{OTHER_CLASS}' (pages of none of them, for abstaining)")
    split: list[float] = opt([0.7, 0.15, 0.15], "train/val/test fractions")
    min_size: int = opt(224, "smallest long side of a page, in pixels")
    # Not 3508 (A4 at 300 dpi): pages reach a model at 100-200 dpi (the real dev set: 945-2482 px) and shrink to
    # its 224 px anyway, and capping them at 2480 cut the rendering time by 40%
    max_size: int = opt(2480, "largest long side of a page, in pixels (2480: A4 at about 210 dpi)")
    scan_prob: float = opt(0.4, "share of pages given scan effects (rotation, blur, noise, ...)")
    image_format: str = opt("png", "image file format", choices=("png", "jpg"), aliases=("format",))
    workers: int = opt(0, "worker processes (0 = all cores)")
    overwrite: bool = opt(False, "replace a non-empty output dir")

    @property
    def format(self) -> str:  # the seed's name, still read by the generator
        return self.image_format

    def validate(self) -> None:
        unknown = sorted(set(self.classes) - set(GENERATOR_CLASSES))
        if unknown:
            raise UsageError(f"unknown class {', '.join(unknown)}; choose from {', '.join(GENERATOR_CLASSES)}")
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


@dataclass
class PreviewConfig:
    """Options of the contact sheet (`docclf preview`)."""

    data_dir: str = opt("data/documents", "dataset folder written by `docclf generate` (or any ImageFolder)",
                        positional=True)
    output: str | None = opt(None, "PNG path (default: DATA_DIR/contact_sheet.png)")
    per_class: int = opt(6, "samples per class")
    split: str = opt("train", "split to sample from")


# The seed's short names, as users type them, and the timm models they mean.
MODEL_ALIASES = {
    "mobilenetv3_large": "mobilenetv3_large_100",
    "mobilenetv3_small": "mobilenetv3_small_100",
    "efficientnet_b0": "efficientnet_b0",
}


@dataclass
class AugmentConfig:
    """Per-batch augmentation. Defaults keep most of the page: a layout is a global cue."""

    crop_scale: tuple[float, float] = (0.75, 1.0)
    crop_ratio: tuple[float, float] = (0.8, 1.25)
    hflip_prob: float = 0.0
    brightness: float = 0.2
    contrast: float = 0.2
    saturation: float = 0.2
    grayscale_prob: float = 0.25
    mixup: float = 0.0  # Beta(a, a) concentration of mixup's weights; 0 = off
    cutmix: float = 0.0  # Beta(a, a) concentration of CutMix's kept share; 0 = off


@dataclass
class TrainConfig:
    """Every option of a training run; logged as MLflow params under the same names."""

    data_dir: str = opt("data/documents", "ImageFolder dataset: train/, val/, optional test/, a folder per class")
    model: str = opt("mobilenetv3_small", "architecture: mobilenetv3_small (default: measured on real pages, "
                                          "3x faster to train than large), mobilenetv3_large, efficientnet_b0 "
                                          "or a timm name")
    epochs: int = opt(30, "training epochs")
    time_budget: float = opt(30.0, "minutes the whole run may take (0: no limit); after epoch 1, when --epochs would "
                                   "not fit, the run trains for as many as fit, its learning rate decaying over them")
    batch_size: int = opt(32, "images per batch (per process under torchrun)")
    lr: float = opt(0.0, "peak learning rate (AdamW); 0 = auto: 3e-4 with ImageNet weights, 2e-3 from random "
                         "initialisation (what trained best from scratch here)")
    weight_decay: float = opt(0.05, "AdamW weight decay")
    warmup_epochs: float = opt(1.0, "linear warm-up before the cosine decay, in epochs")
    label_smoothing: float = opt(0.1, "cross-entropy label smoothing")
    grad_clip: float = opt(1.0, "clip the gradient norm to this (0 = off)")
    ema_decay: float = opt(0.0, "keep an exponential moving average of the weights with this decay (e.g. 0.998) "
                                "and validate, keep and ship the averaged weights (0 = off)")
    patience: int = opt(10, "stop after this many epochs without improvement of --metric (0 = off)")
    metric: str = opt("val_f1", "validation metric that picks best.pth and drives early stopping",
                      choices=VAL_METRICS, aliases=("monitor",))
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
    mixup: float = opt(0.0, "mixup: blend each training page with another, weights from Beta(a, a) (e.g. 0.2; "
                            "0 = off)")
    cutmix: float = opt(0.0, "CutMix: paste a box of another training page, its share from Beta(a, a) (e.g. 1.0; "
                             "0 = off; with --mixup, each batch takes one of the two)")
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
    modality: str = opt("fusion", "what the model uses: image (how the page looks), text (its words, by OCR) "
                                  "or fusion (both, calibrated)", choices=("image", "text", "fusion"))
    text_source: str = opt("words", "training words: 'words' = the generator's ground truth with simulated OCR "
                                    "noise (OCR for pages without it), 'ocr' = Tesseract on every page",
                           choices=("words", "ocr"))
    ocr_languages: str = opt("eng", "Tesseract languages, '+'-joined (e.g. eng+deu+fra); each one costs time")
    ocr_long_side: int = opt(1600, "pages are resized to this long side before OCR (1600 = ~140 dpi for A4)")
    text_c: float = opt(4.0, "text view: inverse regularisation strength of its logistic regression")
    abstain_below: float = opt(0.4, "answer 'none of these' (label null) when the best class's share of the "
                                    "known classes is under this (0: never)")
    reject_above: float = opt(0.85, "with an 'other' class: answer 'none of these' when its probability reaches this")
    image_temperature_floor: float = opt(
        1.0, "the image view's calibration temperature is never below this (0: the fitted one): generated "
             "validation pages are easier than real ones, so a temperature fitted on them sharpens the image "
             "view into over-sure answers on real pages")

    @property
    def monitor(self) -> str:  # the seed's name for --metric
        return self.metric

    def validate(self) -> None:
        # A timm name other than the short ones is checked by modeling.resolve_model_name (it needs timm).
        for name in ("epochs", "batch_size", "image_size"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.image_size < 32:
            raise UsageError(f"--image-size must be at least 32, got {self.image_size}")
        if self.lr < 0:
            raise UsageError(f"--lr must be positive (or 0 for auto), got {self.lr}")
        if not 0 <= self.ema_decay < 1:
            raise UsageError(f"--ema-decay must be in [0, 1) (0 = off), got {self.ema_decay}")
        for name in ("mixup", "cutmix"):
            if getattr(self, name) < 0:
                raise UsageError(f"--{name} must be 0 (off) or positive, got {getattr(self, name)}")
        if self.time_budget < 0:
            raise UsageError(f"--time-budget must be 0 (no limit) or a number of minutes, got {self.time_budget}")
        if not 0 < self.reject_above <= 1:
            raise UsageError(f"--reject-above must be in (0, 1], got {self.reject_above}")
        if self.image_temperature_floor < 0:
            raise UsageError(f"--image-temperature-floor must be 0 (off) or positive, got {self.image_temperature_floor}")
        if not 0 < self.crop_scale_min <= 1:
            raise UsageError(f"--crop-scale-min must be in (0, 1], got {self.crop_scale_min}")

    def augment(self) -> AugmentConfig:
        """The batch augmentation these options describe."""
        return AugmentConfig(crop_scale=(self.crop_scale_min, 1.0), hflip_prob=self.hflip_prob,
                             brightness=self.brightness, contrast=self.contrast, saturation=self.saturation,
                             grayscale_prob=self.grayscale_prob, mixup=self.mixup, cutmix=self.cutmix)


MODEL_REF_HELP = ("model reference: a checkpoint (.pth), an export folder, a run id or runs:/ID[/PATH], "
                  "models:/NAME/VERSION, models:/NAME/STAGE or models:/NAME@ALIAS")
TRACKING_URI_HELP = "MLflow tracking URI (default: $MLFLOW_TRACKING_URI or sqlite:///mlflow.db)"


@dataclass
class EvaluateConfig:
    """Options of `docclf evaluate`."""

    model_uri: str = opt("", MODEL_REF_HELP, aliases=("model",))
    data_dir: str = opt("", "a split folder (class sub-folders) or a whole dataset")
    json: bool = opt(False, "print one JSON object instead of tables")
    batch_size: int = opt(64, "images per batch")
    tracking_uri: str | None = opt(None, TRACKING_URI_HELP)
    cache_dir: str | None = opt(None, "resized-page cache folder")
    on_bad_image: str = opt("skip", "an unreadable image: skip it (warn, count) or stop", choices=("skip", "stop"))

    def validate(self) -> None:
        if not self.model_uri:
            raise UsageError("no model to evaluate: pass --model-uri (" + MODEL_REF_HELP + ")")
        if not self.data_dir:
            raise UsageError("no data to evaluate on: pass --data-dir (a split folder or a dataset)")
        if self.batch_size <= 0:
            raise UsageError(f"--batch-size must be positive, got {self.batch_size}")


@dataclass
class PredictConfig:
    """Options of `docclf predict`."""

    inputs: list[str] = opt([], "image files or folders (searched recursively)", positional=True)
    model_uri: str = opt("", MODEL_REF_HELP, aliases=("model",))
    json: bool = opt(False, "one JSON object per file, one per line")
    batch_size: int = opt(32, "images per batch")
    tracking_uri: str | None = opt(None, TRACKING_URI_HELP)
    cache_dir: str | None = opt(None, "cache folder (OCR results are kept there)")

    def validate(self) -> None:
        if not self.model_uri:
            raise UsageError("no model to predict with: pass --model-uri (" + MODEL_REF_HELP + ")")
        if not self.inputs:
            raise UsageError("no pages to classify: give image files or folders")
        if self.batch_size <= 0:
            raise UsageError(f"--batch-size must be positive, got {self.batch_size}")


@dataclass
class TuneConfig:
    """Options of a hyperparameter search (`docclf tune`, `tune_hyperparameters.py`)."""

    search_strategy: str = opt("grid", "grid (every combination once), random or tpe (Bayesian, Optuna's TPE)",
                               choices=("grid", "random", "tpe"))
    n_trials: int | None = opt(None, "trials in the study (default: grid all combinations, random/tpe 20)")
    data_dir: str = opt("data/documents", "dataset every trial trains on")
    epochs: int = opt(10, "training epochs per trial")
    models: list[str] = opt(["mobilenetv3_large", "mobilenetv3_small", "efficientnet_b0"],
                            "architectures to search")
    batch_sizes: list[int] = opt([32, 64, 128], "batch sizes to search")
    lrs: list[float] = opt([1e-4, 3e-4, 1e-3], "learning rates to search")
    image_sizes: list[int] = opt([224, 256], "image sizes to search")
    space: str | None = opt(None, "YAML search space {option: [values] or {low, high, log}}; replaces "
                                  "--models/--batch-sizes/--lrs/--image-sizes")
    metric: str = opt("val_accuracy", "per-epoch validation metric to optimise, rank and prune on",
                      choices=VAL_METRICS)
    direction: str = opt("auto", "maximize or minimize the metric (auto: from the metric)",
                         choices=("auto", "maximize", "minimize"))
    pruner: str = opt("none", "stop unpromising trials early on their per-epoch metric",
                      choices=("none", "median", "hyperband"))
    pruner_warmup_epochs: int = opt(1, "epochs a trial always completes; the pruner first judges it after epoch N+1")
    pruner_startup_trials: int = opt(3, "median pruner: finished trials before it prunes any")
    n_jobs: int = opt(1, "trials run at once here; CPU threads (or GPUs) are divided between them")
    threads: int = opt(0, "CPU threads per trial (0 = this machine's cores divided by --n-jobs)")
    devices: str = opt("auto", "auto (CUDA GPUs if any), cpu, or GPU ids like 0,1: one GPU per running trial")
    storage: str = opt("sqlite:///optuna.db", "Optuna storage URL: a SQLite file, or postgresql://... "
                                              "shared by workers on several machines")
    study_name: str | None = opt(None, "study to create or resume (default: EXPERIMENT-STRATEGY)")
    seed: int | None = opt(None, "sampler seed (random/tpe; reproducible with one worker)")
    tpe_startup_trials: int = opt(0, "tpe: random trials before TPE models the space (0 = auto)")
    heartbeat_interval: int = opt(30, "seconds between a running trial's heartbeats")
    grace_period: int = opt(120, "seconds without a heartbeat after which a trial is re-queued")
    max_retries: int = opt(2, "times a trial whose worker died is re-queued")
    retry_failed: bool = opt(False, "run the parameters of failed trials again")
    trial_timeout: float = opt(0.0, "seconds after which a trial is stopped and failed (0 = no limit)")
    mlflow_experiment: str = opt("tuning", "MLflow experiment of the parent run and its trials")
    tracking_uri: str | None = opt(None, TRACKING_URI_HELP)
    cache_dir: str | None = opt(None, "resized-page cache shared by the trials (default: training's default)")
    output_dir: str | None = opt(None, "folder of the trials' outputs (default: outputs/tuning/STUDY)")
    keep_checkpoints: bool = opt(False, "keep each finished trial's best.pth and last.pth (model_final.pth "
                                        "and the MLflow run are always kept)")
    output: str = opt("tuning_results.json", "JSON file with every trial, ranked")
    top_k: int = opt(5, "rows of the printed table")
    dry_run: bool = opt(False, "print the combinations (grid) or the space, and exit")
    train_args: list[str] = field(default_factory=list, metadata={
        "cli": False, "help": "training options for every trial (after `--` on the command line)"})

    def validate(self) -> None:
        for name in ("epochs", "n_jobs", "top_k", "heartbeat_interval"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.n_trials is not None and self.n_trials <= 0:
            raise UsageError(f"--n-trials must be positive, got {self.n_trials}")
        if any(lr <= 0 for lr in self.lrs):  # 0 means "auto" to train, which is no point in a search
            raise UsageError(f"--lr must be positive in a search, got {self.lrs}")
        if self.grace_period <= self.heartbeat_interval:
            raise UsageError(f"--grace-period ({self.grace_period}) must exceed --heartbeat-interval "
                             f"({self.heartbeat_interval}), or live trials would be re-queued")
        for name in ("pruner_warmup_epochs", "pruner_startup_trials", "tpe_startup_trials", "threads",
                     "max_retries", "trial_timeout"):
            if getattr(self, name) < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be >= 0, got {getattr(self, name)}")

    @property
    def resolved_direction(self) -> Direction:
        if self.direction == "auto":
            return metric_direction(self.metric)
        return "maximize" if self.direction == "maximize" else "minimize"

    @property
    def resolved_study_name(self) -> str:
        return self.study_name or f"{self.mlflow_experiment}-{self.search_strategy}"


@dataclass
class RegistryConfig:
    """Options of `docclf registry ACTION` / `mlflow_utils.py --action ACTION`; each action takes a few."""

    model_name: str = opt("doc_classifier", "registered model")
    run_id: str | None = opt(None, "run to register (a run id or runs:/ID)")
    run_ids: list[str] | None = opt(None, "runs to compare side by side")
    version: str | None = opt(None, "model version number, or latest")
    stage: str | None = opt(None, "None, Staging, Production or Archived")
    alias: str | None = opt(None, "alias name; staging/production move the stage too")
    mlflow_experiment: str = opt("docclf", "MLflow experiment to search runs in", aliases=("experiment",))
    metric: str = opt("val_accuracy", "metric the best run has the best value of (losses: lowest wins)")
    order_by: str | None = opt(None, "metric to sort runs by (best first)")
    max_results: int = opt(50, "runs listed at most")
    register: bool = opt(False, "also register the best run")
    data_dir: str | None = opt(None, "held-out split to validate on (class sub-folders) or a dataset")
    tolerance: float = opt(0.5, "accuracy points a version may lose against Production")
    force: bool = opt(False, "promote even when the gate refuses")
    batch_size: int = opt(64, "evaluation batch size")
    latency_runs: int = opt(30, "timed batch-1 calls")
    cache_dir: str | None = opt(None, "resized-page cache folder")
    tracking_uri: str | None = opt(None, TRACKING_URI_HELP)
    json: bool = opt(False, "print JSON for scripts instead of tables")


FORMATS = ("onnx", "torchscript", "int8")
FLOAT_MAX_LOGIT_DIFF = 1e-4


@dataclass
class ExportConfig:
    """Options of `docclf export` / export_model.py."""

    model_uri: str | None = opt(None, "model to export: " + MODEL_REF_HELP)
    run_id: str | None = opt(None, "MLflow run whose checkpoint (model_final.pth) to export (same as "
                                   "--model-uri ID)")
    checkpoint: str | None = opt(None, "checkpoint file (model_final.pth, best.pth; same as --model-uri FILE)")
    format: str = opt("all", "what to write", choices=(*FORMATS, "all"))
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
    tracking_uri: str | None = opt(None, TRACKING_URI_HELP)
    log_to_mlflow: bool = opt(True, "log the files and the parity report on the source run")
    cache_dir: str | None = opt(None, "resized-page cache folder")

    def validate(self) -> None:
        given = [n for n in ("model_uri", "run_id", "checkpoint") if getattr(self, n)]
        if len(given) != 1:
            raise UsageError("give exactly one of --model-uri, --run-id, --checkpoint"
                             + (f" (got {', '.join('--' + g.replace('_', '-') for g in given)})" if given else ""))
        ref = parse_ref(self.source)
        if ref.kind == "export":
            raise UsageError(f"{self.source} is already an export; give the PyTorch model it came from")
        if self.logit_tolerance <= 0:
            raise UsageError(f"--logit-tolerance must be positive, got {self.logit_tolerance}")
        for name in ("parity_images", "calibration_images", "latency_runs", "opset"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")

    @property
    def source(self) -> str:
        """The model reference to export, whichever option named it."""
        return str(self.model_uri or self.run_id or self.checkpoint)

    def formats(self) -> list[str]:
        return list(FORMATS) if self.format == "all" else [self.format]


SERVE_BACKENDS = ("auto", "onnx", "torch")
# Formats Pillow decodes natively and safely; EPS (Ghostscript), PDF, SVG and friends are refused.
IMAGE_FORMATS = ["PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF"]


@dataclass
class ServeConfig:
    """Options of the web API (`docclf serve`, `python app.py`, `gunicorn "docclf.serve:create_app()"`).

    Every field `max_batch_size` is also the variable `DOCCLF_MAX_BATCH_SIZE`, so a container can set
    variables and an operator can still override one flag by hand.
    """

    env_prefix: ClassVar[str] = "DOCCLF_"

    model_uri: str = opt("", "model to serve: " + MODEL_REF_HELP + " (or an exported .onnx with its model.json)")
    backend: str = opt("auto", "inference backend; auto = ONNX Runtime when the model exports, else PyTorch",
                       choices=SERVE_BACKENDS)
    tracking_uri: str | None = opt(None, "MLflow tracking URI for models:/ and runs:/ (unset: "
                                         "MLFLOW_TRACKING_URI, else sqlite:///mlflow.db)")
    host: str = opt("127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
    port: int = opt(8000, "TCP port")
    workers: int = opt(1, "gunicorn worker processes (python app.py / docclf serve)")
    threads: int = opt(4, "request threads per worker")
    inference_threads: int = opt(0, "intra-op threads per worker for the model (0 = cores / workers)")
    inference_slots: int = opt(1, "model calls running at once per worker; other requests decode meanwhile and "
                                  "queue for a slot (more only oversubscribes the cores and holds more memory)")
    api_token: str | None = opt(None, "if set, /predict and /predict_batch need 'Authorization: Bearer TOKEN' "
                                      "(visible in ps: prefer --api-token-file or DOCCLF_API_TOKEN)")
    api_token_file: str | None = opt(None, "read the API token from this file (first line), e.g. a mounted secret")
    reload_interval: float = opt(30.0, "seconds between registry polls for a models:/ stage or alias "
                                       "(0 = never reload)")
    max_request_bytes: int = opt(20_000_000, "largest request body accepted (413 above)")
    max_image_pixels: int = opt(40_000_000, "largest image, width x height, accepted before decoding (413 above)")
    max_batch_size: int = opt(32, "most images in one /predict_batch request (413 above)")
    image_formats: list[str] = opt(list(IMAGE_FORMATS), "image formats accepted (415 otherwise)")
    export_dir: str | None = opt(None, "folder for the ONNX export of a PyTorch model (unset: a temp dir)")
    timeout: int = opt(60, "gunicorn worker timeout, seconds")
    read_timeout: int = opt(30, "seconds a client has to send a whole request (head and body) before it gets "
                                "408 and is disconnected; stalled clients hold no thread meanwhile")
    access_log: bool = opt(False, "log every request (gunicorn access log on stderr)")

    def validate(self) -> None:
        if not self.model_uri:
            raise UsageError("no model to serve: pass --model-uri (or set DOCCLF_MODEL_URI), e.g. "
                             "models:/doc_classifier/Production or outputs/run/model_final.pth")
        self.image_formats = [f.upper() for f in self.image_formats]
        unknown = sorted(set(self.image_formats) - set(IMAGE_FORMATS))
        if unknown:
            raise UsageError(f"--image-formats: {', '.join(unknown)} not supported; choose from "
                             f"{', '.join(IMAGE_FORMATS)}")
        for name in ("port", "workers", "threads", "inference_slots", "max_request_bytes", "max_image_pixels",
                     "max_batch_size", "timeout", "read_timeout"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.reload_interval < 0 or self.inference_threads < 0:
            raise UsageError("--reload-interval and --inference-threads must be >= 0")
        if self.api_token_file:
            self.api_token = _read_token(self.api_token_file, self.api_token)

    def effective_inference_threads(self) -> int:
        """Threads for the model in one worker: the cores shared out between workers."""
        return self.inference_threads or max(1, (os.cpu_count() or 1) // self.workers)


def _read_token(path: str, given: str | None) -> str:
    """The first line of a token file (a Kubernetes or Docker secret), refusing two different tokens."""
    try:
        token = open(path, encoding="utf-8").readline().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--api-token-file {path}: cannot read it ({getattr(exc, 'strerror', None) or type(exc).__name__})") from None
    if not token:
        raise UsageError(f"--api-token-file {path} is empty: put the token on its first line")
    if given and given != token:  # validate() may run twice: the token read last time is fine
        raise UsageError("give the API token once: --api-token (DOCCLF_API_TOKEN) or --api-token-file, not both")
    return token


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


def parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {text!r}")


def add_config_args(parser: argparse.ArgumentParser, cls: type, only: typing.Iterable[str] | None = None,
                    required: typing.Iterable[str] = ()) -> None:
    """Add one flag per dataclass field (and its old spellings); defaults are SUPPRESSed so we know
    what was typed. `only` limits the fields; `required` only says so in the help (the caller checks,
    so that a missing option is one line, not argparse's usage block)."""
    hints = typing.get_type_hints(cls)
    keep, must = (set(only) if only is not None else None), set(required)
    for f in dataclasses.fields(cls):
        if f.metadata.get("cli") is False or (keep is not None and f.name not in keep):
            continue
        tp, is_list = _base_type(hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        text = f.metadata.get("help", "")
        if f.name in must:
            text = f"{text} (required)"
        elif "default:" not in text and default not in (None, "", []) and not f.metadata.get("positional"):
            text = f"{text} (default: {default})"
        kw: dict[str, Any] = {"default": argparse.SUPPRESS, "help": text}
        if f.metadata.get("choices"):
            kw["choices"] = f.metadata["choices"]
        if f.metadata.get("positional"):
            parser.add_argument(f.name, type=tp, metavar=f.name.upper(), **({"nargs": "+"} if is_list else {}), **kw)
            continue
        flags = [_flag(f.name), *(_flag(a) for a in f.metadata.get("aliases", ()))]
        kw["dest"] = f.name
        if tp is bool:
            parser.add_argument(*flags, action=argparse.BooleanOptionalAction, **kw)
            continue
        if is_list:
            kw["nargs"] = "+"
        parser.add_argument(*flags, type=tp, **kw)


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


def field_names(cls: type) -> dict[str, str]:
    """Every accepted key (field names and their old spellings, `-` or `_`) -> the field it sets."""
    names: dict[str, str] = {}
    for f in dataclasses.fields(cls):
        for key in (f.name, *f.metadata.get("aliases", ())):
            names[key] = names[key.replace("_", "-")] = f.name
    return names


def build_config(cls: type, file_values: Mapping[str, Any] | None = None,
                 cli_values: Mapping[str, Any] | None = None, env_values: Mapping[str, Any] | None = None) -> Any:
    """Merge defaults < file values < environment values < command-line values into a validated `cls`."""
    names = field_names(cls)
    merged: dict[str, Any] = {}
    for source in (file_values or {}, env_values or {}, cli_values or {}):
        for key, value in source.items():
            if key not in names:
                valid = sorted({f.name for f in dataclasses.fields(cls)})
                raise UsageError(f"unknown option {key!r}; valid options: {', '.join(valid)}")
            merged[names[key]] = value
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
                setattr(cfg, f.name, parse_bool(value))
            elif tp in (int, float, str):
                setattr(cfg, f.name, tp(value))
        except (TypeError, ValueError, argparse.ArgumentTypeError):
            raise UsageError(f"option {f.name}: cannot read {value!r} as {tp.__name__}") from None


def env_values(cls: type, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The PREFIX_* variables that name a field of `cls` (a config with an `env_prefix`), as raw values."""
    prefix = getattr(cls, "env_prefix", None)
    if not prefix:
        return {}
    environ = os.environ if environ is None else environ
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        raw = environ.get(prefix + f.name.upper())
        if raw is None or raw == "":
            continue
        values[f.name] = raw.replace(",", " ").split() if _base_type(hints[f.name])[1] else raw
    return values


def config_from_args(cls: type, ns: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Any:
    """Build `cls` from a parsed namespace that may carry `config` (a YAML path): the one builder."""
    names = {f.name for f in dataclasses.fields(cls)}
    typed = {k: v for k, v in vars(ns).items() if k in names}
    file_values = load_yaml(ns.config) if getattr(ns, "config", None) else {}
    return build_config(cls, file_values, typed, env_values(cls, environ))


def config_from_env(cls: type, environ: Mapping[str, str] | None = None, **overrides: Any) -> Any:
    """Build `cls` from its PREFIX_* variables (what gunicorn "docclf.serve:create_app()" uses)."""
    return build_config(cls, None, overrides, env_values(cls, environ))


def to_dict(cfg: Any) -> dict[str, Any]:
    return dataclasses.asdict(cfg)
