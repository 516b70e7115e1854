"""Input pipeline: one preprocessing path, the cache, batching and batch augmentation."""

from __future__ import annotations

import os

import numpy as np
import torch
from PIL import Image

from docclf.data import (AugmentConfig, augment_batch, batch_indices, eval_batch, find_classes,
                         load_or_build_cache, mix_batch, scan_split)
from docclf.preprocess import PreprocessConfig, letterbox, open_page, preprocess

PCFG = PreprocessConfig(image_size=48)


def _train_split(root):
    return scan_split(root, "train", find_classes(root))


def test_cached_pages_give_exactly_the_serving_tensor(tiny_dataset):
    files = _train_split(tiny_dataset)
    cached = load_or_build_cache(files, PCFG, progress=False)
    direct = preprocess([open_page(p) for p in files.paths[:6]], PCFG)
    from_cache = eval_batch(torch.from_numpy(np.array(cached.images[:6])), PCFG)
    assert torch.equal(direct, from_cache)


def test_letterbox_keeps_page_shape_with_white_padding():
    page = Image.new("RGB", (100, 200), (0, 0, 0))  # portrait, black
    out = letterbox(page, PCFG)
    assert out.shape == (48, 48, 3)
    assert (out[:, :10] == 255).all() and (out[:, -10:] == 255).all()  # white side bars
    assert (out[:, 20:28] == 0).all()  # the page itself, full height


def test_transparent_png_becomes_white_paper(tmp_path):
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(tmp_path / "t.png")
    assert np.asarray(open_page(tmp_path / "t.png")).min() == 255


def test_cache_reused_then_rebuilt_when_an_image_changes(tiny_dataset, caplog):
    caplog.set_level("DEBUG")
    files = _train_split(tiny_dataset)
    first = load_or_build_cache(files, PCFG, progress=False)
    assert "using cached" not in caplog.text
    second = load_or_build_cache(_train_split(tiny_dataset), PCFG, progress=False)
    assert "using cached" in caplog.text and np.array_equal(first.images, second.images)
    # change one page: the cache key changes and the new pixels are used
    Image.new("RGB", (90, 120), (0, 0, 0)).save(files.paths[0])
    os.utime(files.paths[0], ns=(1, 1))
    third = load_or_build_cache(_train_split(tiny_dataset), PCFG, progress=False)
    assert third.images[0].mean() < first.images[0].mean()


def test_ddp_shards_cover_each_image_once_per_epoch():
    shards = [np.concatenate(batch_indices(23, 4, True, seed=1, epoch=3, rank=r, world=2)) for r in range(2)]
    assert len(shards[0]) == len(shards[1])  # ranks stay in step
    assert set(shards[0]) | set(shards[1]) == set(range(23))
    a = np.concatenate(batch_indices(23, 4, True, seed=1, epoch=3))
    b = np.concatenate(batch_indices(23, 4, True, seed=1, epoch=4))
    assert sorted(a) == list(range(23)) and not np.array_equal(a, b)  # reshuffled each epoch


def _images(b: int = 6, s: int = 32) -> torch.Tensor:
    return torch.randint(0, 256, (b, s, s, 3), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))


def test_augmentation_off_equals_evaluation_preprocessing():
    off = AugmentConfig(crop_scale=(1.0, 1.0), brightness=0, contrast=0, saturation=0, grayscale_prob=0)
    x = _images()
    assert torch.allclose(augment_batch(x, off, PCFG, torch.Generator()), eval_batch(x, PCFG), atol=1e-5)


def test_mix_batch_off_by_default_mixup_blends_and_cutmix_pastes_a_box():
    x = torch.rand(6, 3, 32, 32)
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    same, partner, share = mix_batch(x, labels, AugmentConfig(), torch.Generator())
    assert same is x and share == 1.0 and torch.equal(partner, labels)

    mixed, partner, share = mix_batch(x, labels, AugmentConfig(mixup=0.4), torch.Generator().manual_seed(3))
    assert 0 < share < 1 and torch.equal(partner, labels.flip(0))  # each page's partner: the batch reversed
    assert torch.allclose(mixed, share * x + (1 - share) * x.flip(0))

    for seed in range(5):
        mixed, partner, share = mix_batch(x, labels, AugmentConfig(cutmix=1.0), torch.Generator().manual_seed(seed))
        own = (mixed == x).all(dim=1)  # (B, H, W): pixels still the page's own
        pasted = (mixed == x.flip(0)).all(dim=1)
        assert (own | pasted).all() and pasted.any()
        # the label share is exactly the share of the page's own pixels (a clipped box counts as clipped)
        assert abs(own[0].float().mean().item() - share) < 1e-6
        again = mix_batch(x, labels, AugmentConfig(cutmix=1.0), torch.Generator().manual_seed(seed))
        assert torch.equal(again[0], mixed) and again[2] == share  # driven by the generator alone


def test_grayscale_makes_channels_equal_and_jitter_stays_in_range():
    x = _images()
    gray = AugmentConfig(crop_scale=(1.0, 1.0), grayscale_prob=1.0)
    y = augment_batch(x, gray, PCFG, torch.Generator().manual_seed(1))
    pixels = y * torch.tensor(PCFG.std).view(1, 3, 1, 1) + torch.tensor(PCFG.mean).view(1, 3, 1, 1)
    assert torch.allclose(pixels[:, 0], pixels[:, 1], atol=1e-5) and torch.allclose(pixels[:, 1], pixels[:, 2], atol=1e-5)
    assert pixels.min() >= -1e-5 and pixels.max() <= 1 + 1e-5
    y2 = augment_batch(x, AugmentConfig(), PCFG, torch.Generator().manual_seed(2))
    assert y2.shape == (6, 3, 32, 32) and y2.is_contiguous(memory_format=torch.channels_last)
    assert not torch.allclose(y2, eval_batch(x, PCFG))


def test_a_folder_of_real_pages_may_lack_the_none_of_these_class_without_a_warning(tmp_path, caplog):
    for name in ("invoice", "letter"):
        (tmp_path / "real" / name).mkdir(parents=True)
        Image.new("RGB", (40, 50), "white").save(tmp_path / "real" / name / "p.png")
    with caplog.at_level("WARNING"):
        files = scan_split(tmp_path, "real", ["invoice", "letter", "other", "resume"], may_lack=("other",))
    assert len(files.paths) == 2
    assert "'resume'" in caplog.text and "'other'" not in caplog.text  # a missing known class still warns
