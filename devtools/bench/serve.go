package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// The server under test: `bulletin serve` as a subprocess on a loopback port.

// serveProc is a running `bulletin serve`.
type serveProc struct {
	cmd    *exec.Cmd
	base   string
	log    *os.File
	exited <-chan error
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func startServer(ctx context.Context, bin, indexDir, logPath string, want int, extra ...string) (*serveProc, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(bin, append([]string{"serve", "--index", indexDir, "--addr", addr}, extra...)...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	t := time.Now()
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, 0, err
	}
	s := &serveProc{cmd: cmd, base: "http://" + addr, log: lf}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{Proxy: nil}}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return nil, 0, fmt.Errorf("bench: serve exited: %v (log %s)", err, logPath)
		case <-ctx.Done():
			s.stop(exited)
			return nil, 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := client.Get(s.base + "/healthz")
		if err != nil {
			continue
		}
		var h struct {
			Status    string `json:"status"`
			Documents int    `json:"documents"`
		}
		json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		if resp.StatusCode == 200 && h.Status == "ok" {
			if h.Documents != want {
				s.stop(exited)
				return nil, 0, fmt.Errorf("bench: server has %d documents, want %d", h.Documents, want)
			}
			s.exited = exited
			return s, time.Since(t), nil
		}
	}
	s.stop(exited)
	return nil, 0, errors.New("bench: server not ready after 3 minutes")
}

// stop ends the server process this run started (by its pid): SIGTERM,
// then SIGKILL if it has not exited within 15 s.
func (s *serveProc) stop(exited <-chan error) {
	if exited == nil {
		exited = s.exited
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-exited
	}
	s.log.Close()
}
