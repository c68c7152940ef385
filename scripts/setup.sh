#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine of this kind, and skips
# whatever is already there, so it is cheap to run before every command.
# Facts behind the versions: ../shared/TOOLCHAIN.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TRACKBOARD_ROOT"

TRUNK_VERSION=0.21.14 # 0.22 needs a newer rustc than this machine's 1.95
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Rust tools of the WebAssembly build, compiled from crates.io: the longest part of a
# first setup (about 12 minutes on 2 cores). They build in the background while apt, pip
# and npm download (network-bound), and setup waits for them at the end.
install_wasm_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 8 minutes on 2 cores)"
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install trunk --version "$TRUNK_VERSION" --locked
  fi

  # The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
  bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ -z "$bindgen_version" ]; then
    echo "setup: no wasm-bindgen in Cargo.lock" >&2
    exit 1
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
    say "installing wasm-bindgen-cli $bindgen_version (about 4 minutes)"
    # For some versions --locked names a dependency version the registry lacks; retry without.
    cargo install wasm-bindgen-cli --version "$bindgen_version" --locked ||
      cargo install wasm-bindgen-cli --version "$bindgen_version" --force
  fi
}

wasm_tools_log=$(mktemp)
install_wasm_tools >"$wasm_tools_log" 2>&1 &
wasm_tools=$!

# Debian's Chromium and its driver, for browser unit tests and end-to-end tests; curl and
# jq, which the docs/API.md examples (run as a test) use.
if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ] || ! command -v jq >/dev/null || ! command -v curl >/dev/null; then
  say "installing chromium, chromium-driver, curl and jq from apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver curl jq >/dev/null
fi

# PostgreSQL 15 (Debian's), for the server suite's second run and the replica tests.
if [ ! -x "$POSTGRES_BIN/initdb" ]; then
  say "installing postgresql-15 from apt"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
fi

