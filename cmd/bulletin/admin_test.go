package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startServeBinary runs the binary's serve with args and returns the process and
// its base URL.
func startServeBinary(t *testing.T, bin string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd, base, _ := startServeArgs(t, bin, nil, args...)
	return cmd, base
}

// TestServeAdminKeys runs the binary with --admin-keys: key labels in the
// audit trail, a write key refused, and the changes, the log and the
// audit kept across a clean stop and a SIGKILL.
func TestServeAdminKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs servers")
	}
	bin := testBinary(t)
	dir := seedIndex(t)
	tmp := t.TempDir()
	akeys, wkeys := filepath.Join(tmp, "admin-keys"), filepath.Join(tmp, "write-keys")
	os.WriteFile(akeys, []byte("# editors\nadm-key-one-1234   # 王编辑\nadm-key-two-5678\n"), 0o600)
	os.WriteFile(wkeys, []byte(testKey+"\n"), 0o600)
	args := []string{"--index", dir, "--admin-keys", akeys, "--write-keys", wkeys}

	cmd, base := startServeBinary(t, bin, args...)
	if a := call(t, "GET", base+"/api/admin/queries", testKey, ""); a.status != 401 {
		t.Errorf("a write key on the admin API: %d %s", a.status, a.raw)
	}
	if a := call(t, "PUT", base+"/api/admin/synonyms/g1", "adm-key-one-1234", `{"words":["彡彡彡","回天"]}`); a.status != 200 {
		t.Fatalf("put synonyms: %d %s", a.status, a.raw)
	}
	if r := searchResp(t, base, "q="+url.QueryEscape("彡彡彡")); r.Total == 0 {
		t.Error("the synonyms are not in effect")
	}
	searchResp(t, base, "q="+url.QueryEscape("养老驿站"))
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}

	cmd, base = startServeBinary(t, bin, args...)
	a := call(t, "GET", base+"/api/admin/queries", "adm-key-two-5678", "")
	if a.status != 200 || !strings.Contains(a.raw, `"query":"养老驿站","count":1`) {
		t.Errorf("the log after a restart: %d %s", a.status, a.raw)
	}
	if a := call(t, "PUT", base+"/api/admin/pins/"+url.PathEscape("彡彡彡"), "adm-key-two-5678", `{"ids":["`+firstID(t, base)+`"]}`); a.status != 200 {
		t.Fatalf("put pins: %d %s", a.status, a.raw)
	}
	cmd.Process.Signal(syscall.SIGKILL) // what was answered is kept
	cmd.Wait()

	cmd, base = startServeBinary(t, bin, args...)
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	if r := searchResp(t, base, "q="+url.QueryEscape("彡彡彡")); r.Total == 0 || !r.Hits[0].Pinned {
		t.Errorf("after SIGKILL: the synonyms or the pin are lost: %+v", r.Hits)
	}
	a = call(t, "GET", base+"/api/admin/audit", "adm-key-one-1234", "")
	var au struct {
		Audit []struct{ Key, Action string }
	}
	json.Unmarshal([]byte(a.raw), &au)
	if len(au.Audit) != 2 || au.Audit[0].Key != "line 3" || au.Audit[0].Action != "pins.put" || au.Audit[1].Key != "王编辑" {
		t.Errorf("audit: %s", a.raw)
	}
	if strings.Contains(a.raw, "adm-key") {
		t.Error("the audit trail shows a key")
	}

	// The command line, with no server, answers as the server did.
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	stopped = true
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"search", "--index", dir, "--json", "彡彡彡"}, &out, &errb); code != 0 {
		t.Fatalf("search: %s", errb.String())
	}
	var r struct {
		Total int
		Hits  []struct {
			Pinned bool
		}
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.Total < 2 || !r.Hits[0].Pinned {
		t.Errorf("bulletin search without a server: %v %s", err, out.String())
	}
}

func firstID(t *testing.T, base string) string {
	t.Helper()
	r := searchResp(t, base, "q="+url.QueryEscape("回天"))
	if len(r.Hits) == 0 {
		t.Fatal("回天 finds nothing")
	}
	return r.Hits[len(r.Hits)-1].ID
}

// TestAdminFlagErrors: flags that cannot work are refused before serving.
func TestAdminFlagErrors(t *testing.T) {
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty")
	os.WriteFile(empty, []byte("# nothing\n"), 0o600)
	spaced := filepath.Join(tmp, "spaced")
	os.WriteFile(spaced, []byte("a key\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--query-log-days", "-1"}, "--query-log-days"},
		{[]string{"--admin-keys", empty}, "no key"},
		{[]string{"--admin-keys", spaced}, "spaced:1"},
		{[]string{"--admin-keys", filepath.Join(tmp, "missing")}, "--admin-keys"},
		{[]string{"--admin-keys", empty, "--opensearch", "http://127.0.0.1:1"}, "--opensearch"},
	} {
		var out, errb bytes.Buffer
		args := append([]string{"serve", "--index", filepath.Join(tmp, "noindex"), "--addr", "127.0.0.1:0"}, c.args...)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		code := run(ctx, args, &out, &errb)
		cancel()
		if code == 0 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, %s; want an error naming %q", c.args, code, errb.String(), c.want)
		}
	}
}
