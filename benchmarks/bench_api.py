"""The web API's speed and footprint, side by side in one run: ONNX Runtime (the lean worker) vs PyTorch.

The model (random-weight --model, or --checkpoint) is exported to a folder (model.onnx + model.json,
as `docclf export` writes it). One run measures:
- each server under gunicorn as deployed (docclf.serve.gunicorn_conf: the BufferingWorker; 1 worker,
  8 threads), started one after the other: "onnx" serves the
  export folder, "torch" the checkpoint; with --before SRC also "onnx-before", the same folder served
  by an older source tree (`git archive <commit> src | tar -x -C DIR`, then --before DIR/src).
  Start-up (process start to /ready 200) and worker RSS after warm-up and after all scenarios;
- the API under load, scenarios alternating between servers in rounds: /predict at concurrency 1
  and 8, /predict_batch with 32 images at concurrency 1 and 2 (images/s, and the worker's own CPU
  time per image: on a shared machine the steadier measure of what a request costs);
- each backend alone, in its own process, on the same pages: each stage of a page at batch 1
  (libjpeg alone, the server's decode, letterbox, normalise, model, answer), for A4 JPEG and PNG
  pages, and Tesseract OCR per page when it is installed;
- the lean worker's life: in a process where `import torch` fails, the app loads the export,
  answers --lifecycle-requests /predict requests, reloads (the service's own load-warm-swap), and
  its RSS is read at each step.

    python benchmarks/bench_api.py                                  # mobilenetv3_small, A4 300 dpi JPEG
    git archive 89645c1 src | tar -x -C /tmp/before && python benchmarks/bench_api.py --before /tmp/before/src
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import resource
import shutil
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

BATCH = 32
SCENARIOS = [("/predict", 1), ("/predict", 8), ("/predict_batch", 1), ("/predict_batch", 2)]
FORMATS = ("PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF")


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


def export_folder(checkpoint: Path, out: Path) -> Path:
    """model.onnx + model.json, as `docclf export --format onnx` writes them (dynamo exporter)."""
    import copy

    import torch

    from docclf import export
    from docclf.modeling import classifier_from_checkpoint, load_checkpoint_file

    clf = classifier_from_checkpoint(load_checkpoint_file(checkpoint), str(checkpoint))
    out.mkdir(parents=True, exist_ok=True)
    sidecar = export.sidecar_base(clf, {"uri": str(checkpoint), "model": "bench", "version": "1"})
    model = copy.deepcopy(clf.model).float().eval().to(memory_format=torch.contiguous_format)
    sidecar["exporter"] = export.export_onnx(model, clf.preprocess.image_size, out / "model.onnx")
    (out / "model.json").write_text(json.dumps(sidecar))
    return out


def make_pages(out: Path, n_per_class: int, size: int, fmt: str) -> list[Path]:
    """Generated document pages as uploaded files (scanned pages are usually JPEG)."""
    from docclf.config import GenerateConfig, build_config
    from docclf.synth import generate_dataset

    generate_dataset(build_config(GenerateConfig, cli_values=dict(
        output_dir=str(out), num_per_class=n_per_class, min_size=size, max_size=size, seed=3,
        format=fmt, split=[1.0, 0.0, 0.0], overwrite=True)), progress=False)
    return sorted(p for p in (out / "train").rglob(f"*.{fmt}") if p.is_file())


def multipart(field: str, files: list[bytes]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for i, data in enumerate(files):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="p{i}.jpg"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def rss_mb(pid: int | str = "self") -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) / 1024


def run_json(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> dict[str, Any]:
    """Run one of this script's worker modes in its own process; its last stdout line is JSON."""
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the backend alone (own process)


def _load(model_uri: str, backend: str, threads: int) -> Any:
    from docclf.serve import source

    parse = getattr(source, "parse_model_uri", None)
    if parse is None:
        from docclf.refs import parse_ref as parse
    return source.load_predictor(parse(model_uri), backend, threads=threads)


STAGES = ("libjpeg", "decode", "letterbox", "normalise", "prepare", "model", "answer")


