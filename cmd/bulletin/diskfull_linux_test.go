package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search/server"
)

// TestWriteDiskFull fills a real (tmpfs) disk under a live index: a write
// gets 507 disk_full saying so, searches keep answering, and once there is
// room again writes go through and every acknowledged one survives a
// restart. It mounts a tmpfs, which needs root: it is skipped without,
// except under CI=true, where it must run.
func TestWriteDiskFull(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=48m"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a tmpfs: %v (CI runs as root)", err)
		}
		t.Skipf("cannot mount a tmpfs here (%v); it runs as root and under CI=true", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	dir := filepath.Join(mnt, "idx")
	if _, err := indexer.Build(context.Background(), dir, indexer.Config{}, filepath.Join("..", "..", "seeds")); err != nil {
		t.Fatal(err)
	}
	base, stop := restartable(t, dir, server.Options{})
	art := base + "/api/articles/"
	// Bodies larger than a page: a write cannot slip into the log's last
	// partly used page of the full disk.
	body := func(title string) string {
		return `{"title":"` + title + `","body":"` + strings.Repeat("石景山区八角街道推进老旧小区综合整治，加装电梯，改造管网。", 400) + `"}`
	}
	if a := call(t, "PUT", art+"d-1", testKey, body("石景山区老旧小区整治一")); a.status != 200 {
		t.Fatalf("PUT before the disk is full: %d %s", a.status, a.raw)
	}

	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			break
		}
	}
	for len(chunk) > 1 { // the last bytes too
		if _, err := f.Write(chunk); err != nil {
			chunk = chunk[:len(chunk)/2]
		}
	}
	f.Close()

	for _, c := range []struct{ method, url, body string }{
		{"PUT", art + "d-2", body("石景山区老旧小区整治二")},
		{"POST", art + "_bulk", strings.Replace(body("石景山区老旧小区整治三"), `{`, `{"id":"d-3",`, 1) + "\n"},
	} {
		a := call(t, c.method, c.url, testKey, c.body)
		code, msg := errorOf(a)
		if a.status != 507 || code != "disk_full" || !strings.Contains(msg, "disk") || !strings.Contains(msg, "full") {
			t.Errorf("%s %s on a full disk: %d %s, want 507 disk_full saying the disk is full", c.method, c.url, a.status, a.raw)
		}
	}
	if a := call(t, "GET", base+"/api/search?q="+url.QueryEscape("加装电梯"), "", ""); a.status != 200 || a.body["total"] == float64(0) {
		t.Errorf("search on a full disk: %d %.300s", a.status, a.raw)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if a := call(t, "PUT", art+"d-2", testKey, body("石景山区老旧小区整治二")); a.status != 200 {
		t.Fatalf("PUT once there is room again: %d %s", a.status, a.raw)
	}
	stop()
	base, _ = restartable(t, dir, server.Options{})
	for id, want := range map[string]int{"d-1": 200, "d-2": 200, "d-3": 404} {
		if a := call(t, "GET", base+"/api/articles/"+id, "", ""); a.status != want {
			t.Errorf("after a restart, GET %s: %d, want %d", id, a.status, want)
		}
	}
}
