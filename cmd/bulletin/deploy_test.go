package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The systemd files of deploy/, checked by doing what systemd does with
// them under a temporary root folder: the install steps the unit's
// comment lists, the index service, the server's ExecStartPre and
// ExecStart with the variables of bulletin.flags. Every folder they name
// must exist when the command that needs it runs, and the server must come
// up and follow its watched folder.

const deployDir = "../../deploy"

// unit is a systemd unit file: section → key → values (in order).
type unit map[string]map[string][]string

func readUnit(t *testing.T, name string) unit {
	t.Helper()
	f, err := os.Open(filepath.Join(deployDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u, sec := unit{}, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			sec = strings.Trim(line, "[]")
			u[sec] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || sec == "" {
				t.Fatalf("%s: bad line %q", name, line)
			}
			u[sec][strings.TrimSpace(k)] = append(u[sec][strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return u
}

func (u unit) one(t *testing.T, sec, key string) string {
	t.Helper()
	if vs := u[sec][key]; len(vs) == 1 {
		return vs[0]
	}
	t.Fatalf("[%s] %s: want one value, have %q", sec, key, u[sec][key])
	return ""
}

// readFlags reads an EnvironmentFile: KEY=VALUE lines, # comments.
func readFlags(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(deployDir, "bulletin.flags"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("bulletin.flags: bad line %q", line)
		}
		env[k] = v
	}
	return env
}

var reVar = regexp.MustCompile(`\$\{(\w+)\}|\$(\w+)`)

// command expands an Exec line as systemd does (${X}: one word; $X: split
// at spaces), without its prefixes (+, -, @, !, :), with every absolute
// path moved under root.
func command(t *testing.T, line string, env map[string]string, root string) []string {
	t.Helper()
	line = strings.TrimLeft(line, "+-@!:")
	var argv []string
	for _, w := range strings.Fields(line) {
		if m := reVar.FindStringSubmatch(w); m != nil && m[0] == w {
			name := m[1] + m[2]
			v, ok := env[name]
			if !ok {
				t.Fatalf("%q uses $%s, which bulletin.flags does not set", line, name)
			}
			if m[1] != "" {
				argv = append(argv, v)
			} else {
				argv = append(argv, strings.Fields(v)...)
			}
			continue
		}
		if strings.Contains(w, "$") {
			t.Fatalf("%q: a variable inside a word", line)
		}
		argv = append(argv, w)
	}
	for i, a := range argv {
		if i > 0 && strings.HasPrefix(a, "/") {
			argv[i] = filepath.Join(root, a)
		}
	}
	return argv
}

// flagValues returns the values of a flag (--name V) in argv.
func flagValues(argv []string, name string) []string {
	var out []string
	for i := 0; i+1 < len(argv); i++ {
		if argv[i] == name {
			out = append(out, argv[i+1])
		}
	}
	return out
}

func TestDeployUnits(t *testing.T) {
	srv, idx, timer := readUnit(t, "bulletin.service"), readUnit(t, "bulletin-index.service"), readUnit(t, "bulletin-index.timer")
	env := readFlags(t)
	env["BULLETIN_ADDR"] = "127.0.0.1:0"
	root := t.TempDir()

	// The index runs as the server's user, from the timer.
	if u, iu := srv.one(t, "Service", "User"), idx.one(t, "Service", "User"); u != iu || u == "root" {
		t.Errorf("bulletin-index.service runs as %q, the server as %q: want the same user, not root", iu, u)
	}
	if srv["Unit"]["StartLimitBurst"] == nil || srv["Unit"]["StartLimitIntervalSec"] == nil {
		t.Error("bulletin.service: a server that cannot start must not be restarted forever (StartLimitBurst, StartLimitIntervalSec)")
	}
	if timer.one(t, "Timer", "OnCalendar") == "" || timer.one(t, "Install", "WantedBy") != "timers.target" {
		t.Error("bulletin-index.timer: want OnCalendar and WantedBy=timers.target")
	}
	if u, ok := timer["Timer"]["Unit"]; ok && u[0] != "bulletin-index.service" {
		t.Errorf("the timer starts %q", u)
	}

	// What systemd makes: the state folder, for both services.
	for name, u := range map[string]unit{"bulletin.service": srv, "bulletin-index.service": idx} {
		sd := u.one(t, "Service", "StateDirectory")
		if !strings.HasPrefix(env["BULLETIN_INDEX"], "/var/lib/"+sd+"/") {
			t.Errorf("%s: BULLETIN_INDEX %s is not inside StateDirectory %s", name, env["BULLETIN_INDEX"], sd)
		}
		os.MkdirAll(filepath.Join(root, "var/lib", sd), 0o750)
	}
	// What the install steps make: /etc/bulletin with the keys, the sources.
	os.MkdirAll(filepath.Join(root, "etc/bulletin"), 0o755)
	os.WriteFile(filepath.Join(root, "etc/bulletin/write-keys"), []byte(testKey+"\n"), 0o640)
	for _, src := range strings.Fields(env["BULLETIN_SOURCES"]) {
		dst := filepath.Join(root, src)
		os.MkdirAll(dst, 0o755)
		for _, name := range []string{"000_270e88606a5143bb.txt", "003_c5e2f914036a15d8.txt"} {
			b, err := os.ReadFile(filepath.Join("..", "..", "seeds", name))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dst, name), b, 0o644)
		}
	}

	// The first index (systemctl start bulletin-index).
	argv := command(t, idx.one(t, "Service", "ExecStart"), env, root)
	if argv[0] != "/usr/local/bin/bulletin" || argv[1] != "index" {
		t.Fatalf("bulletin-index.service runs %q", argv)
	}
	var errb strings.Builder
	if code := run(context.Background(), argv[1:], io.Discard, &errb); code != 0 {
		t.Fatalf("%q: exit %d\n%s", argv, code, errb.String())
	}

	// The server: ExecStartPre, then every folder ExecStart names is there.
	for _, line := range srv["Service"]["ExecStartPre"] {
		pre := command(t, line, env, root)
		if out, err := exec.Command(pre[0], pre[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("ExecStartPre %q: %v\n%s", pre, err, out)
		}
	}
	argv = command(t, srv.one(t, "Service", "ExecStart"), env, root)
	if argv[1] != "serve" {
		t.Fatalf("bulletin.service runs %q", argv)
	}
	watched := flagValues(argv, "--watch")
	if len(watched) == 0 {
		t.Fatal("the server follows no folder: the test has nothing to check")
	}
	for _, dir := range append(watched, flagValues(argv, "--index")...) {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			t.Errorf("ExecStart names %s, which nothing made before the start (%v)", strings.TrimPrefix(dir, root), err)
		}
	}
	for _, f := range flagValues(argv, "--write-keys") {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("--write-keys %s: %v", strings.TrimPrefix(f, root), err)
		}
	}

	base := startServe(t, argv[1:], io.Discard)
	if a := call(t, "GET", base+"/healthz", "", ""); a.status != 200 {
		t.Fatalf("/healthz: %d %s", a.status, a.raw)
	}
	// The watched folder is followed.
	os.WriteFile(filepath.Join(watched[0], "new.jsonl"), []byte(`{"id":"w-1","title":"延庆区世园公园举办花卉展","body":"延庆区世园公园举办春季花卉展。"}`+"\n"), 0o644)
	if !within(10*time.Second, func() bool {
		r := searchResp(t, base, "q="+url.QueryEscape("世园公园花卉展"))
		return len(r.Hits) > 0 && r.Hits[0].ID == "w-1"
	}) {
		t.Error("a file dropped into the watched folder was not indexed")
	}
	if a := call(t, "PUT", base+"/api/articles/k-1", testKey, `{"title":"延庆区八达岭长城夜游","body":"延庆区八达岭长城推出夜游。"}`); a.status != http.StatusOK {
		t.Errorf("a write with the key of /etc/bulletin/write-keys: %d %s", a.status, a.raw)
	}
}

