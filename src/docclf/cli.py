"""The `docclf` command: one subcommand per pipeline stage. Parse, build a config, call the library."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from docclf.config import GenerateConfig, add_config_args, config_from_args
from docclf.errors import Interrupted, UsageError


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
    from docclf.modeling import resolve_model_name
    from docclf.train import TrainConfig, train

    cfg = config_from_args(TrainConfig, ns)
    resolve_model_name(cfg.model)  # a typo fails now, before the dataset is read
    result = train(cfg)
    if result.run_id:
        test = result.test or {}
        print(f"run {result.run_id}: best {cfg.metric} "
              f"{result.best_metric:.4f} at epoch {result.best_epoch}; "
              f"{test.get('split', 'test')} accuracy {test.get('accuracy', float('nan')):.4f}, "
              f"macro F1 {test.get('macro_f1', float('nan')):.4f}")
        print(f"checkpoints: {result.output_dir}" + (f"   logged model: runs:/{result.run_id}/pytorch_model"
                                                       if result.model_uri else ""))
        print(f"register it: python mlflow_utils.py --action register-model --run-id {result.run_id} "
              "--model-name doc_classifier")
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


def _config_command(sub: argparse._SubParsersAction, name: str, cls: type, func: Callable[..., int],
                    **kw: str) -> argparse.ArgumentParser:
    """A subcommand whose flags are the fields of a config dataclass, plus --config FILE.yaml."""
    p = sub.add_parser(name, **kw)
    p.add_argument("--config", help="YAML file with the same options; the command line wins")
    add_config_args(p, cls)
    p.set_defaults(func=func)
    return p


def _add_train(sub: argparse._SubParsersAction) -> None:
    from docclf.config import TrainConfig

    _config_command(sub, "train", TrainConfig, _train, help="train a classifier, tracked in MLflow")


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
    _config_command(sub, "generate", GenerateConfig, _generate,
                    help="generate a synthetic document dataset (ImageFolder)")


def _add_preview(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="write a contact sheet (grid of samples per class) as PNG")
    p.add_argument("data_dir", help="dataset folder written by `docclf generate` (or any ImageFolder)")
    p.add_argument("--output", default=None, help="PNG path (default: DATA_DIR/contact_sheet.png)")
    p.add_argument("--per-class", type=int, default=6, help="samples per class (default: 6)")
    p.add_argument("--split", default="train", help="split to sample from (default: train)")
    p.set_defaults(func=_preview)


REGISTRY_ACTIONS = {  # action: the options it needs
    "register-model": ("run_id",), "transition-stage": ("version", "stage"), "promote": ("version",),
    "validate": ("version", "data_dir"), "list-versions": (), "history": (), "set-alias": ("alias", "version"),
    "delete-alias": ("alias",), "list-experiments": (), "list-runs": (), "best-run": (), "compare-runs": ("run_ids",)}


def _registry(ns: argparse.Namespace) -> int:
    import json

    from docclf import registry as r

    missing = ["--" + o.replace("_", "-") for o in REGISTRY_ACTIONS[ns.action] if getattr(ns, o) is None]
    if missing:
        raise UsageError(f"--action {ns.action} needs {' and '.join(missing)}")
    reg, name = r.Registry(ns.tracking_uri), ns.model_name
    actions = {
        "register-model": (lambda: reg.register(ns.run_id, name), r.format_version),
        "transition-stage": (lambda: reg.transition(name, ns.version, ns.stage), r.format_version),
        "promote": (lambda: reg.promote(name, ns.version, ns.stage or "Production", ns.tolerance, ns.force),
                    r.format_version),
        "validate": (lambda: reg.validate(name, ns.version, ns.data_dir, ns.batch_size, ns.latency_runs,
                                          ns.cache_dir), r.format_validation),
        "list-versions": (lambda: reg.list_versions(name), r.format_versions),
        "history": (lambda: reg.history(name), r.format_history),
        "set-alias": (lambda: reg.set_alias(name, ns.alias, ns.version), r.format_version),
        "delete-alias": (lambda: reg.delete_alias(name, ns.alias), lambda d: f"deleted alias {d['deleted_alias']}"),
        "list-experiments": (reg.list_experiments, r.format_experiments),
        "list-runs": (lambda: reg.list_runs(ns.experiment, ns.order_by, ns.max_results), r.format_runs),
        "best-run": (lambda: reg.best_run(ns.experiment, ns.metric), r.format_runs),
        "compare-runs": (lambda: reg.compare_runs(ns.run_ids), r.format_comparison),
    }
    call, fmt = actions[ns.action]
    try:
        data = call()
    except r.PromotionRefused as exc:
        print(f"docclf: refused: {exc}", file=sys.stderr)
        return 1
    if ns.action == "best-run":
        best, data = data, {**data, "registered": reg.register(data["run_id"], name) if ns.register else None}
        fmt = lambda d: r.format_runs([best]) + (f"\n{r.format_version(d['registered'])}" if d["registered"] else "")
    print(json.dumps(data, indent=2, default=str) if ns.json else fmt(data))
    return 0


def _add_registry(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="model registry: register, stages and aliases, validate, promote, runs")
    p.add_argument("--action", required=True, choices=tuple(REGISTRY_ACTIONS))
    p.add_argument("--model-name", default="doc_classifier", help="registered model (default: doc_classifier)")
    p.add_argument("--run-id", help="run to register (register-model)")
    p.add_argument("--run-ids", nargs="+", help="runs to compare side by side (compare-runs)")
    p.add_argument("--version", help="model version number, or latest")
    p.add_argument("--stage", help="None, Staging, Production or Archived (promote: default Production)")
    p.add_argument("--alias", help="alias name (set-alias, delete-alias); staging/production move the stage too")
    p.add_argument("--experiment", default="docclf", help="experiment name (list-runs, best-run; default: docclf)")
    p.add_argument("--metric", default="val_accuracy", help="metric for best-run (losses: lowest wins)")
    p.add_argument("--order-by", help="metric to sort list-runs by (best first)")
    p.add_argument("--max-results", type=int, default=50, help="runs listed at most (default: 50)")
    p.add_argument("--register", action="store_true", help="best-run: also register the best run")
    p.add_argument("--data-dir", help="held-out split to validate on (class sub-folders) or a dataset")
    p.add_argument("--tolerance", type=float, default=0.5,
                   help="promote: accuracy points a version may lose against Production (default: 0.5)")
    p.add_argument("--force", action="store_true", help="promote even when the gate refuses")
    p.add_argument("--batch-size", type=int, default=64, help="validate: evaluation batch size")
    p.add_argument("--latency-runs", type=int, default=30, help="validate: timed batch-1 calls (default: 30)")
    p.add_argument("--cache-dir", default=None, help="resized-page cache folder")
    p.add_argument("--tracking-uri", default=None, help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI "
                                                        "or sqlite:///mlflow.db)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts instead of tables")
    p.set_defaults(func=_registry)


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


def _export(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from docclf.export import ExportConfig, ParityError, format_parity, run_export

    cfg = config_from_args(ExportConfig, ns)
    try:
        sidecar = run_export(cfg)
    except ParityError as exc:
        print(f"docclf: export failed its parity check: {exc}", file=sys.stderr)
        return 1
    print(format_parity(sidecar))
    print(f"wrote {Path(cfg.output_dir) / 'model.json'}")
    return 0


def _add_export(sub: argparse._SubParsersAction) -> None:
    from docclf.config import ExportConfig

    _config_command(sub, "export", ExportConfig, _export,
                    help="export to ONNX, TorchScript and INT8, each checked against PyTorch")


def _serve(ns: argparse.Namespace) -> int:
    from docclf.serve.config import config_from_args as serve_config
    from docclf.serve.server import serve

    serve(serve_config(ns))
    return 0


def _add_serve(sub: argparse._SubParsersAction) -> None:
    from docclf.serve.config import ENV_PREFIX, ServeConfig

    p = sub.add_parser("serve", help="serve a model over HTTP: /predict, /predict_batch, /health, /metrics, ...",
                       epilog=f"Every option can also be set as an environment variable: {ENV_PREFIX}MODEL_URI, "
                              f"{ENV_PREFIX}API_TOKEN, {ENV_PREFIX}PORT, ... (the flag in capitals, - as _).")
    p.add_argument("--config", help="YAML file with the same options; environment variables and flags win")
    add_config_args(p, ServeConfig)
    p.set_defaults(func=_serve)


def _predict(ns: argparse.Namespace) -> int:
    import json

    from docclf.evaluate import load_classifier
    from docclf.predict import classify_files, expand_paths, format_table

    paths = expand_paths(ns.inputs)  # bad paths fail before the model loads
    clf = load_classifier(ns.model, ns.tracking_uri)
    results = classify_files(clf, paths, batch_size=ns.batch_size, cache_dir=ns.cache_dir, progress=not ns.json)
    if ns.json:
        for r in results:
            print(json.dumps(r.to_dict()))
    else:
        print(format_table(results))
    failed = sum(r.decision is None for r in results)
    if failed == len(results):
        raise UsageError(f"none of the {len(results)} file(s) could be read as an image")
    return 0


def _add_predict(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("predict", help="classify image files or folders with any model",
                       description="Classify pages: a table by default, --json for one JSON object per file "
                                   "(path, label (null when the model abstains), confidence, probabilities).")
    p.add_argument("inputs", nargs="+", metavar="PATH", help="image files or folders (searched recursively)")
    p.add_argument("--model", "--model-uri", dest="model", required=True,
                   help="checkpoint path, run id / runs:/ID, or models:/NAME/VERSION|STAGE|@ALIAS")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--tracking-uri", default=None, help="MLflow tracking URI for run ids and models:/ URIs")
    p.add_argument("--cache-dir", default=None, help="cache folder (OCR results are kept there)")
    p.set_defaults(func=_predict)


SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_generate, _add_preview, _add_train, _add_evaluate, _add_predict, _add_registry, _add_tune, _add_export,
    _add_serve]


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
    except Interrupted as exc:
        print(f"{parser.prog}: stopped by {exc}; the last finished epoch is saved", file=sys.stderr)
        return 128 + exc.signum


def main() -> None:
    sys.exit(run())


def script_main(command: str, argv: Sequence[str] | None = None) -> None:
    """Entry for the seed's scripts (`train.py`, ...): `docclf COMMAND` with the script's name."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    sys.exit(run([command, *args], parser))
