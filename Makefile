# Loa. `make run` starts it on demo content; `make test` runs every check.
GO       ?= go
CONFIG   ?= loa.example.yaml
FUZZTIME ?= 10s
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: run test lint fuzz build bench clean

## run: the daemon on ./data/loa.db with the 2026 demo, posting to the outbox (Ctrl-C stops it)
run: build
	./bin/loa --config $(CONFIG) serve --demo

## test: vet, formatting, the race-enabled test suite and a short fuzz run
test: lint
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz FUZZTIME=$(FUZZTIME)

## lint: go vet and gofmt
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## fuzz: run each fuzz target briefly (FUZZTIME each)
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
