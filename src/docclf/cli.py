"""The `docclf` command: one subcommand per pipeline stage. Parse, build a config, call the library."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from docclf.config import (EvaluateConfig, GenerateConfig, PredictConfig, PreviewConfig, RegistryConfig,
                           add_config_args, config_from_args)
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

    cfg = config_from_args(PreviewConfig, ns)
    out = make_contact_sheet(cfg.data_dir, cfg.output, per_class=cfg.per_class, split=cfg.split)
    print(f"contact sheet: {out}")
    return 0


def _train(ns: argparse.Namespace) -> int:
    from docclf.config import TrainConfig
    from docclf.modeling import resolve_model_name
    from docclf.refs import MODEL_ARTIFACT
    from docclf.train import train

    cfg = config_from_args(TrainConfig, ns)
    resolve_model_name(cfg.model)  # a typo fails now, before the dataset is read
    result = train(cfg)
    if result.run_id:
        test = result.test or {}
        print(f"run {result.run_id}: best {cfg.metric} "
              f"{result.best_metric:.4f} at epoch {result.best_epoch}; "
              f"{test.get('split', 'test')} accuracy {test.get('accuracy', float('nan')):.4f}, "
              f"macro F1 {test.get('macro_f1', float('nan')):.4f}")
        print(f"checkpoints: {result.output_dir}" + (f"   logged model: runs:/{result.run_id}/{MODEL_ARTIFACT}"
                                                       if result.model_uri else ""))
        print(f"register it: docclf registry register-model --run-id {result.run_id} --model-name doc_classifier")
        print("see it: mlflow ui  (in this folder), then open http://127.0.0.1:5000")
    return 0


def _evaluate(ns: argparse.Namespace) -> int:
    import json

    from docclf.evaluate import evaluate, format_report, load_classifier

    cfg = config_from_args(EvaluateConfig, ns)
    clf = load_classifier(cfg.model_uri, cfg.tracking_uri)
    report = evaluate(clf, cfg.data_dir, batch_size=cfg.batch_size, cache_dir=cfg.cache_dir,
                      on_bad_image=cfg.on_bad_image, progress=not cfg.json)
    print(json.dumps(report, indent=2) if cfg.json else format_report(report))
    return 0


def _tune(ns: argparse.Namespace) -> int:
    from docclf.config import TuneConfig
    from docclf.tune import describe_plan, format_top_k, make_plan, run_search

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
    _config_command(sub, "evaluate", EvaluateConfig, _evaluate,
                    help="evaluate a checkpoint, run or registered model on a folder")


def _add_generate(sub: argparse._SubParsersAction) -> None:
    _config_command(sub, "generate", GenerateConfig, _generate,
                    help="generate a synthetic document dataset (ImageFolder)")


def _add_preview(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("preview", help="write a contact sheet (grid of samples per class) as PNG")
    add_config_args(p, PreviewConfig)
    p.set_defaults(func=_preview)


@dataclass(frozen=True)
class RegistryAction:
    """One `docclf registry ACTION`: what it does, the options it needs and takes, how it answers."""

    help: str
    call: Callable[[Any, RegistryConfig], Any]  # (Registry, options) -> plain data
    show: Callable[[Any], str]  # plain data -> text for humans
    needs: tuple[str, ...] = ()
    takes: tuple[str, ...] = ()


def _best_run(reg: Any, cfg: RegistryConfig) -> dict[str, Any]:
    best = reg.best_run(cfg.mlflow_experiment, cfg.metric)
    return {**best, "registered": reg.register(best["run_id"], cfg.model_name) if cfg.register else None}


def _show_best_run(d: dict[str, Any]) -> str:
    from docclf import tables

    return tables.format_runs([d]) + (f"\n{tables.format_version(d['registered'])}" if d["registered"] else "")


def _registry_actions() -> dict[str, RegistryAction]:
    from docclf import tables

    model = ("model_name",)
    return {
        "register-model": RegistryAction("register a run's logged model as a new version",
                                         lambda r, c: r.register(c.run_id, c.model_name), tables.format_version,
                                         ("run_id",), model),
        "transition-stage": RegistryAction("move a version to a stage (no gate)",
                                           lambda r, c: r.transition(c.model_name, c.version, c.stage),
                                           tables.format_version, ("version", "stage"), model),
        "promote": RegistryAction("move a validated version to a stage (default Production) behind the gate",
                                  lambda r, c: r.promote(c.model_name, c.version, c.stage or "Production",
                                                         c.tolerance, c.force),
                                  tables.format_version, ("version",), (*model, "stage", "tolerance", "force")),
        "validate": RegistryAction("score a version on held-out data next to Production; stored on the version",
                                   lambda r, c: r.validate(c.model_name, c.version, c.data_dir, c.batch_size,
                                                           c.latency_runs, c.cache_dir),
                                   tables.format_validation, ("version", "data_dir"),
                                   (*model, "batch_size", "latency_runs", "cache_dir")),
        "list-versions": RegistryAction("every version with stage, aliases and validation",
                                        lambda r, c: r.list_versions(c.model_name), tables.format_versions,
                                        takes=model),
        "history": RegistryAction("every recorded stage change: who, when, which version it replaced",
                                  lambda r, c: r.history(c.model_name), tables.format_history, takes=model),
        "set-alias": RegistryAction("point an alias at a version (staging/production move the stage too)",
                                    lambda r, c: r.set_alias(c.model_name, c.alias, c.version),
                                    tables.format_version, ("alias", "version"), model),
        "delete-alias": RegistryAction("remove an alias", lambda r, c: r.delete_alias(c.model_name, c.alias),
                                       lambda d: f"deleted alias {d['deleted_alias']}", ("alias",), model),
        "list-experiments": RegistryAction("the tracking store's experiments", lambda r, c: r.list_experiments(),
                                           tables.format_experiments),
        "list-runs": RegistryAction("runs of an experiment",
                                    lambda r, c: r.list_runs(c.mlflow_experiment, c.order_by, c.max_results),
                                    tables.format_runs, takes=("mlflow_experiment", "order_by", "max_results")),
        "best-run": RegistryAction("the finished run with the best value of a metric (and register it)",
                                   _best_run, _show_best_run,
                                   takes=("mlflow_experiment", "metric", "register", *model)),
        "compare-runs": RegistryAction("params and metrics of runs side by side",
                                       lambda r, c: r.compare_runs(c.run_ids), tables.format_comparison,
                                       ("run_ids",)),
    }


def _registry(ns: argparse.Namespace) -> int:
    import json

    from docclf.registry import PromotionRefused, Registry

    action = _registry_actions()[ns.action]
    cfg = config_from_args(RegistryConfig, ns)
    missing = ["--" + o.replace("_", "-") for o in action.needs if getattr(cfg, o) is None]
    if missing:
        raise UsageError(f"docclf registry {ns.action} needs {' and '.join(missing)}")
    try:
        data = action.call(Registry(cfg.tracking_uri), cfg)
    except PromotionRefused as exc:
        print(f"docclf: refused: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(data, indent=2, default=str) if cfg.json else action.show(data))
    return 0


def _add_registry(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="model registry: register, stages and aliases, validate, promote, runs",
                       epilog="The seed's form `--action ACTION` (python mlflow_utils.py --action ...) also works.")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, action in _registry_actions().items():
        a = actions.add_parser(name, help=action.help, description=action.help)
        add_config_args(a, RegistryConfig, only=(*action.needs, *action.takes, "tracking_uri", "json"),
                        required=action.needs)
    p.set_defaults(func=_registry)


def _legacy_action(argv: list[str]) -> list[str]:
    """`registry --action X ...` (the seed's mlflow_utils.py) -> `registry X ...`."""
    if not argv or argv[0] != "registry":
        return argv
    rest = list(argv[1:])
    for i, arg in enumerate(rest):
        if arg == "--action" and i + 1 < len(rest):
            return ["registry", rest[i + 1], *rest[:i], *rest[i + 2:]]
        if arg.startswith("--action="):
            return ["registry", arg.split("=", 1)[1], *rest[:i], *rest[i + 1:]]
    return argv


def _add_tune(sub: argparse._SubParsersAction) -> None:
    from docclf.config import TuneConfig

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
    from docclf.config import ServeConfig
    from docclf.serve.server import serve

    serve(config_from_args(ServeConfig, ns))
    return 0


def _add_serve(sub: argparse._SubParsersAction) -> None:
    from docclf.config import ServeConfig

    env = ServeConfig.env_prefix
    p = sub.add_parser("serve", help="serve a model over HTTP: /predict, /predict_batch, /health, /metrics, ...",
                       epilog=f"Every option can also be set as an environment variable: {env}MODEL_URI, "
                              f"{env}API_TOKEN, {env}PORT, ... (the flag in capitals, - as _).")
    p.add_argument("--config", help="YAML file with the same options; environment variables and flags win")
    add_config_args(p, ServeConfig)
    p.set_defaults(func=_serve)


def _predict(ns: argparse.Namespace) -> int:
    import json

    from docclf.evaluate import load_classifier
    from docclf.predict import classify_files, expand_paths, format_table

    cfg = config_from_args(PredictConfig, ns)
    paths = expand_paths(cfg.inputs)  # bad paths fail before the model loads
    clf = load_classifier(cfg.model_uri, cfg.tracking_uri)
    results = classify_files(clf, paths, batch_size=cfg.batch_size, cache_dir=cfg.cache_dir, progress=not cfg.json)
    if cfg.json:
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
    add_config_args(p, PredictConfig)
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
    ns = parser.parse_args(_legacy_action(list(sys.argv[1:] if argv is None else argv)))
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
