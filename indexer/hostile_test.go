package indexer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
)

// Two good bulletin pages: one article each, known title and body text.
var goodPages = []struct{ rel, title, marker, text string }{
	{
		rel: "good1.txt", title: "回龙观街道新建社区养老驿站", marker: "三处社区养老驿站",
		text: "回龙观街道新建社区养老驿站\n\n□本报记者 王明\n\n" +
			"本报讯 昌平区回龙观街道今年新建三处社区养老驿站，为辖区老年人提供助餐、助浴等服务。" +
			"驿站负责人介绍，目前已有两百多位老人办理了服务卡。\n",
	},
	{
		rel: "路径 with spaces/中文 名称 二.txt", title: "望京街道老旧小区加装电梯", marker: "十二个老旧小区加装电梯",
		text: "望京街道老旧小区加装电梯\n\n□本报记者 李华\n\n" +
			"本报讯 朝阳区望京街道完成十二个老旧小区加装电梯工程，惠及居民一千余户。" +
			"街道工作人员表示，明年还将继续推进这项工作。\n",
	},
}

// pngBytes is the start of a real PNG file.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa\x00\x00\x00\x04gAMA\x00\x00\xb1\x8f\x0b\xfca\x05")

const capBytes = 3 << 20

// bad is one hostile input and what its skip must say.
type bad struct {
	name   string // base name that the skip's path ends with
	reason string // substring of the reason
	// orIndexed accepts the file's good parts being indexed instead (text
	// with NUL bytes may be cleaned rather than refused).
	orIndexed string
}

