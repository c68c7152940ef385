# The two commands of the README. Both install what they need first (scripts/setup.sh).
.PHONY: run test setup stress

run: ## Build and serve the dashboard with a demo project on http://127.0.0.1:8080
	bash scripts/run.sh

test: ## Everything CI checks
	bash scripts/test.sh

setup: ## Only install the toolchain
	bash scripts/setup.sh

stress: ## Long checks kept out of `make test`: a 2 GiB artifact streamed both ways in little memory
	bash scripts/setup.sh
	cargo test --release --locked -p trackboard-server --test large_upload -- --ignored --nocapture
