"""The seed's commands, run as a user types them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.long(35)
def test_seed_smoke_test_script_passes():
    """`python test_mlflow_integration.py` trains, then checks params, metrics, tags, artifacts, model."""
    proc = subprocess.run([sys.executable, str(REPO / "test_mlflow_integration.py")], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "PASSED" in proc.stdout and "FAIL " not in proc.stdout


def test_train_script_help_lists_seed_options():
    proc = subprocess.run([sys.executable, str(REPO / "train.py"), "--help"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0
    for flag in ("--epochs", "--batch-size", "--lr", "--mlflow-experiment", "--mlflow-run-name", "--resume"):
        assert flag in proc.stdout


@pytest.mark.long(170)
@pytest.mark.live
@pytest.mark.slow
def test_seed_full_pipeline_script_passes():
    """`python test_pipeline.py`: generate, train, tune, register, validate, promote, export, serve, predict."""
    proc = subprocess.run([sys.executable, str(REPO / "test_pipeline.py")], capture_output=True, text=True,
                          timeout=1200)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "PASSED" in proc.stdout and proc.stdout.count("(model doc_classifier v1)") == 3
