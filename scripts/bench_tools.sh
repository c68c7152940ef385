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
# Aim, to set `aim convert tensorboard` beside `trackboard import tensorboard` (bench_imports.py).
# Its converter imports TensorFlow and TensorBoard, so tensorflow-cpu and tensorboard come too. Should either not install
# here, the figure says so and the other figures are still measured.
AIM_TOOLS="aim==3.29.1 tensorflow-cpu==2.21.0 tensorboard==2.21.0"
if [ "$(.tools/aim-venv/bin/python -c 'import importlib.metadata as m; print("aim==" + m.version("aim"), "tensorflow-cpu==" + m.version("tensorflow-cpu"), "tensorboard==" + m.version("tensorboard"))' 2>/dev/null)" != "$AIM_TOOLS" ]; then
  echo "bench: installing $AIM_TOOLS from PyPI into .tools/aim-venv"
  python3 -m venv .tools/aim-venv
  # shellcheck disable=SC2086
  .tools/aim-venv/bin/pip install --quiet --disable-pip-version-check $AIM_TOOLS ||
    echo "bench: $AIM_TOOLS did not install; BENCHMARKS.md will say so"
fi
# pycocotools and faster-coco-eval (C++, the fastest widely used reimplementation), in a
# venv of their own, for the COCO metrics figures (bench_coco, scripts/bench_cocoeval.py).
COCO_TOOLS="pycocotools==2.0.11 faster-coco-eval==1.8.0"
if [ "$(.tools/coco-venv/bin/python -c 'import importlib.metadata as m; print("pycocotools==" + m.version("pycocotools"), "faster-coco-eval==" + m.version("faster-coco-eval"))' 2>/dev/null)" != "$COCO_TOOLS" ]; then
  echo "bench: installing $COCO_TOOLS from PyPI into .tools/coco-venv"
  python3 -m venv .tools/coco-venv
  # shellcheck disable=SC2086
  .tools/coco-venv/bin/pip install --quiet --disable-pip-version-check $COCO_TOOLS
fi
