# govlint — common tasks. `make demo` and `make test` are all a new user needs.
GO      ?= go
BIN     := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build test vet demo clean fuzz

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/govlint ./cmd/govlint
	$(GO) build -o $(BIN)/fixtureserve ./cmd/fixtureserve

## test: vet and run every test with the race detector.
test: vet
	$(GO) test -race -count=1 ./...

vet:
	$(GO) vet ./...

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
	./internal/extract:FuzzDecode \
	./internal/extract:FuzzPage \
	./internal/extract:FuzzParseDate \
	./internal/snapshot:FuzzRead
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== $$name ($$pkg)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s $$pkg; \
	done

clean:
	rm -rf $(BIN) demo-out
