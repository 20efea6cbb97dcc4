# kennisbank: make serve (write with the site open), make build, make test.
GO ?= go
STATICCHECK_VERSION ?= v0.8.2

.PHONY: serve build test lint bench fuzz clean

serve:
	$(GO) run ./cmd/kennisbank serve

build:
	$(GO) run ./cmd/kennisbank build

# Everything CI runs. Browser tests need Chromium (apt-get install -y chromium);
# with CI=true a missing Chromium fails them instead of skipping.
test: lint
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) run ./cmd/kennisbank check

lint:
	@test -z "$$(gofmt -l cmd generator themes)" || (gofmt -l cmd generator themes; echo "gofmt: run gofmt -w on the files above"; exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# Benchmarks: each stage of the build (go test -bench, on a 1,000-page
# corpus; KB_BENCH_PAGES=10000 for more), then kbbench: kennisbank, Hugo
# and goldmark alone (the limit) on 1,000 and 10,000 pages, medians of
# BENCH_RUNS alternating runs, and a cold build of BENCH_BIG pages against
# the 2 GiB memory target. Hugo comes from the Debian package.
BENCH_RUNS ?= 5
BENCH_SIZES ?= 1000,10000
# A cold build of this many pages, kennisbank alone, against 2 GiB (0: skip).
BENCH_BIG ?= 50000
bench:
	@command -v hugo >/dev/null 2>&1 || { echo "hugo not found: installing it with apt-get"; \
		$$(command -v sudo) apt-get update && $$(command -v sudo) apt-get install -y hugo; }
	@echo "using $$(hugo version)"
	$(GO) test -short -run '^$$' -bench . -benchmem -count 5 ./generator/...
	$(GO) run ./cmd/kbbench -runs $(BENCH_RUNS) -sizes $(BENCH_SIZES) -big $(BENCH_BIG)

fuzz:
	@for t in FuzzSplitFrontMatter FuzzSlugify; do $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime 2m ./generator/content || exit 1; done

clean:
	rm -rf public .public.lock
