"""Trials as `docclf train` processes: the workers' loop, pruning through the metrics and stop files."""

from __future__ import annotations

import json
import logging
import math
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docclf.errors import UsageError
from docclf.tune.results import ParentRun, format_duration, ranked_rows
from docclf.config import TuneConfig
from docclf.tune.space import SearchPlan, fmt_value
from docclf.tune.study import StudyLock, occupies, requeue, retried_numbers

if TYPE_CHECKING:
    import optuna

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2  # a stat and a read per poll: cheap, and pruning reacts sooner


TRIAL_ENTRY = "from docclf.tune.trials import trial_entry; trial_entry()"


def trial_entry() -> None:
    """`python -m docclf train ARGS` (argv: -c train ARGS) in a process that dies with its tuner.

    The trial runs the `docclf` program itself, as a user would; the library never imports the CLI.
    """
    import runpy

    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)  # training ends its run as KILLED
        if str(os.getppid()) != os.environ.get("DOCCLF_TUNER_PID", str(os.getppid())):
            sys.exit("docclf tune: the tuner is gone before this trial started")
    sys.argv = ["docclf", *sys.argv[1:]]
    runpy.run_module("docclf", run_name="__main__", alter_sys=True)


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
    count = _cuda_device_count()
    visible = [d.strip() for d in os.environ.get("CUDA_VISIBLE_DEVICES", "").split(",") if d.strip()]
    return visible[:count] if visible else [str(i) for i in range(count)]


def _cuda_device_count() -> int:
    """GPUs torch would see; without a GPU driver's device files, 0 without importing torch (seconds per start)."""
    if os.name != "nt" and not any(os.path.exists(p) for p in ("/dev/nvidiactl", "/dev/nvidia0", "/dev/kfd", "/dev/dxg")):
        return 0
    import torch

    return torch.cuda.device_count()


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


