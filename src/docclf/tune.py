"""Hyperparameter search: grid, random or TPE over `docclf train`, on an Optuna study.

Each trial is a `docclf train` subprocess (what `train.py` runs) with its own output folder. The
study is one MLflow parent run; every trial is a child run under it. What crosses the process
boundaries, and how:

- Pruning: a trial appends one JSON line per epoch to its --metrics-file; the tuner polls the
  file, reports each epoch to Optuna and, when the pruner says stop, creates the trial's
  --stop-file. Training then stops after the epoch in progress and ends its run normally.
- Sharing work: the study lives in --storage. Workers (threads here, processes on any machine)
  claim trials under a study lock: a file lock beside a SQLite file, an advisory lock on
  PostgreSQL. A grid is enqueued once, as WAITING trials, and workers pop distinct ones; Optuna's
  GridSampler on its own can hand one combination to two parallel workers.
- Resume: finished trials stay finished. The trials of a worker that died stop beating; after
  --grace-period they are failed and re-queued (RetryHeartbeatStaleTrialCallback). Ctrl-C stops
  the running trials and re-queues them the same way, so the same command carries on.
"""

from __future__ import annotations

import argparse
import csv
import fcntl
import hashlib
import io
import itertools
import json
import logging
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types as pytypes
import typing
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docclf.config import add_config_args, build_config, load_yaml, opt
from docclf.errors import UsageError

if TYPE_CHECKING:
    import optuna
    from optuna.trial import FrozenTrial

log = logging.getLogger(__name__)

METRICS = {"val_accuracy": "maximize", "val_f1": "maximize", "val_loss": "minimize"}
# The seed's grid flags and the training options they set.
SHORTCUTS = {"models": "model", "batch_sizes": "batch_size", "lrs": "lr", "image_sizes": "image_size"}
# Training options the tuner sets for every trial (they can be neither tuned nor given after `--`),
# and the tune option that sets them, if any.
RESERVED = {"data_dir": "--data-dir", "epochs": "--epochs", "monitor": "--metric", "device": "--devices",
            "threads": "--threads", "cache_dir": "--cache-dir", "output_dir": "--output-dir",
            "mlflow_experiment": "--mlflow-experiment", "tracking_uri": "--tracking-uri", "resume": None,
            "mlflow_run_name": None, "parent_run_id": None, "metrics_file": None, "stop_file": None,
            "progress": None}
STATE_ORDER = {"COMPLETE": 0, "PRUNED": 1, "FAIL": 2, "RUNNING": 3, "WAITING": 4}
POLL_SECONDS = 0.5


