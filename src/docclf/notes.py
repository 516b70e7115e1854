"""What people read in MLflow's UI: descriptions of experiments, runs, registered models and versions,
and the readable stage history beside its machine-readable record.

The markdown builders are plain functions of plain data; the writers take an MlflowClient. MLflow
stores a run's or experiment's description in its `mlflow.note.content` tag, and a registered
model's or version's in its `description` field (at most 5000 characters on PostgreSQL).
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger(__name__)

NOTE_TAG = "mlflow.note.content"
HISTORY_TAG = "docclf.stage_history"  # the record: one JSON list of stage changes, oldest first
LEGACY_HISTORY_PREFIX = "docclf.history."  # one tag per change, as stores written before it hold
MAX_DESCRIPTION = 4900  # the registry's description column holds 5000
MAX_RUN_NOTE = 4900  # run tags hold 8000 characters; the tuner cuts its tags at 5000
HISTORY_ROWS = 12  # the newest changes shown in the model's description

TRAINING_EXPERIMENT = (
    "docclf training runs: a timm image classifier trained on document pages.\n\n"
    "Each run's description gives its model, data and result. **Model metrics** holds the per-epoch "
    "curves (step = epoch) and the test figures, **System metrics** the CPU, memory (and GPU) use, "
    "**Artifacts** the checkpoint, plots and test report; the MLflow model is under **Logged models** "
    "(`pytorch_model`). The Dataset column names the train/val/test splits by digest: the same digest "
    "means the same files.")
TUNING_EXPERIMENT = (
    "docclf hyperparameter searches: one parent run per Optuna study (named after the study), one "
    "child run per trial (`trial-NNNN`, a full training run).\n\n"
    "Open a parent for the ranked trials (its description and `ranked_trials.md`) and its chart of "
    "the metric per trial; expand it in the runs table to compare its trials.")


# --------------------------------------------------------------------------- small formatting


def _pct(v: Any) -> str:
    try:
        return f"{float(v):.1%}"
    except (TypeError, ValueError):
        return "-"


def _num(v: Any, digits: int = 3) -> str:
    try:
        return f"{float(v):.{digits}f}"
    except (TypeError, ValueError):
        return "-"


def code_table(rows: list[list[Any]], header: list[str]) -> str:
    """An aligned text table in a code block: the registry UI draws markdown tables without borders."""
    cells = [[str(c) for c in header]] + [["-" if c is None or c == "" else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "```\n" + "\n".join(lines) + "\n```"


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 20].rstrip() + "\n\n(truncated)"


# --------------------------------------------------------------------------- runs


def training_note(facts: dict[str, Any], summary: dict[str, Any] | None = None) -> str:
    """A training run: model, data, recipe, and (once finished) its headline result."""
    counts = " / ".join(f"{n} {split}" for split, n in facts["counts"].items())
    lines = [f"**{facts['model']}** (timm) at {facts['image_size']} px, "
             f"{'ImageNet weights' if facts.get('pretrained') else 'trained from scratch'}, on "
             f"`{facts['data_dir']}`: {counts} pages, {len(facts['classes'])} classes "
             f"({', '.join(facts['classes'])})."]
    lines.append(f"Recipe: {facts['epochs']} epochs, batch {facts['batch_size']}, lr {facts['lr']:g}, "
                 f"device {facts.get('device', '-')}.")
    if summary is None:
        lines.append("Training: the curves fill in epoch by epoch under **Model metrics**.")
        return _fit("\n\n".join(lines), MAX_RUN_NOTE)
    monitor = summary["monitor"]
    result = (f"**Result**: best {monitor} {_num(summary['best_value'])} at epoch {summary['best_epoch']} of "
              f"{summary['epochs_completed']}")
    if summary.get("eval_split"):
        n = summary.get("n_images")
        result += (f"; {summary['eval_split']} accuracy {_pct(summary.get('accuracy'))}, macro F1 "
                   f"{_num(summary.get('macro_f1'))}" + (f" on {n} pages" if n else ""))
    lines.insert(0, result + ".")
    lines.append("Per class: `classification_report.json` and `confusion_matrix.png` (Artifacts); "
                 "the model: **Logged models** > `pytorch_model`.")
    return _fit("\n\n".join(lines), MAX_RUN_NOTE)


def tuning_note(report: dict[str, Any], top_k_table: str | None = None) -> str:
    """A tuning parent: the search, its best trial and the ranked trials."""
    space = ", ".join(f"{k} {v}" for k, v in report["space"].items())
    counts = ", ".join(f"{n} {s.lower()}" for s, n in report.get("counts", {}).items()) or "none yet"
    lines = [f"Optuna **{report['strategy']}** search `{report['study']}`: trials of {report['epochs']} epochs "
             f"ranked by {report['metric']} ({report['direction']}), over {space}.",
             f"Trials: {counts}."]
    best = report.get("best")
    if best:
        params = " ".join(f"{k}={v}" for k, v in best["params"].items())
        lines.insert(0, f"**Best**: trial #{best['number']}, {report['metric']} {_num(best['value'], 4)} "
                        f"({params}), run `{best['run_id']}`.")
    compute = report.get("compute")
    if compute:
        lines.append(f"Compute: {compute['epochs']} epochs, {compute['train_seconds']:.0f} s of training.")
    if top_k_table:
        lines.append("```\n" + top_k_table + "\n```")
    return _fit("\n\n".join(lines), MAX_RUN_NOTE)


# --------------------------------------------------------------------------- stage history


def read_history(tags: dict[str, str]) -> list[dict[str, Any]]:
    """Every recorded stage change of a registered model, oldest first (both record formats)."""
    events = [json.loads(tags[k]) for k in sorted(tags) if k.startswith(LEGACY_HISTORY_PREFIX)]
    if HISTORY_TAG in tags:
        events += json.loads(tags[HISTORY_TAG])
    return sorted(events, key=lambda e: e.get("when", ""))


def record_stage_change(client: Any, name: str, event: dict[str, Any]) -> None:
    """Append one change to the model's record, folding per-change tags of older stores into it."""
    tags = client.get_registered_model(name).tags
    events = read_history(tags) + [event]
    client.set_registered_model_tag(name, HISTORY_TAG, json.dumps(events, separators=(",", ":")))
    for key in [k for k in tags if k.startswith(LEGACY_HISTORY_PREFIX)]:
        client.delete_registered_model_tag(name, key)


