"""Datasets: ImageFolder scanning, the resized-page cache, batch loading and batch augmentation.

Pages are up to 3508 px, and decoding one costs 10x a MobileNet training step per image. So
each split is decoded and letterboxed once per (dataset, preprocessing) into a uint8 array
on disk, (N, S, S, 3), that later runs and tuning trials memory-map. Augmentation then runs on
whole batches as tensor ops (on the GPU when there is one), so the loader never starves the model.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
from torchvision.ops import roi_align

from docclf.config import AugmentConfig  # noqa: F401 - the augmentation's options, re-exported
from docclf.errors import UsageError
from docclf.folders import SplitFiles, find_classes, scan_split  # noqa: F401 - re-exported
from docclf.locks import file_lock
from docclf.preprocess import BadImageError, PreprocessConfig, letterbox, normalize, open_page_for_size

log = logging.getLogger(__name__)

CACHE_FORMAT = 2  # bump when the cache layout or decoding changes (2: JPEG at 1/8 scale, deep-bit, EXIF)


# --------------------------------------------------------------------------- the cache


@dataclass
class CachedSplit:
    """A split letterboxed to (N, S, S, 3) uint8, memory-mapped from the cache."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    paths: list[str]
    bad: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)


def dataset_fingerprint(files: SplitFiles, pcfg: PreprocessConfig) -> str:
    """Changes whenever an image, the manifest or the preprocessing changes."""
    h = hashlib.sha256()
    h.update(json.dumps({"format": CACHE_FORMAT, "pre": pcfg.to_dict(), "root": str(files.root.resolve())},
                        sort_keys=True).encode())
    manifest = files.root.parent / "manifest.csv"
    if manifest.is_file():
        h.update(hashlib.sha256(manifest.read_bytes()).digest())
    for path, label in zip(files.paths, files.labels):
        st = path.stat()
        h.update(f"{path.relative_to(files.root)}|{label}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def default_cache_dir() -> Path:
    base = os.environ.get("DOCCLF_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "docclf")
    return Path(base)


def _decode_one(args: tuple[str, dict]) -> tuple[bytes | None, str | None]:
    path, pre = args
    pcfg = PreprocessConfig.from_dict(pre)
    try:
        return letterbox(open_page_for_size(path, pcfg.image_size), pcfg).tobytes(), None
    except (BadImageError, OSError) as exc:
        return None, str(exc).split("\n")[0]


def load_or_build_cache(files: SplitFiles, pcfg: PreprocessConfig, cache_dir: str | Path | None = None,
                        on_bad_image: str = "skip", workers: int = 0, progress: bool = True) -> CachedSplit:
    """Memory-map the split's cache, building it first if no valid one exists (safe across processes)."""
    root = Path(cache_dir) if cache_dir else default_cache_dir()
    key = dataset_fingerprint(files, pcfg)
    final = root / f"{files.name}-{pcfg.image_size}-{key}"
    root.mkdir(parents=True, exist_ok=True)
    # Parallel trials that need the same cache wait for one builder instead of all building it.
    with file_lock(root / f"{final.name}.lock"):
        if not (final / "index.json").is_file():
            _build_cache(files, pcfg, final, on_bad_image, workers, progress)
        else:
            log.debug("using cached %s split (%s)", files.name, final)
    return _open_cache(final, files.name, on_bad_image)


def _build_cache(files: SplitFiles, pcfg: PreprocessConfig, final: Path, on_bad_image: str,
                 workers: int, progress: bool) -> None:
    from tqdm import tqdm

    tmp = final.with_name(final.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    s = pcfg.image_size
    images = np.lib.format.open_memmap(tmp / "images.npy", mode="w+", dtype=np.uint8,
                                       shape=(len(files), s, s, 3))
    keep, bad = [], []
    jobs = [(str(p), pcfg.to_dict()) for p in files.paths]
    workers = workers or os.cpu_count() or 1
    bar = tqdm(total=len(jobs), desc=f"caching {files.name} at {s}px", unit="img", disable=not progress)
    with ProcessPoolExecutor(workers) if workers > 1 else _InProcess() as pool:
        for i, (raw, err) in enumerate(pool.map(_decode_one, jobs, chunksize=8)):
            bar.update()
            if err is not None:
                if on_bad_image == "stop":
                    shutil.rmtree(tmp, ignore_errors=True)
                    raise UsageError(f"bad image {files.paths[i]}: {err}; fix or remove it, "
                                     "or pass --on-bad-image skip")
                log.warning("skipping bad image %s: %s", files.paths[i], err)
                bad.append(str(files.paths[i]))
                continue
            images[len(keep)] = np.frombuffer(raw, np.uint8).reshape(s, s, 3)
            keep.append(i)
    bar.close()
    images.flush()
    del images
    index = {"split": files.name, "n": len(keep), "image_size": s, "preprocess": pcfg.to_dict(),
             "paths": [str(files.paths[i]) for i in keep], "labels": [files.labels[i] for i in keep],
             "bad": bad}
    (tmp / "index.json").write_text(json.dumps(index))
    os.replace(tmp, final)  # atomic, and under the lock: no other builder can have made `final`


class _InProcess:
    """ProcessPoolExecutor's map, in this process (one worker: no pickling or start-up cost)."""

    def __enter__(self) -> "_InProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, fn, items, chunksize: int = 1):  # noqa: ANN001 - mirrors Executor.map
        return map(fn, items)


def _open_cache(path: Path, name: str, on_bad_image: str) -> CachedSplit:
    index = json.loads((path / "index.json").read_text())
    if index["bad"]:
        if on_bad_image == "stop":
            raise UsageError(f"bad image {index['bad'][0]} in split {name}; fix or remove it, "
                             "or pass --on-bad-image skip")
        log.warning("%d bad image(s) skipped in %s, e.g. %s", len(index["bad"]), name, index["bad"][0])
    if index["n"] == 0:
        raise UsageError(f"no readable images in split {name}")
    images = np.load(path / "images.npy", mmap_mode="r")[: index["n"]]
    return CachedSplit(name, images, np.asarray(index["labels"], dtype=np.int64), index["paths"], index["bad"])


# --------------------------------------------------------------------------- batches


def batch_indices(n: int, batch_size: int, shuffle: bool, seed: int, epoch: int,
                  rank: int = 0, world: int = 1, drop_last: bool = False) -> list[np.ndarray]:
    """Index batches for one epoch: shuffled by (seed, epoch), sharded across DDP ranks."""
    order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)
    if world > 1:
        per_rank = math.ceil(n / world)
        order = np.resize(order, per_rank * world)[rank::world]  # pad by wrapping so ranks stay in step
    cut = len(order) - len(order) % batch_size if drop_last and len(order) >= batch_size else len(order)
    # sorted within a batch: memory-mapped reads stay sequential; order inside a batch is irrelevant
    return [np.sort(order[i:i + batch_size]) for i in range(0, cut, batch_size)]


class _BatchDataset(torch.utils.data.Dataset):
    def __init__(self, split: CachedSplit, batches: list[np.ndarray]):
        self.split, self.batches = split, batches

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        idx = self.batches[i]
        return torch.from_numpy(np.ascontiguousarray(self.split.images[idx])), torch.from_numpy(self.split.labels[idx])


def iterate_batches(split: CachedSplit, batches: list[np.ndarray], num_workers: int = 0,
                    pin_memory: bool = False) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield (B, S, S, 3) uint8 images and (B,) labels; workers prefetch when num_workers > 0."""
    ds = _BatchDataset(split, batches)
    if num_workers == 0:
        yield from (ds[i] for i in range(len(ds)))
        return
    loader = torch.utils.data.DataLoader(ds, batch_size=None, shuffle=False, num_workers=num_workers,
                                         pin_memory=pin_memory, persistent_workers=False, prefetch_factor=4)
    yield from loader


# --------------------------------------------------------------------------- augmentation


LUMA = (0.299, 0.587, 0.114)


def _uniform(n: int, lo: float, hi: float, g: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=g) * (hi - lo) + lo


def _random_crop_boxes(b: int, s: int, aug: AugmentConfig, g: torch.Generator) -> torch.Tensor:
    area = _uniform(b, aug.crop_scale[0], aug.crop_scale[1], g)
    ratio = _uniform(b, math.log(aug.crop_ratio[0]), math.log(aug.crop_ratio[1]), g).exp()
    w = (s * (area * ratio).sqrt()).clamp(max=s)
    h = (s * (area / ratio).sqrt()).clamp(max=s)
    x0 = torch.rand(b, generator=g) * (s - w)
    y0 = torch.rand(b, generator=g) * (s - h)
    return torch.stack([torch.arange(b, dtype=torch.float32), x0, y0, x0 + w, y0 + h], dim=1)  # (B, 5)


def _colour_transform(images: torch.Tensor, aug: AugmentConfig, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-page (3, 3) matrix and (3,) offset doing brightness, contrast, saturation and grey at once.

    Each of the four is affine in RGB, so their product is one matrix: a single pass over the
    pixels instead of a dozen (measured 3x cheaper than applying them one by one).
    """
    b = images.shape[0]
    eye = torch.eye(3).expand(b, 3, 3)
    luma = torch.tensor(LUMA)
    to_gray = torch.ones(3, 1) @ luma.view(1, 3)  # (3, 3): every channel becomes the luminance
    m = eye / 255.0 * _uniform(b, 1 - aug.brightness, 1 + aug.brightness, g).view(b, 1, 1)
    offset = torch.zeros(b, 3)
    if aug.contrast > 0:  # x -> c (x - mean) + mean, around the page's mean luminance
        mean_rgb = images.float().mean(dim=(1, 2)).cpu()  # (B, 3) in 0..255
        mean_luma = (m @ mean_rgb.unsqueeze(2)).squeeze(2) @ luma  # (B,)
        c = _uniform(b, 1 - aug.contrast, 1 + aug.contrast, g)
        m = m * c.view(b, 1, 1)
        offset = ((1 - c) * mean_luma).view(b, 1).expand(b, 3).clone()
    if aug.saturation > 0:  # x -> s x + (1 - s) gray(x)
        sat = _uniform(b, 1 - aug.saturation, 1 + aug.saturation, g).view(b, 1, 1)
        mix = sat * eye + (1 - sat) * to_gray
        m, offset = mix @ m, (mix @ offset.unsqueeze(2)).squeeze(2)
    if aug.grayscale_prob > 0:
        gray = (torch.rand(b, generator=g) < aug.grayscale_prob).view(b, 1, 1)
        mix = torch.where(gray, to_gray.expand(b, 3, 3), eye)
        m, offset = mix @ m, (mix @ offset.unsqueeze(2)).squeeze(2)
    return m, offset


def augment_batch(images: torch.Tensor, aug: AugmentConfig, pcfg: PreprocessConfig,
                  g: torch.Generator) -> torch.Tensor:
    """(B, S, S, 3) uint8 -> augmented, normalised (B, 3, S, S) float32 (channels-last), on `images`' device."""
    b, s, _, _ = images.shape
    dev = images.device
    m, offset = _colour_transform(images, aug, g)
    x = images.reshape(b, s * s, 3).float()  # (B, S*S, 3)
    x = torch.baddbmm(offset.to(dev).unsqueeze(1), x, m.to(dev).transpose(1, 2)).clamp_(0.0, 1.0)
    std = torch.tensor(pcfg.std, device=dev)
    x = torch.addcmul((-torch.tensor(pcfg.mean, device=dev) / std), x, 1.0 / std)  # normalise, one pass
    x = x.view(b, s, s, 3).permute(0, 3, 1, 2)  # (B, 3, S, S), channels-last in memory
    if aug.crop_scale[0] < 1.0:
        x = roi_align(x, _random_crop_boxes(b, s, aug, g).to(dev), output_size=(s, s), spatial_scale=1.0,
                      sampling_ratio=1, aligned=True)
    if aug.hflip_prob > 0:
        flip = (torch.rand(b, generator=g) < aug.hflip_prob).to(dev)
        x = torch.where(flip.view(b, 1, 1, 1), x.flip(3), x)
    return x.contiguous(memory_format=torch.channels_last)


def mix_batch(x: torch.Tensor, labels: torch.Tensor, aug: AugmentConfig,
              g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor, float]:
    """Mixup or CutMix of an augmented batch with itself in reverse order (timm's pairing).

    Returns (mixed pages, each page's partner label, the share of its own label): the loss is
    share * CE(own) + (1 - share) * CE(partner). Without --mixup/--cutmix the batch comes back as it
    was, with share 1. Driven by `g` alone, so a resumed run mixes exactly as an uninterrupted one.
    """
    kinds = [(kind, a) for kind, a in (("mixup", aug.mixup), ("cutmix", aug.cutmix)) if a > 0]
    if not kinds or len(labels) < 2:
        return x, labels, 1.0
    kind, alpha = kinds[int(torch.randint(len(kinds), (1,), generator=g))]
    rng = np.random.default_rng(int(torch.randint(2**31 - 1, (1,), generator=g)))
    share = float(rng.beta(alpha, alpha))
    partner = x.flip(0)
    if kind == "mixup":
        return x * share + partner * (1.0 - share), labels.flip(0), share
    # CutMix: a box of (1 - share) of the area, anywhere on the page, clipped at the edges
    h, w = x.shape[-2:]
    cut = math.sqrt(1.0 - share)
    bh, bw = int(h * cut), int(w * cut)
    cy, cx = int(rng.integers(h)), int(rng.integers(w))
    y0, y1 = max(cy - bh // 2, 0), min(cy + bh // 2, h)
    x0, x1 = max(cx - bw // 2, 0), min(cx + bw // 2, w)
    mixed = x.clone()
    mixed[..., y0:y1, x0:x1] = partner[..., y0:y1, x0:x1]
    return mixed, labels.flip(0), 1.0 - (y1 - y0) * (x1 - x0) / (h * w)


def eval_batch(images: torch.Tensor, pcfg: PreprocessConfig) -> torch.Tensor:
    """(B, S, S, 3) uint8 -> normalised (B, 3, S, S): exactly `preprocess.preprocess` of the pages."""
    return normalize(images, pcfg).contiguous(memory_format=torch.channels_last)
