"""Serve a document classifier over HTTP. Same options as `docclf serve --help`.

    python app.py --model-uri models:/doc_classifier/Production --host 127.0.0.1 --port 8000
"""

try:
    from docclf.cli import script_main
except ImportError:  # not installed: say how to fix it instead of a traceback
    raise SystemExit("docclf is not installed here: run `make setup`, then `source .venv/bin/activate`")

if __name__ == "__main__":
    script_main("serve")
