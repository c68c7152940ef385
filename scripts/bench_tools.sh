#!/usr/bin/env bash
# The tools only `make bench` needs: MLflow (PyPI) in its own venv, to measure the same
# logging loop through MLflow's client and server. Skips what is there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TRACKBOARD_ROOT"
MLFLOW_VERSION=3.7.0
if [ "$(.tools/bench-venv/bin/python -c 'import mlflow; print(mlflow.__version__)' 2>/dev/null)" != "$MLFLOW_VERSION" ]; then
  echo "bench: installing mlflow $MLFLOW_VERSION from PyPI into .tools/bench-venv"
  python3 -m venv .tools/bench-venv
  .tools/bench-venv/bin/pip install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
fi
