# The two commands of the README. Both install what they need first (scripts/setup.sh).
.PHONY: run test setup dashboard stress bench

run: ## Build and serve the dashboard with a demo project on http://127.0.0.1:8080
	bash scripts/run.sh

test: ## Everything CI checks
	bash scripts/test.sh

setup: ## Only install the toolchain
	bash scripts/setup.sh

dashboard: ## The dashboard's static directory for a CDN: make dashboard API_URL=https://tracking.example.com [OUT=dist]
	bash scripts/setup.sh
	bash scripts/build_dashboard.sh "$(API_URL)" "$(or $(OUT),dist)"

stress: ## Long checks kept out of `make test`: a 2 GiB artifact streamed both ways in little memory
	bash scripts/setup.sh
	cargo test --release --locked -p trackboard-server --test large_upload -- --ignored --nocapture

bench: ## Performance figures of the release build (server, dashboard, Python client vs MLflow), written into BENCHMARKS.md
	bash scripts/setup.sh
	bash scripts/bench_tools.sh
	cargo build --release --locked -p trackboard-server
	bash scripts/build_dashboard.sh
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_first_visit.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_review.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_sweep_page.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_grouped_page.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_snapshot.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench_asset_browser.mjs
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server .tools/venv/bin/python scripts/bench_client.py
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server .tools/bench-venv/bin/python scripts/bench_mlflow_api.py
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server .tools/bench-venv/bin/python scripts/bench_search.py
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server .tools/venv/bin/python scripts/bench_groups.py
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server .tools/venv/bin/python scripts/bench_long_series.py
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server .tools/venv/bin/python scripts/bench_imports.py
	cargo run --release --locked -p trackboard-server --example bench_coco
