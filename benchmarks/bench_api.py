"""The web API under load: ONNX Runtime vs PyTorch backends, side by side, in one run.

Both backends serve the same checkpoint under gunicorn on loopback (1 worker, 8 threads), and a
concurrent HTTP client (keep-alive connections, bodies built once) sends a fixed number of
requests per scenario: /predict at concurrency 1 and 8, /predict_batch with 16 images at
concurrency 1 and 8. Scenarios alternate between the backends in rounds, so a busy spell on a
shared machine falls on both alike. In the same run the backend alone is timed on the same
pages (decode + preprocess + model, in this process, no HTTP), so the service's own overhead is
a ratio: API latency / bare latency at concurrency 1. Server memory (worker RSS) is read after
warm-up and after all scenarios.

    python benchmarks/bench_api.py                          # random-weight mobilenetv3_small at 224
    python benchmarks/bench_api.py --checkpoint outputs/demo/model_final.pth --requests 500
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

SCENARIOS = [("/predict", 1), ("/predict", 8), ("/predict_batch", 1), ("/predict_batch", 8)]
BATCH = 16


# --------------------------------------------------------------------------- inputs


def make_checkpoint(model: str, image_size: int, out: Path) -> Path:
    """A random-weight checkpoint (timing does not depend on what the weights learned)."""
    import torch

    from docclf.config import CLASSES
    from docclf.modeling import create_model, inference_state, preprocess_config_for

    net, _ = create_model(model, len(CLASSES), pretrained="off")
    state = inference_state(net, model, list(CLASSES), preprocess_config_for(net, image_size), {"benchmark": True})
    path = out / f"{model}-{image_size}.pth"
    torch.save(state, path)
    return path


def make_pages(out: Path, n_per_class: int, max_size: int, fmt: str) -> list[bytes]:
    """Generated document pages as uploaded files (scanned pages are usually JPEG)."""
    from docclf.config import GenerateConfig, build_config
    from docclf.synth import generate_dataset

    generate_dataset(build_config(GenerateConfig, cli_values=dict(
        output_dir=str(out), num_per_class=n_per_class, min_size=max_size, max_size=max_size, seed=3,
        format=fmt, split=[1.0, 0.0, 0.0], overwrite=True)), progress=False)
    files = sorted(p for p in (out / "train").rglob("*") if p.is_file())
    return [p.read_bytes() for p in files]


def multipart(field: str, files: list[bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for i, data in enumerate(files):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="p{i}.jpg"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


# --------------------------------------------------------------------------- the backend alone


class Bare:
    """decode + preprocess + model in this process, through the server's own code, without HTTP and Flask."""

    def __init__(self, model_uri: str, backend: str, threads: int, pages: list[bytes]):
        from docclf.serve.source import load_predictor, parse_model_uri
        from docclf.serve.validation import Limits

        self.predictor = load_predictor(parse_model_uri(model_uri), backend, threads=threads)
        self.limits = Limits(10**9, 10**4, ("PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF"))
        self.pages = pages
        self.samples: dict[str, list[float]] = {"single": [], "batch16": [], "model_only": []}

    def _run(self, datas: list[bytes]) -> None:
        from docclf.serve.validation import decode_image

        p, size = self.predictor, self.predictor.pcfg.image_size
        p.predict_prepared([p.prepare(decode_image(d, self.limits, size)) for d in datas])

    def measure(self, runs: int, batch_runs: int) -> None:
        """Time in a fresh thread, as the server does: the model is called from request threads, not
        from the thread that configured torch's thread pool (which measured 2-6x slower on 2 busy cores)."""
        t = threading.Thread(target=self._measure, args=(runs, batch_runs))
        t.start()
        t.join()

    def _measure(self, runs: int, batch_runs: int) -> None:
        from docclf.serve.validation import decode_image

        self._run(self.pages[:2])  # warm-up
        for i in range(runs):
            t0 = time.perf_counter()
            self._run([self.pages[i % len(self.pages)]])
            self.samples["single"].append(time.perf_counter() - t0)
        group = (self.pages * (BATCH // len(self.pages) + 1))[:BATCH]
        for _ in range(batch_runs):
            t0 = time.perf_counter()
            self._run(group)
            self.samples["batch16"].append(time.perf_counter() - t0)
        x = self.predictor.prepare(decode_image(self.pages[0], self.limits, self.predictor.pcfg.image_size))
        for _ in range(runs):
            t0 = time.perf_counter()
            self.predictor.predict_prepared([x])
            self.samples["model_only"].append(time.perf_counter() - t0)

    def summary(self) -> dict[str, float]:
        return {f"{k}_ms_p50": 1000 * float(np.median(v)) for k, v in self.samples.items()}


# --------------------------------------------------------------------------- the service


class Service:
    """gunicorn "docclf.serve:create_app()" on a free loopback port, configured by DOCCLF_* variables."""

    def __init__(self, model_uri: str, backend: str, threads: int, log_dir: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {**os.environ, "DOCCLF_MODEL_URI": model_uri, "DOCCLF_BACKEND": backend,
               "DOCCLF_INFERENCE_THREADS": str(threads), "DOCCLF_MAX_BATCH_SIZE": str(BATCH),
               "DOCCLF_MAX_REQUEST_BYTES": str(200_000_000)}
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.log = log_dir / f"server-{backend}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([gunicorn, "docclf.serve:create_app()", "--bind", f"127.0.0.1:{self.port}",
                                          "--workers", "1", "--threads", "8", "--worker-class", "gthread",
                                          "--timeout", "120"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited:\n{self.log.read_text()[-3000:]}")
            try:
                status, body = request(self.port, "GET", "/ready", None, None)
                if status == 200:
                    return json.loads(body)
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"server not ready after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def worker_rss_mb(self) -> dict[str, float]:
        """Resident and peak memory of the worker process (the one holding the model)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        status = Path(f"/proc/{children[0]}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024, "peak_mb": int(fields["VmHWM"].split()[0]) / 1024}

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # our own process group


def request(port: int, method: str, path: str, body: bytes | None, content_type: str | None,
            conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body, {"Content-Type": content_type} if content_type else {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        if own:
            conn.close()


def drive(port: int, path: str, bodies: list[tuple[bytes, str]], n: int, concurrency: int) -> dict[str, Any]:
    """Send `n` requests from `concurrency` keep-alive connections; latency of each, errors counted."""
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(n))
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body, ctype = bodies[i % len(bodies)]
            t0 = time.perf_counter()
            try:
                status, data = request(port, "POST", path, body, ctype, conn)
                ok = status == 200 and (path == "/predict" or json.loads(data)["errors"] == 0)
            except (OSError, http.client.HTTPException) as exc:
                status, ok = 0, False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                data = repr(exc).encode()
            elapsed = time.perf_counter() - t0
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(f"{status}: {data[:200]!r}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {"latencies": latencies, "wall_s": wall, "errors": errors}


def summarize(runs: list[dict[str, Any]], images_per_request: int) -> dict[str, Any]:
    lat = np.asarray([x for r in runs for x in r["latencies"]]) * 1000
    wall = sum(r["wall_s"] for r in runs)
    n = len(lat)
    return {"requests": n, "errors": sum(len(r["errors"]) for r in runs),
            "error_samples": [e for r in runs for e in r["errors"]][:3],
            "req_per_s": n / wall, "img_per_s": n * images_per_request / wall,
            "p50_ms": float(np.percentile(lat, 50)), "p95_ms": float(np.percentile(lat, 95)),
            "p99_ms": float(np.percentile(lat, 99))}


# --------------------------------------------------------------------------- the report


def format_report(res: dict[str, Any]) -> str:
    lines = [f"model {res['model']} at {res['image_size']} px, {res['pages']} pages {res['page_desc']}, "
             f"{res['threads']} inference threads, gunicorn 1 worker x 8 threads, {os.cpu_count()} CPUs, load average "
             f"{res['load_average']['start'][0]:.1f} at start, {res['load_average']['end'][0]:.1f} at end",
             "",
             f"{'backend':<8}{'endpoint':<16}{'conc':>5}{'reqs':>6}{'err':>5}{'req/s':>8}{'img/s':>8}"
             f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
    for backend, scenarios in res["api"].items():
        for key, s in scenarios.items():
            path, conc = key.rsplit("@", 1)
            lines.append(f"{backend:<8}{path:<16}{conc:>5}{s['requests']:>6}{s['errors']:>5}{s['req_per_s']:>8.1f}"
                         f"{s['img_per_s']:>8.1f}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}{s['p99_ms']:>9.1f}")
    lines += ["", f"{'backend':<8}{'bare 1 img ms':>14}{'bare 16 img ms':>15}{'model only ms':>14}"
                  f"{'API/bare c=1':>13}{'RSS before':>11}{'after':>8}{'peak':>8}"]
    for backend, bare in res["bare"].items():
        api = res["api"][backend]["/predict@1"]["p50_ms"]
        mem = res["memory"][backend]
        lines.append(f"{backend:<8}{bare['single_ms_p50']:>14.1f}{bare['batch16_ms_p50']:>15.1f}"
                     f"{bare['model_only_ms_p50']:>14.2f}{api / bare['single_ms_p50']:>13.2f}"
                     f"{mem['before']['rss_mb']:>10.0f}M{mem['after']['rss_mb']:>7.0f}M{mem['after']['peak_mb']:>7.0f}M")
        lines.append(f"{'':<8}RSS after each scenario (MB): {' '.join(map(str, mem['trace_mb']))}")
    if {"onnx", "torch"} <= set(res["api"]):
        ratios = {k: res["api"]["onnx"][k]["img_per_s"] / res["api"]["torch"][k]["img_per_s"]
                  for k in res["api"]["onnx"]}
        lines += ["", "ONNX Runtime / PyTorch throughput: "
                  + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", help="model to serve (default: random-weight --model at --image-size)")
    p.add_argument("--model", default="mobilenetv3_small")
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--backends", nargs="+", default=["onnx", "torch"], choices=("onnx", "torch"))
    p.add_argument("--requests", type=int, default=200, help="/predict requests per scenario")
    p.add_argument("--batch-requests", type=int, default=30, help="/predict_batch requests per scenario")
    p.add_argument("--rounds", type=int, default=2, help="scenarios alternate between backends this many times")
    p.add_argument("--pages-per-class", type=int, default=2)
    p.add_argument("--page-size", type=int, default=1754, help="long side of the generated pages (1754 = A4 150 dpi)")
    p.add_argument("--page-format", default="jpg", choices=("jpg", "png"))
    p.add_argument("--threads", type=int, default=2, help="inference threads, in the server and the bare timing")
    p.add_argument("--output", help="also write the results as JSON here")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        uri = args.checkpoint or str(make_checkpoint(args.model, args.image_size, tmp))
        pages = make_pages(tmp / "pages", args.pages_per_class, args.page_size, args.page_format)
        print(f"{len(pages)} pages, {np.mean([len(x) for x in pages]) / 1024:.0f} kB each on average",
              file=sys.stderr)
        res: dict[str, Any] = {"model": args.checkpoint or args.model, "image_size": args.image_size,
                               "pages": len(pages), "threads": args.threads,
                               "page_desc": f"{args.page_format.upper()} {args.page_size} px long side",
                               "bare": {}, "api": {}, "memory": {}, "load_average": {"start": os.getloadavg()}}
        import torch

        torch.set_num_threads(args.threads)
        bare = {b: Bare(uri, b, args.threads, pages) for b in args.backends}
        services = {b: Service(uri, b, args.threads, tmp) for b in args.backends}
        try:
            single = [multipart("file", [x]) for x in pages]
            group = (pages * (BATCH // len(pages) + 1))[:BATCH]
            batches = [multipart("files", group[i:] + group[:i]) for i in range(4)]
            for backend, svc in services.items():
                info = svc.wait_ready()
                assert info["backend"] == backend, info
                for path, conc in SCENARIOS:  # warm-up: every path once, so "before" is a steady state
                    drive(svc.port, path, single if path == "/predict" else batches, 2 * conc, conc)
                res["memory"][backend] = {"before": svc.worker_rss_mb(), "trace_mb": []}
                res["api"][backend] = {}
            collected: dict[str, dict[str, list]] = {b: {} for b in services}
            for r in range(args.rounds):
                order = list(services) if r % 2 == 0 else list(reversed(services))
                for backend in order:  # the backend alone, between the API runs: same conditions
                    print(f"round {r + 1}: {backend} alone", file=sys.stderr, flush=True)
                    bare[backend].measure(max(20, args.requests // (2 * args.rounds)), 4)
                for path, conc in SCENARIOS:
                    n = (args.requests if path == "/predict" else args.batch_requests) // args.rounds
                    for backend in order:
                        print(f"round {r + 1}: {backend} {path} c={conc}", file=sys.stderr, flush=True)
                        run = drive(services[backend].port, path, single if path == "/predict" else batches,
                                    max(conc, n), conc)
                        collected[backend].setdefault(f"{path}@{conc}", []).append(run)
                        res["memory"][backend]["trace_mb"].append(round(services[backend].worker_rss_mb()["rss_mb"]))
            for backend, svc in services.items():
                for key, runs in collected[backend].items():
                    res["api"][backend][key] = summarize(runs, 1 if key.startswith("/predict@") else BATCH)
                res["memory"][backend]["after"] = svc.worker_rss_mb()
                res["bare"][backend] = bare[backend].summary()
        finally:
            for svc in services.values():
                svc.stop()
        res["load_average"]["end"] = os.getloadavg()

    print(format_report(res))
    if args.output:
        Path(args.output).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
