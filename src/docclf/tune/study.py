"""The Optuna study: storage, sampler, pruner, the lock all workers share, and the grid's queue."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docclf.errors import UsageError
from docclf.locks import file_lock
from docclf.redact import redact_uri
from docclf.config import TuneConfig
from docclf.tune.space import SearchPlan

if TYPE_CHECKING:
    import optuna
    from optuna.trial import FrozenTrial

log = logging.getLogger(__name__)


def mask_url(url: str) -> str:
    """The storage URL without its credentials, fit for logs and MLflow."""
    return redact_uri(url) or url


class StudyLock:
    """Mutual exclusion between all workers of one study, across threads, processes and machines.

    SQLite: a file lock beside the database (every worker shares that file system).
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
                lock = file_lock(self._file)
                lock.acquire()
                self._held.append(lock)
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
                    held.release()
                    continue
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


def params_of(t: FrozenTrial) -> dict[str, Any]:
    return dict(t.params) or dict(t.system_attrs.get("fixed_params", {}))


def _key(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True)


def retried_numbers(trials: list[FrozenTrial]) -> set[int]:
    """Numbers of failed trials that were re-queued (their retry carries their number)."""
    return {n for t in trials for n in t.system_attrs.get("retry_history", [])}


def occupies(t: FrozenTrial, retried: set[int]) -> bool:
    """Whether a trial holds its parameters: queued, running, done, or failed for good."""
    from optuna.trial import TrialState

    return t.state != TrialState.FAIL or t.number not in retried


def requeue(study: optuna.Study, trial: FrozenTrial) -> None:
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
        retried = retried_numbers(trials)
        if cfg.retry_failed:
            for t in trials:
                if t.state == TrialState.FAIL and t.number not in retried:
                    requeue(study, t)
            trials = study.get_trials(deepcopy=False)
            retried = retried_numbers(trials)
        taken = {_key(params_of(t)) for t in trials if occupies(t, retried)}
        fresh = [c for c in plan.combinations if _key(c) not in taken]
        for combo in fresh:
            study.enqueue_trial(combo)
        if fresh:
            log.info("study %s: %d of %d grid combinations queued", name, len(fresh), len(plan.combinations))
    done = sum(t.state.is_finished() for t in trials)
    if done:
        log.info("study %s resumed: %d trials already finished", name, done)
    return study, storage
