# Firebreak: `make run` builds and opens the app; `make test` runs every check and test.
# Both install what a fresh Debian 12 machine lacks first (scripts/install-deps.sh).

CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)

.PHONY: run test deps deps-e2e ui ui-check build lint unit e2e bindings clean

run: deps ui
	cargo build --release -p firebreak-app
	./target/release/firebreak-app

test: deps-e2e ui-check ui lint unit e2e

deps:
	./scripts/install-deps.sh

deps-e2e:
	./scripts/install-deps.sh e2e

# The UI is built first: the desktop binary embeds ui/dist.
ui:
	cd ui && npm run build

ui-check:
	cd ui && npm run check && npm test

# One debug build serves clippy, the unit/integration tests and the end-to-end run.
lint: ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

# The seal key's keyring home is tried against a real, private GNOME Keyring (the tests marked ignore).
unit: ui
	cargo test --workspace
	./scripts/with-keyring.sh cargo test --workspace --test keyring -- --ignored --test-threads 1

e2e: ui
	cargo build --workspace
	./tests/e2e/run.sh

# Regenerates the committed TypeScript client (ui/src/lib/commands.ts) and bindings from the command declarations.
bindings: ui
	UPDATE_BINDINGS=1 cargo test -p firebreak-app typescript

clean:
	cargo clean
	rm -rf ui/dist tests/e2e/artifacts

# Figures, not tests (release build): imports 100,000 affected objects and times the table's filters and verify;
# then generates the full report of a large incident beside headless Chromium printing the same tables; then imports a
# trace of 1,000,000 steps and times the Investigation tab's pages and filters beside a full scan of the steps.
.PHONY: bench
bench: deps
	./scripts/install-deps.sh bench
	cargo build --release -p firebreak-cli
	cargo run --release -p firebreak-core --example bench_affected
	cargo run --release -p firebreak-core --example bench_report
	cargo run --release -p firebreak-core --example bench_audit
	cargo run --release -p firebreak-core --example bench_cli
	cargo run --release -p firebreak-core --example bench_trace

# Not part of `make test` (minutes, release build): writers killed with SIGKILL 200 times (lost acknowledged writes,
# partial imports, verify after each round), then the importer and the time parser fuzzed for 90 s each.
.PHONY: soak
soak: deps
	cargo build --release -p firebreak-cli
	cargo run --release -p firebreak-core --example soak
	FUZZ_SECONDS=90 cargo test --release -p firebreak-core --test fuzz_inputs -- --nocapture --test-threads 2