def bare_worker(model_uri: str, backend: str, threads: int, page_sets: dict[str, list[str]], runs: int,
                ocr: bool) -> dict[str, Any]:
    """Each stage of a page at batch 1 (medians, ms) through the server's own code, without HTTP.

    decode (the server's `decode_image`: checks, reduced-scale decode, upright, RGB) + prepare
    (letterbox + normalise) is what goal (a) weighs against the model. libjpeg is Pillow's decoder
    alone at the same scale, the floor under decode; letterbox and normalise time prepare's two parts.
    answer = `_postprocess`: fusion, abstention, ink. Wall times, and this thread's CPU
    time for the one-thread stages (what before/after compares: other processes inflate wall time).
    """
    from PIL import Image

    from docclf.preprocess import fitted_size, letterbox, normalize_array
    from docclf.serve.validation import Limits, decode_image

    predictor = _load(model_uri, backend, threads)
    pcfg = predictor.pcfg
    size, limits = pcfg.image_size, Limits(10**9, 10**4, FORMATS)
    out: dict[str, Any] = {"torch_imported": "torch" in sys.modules}

    def libjpeg(data: bytes) -> None:
        img = Image.open(io.BytesIO(data))
        if img.format == "JPEG":
            img.draft(None, fitted_size(img.size, size))
        img.load()

    def answer(logits: np.ndarray, x: Any) -> None:
        try:
            predictor._postprocess(logits, [x])
        except TypeError:  # an --before tree: _postprocess(logits, pixels, inputs)
            predictor._postprocess(logits, x.pixels, [x])

    def measure() -> None:
        for fmt, paths in page_sets.items():
            datas = [Path(p).read_bytes() for p in paths]
            predictor.predict_prepared([predictor.prepare(decode_image(datas[0], limits, size))])  # warm-up
            t: dict[str, list[float]] = {k: [] for k in STAGES}
            cpu: dict[str, list[float]] = {k: [] for k in STAGES}  # this thread's CPU: steadier on a busy machine
            for i in range(runs):
                data = datas[i % len(datas)]
                marks = [(time.perf_counter(), time.thread_time())]
                libjpeg(data)
                marks.append((time.perf_counter(), time.thread_time()))
                page = decode_image(data, limits, size)
                marks.append((time.perf_counter(), time.thread_time()))
                box = letterbox(page, pcfg)
                marks.append((time.perf_counter(), time.thread_time()))
                normalize_array(box[None], pcfg)
                marks.append((time.perf_counter(), time.thread_time()))
                x = predictor.prepare(page)
                marks.append((time.perf_counter(), time.thread_time()))
                logits = predictor._predict(x.pixels)
                marks.append((time.perf_counter(), time.thread_time()))
                answer(logits, x)
                marks.append((time.perf_counter(), time.thread_time()))
                for j, sink in enumerate((t, cpu)):
                    for k, a, b in zip(STAGES, marks, marks[1:]):
                        sink[k].append(b[j] - a[j])
            out[fmt] = {f"{k}_ms": 1000 * float(np.median(v)) for k, v in t.items()}
            out[fmt].update({f"{k}_cpu_ms": 1000 * float(np.median(v)) for k, v in cpu.items() if k != "model"})
            out[fmt]["kb_per_page"] = float(np.mean([len(d) for d in datas]) / 1024)
        if ocr:
            out["ocr"] = _time_ocr(page_sets)

    th = threading.Thread(target=measure)  # the server calls the model from request threads, not the main one
    th.start()
    th.join()
    return out


def _time_ocr(page_sets: dict[str, list[str]]) -> dict[str, Any]:
    """Tesseract per page through the predictor's text seam (decode at OCR's size, then read)."""
    try:
        from docclf.ocr import OcrConfig
        from docclf.serve.predictor import ocr_reader

        cfg = OcrConfig()
        read = ocr_reader(cfg)
    except Exception as exc:  # no tesserocr or language data: report why, time the rest
        return {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}
    datas = [Path(p).read_bytes() for p in next(iter(page_sets.values()))]
    read(datas[0], cfg.timeout_s)  # engine start-up
    times, words = [], []
    for d in datas:
        t0 = time.perf_counter()
        w = read(d, cfg.timeout_s)
        times.append(time.perf_counter() - t0)
        words.append(len(w.words))
    return {"ms": 1000 * float(np.median(times)), "words_per_page": float(np.mean(words)),
            "long_side": cfg.long_side, "languages": cfg.languages}


# --------------------------------------------------------------------------- the lean worker's life (own process)


