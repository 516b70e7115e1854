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


def _train(ns: argparse.Namespace) -> int:
    from docclf.train import TrainConfig, train

    result = train(config_from_args(TrainConfig, ns))
    if result.run_id:
        test = result.test or {}
        print(f"run {result.run_id}: best {ns.monitor if 'monitor' in ns else 'val_f1'} "
              f"{result.best_metric:.4f} at epoch {result.best_epoch}; "
              f"{test.get('split', 'test')} accuracy {test.get('accuracy', float('nan')):.4f}, "
              f"macro F1 {test.get('macro_f1', float('nan')):.4f}")
        print(f"checkpoints: {result.output_dir}   model: {result.model_uri or '-'}")
        print("see it: mlflow ui  (in this folder), then open http://127.0.0.1:5000")
    return 0


def _evaluate(ns: argparse.Namespace) -> int:
    import json

    from docclf.evaluate import evaluate, format_report, load_classifier

    clf = load_classifier(ns.model, ns.tracking_uri)
    report = evaluate(clf, ns.data_dir, batch_size=ns.batch_size, cache_dir=ns.cache_dir,
                      on_bad_image=ns.on_bad_image, progress=not ns.json)
    print(json.dumps(report, indent=2) if ns.json else format_report(report))
    return 0


def _tune(ns: argparse.Namespace) -> int:
    from docclf.tune import TuneConfig, describe_plan, format_top_k, make_plan, run_search

    cfg = config_from_args(TuneConfig, ns)
    if cfg.dry_run:
        print(describe_plan(cfg, make_plan(cfg)))
        return 0
    result = run_search(cfg)
    print(format_top_k(result.report, cfg.top_k))
    print(f"all trials, ranked: {result.output}   MLflow parent run: {result.report['mlflow']['parent_run_id']}")
    if result.interrupted:
        print(f"interrupted: run the same command to resume study {result.report['study']}", file=sys.stderr)
        return 130
    return 0


def _add_train(sub: argparse._SubParsersAction) -> None:
    from docclf.train import TrainConfig

    p = sub.add_parser("train", help="train a classifier, tracked in MLflow")
    p.add_argument("--config", help="YAML file with the same options; the command line wins")
    add_config_args(p, TrainConfig)
    p.set_defaults(func=_train)


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="evaluate a checkpoint, run or registered model on a folder")
    p.add_argument("--model", required=True,
                   help="checkpoint path, run id / runs:/ID, or models:/NAME/VERSION|STAGE|@ALIAS")
    p.add_argument("--data-dir", required=True, help="a split folder (class sub-folders) or a whole dataset")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--tracking-uri", default=None, help="MLflow tracking URI for run ids and models:/ URIs")
    p.add_argument("--cache-dir", default=None, help="resized-page cache folder")
    p.add_argument("--on-bad-image", choices=("skip", "stop"), default="skip")
    p.set_defaults(func=_evaluate)


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


def _add_tune(sub: argparse._SubParsersAction) -> None:
    from docclf.tune import TuneConfig

    p = sub.add_parser("tune", help="hyperparameter search (grid, random, tpe) over training, tracked in MLflow",
                       epilog="training options for every trial go after `--`, e.g. "
                              "`docclf tune --epochs 5 -- --pretrained off --weight-decay 0.01`")
    p.add_argument("--config", help="YAML file with the same options; the command line wins")
    add_config_args(p, TuneConfig)
    p.add_argument("train_args", nargs="*", default=argparse.SUPPRESS, metavar="-- TRAIN_OPTION",
                   help="training options for every trial (see `docclf train --help`)")
    p.set_defaults(func=_tune)


SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_generate, _add_preview, _add_train, _add_evaluate, _add_tune]


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
    except Exception as exc:
        from docclf.train import Interrupted

        if isinstance(exc, Interrupted):
            print(f"{parser.prog}: stopped by {exc}; the last finished epoch is saved", file=sys.stderr)
            return 128 + exc.signum
        raise


def main() -> None:
    sys.exit(run())


def script_main(command: str, argv: Sequence[str] | None = None) -> None:
    """Entry for the seed's scripts (`train.py`, ...): `docclf COMMAND` with the script's name."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    sys.exit(run([command, *args], parser))
