package oscluster

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeOpenSearchStopsOnSIGTERM starts the local cluster the way a user
// does (`make opensearch`), sends SIGTERM to make alone (as a supervisor or
// `kill PID` does, not the terminal's Ctrl-C to the whole process group),
// and checks that every process make started has ended and every port of
// the cluster is closed soon after.
func TestMakeOpenSearchStopsOnSIGTERM(t *testing.T) {
	Classpath(t) // builds the launcher, or skips without java and mvn
	if _, err := exec.LookPath("make"); err != nil {
		unavailable(t, "make is not installed")
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	port, err := freeBlock()
	if err != nil {
		t.Fatal(err)
	}
	var ports []int
	for i := 0; i < 3; i++ {
		ports = append(ports, port+i, port+100+i)
	}
	logPath := filepath.Join(t.TempDir(), "make.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	mk := exec.Command("make", "--no-print-directory", "opensearch", "OS_PORT="+strconv.Itoa(port), "OS_HEAP=384m")
	mk.Dir = root
	mk.Stdout, mk.Stderr = logf, logf
	// A group of its own, so that whatever is left can be found, and killed
	// at the end; the signal under test goes to make's pid only.
	mk.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := mk.Start(); err != nil {
		t.Fatal(err)
	}
	group := mk.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- mk.Wait() }()
	t.Cleanup(func() { _ = syscall.Kill(-group, syscall.SIGKILL) })
	logTail := func() string { b, _ := os.ReadFile(logPath); return tail(string(b), 40) }

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	health := fmt.Sprintf("http://127.0.0.1:%d/_cluster/health?wait_for_nodes=3&timeout=5s", port)
	for {
		var h struct {
			Nodes    int  `json:"number_of_nodes"`
			TimedOut bool `json:"timed_out"`
		}
		if err := getJSON(ctx, health, &h); err == nil && h.Nodes == 3 && !h.TimedOut {
			break
		}
		select {
		case err := <-exited:
			t.Fatalf("make opensearch ended before the cluster was up (%v):\n%s", err, logTail())
		case <-ctx.Done():
			t.Fatalf("make opensearch: no 3-node cluster on port %d within 4 minutes:\n%s", port, logTail())
		case <-time.After(time.Second):
		}
	}
	if n := len(groupProcs(group)); n < 4 {
		t.Fatalf("make opensearch runs %d processes, want make, the launcher and 3 nodes", n)
	}

	start := time.Now()
	if err := syscall.Kill(group, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	const limit = 30 * time.Second
	for {
		left, open := groupProcs(group), openPorts(ports)
		if len(left) == 0 && len(open) == 0 {
			t.Logf("make and the 3 nodes stopped %.1f s after SIGTERM to make", time.Since(start).Seconds())
			return
		}
		if time.Since(start) > limit {
			t.Fatalf("%v after SIGTERM to make: processes left %v, ports still open %v\n%s", limit, left, open, logTail())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// freeBlock returns a port P such that P..P+2 and P+100..P+102, the HTTP
// and transport ports of `make opensearch OS_PORT=P`, are free on 127.0.0.1.
func freeBlock() (int, error) {
	for try := 0; try < 50; try++ {
		ps, err := freePorts(1)
		if err != nil {
			return 0, err
		}
		p := ps[0]
		if p+102 > 65535 {
			continue
		}
		ok := true
		var held []net.Listener
		for _, q := range []int{p, p + 1, p + 2, p + 100, p + 101, p + 102} {
			l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(q))
			if err != nil {
				ok = false
				break
			}
			held = append(held, l)
		}
		for _, l := range held {
			l.Close()
		}
		if ok {
			return p, nil
		}
	}
	return 0, fmt.Errorf("no block of free ports found")
}

// groupProcs lists the live processes of process group pgid (zombies
// excluded: they hold no port and no memory).
func groupProcs(pgid int) []string {
	ents, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, so read
		// after its closing parenthesis.
		s := string(stat)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 || f[0] == "Z" || f[2] != strconv.Itoa(pgid) {
			continue
		}
		out = append(out, fmt.Sprintf("%d %s", pid, s[strings.IndexByte(s, '(')+1:i]))
	}
	return out
}

// openPorts lists the ports that still accept a connection on 127.0.0.1.
func openPorts(ports []int) []int {
	var open []int
	for _, p := range ports {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(p), 200*time.Millisecond)
		if err == nil {
			c.Close()
			open = append(open, p)
		}
	}
	return open
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
