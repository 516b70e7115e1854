"""Training: train(cfg) -> TrainResult. Tracked in MLflow, resumable, DDP-aware.

An epoch's state is saved in `last.pth` as soon as it ends, so an interrupt or crash never
loses a finished epoch; `--resume` continues the same MLflow run from the next epoch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import signal
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from docclf.config import TrainConfig, higher_is_better  # noqa: F401 - TrainConfig re-exported
from docclf.data import (CachedSplit, augment_batch, batch_indices, eval_batch, find_classes, mix_batch,
                         iterate_batches, load_or_build_cache, scan_split)
from docclf.errors import Interrupted, UsageError
from docclf.metrics import summarize
from docclf.modeling import (cpu_state, create_model, inference_state, load_checkpoint_file, preprocess_config_for,
                             resolve_model_name, unwrap)

log = logging.getLogger(__name__)

@dataclass
class TrainState:
    """What changes during training; saved whole in every checkpoint."""

    epoch: int = 0  # epochs completed
    epochs: int = 0  # epochs the run trains: --epochs, or fewer to fit --time-budget (0 until epoch 1 has decided)
    step: int = 0  # optimiser steps completed
    best_metric: float | None = None
    best_epoch: int = 0
    bad_epochs: int = 0
    history: list[dict[str, float]] = field(default_factory=list)


@dataclass
class TrainResult:
    run_id: str | None
    output_dir: Path
    best_epoch: int
    best_metric: float | None
    history: list[dict[str, float]]
    test: dict[str, Any] | None
    model_uri: str | None
    stopped_early: bool


# --------------------------------------------------------------------------- environment


@dataclass
class Dist:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed(device_pref: str) -> Dist:
    """Join the torchrun process group when WORLD_SIZE > 1 (gloo on CPU, NCCL on CUDA)."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    import torch.distributed as td

    use_cuda = torch.cuda.is_available() and device_pref != "cpu"
    if not td.is_initialized():
        td.init_process_group("nccl" if use_cuda else "gloo")
    return Dist(td.get_rank(), td.get_world_size(), int(os.environ.get("LOCAL_RANK", "0")))


def resolve_device(pref: str, dist: Dist) -> torch.device:
    if pref == "auto":
        pref = "cuda" if torch.cuda.is_available() else "cpu"
    if pref.startswith("cuda"):
        if not torch.cuda.is_available():
            raise UsageError("--device cuda was asked for, but no CUDA GPU is available; use --device cpu")
        return torch.device(f"cuda:{dist.local_rank}" if pref == "cuda" else pref)
    return torch.device("cpu")


def resolve_amp(pref: bool | None, device: torch.device) -> torch.dtype | None:
    """Autocast dtype or None. CPU: off unless asked (bf16 measured slower than fp32 channels-last)."""
    if device.type == "cuda":
        if pref is False:
            return None
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.bfloat16 if pref else None


