"""What a search searches: its options (TuneConfig), the space, the grid, fixed training options."""

from __future__ import annotations

import argparse
import itertools
import types as pytypes
import typing
from dataclasses import dataclass
from typing import Any

from docclf.config import (MODEL_ALIASES, TrainConfig, TuneConfig, add_config_args, build_config, field_names,
                           load_yaml, parse_bool)
from docclf.errors import UsageError

# The seed's grid flags and the training options they set.
SHORTCUTS = {"models": "model", "batch_sizes": "batch_size", "lrs": "lr", "image_sizes": "image_size"}
# Training options the tuner sets for every trial (they can be neither tuned nor given after `--`),
# and the tune option that sets them, if any.
RESERVED = {"data_dir": "--data-dir", "epochs": "--epochs", "metric": "--metric", "device": "--devices",
            "threads": "--threads", "cache_dir": "--cache-dir", "output_dir": "--output-dir",
            "mlflow_experiment": "--mlflow-experiment", "tracking_uri": "--tracking-uri", "resume": None,
            "mlflow_run_name": None, "parent_run_id": None, "metrics_file": None, "stop_file": None,
            "progress": None}


@dataclass
class SearchPlan:
    """What a search runs: the space (JSON-able), the grid, fixed training options, the trial cap."""

    space: dict[str, Any]  # option -> list of values, or {"low", "high", "log", "step"}
    combinations: list[dict[str, Any]]  # grid only, in the seed's order
    train_args: list[str]
    n_trials: int

    def distributions(self) -> dict[str, Any]:
        return {name: _distribution(name, spec) for name, spec in self.space.items()}


def _train_field_types() -> dict[str, Any]:
    """Training option -> its type (`int | None` -> int)."""
    types = {}
    for name, tp in typing.get_type_hints(TrainConfig).items():
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = typing.get_origin(tp) in (typing.Union, pytypes.UnionType) and len(args) == 1
        types[name] = args[0] if optional else tp
    return types


def _check_tunable(name: str, types: dict[str, Any], where: str) -> None:
    if name not in types:
        raise UsageError(f"{where}: {name!r} is not a training option; see `docclf train --help`")
    if name in RESERVED:
        hint = f"; set it with {RESERVED[name]}" if RESERVED[name] else ""
        raise UsageError(f"{where}: {name!r} is set by the tuner for every trial{hint}")


def _normalise_param(name: str, spec: Any, tp: Any) -> Any:
    """A list of typed values, or a range {low, high, log, step} for int/float options."""
    if isinstance(spec, dict):
        if tp not in (int, float):
            raise UsageError(f"search space: {name} is not numeric; give a list of values")
        unknown = set(spec) - {"low", "high", "log", "step"}
        if unknown or not {"low", "high"} <= set(spec):
            raise UsageError(f"search space: range {name} needs low and high (optional log, step), got {spec}")
        try:
            rng = {"low": tp(spec["low"]), "high": tp(spec["high"]), "log": bool(spec.get("log", False))}
            if spec.get("step") is not None:
                rng["step"] = tp(spec["step"])
        except (TypeError, ValueError):
            raise UsageError(f"search space: cannot read the range of {name} as {tp.__name__}: {spec}") from None
        if not rng["low"] < rng["high"] or (rng["log"] and rng["low"] <= 0):
            raise UsageError(f"search space: range {name} needs low < high (and low > 0 with log), got {spec}")
        return rng
    values = spec if isinstance(spec, list) else [spec]
    if not values:
        raise UsageError(f"search space: {name} has no values")
    try:
        typed = [_coerce_value(v, tp) for v in values]
    except (TypeError, ValueError):
        raise UsageError(f"search space: cannot read the values of {name} as {tp.__name__}: {values}") from None
    if len(set(map(repr, typed))) != len(typed):
        raise UsageError(f"search space: {name} lists a value twice: {values}")
    return typed


def _coerce_value(value: Any, tp: Any) -> Any:
    if tp is bool and isinstance(value, str):
        return parse_bool(value)
    return tp(value) if tp in (int, float, str, bool) else value


def load_space(cfg: TuneConfig) -> dict[str, Any]:
    """The search space from --space (YAML) or from --models/--batch-sizes/--lrs/--image-sizes."""
    if cfg.space:
        raw = load_yaml(cfg.space)
        if not raw:
            raise UsageError(f"search space {cfg.space} is empty")
    else:
        raw = {option: getattr(cfg, flag) for flag, option in SHORTCUTS.items()}
    types = _train_field_types()
    space = {}
    spellings = field_names(TrainConfig)
    for name, spec in raw.items():
        name = spellings.get(str(name), str(name).replace("-", "_"))
        _check_tunable(name, types, "search space")
        space[name] = _normalise_param(name, spec, types[name])
    return space


