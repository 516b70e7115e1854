"""The seed's full pipeline test: every stage, as a user types it, on tiny data in a temp folder.

    python test_pipeline.py            # a few minutes on 2 CPU cores

generate -> train -> a 2-trial search -> register -> Staging -> validate -> promote to Production
-> export (ONNX, TorchScript, INT8) -> serve on loopback -> classify a page through /predict.
Exits 0 when every step worked; prints each command as it runs it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent
# one torch thread: on batches of eight 64 px pages a second thread only adds synchronisation, and when
# another process holds a core it made each epoch several times slower
TINY_TRAIN = ["--model", "mobilenetv3_small", "--image-size", "64", "--batch-size", "8", "--pretrained", "off",
              "--threads", "1"]


def sh(*args: str, cwd: Path, env: dict[str, str]) -> str:
    """Run one command like a user would; stop the test with its output if it fails."""
    print("$ " + " ".join(args), flush=True)
    proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        sys.stdout.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"FAILED: {' '.join(args)} exited with {proc.returncode}")
    return proc.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def predict(url: str, page: Path) -> dict:
    boundary = "docclf-pipeline-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{page.name}\"\r\n"
            "Content-Type: image/png\r\n\r\n").encode() + page.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "/predict", data=body,
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def serve_and_classify(work: Path, env: dict[str, str], pages: list[Path]) -> list[dict]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"$ python app.py --model-uri models:/doc_classifier/Production --port {port}", flush=True)
    server = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--model-uri", "models:/doc_classifier/Production",
                               "--host", "127.0.0.1", "--port", str(port)], cwd=work, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 240
        while True:
            if server.poll() is not None:
                raise SystemExit("FAILED: app.py exited: " + server.stdout.read()[-3000:])
            try:
                with urllib.request.urlopen(url + "/ready", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("FAILED: the API was not ready within 240 s")
            time.sleep(0.5)
        return [predict(url, p) for p in pages]
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_pipeline(work: Path) -> None:
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"sqlite:///{work}/mlflow.db",
           "DOCCLF_CACHE_DIR": str(work / "cache"), "PYTHONUNBUFFERED": "1"}
    data = work / "data" / "documents"
    sh(str(REPO / "scripts/generate_dataset.py"), "--output-dir", str(data), "--num-per-class", "12",
       "--max-size", "500", "--seed", "3", cwd=work, env=env)
    sh(str(REPO / "train.py"), "--data-dir", str(data), *TINY_TRAIN, "--epochs", "2",
       "--mlflow-experiment", "pipeline", "--mlflow-run-name", "baseline", "--output-dir", "outputs/baseline",
       cwd=work, env=env)
    sh(str(REPO / "tune_hyperparameters.py"), "--search-strategy", "random", "--n-trials", "2", "--epochs", "1",
       "--data-dir", str(data), "--models", "mobilenetv3_small", "--batch-sizes", "8", "--image-sizes", "64",
       "--threads", "1", "--mlflow-experiment", "pipeline-tuning", "--output", "tuning_results.json", "--",
       "--pretrained", "off", cwd=work, env=env)
    results = json.loads((work / "tuning_results.json").read_text())
    assert len(results["trials"]) == 2 and results["best"], results

    run_id = sh(str(REPO / "mlflow_utils.py"), "--action", "best-run", "--experiment", "pipeline",
                "--metric", "val_accuracy", "--json", cwd=work, env=env)
    run_id = json.loads(run_id)["run_id"]
    sh(str(REPO / "mlflow_utils.py"), "--action", "register-model", "--run-id", run_id,
       "--model-name", "doc_classifier", cwd=work, env=env)
    sh(str(REPO / "mlflow_utils.py"), "--action", "transition-stage", "--model-name", "doc_classifier",
       "--version", "1", "--stage", "Staging", cwd=work, env=env)
    sh(str(REPO / "mlflow_utils.py"), "--action", "validate", "--model-name", "doc_classifier", "--version", "1",
       "--data-dir", str(data / "test"), cwd=work, env=env)
    sh(str(REPO / "mlflow_utils.py"), "--action", "promote", "--model-name", "doc_classifier", "--version", "1",
       "--stage", "Production", cwd=work, env=env)
    sh(str(REPO / "export_model.py"), "--model-uri", "models:/doc_classifier/Production", "--format", "all",
       "--output-dir", "exports", "--data-dir", str(data), cwd=work, env=env)
    for name in ("model.onnx", "model_torchscript.pt", "model.json"):
        assert (work / "exports" / name).is_file(), f"export is missing {name}"

    pages = sorted((data / "test").glob("*/*.png"))[::4][:3]
    answers = serve_and_classify(work, env, pages)
    for page, answer in zip(pages, answers):
        label = answer["label"] or f"none of these ({answer.get('abstain_reason', '')})"
        print(f"  {page.parent.name:<18} -> {label:<18} {answer['confidence']:.2f}  "
              f"(model {answer['model']['name']} v{answer['model']['version']})")
        assert answer["model"]["version"] in ("1", 1) and set(answer["probabilities"]) >= {"invoice", "letter"}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="docclf-pipeline-") as tmp:
        run_pipeline(Path(tmp))
    print("PASSED: generate, train, tune, register, validate, promote, export, serve, predict")
    return 0


if __name__ == "__main__":
    sys.exit(main())
