"""Real services for the team-mode tests: PostgreSQL, an S3-compatible server, an MLflow server.

Each is started as a developer would start it, on a free loopback port, and torn down after.
PostgreSQL refuses to run as root, so as root the cluster is run by the `postgres` user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
S3_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> str | None:
    for d in PG_BIN_DIRS:
        if (d / name).exists():
            return str(d / name)
    return shutil.which(name)


def _wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields a SQLAlchemy URL to database `mlflow`."""
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found; apt-get install postgresql")
    root = Path(tempfile.mkdtemp(prefix="docclf-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses root: run it as the postgres user
        shutil.chown(root, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
                   check=True, capture_output=True)
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start"],
                   check=True, capture_output=True)
    try:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute("CREATE DATABASE mlflow")
            conn.execute("CREATE DATABASE optuna")
        yield f"postgresql://postgres@127.0.0.1:{port}/mlflow"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def s3_server(bucket: str = "mlflow") -> Iterator[str]:
    """moto's standalone S3-compatible server with one bucket; yields its endpoint URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen([str(exe), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, **S3_ENV})
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_http(endpoint, 30, proc)
        import boto3

        boto3.client("s3", endpoint_url=endpoint, **_boto_kwargs()).create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _boto_kwargs() -> dict[str, str]:
    return {"aws_access_key_id": S3_ENV["AWS_ACCESS_KEY_ID"], "aws_secret_access_key": S3_ENV["AWS_SECRET_ACCESS_KEY"],
            "region_name": S3_ENV["AWS_DEFAULT_REGION"]}


def s3_objects(endpoint: str, bucket: str = "mlflow") -> list[str]:
    import boto3

    s3 = boto3.client("s3", endpoint_url=endpoint, **_boto_kwargs())
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


class MlflowServer:
    """`mlflow server` on PostgreSQL with artifacts proxied to S3; can be stopped and restarted."""

    def __init__(self, backend_uri: str, s3_endpoint: str, bucket: str = "mlflow", port: int | None = None):
        self.backend_uri, self.s3_endpoint, self.bucket = backend_uri, s3_endpoint, bucket
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="docclf-mlflow-", suffix=".log")[1])

    def env(self) -> dict[str, str]:
        return {**os.environ, **S3_ENV, "MLFLOW_S3_ENDPOINT_URL": self.s3_endpoint}

    def args(self) -> list[str]:
        """The server's flags; deploy/docker-compose.yml and deploy/k8s must use the same ones."""
        return ["--backend-store-uri", self.backend_uri,
                "--artifacts-destination", f"s3://{self.bucket}/artifacts", "--serve-artifacts",
                "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
                "--allowed-hosts", f"127.0.0.1:{self.port},localhost:{self.port}"]

    def start(self, timeout: float = 120) -> "MlflowServer":
        exe = Path(sys.executable).with_name("mlflow")
        cmd = [str(exe), "server", *self.args()]
        # job execution (GenAI judges and the like, which docclf never uses) starts eight more Python
        # processes that slow the server's start on two cores
        env = {**self.env(), "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
        self.proc = subprocess.Popen(cmd, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        try:
            _wait_http(self.url + "/health", timeout, self.proc)
        except Exception:
            raise RuntimeError(f"mlflow server did not start: {self.log.read_text()[-2000:]}") from None
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server runs uvicorn workers in its group
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None
