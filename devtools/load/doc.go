// Package load runs a bounded load test of `bulletin serve` on loopback
// (`make load`): it indexes the seeds plus a generated corpus (or reuses
// that index), starts the real server binary on 127.0.0.1, runs concurrent
// clients with a mix of queries, filters, suggestions, article reads and bad
// requests for a fixed time, several runs in a row, and prints one JSON line
// per figure: throughput, latency p50/p99, 5xx and other errors, and the
// server's resident memory before and after each run.
package load
