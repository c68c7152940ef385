# The two commands of the README. Both install what they need first (scripts/setup.sh).
.PHONY: run test setup stress bench

run: ## Build and serve the dashboard with a demo project on http://127.0.0.1:8080
	bash scripts/run.sh

test: ## Everything CI checks
	bash scripts/test.sh

setup: ## Only install the toolchain
	bash scripts/setup.sh

stress: ## Long checks kept out of `make test`: a 2 GiB artifact streamed both ways in little memory
	bash scripts/setup.sh
	cargo test --release --locked -p trackboard-server --test large_upload -- --ignored --nocapture

bench: ## Performance figures (issue 5) of the release build, written into BENCHMARKS.md
	bash scripts/setup.sh
	cargo build --release --locked -p trackboard-server
	bash -c 'source scripts/env.sh && trunk build --release'
	TRACKBOARD_SERVER_BIN=target/release/trackboard-server node scripts/bench.mjs
