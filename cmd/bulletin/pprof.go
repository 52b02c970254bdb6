package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// startPprof serves net/http/pprof on the loopback address named by
// $BULLETIN_PPROF (e.g. 127.0.0.1:6060), for profiling a running server
// (query latency while writes stream in). It is off unless the
// variable is set and refuses any address that is not loopback.
func startPprof(log *slog.Logger) error {
	addr := os.Getenv("BULLETIN_PPROF")
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("BULLETIN_PPROF=%q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("BULLETIN_PPROF=%q: only a loopback address is allowed", addr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("BULLETIN_PPROF: %w", err)
	}
	log.Info("profiling on loopback", "addr", ln.Addr().String())
	go http.Serve(ln, mux)
	return nil
}
