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

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./generator/...

fuzz:
	@for t in FuzzSplitFrontMatter FuzzSlugify; do $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime 2m ./generator/content || exit 1; done

clean:
	rm -rf public .public.lock
