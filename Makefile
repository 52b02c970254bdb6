# bulletin — full-text search for Chinese government news bulletins.
GO      ?= go
BIN     := bin/bulletin
INDEX   ?= data/index
# cgo (gojieba) is required.
export CGO_ENABLED = 1

.PHONY: build run test test-short vet clean bench eval load fuzz

build:
	$(GO) build -o $(BIN) ./cmd/bulletin

# Index the built-in seeds if there is no index yet, then serve on 127.0.0.1:8080.
run: build
	./$(BIN)

# Every test: unit, golden files, real bleve indexes, real HTTP, the browser
# (chromium), the race detector on the concurrent packages, and a short fuzz run.
test: vet
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf bin data

# Benchmark (SPEC §8): generate BENCH_N articles (default 20000) in a temporary
# folder (removed after), measure bare gojieba (the floor), `bulletin index`
# and queries over HTTP on 127.0.0.1; one JSON line per figure on stdout.
bench: build
	$(GO) run ./cmd/bulletin-bench -n $${BENCH_N:-20000} -bin $(BIN)

# Relevance on the judged query set (testdata/eval): nDCG@10, MRR and
# zero-result rate, overall and per query type.
eval:
	$(GO) run ./cmd/bulletin-eval
