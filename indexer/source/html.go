package source

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// ReadHTML reads a government web page (.html, .htm) into one article.
func ReadHTML(data []byte) (*Page, error) {
	text, err := decodeHTML(data)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("bad HTML: %v", err)
	}
	page := &Page{Shared: true}
	meta := collectMeta(doc)

	var given Meta
	if d := meta.get("pubdate", "publishdate", "firstpublishedtime", "article:published_time"); d != "" {
		if nd, ok := parseLooseDate(d); ok {
			given.Date = nd
		} else {
			page.Problems = append(page.Problems, Problem{Reason: fmt.Sprintf("PubDate %q is not a date; ignored", d)})
		}
	}
	if given.Date == "" {
		given.Date = visibleDate(doc)
	}
	given.Source = tidyLine(meta.get("contentsource"))
	for _, u := range []string{meta.canonical, meta.get("og:url"), meta.get("url")} {
		if u = strings.TrimSpace(u); strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			given.URL = u
			break
		}
	}

	title := pageTitle(doc, meta)
	// The metadata block is page furniture: read, then out of the tree.
	fields := readDocBlocks(doc)
	container := findContent(doc)
	var lines []string
	if container != nil {
		lines = textLines(container, true)
	}
	lines, inText := takeLabelled(lines)
	lines = cleanBodyLines(lines, title, meta.title)
	if len(lines) == 0 {
		if d := tidyLine(meta.get("description")); hanCount(d) > 0 {
			lines = []string{d}
		}
	}
	if len(lines) == 0 {
		return nil, errors.New("no article text found in the page")
	}
	if title == "" {
		// Nothing names the article: its first line does, when short.
		if first := lines[0]; utf8.RuneCountInString(first) <= 60 && len(lines) > 1 {
			title, lines = first, lines[1:]
		} else {
			title = truncateRunes(first, 40)
		}
	}
	given.Title = title
	page.Problems = append(page.Problems, given.addFields(fields)...)
	page.Problems = append(page.Problems, given.addFields(inText)...)
	body := strings.Join(lines, "\n\n")
	page.Text = title + "\n" + body
	page.Docs = []Doc{{Title: title, Body: body, Line: 1, Given: given}}
	return page, nil
}
