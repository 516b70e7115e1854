# One image for the MLflow server, the API and tuning workers (see deploy/docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DOCCLF_CACHE_DIR=/cache

WORKDIR /app
# fontconfig lets the generator find system fonts; nothing else is needed at run time
RUN apt-get update \
    && apt-get install -y --no-install-recommends fontconfig=2.14.* fonts-dejavu-core=2.37-* \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes do not reinstall torch
COPY pyproject.toml README.md ./
COPY src/docclf/__init__.py src/docclf/__init__.py
RUN pip install --no-cache-dir -e .

COPY src ./src
COPY train.py tune_hyperparameters.py mlflow_utils.py export_model.py app.py ./
COPY scripts ./scripts

RUN useradd --create-home --uid 10001 docclf && mkdir -p /cache /data && chown docclf /cache /data
USER 10001

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
# The tested set-up (docclf.serve.gunicorn_conf): requests read whole before a thread takes them (stalled
# clients get a 408 after DOCCLF_READ_TIMEOUT s), /metrics summed over workers, model threads per worker.
CMD ["gunicorn", "-c", "python:docclf.serve.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "2", "docclf.serve:create_app()"]