def history_table(events: list[dict[str, Any]], limit: int | None = None) -> str:
    """Stage changes, newest first, as a text table."""
    shown = list(reversed(events))[:limit]
    rows = [[e.get("when", "").replace("T", " ").rstrip("Z"), e.get("who"), f"v{e.get('version')}",
             f"{e.get('from_stage')} -> {e.get('to_stage')}",
             f"v{e['replaced_version']}" if e.get("replaced_version") else None,
             (e.get("note") or "")[:70]] for e in shown]
    return code_table(rows, ["when (UTC)", "who", "version", "stage", "replaced", "note"])


# --------------------------------------------------------------------------- registry


def model_description(name: str, facts: dict[str, Any], holders: dict[str, str], events: list[dict[str, Any]]) -> str:
    """A registered model: what it classifies, how to call it, who holds which stage, the history."""
    size = facts.get("image_size", "S")
    lines = [f"Classifies a document page image as one of: {', '.join(facts.get('classes') or ['?'])}.",
             f"Input: a page letterboxed to {size} px (long side fitted, white padding) and normalised with "
             f"the model's mean/std; the MLflow model maps a `(B, 3, {size}, {size})` float batch to logits. "
             "docclf's API, evaluate and export do the preprocessing for you:",
             "```\n"
             f"python app.py --model-uri models:/{name}/Production\n"
             f"docclf evaluate --model-uri models:/{name}@production --data-dir DIR\n"
             f"python export_model.py --model-uri models:/{name}/Production --format onnx\n"
             f"mlflow.pytorch.load_model(\"models:/{name}@production\")   # logits of preprocessed batches\n"
             "```"]
    now = ", ".join(f"{stage}: v{v}" for stage, v in holders.items()) or "no version in Staging or Production"
    lines.append(f"**Now**: {now}.")
    if events:
        lines.append(f"**Stage history** (newest first; all of it: `python mlflow_utils.py --action history "
                     f"--model-name {name}`; the record: tag `{HISTORY_TAG}`)")
        for limit in (HISTORY_ROWS, 6, 3):
            text = "\n\n".join(lines + [history_table(events, limit)])
            if len(text) <= MAX_DESCRIPTION:
                return text
    return _fit("\n\n".join(lines), MAX_DESCRIPTION)


