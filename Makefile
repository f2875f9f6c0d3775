# Account Portal. `make help` lists the targets.
SHELL := /bin/bash
BIN := bin/accountportal
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X accountportal/app.version=$(VERSION)
# The binary is pure Go; only the race detector needs cgo, for tests.
export CGO_ENABLED := 0

.PHONY: help run build test test-short screenshots generate lint bench scan scan-quick fuzz clean

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

run: build ## Start the portal on http://localhost:8080 (SQLite in ./data, dev mailbox)
	./$(BIN) serve

build: ## Build the binary into bin/
	go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

test: ## Run the whole suite with -race on SQLite and PostgreSQL (and Chromium when installed)
	@[ -d tools/a11y/node_modules/axe-core ] || ! command -v npm >/dev/null || npm ci --prefix tools/a11y --no-audit --no-fund --silent
	CGO_ENABLED=1 TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -race -count=1 -timeout 50m ./...

test-short: ## Run the suite without the race detector or browser tests
	TEST_PG_REQUIRED=1 E2E_SKIP=1 bash .ci/with-postgres go test -count=1 ./...

screenshots: ## Take pictures of every page state at 1280 and 390 pixels wide into ./screenshots (needs Chromium)
	@[ -d tools/a11y/node_modules/axe-core ] || npm ci --prefix tools/a11y --no-audit --no-fund --silent
	rm -rf screenshots && mkdir -p screenshots
	E2E_REQUIRED=1 E2E_SCREENSHOTS=$(CURDIR)/screenshots go test -count=1 -run '^Test(AccessibilityOf|Browser)' ./app/web/
	@echo "$$(ls screenshots | wc -l) pictures in ./screenshots"

generate: ## Regenerate templ output
	go tool templ generate

lint: ## gofmt, go vet, staticcheck, templ output current, go mod tidy clean
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	go tool staticcheck ./...
	@go tool templ generate >/dev/null 2>&1; if ! git diff --quiet -- '*_templ.go' || [ -n "$$(git ls-files --others --exclude-standard -- '*_templ.go')" ]; then echo "templ output is stale: run make generate and commit"; git status --short -- '*_templ.go'; exit 1; fi
	go mod tidy -diff

bench: ## Run the benchmarks: hashing, session lookup, forgot-password timing, key rotation, a million-user console, the load test against a floor server
	@command -v wrk >/dev/null || { echo "installing wrk"; $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^$$' -bench . -benchmem ./app/security/ ./app/session/
	go test -run '^$$' -bench BenchmarkForgotPassword -benchtime 2000x ./app/web/
	TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^$$' -bench BenchmarkReseal10k -benchtime 3x ./app/secrets/
	BENCH_USERS=1 TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^$$' -bench BenchmarkUsersConsoleMillion -benchtime 1x -timeout 30m ./app/admin/
	BENCH_ACCOUNTS=1 TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^$$' -bench BenchmarkOperatorAccounts -benchtime 1x -timeout 30m ./app/provider/
	TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^$$' -bench BenchmarkSignedInPages ./app/web/
	TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^$$' -bench BenchmarkAPIUserRead ./app/web/
	LOAD_BENCH=1 TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^TestLoadBenchmark$$' -count=1 -v -timeout 30m ./app/

scan: ## Security scan: sqlmap (level 3) on every form and query parameter, then wapiti, against a demo portal; fails on any finding
	@command -v sqlmap >/dev/null && command -v wapiti >/dev/null || { echo "installing sqlmap and wapiti"; $(SUDO) apt-get install -y -qq sqlmap wapiti >/dev/null; }
	SCAN=1 TEST_PG_REQUIRED=1 bash .ci/with-postgres go test -run '^TestSecurityScan$$' -count=1 -v -timeout 60m ./app/web/

scan-quick: ## The quick pass CI runs: sqlmap at level 1 on the main forms
	@command -v sqlmap >/dev/null || { echo "installing sqlmap"; $(SUDO) apt-get install -y -qq sqlmap >/dev/null; }
	SCAN=quick go test -run '^TestSecurityScan$$' -count=1 -timeout 20m ./app/web/

fuzz: ## Run each fuzz target for FUZZTIME (default 30s)
	@for t in $$(grep -rhoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' . | sed 's/func //'); do \
		pkg=$$(grep -rlE "^func $$t\(" --include='*_test.go' . | head -1 | xargs dirname); \
		echo "== $$t ($$pkg)"; go test -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-30s} $$pkg || exit 1; \
	done

clean: ## Remove the binary (keeps ./data)
	rm -rf bin
