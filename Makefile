# WikiGuard — `make demo` and `make test` do all the set-up on a fresh
# Debian 12 machine (as root): apt packages, the release build, the oracle.

SO        := target/release/libwikiguard.so
# wikiguard-db, built without the PHP binding in its own target dir.
CLI       := target/cli/release/wikiguard-db
PHP       ?= php
PHP_EXT   := -d extension=$(CURDIR)/$(SO)
EXT_DIR    = $(shell php-config --extension-dir)
MODS_INI  := /etc/php/8.2/mods-available/wikiguard.ini

.PHONY: all deps build cli install-cli oracle demo test bench fuzz leakcheck loadtest install uninstall lint clean

all: build

deps:
	@bash .ci/deps

build: deps
	cargo build --release
	@$(MAKE) --no-print-directory cli

# The reputation database tool (no ext-php-rs, no PHP needed to run it).
cli:
	cargo build --release --no-default-features --bin wikiguard-db --target-dir target/cli

install-cli: cli
	install -D -m 0755 $(CLI) /usr/local/bin/wikiguard-db

# The PHP code WikiGuard replaces (Debian's MediaWiki 1.39), unpacked for the
# differential tests and benchmarks.
oracle: deps
	@bash .ci/oracle build/mediawiki

demo: build
	$(CLI) build -o build/demo-reputation.mmdb tor:examples/data/reputation/tor-exits.txt examples/data/reputation/drop.txt examples/data/reputation/ipoid.jsonl
	$(PHP) $(PHP_EXT) examples/demo.php

test: build cli oracle
	@bash .ci/test-suite

# php-fpm + nginx on loopback driven by wrk, with hot database replacements
# (tests/load/run.sh; LOADTEST_SECONDS per concurrency, default 30).
loadtest: build cli
	@bash tests/load/run.sh

# Every side-by-side benchmark; rewrites the generated part of docs/benchmarks.md
# and the charts in docs/img/.
bench: build cli oracle
	@bash benches/run.sh

# Hostile input (docs/fuzzing.md): every cargo-fuzz target for FUZZ_SECONDS
# seconds each (default 20, about three minutes in all); installs
# cargo-fuzz when missing.
fuzz:
	@bash .ci/fuzz

# The PHPT suite under valgrind, then the soak script (tests/soak.php).
leakcheck: build
	@bash .ci/leakcheck

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --no-default-features --all-targets -- -D warnings

install: build
	install -D -m 0644 $(SO) $(EXT_DIR)/wikiguard.so
	printf '; WikiGuard: native anti-abuse engine for MediaWiki\n; priority=20\nextension=wikiguard.so\n' > $(MODS_INI)
	phpenmod wikiguard
	@echo "installed: $(EXT_DIR)/wikiguard.so, enabled through $(MODS_INI)"

uninstall:
	-phpdismod wikiguard
	rm -f $(MODS_INI) $(EXT_DIR)/wikiguard.so

clean:
	cargo clean
	rm -rf build
