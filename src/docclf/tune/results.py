"""Results: trials ranked, the JSON report, tables (text, CSV, markdown), the plot, the MLflow parent run."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docclf.config import TuneConfig
from docclf.notes import NOTE_TAG, TUNING_EXPERIMENT, tuning_note
from docclf.tune.space import SearchPlan, fmt_value
from docclf.tune.study import StudyLock, mask_url, params_of

if TYPE_CHECKING:
    import optuna
    from optuna.trial import FrozenTrial

STATE_ORDER = {"COMPLETE": 0, "PRUNED": 1, "FAIL": 2, "RUNNING": 3, "WAITING": 4}


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
            tracking.describe_experiment(self.client, self.experiment_id, TUNING_EXPERIMENT)
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

        from docclf import tracking

        run = self.client.create_run(self.experiment_id, run_name=study.study_name, tags={
            **tracking.context_tags(), "docclf.kind": "tuning", "optuna.study_name": study.study_name,
            "optuna.storage": mask_url(cfg.storage), NOTE_TAG: tuning_note(
                {"strategy": cfg.search_strategy, "study": study.study_name, "epochs": cfg.epochs,
                 "metric": cfg.metric, "direction": cfg.resolved_direction, "space": plan.space})})
        tracking.log_datasets(self.client, run.info.run_id, cfg.data_dir)
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

        from docclf import tracking

        run = self.client.create_run(self.experiment_id, run_name=run_name,
                                     tags={**tracking.context_tags(), "mlflow.parentRunId": self.run_id,
                                           **{k: str(v)[:5000]
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
                **{f"best.{k}": fmt_value(v) for k, v in best["params"].items()}}
        self.set_tags(self.run_id, tags)  # same call for the parent: tags are mutable, params are not

    def finish(self, report: dict[str, Any], interrupted: bool) -> None:
        """Log the ranked table (CSV, markdown), the plot and the JSON; describe and close the run."""
        from mlflow.entities import Metric

        best, counts = report["best"], report["counts"]
        # counts and compute are one number each: tags and the description, not one-dot charts
        summary = {f"n_{k.lower()}": v for k, v in counts.items()}
        summary.update(epochs_trained=report["compute"]["epochs"], train_seconds=report["compute"]["train_seconds"])
        self.set_tags(self.run_id, {**summary, NOTE_TAG: tuning_note(report, format_top_k(report, 10))})
        if best:
            self._tag_best(best)
            now, step = int(time.time() * 1000), len(report["trials"])  # after the per-trial steps
            self.client.log_batch(self.run_id, metrics=[Metric(f"best_{self.metric}", float(best["value"]), now, step)])
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            (tmp_path / "ranked_trials.csv").write_text(ranked_csv(report))
            (tmp_path / "ranked_trials.md").write_text(ranked_markdown(report))
            (tmp_path / "tuning_results.json").write_text(json.dumps(report, indent=2))
            fig = trials_figure(report)
            fig.savefig(tmp_path / "metric_per_trial.png", dpi=110, bbox_inches="tight")
            import matplotlib.pyplot as plt

            plt.close(fig)
            for path in sorted(tmp_path.iterdir()):
                self.client.log_artifact(self.run_id, str(path))
        running = counts.get("RUNNING", 0) + counts.get("WAITING", 0)
        if interrupted:
            self.client.set_terminated(self.run_id, "KILLED")
        elif not running:
            self.client.set_terminated(self.run_id, "FINISHED")


def ranked_rows(trials: list[FrozenTrial], direction: str) -> list[dict[str, Any]]:
    """Every trial as a row, best first: complete by value, then pruned, failed, running, waiting."""
    rows = []
    for t in trials:
        ua = t.user_attrs
        value = t.value if t.state.name == "COMPLETE" else ua.get("best_value")
        duration = ua.get("duration_s")
        if duration is None and t.datetime_start and t.datetime_complete:
            duration = round((t.datetime_complete - t.datetime_start).total_seconds(), 2)
        rows.append({"number": t.number, "state": t.state.name, "params": params_of(t), "value": value,
                     "metrics": ua.get("metrics", {}), "run_id": ua.get("run_id"), "duration_s": duration,
                     "epochs_run": ua.get("epochs_run"), "train_seconds": ua.get("train_seconds"),
                     "pruned_at_epoch": ua.get("pruned_at_epoch"), "error": ua.get("error"),
                     "retry_of": t.system_attrs.get("failed_trial"), "duplicate_of": ua.get("duplicate_of"),
                     "output_dir": ua.get("output_dir"),
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


def format_duration(seconds: float | None) -> str:
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
                     *[fmt_value(r["params"].get(n, "")) for n in names],
                     f"{r['value']:.4f}" if r["value"] is not None else "-", format_duration(r["duration_s"]),
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
                    + " ".join(f"{k}={fmt_value(v)}" for k, v in best["params"].items())
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
    styles = {"COMPLETE": ("o", "tab:blue", "complete"), "PRUNED": ("x", "tab:orange", "pruned (best before pruning)")}
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
