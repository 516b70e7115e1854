"""The MLflow model registry: register runs, move versions through stages, validate, promote.

MLflow 3 deprecates stages in favour of aliases but still honours them. We keep both: a
version's stage (`models:/NAME/Production`) and the matching alias (`models:/NAME@production`)
always name the same version, because every stage change ends with `sync_aliases`. Each stage
change is also recorded as a tag on the registered model (who, when, which version it replaced),
so the history of Production can be read back with `docclf registry history`.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docclf.clock import iso_from_ms, now_iso
from docclf.config import higher_is_better
from docclf.errors import UsageError
from docclf.refs import MODEL_ARTIFACT, bad_reference, normalize_stage, parse_ref, parse_run_id
from docclf.tracking import current_user

log = logging.getLogger(__name__)

STAGE_ALIASES = {"Staging": "staging", "Production": "production"}
VALIDATION_PREFIX = "validation."
DEFAULT_TOLERANCE = 0.5  # points of accuracy


class PromotionRefused(Exception):
    """The gate said no: the version is unvalidated, stale or worse than Production."""


# --------------------------------------------------------------------------- small helpers


@contextmanager
def mlflow_errors(what: str) -> Iterator[None]:
    """Turn MLflow's exceptions (unknown model, version, run; a store without a registry) into one line."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"{what}: {first[:300]}") from None


# --------------------------------------------------------------------------- the registry