def lifecycle_worker(folder: str, threads: int, pages: list[str], requests: int) -> dict[str, Any]:
    """Without torch: load the export, serve `requests` /predict calls, reload; RSS at each step."""
    sys.modules["torch"] = None  # type: ignore[assignment]  # any `import torch` now fails
    t0 = time.perf_counter()
    from docclf.serve import create_app
    from docclf.serve.config import ServeConfig

    app = create_app(ServeConfig(model_uri=folder, backend="onnx", reload_interval=0, inference_threads=threads),
                     start=False)
    service = app.extensions["docclf"].service
    assert service.check_once(), service.last_error
    out: dict[str, Any] = {"ready_s": time.perf_counter() - t0}
    client = app.test_client()
    datas = [Path(p).read_bytes() for p in pages]
    client.post("/predict", data={"file": (io.BytesIO(datas[0]), "p.jpg")})
    out["rss_warm_mb"] = rss_mb()
    for i in range(requests):
        resp = client.post("/predict", data={"file": (io.BytesIO(datas[i % len(datas)]), "p.jpg")})
        assert resp.status_code == 200, resp.get_json()
    out["rss_after_requests_mb"] = rss_mb()
    old = service.predictor
    service.check_once()  # the reload path: load, warm up, swap (a file URI names no version: it always reloads)
    out["reloaded"] = service.predictor is not old
    del old
    for i in range(50):
        client.post("/predict", data={"file": (io.BytesIO(datas[i % len(datas)]), "p.jpg")})
    out["rss_after_reload_mb"] = rss_mb()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["requests"] = requests
    return out


# --------------------------------------------------------------------------- the service


