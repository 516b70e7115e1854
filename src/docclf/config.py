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