// startServe runs `bulletin ARGS` (a serve) until the test ends and
// returns the server's base URL.
func startServe(t *testing.T, args []string, stderr io.Writer) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, args, pw, stderr)
		pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	})
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if _, after, ok := strings.Cut(lines.Text(), " at "); ok {
			go io.Copy(io.Discard, pr)
			return strings.TrimSuffix(strings.TrimSpace(after), "/")
		}
	}
	t.Fatal("serve did not say where it listens")
	return ""
}

// lockedBuffer is a strings.Builder safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeMakesWatchFolder: a --watch folder that does not exist yet is
// made (with a line in the log), not a reason for serve to stop.
func TestServeMakesWatchFolder(t *testing.T) {
	dir := seedIndex(t)
	missing := filepath.Join(t.TempDir(), "incoming", "today")
	var logs lockedBuffer
	base := startServe(t, []string{"serve", "--index", dir, "--addr", "127.0.0.1:0", "--watch", missing}, &logs)
	if st, err := os.Stat(missing); err != nil || !st.IsDir() {
		t.Fatalf("the watch folder was not made: %v", err)
	}
	if !strings.Contains(logs.String(), "did not exist") || !strings.Contains(logs.String(), missing) {
		t.Errorf("no log line about the folder made:\n%s", logs.String())
	}
	os.WriteFile(filepath.Join(missing, "a.jsonl"), []byte(`{"id":"m-1","title":"大兴区西红门镇新建口袋公园","body":"大兴区西红门镇新建口袋公园。"}`+"\n"), 0o644)
	if !within(10*time.Second, func() bool {
		return call(t, "GET", base+"/api/articles/m-1", "", "").status == 200
	}) {
		t.Error("a file in the folder made was not indexed")
	}
}

// TestDeployUnitsVerify runs systemd-analyze verify on the units (the
// binary's path replaced by one that exists), where systemd is installed.
func TestDeployUnitsVerify(t *testing.T) {
	sa, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	tmp := t.TempDir()
	var files []string
	for _, name := range []string{"bulletin.service", "bulletin-index.service", "bulletin-index.timer"} {
		b, err := os.ReadFile(filepath.Join(deployDir, name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(tmp, name)
		os.WriteFile(p, []byte(strings.ReplaceAll(string(b), "/usr/local/bin/bulletin", "/bin/true")), 0o644)
		files = append(files, p)
	}
	out, err := exec.Command(sa, append([]string{"verify"}, files...)...).CombinedOutput()
	if err != nil || strings.Contains(string(out), "bulletin") {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
