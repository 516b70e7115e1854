"""Inference speed, measured the same way wherever a claim is made (validate, export, benchmarks)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

BIG_BATCH = 32


def batch_of(images: np.ndarray, size: int) -> np.ndarray:
    """A (size, ...) batch cut from `images`, repeating them when there are fewer than `size`."""
    reps = -(-size // len(images))
    return np.ascontiguousarray(np.concatenate([images] * reps)[:size])


def measure_speed(predict: Callable[[np.ndarray], Any], images: np.ndarray, runs: int = 30) -> dict[str, float]:
    """Latency p50/p95 (ms) at batch 1 over `runs` calls, and images/s at batch 32.

    `images` is a preprocessed float32 (N, 3, S, S) array; time is the model's alone (no decoding).
    Batch-1 calls cycle through the images so that no single page decides the figure.
    """
    predict(images[:1])  # first calls allocate and pick kernels; keep them out of the numbers
    predict(batch_of(images, BIG_BATCH))
    times = []
    for i in range(runs):
        x = images[i % len(images)][None]
        start = time.perf_counter()
        predict(x)
        times.append(time.perf_counter() - start)
    big = batch_of(images, BIG_BATCH)
    big_runs = max(2, runs // 10)
    start = time.perf_counter()
    for _ in range(big_runs):
        predict(big)
    elapsed = time.perf_counter() - start
    ms = np.asarray(times) * 1000
    return {"latency_ms_p50": float(np.percentile(ms, 50)), "latency_ms_p95": float(np.percentile(ms, 95)),
            "throughput_b32": BIG_BATCH * big_runs / elapsed}
