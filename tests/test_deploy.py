"""Deployment files, checked with real validators; and checked against what the tests run.

Docker and Kubernetes cannot run here, so the compose file, Dockerfile and manifests are
validated statically, and their commands are compared with the ones tests/test_services.py
starts for real, so that the two cannot drift apart.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from services import MlflowServer

from docclf.cli import build_parser
from docclf.serve.config import ServeConfig
from docclf.serve.server import gunicorn_command

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent
VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def env_example() -> dict[str, str]:
    lines = (DEPLOY / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation: $$, ${V}, ${V:-default}, ${V:?error}, ${V:+alt}."""
    def sub(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m.group(1) or m.group(4), m.group(2), m.group(3)
        value = env.get(name, "")
        if op in (":-", "-"):
            return value or arg
        if op in (":?", "?"):
            if not value:
                raise KeyError(f"{name} is required: {arg}")
            return value
        if op in (":+", "+"):
            return arg if value else ""
        return value
    return VAR.sub(sub, text)


def compose() -> dict:
    return yaml.safe_load(interpolate((DEPLOY / "docker-compose.yml").read_text(), env_example()))


def test_compose_file_is_valid_compose_spec():
    import compose_spec

    spec = compose_spec.PyCompose.from_yaml(yaml.safe_dump(compose()))
    spec.validate()
    assert set(compose()["services"]) == {"postgres", "minio", "create-bucket", "mlflow", "api", "tune-worker"}


def test_every_compose_variable_is_in_env_example():
    used = {m.group(1) or m.group(4) for m in VAR.finditer((DEPLOY / "docker-compose.yml").read_text())
            if m.group(0) != "$$"}
    assert used - set(env_example()) == set()


def _flags(command: str) -> set[str]:
    return {w for w in shlex.split(command) if w.startswith("--")}


def test_mlflow_server_flags_match_the_services_test():
    tested = {a for a in MlflowServer("postgresql://x", "http://s3").args() if a.startswith("--")}
    compose_cmd = compose()["services"]["mlflow"]["command"][0]
    k8s = yaml.safe_load((DEPLOY / "k8s" / "10-mlflow.yaml").read_text().split("\n---")[0])
    k8s_cmd = k8s["spec"]["template"]["spec"]["containers"][0]["args"][0]
    assert tested <= _flags(compose_cmd) and tested <= _flags(k8s_cmd)
    assert "postgresql://" in compose()["services"]["mlflow"]["environment"]["MLFLOW_BACKEND_STORE_URI"]
    assert compose()["services"]["mlflow"]["environment"]["MLFLOW_ARTIFACTS_DESTINATION"].startswith("s3://")


def _api_deployments() -> dict[str, tuple[list[str], dict[str, str]]]:
    """The API's command and environment in the Dockerfile, the compose file and the Kubernetes manifest."""
    lines = (REPO / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    cmd = next(line for line in lines if line.startswith("CMD "))
    env = dict(word.split("=", 1) for line in lines if line.startswith("ENV ") for word in line.split()[1:])
    api = compose()["services"]["api"]
    k8s = next(yaml.safe_load_all((DEPLOY / "k8s" / "20-api.yaml").read_text()))
    container = k8s["spec"]["template"]["spec"]["containers"][0]
    k8s_env = {e["name"]: e.get("value", "<secret>") for e in container.get("env", [])}
    k8s_env.update(yaml.safe_load((DEPLOY / "k8s" / "00-config.yaml").read_text())["data"])
    return {"Dockerfile": (json.loads(cmd[len("CMD "):]), env), "compose": (api["command"], api["environment"]),
            "k8s": (container["command"] + container.get("args", []), k8s_env)}


def test_api_deployments_run_the_tested_gunicorn_set_up():
    """Each deployment runs gunicorn_command, the command tests/test_serve_live.py runs, with nothing
    that overrides its settings (worker class, threads, timeouts) from the command line or environment."""
    for where, (command, env) in _api_deployments().items():
        assert "--workers" in command, where
        workers = int(command[command.index("--workers") + 1])
        assert command == gunicorn_command("0.0.0.0:8000", workers), f"{where} runs {command}"
        assert "GUNICORN_CMD_ARGS" not in env, where
        assert env.get("DOCCLF_WORKERS", str(workers)) == str(workers), where
    k8s_env = _api_deployments()["k8s"][1]
    mounts = next(yaml.safe_load_all((DEPLOY / "k8s" / "20-api.yaml").read_text()))["spec"]["template"]["spec"][
        "containers"][0]["volumeMounts"]
    assert k8s_env["PROMETHEUS_MULTIPROC_DIR"] in {m["mountPath"] for m in mounts}  # its own emptyDir per pod


def test_api_options_are_serve_options():
    api = compose()["services"]["api"]
    fields = {f.upper() for f in ServeConfig.__dataclass_fields__}
    docs = [api["environment"], yaml.safe_load((DEPLOY / "k8s" / "00-config.yaml").read_text())["data"]]
    for env in docs:
        for name in env:
            if name.startswith("DOCCLF_") and name not in ("DOCCLF_CACHE_DIR",):
                assert name[len("DOCCLF_"):] in fields, f"{name} is not a serve option"


def test_tuning_worker_flags_exist():
    tune = build_parser()._subparsers._group_actions[0].choices["tune"]
    known = {s for a in tune._actions for s in a.option_strings}
    k8s_job = yaml.safe_load((DEPLOY / "k8s" / "30-tuning-job.yaml").read_text())
    for cmd in (compose()["services"]["tune-worker"]["command"][0],
                k8s_job["spec"]["template"]["spec"]["containers"][0]["args"][0]):
        assert _flags(cmd) - known == set()
        assert "--storage" in cmd and "--study-name" in cmd


def test_kubernetes_manifests_validate_against_the_schema():
    files = sorted(str(p) for p in (DEPLOY / "k8s").glob("*.yaml"))
    proc = subprocess.run([str(BIN / "kubernetes-validate"), "--strict", *files], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    kinds = re.findall(r"passed for resource (\w+)/", proc.stdout)
    assert {"deployment", "service", "horizontalpodautoscaler", "job", "configmap"} <= set(kinds)


def test_kubernetes_api_probes_and_tuning_parallelism():
    docs = list(yaml.safe_load_all((DEPLOY / "k8s" / "20-api.yaml").read_text()))
    container = docs[0]["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["resources"]["limits"] and docs[2]["kind"] == "HorizontalPodAutoscaler"
    job = yaml.safe_load((DEPLOY / "k8s" / "30-tuning-job.yaml").read_text())
    assert job["spec"]["parallelism"] > 1


def test_dockerfile_lints_clean_and_copies_what_exists():
    proc = subprocess.run([str(BIN / "hadolint"), str(REPO / "Dockerfile")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    for line in (REPO / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            for src in line.split()[1:-1]:
                assert (REPO / src).exists(), f"Dockerfile copies missing {src}"
