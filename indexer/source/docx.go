package source

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// docxMaxPart caps the uncompressed size of document.xml; other parts are
// capped at docxMaxSmallPart.
const (
	docxMaxPart      = 64 << 20
	docxMaxSmallPart = 4 << 20
)

// oleMagic starts a Compound File (legacy .doc/.wps, and encrypted .docx).
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// ReadDOCX reads a Word document.
func ReadDOCX(data []byte) (*Page, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return nil, errors.New("not an Office Open XML document: an encrypted (password-protected) or legacy Word file; save it unprotected as .docx to index it")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("corrupt .docx: not a readable zip archive (%v)", err)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	docName := "word/document.xml"
	if rel, err := readPart(parts, "_rels/.rels", docxMaxSmallPart); err == nil {
		if t := officeDocumentTarget(rel); t != "" {
			docName = t
		}
	}
	if parts[docName] == nil {
		return nil, fmt.Errorf("corrupt .docx: no %s in the archive", docName)
	}
	styles := docxStyles{}
	if s, err := readPart(parts, "word/styles.xml", docxMaxSmallPart); err == nil {
		styles = parseStyles(s)
	} else if !errors.Is(err, errNoPart) {
		return nil, err
	}
	var meta Meta
	var problems []Problem
	if c, err := readPart(parts, "docProps/core.xml", docxMaxSmallPart); err == nil {
		var perr error
		meta, perr = parseCore(c)
		if perr != nil {
			problems = append(problems, Problem{Reason: "document properties ignored: " + perr.Error()})
		}
	} else if !errors.Is(err, errNoPart) {
		problems = append(problems, Problem{Reason: "document properties ignored: " + err.Error()})
	}
	rc, err := openPart(parts[docName], docxMaxPart)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	paras, err := docxParagraphs(rc, styles)
	if err != nil {
		return nil, err
	}
	paras, mast := docxMasthead(paras)
	if d := dateIn(strings.Join(mast, "\n")); d != "" {
		// A 简报 is written on last issue's file: its created date is
		// often stale, its masthead's date is the issue's.
		meta.Date = d
	}
	text := docxText(paras)
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("no text")
	}
	page, err := pageFromLaidOut([]laidOut{{text: text}}, meta)
	if err != nil {
		return nil, err
	}
	page.Problems = append(problems, page.Problems...)
	return page, nil
}

var errNoPart = errors.New("no such part")

// partError is an error of limitedPart (a part over its limit, or a corrupt
// part): its message is whole, and it is passed on as it is.
type partError struct{ error }

func (e *partError) Unwrap() error { return e.error }

// limitedPart reads a zip entry and fails once it expands beyond max bytes.
type limitedPart struct {
	rc        io.ReadCloser
	name      string
	left, max int64
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, &partError{fmt.Errorf("%s expands to more than its limit of %d MiB (a decompression bomb?)", l.name, l.max>>20)}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if err == io.EOF {
		return n, err
	}
	if err != nil {
		return n, &partError{fmt.Errorf("corrupt .docx: %s: %v", l.name, err)}
	}
	if l.left <= 0 {
		// Probe one byte: exactly max bytes is fine, more is not.
		var b [1]byte
		if m, _ := l.rc.Read(b[:]); m > 0 {
			return n, &partError{fmt.Errorf("%s expands to more than its limit of %d MiB (a decompression bomb?)", l.name, l.max>>20)}
		}
		return n, io.EOF
	}
	return n, nil
}

func (l *limitedPart) Close() error { return l.rc.Close() }

func openPart(f *zip.File, max int64) (io.ReadCloser, error) {
	if f.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%s expands to %d MiB, more than its limit of %d MiB (a decompression bomb?)", f.Name, f.UncompressedSize64>>20, max>>20)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("corrupt .docx: %s: %v", f.Name, err)
	}
	return &limitedPart{rc: rc, name: f.Name, left: max, max: max}, nil
}

