#!/usr/bin/env bash
# The tools only `make bench` needs: MLflow (PyPI) in its own venv, to measure the same
# logging loop through MLflow's client and server. Skips what is there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TRACKBOARD_ROOT"
# MLflow 3.7's server imports a pool SQLAlchemy 2.1 removed: pin 2.0.
MLFLOW_TOOLS="mlflow==3.7.0 sqlalchemy==2.0.58"
if [ "$(.tools/bench-venv/bin/python -c 'import mlflow, sqlalchemy; print(f"mlflow=={mlflow.__version__} sqlalchemy=={sqlalchemy.__version__}")' 2>/dev/null)" != "$MLFLOW_TOOLS" ]; then
  echo "bench: installing $MLFLOW_TOOLS from PyPI into .tools/bench-venv"
  python3 -m venv .tools/bench-venv
  # shellcheck disable=SC2086
  .tools/bench-venv/bin/pip install --quiet --disable-pip-version-check $MLFLOW_TOOLS
fi
