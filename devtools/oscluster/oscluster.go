package oscluster

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Cluster is a running local cluster.
//
// Concurrency: Kill and URLs are safe for concurrent use.
type Cluster struct {
	mu    sync.Mutex
	nodes []*node
}

type node struct {
	name   string
	http   int
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has ended
	dead   bool
}

// URLs returns the HTTP address of every node that was started (killed
// ones included: a client must cope with them).
func (c *Cluster) URLs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, n := range c.nodes {
		out = append(out, fmt.Sprintf("http://127.0.0.1:%d", n.http))
	}
	return out
}

// Kill kills node i with SIGKILL and waits for the process to end.
func (c *Cluster) Kill(i int) {
	c.mu.Lock()
	n := c.nodes[i]
	c.mu.Unlock()
	if n.dead {
		return
	}
	n.dead = true
	_ = syscall.Kill(-n.cmd.Process.Pid, syscall.SIGKILL)
	<-n.exited
}

// repoRoot finds the module root (the folder holding go.mod) above the
// working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = up
	}
}

// unavailable skips the test, or fails it under CI.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("OpenSearch cluster unavailable under CI: %s", msg)
	}
	t.Skipf("SKIP (OpenSearch cluster unavailable): %s — install Java 17 and Maven, run `make opensearch-build`", msg)
}

var buildOnce sync.Once
var buildErr error

// ClasspathOf returns the java classpath of the local node launcher,
// building it with Maven (once a process) when it is missing.
func ClasspathOf() (string, error) {
	for _, tool := range []string{"java", "mvn"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("%s is not installed", tool)
		}
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	mod := filepath.Join(root, "deploy", "opensearch")
	cpFile := filepath.Join(mod, "target", "classpath.txt")
	buildOnce.Do(func() {
		if _, err := os.Stat(cpFile); err == nil && !stale(mod) {
			return
		}
		// Test binaries run at once (go test ./...): one builds, the
		// others wait for it (a lock on the module's pom.xml) and see
		// the classes fresh.
		if lf, err := os.Open(filepath.Join(mod, "pom.xml")); err == nil {
			defer lf.Close()
			if syscall.Flock(int(lf.Fd()), syscall.LOCK_EX) == nil {
				defer syscall.Flock(int(lf.Fd()), syscall.LOCK_UN)
			}
			if _, err := os.Stat(cpFile); err == nil && !stale(mod) {
				return
			}
		}
		cmd := exec.Command("mvn", "-q", "-B", "package", "-DskipTests")
		cmd.Dir = mod
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("mvn package in %s: %w\n%s", mod, err, out)
		}
	})
	if buildErr != nil {
		return "", buildErr
	}
	raw, err := os.ReadFile(cpFile)
	if err != nil {
		return "", err
	}
	return filepath.Join(mod, "target", "classes") + string(os.PathListSeparator) + strings.TrimSpace(string(raw)), nil
}

// stale reports whether the launcher's classes are missing or older than
// a Java source of the module (a checkout that changed LocalNode, say):
// mvn package then compiles them again.
func stale(mod string) bool {
	cls := filepath.Join(mod, "target", "classes", "bulletin", "opensearch", "LocalNode.class")
	st, err := os.Stat(cls)
	if err != nil {
		return true
	}
	newer := false
	filepath.WalkDir(filepath.Join(mod, "src"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil && fi.ModTime().After(st.ModTime()) {
				newer = true
			}
		}
		return nil
	})
	return newer
}

// Classpath is ClasspathOf for a test: it skips (or, under CI, fails) when
// the launcher cannot be built.
func Classpath(t testing.TB) string {
	t.Helper()
	cp, err := ClasspathOf()
	if err != nil {
		unavailable(t, "%v", err)
	}
	return cp
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports, nil
}

// Start starts an n-node cluster for a test and waits until it is green
// with n nodes (at most 3 minutes: the machine may be busy). The cluster is
// killed when the test ends.
func Start(t testing.TB, n int) *Cluster { return StartWith(t, n, nil) }