class Heartbeat:
    """Beats for one trial from its start until Optuna is told its end, in its own thread, so that
    neither a slow tracker nor a long poll makes a live trial look dead to other workers."""

    def __init__(self, storage: Any, trial_id: int, interval: float):
        self._storage, self._trial_id, self._interval = storage, trial_id, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{trial_id}", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._storage.record_heartbeat(self._trial_id)
            except Exception as exc:  # a storage hiccup: the next beat may get through
                log.warning("heartbeat of trial id %d failed (%s)", self._trial_id, type(exc).__name__)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


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
        done = [False] * len(slots)
        threads = [threading.Thread(target=self._worker, args=(slot, done, i), name=f"tune-{i}", daemon=True)
                   for i, slot in enumerate(slots)]
        for t in threads:
            t.start()
        interrupted = False
        try:
            _wait_all(done)
        except KeyboardInterrupt:
            interrupted = True
            log.warning("interrupted: stopping the running trials (Ctrl-C again kills them)")
            self.stop.set()
            try:
                _wait_all(done)
            except KeyboardInterrupt:
                self.kill.set()
                _wait_all(done)
        for t in threads:
            t.join()  # all done: returns at once
        if self.errors:
            raise self.errors[0]
        return interrupted

    def _worker(self, slot: Slot, done: list[bool], index: int) -> None:
        try:
            while not self.stop.is_set():
                trial = self.claim()
                if trial is not None:
                    if not self._repeats_finished_trial(trial):
                        self.run_trial(trial, slot)
                elif self._running_elsewhere():
                    # A dead worker's trial goes stale and is re-queued; until then, wait for it.
                    self.stop.wait(min(5.0, self.cfg.heartbeat_interval))
                else:
                    return
        except BaseException as exc:  # a broken storage or tracker: stop everyone, report it
            self.errors.append(exc)
            self.stop.set()
        finally:
            done[index] = True

    def claim(self) -> optuna.Trial | None:
        """The next trial of the study (a queued one first), or None when there is no work left."""
        import optuna
        from optuna.trial import TrialState

        with self.lock:
            optuna.storages.fail_stale_trials(self.study)
            trials = self.study.get_trials(deepcopy=False)
            retried = retried_numbers(trials)
            started = sum(1 for t in trials if t.state != TrialState.WAITING and occupies(t, retried))
            waiting = any(t.state == TrialState.WAITING for t in trials)
            if started >= self.plan.n_trials or (self.plan.combinations and not waiting):
                return None
            trial = self.study.ask(self.distributions)
            self.storage.record_heartbeat(trial._trial_id)  # from now on a silent trial goes stale
            return trial

    def _repeats_finished_trial(self, trial: optuna.Trial) -> bool:
        """Random and TPE can draw a combination again: reuse its result instead of training it twice."""
        from optuna.trial import TrialState

        if self.plan.combinations:
            return False  # a grid's queue holds each combination once
        done = (TrialState.COMPLETE, TrialState.PRUNED)
        same = [t for t in self.study.get_trials(deepcopy=False, states=done)
                if t.params == trial.params and t.user_attrs.get("duplicate_of") is None]
        if not same:
            return False
        first = same[0]
        for key in ("run_id", "metrics", "best_value", "pruned_at_epoch", "output_dir"):
            trial.set_user_attr(key, first.user_attrs.get(key))
        trial.set_user_attr("duplicate_of", first.number)
        trial.set_user_attr("epochs_run", 0)
        if first.state == TrialState.COMPLETE:
            self.study.tell(trial, first.value)
        else:
            self.study.tell(trial, state=TrialState.PRUNED)
        log.info("trial #%d draws the parameters of trial #%d again: its result is reused, not retrained",
                 trial.number, first.number)
        return True

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
        for key, value in {"command": shlex.join(["docclf", *args]), "output_dir": str(tdir), "worker":
                           f"{socket.gethostname()}:{os.getpid()}:{slot.name}", "error": None, "run_id": None,
                           "pruned_at_epoch": None, "best_value": None, "metrics": {}}.items():
            trial.set_user_attr(key, value)  # a retry inherits its predecessor's attrs: reset them
        log.info("trial #%d started on %s: %s", n, slot.name,
                 "  ".join(f"{k}={fmt_value(v)}" for k, v in trial.params.items()))
        env = {**os.environ, **slot.env, "DOCCLF_TUNER_PID": str(os.getpid())}
        start = time.monotonic()
        with Heartbeat(self.storage, trial._trial_id, self.cfg.heartbeat_interval):
            with open(log_file, "w") as out:
                proc = subprocess.Popen([sys.executable, "-c", TRIAL_ENTRY, *args], stdout=out,
                                        stderr=subprocess.STDOUT, env=env, start_new_session=True)
                watch = self._watch(trial, proc, metrics_file, stop_file, run_name, start)
            duration = time.monotonic() - start
            self._conclude(trial, proc.returncode, watch, duration, _tail(log_file), run_name)
        self._drop_training_checkpoints(trial, tdir)

    def _drop_training_checkpoints(self, trial: optuna.Trial, tdir: Path) -> None:
        """A finished trial needs no optimiser state: 54 efficientnet trials would keep several GB."""
        from optuna.trial import TrialState

        if self.cfg.keep_checkpoints:
            return
        if self.storage.get_trial(trial._trial_id).state in (TrialState.COMPLETE, TrialState.PRUNED):
            for name in ("best.pth", "last.pth"):
                (tdir / name).unlink(missing_ok=True)

    def _train_args(self, params: dict[str, Any], run_name: str, tdir: Path, slot: Slot) -> list[str]:
        cfg = self.cfg
        # --time-budget 0: every trial trains the epochs the search asked for, which its pruner counts on
        args = ["train", "--data-dir", cfg.data_dir, "--epochs", str(cfg.epochs), "--time-budget", "0",
                "--metric", cfg.metric,
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
        last_check = time.monotonic()
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
            if now - last_check >= self.cfg.heartbeat_interval:
                last_check = now
                if self.storage.get_trial(trial._trial_id).state != TrialState.RUNNING:
                    watch.stopped = "lost"  # declared stale by another worker, which re-queued it
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
        from optuna.exceptions import UpdateFinishedTrialError
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
        try:
            for key, val in attrs.items():
                trial.set_user_attr(key, val)
            if state == TrialState.COMPLETE:
                self.study.tell(trial, value)
            else:
                self.study.tell(trial, state=state)
        except UpdateFinishedTrialError:  # went stale after all (a frozen tuner); its retry will run
            log.warning("trial #%d was re-queued by another worker before it ended; result in MLflow only", n)
            self._tag_final(watch.run_id, n, "FAIL", {"optuna.error": "heartbeat lost; re-queued"})
            return
        if watch.stopped == "interrupted":
            requeue(self.study, self.storage.get_trial(trial._trial_id))
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
                 format_duration(duration), extra)
        if error and state == "FAIL":
            lines = [line for line in error.splitlines() if line.strip()]
            log.warning("trial #%d failed: %s%s", n, lines[0], f" ... {lines[-1]}" if len(lines) > 1 else "")


def _terminate(proc: subprocess.Popen, kill: threading.Event, grace: float = 60.0) -> None:
    """SIGTERM the trial's process group (training saves its epoch and ends its run), SIGKILL if slow."""
    if proc.poll() is not None or not _signal_group(proc.pid, signal.SIGKILL if kill.is_set() else signal.SIGTERM):
        return
    deadline = time.monotonic() + grace
    while proc.poll() is None and time.monotonic() < deadline and not kill.is_set():
        time.sleep(0.2)
    if proc.poll() is None:
        _signal_group(proc.pid, signal.SIGKILL)
        proc.wait()
    _wait_for_group(proc.pid)


def _wait_for_group(pgid: int, timeout: float = 10.0) -> None:
    """Wait for the rest of the trial's process group (processes the training forked) to end too: they had the
    same signal but may take a moment longer to exit, and the tuner, once it returns, must leave nothing of its
    trials running. SIGKILL whatever is left at the timeout (a group whose members are zombies that nothing
    reaps also waits that long)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _signal_group(pgid, 0):  # signal 0: only asks whether any member is left
            return
        time.sleep(0.05)
    _signal_group(pgid, signal.SIGKILL)


def _signal_group(pgid: int, sig: int) -> bool:
    """Send `sig` to a process group; False when the group is gone."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    return True


def _wait_all(done: list[bool]) -> None:
    # Not Thread.join: on Python 3.11 a KeyboardInterrupt raised inside join() can leave a live
    # thread marked as stopped, and the search would return while its trials still run.
    while not all(done):
        time.sleep(0.2)