def epochs_within(budget_s: float, elapsed_s: float, epoch_s: float, done: int, requested: int) -> int:
    """The epochs a run trains: `requested`, or as many as end within `budget_s` at `epoch_s` an epoch.

    One epoch's time is kept in hand for what follows the last (the test split, calibration, the MLflow model).
    """
    if budget_s <= 0:
        return requested
    left = budget_s - elapsed_s - epoch_s
    return max(done, min(requested, done + int(left // max(epoch_s, 1e-9))))


def lr_at(step: int, total: int, warmup: int, peak: float, floor_ratio: float = 0.01) -> float:
    """Linear warm-up to `peak`, then cosine decay to `peak * floor_ratio`."""
    if warmup and step < warmup:
        return peak * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (floor_ratio + (1 - floor_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))


# --------------------------------------------------------------------------- the run


class Trainer:
    """Holds the pieces of one run so that the loop's functions take few arguments."""

    def __init__(self, cfg: TrainConfig):
        self.started = time.monotonic()  # --time-budget counts from here
        self.epoch_seconds: list[float] = []  # this process's epochs, for --time-budget's plan
        self.cfg = cfg
        self.dist = init_distributed(cfg.device)
        self.device = resolve_device(cfg.device, self.dist)
        if cfg.threads > 0:
            torch.set_num_threads(cfg.threads)
        torch.manual_seed(cfg.seed + self.dist.rank)
        self.amp_dtype = resolve_amp(cfg.amp, self.device)
        self.classes = find_classes(cfg.data_dir)
        self.resume_ckpt = self._load_resume_checkpoint()
        pretrained = "off" if self.resume_ckpt else cfg.pretrained  # weights come from the checkpoint
        model, self.pretrained = create_model(cfg.model, len(self.classes), pretrained)
        if self.resume_ckpt:
            self.pretrained.message = self.resume_ckpt.get("pretrained_message", self.pretrained.message)
            self.pretrained.loaded = self.resume_ckpt.get("pretrained", False)
        log.info("model %s: %s", resolve_model_name(cfg.model), self.pretrained.message)
        if cfg.lr == 0:  # auto: fine-tuning wants a gentle rate, a network from scratch a bolder one
            cfg.lr = 3e-4 if self.pretrained.loaded else 2e-3
            log.info("learning rate %g (auto, %s)", cfg.lr, "pretrained" if self.pretrained.loaded else "from scratch")
        self.pcfg = preprocess_config_for(model, cfg.image_size, cfg.resize_mode)
        self.splits = self._load_splits()
        model = model.to(self.device)
        if cfg.channels_last:
            model = model.to(memory_format=torch.channels_last)
        self.model = model
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        self.scaler = torch.amp.GradScaler("cuda", enabled=self.amp_dtype == torch.float16)
        self.loss_fn = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)
        self.state = TrainState()
        self.ema = self._make_ema(model)
        if self.resume_ckpt:
            self._restore(self.resume_ckpt)
        if self.dist.world > 1:
            self.ddp_model: nn.Module = nn.parallel.DistributedDataParallel(
                model, device_ids=[self.device.index] if self.device.type == "cuda" else None)
        else:
            self.ddp_model = model
        self.steps_per_epoch = len(self._train_batches(0))
        self.out_dir = Path(cfg.output_dir) if cfg.output_dir else None
        self.tracker = None
        self.text_view = None  # docclf.textview.TextView, for --modality fusion
        self.fusion = None  # docclf.fusion.FusionConfig, set once both views are calibrated

    # -- set-up helpers
    def _load_resume_checkpoint(self) -> dict[str, Any] | None:
        ref = self.cfg.resume
        if not ref:
            return None
        if ref == "auto":
            if not self.cfg.output_dir:
                raise UsageError("--resume auto needs --output-dir (the folder holding last.pth)")
            path = Path(self.cfg.output_dir) / "last.pth"
            if not path.is_file():
                log.info("--resume auto: no %s yet, starting a new run", path)
                return None
        else:
            path = Path(ref)
        ckpt = load_checkpoint_file(path)
        if ckpt.get("format") != "docclf.checkpoint/1":
            raise UsageError(f"{path} is not a training checkpoint (best.pth or last.pth)")
        if ckpt["model_name"] != resolve_model_name(self.cfg.model):
            raise UsageError(f"{path} holds {ckpt['model_name']}, but --model is {self.cfg.model}")
        if ckpt["classes"] != self.classes:
            raise UsageError(f"{path} was trained on classes {ckpt['classes']}, the data has {self.classes}")
        if not self.cfg.output_dir:
            self.cfg.output_dir = str(path.parent)
        log.info("resuming from %s (epoch %d done)", path, ckpt["epoch"])
        return ckpt

    def _load_splits(self) -> dict[str, CachedSplit]:
        cfg, splits = self.cfg, {}
        for name, required in (("train", True), ("val", True), ("test", False)):
            files = scan_split(cfg.data_dir, name, self.classes, required=required)
            if files is None:
                continue
            splits[name] = load_or_build_cache(files, self.pcfg, cfg.cache_dir, cfg.on_bad_image,
                                               progress=cfg.progress and self.dist.main)
        n_train = len(splits["train"]) // self.dist.world
        if cfg.batch_size > n_train:
            raise UsageError(f"--batch-size {cfg.batch_size} is larger than the train split "
                             f"({n_train} images per process); use --batch-size {max(1, n_train)} or less")
        return splits

    def _make_ema(self, model: nn.Module) -> Any:
        """The weights' moving average (timm's ModelEmaV3), or None when --ema-decay is 0."""
        if not self.cfg.ema_decay:
            return None
        from timm.utils import ModelEmaV3

        # warm-up: early averages would otherwise hold the random initialisation for hundreds of steps
        return ModelEmaV3(model, decay=self.cfg.ema_decay, use_warmup=True, warmup_power=0.75)

    @property
    def eval_model(self) -> nn.Module:
        """What is validated, kept in best.pth and shipped: the averaged weights when EMA is on."""
        return self.ema.module if self.ema is not None else self.model

    def _restore(self, ckpt: dict[str, Any]) -> None:
        # with EMA, state_dict holds the averaged weights (what inference uses), train_state_dict the raw ones
        raw = ckpt.get("train_state_dict")
        self.model.load_state_dict(raw if raw is not None else ckpt["state_dict"])
        if self.ema is not None:  # a checkpoint from a run without EMA starts the average at its weights
            self.ema.module.load_state_dict(ckpt["state_dict"] if raw is not None else self.model.state_dict())
        self.optimizer.load_state_dict(ckpt["optimizer"])
        if ckpt.get("scaler"):
            self.scaler.load_state_dict(ckpt["scaler"])
        self.state = TrainState(**ckpt["state"])
        if self.state.epoch and not self.state.epochs:  # a checkpoint from before --time-budget: keep its schedule
            self.state.epochs = self.cfg.epochs

    @property
    def epochs(self) -> int:
        """The epochs this run trains (the learning rate decays over them)."""
        return self.state.epochs or self.cfg.epochs

    def plan_epochs(self, epoch_seconds: float) -> None:
        """After each epoch: fit the run to --time-budget. The first epoch decides; later ones, at their mean
        pace, only shorten the plan (epochs on a shared machine drift slower, and a plan made from the first
        epoch alone ran 4% over), so the learning rate never climbs back. A resumed run keeps its plan."""
        cfg = self.cfg
        if cfg.time_budget <= 0 or (self.state.epochs and not self.epoch_seconds):
            self.state.epochs = self.state.epochs or cfg.epochs
            return
        self.epoch_seconds.append(epoch_seconds)
        # every process must plan the same: average their clocks
        clocks = self._all_reduce(torch.tensor([sum(self.epoch_seconds) / len(self.epoch_seconds),
                                                time.monotonic() - self.started],
                                               device=self.device)) / self.dist.world  # NCCL reduces on the GPU
        per_epoch, elapsed = float(clocks[0]), float(clocks[1])
        first, before = not self.state.epochs, self.state.epochs or cfg.epochs
        self.state.epochs = epochs_within(cfg.time_budget * 60, elapsed, per_epoch, self.state.epoch, before)
        if first and self.state.epochs < cfg.epochs:
            log.warning("time budget: an epoch takes %.0f s, so %d of the %d epochs fit in --time-budget %g min; "
                        "training for %d, the learning rate decaying over them (--time-budget 0: no limit)",
                        per_epoch, self.state.epochs, cfg.epochs, cfg.time_budget, self.state.epochs)
        elif not first and self.state.epochs < before:
            log.warning("time budget: epochs take %.0f s on average, slower than planned: training for %d epochs, "
                        "not %d, to end within --time-budget %g min", per_epoch, self.state.epochs, before,
                        cfg.time_budget)
        if self.tracker and self.state.epochs < before:
            self.tracker.set_tags({"epochs_planned": self.state.epochs,
                                   "epochs_cut_by": f"--time-budget {cfg.time_budget:g} min"})

    def _train_batches(self, epoch: int) -> list[np.ndarray]:
        return batch_indices(len(self.splits["train"]), self.cfg.batch_size, shuffle=True, seed=self.cfg.seed,
                             epoch=epoch, rank=self.dist.rank, world=self.dist.world,
                             drop_last=len(self.splits["train"]) > 2 * self.cfg.batch_size)

    def _num_workers(self) -> int:
        if self.cfg.num_workers >= 0:
            return self.cfg.num_workers
        return 4 if self.device.type == "cuda" else 0  # memory-mapped reads are cheaper than IPC on CPU

    # -- one epoch
    def stop_requested(self, per_batch: bool = False) -> bool:
        """True once --stop-file exists. Per batch only in one process: DDP ranks must stop in step."""
        if not self.cfg.stop_file or (per_batch and self.dist.world > 1):
            return False
        return Path(self.cfg.stop_file).exists()

    def train_epoch(self, epoch: int) -> dict[str, float] | None:
        from tqdm import tqdm

        cfg, model = self.cfg, self.ddp_model
        model.train()
        g = torch.Generator().manual_seed(cfg.seed * 1000 + epoch * 16 + self.dist.rank)
        aug = cfg.augment()
        batches = self._train_batches(epoch)
        total_steps = self.epochs * self.steps_per_epoch
        warmup = int(cfg.warmup_epochs * self.steps_per_epoch)
        loss_sum = torch.zeros((), device=self.device)
        correct = torch.zeros((), device=self.device, dtype=torch.long)
        seen, start = 0, time.perf_counter()
        bar = tqdm(iterate_batches(self.splits["train"], batches, self._num_workers(), self.device.type == "cuda"),
                   total=len(batches), desc=f"epoch {epoch}/{self.epochs}", unit="batch", leave=False,
                   disable=not (cfg.progress and self.dist.main))
        for images, labels in bar:
            if self.stop_requested(per_batch=True):
                return None  # a tuner pruned this trial: the partial epoch is dropped, last.pth is intact
            images = images.to(self.device, non_blocking=True)
            labels = labels.to(self.device, non_blocking=True)
            x = augment_batch(images, aug, self.pcfg, g)  # (B, 3, S, S)
            x, partner, share = mix_batch(x, labels, aug, g)
            if not cfg.channels_last:
                x = x.contiguous()
            for group in self.optimizer.param_groups:
                group["lr"] = lr_at(self.state.step, total_steps, warmup, cfg.lr)
            with torch.autocast(self.device.type, dtype=self.amp_dtype or torch.float32,
                                enabled=self.amp_dtype is not None):
                logits = model(x)
                loss = self.loss_fn(logits, labels)
                if share < 1.0:
                    loss = share * loss + (1.0 - share) * self.loss_fn(logits, partner)
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(loss).backward()
            if cfg.grad_clip > 0:
                self.scaler.unscale_(self.optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            self.scaler.step(self.optimizer)
            self.scaler.update()
            self.state.step += 1
            if self.ema is not None:
                self.ema.update(unwrap(model), step=self.state.step)
            # accumulate on device: a .item() per step would sync the GPU every batch
            loss_sum += loss.detach() * len(labels)
            correct += (logits.argmax(1) == labels).sum()
            seen += len(labels)
        seconds = time.perf_counter() - start
        stats = self._all_reduce(torch.stack([loss_sum.float(), correct.float(), torch.tensor(float(seen),
                                                                                              device=self.device)]))
        return {"train_loss": float(stats[0] / stats[2]), "train_accuracy": float(stats[1] / stats[2]),
                "learning_rate": self.optimizer.param_groups[0]["lr"], "epoch_seconds": seconds,
                "images_per_second": float(stats[2]) / seconds}

    @torch.inference_mode()
    def evaluate_split(self, split: CachedSplit, model: nn.Module | None = None,
                       collective: bool = True) -> tuple[float, np.ndarray]:
        """(mean loss, confusion matrix) over a split; sharded across ranks and summed if collective."""
        model = unwrap(model or self.model)  # unwrapped: DDP's forward would need every rank in step
        model.eval()
        n = len(self.classes)
        cm = torch.zeros(n * n, dtype=torch.long, device=self.device)
        loss_sum = torch.zeros((), device=self.device)
        batches = batch_indices(len(split), self.cfg.batch_size * 2, shuffle=False, seed=0, epoch=0)
        shard = collective and self.dist.world > 1
        if shard:
            batches = batches[self.dist.rank::self.dist.world]
        for images, labels in iterate_batches(split, batches, self._num_workers(), self.device.type == "cuda"):
            images, labels = images.to(self.device), labels.to(self.device)
            x = eval_batch(images, self.pcfg)
            with torch.autocast(self.device.type, dtype=self.amp_dtype or torch.float32,
                                enabled=self.amp_dtype is not None):
                logits = model(x).float()
            loss_sum += nn.functional.cross_entropy(logits, labels, reduction="sum")
            cm += torch.bincount(labels * n + logits.argmax(1), minlength=n * n)
        cm = self._all_reduce(cm) if shard else cm
        loss = self._all_reduce(loss_sum) if shard else loss_sum
        return float(loss) / max(1, int(cm.sum())), cm.view(n, n).cpu().numpy()

    def _all_reduce(self, t: torch.Tensor) -> torch.Tensor:
        if self.dist.world > 1:
            import torch.distributed as td

            td.all_reduce(t)
        return t

    # -- checkpoints
    def checkpoint(self) -> dict[str, Any]:
        ckpt = inference_state(self.eval_model, self.cfg.model, self.classes, self.pcfg, asdict(self.cfg),
                               pretrained=self.pretrained.loaded, pretrained_message=self.pretrained.message,
                               mlflow_run_id=self.tracker.run_id if self.tracker else None)
        # the LR schedule is a pure function of the step (lr_at), so its state is the step count
        schedule = {"kind": "warmup_cosine", "step": self.state.step, "steps_per_epoch": self.steps_per_epoch,
                    "warmup_steps": int(self.cfg.warmup_epochs * self.steps_per_epoch)}
        ckpt.update(format="docclf.checkpoint/1", epoch=self.state.epoch, state=asdict(self.state),
                    optimizer=self.optimizer.state_dict(), scaler=self.scaler.state_dict(), scheduler=schedule)
        if self.ema is not None:
            ckpt["train_state_dict"] = cpu_state(self.model)
        ckpt.update(self.reading_state())
        return ckpt

    def reading_state(self) -> dict[str, Any]:
        """What a fusion checkpoint adds: modality, the text view, OCR settings, fusion settings."""
        from docclf.reading import ocr_config, text_state_for_checkpoint

        state: dict[str, Any] = {"modality": "image" if self.text_view is None else "fusion"}
        if self.text_view is not None:
            state.update(text_view=text_state_for_checkpoint(self.text_view), ocr=ocr_config(self.cfg).to_dict())
        if self.fusion is not None:
            state["fusion"] = self.fusion.to_dict()
        return state

    def fit_text_view(self) -> None:
        """Train the text view (seconds) before the network, or take it from the resumed checkpoint."""
        from docclf.reading import fit_text
        from docclf.textview import TextView

        if self.resume_ckpt and self.resume_ckpt.get("text_view"):
            self.text_view = TextView.from_state(self.resume_ckpt["text_view"])
            return
        train = self.splits["train"]
        self.text_view = fit_text(self.cfg, train.paths, train.labels, self.classes,
                                  progress=self.cfg.progress and self.dist.main)

    @torch.inference_mode()
    def split_logits(self, split: CachedSplit) -> np.ndarray:
        """(N, C) image logits of a split, in order (rank 0 alone)."""
        model = unwrap(self.model)
        model.eval()
        out = []
        batches = batch_indices(len(split), self.cfg.batch_size * 2, shuffle=False, seed=0, epoch=0)
        for images, _ in iterate_batches(split, batches, self._num_workers(), self.device.type == "cuda"):
            out.append(model(eval_batch(images.to(self.device), self.pcfg)).float().cpu().numpy())
        return np.concatenate(out)

    def save(self, name: str, ckpt: dict[str, Any]) -> Path:
        assert self.out_dir is not None
        path = self.out_dir / name
        tmp = path.with_suffix(".tmp")
        torch.save(ckpt, tmp)
        os.replace(tmp, path)  # atomic: a kill mid-save never leaves a torn checkpoint
        return path

    def improved(self, value: float) -> bool:
        best = self.state.best_metric
        if best is None:
            return True
        return value > best if higher_is_better(self.cfg.metric) else value < best


def _run_params(cfg: TrainConfig, trainer: Trainer) -> dict[str, Any]:
    params = {k: v for k, v in asdict(cfg).items()
              if k not in ("resume", "progress", "parent_run_id", "metrics_file", "stop_file")}
    params.update(timm_model=resolve_model_name(cfg.model), num_classes=len(trainer.classes),
                  amp_dtype=str(trainer.amp_dtype).replace("torch.", "") if trainer.amp_dtype else "off",
                  device_resolved=str(trainer.device), world_size=trainer.dist.world,
                  train_images=len(trainer.splits["train"]), val_images=len(trainer.splits["val"]),
                  test_images=len(trainer.splits["test"]) if "test" in trainer.splits else 0,
                  steps_per_epoch=trainer.steps_per_epoch, mean=list(trainer.pcfg.mean), std=list(trainer.pcfg.std))
    return params


def _run_tags(cfg: TrainConfig, trainer: Trainer) -> dict[str, Any]:
    from docclf.tracking import git_commit, library_versions

    data = Path(cfg.data_dir)
    meta = data / "dataset.json"
    tags = {
        "dataset.path": str(data.resolve()),
        "dataset.json_sha256": hashlib.sha256(meta.read_bytes()).hexdigest() if meta.is_file() else "none",
        "dataset.classes": ",".join(trainer.classes),
        "dataset.bad_images": sum(len(s.bad) for s in trainer.splits.values()),
        "git_commit": git_commit(),
        "device": str(trainer.device) + (f" ({torch.cuda.get_device_name(trainer.device)})"
                                         if trainer.device.type == "cuda" else ""),
        "pretrained": str(trainer.pretrained.loaded).lower(),
        "pretrained_message": trainer.pretrained.message,
        "model": resolve_model_name(cfg.model),
    }
    tags.update({f"version.{k}": v for k, v in library_versions().items()})
    return tags


def _split_files(trainer: Trainer) -> dict[str, tuple[list[str], list[str]]]:
    """Each split's files and class names, as the run's dataset inputs list them."""
    return {name: ([str(p) for p in s.paths], [trainer.classes[i] for i in s.labels])
            for name, s in trainer.splits.items()}


def _run_facts(cfg: TrainConfig, trainer: Trainer) -> dict[str, Any]:
    """What the run's description says about its model, data and recipe."""
    return {"model": resolve_model_name(cfg.model), "image_size": cfg.image_size,
            "pretrained": trainer.pretrained.loaded, "data_dir": str(Path(cfg.data_dir).resolve()),
            "counts": {name: len(s) for name, s in trainer.splits.items()}, "classes": trainer.classes,
            "epochs": cfg.epochs, "batch_size": cfg.batch_size, "lr": cfg.lr, "device": str(trainer.device)}


def _install_signal_handlers() -> dict[int, Any]:
    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(signum)

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    return previous


def train(cfg: TrainConfig) -> TrainResult:
    """Train, validate each epoch, test the best model; everything tracked in MLflow (rank 0)."""
    from docclf import tracking

    if cfg.modality == "text":
        return _train_text_only(cfg)
    trainer = Trainer(cfg)
    main = trainer.dist.main
    if main:
        run_id = trainer.resume_ckpt.get("mlflow_run_id") if trainer.resume_ckpt else None
        uri = tracking.resolve_tracking_uri(cfg.tracking_uri)
        name = cfg.mlflow_run_name or f"{cfg.model}-{time.strftime('%Y%m%d-%H%M%S')}"
        trainer.tracker = tracking.RunTracker(uri, cfg.mlflow_experiment, name, run_id=run_id,
                                              parent_run_id=cfg.parent_run_id, system_metrics=True)
        trainer.out_dir = Path(cfg.output_dir or Path("outputs") / trainer.tracker.run_name)
        trainer.out_dir.mkdir(parents=True, exist_ok=True)
        trainer.tracker.log_params(_run_params(cfg, trainer))
        trainer.tracker.set_tags(_run_tags(cfg, trainer))
        trainer.tracker.log_datasets(cfg.data_dir, _split_files(trainer))
        trainer.tracker.describe(_run_facts(cfg, trainer))
        if trainer.state.history:
            trainer.tracker.log_missing_epochs(trainer.state.history)
        log.info("MLflow run %s (%s) in experiment %r at %s; checkpoints in %s", trainer.tracker.run_id,
                 trainer.tracker.run_name, cfg.mlflow_experiment, uri, trainer.out_dir)
    previous = _install_signal_handlers() if main else {}
    status = "FAILED"
    try:
        if cfg.modality == "fusion" and main:
            trainer.fit_text_view()
        result = _fit(trainer)
        if main:
            try:
                result = _finish(trainer, result)
            except tracking.transport_errors() as exc:
                raise UsageError(
                    f"training finished, but the tracking server failed while receiving the final artifacts "
                    f"({type(exc).__name__}); the checkpoints are safe in {trainer.out_dir}: when the server is "
                    f"back, run the same command with --resume {trainer.out_dir / 'last.pth'} to log them") from None
        status = "FINISHED"
        return result
    except Interrupted as exc:
        status = "KILLED"
        log.warning("%s received: run ended as KILLED; resume with --resume %s", exc,
                    (trainer.out_dir / "last.pth") if trainer.out_dir else "auto")
        raise
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        if trainer.tracker:
            trainer.tracker.end(status)
        if trainer.dist.world > 1:
            import torch.distributed as td

            td.destroy_process_group()


def _note_stop(t: Trainer, when: str) -> None:
    log.info("stop requested (%s exists) %s", t.cfg.stop_file, when)
    if t.tracker:
        t.tracker.set_tags({"stopped_by": "stop_file"})


def _fit(t: Trainer) -> TrainResult:
    cfg, state = t.cfg, t.state
    stopped_early = False
    while state.epoch < t.epochs:
        epoch, epoch_start = state.epoch + 1, time.monotonic()
        metrics = t.train_epoch(epoch)
        if metrics is None:
            _note_stop(t, f"during epoch {epoch}")
            stopped_early = True
            break
        val_loss, cm = t.evaluate_split(t.splits["val"], t.eval_model)
        summary = summarize(cm, t.classes)
        metrics.update(val_loss=val_loss, val_accuracy=summary["accuracy"], val_f1=summary["macro_f1"])
        state.epoch = epoch
        t.plan_epochs(time.monotonic() - epoch_start)
        state.history.append({"epoch": epoch, **metrics})
        monitored = metrics[cfg.monitor]
        better = t.improved(monitored)
        if better:
            state.best_metric, state.best_epoch, state.bad_epochs = monitored, epoch, 0
        else:
            state.bad_epochs += 1
        if t.dist.main:
            # checkpoint first: a kill between the two leaves metrics to re-send, never an epoch to redo
            ckpt = t.checkpoint()
            t.save("last.pth", ckpt)
            if better:
                t.save("best.pth", ckpt)
            t.tracker.log_metrics(metrics, step=epoch)
            log.info("epoch %d/%d  train_loss %.4f  train_acc %.3f  val_loss %.4f  val_acc %.3f  val_f1 %.3f  "
                     "%.0f img/s%s", epoch, t.epochs, metrics["train_loss"], metrics["train_accuracy"], val_loss,
                     metrics["val_accuracy"], metrics["val_f1"], metrics["images_per_second"],
                     "  *best*" if better else "")
            if cfg.metrics_file:
                with open(cfg.metrics_file, "a") as fh:
                    fh.write(json.dumps({"epoch": epoch, **metrics}) + "\n")
        if epoch < t.epochs and t.stop_requested():
            _note_stop(t, f"after epoch {epoch}")
            stopped_early = True
            break
        if cfg.patience and state.bad_epochs >= cfg.patience:
            log.info("early stopping: %s has not improved for %d epochs (best %.4f at epoch %d)",
                     cfg.monitor, cfg.patience, state.best_metric, state.best_epoch)
            stopped_early = True
            break
    return TrainResult(t.tracker.run_id if t.tracker else None, t.out_dir, state.best_epoch, state.best_metric,
                       state.history, None, None, stopped_early)


def _finish(t: Trainer, result: TrainResult) -> TrainResult:
    """Test the best model and log the seed's artifacts and the MLflow model."""
    from docclf.plots import confusion_matrix_figure, training_curves

    tracker, cfg = t.tracker, t.cfg
    best_path = t.out_dir / "best.pth"
    if best_path.is_file():
        t.model.load_state_dict(torch.load(best_path, map_location=t.device, weights_only=True)["state_dict"])
    eval_split = "test" if "test" in t.splits else "val"
    views = _calibrate_views(t, eval_split)
    final = inference_state(t.model, cfg.model, t.classes, t.pcfg, asdict(cfg), pretrained=t.pretrained.loaded,
                            pretrained_message=t.pretrained.message, mlflow_run_id=tracker.run_id,
                            best_epoch=t.state.best_epoch, best_metric=t.state.best_metric, monitor=cfg.monitor,
                            **t.reading_state())
    torch.save(final, t.out_dir / "model_final.pth")
    if best_path.is_file():  # best.pth too (calibration): it is what users evaluate and resume from
        best = torch.load(best_path, map_location="cpu", weights_only=True)
        best.update(t.reading_state())
        t.save("best.pth", best)
    final_metrics = {"best_epoch": t.state.best_epoch, f"best_{cfg.monitor}": t.state.best_metric or 0.0,
                     "epochs_completed": t.state.epoch}
    loss, cm = t.evaluate_split(t.splits[eval_split], collective=False)  # rank 0 alone, other ranks are done
    report = summarize(cm, t.classes)
    if "fusion" in views:
        report = _fusion_report(views, final_metrics, eval_split, t.fusion)
        cm = np.asarray(report["confusion_matrix"])
    report["split"] = eval_split
    result.test = report
    if eval_split == "test":
        final_metrics.update(test_loss=loss, test_accuracy=report["accuracy"], test_f1=report["macro_f1"])
    else:
        log.warning("no test/ split: the final report is on val/, which also picked the best epoch")
    (t.out_dir / "config.json").write_text(json.dumps(asdict(cfg), indent=2))
    (t.out_dir / "history.json").write_text(json.dumps(t.state.history, indent=2))
    (t.out_dir / "classification_report.json").write_text(json.dumps(report, indent=2))
    fig = training_curves(t.state.history)
    fig.savefig(t.out_dir / "training_history.png", dpi=110, bbox_inches="tight")
    cm_fig = confusion_matrix_figure(cm, t.classes, f"{eval_split} confusion matrix (best epoch {t.state.best_epoch})")
    cm_fig.savefig(t.out_dir / "confusion_matrix.png", dpi=110, bbox_inches="tight")
    for name in ("model_final.pth", "config.json", "history.json", "classification_report.json",
                 "training_history.png", "confusion_matrix.png"):
        tracker.log_artifact(t.out_dir / name)
    if cfg.log_model:
        meta = {"classes": t.classes, "preprocess": t.pcfg.to_dict(), "model_name": resolve_model_name(cfg.model),
                "mlflow_run_id": tracker.run_id, "outputs": "logits", "config": asdict(cfg),
                "modality": "fusion" if t.text_view is not None else "image"}
        # contiguous like the checkpoints: channels-last weights would make speed depend on the source
        cpu_model = unwrap(t.model).to("cpu", memory_format=torch.contiguous_format).eval()
        result.model_uri = tracker.log_pytorch_model(cpu_model, cfg.image_size, meta)
    tracker.log_summary(final_metrics, report, cfg.monitor)
    log.info("%s: accuracy %.3f, macro F1 %.3f on %d images; run %s", eval_split, report["accuracy"],
             report["macro_f1"], report["n_images"], tracker.run_id)
    return result


def _calibrate_views(t: Trainer, eval_split: str) -> dict[str, dict[str, Any]]:
    """Fit each view's temperature on val (words OCR-noised like real OCR), report views on eval_split."""
    from docclf.config import OTHER_CLASS
    from docclf.reading import calibrate, fused_reports, split_words, wordless_classes

    val, ev = t.splits["val"], t.splits[eval_split]
    text_val = text_ev = None
    has_val, has_ev = np.ones(len(val), bool), np.ones(len(ev), bool)
    if t.text_view is not None:
        words_val = split_words(val.paths, t.cfg, noisy=True, seed=t.cfg.seed + 1, progress=t.cfg.progress)
        words_ev = split_words(ev.paths, t.cfg, noisy=True, seed=t.cfg.seed + 2, progress=t.cfg.progress)
        has_val = np.array([w is not None and bool(w.words) for w in words_val])
        has_ev = np.array([w is not None and bool(w.words) for w in words_ev])
        text_val, text_ev = t.text_view.logits(words_val), t.text_view.logits(words_ev)
    reject = OTHER_CLASS if OTHER_CLASS in t.classes else None
    t.fusion = calibrate(t.split_logits(val), text_val, has_val, val.labels, t.cfg.abstain_below, reject,
                         t.cfg.reject_above, t.cfg.image_temperature_floor)
    if t.text_view is not None:
        t.fusion.wordless_classes = wordless_classes(words_val, val.labels, t.classes)
        log.info("pages where OCR reads next to nothing are answered only as: %s",
                 ", ".join(t.fusion.wordless_classes) or "(none: such pages abstain)")
    fitted = t.fusion.image_temperature_fitted
    floor = (f" (fitted {fitted:.2f}, held at --image-temperature-floor)"
             if fitted is not None and fitted < t.fusion.image_temperature else "")
    log.info("calibrated on val: image temperature %.2f%s, text temperature %.2f%s", t.fusion.image_temperature,
             floor, t.fusion.text_temperature,
             f"; pages like '{reject}' are answered as none of these" if reject else "")
    return fused_reports(t.split_logits(ev), text_ev, has_ev, ev.labels, t.classes, t.fusion)


def _fusion_report(views: dict[str, dict[str, Any]], metrics: dict[str, float], split: str,
                   fusion: Any) -> dict[str, Any]:
    """The fused report, with each view's headline figures beside it (also added to `metrics`)."""
    report = dict(views["fusion"])
    report["views"] = {k: {"accuracy": v["accuracy"], "macro_f1": v["macro_f1"], "ece": v["ece"]}
                       for k, v in views.items()}
    report["fusion"] = fusion.to_dict()  # how the run answers and abstains, beside what it scored
    for view, v in views.items():
        metrics.update({f"{split}_{view}_accuracy": v["accuracy"], f"{split}_{view}_ece": v["ece"]})
    metrics.update(image_temperature=fusion.image_temperature, text_temperature=fusion.text_temperature)
    if fusion.image_temperature_fitted is not None:
        metrics["image_temperature_fitted"] = fusion.image_temperature_fitted
    for view, v in views.items():
        log.info("%s %-6s accuracy %.3f  macro F1 %.3f  ECE %.3f", split, view, v["accuracy"], v["macro_f1"],
                 v["ece"])
    return report


def _train_text_only(cfg: TrainConfig) -> TrainResult:
    """--modality text: the text view alone (no network, seconds), tracked like any run."""
    from docclf import tracking
    from docclf.reading import (calibrate, fused_reports, ocr_config, split_words, text_state_for_checkpoint,
                                wordless_classes)

    classes = find_classes(cfg.data_dir)
    splits = {name: scan_split(cfg.data_dir, name, classes, required=name != "test")
              for name in ("train", "val", "test")}
    splits = {k: v for k, v in splits.items() if v is not None}
    labels = {k: np.asarray(v.labels) for k, v in splits.items()}
    paths = {k: [str(p) for p in v.paths] for k, v in splits.items()}
    uri = tracking.resolve_tracking_uri(cfg.tracking_uri)
    name = cfg.mlflow_run_name or f"text-{time.strftime('%Y%m%d-%H%M%S')}"
    tracker = tracking.RunTracker(uri, cfg.mlflow_experiment, name, parent_run_id=cfg.parent_run_id)
    out_dir = Path(cfg.output_dir or Path("outputs") / tracker.run_name)
    out_dir.mkdir(parents=True, exist_ok=True)
    status = "FAILED"
    try:
        tracker.log_params({k: v for k, v in asdict(cfg).items() if k not in ("resume", "progress")})
        from docclf.reading import fit_text

        tv = fit_text(cfg, paths["train"], labels["train"], classes, progress=cfg.progress)
        words_val = split_words(paths["val"], cfg, noisy=True, seed=cfg.seed + 1, progress=cfg.progress)
        has_val = np.array([w is not None and bool(w.words) for w in words_val])
        from docclf.config import OTHER_CLASS

        fusion = calibrate(None, tv.logits(words_val), has_val, labels["val"], cfg.abstain_below,
                           OTHER_CLASS if OTHER_CLASS in classes else None, cfg.reject_above)
        fusion.wordless_classes = wordless_classes(words_val, labels["val"], classes)
        split = "test" if "test" in splits else "val"
        words_ev = split_words(paths[split], cfg, noisy=True, seed=cfg.seed + 2, progress=cfg.progress)
        has_ev = np.array([w is not None and bool(w.words) for w in words_ev])
        report = fused_reports(None, tv.logits(words_ev), has_ev, labels[split], classes, fusion)["text"]
        report["split"] = split
        report["fusion"] = fusion.to_dict()
        ckpt = {"format": "docclf.checkpoint/1", "model_name": "text", "num_classes": len(classes),
                "classes": classes, "preprocess": {"image_size": 224, "mean": [0.5] * 3, "std": [0.5] * 3},
                "config": asdict(cfg), "state_dict": None, "modality": "text",
                "text_view": text_state_for_checkpoint(tv), "ocr": ocr_config(cfg).to_dict(),
                "fusion": fusion.to_dict(), "mlflow_run_id": tracker.run_id, "epoch": 0}
        for fname in ("best.pth", "model_final.pth"):
            torch.save(ckpt, out_dir / fname)
        (out_dir / "classification_report.json").write_text(json.dumps(report, indent=2))
        (out_dir / "config.json").write_text(json.dumps(asdict(cfg), indent=2))
        tracker.log_metrics({f"{split}_accuracy": report["accuracy"], f"{split}_f1": report["macro_f1"],
                             f"{split}_ece": report["ece"], "text_temperature": fusion.text_temperature}, step=0)
        for fname in ("model_final.pth", "classification_report.json", "config.json"):
            tracker.log_artifact(out_dir / fname)
        log.info("text view: %s accuracy %.3f, macro F1 %.3f; run %s", split, report["accuracy"],
                 report["macro_f1"], tracker.run_id)
        status = "FINISHED"
        return TrainResult(tracker.run_id, out_dir, 0, report["macro_f1"], [], report, None, False)
    finally:
        tracker.end(status)
