"""Model registry tasks: register, stages and aliases, validate, promote. Same as `docclf registry --help`."""

try:
    from docclf.cli import script_main
except ImportError:  # not installed: say how to fix it instead of a traceback
    raise SystemExit("docclf is not installed here: run `make setup`, then `source .venv/bin/activate`")

if __name__ == "__main__":
    script_main("registry")
