# Loa. `make run` starts it on demo content; `make test` runs every check.
GO       ?= go
CONFIG   ?= loa.example.yaml
FUZZTIME ?= 60s
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

NFPM     ?= github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
LDFLAGS  := -s -w -X main.version=$(VERSION)
# A Debian version starts with a digit: v1.2.0 → 1.2.0, v1.2.0-3-gabc → 1.2.0+3+gabc,
# an untagged abc1234 → 0~gitabc1234.
DEB_VERSION = $(shell echo $(VERSION) | sed -e 's/^v//' -e 's/-/+/g' -e '/^[0-9][0-9]*\./!s/^/0~git/')

.PHONY: run test lint fuzz build bench clean install release smoke

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

## install: on a Debian server, as root: the binary, the systemd unit, the
## loa user and /etc/loa/loa.yaml (kept when it exists). The .deb from
## `make release` does the same with apt.
install: build
	install -m 0755 bin/loa /usr/bin/loa
	install -m 0644 packaging/loa.service /lib/systemd/system/loa.service
	install -d -m 0750 /etc/loa
	[ -e /etc/loa/loa.yaml ] || install -m 0640 packaging/loa.yaml /etc/loa/loa.yaml
	install -d /usr/share/doc/loa && install -m 0644 README.md loa.example.yaml packaging/Caddyfile /usr/share/doc/loa/
	sh packaging/postinstall.sh

## release: loa for linux/amd64, linux/arm64 (Debian's aarch64 cross
## compiler) and windows/amd64 (mingw-w64), the two .debs, SHA256SUMS, in
## dist/; then the smoke test. Needs gcc-aarch64-linux-gnu and
## gcc-mingw-w64-x86-64 (apt-get install).
release:
	rm -rf dist && mkdir -p dist
	CGO_ENABLED=1 GOOS=linux GOARCH=amd64 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/loa-linux-amd64 ./cmd/loa
	CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/loa-linux-arm64 ./cmd/loa
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o dist/loa-windows-amd64.exe ./cmd/loa
	mkdir -p dist/pkg
	for arch in amd64 arm64; do \
		cp dist/loa-linux-$$arch dist/pkg/loa && ARCH=$$arch VERSION=$(DEB_VERSION) $(GO) run $(NFPM) package --config packaging/nfpm.yaml --packager deb --target dist/ || exit 1; \
	done
	rm -rf dist/pkg
	cd dist && sha256sum loa-* *.deb > SHA256SUMS
	$(MAKE) smoke

## smoke: run each release binary this machine can: amd64 natively, arm64
## under qemu-user (qemu-user, libc6-arm64-cross), windows under wine.
smoke:
	sh packaging/smoke.sh dist

clean:
	rm -rf bin data dist
