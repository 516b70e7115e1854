"""Hyperparameter search over training, tracked in MLflow. Same options as `docclf tune --help`."""

try:
    from docclf.cli import script_main
except ImportError:  # not installed: say how to fix it instead of a traceback
    raise SystemExit("docclf is not installed here: run `make setup`, then `source .venv/bin/activate`")

if __name__ == "__main__":
    script_main("tune")
