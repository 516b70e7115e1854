"""Export a model to ONNX, TorchScript and INT8 with a parity check. Same as `docclf export --help`."""

try:
    from docclf.cli import script_main
except ImportError:  # not installed: say how to fix it instead of a traceback
    raise SystemExit("docclf is not installed here: run `make setup`, then `source .venv/bin/activate`")

if __name__ == "__main__":
    script_main("export")
