"""Stalled clients vs the API, side by side in one run: gunicorn's threaded worker vs docclf's set-up.

Each server (1 worker, 4 threads, a random-weight model, PyTorch backend) answers one /predict with
no stalled client (the machine's own pace), then gets N connections that stop mid-request (half a header; a body announced as 100 kB after a few bytes), then /health and
/predict are timed (5 s client timeout), then we wait for the server to drop the stalled clients.

    python benchmarks/bench_slow_clients.py                 # 64 stalled connections, read timeout 5 s
"""

from __future__ import annotations

import argparse
import io
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from PIL import Image

SETUPS = {  # what differs: the worker class (and with it how requests are read)
    "gthread": ["--worker-class", "gthread", "--threads", "4"],
    "docclf": ["-c", "python:docclf.serve.gunicorn_conf"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(setup: str, checkpoint: Path, read_timeout: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DOCCLF_MODEL_URI": str(checkpoint), "DOCCLF_BACKEND": "torch",
           "DOCCLF_READ_TIMEOUT": str(read_timeout)}
    cmd = [str(Path(sys.executable).parent / "gunicorn"), *SETUPS[setup], "--bind", f"127.0.0.1:{port}",
           "--workers", "1", "docclf.serve:create_app()"]
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/ready", timeout=5).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{setup}: not ready; see {log}")


def timed(method: str, url: str, **kwargs) -> str:
    t0 = time.perf_counter()
    try:
        status = requests.request(method, url, timeout=5, **kwargs).status_code
        return f"{(time.perf_counter() - t0) * 1000:.0f} ms ({status})"
    except requests.RequestException as exc:
        return f"no answer in 5 s ({type(exc).__name__})"


def measure(url: str, n: int, wait: float) -> dict[str, str]:
    port = int(url.rsplit(":", 1)[1])
    page = io.BytesIO()
    Image.new("RGB", (90, 120), "white").save(page, "PNG")
    result = {"/predict, none stalled": timed("POST", url + "/predict", files={"file": ("p.png", page.getvalue())})}
    socks = []
    try:
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " if i % 2 else
                      b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\nab")
            socks.append(s)
        t_open = time.monotonic()
        result["/health"] = timed("GET", url + "/health")
        result["/predict"] = timed("POST", url + "/predict", files={"file": ("p.png", page.getvalue())})
        pending = list(socks)
        while pending and time.monotonic() - t_open < wait:
            for s in select.select(pending, [], [], 0.5)[0]:
                pending.remove(s)
        result["stalled dropped"] = (f"all {n} after {time.monotonic() - t_open:.1f} s" if not pending else
                                     f"{n - len(pending)} of {n} within {wait:.0f} s")
        return result
    finally:
        for s in socks:
            s.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--read-timeout", type=int, default=5, help="DOCCLF_READ_TIMEOUT for the docclf set-up")
    p.add_argument("--model", default="mobilenetv3_small")
    args = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_api import make_checkpoint

    with tempfile.TemporaryDirectory() as tmp:
        checkpoint = make_checkpoint(args.model, 64, Path(tmp))
        rows = {}
        for setup in SETUPS:
            proc, url = start(setup, checkpoint, args.read_timeout, Path(tmp) / f"{setup}.log")
            try:
                rows[setup] = measure(url, args.connections, args.read_timeout + 10)
            finally:
                os.killpg(proc.pid, signal.SIGINT)
                proc.wait(30)
    print(f"{args.connections} stalled connections, 1 worker x 4 threads")
    print(f"{'':22}" + "".join(f"{s:>32}" for s in rows))
    for key in next(iter(rows.values())):
        print(f"{key:22}" + "".join(f"{rows[s][key]:>32}" for s in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
