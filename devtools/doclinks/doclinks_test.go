package doclinks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepositoryLinks checks the links of README.md and every docs/*.md.
func TestRepositoryLinks(t *testing.T) {
	root := filepath.Join("..", "..")
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("no docs/*.md found")
	}
	problems, err := Check(append([]string{filepath.Join(root, "README.md")}, docs...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestRepositoryPaths checks that the repository paths README.md and
// docs/*.md name in code spans exist.
func TestRepositoryPaths(t *testing.T) {
	root := filepath.Join("..", "..")
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	problems, err := Paths(root, append([]string{filepath.Join(root, "README.md")}, docs...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestPathsFindsMissing checks Paths on a file written for it.
func TestPathsFindsMissing(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "search", "server"), 0o755)
	os.WriteFile(filepath.Join(dir, "search", "server", "write.go"), nil, 0o644)
	md := filepath.Join(dir, "x.md")
	os.WriteFile(md, []byte("`search/server/write.go` and `search/server/` are here; `search/os_engine.go` is not;\n"+
		"`DIR/api.log` and `bulletin index` are no repository paths\n```\nindexer/gone.go\n```\n"), 0o644)
	problems, err := Paths(dir, md)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Target != "search/os_engine.go" || problems[0].Line != 1 {
		t.Errorf("Paths = %v, want one problem: search/os_engine.go on line 1", problems)
	}
}

// TestCheckFindsBrokenLinks checks the checker on files written for it: a
// missing file, a missing heading, links that resolve, and links in code
// that are not links.
func TestCheckFindsBrokenLinks(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "docs"), 0o755)
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("docs/a.md", "# A page\n\n## Back-up and restore\n\n## Libraries, and why these\n")
	readme := write("README.md", strings.Join([]string{
		"[ok](docs/a.md) [ok](docs/a.md#back-up-and-restore) [ok](docs/a.md#libraries-and-why-these)",
		"[web](https://example.org/x) [self](#top-heading)",
		"[gone](docs/b.md)",
		"[no heading](docs/a.md#restore)",
		"`[in code](docs/c.md)`",
		"```",
		"[in a block](docs/d.md)",
		"```",
		"# Top heading",
	}, "\n"))
	problems, err := Check(readme)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Target)
	}
	if want := "docs/b.md docs/a.md#restore"; strings.Join(got, " ") != want {
		t.Errorf("broken links found: %q, want %q (%v)", got, want, problems)
	}
}
