"""The `docclf` command: one subcommand per pipeline stage. Parse, build a config, call the library."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from docclf.config import GenerateConfig, add_config_args, config_from_args
from docclf.errors import UsageError


def _generate(ns: argparse.Namespace) -> int:
    from docclf.synth import generate_dataset

    cfg = config_from_args(GenerateConfig, ns)
    summary = generate_dataset(cfg)
    counts = summary["counts"]
    total = sum(sum(c.values()) for c in counts.values())
    print(f"wrote {total} pages to {cfg.output_dir} "
          + ", ".join(f"{split}={sum(c.values())}" for split, c in counts.items()))
    return 0


def _preview(ns: argparse.Namespace) -> int:
    from docclf.synth import make_contact_sheet

    out = make_contact_sheet(ns.data_dir, ns.output, per_class=ns.per_class, split=ns.split)
    print(f"contact sheet: {out}")
    return 0


def _add_generate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("generate", help="generate a synthetic document dataset (ImageFolder)")
    p.add_argument("--config", help="YAML file with the same options; the command line wins")
    add_config_args(p, GenerateConfig)
    p.set_defaults(func=_generate)


def _add_preview(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="write a contact sheet (grid of samples per class) as PNG")
    p.add_argument("data_dir", help="dataset folder written by `docclf generate` (or any ImageFolder)")
    p.add_argument("--output", default=None, help="PNG path (default: DATA_DIR/contact_sheet.png)")
    p.add_argument("--per-class", type=int, default=6, help="samples per class (default: 6)")
    p.add_argument("--split", default="train", help="split to sample from (default: train)")
    p.set_defaults(func=_preview)


SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_generate, _add_preview]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="docclf", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def run(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Parse `argv`, run the subcommand, turn user errors into one line and exit code 2."""
    parser = parser or build_parser()
    ns = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        datefmt="%H:%M:%S")
    try:
        return int(ns.func(ns) or 0)
    except UsageError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{parser.prog}: interrupted", file=sys.stderr)
        return 130


def main() -> None:
    sys.exit(run())


def script_main(command: str, argv: Sequence[str] | None = None) -> None:
    """Entry for the seed's scripts (`train.py`, ...): `docclf COMMAND` with the script's name."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    sys.exit(run([command, *args], parser))
