# bulletin — full-text search for Chinese government news bulletins.
GO      ?= go
BIN     := bin/bulletin
INDEX   ?= data/index
# cgo (gojieba) is required.
export CGO_ENABLED = 1

.PHONY: build run test test-short vet lint clean bench eval load fuzz opensearch opensearch-build osbench

# The version printed by `bulletin version`: the nearest tag, commits since
# and the commit (git describe), "devel" outside a git checkout.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/bulletin

# Index the built-in seeds if there is no index yet, then serve on 127.0.0.1:8080.
run: build
	./$(BIN)

# Every test: unit, golden files, real bleve indexes, real HTTP, the browser
# (chromium), the race detector on the concurrent packages, and a short fuzz run.
# The test run fuzzes for a count of inputs, not a duration: a duration-based
# -fuzztime races Go's coordinator deadline against in-flight workers and can
# fail with a bare "context deadline exceeded" on a loaded machine
# (golang/go#75804), a flake with no failing input behind it.
TEST_FUZZTIME ?= 1500x
test: lint
	$(GO) test -count=1 ./...
	$(GO) test -race -short -count=1 ./search ./search/embedded ./search/server ./search/editors ./indexer
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(TEST_FUZZTIME)

vet:
	$(GO) vet ./...

# go vet, then staticcheck at a pinned version (2026.2.2, module v0.8.2),
# fetched through the Go module proxy like any module (and verified against
# the checksum database); it is a tool, not a dependency of the product.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint: vet
	$(GO) run $(STATICCHECK) ./...

clean:
	rm -rf bin data

# Benchmark: generate BENCH_N articles (default 20000) in a temporary
# folder (removed after), measure bare gojieba (the floor), `bulletin index`
# and queries over HTTP on 127.0.0.1; one JSON line per figure on stdout.
bench: build
	$(GO) run ./cmd/bulletin-bench -n $${BENCH_N:-20000} -bin $(BIN)

# Relevance on the judged query set (testdata/eval): nDCG@10, MRR and
# zero-result rate, overall and per query type; then real-text recall
# (testdata/recall): recall, complete recall, zero-result share and
# R-precision per query length; government-document field accuracy
# (testdata/govdocs), per field.
eval:
	$(GO) run ./cmd/bulletin-eval

# Short fuzz run of every fuzzer (FUZZTIME each: a duration such as 30s, or a
# count of inputs such as 5000x; default 10s), from the seed corpora under
# each package's testdata/fuzz. A failing input is written there too: fix the
# bug, keep the input.
FUZZTIME ?= 10s
FUZZMINIMIZE ?= 200x
FUZZERS := indexer/source:FuzzSplitPage indexer/source:FuzzReadBulletin \
	indexer/source:FuzzReadHTML indexer/source:FuzzJSONLRecords indexer/source:FuzzWrittenArticle \
	indexer/source:FuzzReadPDF indexer/source:FuzzReadDOCX indexer/source:FuzzParseTSV \
	indexer/enrich:FuzzDocDate indexer/analysis:FuzzNormalize \
	indexer/analysis:FuzzIndexTokens search:FuzzParseRequest \
	search/syntax:FuzzParse indexer/govdoc:FuzzGovdoc indexer/govdoc:FuzzFindWindows indexer/dedup:FuzzNormalize \
	search/embedded:FuzzGovdocSearch
fuzz:
	@set -e; for f in $(FUZZERS); do \
		pkg=$${f%%:*}; fn=$${f##*:}; \
		echo "fuzz $$fn ($$pkg) for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) ./$$pkg; \
	done

# Load test: serve an index of the seeds plus a generated corpus on
# 127.0.0.1, LOAD_CLIENTS concurrent clients (default 32) for LOAD_SECONDS
# (default 60) twice, mixed queries, filters and bad requests; one JSON line
# per figure (throughput, p50/p99, 5xx and other errors, server RSS).
load: build
	$(GO) run ./cmd/bulletin-load -bin $(BIN)

# A local three-node OpenSearch cluster for trying `bulletin index
# --opensearch` and `serve --opensearch`: one JVM a node, started from Maven
# Central artifacts resolved by `mvn package` (deploy/opensearch), HTTP on
# 127.0.0.1:9200-9202, data in a temporary folder removed on exit; in the
# foreground until Ctrl-C or SIGTERM. Needs Java 17+ and Maven. OS_PORT and OS_HEAP
# change the first HTTP port and each node's heap.
OS_DIR  := deploy/opensearch
OS_PORT ?= 9200
OS_HEAP ?= 512m
opensearch-build:
	cd $(OS_DIR) && mvn -q -B package -DskipTests
# The recipe's shell execs java, so a SIGTERM to make (which make passes on
# to its child) reaches the launcher, whose shutdown hook stops every node.
opensearch: opensearch-build
	exec java -cp $(OS_DIR)/target/classes:$$(cat $(OS_DIR)/target/classpath.txt) \
		bulletin.opensearch.LocalCluster --nodes 3 --http $(OS_PORT) --transport $$(($(OS_PORT)+100)) --heap $(OS_HEAP)

# Embedded engine against OpenSearch clusters of 1 and 3 nodes on one
# generated corpus (OSBENCH_N articles, default 5000): indexing rate, p50/p99
# with one client, throughput with 8 clients; one JSON line per figure.
osbench: build opensearch-build
	$(GO) run ./cmd/bulletin-osbench -n $${OSBENCH_N:-5000} -bin $(BIN)