func readPart(parts map[string]*zip.File, name string, max int64) ([]byte, error) {
	f := parts[name]
	if f == nil {
		return nil, errNoPart
	}
	rc, err := openPart(f, max)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// officeDocumentTarget finds the main document part in _rels/.rels.
func officeDocumentTarget(rels []byte) string {
	var r struct {
		Rels []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(rels, &r) != nil {
		return ""
	}
	for _, x := range r.Rels {
		if strings.HasSuffix(x.Type, "/officeDocument") {
			return strings.TrimPrefix(x.Target, "/")
		}
	}
	return ""
}

// parseCore reads the title and created date of docProps/core.xml. The
// created time is in UTC; the date is taken in China Standard Time.
func parseCore(data []byte) (Meta, error) {
	var c struct {
		Title   string `xml:"title"`
		Created string `xml:"created"`
	}
	var m Meta
	if err := xml.Unmarshal(data, &c); err != nil {
		return m, fmt.Errorf("docProps/core.xml: %v", err)
	}
	m.Title = strings.TrimSpace(c.Title)
	if s := strings.TrimSpace(c.Created); s != "" {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			t = t.In(time.FixedZone("CST", 8*3600))
			if ValidDate(t.Year(), int(t.Month()), t.Day()) {
				m.Date = t.Format("2006-01-02")
			}
		} else if d, ok := NormalizeDate(s); ok {
			m.Date = d
		} else {
			return m, fmt.Errorf("created date %q is not a date", s)
		}
	}
	return m, nil
}

// docxStyles maps a paragraph style id to its heading level (0 for a
// document title, 1… for headings; absent for other styles).
type docxStyles map[string]int

var headingNameRE = regexp.MustCompile(`^(?i:heading|标题)\s*(\d)$`)

func parseStyles(data []byte) docxStyles {
	var s struct {
		Styles []struct {
			Type    string  `xml:"type,attr"`
			ID      string  `xml:"styleId,attr"`
			Name    valAttr `xml:"name"`
			BasedOn valAttr `xml:"basedOn"`
			PPr     struct {
				OutlineLvl *valAttr `xml:"outlineLvl"`
			} `xml:"pPr"`
		} `xml:"style"`
	}
	out := docxStyles{}
	if xml.Unmarshal(data, &s) != nil {
		return out
	}
	based := map[string]string{}
	own := map[string]int{}
	for _, st := range s.Styles {
		if st.Type != "" && st.Type != "paragraph" {
			continue
		}
		name := strings.TrimSpace(st.Name.Val)
		based[st.ID] = st.BasedOn.Val
		switch m := headingNameRE.FindStringSubmatch(name); {
		case m != nil:
			own[st.ID], _ = strconv.Atoi(m[1])
		case strings.EqualFold(name, "title") || name == "标题":
			own[st.ID] = 0
		case st.PPr.OutlineLvl != nil:
			if l, err := strconv.Atoi(st.PPr.OutlineLvl.Val); err == nil && l >= 0 && l < 9 {
				own[st.ID] = l + 1
			}
		}
	}
	for id := range based {
		cur := id
		for k := 0; k < 16 && cur != ""; k++ {
			if l, ok := own[cur]; ok {
				out[id] = l
				break
			}
			cur = based[cur]
		}
	}
	return out
}

type valAttr struct {
	Val string `xml:"val,attr"`
}

// docxPara is one paragraph (or table row) of a document.
type docxPara struct {
	text     string
	heading  int // heading level, -1 if none
	bold     bool
	centered bool
	size     int // largest explicit run size, half-points; 0 if none
	row      bool
}

// docxParagraphs streams the paragraphs of document.xml.
func docxParagraphs(r io.Reader, styles docxStyles) ([]docxPara, error) {
	dec := xml.NewDecoder(r)
	type pstate struct {
		sb             strings.Builder
		style          string
		outline        int
		centered       bool
		runs, boldRuns int
		size           int
		inRun, runBold bool
		runHasText     bool
	}
	var (
		out      []docxPara
		stack    []*pstate  // paragraphs being read (text boxes nest them)
		pending  []docxPara // text box paragraphs, until their anchor ends
		tblDepth int
		cells    [][]string // cells of the current row, per table depth
		cellText []strings.Builder
		skip     int // depth inside an element whose text is left out
		inText   bool
		inRPr    bool
	)
	emit := func(p docxPara) {
		if tblDepth > 0 && len(cellText) >= tblDepth {
			c := &cellText[tblDepth-1]
			if c.Len() > 0 && p.text != "" {
				c.WriteByte(' ')
			}
			c.WriteString(p.text)
			return
		}
		out = append(out, p)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fmt.Errorf("corrupt .docx: document.xml line %d: %s", se.Line, se.Msg)
			}
			var pe *partError
			if errors.As(err, &pe) { // the part's own message says it all
				return nil, err
			}
			return nil, fmt.Errorf("corrupt .docx: document.xml: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			var top *pstate
			if len(stack) > 0 {
				top = stack[len(stack)-1]
			}
			switch t.Name.Local {
			case "Fallback", "del", "delText", "moveFrom", "instrText":
				// Fallback copies of drawings, deleted or moved-away
				// revisions and field codes are not the document's text.
				skip = 1
			case "p":
				stack = append(stack, &pstate{outline: -1})
			case "pStyle":
				if top != nil {
					top.style = xattr(t, "val")
				}
			case "outlineLvl":
				if top != nil {
					if l, err := strconv.Atoi(xattr(t, "val")); err == nil && l >= 0 && l < 9 {
						top.outline = l + 1
					}
				}
			case "jc":
				if top != nil && !inRPr {
					top.centered = xattr(t, "val") == "center"
				}
			case "r":
				if top != nil {
					top.inRun, top.runBold, top.runHasText = true, false, false
				}
			case "rPr":
				inRPr = true
			case "b":
				if top != nil && top.inRun && inRPr {
					v := xattr(t, "val")
					top.runBold = v == "" || v == "1" || v == "true" || v == "on"
				}
			case "sz":
				if top != nil && top.inRun && inRPr {
					if v, err := strconv.Atoi(xattr(t, "val")); err == nil && v > top.size && v < 2000 {
						top.size = v
					}
				}
			case "t":
				inText = true
			case "tab":
				if top != nil && !inRPr {
					top.sb.WriteByte(' ')
				}
			case "br", "cr":
				if top != nil {
					top.sb.WriteByte('\n')
				}
			case "tbl":
				tblDepth++
				for len(cells) < tblDepth {
					cells = append(cells, nil)
					cellText = append(cellText, strings.Builder{})
				}
			case "tr":
				if tblDepth > 0 {
					cells[tblDepth-1] = nil
				}
			case "tc":
				if tblDepth > 0 {
					cellText[tblDepth-1].Reset()
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "rPr":
				inRPr = false
			case "r":
				if n := len(stack); n > 0 {
					top := stack[n-1]
					if top.inRun && top.runHasText {
						top.runs++
						if top.runBold {
							top.boldRuns++
						}
					}
					top.inRun = false
				}
			case "p":
				n := len(stack)
				if n == 0 {
					continue
				}
				ps := stack[n-1]
				stack = stack[:n-1]
				level := ps.outline
				if l, ok := styles[ps.style]; ok && level < 0 {
					level = l
				}
				var mine []docxPara
				for _, part := range strings.Split(ps.sb.String(), "\n") {
					part = strings.Join(strings.Fields(part), " ")
					if part == "" {
						continue
					}
					mine = append(mine, docxPara{text: part, heading: level, bold: ps.runs > 0 && ps.boldRuns == ps.runs, centered: ps.centered, size: ps.size})
				}
				if len(stack) > 0 {
					// A text box's paragraph: after the one anchoring it.
					pending = append(pending, mine...)
					continue
				}
				for _, p := range append(mine, pending...) {
					emit(p)
				}
				pending = nil
			case "tc":
				if tblDepth > 0 {
					c := strings.TrimSpace(cellText[tblDepth-1].String())
					cells[tblDepth-1] = append(cells[tblDepth-1], c)
					cellText[tblDepth-1].Reset()
				}
			case "tr":
				if tblDepth > 0 {
					var nonEmpty []string
					for _, c := range cells[tblDepth-1] {
						if c != "" {
							nonEmpty = append(nonEmpty, c)
						}
					}
					cells[tblDepth-1] = nil
					if len(nonEmpty) == 0 {
						continue
					}
					row := strings.Join(nonEmpty, " | ")
					if tblDepth > 1 {
						c := &cellText[tblDepth-2]
						if c.Len() > 0 {
							c.WriteByte(' ')
						}
						c.WriteString(row)
					} else {
						out = append(out, docxPara{text: row, heading: -1, row: true})
					}
				}
			case "tbl":
				if tblDepth > 0 {
					tblDepth--
				}
			}
		case xml.CharData:
			if skip == 0 && inText && len(stack) > 0 {
				top := stack[len(stack)-1]
				top.sb.Write(t)
				if len(bytes.TrimSpace(t)) > 0 {
					top.runHasText = true
				}
			}
		}
	}
	return out, nil
}
