// Package doclinks checks the repository's Markdown against the
// repository: every relative link of README.md and docs/*.md names a file
// that exists, a link to a heading (#anchor) names a heading of that file,
// spelt as GitHub spells heading anchors, and every repository path named
// in a code span (`indexer/source/page.go`) exists.
//
// Concurrency: the functions keep no state and may run at once.
package doclinks

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
)

// Problem is one link that does not resolve.
type Problem struct {
	File   string // the Markdown file, as given
	Line   int    // 1-based
	Target string // the link as written
	Reason string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: link %q: %s", p.File, p.Line, p.Target, p.Reason)
}

var (
	link       = regexp.MustCompile(`\]\(([^()\s]+)\)`)
	inlineCode = regexp.MustCompile("`[^`]*`")
)

// Check reads the Markdown files and returns every relative link among them
// that does not resolve. Links with a scheme (https:, mailto:) are not
// followed; links inside code (fenced blocks, `spans`) are not links.
func Check(files ...string) ([]Problem, error) {
	var out []Problem
	for _, f := range files {
		ps, err := checkFile(f)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

func checkFile(file string) ([]Problem, error) {
	lines, err := readLines(file)
	if err != nil {
		return nil, err
	}
	var out []Problem
	fence := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		for _, m := range link.FindAllStringSubmatch(inlineCode.ReplaceAllString(line, ""), -1) {
			target := m[1]
			if reason := resolve(file, target); reason != "" {
				out = append(out, Problem{File: file, Line: i + 1, Target: target, Reason: reason})
			}
		}
	}
	return out, nil
}

// resolve returns why target, a link in file, does not resolve ("" when it
// does).
func resolve(file, target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return err.Error()
	}
	if u.Scheme != "" || u.Host != "" {
		return ""
	}
	dest := file
	if u.Path != "" {
		if strings.HasPrefix(u.Path, "/") {
			return "absolute path: write it relative to the file"
		}
		dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(u.Path))
		if _, err := os.Stat(dest); err != nil {
			return "no such file " + dest
		}
	}
	if u.Fragment == "" || !strings.HasSuffix(dest, ".md") {
		return ""
	}
	anchors, err := Anchors(dest)
	if err != nil {
		return err.Error()
	}
	if !anchors[u.Fragment] {
		return "no heading with anchor #" + u.Fragment + " in " + dest
	}
	return ""
}

// Anchors returns the heading anchors of a Markdown file: each heading
// lower-cased, with punctuation removed and spaces turned into hyphens; a
// repeated heading gets -1, -2, ….
func Anchors(file string) (map[string]bool, error) {
	lines, err := readLines(file)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	out := map[string]bool{}
	fence := false
	for _, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fence = !fence
			continue
		}
		if fence || !strings.HasPrefix(line, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(line, "#"))
		slug := slugify(text)
		if n := seen[slug]; n > 0 {
			out[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out, nil
}

func slugify(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func readLines(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return lines, nil
}

var (
	codeSpan = regexp.MustCompile("`([^`]+)`")
	repoPath = regexp.MustCompile(`^(cmd|indexer|search|internal|devtools|deploy|testdata|seeds|docs)/[A-Za-z0-9_./-]*$`)
)

// Paths returns every path of the repository named in code spans of the
// Markdown files (`indexer/source`, `search/server/write.go`) that does
// not exist under root: a file moved or renamed without its mention.
func Paths(root string, files ...string) ([]Problem, error) {
	var out []Problem
	for _, file := range files {
		lines, err := readLines(file)
		if err != nil {
			return nil, err
		}
		fence := false
		for i, line := range lines {
			if strings.HasPrefix(strings.TrimSpace(line), "```") {
				fence = !fence
				continue
			}
			if fence {
				continue
			}
			for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
				p := strings.TrimSuffix(m[1], "/")
				if !repoPath.MatchString(p) {
					continue
				}
				if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p))); err != nil {
					out = append(out, Problem{File: file, Line: i + 1, Target: p, Reason: "no such path in the repository"})
				}
			}
		}
	}
	return out, nil
}
