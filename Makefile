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