// StartWith is Start with node settings added (KEY=VALUE), e.g. a tiny
// write thread pool ("thread_pool.write.queue_size=1") so that the cluster
// itself refuses writes with 429 under load.
func StartWith(t testing.TB, n int, settings []string) *Cluster {
	t.Helper()
	cp := Classpath(t)
	// C1 only: the nodes start faster and a test's few queries do not
	// need the optimising compiler.
	c, err := launch(context.Background(), cp, n, t.TempDir(), "384m", settings, "-XX:TieredStopAtLevel=1")
	if c != nil {
		t.Cleanup(c.Stop)
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Launch starts n nodes with their data under home and each node's heap at
// most heap (e.g. "512m"), java options jvm added, and waits until the
// cluster is green with n nodes (at most 3 minutes). The returned cluster,
// even with an error, must be stopped.
func Launch(ctx context.Context, cp string, n int, home, heap string, jvm ...string) (*Cluster, error) {
	return launch(ctx, cp, n, home, heap, nil, jvm...)
}

func launch(ctx context.Context, cp string, n int, home, heap string, settings []string, jvm ...string) (*Cluster, error) {
	ports, err := freePorts(2 * n)
	if err != nil {
		return nil, err
	}
	var seeds, masters []string
	for i := 0; i < n; i++ {
		seeds = append(seeds, strconv.Itoa(ports[n+i]))
		masters = append(masters, fmt.Sprintf("node-%d", i))
	}
	c := &Cluster{}
	for i := 0; i < n; i++ {
		name := masters[i]
		args := append([]string{"-Xms128m", "-Xmx" + heap, "-XX:+UseSerialGC"}, jvm...)
		cmd := exec.Command("java", append(args,
			"-Dbulletin.node="+name, "-cp", cp, "bulletin.opensearch.LocalNode",
			"--name", name, "--home", filepath.Join(home, name),
			"--http", strconv.Itoa(ports[i]), "--transport", strconv.Itoa(ports[n+i]),
			"--seeds", strings.Join(seeds, ","), "--masters", strings.Join(masters, ","),
			"--cluster", "bulletin-test")...)
		for _, kv := range settings {
			cmd.Args = append(cmd.Args, "--setting", kv)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
		logf, err := os.Create(filepath.Join(home, name+".log"))
		if err != nil {
			return c, err
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		err = cmd.Start()
		logf.Close()
		if err != nil {
			return c, fmt.Errorf("start java: %w", err)
		}
		nd := &node{name: name, http: ports[i], cmd: cmd, exited: make(chan struct{})}
		go func() { _ = cmd.Wait(); close(nd.exited) }()
		c.mu.Lock()
		c.nodes = append(c.nodes, nd)
		c.mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	url := fmt.Sprintf("http://127.0.0.1:%d/_cluster/health?wait_for_status=green&wait_for_nodes=%d&timeout=5s", ports[0], n)
	for {
		if ctx.Err() != nil {
			return c, fmt.Errorf("OpenSearch cluster of %d nodes not green within 3 minutes; logs:\n%s", n, tails(home, masters))
		}
		for _, nd := range c.nodes {
			select {
			case <-nd.exited:
				return c, fmt.Errorf("node %s exited: %s", nd.name, tails(home, masters))
			default:
			}
		}
		var h struct {
			Status   string `json:"status"`
			Nodes    int    `json:"number_of_nodes"`
			TimedOut bool   `json:"timed_out"`
		}
		if err := getJSON(ctx, url, &h); err == nil && h.Status == "green" && h.Nodes == n && !h.TimedOut {
			return c, nil
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// Stop kills every node.
func (c *Cluster) Stop() {
	c.mu.Lock()
	n := len(c.nodes)
	c.mu.Unlock()
	for i := 0; i < n; i++ {
		c.Kill(i)
	}
}

func getJSON(ctx context.Context, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// tails returns the last lines of each node's log.
func tails(home string, names []string) string {
	var b strings.Builder
	for _, n := range names {
		f, err := os.Open(filepath.Join(home, n+".log"))
		if err != nil {
			continue
		}
		var lines []string
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
		if len(lines) > 30 {
			lines = lines[len(lines)-30:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", n, strings.Join(lines, "\n"))
	}
	return b.String()
}
