"""The web API as a real server on loopback: `python app.py` and gunicorn as subprocesses, concurrent
traffic, a hot reload under traffic, stalled clients, and the drop page in a real headless Chromium.

gunicorn runs exactly as deployments run it (`gunicorn_command`, the one set-up test_deploy.py
compares the Dockerfile, compose file and Kubernetes manifest with)."""

from __future__ import annotations

import base64
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from serve_support import CLASSES, image_bytes, register, trained_model

from docclf.serve.server import gunicorn_command

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
READ_TIMEOUT = 3  # seconds (DOCCLF_READ_TIMEOUT) for the gunicorn server below; the default is 30
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A service subprocess on a free loopback port, in its own process group so teardown gets all of it."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.log = cwd / f"server-{port}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 150) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"server exited ({self.proc.returncode}):\n{self.tail()}"
            try:
                resp = requests.get(self.url + "/ready", timeout=5)
                if resp.status_code == 200:
                    return resp.json()
            except requests.RequestException:  # not listening yet, or busy booting
                pass
            time.sleep(0.5)
        raise AssertionError(f"not ready after {timeout} s:\n{self.tail()}")

    def tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # gunicorn: quick shutdown (SIGTERM waits for idle keep-alives)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own process group, started above
                self.proc.wait(10)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return trained_model(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def live(tiny, tmp_path_factory):
    """`python app.py` serving models:/live/Production (ONNX Runtime, the default), polling every 0.5 s."""
    v1 = register(tiny, "live", alias="production")
    cwd = tmp_path_factory.mktemp("live")
    port = free_port()
    # options both ways: flags for some, DOCCLF_* variables for others
    server = Server([sys.executable, str(REPO / "app.py"), "--model-uri", "models:/live/Production",
                     "--host", "127.0.0.1", "--port", str(port), "--threads", "8"],
                    {"DOCCLF_TRACKING_URI": tiny.tracking_uri, "DOCCLF_RELOAD_INTERVAL": "0.5",
                     "DOCCLF_MAX_BATCH_SIZE": "8"}, cwd, port)
    try:
        server.wait_ready()
        server.first_version = v1
        yield server
    finally:
        server.stop()


def _predict(session: requests.Session, url: str, page: bytes) -> requests.Response:
    return session.post(url + "/predict", files={"file": ("page.png", page, "image/png")}, timeout=60)


def _batch(session: requests.Session, url: str, pages: list[bytes]) -> requests.Response:
    return session.post(url + "/predict_batch", timeout=60,
                        files=[("files", (f"{i}.png", p, "image/png")) for i, p in enumerate(pages)])


def test_concurrent_requests_all_succeed(live):
    pages = [image_bytes(cls=i % 5) for i in range(5)]
    bad = [b"", b"not an image", pages[0][:100]]
    assert live.wait_ready()["backend"] == "onnx"

    def worker(k: int) -> list[tuple[str, int]]:
        out = []
        with requests.Session() as s:
            for i in range(12):
                if i % 4 == 3:
                    r = _batch(s, live.url, pages[:3] + [bad[i % 3]])
                    body = r.json()
                    ok = r.status_code == 200 and body["errors"] == 1 and len(body["results"]) == 4
                    out.append(("batch", 200 if ok else r.status_code))
                elif i % 4 == 2:
                    r = s.post(live.url + "/predict", files={"file": ("x.png", bad[k % 3])}, timeout=60)
                    out.append(("bad", r.status_code))
                else:
                    r = _predict(s, live.url, pages[(k + i) % 5])
                    ok = r.status_code == 200 and r.json()["label"] in CLASSES
                    out.append(("single", 200 if ok else r.status_code))
        return out

    with ThreadPoolExecutor(8) as pool:
        results = [x for chunk in pool.map(worker, range(8)) for x in chunk]
    counts = Counter(results)
    assert len(results) == 96
    assert all(status == 200 for kind, status in results if kind != "bad"), counts
    assert all(400 <= status < 500 for kind, status in results if kind == "bad"), counts
    assert requests.get(live.url + "/health", timeout=5).json() == {"status": "ok"}
    metrics = requests.get(live.url + "/metrics", timeout=5).text
    assert 'docclf_http_requests_total{endpoint="/predict",method="POST",status="200"}' in metrics
    assert 'status="500"' not in metrics


@pytest.mark.long(35)
def test_hot_reload_under_traffic_fails_no_request(live, tiny):
    page = image_bytes()
    stop = threading.Event()
    seen: list[list[str]] = [[] for _ in range(4)]  # per client thread, in order
    failures: list[str] = []

    def traffic(k: int) -> None:
        with requests.Session() as s:
            while not stop.is_set():
                try:
                    r = _predict(s, live.url, page)
                    if r.status_code != 200:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                    else:
                        seen[k].append(r.json()["model"]["version"])
                except requests.RequestException as exc:
                    failures.append(repr(exc))

    threads = [threading.Thread(target=traffic, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 60  # every client has an answer from the first version (a loaded CI box is slow)
        while not all(seen) and not failures and time.monotonic() < deadline:
            time.sleep(0.1)
        assert all(seen), (failures[:5], [len(v) for v in seen])
        v2 = register(tiny, "live", alias="production")  # production (and the stage) now names v2
        deadline = time.monotonic() + 150
        model = {}
        while time.monotonic() < deadline:
            model = requests.get(live.url + "/model", timeout=10).json()
            if model["version"] == v2:
                break
            time.sleep(0.5)
        time.sleep(1.0)  # some traffic on the new version too
    finally:
        stop.set()
        for t in threads:
            t.join(90)
    assert not failures, failures[:5]
    assert model["version"] == v2 and model["stage"] == "Production", (model, live.tail())
    for versions in seen:  # each client's answers: the old version, then only the new one
        assert versions[0] == live.first_version and versions[-1] == v2, versions
        switch = versions.index(v2)
        assert set(versions[switch:]) == {v2}, versions
    assert sum(map(len, seen)) > 20
    metrics = requests.get(live.url + "/metrics", timeout=5).text
    assert 'docclf_model_reloads_total{result="swapped"} 1.0' in metrics


@pytest.fixture(scope="module")
def gunicorn_app(tiny, tmp_path_factory):
    """The deployment's command with two workers, configured by DOCCLF_* variables only: no
    PROMETHEUS_MULTIPROC_DIR and no DOCCLF_WORKERS, which gunicorn_conf must provide itself."""
    cwd = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {"DOCCLF_MODEL_URI": tiny.checkpoint, "DOCCLF_BACKEND": "torch", "DOCCLF_API_TOKEN": "tok",
           "DOCCLF_READ_TIMEOUT": str(READ_TIMEOUT), "PROMETHEUS_MULTIPROC_DIR": "", "DOCCLF_WORKERS": ""}
    server = Server([GUNICORN, *gunicorn_command(f"127.0.0.1:{port}", 2)[1:]], env, cwd, port)
    try:
        server.wait_ready()
        _wait_every_worker_ready(server)
        yield server
    finally:
        server.stop()


def _wait_every_worker_ready(server: Server, timeout: float = 150) -> None:
    """/ready on new connections until 8 in a row say ready: each worker loads its own model."""
    deadline, streak = time.monotonic() + timeout, 0
    while streak < 8:
        assert time.monotonic() < deadline, f"a worker never got ready:\n{server.tail()}"
        ok = requests.get(server.url + "/ready", headers={"Connection": "close"}, timeout=10).status_code == 200
        streak = streak + 1 if ok else 0
        time.sleep(0.1 if ok else 0.5)


def test_gunicorn_set_up_counts_every_worker_and_shares_the_cores(gunicorn_app):
    """/metrics adds up both workers' requests, and each worker sizes its model threads to half the cores."""
    url, before = gunicorn_app.url, _requests_counted(gunicorn_app.url)
    for _ in range(10):  # a new connection each time, so both workers answer
        r = requests.post(url + "/predict", headers={"Authorization": "Bearer tok", "Connection": "close"},
                          files={"file": ("p.png", image_bytes())}, timeout=60)
        assert r.status_code == 200, r.text
    assert requests.post(url + "/predict", files={"file": ("p.png", image_bytes())}, timeout=60).status_code == 401
    # whichever worker answers /metrics, it reports both workers' requests
    assert [_requests_counted(url) for _ in range(4)] == [before + 10] * 4
    loaded = [line for line in gunicorn_app.tail(400).splitlines() if "inference threads" in line]
    assert len(loaded) == 2 and all(f"{max(1, (os.cpu_count() or 1) // 2)} inference threads" in line
                                    for line in loaded), loaded


def test_stalled_clients_hold_no_thread_and_are_dropped_after_the_read_timeout(gunicorn_app):
    """64 clients that stop mid-request (half a header; a 100 kB body after a few bytes) and 4 that send
    nothing: /health and /predict still answer within 1 s, and every stalled client is dropped after
    the read timeout, with a 408 when it had begun a request."""
    port = int(gunicorn_app.url.rsplit(":", 1)[1])
    partial_head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: "
    partial_body = (b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n"
                    b"Authorization: Bearer tok\r\n\r\n\x89PNG\r\n")
    stalled: list[socket.socket] = []
    t_first = time.monotonic()
    try:
        for i in range(68):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i < 64:
                sock.sendall(partial_head if i % 2 else partial_body)
            stalled.append(sock)
        time.sleep(0.3)  # let both workers take in what was sent
        with requests.Session() as s:
            for method, path, kwargs in (("GET", "/health", {}), ("POST", "/predict", {
                    "files": {"file": ("p.png", image_bytes())}, "headers": {"Authorization": "Bearer tok"}}),
                    ("GET", "/health", {"headers": {"Connection": "close"}})):
                t0 = time.monotonic()
                resp = s.request(method, gunicorn_app.url + path, timeout=30, **kwargs)
                assert resp.status_code == 200 and time.monotonic() - t0 < 1.0, (path, time.monotonic() - t0)
        assert time.monotonic() - t_first < READ_TIMEOUT - 0.5  # so this checks that none was dropped early:
        assert select.select(stalled, [], [], 0)[0] == []
        replies: dict[int, bytes] = {}
        while len(replies) < len(stalled) and time.monotonic() - t_first < READ_TIMEOUT + 5:
            for sock in select.select([s for i, s in enumerate(stalled) if i not in replies], [], [], 0.5)[0]:
                replies[stalled.index(sock)] = sock.recv(4096)
        dropped_after = time.monotonic() - t_first
    finally:
        for sock in stalled:
            sock.close()
    assert len(replies) == 68, f"{68 - len(replies)} stalled clients still connected after {dropped_after:.1f} s"
    assert all(replies[i].startswith(b"HTTP/1.1 408 ") and b'"request_timeout"' in replies[i] for i in range(64))
    assert all(replies[i] == b"" for i in range(64, 68))  # never sent a byte: closed without an answer
    assert READ_TIMEOUT <= dropped_after < READ_TIMEOUT + 3


def test_gunicorn_refusals_are_json(gunicorn_app):
    url = gunicorn_app.url
    resp = requests.get(url + "/health", headers={"X-Big": "a" * 9000}, timeout=10)
    assert resp.status_code == 431 and resp.headers["Content-Type"] == "application/json"
    assert resp.json()["error"] == "request_header_fields_too_large" and "headers" in resp.json()["message"]
    resp = requests.get(url + "/" + "a" * 5000, timeout=10)  # request line over gunicorn's 4094 bytes
    assert resp.status_code == 400 and resp.json()["status"] == 400
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 30000000\r\n\r\nx")
        reply = sock.recv(4096)  # declared too large: refused at once, not after reading 30 MB
    assert reply.startswith(b"HTTP/1.1 413 ") and b'"request_too_large"' in reply


def test_gunicorn_preload_is_refused_with_a_reason(tiny, tmp_path):
    """--preload forks workers after the app began loading: they must say so, not hang or serve a broken model."""
    port = free_port()
    command = gunicorn_command(f"127.0.0.1:{port}", 1)
    server = Server([GUNICORN, *command[1:-1], "--preload", command[-1]],
                    {"DOCCLF_MODEL_URI": tiny.checkpoint, "DOCCLF_BACKEND": "torch"}, tmp_path, port)
    try:
        deadline, body = time.monotonic() + 60, {}
        while time.monotonic() < deadline and "preload" not in str(body.get("last_error")):
            try:
                body = requests.get(server.url + "/ready", timeout=5).json()
            except requests.RequestException:
                pass
            time.sleep(0.5)
        assert "without --preload" in body["last_error"], body
        resp = requests.post(server.url + "/predict", files={"file": ("p.png", image_bytes())}, timeout=10)
        assert resp.status_code == 503 and "--preload" in resp.json()["message"]
        assert requests.get(server.url + "/health", timeout=5).status_code == 200
    finally:
        server.stop()


def _requests_counted(url: str) -> float:
    text = requests.get(url + "/metrics", headers={"Connection": "close"}, timeout=10).text
    line = next((l for l in text.splitlines()
                 if l.startswith('docclf_http_requests_total{endpoint="/predict",method="POST",status="200"}')), None)
    return float(line.split()[-1]) if line else 0.0


# --------------------------------------------------------------------------- the drop page in Chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Debian's chromium and chromium-driver are not installed "
                    "(apt-get install -y chromium chromium-driver; `make test` installs them)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[test])")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--window-size=1100,900",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def test_drop_page_in_headless_chromium(live, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page_file = tmp_path / "letter.png"
    page_file.write_bytes(image_bytes(cls=1, size=(450, 600)))
    expected = _predict(requests.Session(), live.url, page_file.read_bytes()).json()

    browser.get(live.url + "/")
    wait = WebDriverWait(browser, 60)
    wait.until(lambda d: "version" in d.find_element(By.ID, "model").text)
    assert "classes: " + ", ".join(CLASSES) in browser.find_element(By.ID, "model").text

    # 1) choose a file
    browser.find_element(By.ID, "file").send_keys(str(page_file))
    wait.until(lambda d: d.find_element(By.ID, "label").text)
    assert browser.find_element(By.ID, "label").text == (expected["label"] or "none of these")
    bars = browser.find_elements(By.CSS_SELECTOR, "#bars .bar")
    assert sorted(b.get_attribute("data-class") for b in bars) == sorted(CLASSES)
    assert bars[0].get_attribute("data-class") == expected["label"] and "top" in bars[0].get_attribute("class")
    pcts = [float(b.find_element(By.CLASS_NAME, "pct").text.rstrip("%")) for b in bars]
    assert pcts == sorted(pcts, reverse=True) and abs(sum(pcts) - 100) < 1
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "#bars .bar.top .fill").size["width"] > 0)
    browser.save_screenshot(str(tmp_path / "page.png"))

    # 2) drop a file on the box (a real drop event carrying a File), here one the service refuses
    browser.execute_script("""
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], "notes.txt", {type: "text/plain"}));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
    """, base64.b64encode(b"just some text").decode())
    wait.until(lambda d: d.find_element(By.ID, "error").is_displayed())
    assert browser.find_element(By.ID, "error").text.startswith("415:")
    assert not browser.find_element(By.ID, "result").is_displayed()

    # 3) drop a page: the result comes back
    browser.execute_script("""
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], "page.png", {type: "image/png"}));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
    """, base64.b64encode(page_file.read_bytes()).decode())
    wait.until(lambda d: d.find_element(By.ID, "result").is_displayed())
    assert browser.find_element(By.ID, "label").text == (expected["label"] or "none of these")
    assert not browser.find_element(By.ID, "error").is_displayed()