def _distribution(name: str, spec: Any) -> Any:
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    if isinstance(spec, list):
        return CategoricalDistribution(spec)
    cls = IntDistribution if isinstance(spec["low"], int) else FloatDistribution
    kw = {"step": spec["step"]} if "step" in spec else {}
    return cls(spec["low"], spec["high"], log=spec["log"], **kw)


def _parse_train_args(args: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(file values, command-line values) of the training options given after `--`."""
    parser = argparse.ArgumentParser(prog="docclf tune ... --", add_help=False, exit_on_error=False)
    parser.add_argument("--config")
    add_config_args(parser, TrainConfig)
    try:
        ns, extra = parser.parse_known_args(args)
    except argparse.ArgumentError as exc:
        raise UsageError(f"training options after --: {exc}") from None
    if extra:
        raise UsageError(f"unknown training options after --: {' '.join(extra)}; see `docclf train --help`")
    values = {k: v for k, v in vars(ns).items() if k != "config"}
    return (load_yaml(ns.config) if ns.config else {}), values


def make_plan(cfg: TuneConfig) -> SearchPlan:
    """Check the space and the fixed training options up front: a typo fails now, not in 54 trials."""
    space = load_space(cfg)
    file_values, cli_values = _parse_train_args(cfg.train_args)
    types, spellings = _train_field_types(), field_names(TrainConfig)
    for name in {**file_values, **cli_values}:
        _check_tunable(spellings.get(name, name), types, "training options after --")
        if spellings.get(name, name) in space:
            raise UsageError(f"{name} is both searched and fixed after --; drop one")
    _check_models([*space.get("model", []), cli_values.get("model", file_values.get("model"))])
    for name, spec in space.items():  # every value on its own is a valid training option
        for value in (spec if isinstance(spec, list) else [spec["low"], spec["high"]]):
            build_config(TrainConfig, file_values, {**cli_values, name: value, "epochs": cfg.epochs})
    combinations: list[dict[str, Any]] = []
    if cfg.search_strategy == "grid":
        ranges = [name for name, spec in space.items() if not isinstance(spec, list)]
        if ranges:
            raise UsageError(f"grid search needs a list of values for {', '.join(ranges)} (got a range); "
                             "list the values, or use --search-strategy random or tpe")
        combinations = [dict(zip(space, values)) for values in itertools.product(*space.values())]
        cap = min(cfg.n_trials or len(combinations), len(combinations))
    else:
        cap = cfg.n_trials or 20
    return SearchPlan(space, combinations, list(cfg.train_args), cap)


def _check_models(names: list[Any]) -> None:
    """timm names beyond the short ones need timm to check; a typo fails here, not in every trial."""
    unknown = [n for n in names if n is not None and n not in MODEL_ALIASES]
    if unknown:
        from docclf.modeling import resolve_model_name

        for name in unknown:
            resolve_model_name(name)


def describe_plan(cfg: TuneConfig, plan: SearchPlan) -> str:
    """What --dry-run prints: every grid combination, or the space and the number of draws."""
    lines = []
    if plan.combinations:
        width = len(str(len(plan.combinations)))
        for i, combo in enumerate(plan.combinations, 1):
            lines.append(f"{i:>{width}}  " + "  ".join(f"{k}={fmt_value(v)}" for k, v in combo.items()))
        sizes = " x ".join(f"{len(v)} {k}" for k, v in plan.space.items())
        lines.append(f"{len(plan.combinations)} combinations ({sizes})"
                     + (f"; --n-trials runs the first {plan.n_trials}" if plan.n_trials < len(plan.combinations)
                        else ""))
    else:
        for name, spec in plan.space.items():
            lines.append(f"{name}: " + (", ".join(map(fmt_value, spec)) if isinstance(spec, list) else
                                        f"{spec['low']} .. {spec['high']}" + (" (log)" if spec["log"] else "")))
        lines.append(f"{cfg.search_strategy}: {plan.n_trials} trials drawn from this space")
    lines.append(f"each trial: {cfg.epochs} epochs on {cfg.data_dir}, {cfg.metric} "
                 f"({cfg.resolved_direction}), pruner {cfg.pruner}"
                 + (f", training options: {' '.join(plan.train_args)}" if plan.train_args else ""))
    return "\n".join(lines)


def fmt_value(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