class Service:
    """gunicorn "docclf.serve:create_app()" on a free loopback port, configured by DOCCLF_* variables."""

    def __init__(self, name: str, model_uri: str, backend: str, threads: int, log_dir: Path,
                 src: str | None = None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {**os.environ, "DOCCLF_MODEL_URI": model_uri, "DOCCLF_BACKEND": backend,
               "DOCCLF_INFERENCE_THREADS": str(threads), "DOCCLF_MAX_BATCH_SIZE": str(BATCH),
               "DOCCLF_MAX_REQUEST_BYTES": str(200_000_000), "DOCCLF_MAX_IMAGE_PIXELS": str(40_000_000)}
        if src:
            env["PYTHONPATH"] = src
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.name, self.log = name, log_dir / f"server-{name}.log"
        self.t0 = time.perf_counter()
        with open(self.log, "wb") as out:
            # the deployed set-up (BufferingWorker), with 8 request threads for the concurrency-8 scenario
            self.proc = subprocess.Popen([gunicorn, "-c", "python:docclf.serve.gunicorn_conf",
                                          "docclf.serve:create_app()", "--bind", f"127.0.0.1:{self.port}",
                                          "--workers", "1", "--threads", "8", "--timeout", "120"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def wait_ready(self, timeout: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server {self.name} exited:\n{self.log.read_text()[-3000:]}")
            try:
                status, body = request(self.port, "GET", "/ready", None, None)
                if status == 200:
                    return {**json.loads(body), "startup_s": time.perf_counter() - self.t0}
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"server {self.name} not ready after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def worker_pid(self) -> str:
        return Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()[0]

    def worker_rss_mb(self) -> float:
        return rss_mb(self.worker_pid())

    def worker_cpu_s(self) -> float:
        """User + system CPU seconds of the worker so far (all its threads: HTTP, decode, model)."""
        fields = Path(f"/proc/{self.worker_pid()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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
    return {"latencies": latencies, "wall_s": time.perf_counter() - start, "errors": errors}


def summarize(runs: list[dict[str, Any]], images_per_request: int) -> dict[str, Any]:
    lat = np.asarray([x for r in runs for x in r["latencies"]]) * 1000
    wall = sum(r["wall_s"] for r in runs)
    n = len(lat)
    return {"requests": n, "errors": sum(len(r["errors"]) for r in runs),
            "error_samples": [e for r in runs for e in r["errors"]][:3],
            "req_per_s": n / wall, "img_per_s": n * images_per_request / wall,
            "cpu_ms_per_img": 1000 * sum(r["cpu_s"] for r in runs) / (n * images_per_request),
            "p50_ms": float(np.percentile(lat, 50)), "p95_ms": float(np.percentile(lat, 95))}


# --------------------------------------------------------------------------- the report


def format_report(res: dict[str, Any]) -> str:
    la = res["load_average"]
    lines = [f"model {res['model']} at {res['image_size']} px; pages: {res['page_desc']}; {res['threads']} inference "
             f"threads; gunicorn (BufferingWorker) 1 worker x 8 threads; {os.cpu_count()} CPUs, "
             f"load average {la['start'][0]:.1f} at "
             f"start, {la['end'][0]:.1f} at end", "",
             f"{'server':<12}{'backend':<8}{'start-up s':>11}{'RSS warm':>10}{'RSS end':>9}{'requests':>9}"]
    for name, s in res["servers"].items():
        lines.append(f"{name:<12}{s['backend']:<8}{s['startup_s']:>11.2f}{s['rss_warm_mb']:>9.0f}M"
                     f"{s['rss_end_mb']:>8.0f}M{s['requests']:>9}")
    if "onnx-before" in res["servers"]:
        a, b = res["servers"]["onnx"], res["servers"]["onnx-before"]
        lines.append(f"lean ONNX worker vs before: start-up {b['startup_s'] / a['startup_s']:.1f}x faster, "
                     f"RSS {a['rss_end_mb']:.0f} vs {b['rss_end_mb']:.0f} MB")
    if "lifecycle" in res:
        lc = res["lifecycle"]
        lines.append(f"lean worker without torch (in-process app): ready in {lc['ready_s']:.2f} s, RSS warm "
                     f"{lc['rss_warm_mb']:.0f} MB, after {lc['requests']} requests {lc['rss_after_requests_mb']:.0f} MB,"
                     f" after a reload {lc['rss_after_reload_mb']:.0f} MB (reloaded: {lc['reloaded']})")
    lines += ["", "each backend alone, per page at batch 1 (ms, medians); libjpeg: Pillow's decoder alone at the same "
                  "scale (the floor under decode); prepare = letterbox + normalise; (a) = (decode + prepare) / model",
              f"{'server':<12}{'pages':<6}{'kB':>6}{'libjpeg':>8}{'decode':>8}{'ms/MB':>7}{'lbox':>7}{'norm':>6}"
              f"{'prep':>6}{'model':>7}{'answer':>7}{'(a)':>6}"]
    for name, bare in res["bare"].items():
        for fmt in ("jpg", "png"):
            if fmt in bare:
                b = bare[fmt]
                share = (b["decode_ms"] + b["prepare_ms"]) / b["model_ms"]
                lines.append(f"{name:<12}{fmt:<6}{b['kb_per_page']:>6.0f}{b['libjpeg_ms']:>8.1f}{b['decode_ms']:>8.1f}"
                             f"{b['decode_ms'] / (b['kb_per_page'] / 1024):>7.1f}{b['letterbox_ms']:>7.2f}"
                             f"{b['normalise_ms']:>6.2f}{b['prepare_ms']:>6.2f}{b['model_ms']:>7.2f}"
                             f"{b['answer_ms']:>7.2f}{share:>6.2f}")
        if "jpg" in bare:  # decoding costs per byte of JPEG: the page size at which (a) would be 1
            b = bare["jpg"]
            even_kb = (b["model_ms"] - b["prepare_ms"]) / b["decode_ms"] * b["kb_per_page"]
            lines.append(f"{'':<12}(a) <= 1 for JPEG pages under {max(even_kb, 0):.0f} kB at this decode rate")
        if bare.get("torch_imported") is not None:
            lines.append(f"{'':<12}torch imported: {bare['torch_imported']}")
    if {"onnx", "torch"} <= set(res["bare"]):  # the same decoder for both: only the model differs
        o, t = res["bare"]["onnx"]["jpg"], res["bare"]["torch"]["jpg"]
        shared = o["decode_ms"] + o["prepare_ms"] + o["answer_ms"]
        lines.append(f"end-to-end bound at batch 1 from these stages (no HTTP): (shared {shared:.1f} + torch model "
                     f"{t['model_ms']:.1f}) / (shared + onnx model {o['model_ms']:.1f}) = "
                     f"{(shared + t['model_ms']) / (shared + o['model_ms']):.2f}x")
    ocr = res["bare"].get("onnx", {}).get("ocr")
    if ocr and "ms" in ocr:
        b = res["bare"]["onnx"]["jpg"]
        total = b["decode_ms"] + b["prepare_ms"] + b["model_ms"] + b["answer_ms"] + ocr["ms"]
        lines.append(f"OCR (Tesseract {ocr['languages']}, {ocr['long_side']} px, {ocr['words_per_page']:.0f} words/page): "
                     f"{ocr['ms']:.0f} ms per JPEG page = {ocr['ms'] / total:.0%} of a reading request's work")
    elif ocr:
        lines.append(f"OCR not timed: {ocr['error']}")
    if "onnx-before" in res["bare"] and "onnx" in res["bare"]:
        for fmt in ("jpg", "png"):
            a, b = res["bare"]["onnx"][fmt], res["bare"]["onnx-before"][fmt]
            before, after = (sum(x[k] for k in ("decode_cpu_ms", "prepare_cpu_ms", "answer_cpu_ms")) for x in (b, a))
            lines.append(f"{fmt} decode + prepare + answer, CPU ms before/after: {before:.1f} -> {after:.1f} "
                         f"({before / after:.2f}x; " + ", ".join(f"{k} {b[k + '_cpu_ms']:.2f} -> {a[k + '_cpu_ms']:.2f}"
                                                                for k in ("decode", "letterbox", "normalise", "answer"))
                         + ")")
    lines += ["", "the API under load (CPU ms/img: the worker's own CPU time per image, all its threads)",
              f"{'server':<12}{'endpoint':<16}{'conc':>5}{'reqs':>6}{'err':>5}{'req/s':>8}{'img/s':>8}"
              f"{'p50 ms':>9}{'p95 ms':>9}{'CPU ms/img':>11}"]
    for name, scenarios in res["api"].items():
        for key, s in scenarios.items():
            path, conc = key.rsplit("@", 1)
            lines.append(f"{name:<12}{path:<16}{conc:>5}{s['requests']:>6}{s['errors']:>5}{s['req_per_s']:>8.1f}"
                         f"{s['img_per_s']:>8.1f}{s['p50_ms']:>9.1f}{s['p95_ms']:>9.1f}"
                         f"{s['cpu_ms_per_img']:>11.1f}")
    for other in ("torch", "onnx-before"):
        if {"onnx", other} <= set(res["api"]):
            ratios = {k: res["api"]["onnx"][k]["img_per_s"] / res["api"][other][k]["img_per_s"]
                      for k in res["api"]["onnx"]}
            lines.append(f"onnx / {other} images/s: " + ", ".join(f"{k} {v:.2f}x" for k, v in ratios.items()))
            cpu = {k: res["api"][other][k]["cpu_ms_per_img"] / res["api"]["onnx"][k]["cpu_ms_per_img"]
                   for k in res["api"]["onnx"]}
            lines.append(f"{other} / onnx CPU per image: " + ", ".join(f"{k} {v:.2f}x" for k, v in cpu.items()))
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", help="model to serve (default: random-weight --model at --image-size)")
    p.add_argument("--model", default="mobilenetv3_small")
    p.add_argument("--image-size", type=int, default=224)
    p.add_argument("--before", help="src/ of an older docclf tree: also serve the export with that code")
    p.add_argument("--requests", type=int, default=200, help="/predict requests per scenario")
    p.add_argument("--batch-requests", type=int, default=8, help="/predict_batch requests (32 images) per scenario")
    p.add_argument("--rounds", type=int, default=2, help="scenarios alternate between servers this many times")
    p.add_argument("--bare-runs", type=int, default=30, help="pages timed per format with each backend alone")
    p.add_argument("--lifecycle-requests", type=int, default=1000)
    p.add_argument("--pages-per-class", type=int, default=2)
    p.add_argument("--page-size", type=int, default=3508, help="long side of the pages (3508 = A4 300 dpi)")
    p.add_argument("--page-dir", help="use the .jpg and .png pages under this folder instead of generating them")
    p.add_argument("--threads", type=int, default=2, help="inference threads, in the servers and the bare timing")
    p.add_argument("--no-ocr", action="store_true", help="skip timing Tesseract")
    p.add_argument("--output", help="also write the results as JSON here")
    # worker modes (this script in a child process)
    p.add_argument("--bare", nargs=2, metavar=("MODEL_URI", "BACKEND"), help=argparse.SUPPRESS)
    p.add_argument("--lifecycle", metavar="FOLDER", help=argparse.SUPPRESS)
    p.add_argument("--pages", help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.bare or args.lifecycle:
        page_sets = json.loads(args.pages)
        if args.bare:
            print(json.dumps(bare_worker(*args.bare, args.threads, page_sets, args.bare_runs, not args.no_ocr)))
        else:
            print(json.dumps(lifecycle_worker(args.lifecycle, args.threads, page_sets["jpg"], args.lifecycle_requests)))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp_name:
        tmp = Path(tmp_name)
        ckpt = Path(args.checkpoint) if args.checkpoint else make_checkpoint(args.model, args.image_size, tmp)
        print("exporting to ONNX ...", file=sys.stderr, flush=True)
        folder = str(export_folder(ckpt, tmp / "export"))
        print("generating pages ...", file=sys.stderr, flush=True)
        if args.page_dir:
            page_sets = {fmt: sorted(map(str, Path(args.page_dir).rglob(f"*.{fmt}"))) for fmt in ("jpg", "png")}
        else:
            page_sets = {fmt: [str(x) for x in make_pages(tmp / fmt, args.pages_per_class, args.page_size, fmt)]
                         for fmt in ("jpg", "png")}
        res: dict[str, Any] = {"model": args.checkpoint or args.model, "image_size": args.image_size,
                               "threads": args.threads, "page_desc": f"{len(page_sets['jpg'])} JPEG and "
                               f"{len(page_sets['png'])} PNG pages, {args.page_size} px long side", "servers": {}, "bare": {}, "api": {},
                               "load_average": {"start": os.getloadavg()}}
        plan = [("onnx", folder, "onnx", None), ("torch", str(ckpt), "torch", None)]
        if args.before:
            plan.append(("onnx-before", folder, "onnx", str(Path(args.before).resolve())))

        me = [sys.executable, str(Path(__file__).resolve()), "--threads", str(args.threads), "--pages",
              json.dumps(page_sets), "--bare-runs", str(args.bare_runs)]
        for name, uri, backend, src in plan:  # one at a time: a start-up measured alone
            print(f"{name} alone ...", file=sys.stderr, flush=True)
            env = {**os.environ, "PYTHONPATH": src} if src else None
            res["bare"][name] = run_json(me + ["--bare", uri, backend] + (["--no-ocr"] if name != "onnx" or args.no_ocr
                                                                           else []), env)
        print("lean worker life ...", file=sys.stderr, flush=True)
        res["lifecycle"] = run_json(me + ["--lifecycle", folder, "--lifecycle-requests", str(args.lifecycle_requests)])

        services: dict[str, Service] = {}
        try:
            datas = [Path(x).read_bytes() for x in page_sets["jpg"]]
            single = [multipart("file", [x]) for x in datas]
            group = (datas * (BATCH // len(datas) + 1))[:BATCH]
            batches = [multipart("files", group[i:] + group[:i]) for i in range(4)]
            counts: dict[str, int] = {}
            for name, uri, backend, src in plan:
                print(f"starting {name} ...", file=sys.stderr, flush=True)
                services[name] = svc = Service(name, uri, backend, args.threads, tmp, src)
                info = svc.wait_ready()
                assert info["backend"] == backend, info
                for path, conc in SCENARIOS:  # warm-up: every path once, so "warm" is a steady state
                    drive(svc.port, path, single if path == "/predict" else batches, 2 * conc, conc)
                counts[name] = sum(2 * c for _, c in SCENARIOS)
                res["servers"][name] = {"backend": backend, "startup_s": info["startup_s"],
                                        "rss_warm_mb": svc.worker_rss_mb()}
            collected: dict[str, dict[str, list]] = {n: {} for n in services}
            for r in range(args.rounds):
                order = list(services) if r % 2 == 0 else list(reversed(services))
                for path, conc in SCENARIOS:
                    n = (args.requests if path == "/predict" else args.batch_requests) // args.rounds
                    for name in order:
                        print(f"round {r + 1}: {name} {path} c={conc}", file=sys.stderr, flush=True)
                        cpu0 = services[name].worker_cpu_s()
                        run = drive(services[name].port, path, single if path == "/predict" else batches,
                                    max(conc, n), conc)
                        run["cpu_s"] = services[name].worker_cpu_s() - cpu0
                        collected[name].setdefault(f"{path}@{conc}", []).append(run)
                        counts[name] += max(conc, n)
            for name, svc in services.items():
                res["api"][name] = {k: summarize(runs, 1 if k.startswith("/predict@") else BATCH)
                                    for k, runs in collected[name].items()}
                res["servers"][name].update(rss_end_mb=svc.worker_rss_mb(), requests=counts[name])
        finally:
            for svc in services.values():
                svc.stop()
        res["load_average"]["end"] = os.getloadavg()
        shutil.rmtree(tmp, ignore_errors=True)

    print(format_report(res))
    if args.output:
        Path(args.output).write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