# moto's S3-compatible server (PyPI), for the server suite's run against object storage.
MOTO_VERSION=5.2.5
if [ "$(.tools/venv/bin/python -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]; then
  say "installing moto[server] $MOTO_VERSION from PyPI into .tools/venv"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi

# schemathesis (PyPI), which fuzzes the API from its OpenAPI document (scripts/api_fuzz.sh).
SCHEMATHESIS_VERSION=4.32.5
if [ "$(.tools/venv/bin/schemathesis --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into .tools/venv"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The Python client (clients/python, installed editable) and pytest, for its tests.
# Pillow and numpy let the tests log PIL images and arrays; pycocotools is the reference
# the server's COCO metrics are compared with (crates/server/tests/coco_reference.rs);
# psutil is what the client's system metrics read (an optional extra of the package).
PYTHON_TEST_TOOLS="pytest==9.2.0 pillow==11.3.0 numpy==2.3.5 pycocotools==2.0.11 psutil==7.2.2"
if [ "$(.tools/venv/bin/python -c 'import importlib.metadata as m, pytest, PIL, numpy; print(f"pytest=={pytest.__version__} pillow=={PIL.__version__} numpy=={numpy.__version__}", "pycocotools==" + m.version("pycocotools"), "psutil==" + m.version("psutil"))' 2>/dev/null)" != "$PYTHON_TEST_TOOLS" ]; then
  say "installing $PYTHON_TEST_TOOLS from PyPI into .tools/venv"
  # shellcheck disable=SC2086
  .tools/venv/bin/pip install --quiet --disable-pip-version-check $PYTHON_TEST_TOOLS
fi
# TensorBoard's own event writer and reader, for `trackboard import tensorboard` and its
# test (no TensorFlow), and tqdm for the imports' progress bar. numpy and Pillow are
# pinned with it so it never moves them.
TENSORBOARD_VERSION=2.21.0
TQDM_VERSION=4.70.1
if [ "$(.tools/venv/bin/python -c 'import tensorboard, tqdm; print(tensorboard.__version__, tqdm.__version__)' 2>/dev/null)" != "$TENSORBOARD_VERSION $TQDM_VERSION" ]; then
  say "installing tensorboard $TENSORBOARD_VERSION and tqdm $TQDM_VERSION from PyPI into .tools/venv"
  .tools/venv/bin/pip install --quiet --disable-pip-version-check "tensorboard==$TENSORBOARD_VERSION" "tqdm==$TQDM_VERSION" numpy==2.3.5 pillow==11.3.0
fi
# ruff and mypy (strict), which check the Python client's code in `make test`.
PYTHON_LINT_TOOLS="ruff==0.17.6 mypy==2.4.1 types-requests==2.33.0.20261030"
if [ "$(.tools/venv/bin/python -c 'import importlib.metadata as m; print(" ".join(f"{p}=={m.version(p)}" for p in ("ruff", "mypy", "types-requests")))' 2>/dev/null)" != "$PYTHON_LINT_TOOLS" ]; then
  say "installing $PYTHON_LINT_TOOLS from PyPI into .tools/venv"
  # shellcheck disable=SC2086
  .tools/venv/bin/pip install --quiet --disable-pip-version-check $PYTHON_LINT_TOOLS
fi
# (again when its console script `trackboard` is missing: it came with the journal).
if ! .tools/venv/bin/python -c 'import trackboard, sys; sys.exit(not trackboard.__file__.startswith(sys.argv[1]))' "$TRACKBOARD_ROOT/clients/python" 2>/dev/null ||
  [ ! -x .tools/venv/bin/trackboard ]; then
  say "installing the Python client (clients/python) into .tools/venv"
  .tools/venv/bin/pip install --quiet --disable-pip-version-check -e clients/python
fi

# MLflow's own client (mlflow-skinny, PyPI), 3.x and the last 2.x, each in a venv of its
# own so their pins never meet the tools above: clients/mlflow/tests runs real MLflow
# scripts against the server with both. numpy and pandas are what `mlflow.pyfunc` imports.
# The Python client goes in too (without its dependencies: requests comes with MLflow),
# for `trackboard import mlflow`, which reads a store with MLflow's client.
install_mlflow_client() {
  local venv=$1 tools="mlflow-skinny==$2 pytest==9.2.0 numpy==2.3.5 pandas==2.3.3 tqdm==$TQDM_VERSION"
  if [ "$("$venv/bin/python" -c 'import importlib.metadata as m, pytest, numpy, pandas, tqdm; print("mlflow-skinny==" + m.version("mlflow-skinny"), "pytest==" + pytest.__version__, "numpy==" + numpy.__version__, "pandas==" + pandas.__version__, "tqdm==" + tqdm.__version__)' 2>/dev/null)" != "$tools" ]; then
    say "installing $tools from PyPI into $venv"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $tools
  fi
  if ! "$venv/bin/python" -c 'import trackboard, sys; sys.exit(not trackboard.__file__.startswith(sys.argv[1]))' "$TRACKBOARD_ROOT/clients/python" 2>/dev/null; then
    say "installing the Python client (clients/python) into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -e clients/python
  fi
}
install_mlflow_client .tools/mlflow-venv 3.7.0
install_mlflow_client .tools/mlflow2-venv 2.22.1


# npm tools pinned by package-lock.json: wasm-opt (binaryen 132) and playwright-core.
lock_digest=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.trackboard-lock-digest 2>/dev/null)" != "$lock_digest" ]; then
  say "installing npm tools from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_digest" > node_modules/.trackboard-lock-digest
fi

if ! wait "$wasm_tools"; then
  cat "$wasm_tools_log" >&2
  echo "setup: installing the WebAssembly tools failed (output above)" >&2
  exit 1
fi
grep -F 'setup:' "$wasm_tools_log" || true
rm -f "$wasm_tools_log"

# trunk builds offline, so every crate must already be here.
cargo fetch --locked >/dev/null