@dataclass
class TuneConfig:
    """Options of a hyperparameter search (`docclf tune`, `tune_hyperparameters.py`)."""

    search_strategy: str = opt("grid", "grid (every combination once), random or tpe (Bayesian, Optuna's TPE)",
                               choices=("grid", "random", "tpe"))
    n_trials: int | None = opt(None, "trials in the study (default: grid all combinations, random/tpe 20)")
    data_dir: str = opt("data/documents", "dataset every trial trains on")
    epochs: int = opt(10, "training epochs per trial")
    models: list[str] = opt(["mobilenetv3_large", "mobilenetv3_small", "efficientnet_b0"], "models to search")
    batch_sizes: list[int] = opt([32, 64, 128], "batch sizes to search")
    lrs: list[float] = opt([1e-4, 3e-4, 1e-3], "learning rates to search")
    image_sizes: list[int] = opt([224, 256], "image sizes to search")
    space: str | None = opt(None, "YAML search space {option: [values] or {low, high, log}}; replaces "
                                  "--models/--batch-sizes/--lrs/--image-sizes")
    metric: str = opt("val_accuracy", "per-epoch validation metric to optimise, rank and prune on",
                      choices=tuple(METRICS))
    direction: str = opt("auto", "maximize or minimize the metric (auto: from the metric)",
                         choices=("auto", "maximize", "minimize"))
    pruner: str = opt("none", "stop unpromising trials early on their per-epoch metric",
                      choices=("none", "median", "hyperband"))
    pruner_warmup_epochs: int = opt(1, "epochs a trial trains before it can be pruned")
    pruner_startup_trials: int = opt(3, "median pruner: finished trials before it prunes any")
    n_jobs: int = opt(1, "trials run at once here; CPU threads (or GPUs) are divided between them")
    threads: int = opt(0, "CPU threads per trial (0 = this machine's cores divided by --n-jobs)")
    devices: str = opt("auto", "auto (CUDA GPUs if any), cpu, or GPU ids like 0,1: one GPU per running trial")
    storage: str = opt("sqlite:///optuna.db", "Optuna storage URL: a SQLite file, or postgresql://... "
                                              "shared by workers on several machines")
    study_name: str | None = opt(None, "study to create or resume (default: EXPERIMENT-STRATEGY)")
    seed: int | None = opt(None, "sampler seed (random/tpe; reproducible with one worker)")
    tpe_startup_trials: int = opt(0, "tpe: random trials before TPE models the space (0 = auto)")
    heartbeat_interval: int = opt(30, "seconds between a running trial's heartbeats")
    grace_period: int = opt(120, "seconds without a heartbeat after which a trial is re-queued")
    max_retries: int = opt(2, "times a trial whose worker died or was stopped is re-queued")
    retry_failed: bool = opt(False, "run the parameters of failed trials again")
    trial_timeout: float = opt(0.0, "seconds after which a trial is stopped and failed (0 = no limit)")
    mlflow_experiment: str = opt("tuning", "MLflow experiment of the parent run and its trials")
    tracking_uri: str | None = opt(None, "MLflow tracking URI (default: $MLFLOW_TRACKING_URI or sqlite:///mlflow.db)")
    cache_dir: str | None = opt(None, "resized-page cache shared by the trials (default: training's default)")
    output_dir: str | None = opt(None, "folder of the trials' outputs (default: outputs/tuning/STUDY)")
    output: str = opt("tuning_results.json", "JSON file with every trial, ranked")
    top_k: int = opt(5, "rows of the printed table")
    dry_run: bool = opt(False, "print the combinations (grid) or the space, and exit")
    train_args: list[str] = field(default_factory=list, metadata={
        "cli": False, "help": "training options for every trial (after `--` on the command line)"})

    def validate(self) -> None:
        for name in ("epochs", "n_jobs", "top_k", "heartbeat_interval"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.n_trials is not None and self.n_trials <= 0:
            raise UsageError(f"--n-trials must be positive, got {self.n_trials}")
        if self.grace_period <= self.heartbeat_interval:
            raise UsageError(f"--grace-period ({self.grace_period}) must exceed --heartbeat-interval "
                             f"({self.heartbeat_interval}), or live trials would be re-queued")
        for name in ("pruner_warmup_epochs", "pruner_startup_trials", "tpe_startup_trials", "threads",
                     "max_retries", "trial_timeout"):
            if getattr(self, name) < 0:
                raise UsageError(f"--{name.replace('_', '-')} must be >= 0, got {getattr(self, name)}")

    @property
    def resolved_direction(self) -> str:
        return METRICS[self.metric] if self.direction == "auto" else self.direction

    @property
    def resolved_study_name(self) -> str:
        return self.study_name or f"{self.mlflow_experiment}-{self.search_strategy}"


@dataclass
class SearchPlan:
    """What a search runs: the space (JSON-able), the grid, fixed training options, the trial cap."""

    space: dict[str, Any]  # option -> list of values, or {"low", "high", "log", "step"}
    combinations: list[dict[str, Any]]  # grid only, in the seed's order
    train_args: list[str]
    n_trials: int

    def distributions(self) -> dict[str, Any]:
        return {name: _distribution(name, spec) for name, spec in self.space.items()}


@dataclass
class TuneResult:
    report: dict[str, Any]  # what the JSON file holds
    output: Path
    interrupted: bool


# --------------------------------------------------------------------------- the search space


def _train_field_types() -> dict[str, Any]:
    """Training option -> its type (`int | None` -> int)."""
    from docclf.train import TrainConfig

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
        from docclf.config import _parse_bool

        return _parse_bool(value)
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
    for name, spec in raw.items():
        name = str(name).replace("-", "_")
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
    from docclf.train import TrainConfig

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
    from docclf.train import TrainConfig

    space = load_space(cfg)
    file_values, cli_values = _parse_train_args(cfg.train_args)
    types = _train_field_types()
    for name in {**file_values, **cli_values}:
        _check_tunable(name.replace("-", "_"), types, "training options after --")
        if name.replace("-", "_") in space:
            raise UsageError(f"{name} is both searched and fixed after --; drop one")
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


def describe_plan(cfg: TuneConfig, plan: SearchPlan) -> str:
    """What --dry-run prints: every grid combination, or the space and the number of draws."""
    lines = []
    if plan.combinations:
        width = len(str(len(plan.combinations)))
        for i, combo in enumerate(plan.combinations, 1):
            lines.append(f"{i:>{width}}  " + "  ".join(f"{k}={_fmt(v)}" for k, v in combo.items()))
        sizes = " x ".join(f"{len(v)} {k}" for k, v in plan.space.items())
        lines.append(f"{len(plan.combinations)} combinations ({sizes})"
                     + (f"; --n-trials runs the first {plan.n_trials}" if plan.n_trials < len(plan.combinations)
                        else ""))
    else:
        for name, spec in plan.space.items():
            lines.append(f"{name}: " + (", ".join(map(_fmt, spec)) if isinstance(spec, list) else
                                        f"{spec['low']} .. {spec['high']}" + (" (log)" if spec["log"] else "")))
        lines.append(f"{cfg.search_strategy}: {plan.n_trials} trials drawn from this space")
    lines.append(f"each trial: {cfg.epochs} epochs on {cfg.data_dir}, {cfg.metric} "
                 f"({cfg.resolved_direction}), pruner {cfg.pruner}"
                 + (f", training options: {' '.join(plan.train_args)}" if plan.train_args else ""))
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- the study


def mask_url(url: str) -> str:
    """The storage URL without its password, fit for logs and MLflow."""
    import sqlalchemy

    try:
        return sqlalchemy.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a database URL: nothing to hide
        return url


class StudyLock:
    """Mutual exclusion between all workers of one study, across threads, processes and machines.

    SQLite: an flock on a file beside the database (every worker shares that file system).
    PostgreSQL: a session advisory lock. Anything else: only this process's threads.
    """

    _threads = threading.Lock()

    def __init__(self, storage_url: str, study_name: str):
        import sqlalchemy

        self._url = sqlalchemy.engine.make_url(storage_url)
        self._backend = self._url.get_backend_name()
        self._key = int.from_bytes(hashlib.sha1(f"docclf-tune:{study_name}".encode()).digest()[:8], "big",
                                   signed=True)
        self._engine = None
        self._held: list[Any] = []
        self._file: Path | None = None
        if self._backend == "sqlite" and self._url.database not in (None, "", ":memory:"):
            db = Path(self._url.database).resolve()
            db.parent.mkdir(parents=True, exist_ok=True)
            self._file = db.with_name(db.name + ".lock")
        elif self._backend not in ("sqlite", "postgresql"):
            log.warning("storage %s: no cross-machine lock for %s; workers on other machines may "
                        "enqueue a grid twice", mask_url(storage_url), self._backend)

    def __enter__(self) -> "StudyLock":
        self._threads.acquire()
        try:
            if self._file is not None:
                fh = open(self._file, "a")
                fcntl.flock(fh, fcntl.LOCK_EX)
                self._held.append(fh)
            elif self._backend == "postgresql":
                import sqlalchemy
                import sqlalchemy.pool

                if self._engine is None:
                    self._engine = sqlalchemy.create_engine(self._url, poolclass=sqlalchemy.pool.NullPool)
                conn = self._engine.connect()
                conn.execute(sqlalchemy.text("SELECT pg_advisory_lock(:k)"), {"k": self._key})
                self._held.append(conn)
        except BaseException:
            self._threads.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            while self._held:
                held = self._held.pop()
                if self._file is not None:
                    fcntl.flock(held, fcntl.LOCK_UN)
                else:
                    import sqlalchemy

                    held.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                held.close()
        finally:
            self._threads.release()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def _signature(cfg: TuneConfig, plan: SearchPlan) -> dict[str, Any]:
    """What makes two commands the same search: resuming with a different one is refused."""
    return {"search_strategy": cfg.search_strategy, "metric": cfg.metric, "direction": cfg.resolved_direction,
            "epochs": cfg.epochs, "space": plan.space}


def _create_sampler(cfg: TuneConfig, plan: SearchPlan) -> Any:
    import optuna

    if cfg.search_strategy == "grid":
        # The grid's combinations are enqueued trials; the sampler only documents the grid.
        return optuna.samplers.GridSampler(plan.space, seed=0)
    if cfg.search_strategy == "random":
        return optuna.samplers.RandomSampler(seed=cfg.seed)
    startup = cfg.tpe_startup_trials or min(10, max(3, plan.n_trials // 3))
    return optuna.samplers.TPESampler(seed=cfg.seed, n_startup_trials=startup, multivariate=True,
                                      constant_liar=True)


def _create_pruner(cfg: TuneConfig) -> Any:
    import optuna

    # Optuna's earliest pruning step is n_warmup_steps; steps are 1-based epochs here.
    first = cfg.pruner_warmup_epochs + 1
    if cfg.pruner == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=cfg.pruner_startup_trials, n_warmup_steps=first)
    if cfg.pruner == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=first, max_resource=max(first, cfg.epochs),
                                              reduction_factor=3)
    return optuna.pruners.NopPruner()


def _create_storage(cfg: TuneConfig) -> Any:
    import optuna

    url = cfg.storage
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["engine_kwargs"] = {"connect_args": {"timeout": 60}}  # many writers: wait, don't fail
        db = url.split(":///", 1)[-1]
        if db and db != ":memory:":
            Path(db).parent.mkdir(parents=True, exist_ok=True)
    try:
        return optuna.storages.RDBStorage(
            url, heartbeat_interval=cfg.heartbeat_interval, grace_period=cfg.grace_period,
            heartbeat_stale_trial_callback=optuna.storages.RetryHeartbeatStaleTrialCallback(
                max_retry=cfg.max_retries), **kwargs)
    except Exception as exc:
        raise UsageError(f"cannot open the study storage {mask_url(url)} ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:200]})") from None


def _params_of(t: FrozenTrial) -> dict[str, Any]:
    return dict(t.params) or dict(t.system_attrs.get("fixed_params", {}))


def _key(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True)


def _retried(trials: list[FrozenTrial]) -> set[int]:
    """Numbers of failed trials that were re-queued (their retry carries their number)."""
    return {n for t in trials for n in t.system_attrs.get("retry_history", [])}


def _occupies(t: FrozenTrial, retried: set[int]) -> bool:
    """Whether a trial holds its parameters: queued, running, done, or failed for good."""
    from optuna.trial import TrialState

    return t.state != TrialState.FAIL or t.number not in retried


def _requeue(study: optuna.Study, trial: FrozenTrial) -> None:
    """Queue a failed trial's parameters again, the way Optuna re-queues a dead worker's trial."""
    import optuna

    optuna.storages.RetryHeartbeatStaleTrialCallback()(study, trial)


def open_study(cfg: TuneConfig, plan: SearchPlan, lock: StudyLock) -> tuple[optuna.Study, Any]:
    """Create or resume the study; enqueue the grid's missing combinations once. (study, storage)"""
    import optuna
    from optuna.trial import TrialState

    name = cfg.resolved_study_name
    with lock:  # also serialises schema creation on a fresh database
        storage = _create_storage(cfg)
        study = optuna.create_study(storage=storage, study_name=name, direction=cfg.resolved_direction,
                                    sampler=_create_sampler(cfg, plan), pruner=_create_pruner(cfg),
                                    load_if_exists=True)
        wanted = _signature(cfg, plan)
        stored = study.user_attrs.get("signature")
        if stored is None:
            study.set_user_attr("signature", wanted)
        elif stored != json.loads(json.dumps(wanted)):
            diff = ", ".join(f"{k}: {stored.get(k)!r} there, {v!r} here" for k, v in
                             json.loads(json.dumps(wanted)).items() if stored.get(k) != v)
            raise UsageError(f"study {name!r} in {mask_url(cfg.storage)} is a different search ({diff}); "
                             "run the same command to resume it, or pass a new --study-name")
        optuna.storages.fail_stale_trials(study)
        trials = study.get_trials(deepcopy=False)
        retried = _retried(trials)
        if cfg.retry_failed:
            for t in trials:
                if t.state == TrialState.FAIL and t.number not in retried:
                    _requeue(study, t)
            trials = study.get_trials(deepcopy=False)
            retried = _retried(trials)
        taken = {_key(_params_of(t)) for t in trials if _occupies(t, retried)}
        fresh = [c for c in plan.combinations if _key(c) not in taken]
        for combo in fresh:
            study.enqueue_trial(combo)
        if fresh:
            log.info("study %s: %d of %d grid combinations queued", name, len(fresh), len(plan.combinations))
    done = sum(t.state.is_finished() for t in trials)
    if done:
        log.info("study %s resumed: %d trials already finished", name, done)
    return study, storage


# --------------------------------------------------------------------------- MLflow


class ParentRun:
    """The study's MLflow run: created once and shared by every worker (its id is in the study)."""

    def __init__(self, cfg: TuneConfig, plan: SearchPlan, study: optuna.Study, lock: StudyLock):
        from mlflow import MlflowClient

        from docclf import tracking

        self.uri = tracking.resolve_tracking_uri(cfg.tracking_uri)
        tracking.connect(self.uri)
        self.metric = cfg.metric
        with lock:  # the first client creates a fresh database's tables: two at once collide
            self.client = MlflowClient(self.uri)
            exp = self.client.get_experiment_by_name(cfg.mlflow_experiment)
            self.experiment_id = exp.experiment_id if exp else self.client.create_experiment(cfg.mlflow_experiment)
            run_id = study.user_attrs.get("mlflow_parent_run_id")
            if run_id and self._exists(run_id):
                self.client.update_run(run_id, status="RUNNING")
            else:
                run_id = self._create(cfg, plan, study)
                study.set_user_attr("mlflow_parent_run_id", run_id)
        self.run_id: str = run_id
        self._tag_lock = threading.Lock()

    def _exists(self, run_id: str) -> bool:
        try:
            return self.client.get_run(run_id).info.experiment_id == self.experiment_id
        except Exception:
            return False

    def _create(self, cfg: TuneConfig, plan: SearchPlan, study: optuna.Study) -> str:
        from mlflow.entities import Param

        run = self.client.create_run(self.experiment_id, run_name=study.study_name, tags={
            "docclf.kind": "tuning", "optuna.study_name": study.study_name, "optuna.storage": mask_url(cfg.storage)})
        params = {"search_strategy": cfg.search_strategy, "metric": cfg.metric, "direction": cfg.resolved_direction,
                  "epochs": cfg.epochs, "n_trials": plan.n_trials, "pruner": cfg.pruner,
                  "pruner_warmup_epochs": cfg.pruner_warmup_epochs, "data_dir": cfg.data_dir,
                  "train_args": " ".join(plan.train_args), "seed": cfg.seed,
                  **{f"space.{k}": json.dumps(v) for k, v in plan.space.items()}}
        self.client.log_batch(run.info.run_id, params=[Param(k, str(v)[:6000]) for k, v in params.items()])
        self._log_text(run.info.run_id, "search_space.json", json.dumps(plan.space, indent=2))
        return run.info.run_id

    def _log_text(self, run_id: str, name: str, text: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_text(text)
            self.client.log_artifact(run_id, str(path))

    def find_child(self, run_name: str) -> str | None:
        runs = self.client.search_runs(
            [self.experiment_id], max_results=1,
            filter_string=f"tags.mlflow.parentRunId = '{self.run_id}' and attributes.run_name = '{run_name}'")
        return runs[0].info.run_id if runs else None

    def set_tags(self, run_id: str, tags: dict[str, Any]) -> None:
        from mlflow.entities import RunTag

        self.client.log_batch(run_id, tags=[RunTag(k, str(v)[:5000]) for k, v in tags.items()])

    def child_metrics(self, run_id: str) -> dict[str, float]:
        return dict(self.client.get_run(run_id).data.metrics)

    def record_failed_child(self, run_name: str, params: dict[str, Any], tags: dict[str, Any]) -> str:
        """A child run for a trial that died before its training created one (so the UI shows it)."""
        from mlflow.entities import Param

        run = self.client.create_run(self.experiment_id, run_name=run_name,
                                     tags={"mlflow.parentRunId": self.run_id, **{k: str(v)[:5000]
                                                                                  for k, v in tags.items()}})
        self.client.log_batch(run.info.run_id, params=[Param(k, str(v)) for k, v in params.items()])
        self.client.set_terminated(run.info.run_id, "FAILED")
        return run.info.run_id

    def log_trial(self, number: int, value: float, best: dict[str, Any] | None) -> None:
        """The finished trial's value at step = its number, and the best so far."""
        with self._tag_lock:
            self.client.log_metric(self.run_id, f"trial_{self.metric}", value, step=number)
            if best:
                self.client.log_metric(self.run_id, f"best_{self.metric}", best["value"], step=number)
                self._tag_best(best)

    def _tag_best(self, best: dict[str, Any]) -> None:
        tags = {"best.trial_number": best["number"], "best.run_id": best["run_id"] or "",
                **{f"best.{k}": _fmt(v) for k, v in best["params"].items()}}
        self.set_tags(self.run_id, tags)  # same call for the parent: tags are mutable, params are not

    def finish(self, report: dict[str, Any], interrupted: bool) -> None:
        """Log the ranked table (CSV, markdown), the plot and the JSON; close the run."""
        from mlflow.entities import Metric

        best, counts = report["best"], report["counts"]
        metrics = {f"n_{k.lower()}": v for k, v in counts.items()}
        metrics.update(epochs_trained=report["compute"]["epochs"], train_seconds=report["compute"]["train_seconds"])
        if best:
            metrics[f"best_{self.metric}"] = best["value"]
            self._tag_best(best)
        now = int(time.time() * 1000)
        self.client.log_batch(self.run_id, metrics=[Metric(k, float(v), now, 0) for k, v in metrics.items()])
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            (tmp_path / "ranked_trials.csv").write_text(ranked_csv(report))
            (tmp_path / "ranked_trials.md").write_text(ranked_markdown(report))
            (tmp_path / "tuning_results.json").write_text(json.dumps(report, indent=2))
            trials_figure(report).savefig(tmp_path / "metric_per_trial.png", dpi=110, bbox_inches="tight")
            for path in sorted(tmp_path.iterdir()):
                self.client.log_artifact(self.run_id, str(path))
        running = counts.get("RUNNING", 0) + counts.get("WAITING", 0)
        if interrupted:
            self.client.set_terminated(self.run_id, "KILLED")
        elif not running:
            self.client.set_terminated(self.run_id, "FINISHED")


# --------------------------------------------------------------------------- one trial


TRIAL_ENTRY = "from docclf.tune import trial_entry; trial_entry()"


def trial_entry() -> None:
    """`docclf train ARGS` for a trial process (argv: -c train ARGS) that dies with its tuner."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)  # training ends its run as KILLED
        if str(os.getppid()) != os.environ.get("DOCCLF_TUNER_PID", str(os.getppid())):
            sys.exit("docclf tune: the tuner is gone before this trial started")
    from docclf.cli import run

    sys.exit(run(sys.argv[1:]))


@dataclass
class Slot:
    """Where a worker's trials run: extra training options and environment."""

    name: str
    args: list[str]
    env: dict[str, str]


def plan_slots(cfg: TuneConfig) -> list[Slot]:
    """One slot per worker: CPU threads divided between them, or one GPU each."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = cfg.threads or max(1, cpus // cfg.n_jobs)
    gpus = _gpu_ids(cfg.devices)
    if not gpus:
        return [Slot(f"cpu/{threads}t", ["--device", "cpu", "--threads", str(threads)], {})
                for _ in range(cfg.n_jobs)]
    if cfg.n_jobs > len(gpus):
        log.warning("--n-jobs %d on %d GPUs: some trials share a GPU", cfg.n_jobs, len(gpus))
    return [Slot(f"gpu{gpus[i % len(gpus)]}", ["--device", "cuda", "--threads", str(threads)],
                 {"CUDA_VISIBLE_DEVICES": gpus[i % len(gpus)]}) for i in range(cfg.n_jobs)]


def _gpu_ids(devices: str) -> list[str]:
    if devices == "cpu":
        return []
    if devices != "auto":
        ids = [d.strip() for d in devices.split(",") if d.strip()]
        if not all(d.isdigit() for d in ids):
            raise UsageError(f"--devices takes auto, cpu or GPU ids like 0,1; got {devices!r}")
        return ids
    import torch

    count = torch.cuda.device_count()
    visible = [d.strip() for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d.strip()]
    return visible[:count] if visible else [str(i) for i in range(count)]


@dataclass
class TrialWatch:
    """What the tuner has seen of a running trial."""

    epochs: list[dict[str, float]] = field(default_factory=list)
    offset: int = 0
    partial: str = ""
    pruned_at: int | None = None
    run_id: str | None = None
    looked_up: int = 0  # epochs seen when the MLflow run was last looked for
    stopped: str | None = None  # why the tuner ended it: interrupted, timeout, lost


def read_new_epochs(path: Path, watch: TrialWatch) -> list[dict[str, float]]:
    """Epoch lines appended to the metrics file since the last call (a half-written line waits)."""
    try:
        with open(path) as fh:
            fh.seek(watch.offset)
            chunk = fh.read()
            watch.offset = fh.tell()
    except FileNotFoundError:
        return []
    text = watch.partial + chunk
    lines = text.split("\n")
    watch.partial = lines.pop()
    new = [json.loads(line) for line in lines if line.strip()]
    watch.epochs += new
    return new


def best_value(values: list[float], direction: str) -> float | None:
    finite = [v for v in values if v is not None and not math.isnan(v)]
    if not finite:
        return None
    return max(finite) if direction == "maximize" else min(finite)


def _tail(path: Path, lines: int = 25, chars: int = 3000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])[-chars:]


class Search:
    """The workers of one process: each claims a trial, runs it, tells Optuna, repeats."""

    def __init__(self, cfg: TuneConfig, plan: SearchPlan, study: optuna.Study, storage: Any, lock: StudyLock,
                 parent: ParentRun):
        self.cfg, self.plan, self.study, self.storage, self.lock, self.parent = cfg, plan, study, storage, lock, parent
        self.direction = cfg.resolved_direction
        self.distributions = plan.distributions()
        self.out_root = Path(cfg.output_dir or Path("outputs") / "tuning" / study.study_name)
        self.stop = threading.Event()  # Ctrl-C: stop trials gracefully
        self.kill = threading.Event()  # a second Ctrl-C: kill them
        self.errors: list[BaseException] = []

    # -- the loop
    def run(self, slots: list[Slot]) -> bool:
        """Run the workers until the study has no work left; True if interrupted."""
        threads = [threading.Thread(target=self._worker, args=(slot,), name=f"tune-{i}", daemon=True)
                   for i, slot in enumerate(slots)]
        for t in threads:
            t.start()
        interrupted = False
        try:
            _join(threads)
        except KeyboardInterrupt:
            interrupted = True
            log.warning("interrupted: stopping the running trials (Ctrl-C again kills them)")
            self.stop.set()
            try:
                _join(threads)
            except KeyboardInterrupt:
                self.kill.set()
                _join(threads)
        if self.errors:
            raise self.errors[0]
        return interrupted

    def _worker(self, slot: Slot) -> None:
        try:
            while not self.stop.is_set():
                trial = self.claim()
                if trial is not None:
                    self.run_trial(trial, slot)
                elif self._running_elsewhere():
                    # A dead worker's trial goes stale and is re-queued; until then, wait for it.
                    self.stop.wait(min(5.0, self.cfg.heartbeat_interval))
                else:
                    return
        except BaseException as exc:  # a broken storage or tracker: stop everyone, report it
            self.errors.append(exc)
            self.stop.set()

    def claim(self) -> optuna.Trial | None:
        """The next trial of the study (a queued one first), or None when there is no work left."""
        import optuna
        from optuna.trial import TrialState

        with self.lock:
            optuna.storages.fail_stale_trials(self.study)
            trials = self.study.get_trials(deepcopy=False)
            retried = _retried(trials)
            started = sum(1 for t in trials if t.state != TrialState.WAITING and _occupies(t, retried))
            waiting = any(t.state == TrialState.WAITING for t in trials)
            if started >= self.plan.n_trials or (self.plan.combinations and not waiting):
                return None
            trial = self.study.ask(self.distributions)
            self.storage.record_heartbeat(trial._trial_id)  # from now on a silent trial goes stale
            return trial

    def _running_elsewhere(self) -> bool:
        from optuna.trial import TrialState

        return bool(self.study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)))

    # -- one trial
    def run_trial(self, trial: optuna.Trial, slot: Slot) -> None:
        n = trial.number
        tdir = self.out_root / f"trial-{n:04d}"
        tdir.mkdir(parents=True, exist_ok=True)
        metrics_file, stop_file, log_file = tdir / "metrics.jsonl", tdir / "STOP", tdir / "train.log"
        for stale in (metrics_file, stop_file):
            stale.unlink(missing_ok=True)
        run_name = f"trial-{n:04d}"
        args = self._train_args(trial.params, run_name, tdir, slot)
        for key, value in {"command": "docclf " + " ".join(args), "output_dir": str(tdir), "worker":
                           f"{socket.gethostname()}:{os.getpid()}:{slot.name}", "error": None, "run_id": None,
                           "pruned_at_epoch": None, "best_value": None, "metrics": {}}.items():
            trial.set_user_attr(key, value)  # a retry inherits its predecessor's attrs: reset them
        log.info("trial #%d started on %s: %s", n, slot.name,
                 "  ".join(f"{k}={_fmt(v)}" for k, v in trial.params.items()))
        env = {**os.environ, **slot.env, "DOCCLF_TUNER_PID": str(os.getpid())}
        start = time.monotonic()
        with open(log_file, "w") as out:
            proc = subprocess.Popen([sys.executable, "-c", TRIAL_ENTRY, *args], stdout=out,
                                    stderr=subprocess.STDOUT, env=env, start_new_session=True)
            watch = self._watch(trial, proc, metrics_file, stop_file, run_name, start)
        duration = time.monotonic() - start
        self._conclude(trial, proc.returncode, watch, duration, _tail(log_file), run_name)

    def _train_args(self, params: dict[str, Any], run_name: str, tdir: Path, slot: Slot) -> list[str]:
        cfg = self.cfg
        args = ["train", "--data-dir", cfg.data_dir, "--epochs", str(cfg.epochs), "--monitor", cfg.metric,
                "--mlflow-experiment", cfg.mlflow_experiment, "--mlflow-run-name", run_name,
                "--tracking-uri", self.parent.uri, "--parent-run-id", self.parent.run_id,
                "--output-dir", str(tdir), "--metrics-file", str(tdir / "metrics.jsonl"),
                "--stop-file", str(tdir / "STOP"), "--no-progress", *slot.args]
        if cfg.cache_dir:
            args += ["--cache-dir", cfg.cache_dir]
        for name, value in params.items():
            flag = "--" + name.replace("_", "-")
            if isinstance(value, bool):
                args.append(flag if value else "--no-" + flag[2:])
            else:
                args += [flag, repr(value) if isinstance(value, float) else str(value)]
        return args + self.plan.train_args

    def _watch(self, trial: optuna.Trial, proc: subprocess.Popen, metrics_file: Path, stop_file: Path,
               run_name: str, start: float) -> TrialWatch:
        """Poll the trial until it exits: report epochs, prune, beat, obey Ctrl-C and the timeout."""
        from optuna.trial import TrialState

        watch = TrialWatch()
        last_beat = time.monotonic()
        while True:
            exited = proc.poll() is not None
            for line in read_new_epochs(metrics_file, watch):
                self._report(trial, line, stop_file, watch)
            if watch.run_id is None and len(watch.epochs) > watch.looked_up:
                watch.looked_up = len(watch.epochs)  # one MLflow lookup per new epoch at most
                watch.run_id = self._tag_running(trial, run_name)
            if exited:
                return watch
            now = time.monotonic()
            if now - last_beat >= self.cfg.heartbeat_interval:
                last_beat = now
                if self.storage.get_trial(trial._trial_id).state != TrialState.RUNNING:
                    watch.stopped = "lost"  # declared stale by another worker, which re-queued it
                else:
                    self.storage.record_heartbeat(trial._trial_id)
            if self.stop.is_set() and watch.stopped is None:
                watch.stopped = "interrupted"
            if self.cfg.trial_timeout and now - start > self.cfg.trial_timeout and watch.stopped is None:
                watch.stopped = "timeout"
            if watch.stopped:
                _terminate(proc, self.kill)
                continue
            time.sleep(POLL_SECONDS)

    def _report(self, trial: optuna.Trial, line: dict[str, float], stop_file: Path, watch: TrialWatch) -> None:
        value, epoch = line.get(self.cfg.metric), int(line["epoch"])
        if value is None or watch.pruned_at is not None:
            return  # epochs after the pruning decision are trained, but no longer reported
        trial.report(float(value), epoch)
        if self.cfg.pruner != "none" and trial.should_prune():
            watch.pruned_at = epoch
            stop_file.touch()  # training stops after the epoch in progress, then ends its run
            log.info("trial #%d pruned at epoch %d (%s %.4f)", trial.number, epoch, self.cfg.metric, value)

    def _tag_running(self, trial: optuna.Trial, run_name: str) -> str | None:
        try:
            run_id = self.parent.find_child(run_name)
            if run_id:
                trial.set_user_attr("run_id", run_id)
                self.parent.set_tags(run_id, self._child_tags(trial.number, "RUNNING"))
            return run_id
        except Exception as exc:
            log.warning("trial #%d: MLflow lookup failed (%s); will retry", trial.number, type(exc).__name__)
            return None

    def _child_tags(self, number: int, state: str) -> dict[str, Any]:
        return {"optuna.trial_number": number, "optuna.state": state, "optuna.study_name": self.study.study_name}

    def _conclude(self, trial: optuna.Trial, returncode: int, watch: TrialWatch, duration: float, tail: str,
                  run_name: str) -> None:
        """Decide the trial's state, record what it did, tell Optuna, tag its MLflow run."""
        from optuna.trial import TrialState

        n, metric = trial.number, self.cfg.metric
        if watch.run_id is None:
            watch.run_id = self._lookup_quietly(run_name)
        if watch.stopped == "lost":
            log.warning("trial #%d lost its heartbeat; another worker re-queued it", n)
            self._tag_final(watch.run_id, n, "FAIL", {"optuna.error": "heartbeat lost; re-queued"})
            return
        reported = [e for e in watch.epochs if watch.pruned_at is None or e["epoch"] <= watch.pruned_at]
        value = best_value([e.get(metric) for e in reported], self.direction)
        error = None
        if watch.stopped == "interrupted":
            state, error = TrialState.FAIL, f"interrupted; re-queued\n{tail}"
        elif watch.stopped == "timeout":
            state, error = TrialState.FAIL, f"timed out after {self.cfg.trial_timeout:g} s\n{tail}"
        elif returncode != 0:
            state, error = TrialState.FAIL, f"exit code {returncode}\n{tail}"
        elif watch.pruned_at is not None:
            state = TrialState.PRUNED  # even when its values were NaN: that is why it was pruned
        elif value is None:
            state, error = TrialState.FAIL, f"no finite {metric} in any epoch\n{tail}"
        else:
            state = TrialState.COMPLETE
        tags: dict[str, Any] = {}
        if watch.pruned_at is not None:
            tags["optuna.pruned_at_epoch"] = watch.pruned_at
        if error:
            tags["optuna.error"] = error
        final: dict[str, float] = {}
        try:
            if watch.run_id:
                final = self.parent.child_metrics(watch.run_id)
            elif state == TrialState.FAIL:  # died before training created its run: make one to show it
                watch.run_id = self.parent.record_failed_child(
                    run_name, trial.params, {**self._child_tags(n, "FAIL"), **tags})
        except Exception as exc:
            log.warning("trial #%d: MLflow unreachable (%s)", n, type(exc).__name__)
        attrs = {"run_id": watch.run_id, "metrics": final, "duration_s": round(duration, 2),
                 "epochs_run": len(watch.epochs), "pruned_at_epoch": watch.pruned_at, "best_value": value,
                 "train_seconds": round(sum(e.get("epoch_seconds", 0.0) for e in watch.epochs), 2),
                 "error": error}
        for key, val in attrs.items():
            trial.set_user_attr(key, val)
        if state == TrialState.COMPLETE:
            self.study.tell(trial, value)
        else:
            self.study.tell(trial, state=state)
        if watch.stopped == "interrupted":
            _requeue(self.study, self.storage.get_trial(trial._trial_id))
        self._tag_final(watch.run_id, n, state.name, tags)
        if state == TrialState.COMPLETE:
            self._log_to_parent(n, value)
        self._log_outcome(n, state.name, value, duration, watch, error)

    def _lookup_quietly(self, run_name: str) -> str | None:
        try:
            return self.parent.find_child(run_name)
        except Exception:
            return None

    def _tag_final(self, run_id: str | None, number: int, state: str, tags: dict[str, Any]) -> None:
        if not run_id:
            return
        try:
            self.parent.set_tags(run_id, {**self._child_tags(number, state), **tags})
            if state == "FAIL" and self.parent.client.get_run(run_id).info.status == "RUNNING":
                self.parent.client.set_terminated(run_id, "KILLED")  # its process was killed mid-run
        except Exception as exc:  # the tracker is secondary to the study: never lose a trial for it
            log.warning("trial #%d: MLflow tagging failed (%s)", number, type(exc).__name__)

    def _log_to_parent(self, number: int, value: float) -> None:
        rows = ranked_rows(self.study.get_trials(deepcopy=False), self.direction)
        best = rows[0] if rows and rows[0]["state"] == "COMPLETE" else None
        try:
            self.parent.log_trial(number, value, best)
        except Exception as exc:
            log.warning("trial #%d: MLflow logging failed (%s)", number, type(exc).__name__)

    def _log_outcome(self, n: int, state: str, value: float | None, duration: float, watch: TrialWatch,
                     error: str | None) -> None:
        shown = f"{self.cfg.metric} {value:.4f}" if value is not None else "no metric"
        extra = f", pruned at epoch {watch.pruned_at}" if watch.pruned_at else ""
        log.info("trial #%d %s: %s after %d epochs in %s%s", n, state, shown, len(watch.epochs),
                 _duration(duration), extra)
        if error and state == "FAIL":
            lines = [line for line in error.splitlines() if line.strip()]
            log.warning("trial #%d failed: %s%s", n, lines[0], f" ... {lines[-1]}" if len(lines) > 1 else "")


def _terminate(proc: subprocess.Popen, kill: threading.Event, grace: float = 60.0) -> None:
    """SIGTERM the trial's process group (training saves its epoch and ends its run), SIGKILL if slow."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL if kill.is_set() else signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while proc.poll() is None and time.monotonic() < deadline and not kill.is_set():
        time.sleep(0.2)
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def _join(threads: list[threading.Thread]) -> None:
    for t in threads:
        while t.is_alive():
            t.join(0.5)  # a timeout keeps the main thread responsive to Ctrl-C


# --------------------------------------------------------------------------- results


def ranked_rows(trials: list[FrozenTrial], direction: str) -> list[dict[str, Any]]:
    """Every trial as a row, best first: complete by value, then pruned, failed, running, waiting."""
    rows = []
    for t in trials:
        ua = t.user_attrs
        value = t.value if t.state.name == "COMPLETE" else ua.get("best_value")
        duration = ua.get("duration_s")
        if duration is None and t.datetime_start and t.datetime_complete:
            duration = round((t.datetime_complete - t.datetime_start).total_seconds(), 2)
        rows.append({"number": t.number, "state": t.state.name, "params": _params_of(t), "value": value,
                     "metrics": ua.get("metrics", {}), "run_id": ua.get("run_id"), "duration_s": duration,
                     "epochs_run": ua.get("epochs_run"), "train_seconds": ua.get("train_seconds"),
                     "pruned_at_epoch": ua.get("pruned_at_epoch"), "error": ua.get("error"),
                     "retry_of": t.system_attrs.get("failed_trial"), "output_dir": ua.get("output_dir"),
                     "command": ua.get("command")})
    sign = -1.0 if direction == "maximize" else 1.0

    def order(row: dict[str, Any]) -> tuple:
        v = row["value"]
        has_value = row["state"] in ("COMPLETE", "PRUNED") and v is not None
        return (STATE_ORDER.get(row["state"], 5), 0 if has_value else 1, sign * v if has_value else 0.0,
                row["number"])

    rows.sort(key=order)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def build_report(cfg: TuneConfig, plan: SearchPlan, study: optuna.Study, parent: ParentRun | None) -> dict[str, Any]:
    rows = [{"rank": r.pop("rank"), **r} for r in ranked_rows(study.get_trials(deepcopy=False),
                                                              cfg.resolved_direction)]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["state"]] = counts.get(r["state"], 0) + 1
    best = rows[0] if rows and rows[0]["state"] == "COMPLETE" else None
    return {
        "study": study.study_name, "storage": mask_url(cfg.storage), "strategy": cfg.search_strategy,
        "metric": cfg.metric, "direction": cfg.resolved_direction, "epochs": cfg.epochs, "space": plan.space,
        "train_args": plan.train_args,
        "mlflow": {"tracking_uri": parent.uri if parent else None, "experiment": cfg.mlflow_experiment,
                   "parent_run_id": parent.run_id if parent else None},
        "counts": counts,
        "compute": {"epochs": sum(r["epochs_run"] or 0 for r in rows),
                    "train_seconds": round(sum(r["train_seconds"] or 0 for r in rows), 2),
                    "trial_seconds": round(sum(r["duration_s"] or 0 for r in rows if r["epochs_run"] is not None), 2)},
        "best": best, "trials": rows,
    }


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


def _table_rows(report: dict[str, Any], k: int | None) -> tuple[list[str], list[list[str]]]:
    names = list(report["space"])
    header = ["rank", "trial", "state", *names, report["metric"], "duration", "run id"]
    body = []
    for r in report["trials"][:k]:
        body.append([str(r["rank"]), f"#{r['number']}", r["state"],
                     *[_fmt(r["params"].get(n, "")) for n in names],
                     f"{r['value']:.4f}" if r["value"] is not None else "-", _duration(r["duration_s"]),
                     r["run_id"] or "-"])
    return header, body


def format_top_k(report: dict[str, Any], k: int) -> str:
    """The top-K table and a one-line summary, as the CLI prints them."""
    header, body = _table_rows(report, k)
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header, *body]]
    counts = ", ".join(f"{v} {s.lower()}" for s, v in sorted(report["counts"].items(),
                                                               key=lambda kv: STATE_ORDER.get(kv[0], 5)))
    total = sum(report["counts"].values())
    summary = f"study {report['study']}: {total} trials ({counts}); {report['compute']['epochs']} epochs trained"
    best = report["best"]
    if best:
        summary += (f"\nbest: trial #{best['number']} {report['metric']} {best['value']:.4f} "
                    + " ".join(f"{k}={_fmt(v)}" for k, v in best["params"].items())
                    + f" (run {best['run_id']})")
    return "\n".join([*lines, summary])


def ranked_csv(report: dict[str, Any]) -> str:
    names = list(report["space"])
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["rank", "trial", "state", *names, report["metric"], "test_accuracy", "test_f1", "epochs_run",
                "duration_s", "run_id", "error"])
    for r in report["trials"]:
        m = r["metrics"] or {}
        w.writerow([r["rank"], r["number"], r["state"], *[r["params"].get(n, "") for n in names], r["value"],
                    m.get("test_accuracy", ""), m.get("test_f1", ""), r["epochs_run"], r["duration_s"],
                    r["run_id"] or "", (r["error"] or "").splitlines()[0] if r["error"] else ""])
    return buf.getvalue()


def ranked_markdown(report: dict[str, Any]) -> str:
    header, body = _table_rows(report, None)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return f"# {report['study']}: trials ranked by {report['metric']} ({report['direction']})\n\n" + "\n".join(lines) + "\n"


def trials_figure(report: dict[str, Any]) -> Any:
    """The metric of every trial by trial number, pruned and failed ones marked, best so far as a line."""
    import matplotlib

    matplotlib.use("Agg")  # headless; chosen at call time, not on import
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5))
    rows = sorted(report["trials"], key=lambda r: r["number"])
    styles = {"COMPLETE": ("o", "tab:blue", "complete"), "PRUNED": ("x", "tab:orange", "pruned (last value)")}
    for state, (marker, colour, label) in styles.items():
        pts = [(r["number"], r["value"]) for r in rows if r["state"] == state and r["value"] is not None]
        if pts:
            ax.scatter(*zip(*pts), marker=marker, color=colour, label=label, zorder=3)
    done = [(r["number"], r["value"]) for r in rows if r["state"] == "COMPLETE" and r["value"] is not None]
    if done:
        pick = max if report["direction"] == "maximize" else min
        xs, best, running = [], [], None
        for x, v in done:
            running = v if running is None else pick(running, v)
            xs.append(x)
            best.append(running)
        ax.step(xs, best, where="post", color="tab:green", label="best so far")
    failed = [r["number"] for r in rows if r["state"] == "FAIL"]
    if failed:
        low = ax.get_ylim()[0] if done else 0.0
        ax.scatter(failed, [low] * len(failed), marker="v", color="tab:red", label="failed", zorder=3)
    ax.set_xlabel("trial")
    ax.set_ylabel(report["metric"])
    ax.set_title(f"{report['study']}: {report['metric']} per trial")
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- entry


def run_search(cfg: TuneConfig) -> TuneResult:
    """Create or resume the study, run trials until it has no work left, write and return the report."""
    from docclf.data import find_classes

    plan = make_plan(cfg)
    find_classes(cfg.data_dir)  # a missing dataset fails here, not in every trial
    with warnings.catch_warnings():
        from optuna.exceptions import ExperimentalWarning

        warnings.filterwarnings("ignore", category=ExperimentalWarning)
        # We run trials through ask/tell and send their heartbeats ourselves.
        warnings.filterwarnings("ignore", message="Heartbeat of storage is supposed")
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        lock = StudyLock(cfg.storage, cfg.resolved_study_name)
        try:
            study, storage = open_study(cfg, plan, lock)
            parent = ParentRun(cfg, plan, study, lock)
            log.info("study %s in %s; MLflow parent run %s in experiment %r at %s", study.study_name,
                     mask_url(cfg.storage), parent.run_id, cfg.mlflow_experiment, parent.uri)
            search = Search(cfg, plan, study, storage, lock, parent)
            with _sigterm_as_interrupt():
                interrupted = search.run(plan_slots(cfg))
            report = build_report(cfg, plan, study, parent)
            parent.finish(report, interrupted)
        finally:
            lock.close()
    out = Path(cfg.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return TuneResult(report, out, interrupted)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop the trials, re-queue them, write the report."""


class _sigterm_as_interrupt:
    def __enter__(self) -> None:
        self._previous = None
        if threading.current_thread() is threading.main_thread():
            def handler(signum: int, frame: Any) -> None:
                raise _Terminated()

            self._previous = signal.signal(signal.SIGTERM, handler)

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)
