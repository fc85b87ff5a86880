# govlint — common tasks. `make demo` and `make test` are all a new user needs.
GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build test preflight vet demo clean fuzz accuracy bench-batch bench bench-checks screenshots

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/govlint ./cmd/govlint
	$(GO) build -o $(BIN)/fixtureserve ./cmd/fixtureserve

## test: vet and run every test with the race detector. Tests that need a real
## PostgreSQL server (Debian's postgresql-15) or a browser (Debian's chromium)
## are skipped when those are missing, and `make test` says so first.
PG_BIN ?= $(firstword $(wildcard /usr/lib/postgresql/*/bin))
test: vet preflight
	$(GO) test -race -count=1 ./...
	@# Cost-growth test: skipped under -race (the race detector distorts
	@# CPU time), so it runs once more without it.
	$(GO) test -count=1 -run '^TestChecksScaleLinearly$$' ./checks/

preflight:
	@if [ -z "$(PG_BIN)" ] || [ ! -x "$(PG_BIN)/pg_ctl" ]; then \
	  echo "######## SKIPPING PostgreSQL tests: no pg_ctl (apt-get install -y postgresql-15) ########"; fi
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "######## SKIPPING browser tests: no chromium (apt-get install -y chromium) ########"; fi
	@n=0; for e in fixtures/realpages/*.expect.yaml; do b=$$(basename $${e%.expect.yaml}).html; \
	  [ -f fixtures/realpages/$$b ] || [ -f ../shared/realpages/$$b ] || \
	  { [ -n "$$GOVLINT_REALPAGES" ] && [ -f "$$GOVLINT_REALPAGES/$$b" ]; } || n=$$((n+1)); done; \
	  if [ $$n -gt 0 ]; then echo "######## SKIPPING $$n real pages: expectation files without their page here, in ../shared/realpages or \$$GOVLINT_REALPAGES ########"; fi

vet:
	$(GO) vet ./...

## accuracy: audit every fixture site (fixtures/sites/*) and print each check's
## precision and recall against the sites' expected.yaml.
accuracy:
	$(GO) test -count=1 -v -run 'TestAccuracyOnFixtures' ./checks/

## bench: generate 5,000- and 20,000-page synthetic sites (fixtures/synth),
## serve each on 127.0.0.1, crawl it with a bare colly+goquery crawler and
## audit it with `govlint audit URL --politeness off --max-pages N` in the
## same run; print the crawl-only and whole-audit ratios (pages/s against
## colly), time per stage and per check, peak RSS and the load average.
## Not in `make test`. BENCH_SIZES=1000,3000 for a quick run (10000 too if
## you like); BENCH_FLAGS='-before old=PATH' adds an older govlint build,
## BENCH_FLAGS='-rounds 3' reports each by the median of three runs.
## Each size runs once per server latency in BENCH_LATENCIES: 0 (loopback
## speed: both crawlers CPU-bound) and 20ms (a distant server, as real
## sites are: both wait on the network).
BENCH_SIZES ?= 5000,20000
BENCH_LATENCIES ?= 0 20ms
BENCH_FLAGS ?=
bench: build
	$(GO) build -o $(BIN)/govlint-bench ./cmd/govlint-bench
	@for l in $(BENCH_LATENCIES); do \
		$(BIN)/govlint-bench -sizes $(BENCH_SIZES) -latency $$l $(BENCH_FLAGS) || exit 1; echo; \
	done

## bench-checks: each check alone on a 4,000-page synthetic model
## (GOVLINT_BENCH_PAGES to change it): BenchmarkCheck/<id>.
bench-checks:
	$(GO) test -run '^$$' -bench 'BenchmarkCheck' -benchtime 5x ./checks/

## bench-batch: batch-audit 1/50/100/200 fixture sites on 127.0.0.1 (GOMAXPROCS=2),
## print sites/hour and peak RSS as ratios against the one-site run; then 200 sites
## with 100 ms latency per answer, politeness on, by 1, 2 and 4 `govlint worker`
## processes on one real PostgreSQL and by one SQLite batch with as many sites in
## flight, as ratios against one worker. Not in `make test`.
bench-batch:
	GOVLINT_BENCH_BATCH=1 $(GO) test -count=1 -v -timeout 60m -run '^TestBenchBatch$$' ./internal/batch/
	GOVLINT_BENCH_BATCH=1 $(GO) test -count=1 -v -timeout 90m -run '^TestBenchQueue$$' ./cmd/govlint/

## screenshots: build a two-batch history over the fixture sites on 127.0.0.1,
## open each `govlint serve` page in headless Chromium at 1366×768 and write
## docs/dashboard-*.png (committed; the README shows them).
screenshots:
	mkdir -p docs
	GOVLINT_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -v -run '^TestScreenshots$$' ./internal/dashboard/

## demo: serve the bundled flawed finance-bureau site on 127.0.0.1, audit it,
## write demo-out/report.json and demo-out/snapshot.warc.gz, print the report.
demo: build
	bash scripts/demo.sh

## fuzz: run every fuzz target for FUZZTIME each (not part of `make test`).
## Crashers are saved under the package's testdata/fuzz/ and then run as
## regression cases by `make test`.
FUZZTIME ?= 20s
FUZZ_TARGETS := \
	./internal/site:FuzzCanonicalURL \
	./internal/htmlread:FuzzDecode \
	./internal/extract:FuzzPage \
	./internal/htmlread:FuzzParseDate \
	./internal/htmlread:FuzzCollapse \
	./internal/htmlread:FuzzStripMarkup \
	./internal/snapshot:FuzzRead \
	./internal/config:FuzzParse \
	./internal/attach:FuzzExtract
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== $$name ($$pkg)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s $$pkg; \
	done

clean:
	rm -rf $(BIN) demo-out
