"""Training throughput, side by side in one run: is the input pipeline or the tracker the bottleneck?

For each model, in images per second at the same batch size and image size:
  model-only   forward+backward+AdamW on a random tensor already in memory (the limit)
  loader       the real input pipeline alone: cached pages -> batch augmentation -> tensor
  naive        decoding and resizing each page from disk per batch (what the cache replaces)
  whole loop   Trainer.train_epoch on the cached data, plus the per-epoch MLflow log call
and the share of epoch time spent logging to MLflow (SQLite).

    python benchmarks/bench_train.py                       # generates ~200 pages up to A4 300 dpi
    python benchmarks/bench_train.py --models mobilenetv3_small --data-dir data/documents
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from docclf.config import GenerateConfig, build_config
from docclf.data import augment_batch, batch_indices, iterate_batches
from docclf.preprocess import open_page, preprocess
from docclf.train import Trainer, TrainConfig

MODELS = ["mobilenetv3_small", "mobilenetv3_large", "efficientnet_b0"]


def model_only(t: Trainer, steps: int) -> float:
    """Images/s of the training step alone, on a fixed random batch (channels-last, like the loop)."""
    b, s = t.cfg.batch_size, t.cfg.image_size
    x = torch.randn(b, 3, s, s, device=t.device).contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, len(t.classes), (b,), device=t.device)
    t.model.train()

    def step() -> None:
        loss = t.loss_fn(t.model(x), y)
        t.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(t.model.parameters(), t.cfg.grad_clip)
        t.optimizer.step()

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    if t.device.type == "cuda":
        torch.cuda.synchronize()
    return steps * b / (time.perf_counter() - start)


def loader_only(t: Trainer) -> float:
    split = t.splits["train"]
    g = torch.Generator().manual_seed(0)
    batches = batch_indices(len(split), t.cfg.batch_size, True, 0, 0)
    start, n = time.perf_counter(), 0
    for images, _ in iterate_batches(split, batches, t._num_workers()):
        augment_batch(images.to(t.device), t.cfg.augment(), t.pcfg, g)
        n += len(images)
    return n / (time.perf_counter() - start)


def naive_loader(t: Trainer, max_images: int) -> float:
    """Decode + letterbox every page from its file, as a loader without the cache would."""
    paths = t.splits["train"].paths[:max_images]
    start = time.perf_counter()
    for i in range(0, len(paths), t.cfg.batch_size):
        preprocess([open_page(p) for p in paths[i:i + t.cfg.batch_size]], t.pcfg)
    return len(paths) / (time.perf_counter() - start)


def whole_loop(t: Trainer) -> tuple[float, float]:
    """(images/s of a full epoch including the MLflow call, share of epoch time spent in MLflow)."""
    start = time.perf_counter()
    metrics = t.train_epoch(1)
    log_start = time.perf_counter()
    t.tracker.log_metrics(metrics, step=1)
    end = time.perf_counter()
    images = sum(len(b) for b in t._train_batches(1))
    return images / (end - start), (end - log_start) / (end - start)


def ensure_data(data_dir: str | None, tmp: Path, per_class: int) -> str:
    if data_dir:
        return data_dir
    from docclf.synth import generate_dataset

    out = tmp / "data"
    generate_dataset(build_config(GenerateConfig, cli_values=dict(
        output_dir=str(out), num_per_class=per_class, min_size=1000, max_size=3508, seed=1)), progress=True)
    return str(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=MODELS)
    ap.add_argument("--data-dir", help="existing dataset (default: generate one in a temp dir)")
    ap.add_argument("--per-class", type=int, default=40, help="pages per class when generating")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--image-size", type=int, default=224)
    ap.add_argument("--naive-images", type=int, default=64)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ.setdefault("DOCCLF_CACHE_DIR", str(tmp / "cache"))
        data = ensure_data(args.data_dir, tmp, args.per_class)
        from docclf import tracking

        rows = []
        for name in args.models:
            cfg = build_config(TrainConfig, cli_values=dict(
                data_dir=data, model=name, batch_size=args.batch_size, image_size=args.image_size, epochs=1,
                pretrained="off", progress=False, tracking_uri=f"sqlite:///{tmp}/mlflow.db"))
            t = Trainer(cfg)
            t.tracker = tracking.RunTracker(cfg.tracking_uri, "bench", name)
            steps = max(3, len(t.splits["train"]) // args.batch_size)
            limit = model_only(t, steps)
            loader = loader_only(t)
            naive = naive_loader(t, args.naive_images)
            loop, log_share = whole_loop(t)
            t.tracker.end()
            rows.append((name, limit, loader, naive, loop, loop / limit, log_share))
            print(f"  measured {name}", flush=True)

    print(f"\ntraining throughput, images/s (batch {args.batch_size}, {args.image_size}px, "
          f"{torch.get_num_threads()} threads, {t.device})")
    header = f"{'model':<20}{'model-only':>12}{'loader':>10}{'naive':>10}{'whole loop':>12}{'loop/model':>12}{'MLflow':>9}"
    print(header)
    print("-" * len(header))
    for name, limit, loader, naive, loop, ratio, share in rows:
        print(f"{name:<20}{limit:>12.1f}{loader:>10.0f}{naive:>10.1f}{loop:>12.1f}{ratio:>11.0%}{share:>9.2%}")
    print("\nloader = cached pages + batch augmentation; naive = decode + letterbox from the files each time")


if __name__ == "__main__":
    main()