// writeHostile fills dir with hostile files (and the good pages when good)
// and returns the bad ones with the reason each skip must give.
func writeHostile(t *testing.T, dir string, good bool) []bad {
	t.Helper()
	write := func(rel string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if good {
		for _, g := range goodPages {
			write(g.rel, []byte(g.text))
		}
	}
	var bads []bad
	write("empty.txt", nil)
	bads = append(bads, bad{name: "empty.txt", reason: "empty"})
	write("blank.md", []byte(" \n\n\t\n"))
	bads = append(bads, bad{name: "blank.md", reason: "empty"})
	write("image.txt", append(pngBytes, bytes.Repeat([]byte{0x00, 0xff, 0x10}, 300)...))
	bads = append(bads, bad{name: "image.txt", reason: "binary"})
	// High bytes that are neither UTF-8 nor GB18030 (0xFF never starts a GB18030 character).
	write("latin.txt", bytes.Repeat([]byte("caf\xe9 \xff\xfe\xff na\xefve\n"), 50))
	bads = append(bads, bad{name: "latin.txt", reason: "encoding"})
	write("nul.txt", []byte("北京市东城区文化馆举办\x00春节非遗展览\x00活动吸引市民参观。\n"))
	bads = append(bads, bad{name: "nul.txt", reason: "binary", orIndexed: "春节非遗展览"})
	// A file over the size cap (its text is good: only its size is bad).
	write("huge.txt", bytes.Repeat([]byte("昌平区新建公园绿地"), capBytes/27+1))
	bads = append(bads, bad{name: "huge.txt", reason: "larger than"})
	// A JSON Lines file holding nothing usable.
	write("broken.jsonl", []byte("{\"id\": \"a\", \"title\": \n[1,2,3]\nnot json at all\n"))
	bads = append(bads, bad{name: "broken.jsonl", reason: "line"})
	// A dangling symbolic link.
	if err := os.Symlink(filepath.Join(dir, "gone", "nowhere.txt"), filepath.Join(dir, "dangling.txt")); err != nil {
		t.Fatal(err)
	}
	bads = append(bads, bad{name: "dangling.txt", reason: "no such file"})
	// A symbolic link loop: loop/self → loop.
	if err := os.MkdirAll(filepath.Join(dir, "loop"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(dir, "loop", "self")); err != nil {
		t.Fatal(err)
	}
	bads = append(bads, bad{name: "self", reason: "loop"})
	// A FIFO named like a bulletin: reading it would block forever.
	if err := mkfifo(filepath.Join(dir, "pipe.txt")); err == nil {
		bads = append(bads, bad{name: "pipe.txt", reason: "not a regular file"})
	}
	// An unreadable file. Root reads any file whatever its mode, so as
	// root a link to /proc/self/mem stands in: it opens, then reading it
	// fails with an I/O error.
	if os.Geteuid() != 0 {
		write("secret.txt", []byte("保密文件内容。"))
		if err := os.Chmod(filepath.Join(dir, "secret.txt"), 0); err != nil {
			t.Fatal(err)
		}
		bads = append(bads, bad{name: "secret.txt", reason: "permission denied"})
		if err := os.MkdirAll(filepath.Join(dir, "locked"), 0o755); err != nil {
			t.Fatal(err)
		}
		write("locked/inner.txt", []byte("看不到的内容。"))
		if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
			t.Fatal(err)
		}
		bads = append(bads, bad{name: "locked", reason: "permission denied"})
		t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	} else if _, err := os.Stat("/proc/self/mem"); err == nil {
		if err := os.Symlink("/proc/self/mem", filepath.Join(dir, "unreadable.txt")); err != nil {
			t.Fatal(err)
		}
		bads = append(bads, bad{name: "unreadable.txt", reason: "error"})
	} else {
		t.Log("running as root without /proc: no unreadable file")
	}
	return bads
}

// TestHostileFiles builds an index from a folder of hostile files beside
// good ones: the build succeeds, every good article is indexed, every bad
// file is reported by name with a reason, and files with good parts (a
// multi-megabyte line, a JSON Lines file with one bad line, unclosed HTML)
// are indexed for those parts.
func TestHostileFiles(t *testing.T) {
	in := t.TempDir()
	bads := writeHostile(t, in, true)

	// Good parts of imperfect files.
	longLine := strings.Repeat("社区居民生活服务中心建设推进情况良好各项工作有序开展", 2<<20/75) // ~2 MB, one line, no punctuation
	mustWrite(t, filepath.Join(in, "long line.txt"), []byte(longLine))
	mustWrite(t, filepath.Join(in, "mixed.jsonl"), []byte(
		`{"id":"j1","title":"海淀区新增学位两千个","body":"海淀区今年秋季新增中小学学位两千个，缓解入学压力。","date":"2023-09-01"}`+"\n"+
			`{"id":"j2","title":"坏行", "body": }`+"\n"))
	mustWrite(t, filepath.Join(in, "unclosed.html"), []byte(
		`<html><head><meta charset="utf-8"><title>门头沟区修复古道</title><body><div class="article"><h1>门头沟区修复古道`+
			`<p>门头沟区今年修复京西古道三公里，沿线新建步道和驿站，方便市民徒步游览。古道修复工程由区文化和旅游局组织实施。`+
			`<p>修复后的古道将于明年春季向市民开放，并配套建设文化展示点。<div><span>`))

	out := t.TempDir()
	rep, err := indexer.Build(context.Background(), out, indexer.Config{MaxFileBytes: capBytes}, in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	for _, s := range rep.Skipped {
		t.Logf("skipped %s", s)
	}
	arts := indexer.StoredArticles(t, out)
	byBody := func(marker string) *schema.Article {
		for _, a := range arts {
			if strings.Contains(a.Body, marker) || strings.Contains(a.Title, marker) {
				return a
			}
		}
		return nil
	}
	for _, g := range goodPages {
		a := byBody(g.marker)
		if a == nil {
			t.Errorf("good page %s: article not indexed", g.rel)
			continue
		}
		if a.Title != g.title {
			t.Errorf("good page %s: title %q, want %q", g.rel, a.Title, g.title)
		}
		if a.Source != filepath.Base(g.rel) {
			t.Errorf("good page %s: source %q", g.rel, a.Source)
		}
	}
	if a := byBody("社区居民生活服务中心建设推进情况良好"); a == nil {
		t.Error("the multi-megabyte single line was not indexed")
	} else if len(a.Body) < 1<<20 {
		t.Errorf("the multi-megabyte line was cut to %d bytes", len(a.Body))
	}
	if byBody("新增中小学学位两千个") == nil {
		t.Error("the good line of mixed.jsonl was not indexed")
	}
	if byBody("修复京西古道三公里") == nil {
		t.Error("the unclosed HTML page was not indexed")
	}
	if !hasSkip(rep.Skipped, "mixed.jsonl", 2, "") {
		t.Error("the bad line 2 of mixed.jsonl is not reported with its line number")
	}

	for _, b := range bads {
		if hasSkip(rep.Skipped, b.name, -1, b.reason) {
			continue
		}
		if b.orIndexed != "" {
			if a := byBody(b.orIndexed); a != nil {
				if strings.ContainsRune(a.Body+a.Title, 0) {
					t.Errorf("%s: indexed with its NUL bytes", b.name)
				}
				continue
			}
		}
		t.Errorf("%s: not reported as skipped with a reason containing %q", b.name, b.reason)
	}
	for _, s := range rep.Skipped {
		if s.Path == "" || s.Reason == "" {
			t.Errorf("skip without path or reason: %+v", s)
		}
	}
	for _, a := range arts {
		if strings.ContainsRune(a.Body+a.Title, 0) {
			t.Errorf("article %s (%s) holds NUL bytes", a.ID, a.Source)
		}
	}
}

// TestOnlyBadFiles: a build from nothing but bad files fails with
// ErrNothingIndexed and leaves the generation already being served in
// place, complete and servable; no half-written generation is left.
func TestOnlyBadFiles(t *testing.T) {
	out := t.TempDir()
	good := t.TempDir()
	for _, g := range goodPages {
		mustWrite(t, filepath.Join(good, filepath.FromSlash(g.rel)), []byte(g.text))
	}
	if _, err := indexer.Build(context.Background(), out, indexer.Config{}, good); err != nil {
		t.Fatal(err)
	}
	before, meta, err := schema.Current(out)
	if err != nil {
		t.Fatal(err)
	}

	in := t.TempDir()
	bads := writeHostile(t, in, false)
	rep, err := indexer.Build(context.Background(), out, indexer.Config{MaxFileBytes: capBytes}, in)
	if !errors.Is(err, indexer.ErrNothingIndexed) {
		t.Fatalf("Build of only bad files: err %v, want ErrNothingIndexed", err)
	}
	if rep == nil || rep.Articles != 0 {
		t.Fatalf("report %+v", rep)
	}
	for _, b := range bads {
		if !hasSkip(rep.Skipped, b.name, -1, b.reason) {
			t.Errorf("%s: not reported as skipped (%q)", b.name, b.reason)
		}
	}
	after, _, err := schema.Current(out)
	if err != nil || after != before {
		t.Fatalf("current generation changed: %s → %s (%v)", before, after, err)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if e.IsDir() && filepath.Join(out, e.Name()) != before {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	eng, err := embedded.Open(out, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatalf("previous generation not servable: %v", err)
	}
	defer eng.Close()
	resp, err := eng.Search(context.Background(), search.Request{Query: "养老驿站"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Total == 0 || eng.Info().Generation != meta.Name {
		t.Errorf("serving %q with %d hits, want %q with hits", eng.Info().Generation, resp.Total, meta.Name)
	}
}

// hasSkip reports a skip whose path ends with name (line -1: any line).
func hasSkip(skips []indexer.Skip, name string, line int, reason string) bool {
	for _, s := range skips {
		if filepath.Base(s.Path) != name && !strings.HasSuffix(filepath.ToSlash(s.Path), "/"+name) {
			continue
		}
		if line >= 0 && s.Line != line {
			continue
		}
		if strings.Contains(strings.ToLower(s.Reason), strings.ToLower(reason)) {
			return true
		}
	}
	return false
}

func mkfifo(p string) error { return syscall.Mkfifo(p, 0o644) }

func mustWrite(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSameNamesInTwoRoots: `index a/ b/` where both hold x.txt keeps both
// files' articles (their ids must not collide).
func TestSameNamesInTwoRoots(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	mustWrite(t, filepath.Join(a, "x.txt"), []byte(goodPages[0].text))
	mustWrite(t, filepath.Join(b, "x.txt"), []byte(goodPages[1].text))
	out := t.TempDir()
	rep, err := indexer.Build(context.Background(), out, indexer.Config{}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	arts := indexer.StoredArticles(t, out)
	if rep.Articles != 2 || len(arts) != 2 {
		t.Fatalf("indexed %d, stored %d articles; want 2 and 2", rep.Articles, len(arts))
	}
	if arts[0].ID == arts[1].ID {
		t.Fatalf("same id %s", arts[0].ID)
	}
	// Re-indexing the same input gives the same ids.
	if _, err := indexer.Build(context.Background(), out, indexer.Config{}, a, b); err != nil {
		t.Fatal(err)
	}
	again := indexer.StoredArticles(t, out)
	for i := range arts {
		if arts[i].ID != again[i].ID {
			t.Errorf("id %s became %s", arts[i].ID, again[i].ID)
		}
	}
}
