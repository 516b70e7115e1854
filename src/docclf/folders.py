"""A dataset's folders: class names from train/, each split's images by class. No torch here, so commands that
only check or list a dataset (the tuner's parent process, `docclf predict` on folders) start in a fraction of
the time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from docclf.errors import UsageError

log = logging.getLogger(__name__)

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp", ".gif"}


@dataclass
class SplitFiles:
    """The image files of one split, with labels indexing `classes`."""

    name: str
    root: Path
    paths: list[Path]
    labels: list[int]

    def __len__(self) -> int:
        return len(self.paths)


def _images_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_EXTENSIONS and p.is_file())


def _class_dirs(split_dir: Path) -> list[Path]:
    return sorted(d for d in split_dir.iterdir() if d.is_dir() and not d.name.startswith("."))


def find_classes(data_dir: str | Path) -> list[str]:
    """Class names from the train split's folders; a clear error when the layout is wrong."""
    root = Path(data_dir)
    hint = ("generate one with `python scripts/generate_dataset.py --output-dir DIR` or point "
            "--data-dir at a folder with train/ and val/, one sub-folder per class")
    if not root.is_dir():
        raise UsageError(f"data dir {root} does not exist; {hint}")
    train = root / "train"
    if not train.is_dir():
        raise UsageError(f"data dir {root} has no train/ folder; {hint}")
    classes = [d.name for d in _class_dirs(train)]
    if len(classes) < 2:
        raise UsageError(f"{train} has {len(classes)} class folder(s); a classifier needs at least 2")
    return classes


def scan_split(data_dir: str | Path, split: str, classes: list[str], required: bool = True,
               may_lack: tuple[str, ...] = ()) -> SplitFiles | None:
    """List a split's images by class; errors name the folder and say what to do. A class in `may_lack`
    (the "none of these" class, in a folder of real pages to evaluate on) may be absent without a warning."""
    split_dir = Path(data_dir) / split
    if not split_dir.is_dir():
        if required:
            raise UsageError(f"{split_dir} not found; the dataset needs train/ and val/ splits")
        return None
    extra = sorted({d.name for d in _class_dirs(split_dir)} - set(classes))
    if extra:
        raise UsageError(f"{split_dir} has class folder(s) {', '.join(extra)} that train/ lacks")
    paths, labels = [], []
    for label, name in enumerate(classes):
        files = _images_in(split_dir / name) if (split_dir / name).is_dir() else []
        if not files and split == "train":
            raise UsageError(f"class folder {split_dir / name} has no images "
                             f"({', '.join(sorted(IMAGE_EXTENSIONS))}); add images or remove the folder")
        if not files and name not in may_lack:
            log.warning("%s has no images for class %r", split_dir, name)
        paths += files
        labels += [label] * len(files)
    if not paths:
        raise UsageError(f"{split_dir} holds no images")
    return SplitFiles(split, split_dir, paths, labels)