class Registry:
    """An MLflow registry client whose methods return plain data (dicts and lists) for tables or JSON."""

    def __init__(self, tracking_uri: str | None = None):
        import mlflow

        from docclf import tracking

        self.uri = tracking.resolve_tracking_uri(tracking_uri)
        tracking.connect(self.uri)
        # MLflow's own INFO lines ("Created version '1'") and download bars repeat what we print.
        logging.getLogger("mlflow").setLevel(logging.WARNING)
        os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
        self.client = mlflow.MlflowClient()

    # -- look-ups that fail with one line
    def run(self, run_id: str) -> Any:
        run_id = parse_run_id(run_id)
        with mlflow_errors(f"run {run_id} not found in {self.uri}"):
            return self.client.get_run(run_id)

    def model(self, name: str) -> Any:
        if "'" in name or '"' in name:
            raise UsageError(f"model name {name!r} must not contain quotes")
        with mlflow_errors(f"registered model {name!r} not found in {self.uri} "
                           "(see `docclf registry list-versions`, or register one with `docclf registry register-model`)"):
            return self.client.get_registered_model(name)

    def version(self, name: str, version: str | int) -> Any:
        """A version by number, or `latest` (the newest: handy right after register-model in scripts)."""
        if str(version).lower() == "latest":
            versions = self.versions(name)
            if not versions:
                raise UsageError(f"model {name!r} has no versions yet")
            return versions[0]
        self.model(name)
        with mlflow_errors(f"model {name!r} has no version {version!r} (see `docclf registry list-versions`)"):
            return self.client.get_model_version(name, str(version))

    def experiment(self, name: str) -> Any:
        with mlflow_errors(f"cannot read experiments from {self.uri}"):
            exp = self.client.get_experiment_by_name(name)
        if exp is None:
            names = [e.name for e in self.client.search_experiments()]
            raise UsageError(f"experiment {name!r} not found; experiments: {', '.join(names) or 'none'}")
        return exp

    def versions(self, name: str) -> list[Any]:
        """All versions of a model, newest first."""
        self.model(name)
        with mlflow_errors(f"cannot list versions of {name!r}"):
            found = self.client.search_model_versions(f"name='{name}'")
        return sorted(found, key=lambda v: int(v.version), reverse=True)

    def holder(self, name: str, stage: str) -> Any | None:
        """The version now in `stage` (the newest, if several), or None."""
        held = [v for v in self.versions(name) if v.current_stage == stage]
        return held[0] if held else None

    # -- registering
    def register(self, run_id: str, name: str) -> dict[str, Any]:
        """Register a run's logged pytorch model as a new version of `name`."""
        import mlflow

        run = self.run(run_id)
        source = self._model_source(run)
        with mlflow_errors(f"cannot register run {run.info.run_id} as {name!r}"):
            mv = mlflow.register_model(source, name, tags={
                "docclf.registered_by": current_user(), "docclf.registered_at": now_iso()})
        from docclf.notes import describe_registered

        describe_registered(self.client, name, [str(mv.version)])
        return self.describe_version(self.version(name, mv.version))

    def _model_source(self, run: Any) -> str:
        """models:/<logged model id> in MLflow 3; runs:/ID/pytorch_model for runs logged by MLflow 2."""
        import mlflow

        outputs = run.outputs.model_outputs if run.outputs else []
        for out in outputs:
            with mlflow_errors(f"cannot read logged model {out.model_id}"):
                logged = mlflow.get_logged_model(out.model_id)
            if logged.name == MODEL_ARTIFACT:
                return f"models:/{logged.model_id}"
        artifacts = {a.path for a in self.client.list_artifacts(run.info.run_id)}
        if MODEL_ARTIFACT in artifacts:
            return f"runs:/{run.info.run_id}/{MODEL_ARTIFACT}"
        raise UsageError(f"run {run.info.run_id} has no logged model ({MODEL_ARTIFACT}); it was trained with "
                         "--no-log-model or did not finish. Train again, or export its checkpoint directly")

    # -- stages and aliases
    def transition(self, name: str, version: str | int, stage: str, note: str = "") -> dict[str, Any]:
        """Move a version to `stage`, archive the stage's previous holder, keep aliases in step, record it."""
        stage = normalize_stage(stage)
        mv = self.version(name, version)
        previous = self.holder(name, stage) if stage in STAGE_ALIASES else None
        if previous is not None and previous.version == mv.version:
            self.sync_aliases(name)  # repairs an alias moved by hand
            return {**self.describe_version(self.version(name, mv.version)), "changed": False, "replaced": None}
        with warnings.catch_warnings(), mlflow_errors(f"cannot move {name} version {mv.version} to {stage}"):
            # Stages are deprecated since MLflow 2.9 but still work; the warning is not the user's business.
            warnings.simplefilter("ignore", FutureWarning)
            # Archive the old holders one by one: MLflow 3.17's archive_existing_versions=True fails on
            # PostgreSQL (it compares the integer version column with a string: "operator does not exist").
            if stage in STAGE_ALIASES:
                for old in self.client.search_model_versions(f"name = '{name}'"):
                    if old.current_stage == stage and str(old.version) != str(mv.version):
                        self.client.transition_model_version_stage(name, old.version, "Archived")
            self.client.transition_model_version_stage(name, mv.version, stage, archive_existing_versions=False)
        self.sync_aliases(name)
        replaced = str(previous.version) if previous else None
        self._record(name, {"version": str(mv.version), "from_stage": mv.current_stage, "to_stage": stage,
                            "replaced_version": replaced, "note": note})
        from docclf.notes import describe_registered

        describe_registered(self.client, name, [str(mv.version), *([replaced] if replaced else [])])
        return {**self.describe_version(self.version(name, mv.version)), "changed": True, "replaced": replaced}

    def sync_aliases(self, name: str) -> None:
        """Point `staging` / `production` at the version in that stage, or drop the alias if none is."""
        aliases = self.model(name).aliases
        for stage, alias in STAGE_ALIASES.items():
            held = self.holder(name, stage)
            with mlflow_errors(f"cannot update alias {alias} of {name!r}"):
                if held is not None and str(aliases.get(alias)) != str(held.version):
                    self.client.set_registered_model_alias(name, alias, held.version)
                elif held is None and alias in aliases:
                    self.client.delete_registered_model_alias(name, alias)

    def set_alias(self, name: str, alias: str, version: str | int) -> dict[str, Any]:
        """Point an alias at a version; the stage aliases move the stage with them."""
        stage = {a: s for s, a in STAGE_ALIASES.items()}.get(alias.lower())
        if stage:
            return self.transition(name, version, stage, note=f"set-alias {alias}")
        mv = self.version(name, version)
        with mlflow_errors(f"cannot set alias {alias!r} on {name!r}"):
            self.client.set_registered_model_alias(name, alias, mv.version)
        return self.describe_version(self.version(name, mv.version))

    def delete_alias(self, name: str, alias: str) -> dict[str, Any]:
        if alias.lower() in STAGE_ALIASES.values():
            raise UsageError(f"alias {alias!r} follows the {alias.capitalize()} stage; move the version with "
                             "`docclf registry transition-stage --stage Archived` instead")
        if alias not in self.model(name).aliases:
            raise UsageError(f"model {name!r} has no alias {alias!r}")
        with mlflow_errors(f"cannot delete alias {alias!r} of {name!r}"):
            self.client.delete_registered_model_alias(name, alias)
        return {"model": name, "deleted_alias": alias}

    def _record(self, name: str, event: dict[str, Any]) -> None:
        """Add a stage change to the registered model's record: the history survives any version."""
        from docclf.notes import record_stage_change

        with mlflow_errors(f"cannot record the stage change of {name!r}"):
            record_stage_change(self.client, name, {"when": now_iso(), "who": current_user(), **event})

    def history(self, name: str) -> list[dict[str, Any]]:
        """Every recorded stage change of a model, oldest first."""
        from docclf.notes import read_history

        return read_history(self.model(name).tags)

    # -- reading
    def describe_version(self, mv: Any, model_aliases: dict[str, Any] | None = None) -> dict[str, Any]:
        model_aliases = self.model(mv.name).aliases if model_aliases is None else model_aliases
        aliases = [a for a, v in model_aliases.items() if str(v) == str(mv.version)]
        validation = {k[len(VALIDATION_PREFIX):]: v for k, v in (mv.tags or {}).items()
                      if k.startswith(VALIDATION_PREFIX)}
        return {"model": mv.name, "version": str(mv.version), "stage": mv.current_stage, "aliases": sorted(aliases),
                "run_id": mv.run_id, "source": mv.source, "created": iso_from_ms(mv.creation_timestamp),
                "validation": validation}

    def list_versions(self, name: str) -> list[dict[str, Any]]:
        aliases = self.model(name).aliases
        return [self.describe_version(v, aliases) for v in self.versions(name)]

    def list_experiments(self) -> list[dict[str, Any]]:
        with mlflow_errors(f"cannot read experiments from {self.uri}"):
            exps = self.client.search_experiments()
        return [{"experiment_id": e.experiment_id, "name": e.name, "lifecycle": e.lifecycle_stage,
                 "created": iso_from_ms(e.creation_time)} for e in exps]

    def list_runs(self, experiment: str, order_by: str | None = None, max_results: int = 50) -> list[dict[str, Any]]:
        exp = self.experiment(experiment)
        order = [f"metrics.`{order_by}` {'DESC' if higher_is_better(order_by) else 'ASC'}"] if order_by else None
        with mlflow_errors(f"cannot search runs of {experiment!r}"):
            runs = self.client.search_runs([exp.experiment_id], order_by=order, max_results=max_results)
        return [_run_row(r) for r in runs]

    def best_run(self, experiment: str, metric: str) -> dict[str, Any]:
        """The finished run with the best value of `metric` (its last logged value, as MLflow keeps it)."""
        exp = self.experiment(experiment)
        direction = "DESC" if higher_is_better(metric) else "ASC"
        with mlflow_errors(f"cannot search runs of {experiment!r}"):
            runs = self.client.search_runs([exp.experiment_id], filter_string="attributes.status = 'FINISHED'",
                                           order_by=[f"metrics.`{metric}` {direction}"], max_results=500)
        runs = [r for r in runs if metric in r.data.metrics]
        if not runs:
            raise UsageError(f"no finished run in {experiment!r} has the metric {metric!r}")
        return {**_run_row(runs[0]), "metric": metric, "value": runs[0].data.metrics[metric]}

    def compare_runs(self, run_ids: list[str]) -> dict[str, Any]:
        """Params and metrics of several runs, side by side; `differs` lists the keys whose values differ."""
        runs = [self.run(r) for r in run_ids]
        out: dict[str, Any] = {"run_ids": [r.info.run_id for r in runs],
                               "names": [r.info.run_name for r in runs], "params": {}, "metrics": {}}
        for kind in ("params", "metrics"):
            keys = sorted(set().union(*(getattr(r.data, kind).keys() for r in runs)))
            out[kind] = {k: [getattr(r.data, kind).get(k) for r in runs] for k in keys}
        out["differs"] = sorted(k for kind in ("params", "metrics") for k, vals in out[kind].items()
                                if len({json.dumps(v) for v in vals}) > 1)
        return out

    def run_param(self, run_id: str, key: str) -> str | None:
        return self.run(run_id).data.params.get(key)

    def resolve(self, uri: str) -> dict[str, Any]:
        """models:/NAME/VERSION|STAGE or models:/NAME@ALIAS -> model name, version and run id."""
        ref = parse_ref(uri)
        if ref.kind != "registered":
            raise bad_reference(uri, "names no registered version")
        if ref.alias:
            self.model(ref.name)
            with mlflow_errors(f"model {ref.name!r} has no alias {ref.alias!r}"):
                mv = self.client.get_model_version_by_alias(ref.name, ref.alias)
        elif ref.stage:
            mv = self.holder(ref.name, ref.stage)
            if mv is None:
                raise UsageError(f"model {ref.name!r} has no version in stage {ref.stage}")
        else:
            mv = self.version(ref.name, str(ref.version))
        return {"model": mv.name, "version": str(mv.version), "run_id": mv.run_id, "stage": mv.current_stage}

    # -- validation and the promotion gate
    def validate(self, name: str, version: str | int, data_dir: str, batch_size: int = 64,
                 latency_runs: int = 30, cache_dir: str | None = None) -> dict[str, Any]:
        """Score a version on held-out data next to the current Production version; store it on the version."""
        mv = self.version(name, version)
        production = self.holder(name, "Production")
        from docclf.evaluate import measure_model

        candidate = measure_model(f"models:/{name}/{mv.version}", self.uri, data_dir, batch_size, latency_runs,
                                  cache_dir)
        report: dict[str, Any] = {"model": name, "version": str(mv.version), "data_dir": str(Path(data_dir).resolve()),
                                  "when": now_iso(), "who": current_user(), "host": platform.node(),
                                  "candidate": candidate, "production": None}
        if production is not None and production.version != mv.version:
            report["production"] = {"version": str(production.version),
                                    **measure_model(f"models:/{name}/{production.version}", self.uri, data_dir,
                                                    batch_size, latency_runs, cache_dir)}
        self._store_validation(mv, report)
        return report

    def _store_validation(self, mv: Any, report: dict[str, Any]) -> None:
        c, prod = report["candidate"], report["production"]
        tags = {"accuracy": c["accuracy"], "macro_f1": c["macro_f1"], "n_images": c["n_images"],
                "latency_ms_p50": c["speed"]["latency_ms_p50"], "latency_ms_p95": c["speed"]["latency_ms_p95"],
                "throughput_b32": c["speed"]["throughput_b32"], "data_dir": report["data_dir"],
                "when": report["when"], "who": report["who"],
                "production_version": prod["version"] if prod else "none",
                "production_accuracy": prod["accuracy"] if prod else "none"}
        tags.update({f"recall.{k}": v for k, v in c["recall"].items()})
        artifact = f"validation/{mv.name}-v{mv.version}-{report['when'].replace(':', '')}.json"
        tags["report"] = f"runs:/{mv.run_id}/{artifact}" if mv.run_id else "none"
        with mlflow_errors(f"cannot store the validation of {mv.name} version {mv.version}"):
            for k, v in tags.items():
                self.client.set_model_version_tag(mv.name, mv.version, VALIDATION_PREFIX + k,
                                                  f"{v:.6g}" if isinstance(v, float) else str(v))
            if mv.run_id:
                with tempfile.TemporaryDirectory() as tmp:
                    path = Path(tmp) / Path(artifact).name
                    path.write_text(json.dumps(report, indent=2))
                    self.client.log_artifact(mv.run_id, str(path), "validation")
        report["stored_as"] = tags["report"]
        from docclf.notes import describe_registered

        describe_registered(self.client, mv.name, [str(mv.version)])

    def promote(self, name: str, version: str | int, stage: str = "Production",
                tolerance: float = DEFAULT_TOLERANCE, force: bool = False) -> dict[str, Any]:
        """transition-stage behind a gate: to reach Production a version must be validated and not worse."""
        stage = normalize_stage(stage)
        mv = self.version(name, version)
        gate = self.gate(mv, stage, tolerance)
        if not gate["passed"] and not force:
            raise PromotionRefused(f"{name} version {mv.version} not promoted to {stage}: {gate['reason']}; "
                                   "use --force to promote anyway")
        note = f"promote: {gate['reason']}" + ("" if gate["passed"] else " (forced)")
        result = self.transition(name, mv.version, stage, note=note)
        return {**result, "gate": gate, "forced": force and not gate["passed"]}

    def gate(self, mv: Any, stage: str, tolerance: float) -> dict[str, Any]:
        """Whether `mv` may enter `stage`, and why (Staging is always open: that is where validation happens)."""
        if stage != "Production":
            return {"passed": True, "reason": f"no gate for {stage}"}
        tags = mv.tags or {}
        acc = tags.get(VALIDATION_PREFIX + "accuracy")
        if acc is None:
            return {"passed": False, "reason": f"version {mv.version} has not been validated (run `docclf registry validate "
                                               f"--model-name {mv.name} --version {mv.version} --data-dir DIR`)"}
        production = self.holder(mv.name, "Production")
        if production is None:
            return {"passed": True, "reason": f"validated (accuracy {float(acc):.2%}); no version in Production yet"}
        if production.version == mv.version:
            return {"passed": True, "reason": "already in Production"}
        compared = tags.get(VALIDATION_PREFIX + "production_version")
        if compared != str(production.version):
            return {"passed": False, "reason": f"validated against Production version {compared}, but Production "
                                               f"is now version {production.version}; validate again"}
        delta = (float(acc) - float(tags[VALIDATION_PREFIX + "production_accuracy"])) * 100
        verdict = (f"accuracy {float(acc):.2%} vs Production version {production.version} "
                   f"{float(tags[VALIDATION_PREFIX + 'production_accuracy']):.2%} ({delta:+.2f} points, "
                   f"tolerance {tolerance} points) on {tags.get(VALIDATION_PREFIX + 'data_dir')}")
        return {"passed": delta >= -tolerance, "reason": verdict, "delta_points": delta}


def _run_row(run: Any) -> dict[str, Any]:
    m, p = run.data.metrics, run.data.params
    return {"run_id": run.info.run_id, "name": run.info.run_name, "status": run.info.status,
            "started": iso_from_ms(run.info.start_time), "model": p.get("model"),
            "metrics": {k: m[k] for k in ("val_accuracy", "val_f1", "test_accuracy", "test_f1") if k in m},
            "all_metrics": dict(m)}
