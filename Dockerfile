# Airflow 3 image for the xxgk report warehouse: the official image plus the project's pinned
# dependencies, taken from uv.lock (the same lock the local .venv is synced from).
#
#   docker compose build          # docker-compose.yml builds this file for every Airflow service
#
# Dependencies are baked in at build time instead of _PIP_ADDITIONAL_REQUIREMENTS (which
# reinstalls them on every container start). The project code itself is bind-mounted at
# /opt/xxgk by docker-compose.yml and found through PYTHONPATH, so edits to dags/, plugins/,
# dbt_project/ and expectations/ need no rebuild; a change to uv.lock does.
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11
FROM ${AIRFLOW_IMAGE}

ARG UV_VERSION=0.13.9

COPY --chown=airflow:0 pyproject.toml uv.lock README.md /opt/xxgk/
COPY --chown=airflow:0 plugins /opt/xxgk/plugins

# uv only turns the lock into a hash-pinned requirements file (apache-airflow==3.3.2 included,
# so the image's Airflow is never up- or downgraded); pip installs it into the image's Airflow
# environment as the Airflow image documentation recommends. The project itself is installed
# without dependencies only for its `xxgk` command. --no-deps: the lock is the whole closure,
# and it replaces opencv-python (asked for by rapidocr-onnxruntime; links libGL, which the
# image lacks) with opencv-python-headless (pyproject's override), which pip would not know.
RUN pip install --no-cache-dir "uv==${UV_VERSION}" \
    && uv export --quiet --frozen --no-dev --no-emit-project \
        --format requirements-txt --project /opt/xxgk --output-file /tmp/requirements.txt \
    && pip install --no-cache-dir --require-hashes --no-deps -r /tmp/requirements.txt \
    && pip install --no-cache-dir --no-deps /opt/xxgk \
    && pip uninstall --yes uv \
    && rm /tmp/requirements.txt

ENV PYTHONPATH=/opt/xxgk/plugins
WORKDIR /opt/xxgk