def version_description(version: str, stage: str, run: dict[str, Any], validation: dict[str, str],
                        events: list[dict[str, Any]]) -> str:
    """A model version: where it came from, its validation summary, its own stage history."""
    lines = [f"**{run.get('model', '?')}** at {run.get('image_size', '?')} px from run "
             f"`{run.get('run_name', '?')}` (`{run.get('run_id', '?')}`), trained on `{run.get('data_dir', '?')}`."]
    if run.get("test_accuracy") is not None:
        lines.append(f"Training: test accuracy {_pct(run['test_accuracy'])}, macro F1 {_num(run.get('test_f1'))}"
                     + (f"; best {run['monitor']} {_num(run['best_value'])} at epoch {run['best_epoch']}"
                        if run.get("best_epoch") else "") + ".")
    if validation.get("accuracy"):
        v = validation
        line = (f"**Validation** ({v.get('when', '?')}, by {v.get('who', '?')}, on `{v.get('data_dir', '?')}`, "
                f"{v.get('n_images', '?')} images): accuracy {_pct(v['accuracy'])}, macro F1 {_num(v.get('macro_f1'))}; "
                f"latency p50 {_num(v.get('latency_ms_p50'), 1)} ms, p95 {_num(v.get('latency_ms_p95'), 1)} ms "
                f"(batch 1); {_num(v.get('throughput_b32'), 0)} images/s (batch 32).")
        if v.get("production_version") not in (None, "none"):
            line += (f" Production v{v['production_version']} on the same data: "
                     f"{_pct(v.get('production_accuracy'))}.")
        lines.append(line)
        recall = sorted((k[len("recall."):], val) for k, val in v.items() if k.startswith("recall."))
        if recall:
            lines.append(code_table([[c, _num(r)] for c, r in recall], ["class", "recall"]))
    else:
        lines.append("Not validated yet: `python mlflow_utils.py --action validate "
                     f"--model-name NAME --version {version} --data-dir DIR`.")
    mine = [e for e in events if str(e.get("version")) == str(version)
            or str(e.get("replaced_version")) == str(version)]
    lines.append(f"**Stage**: {stage}.")
    if mine:
        lines.append(history_table(mine))
    return _fit("\n\n".join(lines), MAX_DESCRIPTION)


def _run_facts(client: Any, run_id: str | None) -> dict[str, Any]:
    """What a version's descriptions need from its training run (empty if the run is gone)."""
    if not run_id:
        return {}
    try:
        run = client.get_run(run_id)
    except Exception:  # a deleted run must not stop a stage change
        return {}
    p, t, m = run.data.params, run.data.tags, run.data.metrics
    monitor = p.get("metric") or p.get("monitor") or "val_f1"
    return {"run_id": run_id, "run_name": run.info.run_name, "model": p.get("timm_model") or p.get("model"),
            "image_size": p.get("image_size"), "data_dir": t.get("dataset.path") or p.get("data_dir"),
            "classes": [c for c in t.get("dataset.classes", "").split(",") if c],
            "test_accuracy": m.get("test_accuracy"), "test_f1": m.get("test_f1"), "monitor": monitor,
            "best_epoch": t.get("best_epoch"), "best_value": t.get(f"best_{monitor}")}


def describe_registered(client: Any, name: str, versions: list[str] | None = None) -> None:
    """Rewrite the model's description and those of `versions` (all when None) from the registry.
    A failure only warns: descriptions must never undo a registration or a stage change."""
    try:
        _describe_registered(client, name, versions)
    except Exception as exc:
        log.warning("could not update the descriptions of %s (%s: %s)", name, type(exc).__name__,
                    str(exc).splitlines()[0][:200] if str(exc) else "")


def _describe_registered(client: Any, name: str, versions: list[str] | None) -> None:
    model = client.get_registered_model(name)
    events = read_history(model.tags)
    all_versions = sorted(client.search_model_versions(f"name = '{name}'"), key=lambda v: int(v.version),
                          reverse=True)
    holders = {}
    for stage in ("Production", "Staging"):
        held = [v for v in all_versions if v.current_stage == stage]
        if held:
            holders[stage] = str(held[0].version)
    for mv in all_versions:
        if versions is None or str(mv.version) in {str(v) for v in versions}:
            validation = {k[len("validation."):]: v for k, v in (mv.tags or {}).items() if k.startswith("validation.")}
            text = version_description(str(mv.version), mv.current_stage, _run_facts(client, mv.run_id),
                                       validation, events)
            client.update_model_version(name, mv.version, description=text)
    lead = next((v for v in all_versions if str(v.version) == holders.get("Production")), None)
    lead = lead or (all_versions[0] if all_versions else None)
    facts = _run_facts(client, lead.run_id) if lead else {}
    client.update_registered_model(name, description=model_description(name, facts, holders, events))
