"""Serve a model for a moment and classify a few pages through the HTTP API (used by `make demo`).

    python scripts/demo_predict.py --model-uri models:/doc_classifier/Production --pages data/demo/test
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_page(url: str, page: Path) -> dict:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{page.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + page.read_bytes() \
        + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "/predict", data=body,
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read())


def wait_ready(url: str, server: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"app.py exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/ready", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the API was not ready within {timeout:.0f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model-uri", default="models:/doc_classifier/Production")
    ap.add_argument("--pages", required=True, help="a split folder with one sub-folder per class")
    ap.add_argument("--per-class", type=int, default=2)
    args = ap.parse_args()
    pages = [p for d in sorted(Path(args.pages).iterdir()) if d.is_dir()
             for p in sorted(f for f in d.iterdir() if f.suffix.lower() in (".png", ".jpg", ".jpeg"))[: args.per_class]]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--model-uri", args.model_uri,
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(url, server)
        print(f"\nclassified through POST {url}/predict:")
        print(f"  {'page':<34}{'true class':<18}{'predicted':<18}{'confidence':>10}")
        right = 0
        for page in pages:
            answer = post_page(url, page)
            right += answer["label"] == page.parent.name or (answer["label"] is None and page.parent.name == "other")
            label = answer["label"] or "(none of these)"
            print(f"  {page.name:<34}{page.parent.name:<18}{label:<18}{answer['confidence']:>10.2f}")
        print(f"  {right}/{len(pages)} right; model {answer['model']['name']} version {answer['model']['version']}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
