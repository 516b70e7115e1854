# docclf: `make demo` runs the pipeline end to end, `make test` runs the tests.
# Both create .venv and install everything on first use.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
DEMO_DIR ?= data/demo

.DEFAULT_GOAL := help
.PHONY: help setup ocr-deps demo test test-fast bench clean system-deps screenshots realdev

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# torch's x86_64 wheel brings CUDA libraries: the environment takes about 7 GB, so check before pip fills the disk
VENV_GB ?= 7.5
define VENV_SPACE_CHECK
import shutil, sys
free = shutil.disk_usage(".").free / 2**30
if free < $(VENV_GB):
    sys.exit(f"only {free:.1f} GB free here: .venv needs about $(VENV_GB) GB (torch with its CUDA libraries); "
             "free some disk space, or run with VENV_GB=0 to try anyway")
endef
export VENV_SPACE_CHECK

$(VENV)/.installed: pyproject.toml
	@test -f $(VENV)/.installed || $(PYTHON) -c "$$VENV_SPACE_CHECK"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	@touch $@

setup: $(VENV)/.installed ocr-deps  ## create .venv and install docclf with its dependencies (and Tesseract's data)

ocr-deps:  ## install Debian's Tesseract language data (eng deu fra spa ita por nld) when missing
	@missing=""; \
	for lang in eng deu fra spa ita por nld; do \
	  ls /usr/share/tesseract-ocr/*/tessdata/$$lang.traineddata >/dev/null 2>&1 || missing="$$missing tesseract-ocr-$$lang"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing$$missing: install them (apt-get install$$missing); models that read pages need them"; fi; \
	fi

demo: $(VENV)/.installed ocr-deps  ## the whole pipeline on generated data: data, train, tune, register, export, serve
	rm -rf outputs/demo exports/demo
	$(VENV)/bin/docclf generate --output-dir $(DEMO_DIR) --num-per-class 100 --max-size 1200 --overwrite
	$(VENV)/bin/docclf preview $(DEMO_DIR)
	@# no network here means no ImageNet weights: from scratch, a higher learning rate and more epochs
	$(PY) train.py --data-dir $(DEMO_DIR) --model mobilenetv3_small --epochs 25 --batch-size 32 --lr 2e-3 \
		--image-size 160 --mlflow-experiment demo --mlflow-run-name demo --output-dir outputs/demo
	$(PY) tune_hyperparameters.py --search-strategy grid --epochs 10 --data-dir $(DEMO_DIR) --models mobilenetv3_small \
		--image-sizes 160 --batch-sizes 32 --lrs 5e-4 3e-3 --mlflow-experiment demo-tuning --study-name demo-tuning \
		--storage sqlite:///outputs/demo/optuna.db --output outputs/demo/tuning_results.json
	$(PY) mlflow_utils.py --action best-run --experiment demo --metric val_f1 --register --model-name doc_classifier
	$(PY) mlflow_utils.py --action transition-stage --model-name doc_classifier --version latest --stage Staging
	$(PY) mlflow_utils.py --action validate --model-name doc_classifier --version latest --data-dir $(DEMO_DIR)/test
	$(PY) mlflow_utils.py --action promote --model-name doc_classifier --version latest --force
	$(PY) export_model.py --model-uri models:/doc_classifier/Production --format all --output-dir exports/demo
	$(PY) scripts/demo_predict.py --model-uri models:/doc_classifier/Production --pages $(DEMO_DIR)/test
	@echo ""
	@echo "Pages:    $(DEMO_DIR)/contact_sheet.png"
	@echo "Curves:   outputs/demo/training_history.png, outputs/demo/confusion_matrix.png"
	@echo "Exports:  exports/demo/ (model.onnx, model_torchscript.pt, model.json)"
	@echo "Runs:     source $(VENV)/bin/activate && mlflow ui   (then open http://127.0.0.1:5000)"
	@echo "API:      source $(VENV)/bin/activate && python app.py --model-uri models:/doc_classifier/Production"

system-deps:  ## install Debian's chromium, chromedriver, PostgreSQL and the dev-set renderers (poppler, LibreOffice, npm...)
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer libreoffice-impress"; \
	command -v localc >/dev/null 2>&1 || missing="$$missing libreoffice-calc"; \
	command -v abcm2ps >/dev/null 2>&1 || missing="$$missing abcm2ps"; \
	command -v ps2pdf >/dev/null 2>&1 || missing="$$missing ghostscript"; \
	command -v faketime >/dev/null 2>&1 || missing="$$missing faketime"; \
	command -v gropdf >/dev/null 2>&1 || missing="$$missing groff"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing$$missing: install them (apt-get install$$missing) or those tests fail"; fi; \
	fi

realdev: $(VENV)/.installed ocr-deps system-deps  ## build the real-page dev set in data/realdev (pinned public pages; never train on it)
	$(PY) scripts/build_realdev.py

# two workers: most tests wait on a subprocess's imports or a server, so the suite on one worker used about
# one of CI's two cores. worksteal hands out single tests (a long file's tests spread over both workers) and
# starts each worker on a contiguous half, so few module fixtures are built twice.
TEST_WORKERS ?= 2
test: $(VENV)/.installed ocr-deps system-deps  ## run the test suite (on TEST_WORKERS=2 workers)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal

test-fast: $(VENV)/.installed ocr-deps  ## run the tests that start no services, API servers or browser
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal -m "not services and not live"

screenshots: $(VENV)/.installed system-deps  ## photograph the MLflow UI for the README (docs/img/), after make demo
	$(PY) scripts/screenshots.py --tracking-uri sqlite:///mlflow.db --experiment demo --model-name doc_classifier --out docs/img

bench: $(VENV)/.installed  ## run the benchmarks (prints tables)
	$(PY) benchmarks/bench_generate.py
	$(PY) benchmarks/bench_train.py
	$(PY) benchmarks/bench_export.py
	$(PY) benchmarks/bench_tune.py
	$(PY) benchmarks/bench_api.py

clean:  ## remove generated data, runs and outputs (keeps .venv)
	rm -rf data outputs exports mlruns mlartifacts mlflow.db mlflow.db.lock optuna.db optuna.db.lock .cache
