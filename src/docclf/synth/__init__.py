"""The synthetic document generator: realistic pages of five classes, written as an ImageFolder dataset.

Import-light on purpose: PIL, Faker and numpy load only when a function below is called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docclf.config import GenerateConfig

GENERATOR_NAME = "docclf.synth"
GENERATOR_VERSION = "1.9.0"  # 1.9: printouts as other (code listings, spreadsheets, manual pages, sheet music); 1.8: invoices' mostly blank last pages (a few items or an itemised usage detail, the total, a thank-you line or QR code), 8% of invoices as unfilled templates (1.7 was a trial, reverted); 1.6: shop, marketplace and hotel invoices (retail), customers' labelled phones; 1.5: brief CVs (30%: a line or two of profile, fewer entries and bullets); 1.4.1: unfilled fax and press-release templates as other; 1.4: LaTeX-class CVs, code and algorithms in papers; 1.3: labelled contacts, CV prose; 1.1: words files, vocabulary files, new CV, slide and paper layouts

__all__ = ["GENERATOR_NAME", "GENERATOR_VERSION", "generate_dataset", "make_contact_sheet"]


def generate_dataset(cfg: GenerateConfig, progress: bool = True) -> dict:
    """Write `cfg.output_dir/{train,val,test}/<class>/*`, manifest.csv and dataset.json; return dataset.json."""
    from docclf.synth.dataset import generate_dataset as _generate

    return _generate(cfg, progress)


def make_contact_sheet(data_dir: str | Path, output: str | Path | None = None, per_class: int = 6,
                       split: str = "train") -> Path:
    """Write a labelled grid of sample pages per class (default DATA_DIR/contact_sheet.png); return its path."""
    from docclf.synth.preview import make_contact_sheet as _sheet

    return _sheet(data_dir, output, per_class, split)
