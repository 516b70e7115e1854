"""Screenshots of the MLflow UI for the README: a run page, its charts, the runs table, a model version.

Run after `make demo`, in the same folder (it reads the demo's store, ./mlflow.db):

    make screenshots        # or: python scripts/screenshots.py --out docs/img

It starts `mlflow server` on a free loopback port, drives Debian's headless chromium through
selenium (`apt-get install chromium chromium-driver`; `make system-deps` does it), waits for each
page to render, and writes small PNGs (resized and reduced to 256 colours). The test
tests/test_mlflow_ui.py drives the UI with the same functions.
"""

from __future__ import annotations

import argparse
import io
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
from typing import Any

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage")
# Dismissed once, as a user would: the registry's "new UI" pop-up and the assistant panel.
UI_SETTINGS = {"_mlflow_model_registry_promo_modal_dismissed_v1": "true", "mlflow.assistant.panelOpen_v1": "false",
               "mlflow.assistant.fab.autoOpenedOnFirstLoad_v1": "true"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ui(tracking_uri: str, log_path: Path, timeout: float = 180) -> tuple[subprocess.Popen, str]:
    """`mlflow server` on a free loopback port over `tracking_uri`; returns the process and its URL."""
    port = free_port()
    exe = Path(sys.executable).with_name("mlflow")
    cmd = [str(exe), "server", "--backend-store-uri", tracking_uri, "--host", "127.0.0.1", "--port", str(port),
           "--workers", "1"]
    # nothing leaves the machine; no job runner (GenAI jobs): its eight extra processes only slow the start
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
    proc = subprocess.Popen(cmd, stdout=log_path.open("ab"), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"mlflow server exited with {proc.returncode}: {log_path.read_text()[-1500:]}")
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    stop_ui(proc)
    raise RuntimeError(f"mlflow server did not answer within {timeout:.0f} s: {log_path.read_text()[-1500:]}")


def stop_ui(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # uvicorn's workers live in the server's process group
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def chromium_paths() -> tuple[str | None, str | None]:
    return shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")


def open_browser(profile_dir: Path, size: tuple[int, int] = (1400, 900)) -> Any:
    """Headless chromium with a fresh profile, driven by selenium."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = chromium_paths()
    if not (chromium and driver_path):
        raise RuntimeError("Debian's chromium and chromium-driver are needed: apt-get install -y chromium "
                           "chromium-driver (`make system-deps` installs them)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--window-size={size[0]},{size[1]}", f"--user-data-dir={profile_dir}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    driver.set_page_load_timeout(60)
    return driver


def open_page(driver: Any, base_url: str, route: str, expect: str, timeout: float = 60) -> str:
    """Open `#/route` and wait until the page's text contains `expect`; returns the text."""
    if not driver.current_url.startswith(base_url):
        driver.get(base_url + "/")
        driver.execute_script("for (const [k, v] of Object.entries(arguments[0])) localStorage.setItem(k, v);",
                              UI_SETTINGS)
    driver.get(f"{base_url}/#/{route}")
    deadline = time.time() + timeout
    text = ""
    while time.time() < deadline:
        text = driver.execute_script("return document.body.innerText")
        if expect in text:
            time.sleep(1.5)  # charts and tables finish drawing after the text arrives
            return driver.execute_script("return document.body.innerText")
        time.sleep(0.5)
    raise TimeoutError(f"#/{route} did not show {expect!r} within {timeout:.0f} s; it shows: {text[:500]!r}")


def filter_charts(driver: Any, text: str) -> None:
    """Type into the chart tab's search box, as a user narrowing the charts would."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, "input[placeholder='Search metric charts']").send_keys(text)
    time.sleep(2)


def expand_rows(driver: Any) -> None:
    """Show a parent run's trials in the runs table (its "Expand rows" switch), if there is one."""
    from selenium.webdriver.common.by import By

    for button in driver.find_elements(By.XPATH, "//button[normalize-space()='Expand rows']"):
        button.click()
        time.sleep(1.5)


def chart_traces(driver: Any) -> dict[str, list[tuple[str, int]]]:
    """Each chart card on the page: its title -> [(plotly trace type, points)]."""
    return driver.execute_script("""
        const out = {};
        document.querySelectorAll('[data-testid="experiment-view-compare-runs-card"]').forEach(card => {
          const plot = card.querySelector('.js-plotly-plot');
          if (!plot) return;
          const title = card.innerText.split('\\n')[0].trim();
          out[title] = (plot.data || []).map(t => [t.type, (t.x || []).length]);
        });
        return out;""")


def save_png(png: bytes, path: Path, width: int = 1000, max_bytes: int = 150_000) -> int:
    """Resize to `width` and reduce to 256 colours (UI pages lose nothing visible); returns the size."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    if img.width > width:
        img = img.resize((width, round(img.height * width / img.width)), Image.LANCZOS)
    for colours in (256, 128, 64):
        buf = io.BytesIO()
        img.quantize(colours, method=Image.Quantize.MEDIANCUT).save(buf, "PNG", optimize=True)
        if buf.tell() <= max_bytes:
            break
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return buf.tell()


def pick_subjects(tracking_uri: str, experiment: str, model_name: str) -> dict[str, str]:
    """The experiment, its best finished run (by val_f1) and the model's Production (else newest) version."""
    import mlflow

    client = mlflow.MlflowClient(tracking_uri)
    exp = client.get_experiment_by_name(experiment)
    if exp is None:
        raise LookupError(f"no experiment {experiment!r} in {tracking_uri}; run `make demo` first")
    runs = client.search_runs([exp.experiment_id], filter_string="attributes.status = 'FINISHED'",
                              order_by=["metrics.val_f1 DESC"], max_results=1)
    if not runs:
        raise LookupError(f"experiment {experiment!r} has no finished run; run `make demo` first")
    versions = sorted(client.search_model_versions(f"name = '{model_name}'"), key=lambda v: int(v.version))
    if not versions:
        raise LookupError(f"no registered model {model_name!r} in {tracking_uri}; run `make demo` first")
    production = [v for v in versions if v.current_stage == "Production"]
    return {"experiment_id": exp.experiment_id, "run_id": runs[0].info.run_id,
            "version": str((production or versions)[-1].version)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tracking-uri", default="sqlite:///mlflow.db", help="the store to show (make demo's)")
    parser.add_argument("--experiment", default="demo", help="experiment whose best run is shown")
    parser.add_argument("--table-experiment", default="demo-tuning",
                        help="experiment whose runs table is shown (the search: a parent and its trials)")
    parser.add_argument("--model-name", default="doc_classifier", help="registered model whose version is shown")
    parser.add_argument("--out", default="docs/img", help="folder for the PNGs")
    args = parser.parse_args(argv)
    if args.tracking_uri.startswith("sqlite:///") and not Path(args.tracking_uri[len("sqlite:///"):]).is_file():
        print(f"error: {args.tracking_uri} does not exist; run `make demo` first (or pass --tracking-uri)",
              file=sys.stderr)
        return 2
    try:
        subjects = pick_subjects(args.tracking_uri, args.experiment, args.model_name)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    e, r, v = subjects["experiment_id"], subjects["run_id"], subjects["version"]
    table = pick_subjects(args.tracking_uri, args.table_experiment, args.model_name)["experiment_id"]
    # (file, page, text that says it has rendered, charts to filter to)
    shots = [("mlflow_run.png", f"experiments/{e}/runs/{r}", "Created by", None),
             ("mlflow_run_charts.png", f"experiments/{e}/runs/{r}/model-metrics", "Model metrics", "accuracy"),
             ("mlflow_runs_table.png", f"experiments/{table}/runs", "matching run", None),
             ("mlflow_model_version.png", f"models/{args.model_name}/versions/{v}", "Validation", None)]
    out = Path(args.out)
    with tempfile.TemporaryDirectory(prefix="docclf-shots-") as tmp:
        proc, url = start_ui(args.tracking_uri, Path(tmp) / "mlflow.log")
        driver = None
        try:
            driver = open_browser(Path(tmp) / "profile")
            for name, route, expect, charts in shots:
                open_page(driver, url, route, expect)
                if charts:
                    filter_charts(driver, charts)
                expand_rows(driver)
                size = save_png(driver.get_screenshot_as_png(), out / name)
                print(f"{out / name}: {size / 1000:.0f} KB ({route})")
        finally:
            if driver is not None:
                driver.quit()
            stop_ui(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
