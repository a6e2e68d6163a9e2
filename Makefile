# Loa. `make run` starts it on demo content; `make test` runs every check.
GO       ?= go
CONFIG   ?= loa.example.yaml
FUZZTIME ?= 60s
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: run test lint fuzz build bench clean

## run: the daemon on ./data/loa.db with the 2026 demo, posting to the outbox (Ctrl-C stops it)
run: build
	./bin/loa --config $(CONFIG) serve --demo

## test: vet, formatting, staticcheck and the race-enabled test suite. The
## fuzz targets run on their seed corpus (testdata/fuzz) and on a fixed set
## of mutations (Test*Mutations), so a run never depends on a fuzzer's luck;
## open-ended fuzzing is `make fuzz`.
test: lint
	$(GO) test -race -count=1 ./...

## lint: go vet, gofmt and staticcheck (pinned, run through the module proxy)
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## fuzz: run each fuzz target for FUZZTIME; a failing input is saved under
## testdata/fuzz: fix the bug and keep the input as a seed
fuzz:
	$(GO) test ./content -run '^$$' -fuzz '^FuzzParseFile$$' -fuzztime $(FUZZTIME)
	$(GO) test ./content -run '^$$' -fuzz '^FuzzSplit$$' -fuzztime $(FUZZTIME)

## build: the loa binary in ./bin
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/loa ./cmd/loa

## bench: the benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin data
